/**
 * Step 1 — understand: language, intent and entities of one customer message, linked to the
 * shop's catalogue. Pure: the catalogue is given, nothing is looked up here.
 */
import type { CatalogueProduct } from "~/plugins/types";
import type { Intent } from "../record";
import { findProduct, findRequestedSize, variantForSize } from "./catalogue";
import { detectLanguage, type Language } from "./language";
import { fold } from "./text";

export interface Understanding {
  language: Language;
  intent: Intent;
  confidence: number;
  product: { id: string; ref: string | null; title: string; matchedBy: "ref" | "title"; score: number } | null;
  /** The size asked for, as normalised from the message. */
  requestedSize: string | null;
  /** The catalogue variant for that size, when the product has it. */
  variant: { id: string; size: string | null; sku: string | null } | null;
}

const AVAILABILITY_CUES =
  /\b(avez|as|auriez|aurais|dispo|disponible|disponibles|stock|reste|restent|existe|have|got|available|left|stock|carry|do you)\b|\?/;
const GREETING_ONLY = /^(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (morning|afternoon|evening))[\s!.,😊🙂👋]*$/u;

export function understand(
  text: string,
  context: { catalogue: readonly CatalogueProduct[]; shopLanguage: Language },
): Understanding {
  const { language } = detectLanguage(text, context.shopLanguage);
  const match = findProduct(text, context.catalogue);
  const requestedSize = findRequestedSize(text);
  const variant = match && requestedSize ? variantForSize(match.product, requestedSize) : null;
  const singleVariant =
    match && !requestedSize && match.product.variants.length === 1 ? (match.product.variants[0] ?? null) : null;
  const folded = fold(text).trim();

  let intent: Intent = "other";
  let confidence = 0.3;
  if ((match || requestedSize) && AVAILABILITY_CUES.test(folded)) {
    intent = "product_availability";
    confidence = match ? 0.6 + 0.4 * match.score * (requestedSize ? 1 : 0.8) : 0.5;
  } else if (GREETING_ONLY.test(folded)) {
    intent = "greeting";
    confidence = 0.9;
  }

  const chosen = variant ?? singleVariant;
  return {
    language,
    intent,
    confidence: Math.round(confidence * 100) / 100,
    product: match
      ? { id: match.product.id, ref: match.product.ref, title: match.product.title, matchedBy: match.matchedBy, score: match.score }
      : null,
    requestedSize,
    variant: chosen ? { id: chosen.id, size: chosen.size, sku: chosen.sku } : null,
  };
}
