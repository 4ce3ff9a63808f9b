/**
 * Step 1 — understand (DESIGN §5): language, intent and entities of one customer message, linked
 * to the shop's catalogue, with no external AI. Pure once created: the catalogue, the time and the
 * shop's time zone come in the context; nothing is looked up.
 *
 * `createUnderstander()` trains the intent classifier on our own utterances (training/) when it is
 * created — about 0.3 s on this machine — and keeps it, with one search index per catalogue array, for the
 * process's life: services create one understander per process and pass it to the engine.
 */
import { StemmerEn } from "@nlpjs/lang-en-min";
import { StemmerFr } from "@nlpjs/lang-fr";
import type { CatalogueProduct } from "~/plugins/types";
import type { Language, PendingProposal, ProductMention, UnderstandContext, Understanding, VariantMention } from "../contracts";
import type { Intent } from "../record";
import { chooseSize, createCatalogueIndex, findQuantity, sizeMentions, variantForSize, wordTokens, type CatalogueIndex, type CatalogueMatch, type Span } from "./catalogue";
import { loadIntentClassifier, trainIntentClassifier, type Example, type IntentClassifier, type IntentClassifierJson, type IntentScore } from "./classifier";
import { cleanText } from "./clean-text";
import { createDateReader, insists, urgencyOf, type DateFindings } from "./dates";
import { findCustomerName, findOrderName, findTracking, nameFromSignature } from "./entities";
import { keywordOf } from "./keywords";
import { createLanguageDetector } from "./language";
import { answerPending } from "./pending";
import { sentimentOf } from "./sentiment";
import { fold } from "./text";
import { EN } from "./training/en";
import { FR } from "./training/fr";

export type { Understanding, UnderstandContext } from "../contracts";

export interface Understander {
  understand(text: string, ctx: UnderstandContext): Understanding;
  /** The trained classifier, to save or share it (training at start takes ~0.3 s, so none is committed). */
  model(): IntentClassifierJson;
  /** What the classifier sees of a message (stems and placeholders), for the eval script and tests. */
  features(text: string, ctx: UnderstandContext): string[];
}

export interface UnderstanderOptions {
  /** A classifier trained before (its JSON); by default one is trained on training/ now. */
  model?: IntentClassifierJson;
  /** Replaces the built-in training utterances (tests). */
  training?: Partial<Record<Language, Partial<Record<Intent, readonly string[]>>>>;
}

const PRODUCT_PLACEHOLDER = "xproduct";

/** SMS shorthand and English texting, folded, to the words the training utterances use. */
const SHORTHAND: Record<string, string[]> = {
  vs: ["vous"], ds: ["dans"], pr: ["pour"], tjs: ["toujours"], tjrs: ["toujours"], bcp: ["beaucoup"], qd: ["quand"],
  jpasse: ["je", "passe"], jviens: ["je", "viens"], jveux: ["je", "veux"], jsp: ["je", "sais", "pas"], chui: ["je", "suis"],
  slt: ["salut"], bjr: ["bonjour"], bsr: ["bonsoir"], cc: ["coucou"], mrc: ["merci"], mci: ["merci"], nn: ["non"], ouii: ["oui"], ouais: ["oui"],
  pk: ["pourquoi"], pq: ["pourquoi"], tt: ["tout"], rdv: ["rendez", "vous"], resa: ["reservation"], aprem: ["apres", "midi"], dac: ["d", "accord"],
  u: ["you"], ur: ["your"], pls: ["please"], plz: ["please"], thx: ["thanks"], ty: ["thank", "you"], hav: ["have"], r: ["are"], im: ["i", "m"],
  wanna: ["want", "to"], gonna: ["going", "to"], idk: ["i", "don", "t", "know"], asap: ["urgent"],
};

interface Analysis {
  language: Language;
  languageConfidence: number;
  cleaned: string;
  signatureName: string | null;
  folded: string;
  match: CatalogueMatch;
  requestedSize: string | null;
  chosenSizeSpan: Span | null;
  sizeSpans: Span[];
  quantity: number | null;
  orderName: string | null;
  orderSpan: Span | null;
  tracking: string | null;
  trackingSpan: Span | null;
  dates: DateFindings;
  features: string[];
  /** The whole cleaned text (`cleaned` is its first MAX_ANALYSED characters). */
  full: string;
}

const MAX_ANALYSED = 2000;

