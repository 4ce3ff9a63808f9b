/**
 * The contracts between the engine's four steps (DESIGN §5). Each step lives in its own module
 * and is tested alone against these types:
 *   understand(text, UnderstandContext) → Understanding          (pure)
 *   decide(Understanding, DecideContext) → Decision              (pure, table-tested)
 *   act(Decision, capabilities) → facts + ActionRecord[]          (through capabilities only)
 *   renderReply(ReplyInput) → RenderedReply                       (pure; grounding-checked)
 */
import type { CatalogueProduct } from "~/plugins/types";
import type { ShopSettings } from "~/shops/settings";
import type { ActionType, Intent } from "./record";

export type Language = "fr" | "en";
export type ChannelKind = "sms" | "whatsapp" | "email";

// ───────────────────────────── understand ─────────────────────────────

/** What the conversation is waiting for, from the AI's previous reply. */
export type PendingProposal =
  | { kind: "hold"; productId: string; variantId: string; quantity: number; proposedAt: string }
  | { kind: "exchange_choice"; orderName: string; options: Array<{ id: 1 | 2; label: string }>; proposedAt: string }
  | { kind: "size"; productId: string; proposedAt: string }
  | { kind: "identity"; orderName: string; proposedAt: string };

export interface UnderstandContext {
  catalogue: readonly CatalogueProduct[];
  shopLanguage: Language;
  /** The message's time, for "ce soir 17h", "samedi", "demain midi". */
  now: Date;
  /** The shop's IANA time zone: relative dates are the shop's days and hours. */
  timeZone: string;
  channel: ChannelKind;
  /** Email subject, when there is one (it often names the order). */
  subject?: string | null;
  /** What the AI proposed last, so "oui", "non", "option 1" can be understood in context. */
  pending?: PendingProposal | null;
}

export interface ProductMention {
  id: string;
  ref: string | null;
  title: string;
  matchedBy: "ref" | "title" | "search";
  score: number;
}

export interface VariantMention {
  id: string;
  size: string | null;
  sku: string | null;
}

export interface Understanding {
  language: Language;
  intent: Intent;
  /** 0–1: below the engine's threshold the message is handed to the merchant. */
  confidence: number;
  /** Other intents the classifier considered, best first. */
  alternatives: Array<{ intent: Intent; score: number }>;
  /** The main product talked about (for an exchange: the one wanted). */
  product: ProductMention | null;
  /** Kinds of product named, as the catalogue types them ("Vestes" for "quelle veste ?"). */
  productTypes: string[];
  /** The size asked for, as normalised from the message ("38", "S", "Taille unique"). */
  requestedSize: string | null;
  /** The catalogue variant of `product` in `requestedSize` (or its only variant). */
  variant: VariantMention | null;
  quantity: number | null;
  /** "#2847" — never a product reference such as PT-2847. */
  orderName: string | null;
  trackingNumber: string | null;
  /** A time the customer announces ("je passe ce soir vers 17h"), ISO 8601 UTC. */
  visitAt: string | null;
  /** An event the customer mentions ("mariage samedi"), ISO 8601 UTC, and how close it is. */
  event: { at: string; label: string } | null;
  urgency: "none" | "soon" | "urgent";
  sentiment: "negative" | "neutral" | "positive";
  /** "je m'appelle Julie Martin". */
  customerName: { firstName: string; lastName: string | null } | null;
  /** "option 1", "la 2", "par la poste" → 1 | 2 when an exchange choice is pending. */
  choice: number | null;
  /** STOP / START / HELP keywords (DESIGN §8), exact-match, whatever the classifier says. */
  keyword: "stop" | "start" | "help" | null;
  /** The text understood after stripping quoted replies and signatures (email). */
  cleanText: string;
}

// ───────────────────────────── reply ─────────────────────────────

export type ReplyTemplateId =
  | "availability.variant"
  | "availability.product"
  | "availability.size_not_offered"
  | "ask.product"
  | "ask.size"
  | "hold.confirmed"
  | "hold.unavailable"
  | "hold.declined"
  | "hold.cancelled"
  | "hold.extended"
  | "hold.none"
  | "hold.limit"
  | "order.status"
  | "order.not_found"
  | "order.verify_identity"
  | "order.which"
  | "exchange.options"
  | "exchange.confirmed"
  | "return.instructions"
  | "return.outside_window"
  | "store.hours"
  | "store.address"
  | "back_in_stock.subscribed"
  | "back_in_stock.already_available"
  | "opt_out.confirmed"
  | "opt_in.confirmed"
  | "help"
  | "greeting"
  | "thanks"
  | "handoff.styling"
  | "handoff.complaint"
  | "handoff.human"
  | "handoff.urgent"
  | "handoff";

export interface SizeFact {
  size: string | null;
  available: number;
}

/** Facts the reply may state. Only tools fill them (grounding check). Dates are ISO 8601. */
export interface ReplyFacts {
  firstName: string | null;
  shopName: string;
  productTitle: string | null;
  requestedSize: string | null;
  requested: SizeFact | null;
  sizes: SizeFact[];
  price?: string | null;
  currency?: string | null;
  hold?: { productTitle: string; size: string | null; expiresAt: string; reminderAt: string | null } | null;
  order?: {
    name: string;
    status: string;
    carrier: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    estimatedDeliveryAt: string | null;
    deliveredAt: string | null;
    lastEvent: string | null;
  } | null;
  exchange?: { orderName: string; from: string; to: string; options: Array<{ id: number; label: string; fee: string | null }> } | null;
  returnPolicy?: { windowDays: number; deadline: string | null } | null;
  store?: {
    address: string | null;
    phone: string | null;
    /** Opening hours by weekday key, null = closed. */
    hours: Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", [string, string] | null> | null;
    /** The day asked about, when the question names one ("demain", "samedi"). */
    day: { key: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun"; date: string } | null;
  } | null;
  /** An urgent customer's event (wedding on Saturday). */
  event?: { at: string; label: string } | null;
}

export interface ReplyInput {
  template: ReplyTemplateId;
  language: Language;
  channel: ChannelKind;
  tone: ShopSettings["tone"];
  timeZone: string;
  facts: ReplyFacts;
  /** A proposal to end the reply with ("Je te la mets de côté ?"). */
  propose?: "hold" | null;
  /** Shop-overridden template texts, by template id and language. */
  overrides?: Partial<Record<ReplyTemplateId, Partial<Record<Language, string>>>>;
}

export interface RenderedReply {
  text: string;
  /** Email only. */
  subject?: string;
  /** Email only. */
  html?: string;
  /** SMS only: GSM-7 or UCS-2 and how many segments the text costs. */
  sms?: { encoding: "GSM-7" | "UCS-2"; segments: number; characters: number };
}

// ───────────────────────────── decide / act ─────────────────────────────

export type AutomationLevel = "auto" | "suggest" | "off";

export interface PlannedAction {
  type: ActionType;
  /** Needs the customer's yes before it is done (the engine stores a PendingProposal). */
  needsConfirmation: boolean;
  params: Record<string, unknown>;
}
