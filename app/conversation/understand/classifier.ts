/**
 * The intent classifier: nlp.js's neural network (@nlpjs/neural — the one-layer perceptron network
 * behind nlp.js's NLU, https://github.com/axa-group/nlp.js/blob/master/docs/v4/neural.md) trained
 * on our own utterances (training/), over stemmed words and entity placeholders. Used directly
 * rather than through @nlpjs/nlp so that classifying is synchronous; the post-processing mirrors
 * nlp.js's NLU: intents none of whose words occur are dropped, scores are squared and normalised.
 */
import { NeuralNetwork, type NeuralInput, type NeuralNetworkJson } from "@nlpjs/neural";
import type { Intent } from "../record";

export interface Example {
  features: readonly string[];
  intent: Intent;
}

export interface IntentScore {
  intent: Intent;
  score: number;
}

export interface IntentClassifier {
  /** Best first; empty when no word of the message was ever seen in training. */
  classify(features: readonly string[]): IntentScore[];
  toJSON(): IntentClassifierJson;
}

export interface IntentClassifierJson {
  network: NeuralNetworkJson;
  intentFeatures: Record<string, string[]>;
  /** Per intent: how many training utterances, and how often each feature occurs in them. */
  counts: Record<string, { examples: number; features: Record<string, number> }>;
}

type Counts = IntentClassifierJson["counts"];

/**
 * Multinomial naive Bayes over the same features, for the messages where every perceptron stays at
 * zero (nlp.js's network is a layer of leaky-ReLU perceptrons: an unusual mix of known words can
 * leave them all silent). Scores are posterior probabilities over the intents.
 */
function naiveBayes(counts: Counts, vocabulary: number, features: readonly string[]): IntentScore[] {
  const intents = Object.entries(counts);
  const totalExamples = intents.reduce((n, [, c]) => n + c.examples, 0);
  const logs = intents.map(([intent, c]) => {
    const tokens = Object.values(c.features).reduce((n, v) => n + v, 0);
    let log = Math.log(c.examples / totalExamples);
    for (const f of features) log += Math.log(((c.features[f] ?? 0) + 1) / (tokens + vocabulary));
    return { intent: intent as Intent, log };
  });
  const max = Math.max(...logs.map((l) => l.log));
  const exp = logs.map((l) => ({ intent: l.intent, score: Math.exp(l.log - max) }));
  const total = exp.reduce((n, e) => n + e.score, 0);
  return exp.map((e) => ({ intent: e.intent, score: e.score / total })).sort((a, b) => b.score - a.score);
}

function toInput(features: readonly string[]): NeuralInput {
  const input: NeuralInput = {};
  for (const f of features) input[f] = 1;
  return input;
}

function build(network: NeuralNetwork, intentFeatures: Map<Intent, Set<string>>, counts: Counts): IntentClassifier {
  const known = new Set<string>();
  for (const set of intentFeatures.values()) for (const f of set) known.add(f);
  const vocabulary = known.size;
  return {
    classify(features) {
      const present = features.filter((f) => known.has(f));
      if (present.length === 0) return [];
      const raw = network.run(toInput(present)) ?? {};
      const scores: IntentScore[] = [];
      let total = 0;
      for (const [intent, value] of Object.entries(raw)) {
        const own = intentFeatures.get(intent as Intent);
        if (!own || !present.some((f) => own.has(f)) || value <= 0) continue;
        const squared = value * value;
        total += squared;
        scores.push({ intent: intent as Intent, score: squared });
      }
      if (total === 0) return naiveBayes(counts, vocabulary, present).slice(0, 5);
      for (const s of scores) s.score /= total;
      return scores.sort((a, b) => b.score - a.score);
    },
    toJSON() {
      return {
        network: network.toJSON(),
        intentFeatures: Object.fromEntries([...intentFeatures].map(([intent, set]) => [intent, [...set]])),
        counts,
      };
    },
  };
}

export function trainIntentClassifier(examples: readonly Example[]): IntentClassifier {
  const intentFeatures = new Map<Intent, Set<string>>();
  const counts: Counts = {};
  const corpus = examples.map((e) => {
    const set = intentFeatures.get(e.intent) ?? new Set<string>();
    const c = (counts[e.intent] ??= { examples: 0, features: {} });
    c.examples++;
    for (const f of e.features) {
      set.add(f);
      c.features[f] = (c.features[f] ?? 0) + 1;
    }
    intentFeatures.set(e.intent, set);
    return { input: toInput(e.features), output: { [e.intent]: 1 } };
  });
  const network = new NeuralNetwork({ log: false });
  network.train(corpus);
  return build(network, intentFeatures, counts);
}

export function loadIntentClassifier(json: IntentClassifierJson): IntentClassifier {
  const network = new NeuralNetwork();
  network.fromJSON(json.network);
  const intentFeatures = new Map<Intent, Set<string>>(Object.entries(json.intentFeatures).map(([k, v]) => [k as Intent, new Set(v)]));
  return build(network, intentFeatures, json.counts);
}
