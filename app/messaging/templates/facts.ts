/**
 * What a proactive message may say. Only these facts — from our rows, Shopify and the carrier, as
 * the scheduler gathered them — ever reach the wording, and the rendered text is grounding-checked
 * against them (~/conversation/reply/grounding.ts). Every field but the shop's name may be missing:
 * the template then says less, it never guesses. Dates are ISO 8601 instants.
 */
import type { ReplyFacts } from "~/conversation/contracts";

export interface ProactiveOrderLine {
  title: string;
  /** The variant's size ("38", "M"); null or "Taille unique" for a one-size product. */
  size: string | null;
  quantity: number;
  /** The price of one unit, as Shopify gives it ("89.00"). */
  unitPrice?: string | null;
}

export interface ProactiveTemplateFacts {
  shopName: string;
  firstName: string | null;
  /** ISO 4217 of every amount below (EUR when absent). */
  currency?: string | null;
  /** A held item (hold templates). */
  hold?: { productTitle: string; size: string | null; expiresAt: string | null; reminderAt?: string | null } | null;
  /** The product a back-in-stock alert or a follow-up is about. */
  product?: { title: string; size: string | null; price?: string | null } | null;
  order?: {
    name: string;
    lines?: ProactiveOrderLine[] | null;
    total?: string | null;
    carrier?: string | null;
    trackingNumber?: string | null;
    trackingUrl?: string | null;
    estimatedDeliveryAt?: string | null;
  } | null;
  exchange?: ReplyFacts["exchange"];
  returnPolicy?: ReplyFacts["returnPolicy"];
  store?: ReplyFacts["store"];
  /** A broadcast's text, written by the merchant. */
  text?: string | null;
}

/** The same facts as the reply templates read them, for the templates they share. */
export function toReplyFacts(facts: ProactiveTemplateFacts): ReplyFacts {
  const hold = facts.hold;
  const order = facts.order;
  return {
    firstName: facts.firstName,
    shopName: facts.shopName,
    productTitle: facts.product?.title ?? hold?.productTitle ?? null,
    requestedSize: facts.product?.size ?? null,
    requested: null,
    sizes: [],
    price: facts.product?.price ?? null,
    currency: facts.currency ?? null,
    // A hold without an end cannot be confirmed with its deadline: the reply then says less.
    hold: hold?.expiresAt ? { productTitle: hold.productTitle, size: hold.size, expiresAt: hold.expiresAt, reminderAt: hold.reminderAt ?? null } : null,
    order: order
      ? {
          name: order.name,
          status: "",
          carrier: order.carrier ?? null,
          trackingNumber: order.trackingNumber ?? null,
          trackingUrl: order.trackingUrl ?? null,
          estimatedDeliveryAt: order.estimatedDeliveryAt ?? null,
          deliveredAt: null,
          lastEvent: null,
        }
      : null,
    exchange: facts.exchange ?? null,
    returnPolicy: facts.returnPolicy ?? null,
    store: facts.store ?? null,
    event: null,
  };
}
