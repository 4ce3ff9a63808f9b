/**
 * Pieces of sentences the proactive wording, the override variables and the approved WhatsApp
 * templates share, so that the three always name an item, an order line or a parcel the same way.
 * Everything comes from the facts; a piece whose fact is missing is null.
 */
import type { ChannelKind, Language } from "~/conversation/contracts";
import { formatDay, formatNearDay, toInstant, type DateContext } from "~/conversation/reply/dates";
import { formatMoney, isFree, isOneSize } from "~/conversation/reply/format";
import { ofProduct, withArticle, type Agreement } from "~/conversation/reply/french";
import { fold } from "~/conversation/understand/text";
import type { ShopSettings } from "~/shops/settings";
import type { ProactiveOrderLine, ProactiveTemplateFacts } from "./facts";

export interface PhraseContext {
  language: Language;
  /** French "tu"; English ignores it. */
  tu: boolean;
  channel: ChannelKind;
  facts: ProactiveTemplateFacts;
  dates: DateContext;
}

/** The size worth saying: none for a one-size product. */
export function sizeOf(size: string | null | undefined): string | null {
  return size && !isOneSize(size) ? size.trim() : null;
}

export interface ItemWords {
  /** "la Robe Fleurie Bleue en 38" / "the Robe Fleurie Bleue in 38". */
  text: string;
  /** "de la Robe Fleurie Bleue en 38", "du Blazer Beige Élégant" / same as `text` in English. */
  of: string;
  agreement: Agreement | null;
}

/** A product (and its size) as a sentence names it; null without a title. */
export function itemWords(language: Language, title: string | null | undefined, size: string | null | undefined): ItemWords | null {
  const name = title?.trim();
  if (!name) return null;
  const s = sizeOf(size);
  // The catalogue's titles are French: their noun gives the number in English too ("the Escarpins Nude are").
  const { text, agreement } = withArticle(name);
  if (language === "en") {
    const en = `the ${name}${s ? ` in ${s}` : ""}`;
    return { text: en, of: en, agreement };
  }
  const where = s ? ` en ${s}` : "";
  return { text: `${text}${where}`, of: `${ofProduct(name)}${where}`, agreement };
}

/** "Robe Fleurie Bleue, taille 38" / "Robe Fleurie Bleue, size 38". */
export function itemLabel(language: Language, title: string, size: string | null | undefined): string {
  const s = sizeOf(size);
  return s ? `${title}, ${language === "fr" ? "taille" : "size"} ${s}` : title;
}

/** "1 x Robe Fleurie Bleue, taille 38 - 89 €", "2 x Pull, taille M - 59 € l'unité" / "… - €59 each". */
export function orderLineText(language: Language, line: ProactiveOrderLine, currency: string | null | undefined): string {
  const price = line.unitPrice === null || line.unitPrice === undefined || line.unitPrice === "" ? null : formatMoney(line.unitPrice, currency, language);
  const each = line.quantity > 1 ? (language === "fr" ? " l'unité" : " each") : "";
  // "x", not "×": the multiplication sign is not in the GSM-7 alphabet and would double an SMS's cost.
  return `${line.quantity} x ${itemLabel(language, line.title, line.size)}${price ? ` - ${price}${each}` : ""}`;
}

/** The order's lines in one run of text (WhatsApp template variables cannot hold a line break). */
export function orderLinesText(ctx: PhraseContext): string | null {
  const lines = ctx.facts.order?.lines ?? [];
  if (lines.length === 0) return null;
  return lines.map((l) => orderLineText(ctx.language, l, ctx.facts.currency)).join(" ; ");
}

export function orderTotal(ctx: PhraseContext): string | null {
  const total = ctx.facts.order?.total;
  return total === null || total === undefined || total === "" ? null : formatMoney(total, ctx.facts.currency, ctx.language);
}

/** The expected delivery day: "demain", "vendredi", "vendredi 23 janvier" / "tomorrow", "on Friday". */
export function deliveryDay(ctx: PhraseContext): string | null {
  const eta = toInstant(ctx.facts.order?.estimatedDeliveryAt, ctx.dates.timeZone);
  return eta ? formatNearDay(eta, ctx.dates) : null;
}

/** The expected delivery day as a date: "demain", "vendredi 16 janvier" (override variable). */
export function deliveryDate(ctx: PhraseContext): string | null {
  const eta = toInstant(ctx.facts.order?.estimatedDeliveryAt, ctx.dates.timeZone);
  return eta ? formatDay(eta, ctx.dates).text : null;
}

/**
 * The parcel in one sentence, from whatever the carrier told us: "Transporteur : Colissimo,
 * numéro de suivi : 6A12345678901, livraison prévue vendredi" / "Carrier: Colissimo, tracking
 * number: 6A12345678901, expected delivery on Friday". Null when nothing is known.
 */
export function shippingDetails(ctx: PhraseContext): string | null {
  const order = ctx.facts.order;
  const day = deliveryDay(ctx);
  const fr = ctx.language === "fr";
  const parts = [
    order?.carrier ? (fr ? `Transporteur : ${order.carrier}` : `Carrier: ${order.carrier}`) : null,
    order?.trackingNumber ? (fr ? `numéro de suivi : ${order.trackingNumber}` : `tracking number: ${order.trackingNumber}`) : null,
    day ? (fr ? `livraison prévue ${day}` : `expected delivery ${day}`) : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type ExchangeKind = "store" | "post" | "other";

/** The same classification as the reply's exchange options (labels from the engine or Shopify). */
function exchangeKind(label: string): ExchangeKind {
  if (/store|shop|boutique|magasin/i.test(label)) return "store";
  if (/post|courrier|mail|poste|colis/i.test(label)) return "post";
  return "other";
}

/** "Option 1 : échange en boutique (gratuit) ; Option 2 : échange par courrier (4,90 €)". */
export function exchangeOptionsText(ctx: PhraseContext): string | null {
  const options = ctx.facts.exchange?.options ?? [];
  if (options.length === 0) return null;
  const fr = ctx.language === "fr";
  return options
    .map((o) => {
      const kind = exchangeKind(o.label);
      const name = kind === "store" ? (fr ? "échange en boutique" : "exchange in store") : kind === "post" ? (fr ? "échange par courrier" : "exchange by post") : o.label;
      const fee = isFree(o.fee) ? (fr ? "gratuit" : "free") : formatMoney(o.fee ?? "0", ctx.facts.currency, ctx.language);
      return `Option ${o.id}${fr ? " :" : ":"} ${name} (${fee})`;
    })
    .join(" ; ");
}

/**
 * Who signs a proactive message. A customer who did not write first must see which shop it is:
 * the tone's signature when it names the shop, "Sarah - Élégance Paris" when it does not, the
 * shop's name when there is none.
 */
export function proactiveSignature(tone: ShopSettings["tone"], shopName: string): string {
  const signature = tone.signature?.trim();
  if (!signature) return shopName;
  return fold(signature).includes(fold(shopName)) ? signature : `${signature} - ${shopName}`;
}
