/**
 * The proactive-message orchestrator: given what we know about a message, a customer and a shop,
 * which channel carries it, when, as a WhatsApp template or not, what comes next if it fails, and
 * why — every decision written down in `reasons`. Pure: no database, no clock, no network; the
 * scheduled-message job and broadcasts gather the facts and act on the plan.
 *
 * Order of the decision:
 * 1. When: quiet hours in the customer's time zone (quiet-hours.ts). Computed first because the
 *    WhatsApp window is judged at the moment the message will actually leave. An urgent
 *    transactional message may go out 07:00–22:00 instead of 08:00–21:00 (the night stays quiet,
 *    see URGENT_TRANSACTIONAL_WINDOW); urgency means nothing for marketing; a broadcast is always
 *    marketing, whatever the caller says.
 * 2. Which channels may carry it at all (hard rules, any one excludes a channel): connected by the
 *    shop, a contact address, consent (withdrawn: never; marketing: explicit grant only;
 *    transactional: a grant, or no answer on a channel the customer has used with the shop), not
 *    already failed for this message, and for WhatsApp outside the 24-hour customer-service window
 *    an approved template for the purpose and language.
 * 3. Among those, the best (soft rules, in this order):
 *    - urgent: the fastest first — WhatsApp in its window, then SMS, a WhatsApp template, email;
 *    - the content: rich media is for WhatsApp or email, a long text (> 3 SMS segments) for email
 *      first, then WhatsApp, SMS last. A channel that fits badly stays as a last resort rather
 *      than dropping the message (a pickup reminder without its photo is still a pickup reminder);
 *    - the customer's preferred channel (else the one they last wrote on);
 *    - the lower estimated cost;
 *    - a fixed order (WhatsApp, SMS, email) so that the answer never depends on input order.
 *    The others allowed become the fallbacks, in that order.
 */
import { countSmsSegments } from "~/conversation/reply/sms";
import type { ChannelKind } from "~/plugins/types";
import { PURPOSE_OF, type ProactiveTemplateId } from "./templates/catalogue";
import { describeSendWindow, formatLocalTime, planSendTime, URGENT_TRANSACTIONAL_WINDOW, type MessageKind, type SendWindow } from "./quiet-hours";

export type MessagePurpose =
  | "pickup_reminder"
  | "hold_expiry"
  | "thank_you"
  | "follow_up"
  | "back_in_stock"
  | "shipping_update"
  | "tracking_alert"
  | "broadcast";

export type Urgency = "normal" | "urgent";

/** The customer's say on one channel; "unknown" when they never said either way. */
export type ConsentState = "granted" | "withdrawn" | "unknown";

/** What one message costs, in euros. Proposed shop setting `messaging.costPerMessage`. */
export interface ChannelCosts {
  /** Per SMS segment (carriers bill each 153/67-character part). */
  smsSegment: number;
  /** A WhatsApp template, needed outside the customer-service window. */
  whatsappTemplate: number;
  /** WhatsApp free text inside the customer-service window. */
  whatsappInWindow: number;
  email: number;
}

export const DEFAULT_CHANNEL_COSTS: ChannelCosts = { smsSegment: 0.08, whatsappTemplate: 0.05, whatsappInWindow: 0, email: 0.001 };

/** Overrides of the default send windows (proposed shop setting `messaging.sendWindows`). */
export interface SendWindowOverrides {
  transactional?: Partial<SendWindow>;
  urgentTransactional?: Partial<SendWindow>;
  marketing?: Partial<SendWindow>;
}

/** An approved WhatsApp template the shop can use for a purpose. */
export interface ApprovedWhatsappTemplate {
  /**
   * The purpose, or the app's template serving it ("reminder.pickup" for "pickup_reminder"), as the
   * Settings page registers it (catalogue.ts PURPOSE_OF).
   */
  purpose: string;
  /** As approved ("fr", "en_GB"); matched on the primary language ("fr-FR" uses "fr"). */
  language: string;
}

