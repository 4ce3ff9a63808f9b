/**
 * Entities linked to the shop's own catalogue: which product a message talks about, which of its
 * sizes, how many. Products are found with a MiniSearch index (https://lucaong.github.io/minisearch/)
 * built once per catalogue over the shop's words — title, product type, colour, tags — with French
 * stemming (nlp.js), fuzzy matching for typos and an English→French fashion vocabulary, since the
 * shop's catalogue is written in French and its English customers write "floral dress". Search
 * hits are then weighed per field: the title's first word or the product type names a product
 * ("robe", "perfecto"); a colour or a tag alone does not ("en noir", "chic"), but breaks a tie.
 */
import { StemmerFr } from "@nlpjs/lang-fr";
import MiniSearch from "minisearch";
import type { CatalogueProduct, CatalogueVariant } from "~/plugins/types";
import { fold } from "./text";

export interface Span {
  start: number;
  end: number;
}

export interface WordToken extends Span {
  /** Folded (lowercase, no accents). */
  word: string;
}

/** Letter/digit runs of folded text, with their positions ("l'avez" → "l", "avez"). */
export function wordTokens(folded: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Customers' words for the catalogue's (French) words; each maps to terms of the index. */
const VOCABULARY: Record<string, readonly string[]> = {
  dress: ["robe"], dresses: ["robe"], gown: ["robe"],
  jacket: ["veste"], jackets: ["veste"], coat: ["veste", "manteau"], blazers: ["blazer"],
  trousers: ["pantalon"], pants: ["pantalon"], trouser: ["pantalon"], futal: ["pantalon"],
  jeans: ["jean"], denim: ["jean"],
  shirt: ["chemise"], shirts: ["chemise"], blouse: ["chemise"],
  sweater: ["pull"], jumper: ["pull"], jumpers: ["pull"], sweaters: ["pull"], pullover: ["pull"],
  earrings: ["boucles", "oreilles"], earring: ["boucles", "oreilles"],
  heels: ["escarpins"], pumps: ["escarpins"], shoes: ["chaussures"], shoe: ["chaussures"], talons: ["escarpins"],
  bag: ["sac"], handbag: ["sac"], purse: ["sac"], bags: ["sac"],
  trenchcoat: ["trench"],
  floral: ["fleurie"], flowery: ["fleurie"], flowers: ["fleurie"], fleur: ["fleurie"], fleurs: ["fleurie"],
  blue: ["bleu"], black: ["noir"], white: ["blanc"], grey: ["gris"], gray: ["gris"], gold: ["dore"], golden: ["dore"],
  burgundy: ["bordeaux"], bordeau: ["bordeaux"], red: ["rouge"], green: ["vert"], pink: ["rose"], brown: ["marron"],
  leather: ["cuir"], cashmere: ["cachemire"], linen: ["lin"], straight: ["droit"], raw: ["brut"],
  high: ["haute"], waisted: ["haute"], highwaisted: ["haute"],
  insta: ["instagram"], ig: ["instagram"],
};

/** Words that never name a product by themselves, even when a title contains them. */
const NOT_PRODUCT_WORDS = new Set(
  ("taille size pointure tu unique en de du des la le les un une et a au aux the of and in a an for my your mon ma mes ton ta " +
    "vous tu il elle avez as have has do does is are it dispo disponible available stock reste encore still left " +
    "svp stp please pls merci thanks bonjour hello hi salut coucou oui non yes no ok est c ce cette ces il y").split(" "),
);

const FIELD_WEIGHT = { head: 3, type: 2.5, title: 1.5, color: 1.5, tags: 0.6 } as const;
type Field = keyof typeof FIELD_WEIGHT;
/** A product is named when its evidence reaches this: its noun, or two of its attributes. */
const NAMED = 2.5;

export interface ProductHit {
  product: CatalogueProduct;
  score: number;
  matchedBy: "ref" | "title" | "search";
}

export interface CatalogueMatch {
  /** The product meant, or null when none is, or two are equally likely ("la robe" with two dresses). */
  best: ProductHit | null;
  /** Every product named, best first (several when the message is ambiguous). */
  named: ProductHit[];
  /** Where the message names a product (for the classifier's placeholder and quantities). */
  spans: Span[];
  /** The catalogue's product types the message names ("quelle veste …" → "Vestes"), in catalogue order. */
  types: string[];
}

interface IndexedDoc {
  id: string;
  head: string;
  title: string;
  type: string;
  color: string;
  tags: string;
}

export interface CatalogueIndex {
  match(folded: string, words: readonly WordToken[]): CatalogueMatch;
}

function refPattern(ref: string): RegExp | null {
  const m = fold(ref).match(/^([a-z]+)[\s_-]?(\d+)$/);
  if (!m) return null;
  // A reference is letters then digits ("RF-2847"): both are required, so "2847" alone stays an order.
  return new RegExp(`(?<![\\p{L}\\p{N}])${m[1]}[\\s_-]?${m[2]}(?![\\p{N}])`, "u");
}

export function createCatalogueIndex(catalogue: readonly CatalogueProduct[]): CatalogueIndex {
  const stemmer = new StemmerFr();
  const stemCache = new Map<string, string>();
  const stem = (word: string): string => {
    let s = stemCache.get(word);
    if (s === undefined) {
      s = word.length <= 3 ? word : stemmer.stem(word);
      stemCache.set(word, s);
    }
    return s;
  };
  const processTerm = (term: string): string | null => {
    const f = fold(term);
    return f.length < 2 || NOT_PRODUCT_WORDS.has(f) ? null : stem(f);
  };
  const search = new MiniSearch<IndexedDoc>({
    fields: ["head", "title", "type", "color", "tags"],
    idField: "id",
    processTerm,
    tokenize: (text) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean),
  });
  const byId = new Map(catalogue.map((p) => [p.id, p]));
  search.addAll(
    catalogue.map((p) => {
      const words = p.title.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      return {
        id: p.id,
        head: words[0] ?? "",
        title: words.slice(1).join(" "),
        type: p.productType,
        color: p.color ?? "",
        tags: p.tags.join(" "),
      };
    }),
  );
  const refs = catalogue
    .map((p) => ({ product: p, pattern: p.ref ? refPattern(p.ref) : null }))
    .filter((r): r is { product: CatalogueProduct; pattern: RegExp } => r.pattern !== null);

  const termHits = new Map<string, Array<{ id: string; field: Field; exact: boolean }>>();
  const hitsFor = (term: string): Array<{ id: string; field: Field; exact: boolean }> => {
    const cached = termHits.get(term);
    if (cached) return cached;
    const stemmed = processTerm(term);
    const out: Array<{ id: string; field: Field; exact: boolean }> = [];
    if (stemmed) {
      const results = search.search(term, { fuzzy: (t) => (t.length >= 7 ? 2 : t.length >= 5 ? 1 : false), prefix: false, combineWith: "OR" });
      for (const r of results) {
        for (const [docTerm, fields] of Object.entries(r.match)) {
          for (const field of fields) out.push({ id: String(r.id), field: field as Field, exact: docTerm === stemmed });
        }
      }
    }
    // Bounded: the vocabulary of messages is open-ended.
    if (termHits.size > 5000) termHits.clear();
    termHits.set(term, out);
    return out;
  };

  return {
    match(folded, words) {
      const scores = new Map<string, number>();
      const contributions = new Map<string, Span[]>();
      const spans: Span[] = [];
      const named: ProductHit[] = [];

      for (const { product, pattern } of refs) {
        const m = pattern.exec(folded);
        if (m) {
          named.push({ product, score: 10, matchedBy: "ref" });
          spans.push({ start: m.index, end: m.index + m[0].length });
        }
      }

      for (const token of words) {
        if (token.word.length < 3 || /^\d+$/.test(token.word) || NOT_PRODUCT_WORDS.has(token.word)) continue;
        // The word itself too: an English catalogue says "dress".
        const terms = [token.word, ...(VOCABULARY[token.word] ?? [])];
        const best = new Map<string, number>();
        for (const term of terms) {
          for (const hit of hitsFor(term)) {
            const w = FIELD_WEIGHT[hit.field] * (hit.exact ? 1 : 0.8);
            if (w > (best.get(hit.id) ?? 0)) best.set(hit.id, w);
          }
        }
        for (const [id, w] of best) {
          scores.set(id, (scores.get(id) ?? 0) + w);
          const list = contributions.get(id) ?? [];
          list.push({ start: token.start, end: token.end });
          contributions.set(id, list);
        }
      }

      const searched = [...scores.entries()]
        .filter(([, s]) => s >= NAMED)
        .sort((a, b) => b[1] - a[1])
        .map(([id, score]) => ({ product: byId.get(id), score }))
        .filter((h): h is { product: CatalogueProduct; score: number } => h.product !== undefined);
      for (const h of searched) {
        for (const s of contributions.get(h.product.id) ?? []) spans.push(s);
        if (!named.some((n) => n.product.id === h.product.id)) {
          const titleWords = fold(h.product.title).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2);
          const literal = titleWords.every((w) => words.some((t) => t.word === w));
          named.push({ product: h.product, score: h.score, matchedBy: literal ? "title" : "search" });
        }
      }

      // A kind of product asked about without naming one ("une veste pour aller avec") is a type hit.
      const typed = new Set<string>();
      for (const token of words) {
        if (token.word.length < 3 || NOT_PRODUCT_WORDS.has(token.word)) continue;
        for (const term of [token.word, ...(VOCABULARY[token.word] ?? [])]) {
          for (const hit of hitsFor(term)) if (hit.field === "type" && hit.exact) typed.add(hit.id);
        }
      }
      const types = [...new Set(catalogue.filter((p) => typed.has(p.id)).map((p) => p.productType))];

      const refHits = named.filter((n) => n.matchedBy === "ref");
      let best: ProductHit | null = null;
      if (refHits.length === 1) best = refHits[0] ?? null;
      else if (refHits.length === 0 && searched.length > 0) {
        const [first, second] = searched;
        if (first && (!second || first.score - second.score > 0.01)) best = named.find((n) => n.product.id === first.product.id) ?? null;
      }
      if (best && best.matchedBy !== "ref") best = { ...best, score: Math.min(1, best.score / 6) };
      if (best && best.matchedBy === "ref") best = { ...best, score: 1 };
      return { best, named, spans: mergeSpans(spans), types };
    },
  };
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end + 1) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

