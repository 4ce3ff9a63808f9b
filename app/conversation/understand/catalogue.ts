/**
 * Entities linked to the shop's own catalogue: which product a message talks about and which of
 * its sizes. Matching is on the shop's words (titles, references, colours, sizes as written in the
 * catalogue), tolerant to accents, case and one-letter typos.
 */
import type { CatalogueProduct, CatalogueVariant } from "~/plugins/types";
import { editDistance, fold, tokens } from "./text";

const TITLE_STOPWORDS = new Set(["de", "d", "la", "le", "l", "les", "des", "du", "a", "et", "en", "the", "of", "and"]);

export interface ProductMatch {
  product: CatalogueProduct;
  /** Share of the product's title words found in the message, 1 for a reference match. */
  score: number;
  matchedBy: "ref" | "title";
}

function wordMatches(titleWord: string, messageWords: readonly string[]): boolean {
  return messageWords.some(
    (w) => w === titleWord || (titleWord.length >= 5 && w.length >= 4 && editDistance(w, titleWord, 1) <= 1),
  );
}

/** The best product for the message, or null when none is clearly meant. */
export function findProduct(text: string, catalogue: readonly CatalogueProduct[]): ProductMatch | null {
  const folded = fold(text);
  const compact = folded.replace(/[^a-z0-9]/g, "");
  for (const product of catalogue) {
    if (!product.ref) continue;
    const ref = fold(product.ref).replace(/[^a-z0-9]/g, "");
    // A reference is letters then digits ("RF-2847"): require both so "2847" alone is not a product.
    if (/^[a-z]+\d+$/.test(ref) && compact.includes(ref)) return { product, score: 1, matchedBy: "ref" };
  }
  const words = tokens(text);
  let best: ProductMatch | null = null;
  let tie = false;
  for (const product of catalogue) {
    const titleWords = tokens(product.title).filter((w) => !TITLE_STOPWORDS.has(w));
    if (titleWords.length === 0) continue;
    const hits = titleWords.filter((w) => wordMatches(w, words)).length;
    let score = hits / titleWords.length;
    // The colour said in other words ("bleu" for "Bleue") counts when the title does not carry it.
    if (product.color && !titleWords.some((w) => wordMatches(w, [fold(product.color ?? "")])) && wordMatches(fold(product.color), words)) {
      score = Math.min(1, score + 0.25);
    }
    if (hits === 0 || score < 0.6) continue;
    if (!best || score > best.score) {
      best = { product, score, matchedBy: "title" };
      tie = false;
    } else if (score === best.score) {
      tie = true;
    }
  }
  return tie ? null : best;
}

const LETTER_SIZES: Record<string, string> = {
  xxs: "XXS", xs: "XS", s: "S", m: "M", l: "L", xl: "XL", xxl: "XXL",
  small: "S", medium: "M", large: "L", petit: "S", petite: "S", moyen: "M", moyenne: "M", grand: "L", grande: "L",
};

/** The size the customer asks for, as they wrote it normalised ("38", "S"), or null. */
export function findRequestedSize(text: string): string | null {
  const f = fold(text);
  if (/\b(taille unique|one size|tu)\b/.test(f) && /\b(taille unique|one size)\b/.test(f)) return "Taille unique";
  const numeric = f.match(/\b(?:taille|size|en|du|in|t|eu|fr)\s?(\d{2})\b/) ?? f.match(/\b(3[2-9]|4[0-8])\b/);
  if (numeric?.[1]) return numeric[1];
  const letter = f.match(/\b(?:taille|size|en|in|du)\s+(xxs|xs|s|m|l|xl|xxl|small|medium|large|petit|petite|moyen|moyenne|grand|grande)\b/);
  if (letter?.[1]) return LETTER_SIZES[letter[1]] ?? null;
  const word = f.match(/\b(small|medium|large)\b/);
  if (word?.[1]) return LETTER_SIZES[word[1]] ?? null;
  return null;
}

/** The product's variant in the requested size, compared as the catalogue writes sizes. */
export function variantForSize(product: CatalogueProduct, size: string): CatalogueVariant | null {
  const wanted = fold(size).replace(/^t/, "");
  return product.variants.find((v) => v.size !== null && fold(v.size).replace(/^t(?=\d)/, "") === wanted) ?? null;
}
