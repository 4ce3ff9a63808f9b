/**
 * Types for the parts of nlp.js (https://github.com/axa-group/nlp.js, MIT) that the classifier
 * uses; the packages ship plain CommonJS with no declarations.
 */
declare module "@nlpjs/neural" {
  export interface NeuralInput {
    [feature: string]: number;
  }
  export interface NeuralSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export interface NeuralNetworkJson {
    settings: NeuralSettings;
    features?: string[];
    intents?: string[];
    perceptrons?: number[][];
  }
  export class NeuralNetwork {
    constructor(settings?: NeuralSettings);
    train(corpus: Array<{ input: NeuralInput; output: Record<string, number> }>): { error: number; iterations: number };
    run(input: NeuralInput): Record<string, number> | undefined;
    toJSON(): NeuralNetworkJson;
    fromJSON(json: NeuralNetworkJson): void;
  }
}

declare module "@nlpjs/lang-fr" {
  export class StemmerFr {
    stem(word: string): string;
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
}

declare module "@nlpjs/lang-en-min" {
  export class StemmerEn {
    stem(word: string): string;
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
}