export interface DeliveryInput {
  kind: MessageKind;
  purpose: MessagePurpose;
  urgency: Urgency;
  content: {
    /** The plain text as it would be sent (SMS segments are counted on it). */
    text: string;
    /** Images or documents to attach. */
    hasRichMedia: boolean;
  };
  customer: {
    /** E.164. */
    phone: string | null;
    email: string | null;
    /** Whether `phone` is on WhatsApp. */
    whatsappCapable: boolean;
    consent: Record<ChannelKind, ConsentState>;
    preferredChannel: ChannelKind | null;
    /** When the customer last wrote to the shop on each channel (null or absent: never). */
    lastInboundAt: Partial<Record<ChannelKind, Date | null>>;
    /**
     * Channels the customer used with the shop besides writing on them (the email or phone given
     * at checkout). A channel they wrote on counts as used without being listed here.
     */
    usedChannels?: readonly ChannelKind[];
    /** IANA time zone (the shop's when the customer's is unknown). */
    timeZone: string;
    /** ISO 3166-1 alpha-2, or null when unknown. */
    country: string | null;
    /** Language of the message ("fr", "en"). */
    language: string;
  };
  shop: {
    connectedChannels: readonly ChannelKind[];
    whatsappTemplates: readonly ApprovedWhatsappTemplate[];
    costs?: Partial<ChannelCosts>;
    sendWindows?: SendWindowOverrides;
  };
  now: Date;
  dueAt: Date;
  /** Channels already tried for this message whose delivery failed. */
  failedChannels?: readonly ChannelKind[];
}

export interface EstimatedCost {
  amount: number;
  currency: "EUR";
}

export type DeliveryPlan =
  | {
      channel: ChannelKind;
      sendAt: Date;
      /** WhatsApp outside the customer-service window: send the approved template, not free text. */
      template: boolean;
      /** Every decision, in English, for the message record and the merchant. */
      reasons: string[];
      /** The next channels to try if this one fails, best first. */
      fallbacks: ChannelKind[];
      estimatedCost: EstimatedCost;
    }
  | { channel: null; reasons: string[] };

/** A long text is for email: more than 3 SMS segments (≈ 459 GSM-7 characters). */
export const LONG_TEXT_SMS_SEGMENTS = 3;

/**
 * Meta: free-form ("service") messages only within 24 hours of the customer's last message; each
 * new message of theirs restarts the window; outside it, approved templates only.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
export const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

const CHANNEL_ORDER: readonly ChannelKind[] = ["whatsapp", "sms", "email"];

/**
 * Urgent messages, fastest first: WhatsApp free text (the customer is in the conversation right
 * now), then SMS (reaches a phone with no data connection), then a WhatsApp template (the same
 * push, but only when the phone has data), then email.
 */
const SPEED = { whatsapp: 0, sms: 1, whatsappTemplate: 2, email: 3 } as const;

/** A channel allowed to carry the message, with what ranks it. */
interface Candidate {
  channel: ChannelKind;
  template: boolean;
  cost: number;
  /** Urgent only: 0 fastest. */
  speed: number;
  /** 0 fits the content, higher fits worse. */
  fit: number;
  fitNote: string | null;
  preferred: boolean;
}

type Assessment = { ok: true; candidate: Candidate } | { ok: false; why: string };

/** The facts every channel is judged on, computed once. */
interface Context {
  input: DeliveryInput & { kind: MessageKind };
  sendAt: Date;
  costs: ChannelCosts;
  smsSegments: number;
  preference: ChannelKind | null;
}

const primaryLanguage = (tag: string) => tag.toLowerCase().split(/[-_]/)[0] ?? "";
const roundCost = (amount: number) => Math.round(amount * 1e6) / 1e6;
const euros = (amount: number) => `${roundCost(amount)} €`;

function hasUsed(input: DeliveryInput, channel: ChannelKind): boolean {
  return Boolean(input.customer.lastInboundAt[channel]) || (input.customer.usedChannels ?? []).includes(channel);
}

/** The preferred channel, else the channel the customer last wrote on, with where it comes from. */
function effectivePreference(input: DeliveryInput): { channel: ChannelKind; source: string } | null {
  if (input.customer.preferredChannel) return { channel: input.customer.preferredChannel, source: "the customer's preferred channel" };
  let latest: { channel: ChannelKind; at: number } | null = null;
  for (const channel of CHANNEL_ORDER) {
    const at = input.customer.lastInboundAt[channel]?.getTime();
    if (at !== undefined && (!latest || at > latest.at)) latest = { channel, at };
  }
  return latest ? { channel: latest.channel, source: "the channel the customer last wrote on" } : null;
}

/**
 * An opt-out is final (DESIGN §8). Marketing needs an explicit opt-in on the channel — stricter,
 * on purpose, than the French "soft opt-in" for existing customers. A transactional message may go
 * where the customer said nothing, if they used that channel with the shop themselves.
 */
