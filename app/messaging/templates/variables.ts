/**
 * The variables of the proactive templates: what a shop's override may write as `{{variable}}`,
 * and what fills the positional variables of the approved WhatsApp templates. The reply's
 * variables (~/conversation/reply/variables.ts) keep their names and meanings; the new ones are
 * described below. A reused reply template keeps exactly the reply's variables, since its override
 * is filled by the reply renderer. Values come from the facts only, formatted in the customer's
 * language and the shop's time zone; null when the facts do not have them.
 */
import { TEMPLATE_VARIABLES, VARIABLE_DESCRIPTIONS } from "~/conversation/reply";
import { formatMoment, formatWeekHours, toInstant, until, untilDay } from "~/conversation/reply/dates";
import { formatMoney, formatPhone, inSize, isFree } from "~/conversation/reply/format";
import { withArticle } from "~/conversation/reply/french";
import { REUSED_REPLY_TEMPLATES, type OwnProactiveTemplateId, type ProactiveTemplateId } from "./catalogue";
import { deliveryDate, exchangeOptionsText, itemLabel, itemWords, orderLinesText, orderTotal, shippingDetails, sizeOf, type PhraseContext } from "./phrases";

export const PROACTIVE_VARIABLE_DESCRIPTIONS = {
  ...VARIABLE_DESCRIPTIONS,
  item: 'The product with its article and size: "la Robe Fleurie Bleue en 38" / "the Robe Fleurie Bleue in 38".',
  ofItem: 'The same after "réservation": "de la Robe Fleurie Bleue en 38", "du Blazer Beige" / "the Robe Fleurie Bleue in 38".',
  itemLabel: 'The product and its size as a label: "Robe Fleurie Bleue, taille 38".',
  holdDeadline: 'When the hold ends, with its preposition: "jusqu\'à demain 18h" / "until tomorrow at 6 pm".',
  orderLines: 'The order\'s lines: "1 x Robe Fleurie Bleue, taille 38 - 89 €", separated by " ; ".',
  orderTotal: 'The order\'s total: "89 €" / "€89".',
  shippingDetails: 'Carrier, tracking number and expected day in one sentence: "Transporteur : Colissimo, numéro de suivi : 6A12345678901, livraison prévue vendredi".',
  exchangeOptions: 'The ways to exchange: "Option 1 : échange en boutique (gratuit) ; Option 2 : échange par courrier (4,90 €)".',
  text: "A broadcast's text, as the merchant wrote it.",
} as const;

export type ProactiveVariable = keyof typeof PROACTIVE_VARIABLE_DESCRIPTIONS;

const COMMON = ["firstName", "shopName"] as const;
const HELD = ["product", "productTitle", "size", "item", "ofItem", "itemLabel"] as const;

const OWN_VARIABLES: Readonly<Record<OwnProactiveTemplateId, readonly ProactiveVariable[]>> = {
  "reminder.pickup": [...COMMON, ...HELD, "holdUntil", "holdDeadline", "address", "hours"],
  "hold.expiring": [...COMMON, ...HELD, "holdUntil", "holdDeadline", "address", "hours"],
  "hold.expired": [...COMMON, ...HELD],
  "order.thank_you": [...COMMON, "orderName", "orderLines", "orderTotal"],
  "order.follow_up": [...COMMON, "orderName", "product", "productTitle"],
  "back_in_stock.available": [...COMMON, ...HELD, "price", "address", "hours"],
  "shipping.update": [...COMMON, "orderName", "carrier", "trackingNumber", "trackingUrl", "deliveryDate", "shippingDetails"],
  "broadcast.custom": [...COMMON, "text"],
};

/** Per template, the variables an override may use. */
export const PROACTIVE_TEMPLATE_VARIABLES: Readonly<Record<ProactiveTemplateId, readonly ProactiveVariable[]>> = {
  ...OWN_VARIABLES,
  "hold.confirmed": TEMPLATE_VARIABLES[REUSED_REPLY_TEMPLATES["hold.confirmed"]],
  "exchange.instructions": TEMPLATE_VARIABLES[REUSED_REPLY_TEMPLATES["exchange.instructions"]],
  "return.instructions": TEMPLATE_VARIABLES[REUSED_REPLY_TEMPLATES["return.instructions"]],
  "opt_out.confirmed": TEMPLATE_VARIABLES[REUSED_REPLY_TEMPLATES["opt_out.confirmed"]],
  help: TEMPLATE_VARIABLES[REUSED_REPLY_TEMPLATES.help],
};

