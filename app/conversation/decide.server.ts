/**
 * Step 2 — decide: from what was understood, what to look up, what to do and how to answer.
 * Pure and table-tested (decide.server.test.ts): no I/O, no clock.
 */
import type { Understanding } from "./understand";

export type LookupRequest =
  | { tool: "inventory.availability"; variantIds: string[] };

export type ReplyTemplateId =
  | "availability.variant"
  | "availability.product"
  | "availability.size_not_offered"
  | "ask.product"
  | "greeting"
  | "handoff";

export interface Decision {
  kind: "answer" | "ask" | "escalate";
  reason: string;
  lookups: LookupRequest[];
  template: ReplyTemplateId;
  /** The conversation goes to the merchant's "Needs you" list. */
  escalate: boolean;
}

/** Below this, the engine does not answer on its own (DESIGN §5: low confidence escalates). */
export const MIN_CONFIDENCE = 0.5;

export function decide(
  understanding: Understanding,
  context: { productVariantIds: (productId: string) => string[] },
): Decision {
  const { intent, product, variant, requestedSize } = understanding;

  if (intent === "greeting") {
    return { kind: "answer", reason: "greeting", lookups: [], template: "greeting", escalate: false };
  }

  if (intent === "product_availability" && understanding.confidence >= MIN_CONFIDENCE) {
    if (product && variant) {
      return {
        kind: "answer",
        reason: "availability of one variant",
        // Every size, so that an out-of-stock answer can offer the sizes that remain.
        lookups: [{ tool: "inventory.availability", variantIds: context.productVariantIds(product.id) }],
        template: "availability.variant",
        escalate: false,
      };
    }
    if (product) {
      return {
        kind: "answer",
        reason: requestedSize ? `size ${requestedSize} is not offered for this product` : "availability of every size",
        lookups: [{ tool: "inventory.availability", variantIds: context.productVariantIds(product.id) }],
        template: requestedSize ? "availability.size_not_offered" : "availability.product",
        escalate: false,
      };
    }
    return { kind: "ask", reason: "product not identified", lookups: [], template: "ask.product", escalate: false };
  }

  return {
    kind: "escalate",
    reason:
      intent === "other" || intent === "product_availability"
        ? `not understood well enough to answer alone (confidence ${understanding.confidence})`
        : `intent ${intent} is handled by the merchant`,
    lookups: [],
    template: "handoff",
    escalate: true,
  };
}