function consentRefusal(input: Context["input"], channel: ChannelKind): string | null {
  const state = input.customer.consent[channel];
  if (state === "withdrawn") return `the customer opted out of ${channel}`;
  if (state === "granted") return null;
  if (input.kind === "marketing") return `marketing needs the customer's explicit consent on ${channel}, and there is none`;
  return hasUsed(input, channel) ? null : `no consent on ${channel} and the customer has never used it with the shop`;
}

function contentFit(channel: ChannelKind, long: boolean, rich: boolean): { fit: number; note: string | null } {
  if (channel === "email") return { fit: 0, note: null };
  if (channel === "whatsapp") return long ? { fit: 1, note: "a long text goes by email first" } : { fit: 0, note: null };
  if (rich) return { fit: 2, note: "SMS cannot carry the images (text only): last resort" };
  return long ? { fit: 2, note: `a long text (more than ${LONG_TEXT_SMS_SEGMENTS} SMS segments) goes by SMS only as a last resort` } : { fit: 0, note: null };
}

/** Whether free text is allowed at `sendAt`, else whether an approved template can replace it. */
function whatsappMode({ input, sendAt }: Context): { template: boolean } | { refused: string } {
  const last = input.customer.lastInboundAt.whatsapp;
  if (last && sendAt.getTime() - last.getTime() < WHATSAPP_WINDOW_MS) return { template: false };
  const language = primaryLanguage(input.customer.language);
  const approved = input.shop.whatsappTemplates.some((t) => (t.purpose === input.purpose || PURPOSE_OF[t.purpose as ProactiveTemplateId] === input.purpose) && primaryLanguage(t.language) === language);
  if (approved) return { template: true };
  return { refused: `whatsapp is outside the 24-hour window at send time and there is no approved template for ${input.purpose} in "${input.customer.language}"` };
}

function assess(ctx: Context, channel: ChannelKind): Assessment {
  const { input, costs } = ctx;
  const { customer } = input;
  if (!input.shop.connectedChannels.includes(channel)) return { ok: false, why: `the shop has no ${channel} channel connected` };
  if (channel === "email" && !customer.email) return { ok: false, why: "the customer has no email address" };
  if (channel === "sms" && !customer.phone) return { ok: false, why: "the customer has no phone number" };
  if (channel === "whatsapp" && !(customer.phone && customer.whatsappCapable)) return { ok: false, why: "the customer's phone is not known to be on WhatsApp" };
  const refusal = consentRefusal(input, channel);
  if (refusal) return { ok: false, why: refusal };
  if ((input.failedChannels ?? []).includes(channel)) return { ok: false, why: `${channel} already failed for this message` };

  const mode = channel === "whatsapp" ? whatsappMode(ctx) : { template: false };
  if ("refused" in mode) return { ok: false, why: mode.refused };
  const { fit, note } = contentFit(channel, ctx.smsSegments > LONG_TEXT_SMS_SEGMENTS, input.content.hasRichMedia);
  const cost =
    channel === "sms" ? ctx.smsSegments * costs.smsSegment : channel === "email" ? costs.email : mode.template ? costs.whatsappTemplate : costs.whatsappInWindow;
  const speed = SPEED[channel === "whatsapp" && mode.template ? "whatsappTemplate" : channel];
  return { ok: true, candidate: { channel, template: mode.template, cost, speed, fit, fitNote: note, preferred: channel === ctx.preference } };
}

type RankKey = "speed" | "fit" | "preference" | "cost" | "order";

/** Rank keys in order of importance, lower is better. */
function rankKeys(c: Candidate, urgent: boolean): Array<[RankKey, number]> {
  const keys: Array<[RankKey, number]> = [
    ["fit", c.fit],
    ["preference", c.preferred ? 0 : 1],
    ["cost", c.cost],
    ["order", CHANNEL_ORDER.indexOf(c.channel)],
  ];
  return urgent ? [["speed", c.speed], ...keys] : keys;
}

/** The first key on which `a` and `b` differ, and by how much (negative: `a` is better). */
function firstDifference(a: Candidate, b: Candidate, urgent: boolean): { key: RankKey; diff: number } {
  const kb = rankKeys(b, urgent);
  for (const [i, [key, value]] of rankKeys(a, urgent).entries()) {
    const diff = value - (kb[i]?.[1] ?? value);
    if (diff !== 0) return { key, diff };
  }
  return { key: "order", diff: 0 };
}

