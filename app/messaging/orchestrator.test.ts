import { describe, expect, it } from "vitest";
import type { ChannelKind } from "~/plugins/types";
import { chooseDelivery, DEFAULT_CHANNEL_COSTS, type ConsentState, type DeliveryInput, type DeliveryPlan } from "./orchestrator";

// Monday 12 January 2026, 12:00 in Paris: inside every window.
const NOON = new Date("2026-01-12T12:00:00+01:00");
const HOUR = 3_600_000;
const ALL: readonly ChannelKind[] = ["sms", "whatsapp", "email"];

type Overrides = Omit<Partial<DeliveryInput>, "customer" | "shop" | "content"> & {
  customer?: Partial<DeliveryInput["customer"]>;
  shop?: Partial<DeliveryInput["shop"]>;
  content?: Partial<DeliveryInput["content"]>;
};

const consent = (state: ConsentState, overrides: Partial<Record<ChannelKind, ConsentState>> = {}): Record<ChannelKind, ConsentState> => ({
  sms: state,
  whatsapp: state,
  email: state,
  ...overrides,
});

/** A French customer with every contact and consent, a shop with every channel and template. */
function input(o: Overrides = {}): DeliveryInput {
  return {
    kind: "transactional",
    purpose: "pickup_reminder",
    urgency: "normal",
    now: NOON,
    dueAt: NOON,
    ...o,
    content: { text: "Bonjour Emma, votre robe vous attend en boutique jusqu'a 18h.", hasRichMedia: false, ...o.content },
    customer: {
      phone: "+33645789012",
      email: "emma@example.com",
      whatsappCapable: true,
      consent: consent("granted"),
      preferredChannel: null,
      lastInboundAt: {},
      timeZone: "Europe/Paris",
      country: "FR",
      language: "fr",
      ...o.customer,
    },
    shop: {
      connectedChannels: ALL,
      whatsappTemplates: (["pickup_reminder", "hold_expiry", "thank_you", "follow_up", "back_in_stock", "shipping_update", "tracking_alert", "broadcast"] as const).map(
        (purpose) => ({ purpose, language: "fr" }),
      ),
      ...o.shop,
    },
  };
}

interface Expected {
  channel: ChannelKind | null;
  sendAt?: string;
  template?: boolean;
  fallbacks?: ChannelKind[];
  cost?: number;
  /** Each must be a substring of one reason. */
  reasons?: string[];
}

const LONG_GSM = "a".repeat(460); // 4 GSM-7 segments
const LONG_UCS2 = "ê".repeat(202); // 4 UCS-2 segments: one non-GSM letter makes a short text long
const inWindow = { whatsapp: new Date(NOON.getTime() - 2 * HOUR) };

