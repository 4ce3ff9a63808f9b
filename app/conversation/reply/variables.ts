/**
 * The variables a shop's override of a template may use ("Oui ! {{product}} est dispo {{size}} 😍"),
 * per template, and their values for one reply — already formatted in the customer's language, the
 * shop's tone and time zone, from the reply's facts only. A template gets only the variables its
 * facts can fill: `order.verify_identity` has no order variable, so an override cannot leak one.
 */
import type { ReplyTemplateId } from "../contracts";
import { formatDay, formatMoment, formatNearDay, formatOpenHours, formatRange, formatWeekHours, toInstant, untilDay } from "./dates";
import { formatMoney, formatPhone, inSize, isFree, isOneSize, sizeList } from "./format";
import { withArticle, yourEvent } from "./french";
import { orderState, type TemplateContext } from "./templates";

export const VARIABLE_DESCRIPTIONS = {
  firstName: "The customer's first name, when known (Julie).",
  shopName: "The shop's name.",
  product: 'The product with its article: "la Robe Fleurie Bleue" / "the Robe Fleurie Bleue".',
  productTitle: "The product's title as in the catalogue.",
  size: 'The size asked for, with its preposition: "en 38" / "in 38".',
  available: "Units left in that size.",
  sizes: 'Sizes in stock: "36, 38 et 40".',
  price: 'The price: "89 €" / "€89".',
  holdUntil: 'When the hold ends: "demain 18h" / "tomorrow at 6 pm".',
  reminderAt: "When the pickup reminder is sent.",
  orderName: 'The order number: "#2901".',
  carrier: "The carrier (Colissimo).",
  trackingNumber: "The parcel's tracking number.",
  trackingUrl: "The carrier's tracking page.",
  deliveryDate: 'The expected delivery day: "demain" / "vendredi 16 janvier".',
  deliveredOn: "The day the order was delivered.",
  event: 'The customer\'s event: "ton mariage samedi".',
  exchangeFrom: "The item sent back.",
  exchangeTo: "The item wanted instead.",
  storeFee: 'What exchanging in the shop costs ("gratuit" / "free" when nothing).',
  postFee: "What exchanging by post costs.",
  returnDays: "The return window in days.",
  returnDeadline: 'The last day to return the order: "dimanche 8 février".',
  address: "The shop's address.",
  phone: "The shop's phone number.",
  hours: 'The week\'s opening hours: "ouverte du lundi au samedi de 10h à 19h, fermée le dimanche".',
  dayHours: "The opening hours of the day asked about.",
} as const;

export type TemplateVariable = keyof typeof VARIABLE_DESCRIPTIONS;

const COMMON: readonly TemplateVariable[] = ["firstName", "shopName"];
const PRODUCT: readonly TemplateVariable[] = ["product", "productTitle", "size", "available", "sizes", "price"];
const HOLD: readonly TemplateVariable[] = ["product", "productTitle", "size", "holdUntil", "reminderAt"];
const ORDER: readonly TemplateVariable[] = ["orderName", "carrier", "trackingNumber", "trackingUrl", "deliveryDate", "deliveredOn", "event"];
const EXCHANGE: readonly TemplateVariable[] = ["orderName", "exchangeFrom", "exchangeTo", "storeFee", "postFee", "address", "hours"];
const RETURN: readonly TemplateVariable[] = ["orderName", "returnDays", "returnDeadline", "address"];
const STORE: readonly TemplateVariable[] = ["address", "phone", "hours", "dayHours"];

/** Per template, the variables an override may use. */
export const TEMPLATE_VARIABLES: Readonly<Record<ReplyTemplateId, readonly TemplateVariable[]>> = {
  "availability.variant": [...COMMON, ...PRODUCT],
  "availability.product": [...COMMON, ...PRODUCT],
  "availability.size_not_offered": [...COMMON, ...PRODUCT],
  "ask.product": [...COMMON, "size"],
  "ask.size": [...COMMON, "product", "productTitle", "sizes"],
  "hold.confirmed": [...COMMON, ...HOLD, "dayHours"],
  "hold.unavailable": [...COMMON, ...PRODUCT],
  "hold.declined": COMMON,
  "hold.cancelled": [...COMMON, "product", "productTitle", "size"],
  "hold.extended": [...COMMON, ...HOLD],
  "hold.none": COMMON,
  "hold.limit": COMMON,
  "order.status": [...COMMON, ...ORDER],
  "order.not_found": COMMON,
  "order.verify_identity": COMMON,
  "order.which": COMMON,
  "exchange.options": [...COMMON, ...EXCHANGE],
  "exchange.confirmed": [...COMMON, ...EXCHANGE],
  "return.instructions": [...COMMON, ...RETURN],
  "return.outside_window": [...COMMON, ...RETURN],
  "store.hours": [...COMMON, ...STORE],
  "store.address": [...COMMON, ...STORE],
  "back_in_stock.subscribed": [...COMMON, "product", "productTitle", "size"],
  "back_in_stock.already_available": [...COMMON, ...PRODUCT],
  "opt_out.confirmed": ["shopName"],
  "opt_in.confirmed": ["shopName"],
  help: ["shopName", "phone"],
  greeting: COMMON,
  thanks: COMMON,
  "handoff.styling": COMMON,
  "handoff.complaint": COMMON,
  "handoff.human": COMMON,
  "handoff.urgent": [...COMMON, "event"],
  handoff: COMMON,
};