/** Why `loser` ranks below `winner`. */
function whyBelow(loser: Candidate, winner: Candidate, urgent: boolean): string {
  const { key } = firstDifference(loser, winner, urgent);
  if (key === "speed") return "slower for an urgent message";
  if (key === "fit") return loser.fitNote ?? "fits the content less well";
  if (key === "preference") return "not the customer's preferred channel";
  if (key === "cost") return `costs more (${euros(loser.cost)} against ${euros(winner.cost)})`;
  return "equal rank, after it in the fixed order";
}

function whyChosen(chosen: Candidate, runnerUp: Candidate | undefined, urgent: boolean, preferenceSource: string | null): string {
  const what = chosen.channel !== "whatsapp" ? chosen.channel : chosen.template ? "whatsapp with an approved template (outside the 24-hour window)" : "whatsapp free text (inside the 24-hour window)";
  if (!runnerUp) return `${what} chosen: the only channel allowed`;
  const because: Record<RankKey, string> = {
    speed: "the fastest for an urgent message",
    fit: "the best fit for the content",
    preference: preferenceSource ?? "the customer's preferred channel",
    cost: `the cheapest (${euros(chosen.cost)}) among equally suited channels`,
    order: "first in the fixed order among equal channels",
  };
  return `${what} chosen: ${because[firstDifference(runnerUp, chosen, urgent).key]}`;
}

/** Decide channel, time, template and fallbacks for one proactive message. */
export function chooseDelivery(request: DeliveryInput): DeliveryPlan {
  const reasons: string[] = [];

  // A broadcast is marketing whatever the caller says: it needs opt-in and the marketing hours.
  const kind: MessageKind = request.purpose === "broadcast" ? "marketing" : request.kind;
  if (kind !== request.kind) reasons.push("a broadcast is a marketing message: marketing rules apply");
  const input = { ...request, kind };
  const { timeZone, country } = input.customer;

  const urgent = input.urgency === "urgent" && kind === "transactional";
  if (input.urgency === "urgent" && !urgent) reasons.push("urgency ignored: marketing is never urgent");
  const overrides = input.shop.sendWindows ?? {};
  const window = kind === "marketing" ? overrides.marketing : urgent ? { ...URGENT_TRANSACTIONAL_WINDOW, ...overrides.urgentTransactional } : overrides.transactional;

  // When first: the WhatsApp window is judged at the moment the message will leave.
  const at = new Date(Math.max(input.now.getTime(), input.dueAt.getTime()));
  const time = planSendTime({ at, timeZone, kind, country, window });
  if (urgent) reasons.push(`urgent: allowed ${time.window.start}–${time.window.end} instead of the usual hours, the fastest channel first`);
  reasons.push(time.deferral ?? `goes out at ${formatLocalTime(time.sendAt, timeZone)} (${timeZone}), within the ${kind} hours ${describeSendWindow(time.window)}`);

  const preference = effectivePreference(input);
  const ctx: Context = {
    input,
    sendAt: time.sendAt,
    costs: { ...DEFAULT_CHANNEL_COSTS, ...input.shop.costs },
    smsSegments: countSmsSegments(input.content.text).segments,
    preference: preference?.channel ?? null,
  };
  const candidates: Candidate[] = [];
  for (const channel of CHANNEL_ORDER) {
    const assessment = assess(ctx, channel);
    if (assessment.ok) candidates.push(assessment.candidate);
    else reasons.push(`not ${channel}: ${assessment.why}`);
  }
  candidates.sort((a, b) => firstDifference(a, b, urgent).diff);

  const [chosen, ...others] = candidates;
  if (!chosen) {
    const optedOutEverywhere = CHANNEL_ORDER.every((c) => input.customer.consent[c] === "withdrawn");
    reasons.push(optedOutEverywhere ? "the customer opted out of every channel: nothing is sent" : "no channel may carry this message: nothing is sent");
    return { channel: null, reasons };
  }
  reasons.push(whyChosen(chosen, others[0], urgent, preference?.source ?? null));
  if (chosen.fitNote) reasons.push(`${chosen.channel}: ${chosen.fitNote}`);
  others.forEach((c, i) => reasons.push(`${c.channel} is fallback #${i + 1}: ${whyBelow(c, chosen, urgent)}`));

  return {
    channel: chosen.channel,
    sendAt: time.sendAt,
    template: chosen.template,
    reasons,
    fallbacks: others.map((c) => c.channel),
    estimatedCost: { amount: roundCost(chosen.cost), currency: "EUR" },
  };
}
