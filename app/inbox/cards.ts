/**
 * The AI's record on a message (app/conversation/record.ts), turned into short readable cards for
 * the merchant: "stock vérifié : 2 en 38", "mise de côté jusqu'à demain 18:00". Two steps, so the
 * server sends data and the page words it in the admin's language:
 *   recordCards(record)            → what happened, as data (no language);
 *   describeCard(card, formatting) → one line of text through the translation files.
 * Isomorphic: the thread page renders on the server and in the browser.
 */
import type { ActionRecord, ActionType, Intent, MessageRecord } from "~/conversation/record";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import type { TranslationKey } from "~/i18n";

export type RecordCard =
  | { kind: "understood"; intent: Intent; confidence: number }
  | { kind: "customer"; found: true; name: string | null; vip: boolean }
  | { kind: "customer"; found: false }
  | { kind: "stock"; available: number; size: string | null; sku: string | null }
  | { kind: "order"; name: string; status: string | null }
  | { kind: "orders"; names: string[] }
  | { kind: "decision"; decision: MessageRecord["decision"]["kind"]; reason: string }
  | { kind: "action"; type: ActionType; status: ActionRecord["status"]; at: string | null; name: string | null; item: string | null; reason: string | null };

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The Shopify profile the engine found carries the VIP tag (the engine's own test, engine.server.ts). */
export function recordSaysVip(record: MessageRecord | null): boolean {
  return (record?.lookups ?? []).some(
    (l) => l.tool.startsWith("customers.find") && Array.isArray(l.output.tags) && l.output.tags.some((t) => typeof t === "string" && t.toLowerCase() === "vip"),
  );
}

/** What the engine understood, looked up, decided and did, in the order it did it. */
export function recordCards(record: MessageRecord | null): RecordCard[] {
  if (!record) return [];
  const cards: RecordCard[] = [{ kind: "understood", intent: record.understanding.intent, confidence: record.understanding.confidence }];
  const variant = record.understanding.entities.variant as { id?: unknown; size?: unknown } | null | undefined;
  for (const lookup of record.lookups) {
    const out = lookup.output;
    if (lookup.tool.startsWith("customers.find")) {
      const name = [str(out.firstName), str(out.lastName)].filter(Boolean).join(" ") || null;
      cards.push(out.found === false || !str(out.id) ? { kind: "customer", found: false } : { kind: "customer", found: true, name, vip: recordSaysVip({ ...record, lookups: [lookup] }) });
    } else if (lookup.tool === "inventory.availability" && str(out.sku) !== null) {
      // Suggestion lookups carry no SKU and are not what she asked about: left out, like the
      // engine's own summary of its checks (describeChecks).
      // The size the engine recorded, else the one she asked about (records made before it did).
      const size = str(out.size) ?? (variant && variant.id === out.variantId ? str(variant.size) : null);
      cards.push({ kind: "stock", available: num(out.available) ?? 0, size, sku: str(out.sku) });
    } else if (lookup.tool === "orders.byName" && str(out.name)) {
      cards.push({ kind: "order", name: String(out.name), status: str(out.status) });
    } else if (lookup.tool === "orders.byCustomer" && Array.isArray(out.orders)) {
      cards.push({ kind: "orders", names: out.orders.filter((o): o is string => typeof o === "string") });
    }
  }
  cards.push({ kind: "decision", decision: record.decision.kind, reason: record.decision.reason });
  for (const action of record.actions) {
    const d = action.details;
    const item = [str(d.product), str(d.size)].filter(Boolean).join(" · ") || null;
    cards.push({
      kind: "action",
      type: action.type,
      status: action.status,
      at: str(d.expiresAt) ?? str(d.until) ?? str(d.at),
      name: str(d.returnName) ?? str(d.orderName) ?? str(d.channel),
      item,
      reason: str(d.reason) ?? str(d.error),
    });
  }
  return cards;
}

export interface CardText {
  text: string;
  /** Data shown under the line as is (product, the engine's reason): not translated. */
  detail: string | null;
  tone: "success" | "critical" | "subdued" | null;
}

const ACTION_DONE: Record<ActionType, TranslationKey> = {
  "reservation.create": "card.action.reservationCreate",
  "reservation.extend": "card.action.reservationExtend",
  "reservation.cancel": "card.action.reservationCancel",
  "exchange.create": "card.action.exchangeCreate",
  "return.create": "card.action.returnCreate",
  "return_label.create": "card.action.returnLabelCreate",
  "tracking.watch": "card.action.trackingWatch",
  "reminder.schedule": "card.action.reminderSchedule",
  "back_in_stock.subscribe": "card.action.backInStockSubscribe",
  "consent.opt_out": "card.action.consentOptOut",
  "consent.opt_in": "card.action.consentOptIn",
  "notify.merchant": "card.action.notifyMerchant",
};

const ACTION_NAME: Record<ActionType, TranslationKey> = {
  "reservation.create": "action.reservationCreate",
  "reservation.extend": "action.reservationExtend",
  "reservation.cancel": "action.reservationCancel",
  "exchange.create": "action.exchangeCreate",
  "return.create": "action.returnCreate",
  "return_label.create": "action.returnLabelCreate",
  "tracking.watch": "action.trackingWatch",
  "reminder.schedule": "action.reminderSchedule",
  "back_in_stock.subscribe": "action.backInStockSubscribe",
  "consent.opt_out": "action.consentOptOut",
  "consent.opt_in": "action.consentOptIn",
  "notify.merchant": "action.notifyMerchant",
};

export const INTENT_KEY: Record<Intent, TranslationKey> = {
  product_availability: "intent.productAvailability",
  product_info: "intent.productInfo",
  reservation_request: "intent.reservationRequest",
  confirm: "intent.confirm",
  decline: "intent.decline",
  reservation_cancel: "intent.reservationCancel",
  order_status: "intent.orderStatus",
  exchange_request: "intent.exchangeRequest",
  return_request: "intent.returnRequest",
  store_info: "intent.storeInfo",
  styling_advice: "intent.stylingAdvice",
  complaint: "intent.complaint",
  human_request: "intent.humanRequest",
  back_in_stock: "intent.backInStock",
  greeting: "intent.greeting",
  opt_out: "intent.optOut",
  other: "intent.other",
};

const DECISION_KEY: Record<MessageRecord["decision"]["kind"], TranslationKey> = {
  answer: "decision.answer",
  act: "decision.act",
  ask: "decision.ask",
  escalate: "decision.escalate",
};

const CHANNEL_KEY: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };

