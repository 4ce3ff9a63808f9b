/**
 * Short answers to what the AI proposed last (the conversation's pending proposal): "oui", "ok top",
 * "yes please" confirm; "non merci", "laisse tomber", "no thanks" decline; with an exchange choice
 * pending, "option 1", "la 2", "la première", or words only one option's label has ("par la poste"
 * when option 2 is by post) choose.
 */
import type { PendingProposal } from "../contracts";
import { fold } from "./text";

const DECLINE =
  /^(?:ah\s+|oh\s+|bon\s+|hmm+\s+|euh\s+)?(?:dommage\s*[,.!]?\s*)?(?:non\b|nn\b|nan\b|no\b|nope\b|nah\b|pas (?:besoin|la peine|pour (?:l'instant|le moment|maintenant)|maintenant|aujourd'hui|interesse)|laisse[zr]? tomber|tant pis|never ?mind|not (?:now|today|interested|necessary|for now)|je vais (?:reflechir|attendre|voir)|i'll (?:think|pass|wait)|maybe later|peut-etre plus tard|ca ira|c'est bon merci|c bon|finalement non|plus tard|forget it|no need|j'ai change d'avis|i changed my mind)/;
const CONFIRM =
  /^(?:ah\s+|oh\s+|bon\s+|alors\s+|hmm+\s+|euh\s+)?(?:oui+\b|ouais\b|yes+\b|yeah\b|yep\b|yup\b|ok+\b|okay\b|oki\b|d'?accord\b|dac\b|daccord\b|parfait\b|super\b|top\b|genial\b|go\b|vas[- ]y\b|allez[- ]y\b|carrement\b|volontiers\b|avec plaisir\b|bien sur\b|ca marche\b|ca me va\b|je confirme\b|confirme\b|c'est parfait\b|c'est bon\b|sure\b|great\b|perfect\b|sounds (?:good|great)\b|please do\b|go ahead\b|absolutely\b|of course\b|that works\b|deal\b|lovely\b|excellent\b|nickel\b|impeccable\b|👍|👌|🙏|✅)/u;
const ORDINALS: Array<[RegExp, number]> = [
  [/\b(?:option|choix|choice|numero|number|n°|no\.?)\s*(?:1|un|one)\b|^\s*(?:la|le|l'|the)?\s*(?:1|un|une|one|premiere?|first|1ere?|1st)\b(?:\s*(?:option|choix|one|svp|stp|please|merci|!|\.)\s*)*$/, 1],
  [/\b(?:option|choix|choice|numero|number|n°|no\.?)\s*(?:2|deux|two)\b|^\s*(?:la|le|l'|the)?\s*(?:2|deux|two|deuxieme|seconde?|second|2e|2eme|2nd)\b(?:\s*(?:option|choix|one|svp|stp|please|merci|!|\.)\s*)*$/, 2],
];
const LABEL_STOPWORDS = new Set("echange exchange en par la le les a au aux de du des un une et ou the by in at to for of with avec sans option frais fee eur euros gratuit free".split(" "));

export interface PendingAnswer {
  intent: "confirm" | "decline" | null;
  choice: number | null;
}

/** How the message answers the pending proposal, or null when it does not look like an answer. */
export function answerPending(text: string, pending: PendingProposal): PendingAnswer | null {
  const folded = fold(text).replace(/\s+/g, " ").trim();
  const words = folded.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  if (pending.kind === "exchange_choice") {
    for (const [pattern, id] of ORDINALS) {
      if (pattern.test(folded) && pending.options.some((o) => o.id === id)) return { intent: "confirm", choice: id };
    }
    const distinctive = pending.options.map((o) => ({
      id: o.id,
      words: new Set(fold(o.label).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2 && !LABEL_STOPWORDS.has(w))),
    }));
    const hits = distinctive.filter((o) => words.some((w) => o.words.has(w) && !distinctive.some((other) => other.id !== o.id && other.words.has(w))));
    if (hits.length === 1 && hits[0]) return { intent: "confirm", choice: hits[0].id };
  }
  if (words.length > 20) return null;
  if (DECLINE.test(folded)) return { intent: "decline", choice: null };
  if (CONFIRM.test(folded)) return { intent: "confirm", choice: null };
  return null;
}
