/**
 * Sentiment from a small French/English lexicon of what boutique customers write when they are
 * unhappy or delighted, with emoji, negation ("pas contente", "not happy") and insistence.
 */
import { fold } from "./text";

const NEGATIVE = new Set(
  ("decu decue decevant decevante decevoir nul nulle inadmissible inacceptable scandaleux scandaleuse honte honteux " +
    "furieux furieuse enerve enervee enervant penible agace agacee mecontent mecontente insatisfait insatisfaite " +
    "degoute degoutee horrible catastrophe catastrophique abime abimee casse cassee dechire dechiree tache tachee " +
    "troue trouee defaut defectueux defectueuse arnaque vol escroquerie plainte desagreable impoli impolie " +
    "retard marre stresse stressee inquiete inquiet triste dommage probleme souci bug plante " +
    "disappointed disappointing unacceptable terrible awful horrible angry furious annoyed annoying upset unhappy " +
    "damaged broken torn stained faulty defective scam rude ridiculous worst poor bad late wrong missing complaint " +
    "frustrated frustrating useless disgusted stressed worried sad shame").split(" "),
);
const POSITIVE = new Set(
  ("merci super genial parfait top adore adorable ravie ravi contente content magnifique sublime superbe bravo " +
    "excellent excellente formidable gentil gentille trop bien tip top merveilleux merveilleuse canon incroyable " +
    "thanks thank great perfect love lovely amazing awesome wonderful brilliant excellent happy glad gorgeous beautiful " +
    "fantastic nice cheers delighted").split(" "),
);
const NEGATIONS = new Set(["pas", "plus", "jamais", "not", "never", "no", "non", "isn't", "n't", "aucun", "aucune"]);
const NEGATIVE_EMOJI = /[😡😠🤬😤😭😢😞😒👎💔😩😫]/u;
const POSITIVE_EMOJI = /[😍🥰😘😊🙂😀😃😄😁❤💕💖👍🙏🎉✨🤩👌😉]/u;

export type Sentiment = "negative" | "neutral" | "positive";

export function sentimentOf(text: string, insists: boolean): Sentiment {
  const words = fold(text).split(/[^\p{L}']+/u).filter(Boolean);
  let score = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const negated = NEGATIONS.has(words[i - 1] ?? "") || NEGATIONS.has(words[i - 2] ?? "");
    if (NEGATIVE.has(w)) score -= 1;
    else if (POSITIVE.has(w)) score += negated ? -1 : 1;
  }
  if (NEGATIVE_EMOJI.test(text)) score -= 1;
  if (POSITIVE_EMOJI.test(text)) score += 1;
  if (insists && score < 0) score -= 1;
  if (score <= -1) return "negative";
  if (score >= 1) return "positive";
  return "neutral";
}
