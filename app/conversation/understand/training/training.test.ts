import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Intent } from "../../record";
import { fold } from "../text";
import { EN } from "./en";
import { FR } from "./fr";

const INTENTS: Intent[] = [
  "product_availability", "product_info", "reservation_request", "confirm", "decline", "reservation_cancel", "order_status",
  "exchange_request", "return_request", "store_info", "styling_advice", "complaint", "human_request", "back_in_stock",
  "greeting", "opt_out", "other",
];

const normalise = (text: string) => fold(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim();

describe("training utterances", () => {
  it.each(INTENTS)("%s has at least 12 French and 12 English utterances", (intent) => {
    expect(FR[intent].length).toBeGreaterThanOrEqual(12);
    expect(EN[intent].length).toBeGreaterThanOrEqual(12);
  });

  it("are several hundred, with no repeated utterance within an intent", () => {
    const all = [...Object.values(FR), ...Object.values(EN)].flat();
    expect(all.length).toBeGreaterThanOrEqual(800);
    for (const set of [FR, EN]) {
      for (const intent of INTENTS) {
        // Variants in case, punctuation or emoji ("hi", "hi!") are kept on purpose: customers write both.
        const seen = new Set(set[intent]);
        expect(seen.size, intent).toBe(set[intent].length);
      }
    }
  });

  it("never copy a sentence of the held-out evaluation corpus", () => {
    const dir = join(process.cwd(), "eval/corpus");
    const corpus = new Set(
      readdirSync(dir)
        .filter((f) => f.endsWith(".jsonl"))
        .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.trim()))
        .flatMap((l) => {
          const c = JSON.parse(l) as { text: string; before?: Array<{ text: string }> };
          return [c.text, ...(c.before ?? []).map((b) => b.text)];
        })
        .map(normalise),
    );
    // One- and two-word messages ("bonjour", "non merci") are everyone's words, not the corpus's sentences.
    const copied = [...Object.values(FR), ...Object.values(EN)]
      .flat()
      .filter((u) => normalise(u).split(" ").length >= 3 && corpus.has(normalise(u)));
    expect(copied).toEqual([]);
  });
});