export interface VariableContext extends PhraseContext {
  template: ProactiveTemplateId;
}

/** The product a template is about: the held one for holds, else the product, else an order's only line. */
function subject(ctx: VariableContext): { title: string | null; size: string | null } {
  const f = ctx.facts;
  if (ctx.template.startsWith("hold.") || ctx.template === "reminder.pickup") return { title: f.hold?.productTitle ?? null, size: f.hold?.size ?? null };
  if (f.product) return { title: f.product.title, size: f.product.size };
  const lines = f.order?.lines ?? [];
  const only = lines.length === 1 ? lines[0] : undefined;
  return { title: only?.title ?? null, size: only?.size ?? null };
}

/** Every variable's value for this message (whichever the template lists); null when the facts do not have it. */
export function proactiveVariableValues(ctx: VariableContext): Record<ProactiveVariable, string | null> {
  const f = ctx.facts;
  const lang = ctx.language;
  const { title, size } = subject(ctx);
  const item = itemWords(lang, title, size);
  const expires = toInstant(f.hold?.expiresAt, ctx.dates.timeZone);
  const reminder = toInstant(f.hold?.reminderAt, ctx.dates.timeZone);
  const deadline = toInstant(f.returnPolicy?.deadline, ctx.dates.timeZone);
  const order = f.order ?? null;
  const store = f.store ?? null;
  const fee = (kind: "store" | "post") => {
    const option = f.exchange?.options.find((o) => (kind === "store" ? /store|shop|boutique|magasin/i : /post|courrier|mail|poste|colis/i).test(o.label));
    if (!option) return null;
    return isFree(option.fee) ? (lang === "fr" ? "gratuit" : "free") : formatMoney(option.fee ?? "0", f.currency, lang);
  };
  const values: Record<ProactiveVariable, string | null> = {
    firstName: f.firstName,
    shopName: f.shopName,
    product: title ? (lang === "fr" ? withArticle(title).text : `the ${title}`) : null,
    productTitle: title,
    size: sizeOf(size) ? inSize(size, lang) : null,
    available: null,
    sizes: null,
    price: f.product?.price ? formatMoney(f.product.price, f.currency, lang) : null,
    holdUntil: expires ? formatMoment(expires, ctx.dates) : null,
    reminderAt: reminder ? formatMoment(reminder, ctx.dates) : null,
    orderName: order?.name ?? f.exchange?.orderName ?? null,
    carrier: order?.carrier ?? null,
    trackingNumber: order?.trackingNumber ?? null,
    trackingUrl: order?.trackingUrl && /^https?:\/\//i.test(order.trackingUrl) ? order.trackingUrl : null,
    deliveryDate: deliveryDate(ctx),
    deliveredOn: null,
    event: null,
    exchangeFrom: f.exchange?.from ?? null,
    exchangeTo: f.exchange?.to ?? null,
    storeFee: fee("store"),
    postFee: fee("post"),
    returnDays: f.returnPolicy ? String(f.returnPolicy.windowDays) : null,
    returnDeadline: deadline ? untilDay(deadline, ctx.dates).replace(/^(jusqu'à |jusqu'au |until )/, "") : null,
    address: store?.address ?? null,
    phone: store?.phone ? formatPhone(store.phone, lang) : null,
    hours: store?.hours ? formatWeekHours(store.hours, lang) : null,
    dayHours: null,
    item: item?.text ?? null,
    ofItem: item?.of ?? null,
    itemLabel: title ? itemLabel(lang, title, size) : null,
    holdDeadline: expires ? until(expires, ctx.dates) : null,
    orderLines: orderLinesText(ctx),
    orderTotal: orderTotal(ctx),
    shippingDetails: shippingDetails(ctx),
    exchangeOptions: exchangeOptionsText(ctx),
    text: f.text?.trim() ? f.text.trim() : null,
  };
  return values;
}