/** Values of the template's variables for this reply; null when the facts do not have it. */
export function variableValues(ctx: TemplateContext): Partial<Record<TemplateVariable, string | null>> {
  const f = ctx.facts;
  const lang = ctx.language;
  const holdTemplate = ctx.template.startsWith("hold.") && ctx.template !== "hold.unavailable";
  const title = holdTemplate ? (f.hold?.productTitle ?? f.productTitle) : f.productTitle;
  const size = holdTemplate ? (f.hold?.size ?? null) : (f.requested?.size ?? f.requestedSize ?? null);
  const inStock = f.sizes.filter((s) => s.available > 0 && s.size !== null && !isOneSize(s.size)).map((s) => s.size as string);
  const order = f.order ?? null;
  const eta = toInstant(order?.estimatedDeliveryAt, ctx.dates.timeZone);
  const delivered = toInstant(order?.deliveredAt, ctx.dates.timeZone);
  const expires = toInstant(f.hold?.expiresAt, ctx.dates.timeZone);
  const reminder = toInstant(f.hold?.reminderAt, ctx.dates.timeZone);
  const deadline = toInstant(f.returnPolicy?.deadline, ctx.dates.timeZone);
  const fee = (kind: "store" | "post") => {
    const option = f.exchange?.options.find((o) => (kind === "store" ? /store|shop|boutique|magasin/i : /post|courrier|mail|poste|colis/i).test(o.label));
    if (!option) return null;
    return isFree(option.fee) ? (lang === "fr" ? "gratuit" : "free") : formatMoney(option.fee ?? "0", f.currency, lang);
  };
  const event = f.event && toInstant(f.event.at, ctx.dates.timeZone) ? { label: f.event.label, at: toInstant(f.event.at, ctx.dates.timeZone) as Date } : null;
  const store = f.store ?? null;
  const day = store?.day ? toInstant(store.day.date, ctx.dates.timeZone) : null;
  const dayRange = store?.day && store.hours ? store.hours[store.day.key] : undefined;

  const all: Record<TemplateVariable, string | null> = {
    firstName: f.firstName,
    shopName: f.shopName,
    product: title ? (lang === "fr" ? withArticle(title).text : `the ${title}`) : null,
    productTitle: title ?? null,
    size: size ? inSize(size, lang) : null,
    available: f.requested ? String(f.requested.available) : null,
    sizes: inStock.length ? sizeList(inStock, lang) : null,
    price: f.price ? formatMoney(f.price, f.currency, lang) : null,
    holdUntil: expires ? formatMoment(expires, ctx.dates) : null,
    reminderAt: reminder ? formatMoment(reminder, ctx.dates) : null,
    orderName: order?.name ?? f.exchange?.orderName ?? null,
    carrier: order?.carrier ?? null,
    trackingNumber: order && orderState(order) !== "preparing" ? order.trackingNumber : null,
    trackingUrl: order?.trackingUrl ?? null,
    deliveryDate: eta ? formatDay(eta, ctx.dates).text : null,
    deliveredOn: delivered ? formatDay(delivered, ctx.dates).text : null,
    event: event ? [lang === "fr" ? yourEvent(event.label, ctx.tu) : `your ${event.label}`, formatNearDay(event.at, ctx.dates)].filter(Boolean).join(" ") : null,
    exchangeFrom: f.exchange?.from ?? null,
    exchangeTo: f.exchange?.to ?? null,
    storeFee: fee("store"),
    postFee: fee("post"),
    returnDays: f.returnPolicy ? String(f.returnPolicy.windowDays) : null,
    returnDeadline: deadline ? untilDay(deadline, ctx.dates).replace(/^(jusqu'à |jusqu'au |until )/, "") : null,
    address: store?.address ?? null,
    phone: store?.phone ? formatPhone(store.phone, lang) : null,
    hours: store?.hours ? (ctx.template === "exchange.options" || ctx.template === "exchange.confirmed" ? formatOpenHours(store.hours, lang) : formatWeekHours(store.hours, lang)) : null,
    dayHours:
      day && dayRange !== undefined
        ? dayRange
          ? `${formatDay(day, ctx.dates).text} ${formatRange(dayRange, lang)}`
          : `${formatDay(day, ctx.dates).text}, ${lang === "fr" ? "fermée" : "closed"}`
        : null,
  };
  return Object.fromEntries(TEMPLATE_VARIABLES[ctx.template].map((v) => [v, all[v]]));
}