export function describeCard(card: RecordCard, f: WhenFormatting): CardText {
  const { t } = f;
  switch (card.kind) {
    case "understood":
      return { text: t("card.understood", { intent: t(INTENT_KEY[card.intent]), confidence: Math.round(card.confidence * 100) }), detail: null, tone: "subdued" };
    case "customer":
      if (!card.found) return { text: t("card.customerUnknown"), detail: null, tone: "subdued" };
      return { text: t(card.vip ? "card.customerFoundVip" : "card.customerFound", { name: card.name ?? "?" }), detail: null, tone: null };
    case "stock":
      return card.size
        ? { text: t("card.stock", { available: card.available, size: card.size }), detail: card.sku, tone: null }
        : { text: t("card.stockSku", { available: card.available, sku: card.sku ?? "?" }), detail: null, tone: null };
    case "order":
      return { text: t("card.order", { name: card.name }), detail: card.status ? card.status.toLowerCase().replace(/_/g, " ") : null, tone: null };
    case "orders":
      return card.names.length ? { text: t("card.orders", { names: card.names.join(", ") }), detail: null, tone: null } : { text: t("card.noOrders"), detail: null, tone: "subdued" };
    case "decision":
      // The engine's reason is its own wording (English): worth showing when it explains why she is needed.
      return card.decision === "escalate"
        ? { text: t("card.decision", { decision: t(DECISION_KEY[card.decision]) }), detail: card.reason, tone: "critical" }
        : { text: t("card.decision", { decision: t(DECISION_KEY[card.decision]) }), detail: null, tone: "subdued" };
    case "action": {
      if (card.status === "failed") return { text: t("card.actionFailed", { action: t(ACTION_NAME[card.type]) }), detail: card.reason, tone: "critical" };
      if (card.status === "skipped") return { text: t("card.actionSkipped", { action: t(ACTION_NAME[card.type]) }), detail: card.reason, tone: "subdued" };
      const when = card.at ? formatWhen(card.at, f) : "?";
      const channelKey = card.name ? CHANNEL_KEY[card.name] : undefined;
      const channel = channelKey ? t(channelKey) : (card.name ?? "?");
      return { text: t(ACTION_DONE[card.type], { until: when, at: when, name: card.name ?? "?", channel }), detail: card.item, tone: "success" };
    }
  }
}