const cases: Array<{ name: string; input: DeliveryInput; expected: Expected }> = [
  // ── Acceptance ─────────────────────────────────────────────────────────────
  {
    name: "acceptance: a thank-you due at 23:30 Paris goes out the next morning at 08:00 Paris",
    input: input({ purpose: "thank_you", now: new Date("2026-01-12T23:30:00+01:00"), dueAt: new Date("2026-01-12T23:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-13T08:00:00+01:00", reasons: ["deferred to Tuesday 2026-01-13 08:00 (Europe/Paris): 23:30 is after 21:00"] },
  },
  {
    name: "acceptance: a marketing broadcast prepared on a Sunday goes out Monday 10:00",
    input: input({ kind: "marketing", purpose: "broadcast", now: new Date("2026-01-11T15:00:00+01:00"), dueAt: new Date("2026-01-11T15:00:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-12T10:00:00+01:00", reasons: ["Sunday 2026-01-11 is not a sending day"] },
  },
  {
    name: "a marketing message due Saturday 20:30 goes out Monday 10:00",
    input: input({ kind: "marketing", purpose: "back_in_stock", dueAt: new Date("2026-01-17T20:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-19T10:00:00+01:00" },
  },
  {
    name: "a marketing message due on Easter Monday goes out Tuesday 10:00",
    input: input({ kind: "marketing", purpose: "broadcast", now: new Date("2026-04-06T11:00:00+02:00"), dueAt: new Date("2026-04-06T11:00:00+02:00") }),
    expected: { channel: "email", sendAt: "2026-04-07T10:00:00+02:00", reasons: ["French public holiday (Lundi de Pâques)"] },
  },
  {
    name: "in the window: sent at its due time, unchanged",
    input: input(),
    expected: { channel: "email", sendAt: "2026-01-12T12:00:00+01:00", reasons: ["goes out at Monday 2026-01-12 12:00 (Europe/Paris), within the transactional hours"] },
  },
  {
    name: "a late job sends now, not at the past due time",
    input: input({ now: new Date("2026-01-13T09:00:00+01:00"), dueAt: new Date("2026-01-12T23:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-13T09:00:00+01:00" },
  },

  // ── DST days ───────────────────────────────────────────────────────────────
  {
    name: "DST spring (29 March 2026): a thank-you due Saturday 23:30 CET goes out Sunday 08:00 CEST",
    input: input({ purpose: "thank_you", now: new Date("2026-03-28T23:30:00+01:00"), dueAt: new Date("2026-03-28T23:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-03-29T06:00:00Z" },
  },
  {
    name: "DST autumn (25 October 2026): a thank-you due Saturday 23:30 CEST goes out Sunday 08:00 CET",
    input: input({ purpose: "thank_you", now: new Date("2026-10-24T23:30:00+02:00"), dueAt: new Date("2026-10-24T23:30:00+02:00") }),
    expected: { channel: "email", sendAt: "2026-10-25T07:00:00Z" },
  },

  // ── Consent ────────────────────────────────────────────────────────────────
  {
    name: "opted out everywhere: nothing is sent",
    input: input({ customer: { consent: consent("withdrawn"), preferredChannel: "sms", lastInboundAt: inWindow } }),
    expected: { channel: null, reasons: ["the customer opted out of every channel: nothing is sent", "not sms: the customer opted out of sms"] },
  },
  {
    name: "an opted-out channel is never chosen, even when preferred",
    input: input({ customer: { consent: consent("granted", { sms: "withdrawn" }), preferredChannel: "sms" } }),
    expected: { channel: "email", fallbacks: ["whatsapp"], reasons: ["not sms: the customer opted out of sms"] },
  },
  {
    name: "marketing needs an explicit grant: unknown everywhere → nothing",
    input: input({ kind: "marketing", purpose: "back_in_stock", customer: { consent: consent("unknown"), lastInboundAt: { sms: NOON } } }),
    expected: { channel: null, reasons: ["not sms: marketing needs the customer's explicit consent on sms", "no channel may carry this message: nothing is sent"] },
  },
  {
    name: "marketing goes where consent was granted only",
    input: input({ kind: "marketing", purpose: "broadcast", customer: { consent: consent("unknown", { sms: "granted" }) } }),
    expected: { channel: "sms", fallbacks: [], reasons: ["sms chosen: the only channel allowed"] },
  },
  {
    name: "transactional accepts no answer on a channel the customer wrote on",
    input: input({ customer: { consent: consent("unknown"), lastInboundAt: { sms: new Date(NOON.getTime() - 48 * HOUR) } } }),
    expected: { channel: "sms", reasons: ["not email: no consent on email and the customer has never used it with the shop"] },
  },
  {
    name: "transactional accepts no answer on an address given at checkout",
    input: input({ purpose: "thank_you", customer: { consent: consent("unknown"), usedChannels: ["email"] } }),
    expected: { channel: "email", fallbacks: [] },
  },
  {
    name: "transactional refuses a channel with no answer the customer never used",
    input: input({ customer: { consent: consent("unknown") } }),
    expected: { channel: null, reasons: ["not whatsapp: no consent on whatsapp and the customer has never used it with the shop"] },
  },
  {
    name: "a broadcast is marketing even when called transactional",
    input: input({ kind: "transactional", purpose: "broadcast", customer: { consent: consent("unknown", { email: "granted" }), lastInboundAt: { sms: NOON } } }),
    expected: { channel: "email", sendAt: "2026-01-12T12:00:00+01:00", fallbacks: [], reasons: ["a broadcast is a marketing message", "not sms: marketing needs"] },
  },

  // ── WhatsApp 24-hour window ────────────────────────────────────────────────
  {
    name: "WhatsApp inside the window: free text, free of charge",
    input: input({ customer: { lastInboundAt: inWindow } }),
    expected: { channel: "whatsapp", template: false, cost: 0, fallbacks: ["email", "sms"], reasons: ["whatsapp free text (inside the 24-hour window) chosen: the channel the customer last wrote on"] },
  },
  {
    name: "WhatsApp outside the window with an approved template: template",
    input: input({ customer: { preferredChannel: "whatsapp", lastInboundAt: { whatsapp: new Date(NOON.getTime() - 30 * HOUR) } } }),
    expected: { channel: "whatsapp", template: true, cost: 0.05, reasons: ["whatsapp with an approved template (outside the 24-hour window) chosen: the customer's preferred channel"] },
  },
  {
    name: "WhatsApp outside the window without a template: not WhatsApp",
    input: input({ shop: { whatsappTemplates: [{ purpose: "thank_you", language: "fr" }] }, customer: { preferredChannel: "whatsapp" } }),
    expected: { channel: "email", fallbacks: ["sms"], reasons: ['not whatsapp: whatsapp is outside the 24-hour window at send time and there is no approved template for pickup_reminder in "fr"'] },
  },
  {
    name: "a template registered in Settings under the app's template id serves its purpose",
    input: input({ shop: { whatsappTemplates: [{ purpose: "reminder.pickup", language: "fr" }] }, customer: { preferredChannel: "whatsapp" } }),
    expected: { channel: "whatsapp", template: true },
  },
  {
    name: "a template registered for another of the app's templates does not count",
    input: input({ shop: { whatsappTemplates: [{ purpose: "order.thank_you", language: "fr" }] }, customer: { preferredChannel: "whatsapp" } }),
    expected: { channel: "email", reasons: ['no approved template for pickup_reminder in "fr"'] },
  },
  {
    name: "a template in another language does not count",
    input: input({ customer: { preferredChannel: "whatsapp", language: "en" } }),
    expected: { channel: "email", reasons: ['no approved template for pickup_reminder in "en"'] },
  },
  {
    name: "a template matches on the primary language (fr-FR uses fr)",
    input: input({ customer: { preferredChannel: "whatsapp", language: "fr-FR" } }),
    expected: { channel: "whatsapp", template: true },
  },
  {
    name: "the window is judged at send time: open at 23:30, closed by the 08:00 deferral",
    input: input({
      purpose: "thank_you",
      now: new Date("2026-01-12T23:30:00+01:00"),
      dueAt: new Date("2026-01-12T23:30:00+01:00"),
      customer: { lastInboundAt: { whatsapp: new Date("2026-01-12T07:00:00+01:00") } },
    }),
    expected: { channel: "whatsapp", template: true, sendAt: "2026-01-13T08:00:00+01:00" },
  },
  {
    name: "exactly 24 hours after the customer's message the window is closed",
    input: input({ customer: { lastInboundAt: { whatsapp: new Date(NOON.getTime() - 24 * HOUR) } } }),
    expected: { channel: "whatsapp", template: true },
  },
  {
    name: "one minute before 24 hours the window is still open",
    input: input({ customer: { lastInboundAt: { whatsapp: new Date(NOON.getTime() - 24 * HOUR + 60_000) } } }),
    expected: { channel: "whatsapp", template: false },
  },

  // ── Fallback after a failure ───────────────────────────────────────────────
  {
    name: "first plan: WhatsApp, SMS as the fallback",
    input: input({ customer: { email: null, lastInboundAt: inWindow } }),
    expected: { channel: "whatsapp", fallbacks: ["sms"], reasons: ["not email: the customer has no email address"] },
  },
  {
    name: "after a failed WhatsApp: SMS",
    input: input({ failedChannels: ["whatsapp"], customer: { email: null, lastInboundAt: inWindow } }),
    expected: { channel: "sms", fallbacks: [], cost: 0.08, reasons: ["not whatsapp: whatsapp already failed for this message"] },
  },
  {
    name: "every channel failed: nothing more",
    input: input({ failedChannels: ["whatsapp", "sms", "email"] }),
    expected: { channel: null, reasons: ["not email: email already failed for this message", "no channel may carry this message"] },
  },

  // ── Contacts and connected channels ────────────────────────────────────────
  {
    name: "no phone: neither SMS nor WhatsApp",
    input: input({ customer: { phone: null, preferredChannel: "sms" } }),
    expected: { channel: "email", fallbacks: [], reasons: ["not sms: the customer has no phone number", "not whatsapp: the customer's phone is not known to be on WhatsApp"] },
  },
  {
    name: "a phone not on WhatsApp",
    input: input({ customer: { whatsappCapable: false, lastInboundAt: { sms: NOON } } }),
    expected: { channel: "sms", reasons: ["not whatsapp: the customer's phone is not known to be on WhatsApp"] },
  },
  {
    name: "a channel the shop has not connected",
    input: input({ shop: { connectedChannels: ["sms"] }, customer: { preferredChannel: "email" } }),
    expected: { channel: "sms", reasons: ["not email: the shop has no email channel connected", "not whatsapp: the shop has no whatsapp channel connected"] },
  },
  {
    name: "no contact at all",
    input: input({ customer: { phone: null, email: null } }),
    expected: { channel: null, reasons: ["no channel may carry this message: nothing is sent"] },
  },

  // ── Content ────────────────────────────────────────────────────────────────
  {
    name: "rich media: email or WhatsApp before a preferred SMS",
    input: input({ purpose: "back_in_stock", content: { hasRichMedia: true }, customer: { preferredChannel: "sms" } }),
    expected: { channel: "email", fallbacks: ["whatsapp", "sms"], reasons: ["email chosen: the cheapest (0.001 €) among equally suited channels", "sms is fallback #2: SMS cannot carry the images (text only): last resort"] },
  },
  {
    name: "rich media with only SMS allowed: SMS, text only, rather than nothing",
    input: input({ content: { hasRichMedia: true }, shop: { connectedChannels: ["sms"] } }),
    expected: { channel: "sms", reasons: ["sms: SMS cannot carry the images (text only): last resort"] },
  },
  {
    name: "long GSM text (4 segments): email before a preferred SMS",
    input: input({ content: { text: LONG_GSM }, customer: { preferredChannel: "sms", lastInboundAt: inWindow } }),
    expected: { channel: "email", fallbacks: ["whatsapp", "sms"], reasons: ["whatsapp is fallback #1: a long text goes by email first"] },
  },
  {
    name: "long UCS-2 text (202 characters, 4 segments): email",
    input: input({ content: { text: LONG_UCS2 }, customer: { preferredChannel: "sms" } }),
    expected: { channel: "email", fallbacks: ["whatsapp", "sms"] },
  },
  {
    name: "long text: email chosen for the content over a cheaper WhatsApp in its window",
    input: input({ content: { text: LONG_GSM }, customer: { lastInboundAt: inWindow } }),
    expected: { channel: "email", cost: 0.001, reasons: ["email chosen: the best fit for the content"] },
  },
  {
    name: "459 GSM characters is 3 segments, not long: the preferred SMS, 3 segments billed",
    input: input({ content: { text: "a".repeat(459) }, customer: { preferredChannel: "sms" } }),
    expected: { channel: "sms", cost: 0.24, reasons: ["sms chosen: the customer's preferred channel"] },
  },
  {
    name: "long text with email out of reach: WhatsApp before SMS",
    input: input({ content: { text: LONG_GSM }, customer: { email: null, preferredChannel: "sms" } }),
    expected: { channel: "whatsapp", template: true, fallbacks: ["sms"] },
  },

  // ── Preference and cost ────────────────────────────────────────────────────
  {
    name: "preference wins among equally allowed channels, whatever the cost",
    input: input({ customer: { preferredChannel: "sms" } }),
    expected: { channel: "sms", cost: 0.08, fallbacks: ["email", "whatsapp"], reasons: ["sms chosen: the customer's preferred channel", "email is fallback #1: not the customer's preferred channel"] },
  },
  {
    name: "no preference: the cheapest",
    input: input(),
    expected: { channel: "email", cost: 0.001, fallbacks: ["whatsapp", "sms"], reasons: ["email chosen: the cheapest (0.001 €) among equally suited channels", "sms is fallback #2: costs more (0.08 € against 0.001 €)"] },
  },
  {
    name: "no stated preference: the channel the customer last wrote on",
    input: input({ customer: { lastInboundAt: { email: new Date(NOON.getTime() - 72 * HOUR), sms: new Date(NOON.getTime() - 48 * HOUR) } } }),
    expected: { channel: "sms", reasons: ["sms chosen: the channel the customer last wrote on"] },
  },
  {
    name: "the shop's own costs",
    input: input({ shop: { costs: { email: 0.2 } } }),
    expected: { channel: "whatsapp", template: true, cost: 0.05, fallbacks: ["sms", "email"] },
  },
  {
    name: "SMS is billed per segment: 2 segments",
    input: input({ content: { text: "b".repeat(200) }, customer: { preferredChannel: "sms" } }),
    expected: { channel: "sms", cost: 0.16 },
  },

  // ── Urgency ────────────────────────────────────────────────────────────────
  {
    name: "urgent at 07:30: goes out now (07:00–22:00)",
    input: input({ purpose: "hold_expiry", urgency: "urgent", now: new Date("2026-01-12T07:30:00+01:00"), dueAt: new Date("2026-01-12T07:30:00+01:00") }),
    expected: { channel: "sms", sendAt: "2026-01-12T07:30:00+01:00", reasons: ["urgent: allowed 07:00–22:00"] },
  },
  {
    name: "not urgent at 07:30: waits for 08:00",
    input: input({ purpose: "hold_expiry", now: new Date("2026-01-12T07:30:00+01:00"), dueAt: new Date("2026-01-12T07:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-12T08:00:00+01:00" },
  },
  {
    name: "urgent at 22:30: the night stays quiet, 07:00 the next day",
    input: input({ purpose: "tracking_alert", urgency: "urgent", now: new Date("2026-01-12T22:30:00+01:00"), dueAt: new Date("2026-01-12T22:30:00+01:00") }),
    expected: { channel: "sms", sendAt: "2026-01-13T07:00:00+01:00" },
  },
  {
    name: "urgent: WhatsApp in its window first, even over a preferred email",
    input: input({ urgency: "urgent", customer: { preferredChannel: "email", lastInboundAt: inWindow } }),
    expected: { channel: "whatsapp", template: false, fallbacks: ["sms", "email"], reasons: ["chosen: the fastest for an urgent message", "email is fallback #2: slower for an urgent message"] },
  },
  {
    name: "urgent, WhatsApp outside its window: SMS before the template and the preferred email",
    input: input({ urgency: "urgent", customer: { preferredChannel: "email" } }),
    expected: { channel: "sms", fallbacks: ["whatsapp", "email"], reasons: ["sms chosen: the fastest for an urgent message"] },
  },
  {
    name: "urgency means nothing for marketing: marketing hours, usual ranking",
    input: input({ kind: "marketing", purpose: "back_in_stock", urgency: "urgent", dueAt: new Date("2026-01-12T08:30:00+01:00"), now: new Date("2026-01-12T08:30:00+01:00") }),
    expected: { channel: "email", sendAt: "2026-01-12T10:00:00+01:00", reasons: ["urgency ignored: marketing is never urgent"] },
  },

  // ── Elsewhere ──────────────────────────────────────────────────────────────
  {
    name: "a customer in New York: quiet hours on New York's clock",
    input: input({ purpose: "thank_you", now: new Date("2026-01-12T23:30:00-05:00"), dueAt: new Date("2026-01-12T23:30:00-05:00"), customer: { timeZone: "America/New_York", country: "US" } }),
    expected: { channel: "email", sendAt: "2026-01-13T08:00:00-05:00" },
  },
  {
    name: "shop settings: a later transactional opening",
    input: input({ now: new Date("2026-01-12T08:30:00+01:00"), dueAt: new Date("2026-01-12T08:30:00+01:00"), shop: { sendWindows: { transactional: { start: "09:00" } } } }),
    expected: { channel: "email", sendAt: "2026-01-12T09:00:00+01:00" },
  },
];

function check(plan: DeliveryPlan, expected: Expected): void {
  expect(plan.channel).toBe(expected.channel);
  for (const reason of expected.reasons ?? []) {
    expect(plan.reasons.some((r) => r.includes(reason)), `"${reason}" in ${JSON.stringify(plan.reasons, null, 1)}`).toBe(true);
  }
  if (plan.channel === null) return;
  if (expected.sendAt) expect(plan.sendAt.toISOString()).toBe(new Date(expected.sendAt).toISOString());
  if (expected.template !== undefined) expect(plan.template).toBe(expected.template);
  if (expected.fallbacks) expect(plan.fallbacks).toEqual(expected.fallbacks);
  if (expected.cost !== undefined) expect(plan.estimatedCost).toEqual({ amount: expected.cost, currency: "EUR" });
}

describe("chooseDelivery", () => {
  it.each(cases)("$name", ({ input: facts, expected }) => {
    check(chooseDelivery(facts), expected);
  });

  it.each(cases)("every channel is accounted for in the reasons: $name", ({ input: facts }) => {
    const plan = chooseDelivery(facts);
    for (const channel of ALL) {
      const said = plan.reasons.some((r) => r.startsWith(`not ${channel}:`) || r.startsWith(`${channel} `));
      expect(said, `${channel} in ${JSON.stringify(plan.reasons, null, 1)}`).toBe(true);
    }
  });

  it("the fallbacks are exactly what the next plan chooses after each failure", () => {
    const first = input({ customer: { lastInboundAt: inWindow } });
    const plan = chooseDelivery(first);
    const tried: ChannelKind[] = [];
    const chain: Array<ChannelKind | null> = [plan.channel];
    for (let next = plan; next.channel !== null; ) {
      tried.push(next.channel);
      next = chooseDelivery({ ...first, failedChannels: [...tried] });
      chain.push(next.channel);
    }
    expect(plan.channel === null ? [] : [plan.channel, ...plan.fallbacks, null]).toEqual(chain);
    expect(chain).toEqual(["whatsapp", "email", "sms", null]);
  });

  it("does not depend on the order the shop lists its channels in", () => {
    const a = chooseDelivery(input({ shop: { connectedChannels: ["sms", "whatsapp", "email"] } }));
    const b = chooseDelivery(input({ shop: { connectedChannels: ["email", "whatsapp", "sms"] } }));
    expect(b).toEqual(a);
  });

  it("uses the documented default costs", () => {
    expect(DEFAULT_CHANNEL_COSTS).toEqual({ smsSegment: 0.08, whatsappTemplate: 0.05, whatsappInWindow: 0, email: 0.001 });
  });
});