// ───────────────────────────── sizes ─────────────────────────────

const LETTER_SIZES: Record<string, string> = {
  xxs: "XXS", xs: "XS", s: "S", m: "M", l: "L", xl: "XL", xxl: "XXL",
  small: "S", medium: "M", large: "L", petit: "S", moyen: "M",
};

export interface SizeMention extends Span {
  size: string;
}

const NUMERIC_UNIT_AFTER = /^\s*(?:h\b|h\d|€|e\b|eur|euros?|%|min|mn|ans?\b|jours?|j\b|semaines?|mois|cm|mm|kg|m\b|fois|heures?|days?|weeks?|minutes?|hours?|ieme|eme|e\s|er\b|st\b|nd\b|rd\b|th\b|pieces?|paires?|pairs?|[.,:/]\d)/;
const NEGATED_BEFORE = /(?:\bpas|\bnot|\bnon)\s+(?:(?:du|le|la|en|un|une|in|a|the|size|taille)\s+)?$/;

/**
 * Size mentions in folded text, in order: "taille 38", "du 38", "en 38", "T38", "pointure 39",
 * "size 10", "in small", "en M", "taille unique", a bare "38". Numbers with a unit (19h, 79€, 2 jours)
 * and phone numbers are not sizes.
 */
export function sizeMentions(folded: string): SizeMention[] {
  const out: SizeMention[] = [];
  const taken: Span[] = [];
  const free = (s: number, e: number) => !taken.some((t) => s < t.end && e > t.start);
  const add = (size: string, start: number, end: number) => {
    if (!free(start, end)) return;
    taken.push({ start, end });
    out.push({ size, start, end });
  };
  // Phone numbers and long digit runs are never sizes.
  for (const m of folded.matchAll(/(?:\+?\d[\d .-]{7,}\d)/g)) taken.push({ start: m.index, end: m.index + m[0].length });
  for (const m of folded.matchAll(/#\s?\d+|\b(?:commande|cde|cmd|order|n°|no)\s*#?\s*\d{3,}/g)) taken.push({ start: m.index, end: m.index + m[0].length });

  for (const m of folded.matchAll(/\b(?:taille unique|one size|tu\b(?=\s*$|\s*[?!.,]))/g)) add("Taille unique", m.index, m.index + m[0].length);
  for (const m of folded.matchAll(/\b(?:taille|size|sz|pointure|t|eu|fr|uk)\s?:?\s?(\d{1,2})\b/g)) {
    const after = folded.slice(m.index + m[0].length);
    if (!NUMERIC_UNIT_AFTER.test(after) && m[1]) add(m[1], m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(/\b(?:en|du|un|une|le|la|in|in a|a|the|of|contre|pour|for|au|size|taille)\s+(\d{2})\b/g)) {
    const n = Number(m[1]);
    const after = folded.slice(m.index + m[0].length);
    if (n >= 32 && n <= 56 && !NUMERIC_UNIT_AFTER.test(after) && m[1]) add(m[1], m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(/\b(?:taille|size|en|du|un|une|in|in a|a|t|le|la|the|contre|pour|for|au|prends|take)\s+(xxs|xs|s|m|l|xl|xxl|small|medium|large)\b(?!['’-])/g)) {
    const word = m[1] ?? "";
    // "en large" is French for "widely"; only English writers say "large" for L without "size".
    if (word === "large" && /^(?:en)/.test(m[0])) continue;
    const size = LETTER_SIZES[word];
    if (size) add(size, m.index, m.index + m[0].length);
  }
  for (const m of folded.matchAll(/\b(small|medium)\b/g)) {
    const size = LETTER_SIZES[m[1] ?? ""];
    if (size) add(size, m.index, m.index + m[0].length);
  }
  // A bare European size ("38 ?", "jean 40"), not part of a longer number, a time or a price.
  for (const m of folded.matchAll(/(?<![\p{L}\p{N}#.,:/-])(3[2-9]|4[0-9]|5[0-4])(?![\p{N}])/gu)) {
    const after = folded.slice(m.index + m[0].length);
    if (!NUMERIC_UNIT_AFTER.test(after) && m[1]) add(m[1], m.index, m.index + m[0].length);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The size the customer wants among the mentions: after "contre/for" ("le 40 contre un 38"),
 * before "au lieu/instead", else the first one that is not negated ("du 38 pas du 36").
 */
export function chooseSize(folded: string, mentions: readonly SizeMention[]): SizeMention | null {
  if (mentions.length === 0) return null;
  if (mentions.length === 1) {
    const only = mentions[0] ?? null;
    return only && NEGATED_BEFORE.test(folded.slice(0, only.start)) ? null : only;
  }
  const target = mentions.find((m) => /\b(?:contre|for|pour|swap|into|en)\s*(?:un|une|du|le|la|a|the)?\s*(?:taille|size)?\s*$/.test(folded.slice(Math.max(0, m.start - 20), m.start)) && /\b(?:contre|for|au lieu|instead|echang|swap|change)/.test(folded.slice(0, m.start)));
  if (target) return target;
  const beforeInstead = mentions.find((m) => /^\s*(?:au lieu|instead|plutot|rather)/.test(folded.slice(m.end)));
  if (beforeInstead) return beforeInstead;
  return mentions.find((m) => !NEGATED_BEFORE.test(folded.slice(0, m.start))) ?? null;
}

function sizeKey(size: string): string {
  return fold(size).replace(/^(?:t|taille)\s?(?=\d)/, "").replace(/\s+/g, " ").trim();
}

/** The product's variant in the size, compared as the catalogue writes sizes ("T38" = "38"). */
export function variantForSize(product: CatalogueProduct, size: string): CatalogueVariant | null {
  const wanted = sizeKey(size);
  return product.variants.find((v) => v.size !== null && sizeKey(v.size) === wanted) ?? null;
}

// ───────────────────────────── quantities ─────────────────────────────

const NUMBER_WORDS: Record<string, number> = {
  deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  two: 2, three: 3, four: 4, five: 5, seven: 7, eight: 8, nine: 9, ten: 10,
};
const COUNTED = /^(?:paires?|pairs?|exemplaires?|articles?|pieces?|items?|units?|unites?|fois|of)$/;

/**
 * "2 robes", "deux paires de boucles", "3 jeans", "x2": a number directly before a product word
 * (or "paires", "exemplaires"). A bare "2" is not a quantity ("2 jours", "depuis 2 semaines").
 */
export function findQuantity(words: readonly WordToken[], productSpans: readonly Span[], folded: string): number | null {
  const x = folded.match(/(?:^|\s)x\s?(\d{1,2})\b|\b(\d{1,2})\s?x(?=\s|$)/);
  if (x) {
    const n = Number(x[1] ?? x[2]);
    if (n >= 1 && n <= 20) return n;
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w) continue;
    const n = /^\d{1,2}$/.test(w.word) ? Number(w.word) : NUMBER_WORDS[w.word];
    if (n === undefined || n < 1 || n > 20) continue;
    let j = i + 1;
    while (words[j] && /^(?:de|d|des|of|the|more|autres?|other)$/.test(words[j]?.word ?? "")) j++;
    const next = words[j];
    if (!next) continue;
    const isProduct = productSpans.some((s) => next.start >= s.start && next.start < s.end);
    if (isProduct || COUNTED.test(next.word)) return n;
  }
  return null;
}