export function createUnderstander(options: UnderstanderOptions = {}): Understander {
  const detector = createLanguageDetector();
  const dateReader = createDateReader();
  const stemmers = { fr: new StemmerFr(), en: new StemmerEn() };
  const stemCache = { fr: new Map<string, string>(), en: new Map<string, string>() };
  const indexes = new WeakMap<readonly CatalogueProduct[], CatalogueIndex>();
  const emptyIndex = createCatalogueIndex([]);

  const indexFor = (catalogue: readonly CatalogueProduct[]): CatalogueIndex => {
    let index = indexes.get(catalogue);
    if (!index) {
      index = createCatalogueIndex(catalogue);
      indexes.set(catalogue, index);
    }
    return index;
  };

  const stem = (word: string, language: Language): string => {
    const cache = stemCache[language];
    let s = cache.get(word);
    if (s === undefined) {
      s = /^\d+$/.test(word) ? "xnumber" : word.length <= 2 || word.length > 30 ? word : stemmers[language].stem(word);
      if (cache.size > 20_000) cache.clear();
      cache.set(word, s);
    }
    return s;
  };

  function featuresOf(folded: string, replaced: Array<Span & { label: string }>, language: Language, hasQuestion: boolean): string[] {
    let text = folded;
    for (const r of [...replaced].sort((a, b) => b.start - a.start)) {
      text = `${text.slice(0, r.start)} ${r.label} ${text.slice(r.end)}`;
    }
    const out = new Set<string>();
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      // "ouiii", "merciii": a letter said three times is said once.
      const word = m[0].replace(/(\p{L})\1{2,}/gu, "$1");
      for (const w of SHORTHAND[word] ?? [word]) {
        out.add(w.startsWith("x") && /^x(?:product|size|order|tracking|time|number)$/.test(w) ? w : stem(w, language));
      }
    }
    if (hasQuestion) out.add("xq");
    return [...out];
  }

  /** `trainingLanguage`: a training utterance, whose language is known and whose `{product}` is a placeholder. */
  function analyse(text: string, ctx: Pick<UnderstandContext, "shopLanguage" | "now" | "timeZone" | "channel">, index: CatalogueIndex, trainingLanguage?: Language): Analysis {
    const { text: full, signatureName } = cleanText(text, ctx.channel);
    // What a customer asks is in the first lines: a pasted 20-page email is not read to its end.
    const cleaned = full.length > MAX_ANALYSED ? full.slice(0, MAX_ANALYSED) : full;
    const detected = trainingLanguage ? { language: trainingLanguage, confidence: 1 } : detector.detect(cleaned, ctx.shopLanguage);
    const { language, confidence: languageConfidence } = detected;
    const folded = fold(cleaned);
    const words = wordTokens(folded);
    const match = index.match(folded, words);
    const spans: Array<Span & { label: string }> = match.spans.map((s) => ({ ...s, label: PRODUCT_PLACEHOLDER }));
    if (trainingLanguage) {
      for (const m of folded.matchAll(/\{product\}/g)) spans.push({ start: m.index, end: m.index + m[0].length, label: PRODUCT_PLACEHOLDER });
    }
    const overlaps = (a: Span) => spans.some((b) => a.start < b.end && a.end > b.start);

    const tracking = findTracking(folded);
    if (tracking) spans.push({ start: tracking.start, end: tracking.end, label: "xtracking" });
    const order = findOrderName(tracking ? folded.slice(0, tracking.start) + " ".repeat(tracking.end - tracking.start) + folded.slice(tracking.end) : folded);
    const orderOk = order && !overlaps(order) ? order : null;
    if (orderOk) spans.push({ start: orderOk.start, end: orderOk.end, label: "xorder" });

    const mentions = sizeMentions(folded).filter((m) => !overlaps(m));
    for (const m of mentions) spans.push({ start: m.start, end: m.end, label: "xsize" });
    const chosen = chooseSize(folded, mentions);

    const dates = dateReader.read(cleaned, language, ctx.now, ctx.timeZone);
    for (const t of dates.texts) {
      const at = folded.indexOf(t);
      if (at >= 0 && t.length > 0 && !overlaps({ start: at, end: at + t.length })) spans.push({ start: at, end: at + t.length, label: "xtime" });
    }

    return {
      language,
      languageConfidence,
      cleaned,
      signatureName,
      folded,
      match,
      requestedSize: chosen?.size ?? null,
      chosenSizeSpan: chosen,
      sizeSpans: mentions,
      quantity: findQuantity(words, match.spans, folded),
      orderName: orderOk?.value ?? null,
      orderSpan: orderOk,
      tracking: tracking?.value ?? null,
      trackingSpan: tracking,
      dates,
      features: featuresOf(folded, spans, language, cleaned.includes("?")),
      full,
    };
  }

  const classifier: IntentClassifier = options.model
    ? loadIntentClassifier(options.model)
    : (() => {
        const training = options.training ?? { fr: FR, en: EN };
        const examples: Example[] = [];
        const trainingContext = { shopLanguage: "fr" as Language, now: new Date(Date.UTC(2026, 0, 12, 9)), timeZone: "Europe/Paris", channel: "sms" as const };
        for (const language of ["fr", "en"] as const) {
          for (const [intent, utterances] of Object.entries(training[language] ?? {})) {
            for (const utterance of utterances ?? []) {
              // The utterance's own language decides its stems, whatever the detector thinks of three words.
              const a = analyse(utterance, trainingContext, emptyIndex, language);
              examples.push({ features: a.features, intent: intent as Intent });
            }
          }
        }
        return trainIntentClassifier(examples);
      })();

  function productMention(hit: CatalogueMatch["best"]): ProductMention | null {
    if (!hit) return null;
    return { id: hit.product.id, ref: hit.product.ref, title: hit.product.title, matchedBy: hit.matchedBy, score: Math.round(hit.score * 100) / 100 };
  }

  function pendingProduct(pending: PendingProposal | null | undefined, catalogue: readonly CatalogueProduct[]): CatalogueProduct | null {
    if (!pending || (pending.kind !== "hold" && pending.kind !== "size")) return null;
    return catalogue.find((p) => p.id === pending.productId) ?? null;
  }

  return {
    model: () => classifier.toJSON(),
    features: (text, ctx) => analyse(text, ctx, indexFor(ctx.catalogue)).features,
    understand(text, ctx) {
      const index = indexFor(ctx.catalogue);
      const a = analyse(text, ctx, index);
      const subject = ctx.channel === "email" && ctx.subject ? ctx.subject.replace(/^\s*(?:(?:re|fwd?|tr|aw|wg)\s?:\s*)+/i, "").trim() : "";
      const s = subject ? analyse(subject, { ...ctx, channel: "sms" }, index) : null;

      // ── keywords win over everything ──
      const keyword = keywordOf(a.cleaned) ?? (a.cleaned.trim() === "" && subject ? keywordOf(subject) : null);

      // ── intent ──
      let scores: IntentScore[] = classifier.classify(a.features);
      const bodyIsThin = a.match.named.length === 0 && !a.orderName && !a.requestedSize && !a.tracking;
      if (s && bodyIsThin && (s.match.named.length > 0 || s.orderName || s.requestedSize)) {
        // "Tout est dans l'objet": the subject says what the body does not.
        const top = scores[0];
        if (!top || top.score < 0.6 || top.intent === "greeting" || top.intent === "other") {
          scores = classifier.classify([...new Set([...s.features, ...a.features])]);
        }
      }
      let intent: Intent = scores[0]?.intent ?? "other";
      let confidence = scores[0]?.score ?? 0.2;
      let choice: number | null = null;

      if (a.tracking && a.folded.replace(/[^\p{L}\p{N}]/gu, "").length <= a.tracking.length + 12 && intent !== "complaint") {
        intent = "order_status";
        confidence = Math.max(confidence, 0.8);
      }

      const answer = ctx.pending && !keyword ? answerPending(a.cleaned, ctx.pending) : null;
      if (answer) {
        choice = answer.choice;
        if (answer.intent && !(answer.intent === "confirm" && intent === "reservation_cancel")) {
          intent = answer.intent;
          confidence = Math.max(confidence, 0.9);
        }
      } else if (ctx.pending?.kind === "size" && a.requestedSize && a.folded.split(/\s+/).length <= 6) {
        intent = "product_availability";
        confidence = Math.max(confidence, 0.85);
      } else if (ctx.pending?.kind === "identity" && (intent === "other" || intent === "greeting" || confidence < 0.5)) {
        intent = "order_status";
        confidence = Math.max(confidence, 0.6);
      }

      if (keyword === "stop") {
        intent = "opt_out";
        confidence = 1;
      } else if (keyword === "start" || keyword === "help") {
        intent = "other";
        confidence = 1;
      }

      // ── entities ──
      let hit = a.match.best;
      let sizeSource = a;
      if (!hit && a.match.named.length === 0 && s?.match.best) {
        hit = s.match.best;
        if (!a.requestedSize) sizeSource = s;
      }
      let product = hit?.product ?? null;
      if (!product && a.match.named.length === 0) {
        const fromPending = pendingProduct(ctx.pending, ctx.catalogue);
        if (fromPending) {
          product = fromPending;
          hit = { product: fromPending, score: 1, matchedBy: "search" };
        }
      }
      const size = sizeSource.requestedSize;
      const sized = product && size ? variantForSize(product, size) : null;
      const only = product && !size && product.variants.length === 1 ? (product.variants[0] ?? null) : null;
      const variant = sized ?? only;
      const variantMention: VariantMention | null = variant ? { id: variant.id, size: variant.size, sku: variant.sku } : null;

      const insisting = insists(a.cleaned);
      const alternatives = scores
        .filter((x) => x.intent !== intent)
        .slice(0, 3)
        .map((x) => ({ intent: x.intent, score: Math.round(x.score * 1000) / 1000 }));

      return {
        language: a.language,
        intent,
        confidence: Math.round(confidence * 1000) / 1000,
        alternatives,
        product: productMention(hit && product ? hit : null),
        productTypes: [...new Set([...a.match.types, ...(s?.match.types ?? [])])],
        requestedSize: sized?.size ?? size ?? null,
        variant: variantMention,
        quantity: a.quantity,
        orderName: a.orderName ?? s?.orderName ?? null,
        trackingNumber: a.tracking ?? s?.tracking ?? null,
        visitAt: a.dates.visitAt,
        event: a.dates.event,
        urgency: urgencyOf(a.dates.event, ctx.now, ctx.timeZone, insisting),
        sentiment: sentimentOf(a.cleaned, insisting),
        customerName: findCustomerName(a.cleaned) ?? nameFromSignature(a.signatureName),
        choice,
        keyword,
        cleanText: a.full,
      };
    },
  };
}
