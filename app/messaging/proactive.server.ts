/**
 * Sends one due scheduled message (the `scheduled.send` job's body): gathers what the
 * orchestrator needs — the cause still valid, the customer's contacts, consent and last messages
 * per channel, the shop's connected channels and settings — lets `chooseDelivery` pick the channel
 * and time, renders the message for that channel, stores it in the customer's conversation and
 * hands it over. A refused send is recorded with its reasons, never silently dropped; a failed
 * channel falls back to the next one the plan allows.
 *
 * Once only: the outbound message is stored before the provider is called and its id is kept on
 * the scheduled row, so a retried job delivers that same message (providers with idempotency
 * keys see the same key) or, when it already went, does nothing.
 */
import { and, eq, isNotNull, max } from "drizzle-orm";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { channelAccounts, consents, conversations, customers, holds, messages, scheduledMessages, shops } from "../../db/schema";
import type { ScheduledMessageType } from "../../db/schema/scheduled-messages";
import type { DeliveryResult } from "~/conversation/engine.server";
import { openConversation } from "~/conversation/messages.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { ProviderError, type ChannelKind, type OutboundMessage, type WhatsappTemplateRef } from "~/plugins/types";
import type { ShopSettings } from "~/shops/settings";
import { chooseDelivery, type ConsentState, type MessagePurpose } from "./orchestrator";
import type { MessageKind } from "./quiet-hours";

type ScheduledRow = typeof scheduledMessages.$inferSelect;

/** What a proactive template may say: only these facts, from our rows and the scheduled payload. */
export interface ProactiveFacts {
  shopName: string;
  firstName: string | null;
  hold: { productTitle: string; size: string | null; expiresAt: string } | null;
  visitAt: string | null;
  order: { name: string; lines: Array<{ title: string; size: string | null; quantity: number }> } | null;
  product: { title: string; size: string | null } | null;
  /** A broadcast's text, written by the merchant. */
  text: string | null;
}

export interface ProactiveContent {
  body: string;
  subject?: string;
  html?: string;
  /** The approved template carrying the same content outside the WhatsApp window. */
  whatsappTemplate?: WhatsappTemplateRef | null;
}

/** Renders a proactive message for a channel (templates.ts of app/messaging/templates). */
export type RenderProactive = (input: {
  type: ScheduledMessageType;
  channel: ChannelKind;
  language: "fr" | "en";
  tone: ShopSettings["tone"];
  timeZone: string;
  now: Date;
  facts: ProactiveFacts;
  /** The approved WhatsApp template names of the shop, by purpose and language. */
  whatsappTemplates: ReadonlyArray<{ purpose: string; language: string; name: string }>;
}) => ProactiveContent;

export type ProactiveOutcome =
  | { kind: "sent"; messageId: string; channel: string; reasons: string[] }
  | { kind: "deferred"; until: Date; reasons: string[] }
  | { kind: "cancelled"; reasons: string[] }
  | { kind: "refused"; reasons: string[] };

export interface ProactiveSenderDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  render: RenderProactive;
  /** Hands a message to its provider (the same delivery as replies). */
  deliver(provider: string, message: OutboundMessage, shopId: string): Promise<DeliveryResult>;
}

/** Marketing waits for marketing hours; everything else is a service message (DESIGN §8). */
export const KIND_OF: Record<ScheduledMessageType, MessageKind> = {
  pickup_reminder: "transactional",
  hold_expiry: "transactional",
  thank_you: "transactional",
  follow_up: "marketing",
  back_in_stock: "transactional",
  shipping_update: "transactional",
  tracking_alert: "transactional",
  broadcast: "marketing",
};

const CHANNELS: ChannelKind[] = ["sms", "whatsapp", "email"];

export function createProactiveSender(deps: ProactiveSenderDeps) {
  const { db, clock } = deps;

  async function send(row: ScheduledRow): Promise<ProactiveOutcome> {
    const now = clock.now();
    const [shop] = await db.select().from(shops).where(eq(shops.id, row.shopId)).limit(1);
    if (!shop) return { kind: "cancelled", reasons: ["the shop is gone"] };
    const [customer] = row.customerId
      ? await db.select().from(customers).where(and(eq(customers.shopId, shop.id), eq(customers.id, row.customerId))).limit(1)
      : [];
    if (!customer || customer.redactedAt) return { kind: "refused", reasons: ["no customer to write to (none, or erased on request)"] };

    // The cause must still hold: a picked-up or cancelled hold needs no reminder.
    let hold: ProactiveFacts["hold"] = null;
    if (row.causeType === "hold") {
      const [h] = await db.select().from(holds).where(and(eq(holds.shopId, shop.id), eq(holds.id, row.causeId))).limit(1);
      if (!h || h.status !== "active") return { kind: "cancelled", reasons: [`the hold is ${h?.status ?? "gone"}: nothing to remind`] };
      const item = h.items[0];
      hold = { productTitle: item?.productTitle ?? "", size: item?.size ?? null, expiresAt: h.expiresAt.toISOString() };
    }

    // A retry after the message was stored: deliver that one, or stop when it already went.
    const pendingId = typeof row.payload.messageId === "string" ? row.payload.messageId : null;
    if (pendingId) {
      const [stored] = await db.select().from(messages).where(and(eq(messages.shopId, shop.id), eq(messages.id, pendingId))).limit(1);
      if (stored && stored.status !== "pending") return { kind: "sent", messageId: stored.id, channel: stored.channel, reasons: ["already handed over by an earlier attempt"] };
      if (stored) return deliverStored(stored, ["retrying the delivery of the message stored earlier"]);
    }

    const { connectedChannels, senderFor, consentOf, lastInboundAt } = await deliveryFacts(db, shop.id, customer.id, (row.payload.consent ?? {}) as PreparedConsent);
    const language = (customer.locale ?? shop.locale).toLowerCase().startsWith("fr") ? "fr" : "en";
    const settings = shop.settings;
    const whatsappTemplates = settings.messaging?.whatsappTemplates ?? [];
    const facts: ProactiveFacts = {
      shopName: shop.name,
      firstName: customer.firstName,
      hold,
      visitAt: typeof row.payload.visitAt === "string" ? row.payload.visitAt : null,
      order: orderFacts(row.payload),
      product: typeof row.payload.productTitle === "string" ? { title: row.payload.productTitle, size: typeof row.payload.size === "string" ? row.payload.size : null } : null,
      text: typeof row.payload.text === "string" ? row.payload.text : null,
    };
    const render = (channel: ChannelKind) =>
      deps.render({ type: row.type, channel, language, tone: settings.tone, timeZone: shop.timezone, now, facts, whatsappTemplates });

    const failed: ChannelKind[] = Array.isArray(row.payload.failedChannels) ? (row.payload.failedChannels as ChannelKind[]) : [];
    const reasons: string[] = [];
    for (;;) {
      const plan = planDelivery({
        type: row.type,
        text: render("sms").body,
        facts: { connectedChannels, consentOf, lastInboundAt },
        customer,
        shop,
        language,
        preferredChannel: row.channel,
        now,
        dueAt: row.dueAt,
        failedChannels: failed,
      });
      reasons.push(...plan.reasons);
      if (plan.channel === null) return { kind: "refused", reasons };
      if (plan.sendAt.getTime() > now.getTime() + 1000) return { kind: "deferred", until: plan.sendAt, reasons };

      const channel = plan.channel;
      const account = senderFor(channel);
      const to = channel === "email" ? customer.email : customer.phone;
      if (!account || !to) return { kind: "refused", reasons: [...reasons, `no ${channel} sender or address after all`] };
      const content = render(channel);
      if (plan.template && !content.whatsappTemplate) {
        return { kind: "refused", reasons: [...reasons, "outside the WhatsApp window and no approved template carries this message"] };
      }
      const conversation = await openConversation(db, shop.id, customer.id, channel, now);
      const [stored] = await db
        .insert(messages)
        .values({
          shopId: shop.id,
          conversationId: conversation.id,
          customerId: customer.id,
          direction: "outbound",
          author: "ai",
          channel,
          provider: account.provider,
          fromAddress: account.address,
          toAddress: to,
          body: content.body,
          subject: content.subject ?? null,
          html: content.html ?? null,
          status: "pending",
          createdAt: now,
        })
        .returning();
      if (!stored) throw new Error("message insert returned nothing");
      await db
        .update(scheduledMessages)
        .set({ payload: { ...row.payload, messageId: stored.id, template: plan.template ? (content.whatsappTemplate ?? null) : null }, updatedAt: now })
        .where(eq(scheduledMessages.id, row.id));
      const outcome = await deliverStored(stored, reasons, plan.template ? content.whatsappTemplate ?? undefined : undefined);
      if (outcome.kind !== "refused") return outcome;
      // This channel refused it for good: try the next one the plan allows.
      failed.push(channel);
      row = { ...row, payload: { ...row.payload, messageId: null, failedChannels: failed } };
      await db.update(scheduledMessages).set({ payload: row.payload, updatedAt: now }).where(eq(scheduledMessages.id, row.id));
      reasons.push(...outcome.reasons);
    }
  }

  async function deliverStored(stored: typeof messages.$inferSelect, reasons: string[], template?: WhatsappTemplateRef): Promise<ProactiveOutcome> {
    const outbound: OutboundMessage = {
      messageId: stored.id,
      channel: stored.channel,
      from: stored.fromAddress,
      to: stored.toAddress,
      body: stored.body,
      ...(stored.subject === null ? {} : { subject: stored.subject }),
      ...(stored.html === null ? {} : { html: stored.html }),
      ...(template ? { template } : {}),
    };
    try {
      const result = await deps.deliver(stored.provider, outbound, stored.shopId);
      await db
        .update(messages)
        .set({
          status: result.kind === "sent" ? "sent" : "outbox",
          providerMessageId: result.kind === "sent" ? result.providerMessageId : null,
          error: result.kind === "outbox" ? result.reason : null,
          sentAt: clock.now(),
        })
        .where(eq(messages.id, stored.id));
      return { kind: "sent", messageId: stored.id, channel: stored.channel, reasons };
    } catch (error) {
      if (!(error instanceof ProviderError) || error.details.retryable) throw error; // the job retries
      await db
        .update(messages)
        .set({ status: "failed", error: error.message, errorCode: error.details.code === undefined ? null : String(error.details.code) })
        .where(eq(messages.id, stored.id));
      return { kind: "refused", reasons: [`${stored.channel} refused it: ${error.message}`] };
    }
  }

  return { send };
}

function orderFacts(payload: Record<string, unknown>): ProactiveFacts["order"] {
  if (typeof payload.orderName !== "string") return null;
  const lines = Array.isArray(payload.lines) ? payload.lines : [];
  return {
    name: payload.orderName,
    lines: lines.flatMap((l) =>
      typeof l === "object" && l !== null && "title" in l && typeof l.title === "string"
        ? [{ title: l.title, size: "variantTitle" in l && typeof l.variantTitle === "string" ? l.variantTitle : null, quantity: "quantity" in l && typeof l.quantity === "number" ? l.quantity : 1 }]
        : [],
    ),
  };
}

/** Consent read when a broadcast was prepared (the shop's customer profile), per channel. */
export type PreparedConsent = Partial<Record<ChannelKind, ConsentState>>;

/**
 * What the orchestrator needs to know about one customer of a shop: the channels the shop can
 * reach her on (and through which of its numbers/addresses), her consent per channel and sender,
 * and when she last wrote on each channel.
 */
export async function deliveryFacts(db: Database, shopId: string, customerId: string, prepared: PreparedConsent = {}) {
  const accounts = await db.select().from(channelAccounts).where(eq(channelAccounts.shopId, shopId));
  const consentRows = await db.select().from(consents).where(and(eq(consents.shopId, shopId), eq(consents.customerId, customerId)));
  // From her conversations' last_inbound_at (kept by storeInboundMessage), on the index of
  // (shop_id, customer_id, channel): reading her messages would scan the shop's inbound messages,
  // and this runs for every scheduled message and broadcast recipient.
  const lastRows = await db
    .select({ channel: conversations.channel, at: max(conversations.lastInboundAt) })
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), isNotNull(conversations.lastInboundAt)))
    .groupBy(conversations.channel);
  const lastInboundAt: Partial<Record<ChannelKind, Date | null>> = Object.fromEntries(lastRows.map((r) => [r.channel, r.at ? new Date(r.at) : null]));

  // A Twilio number carries WhatsApp when the customer has reached the shop that way.
  const senderFor = (channel: ChannelKind) =>
    accounts.find((a) => a.channel === channel) ??
    (channel === "whatsapp" && lastInboundAt.whatsapp ? accounts.find((a) => a.channel === "sms" && a.provider === "twilio") : undefined);
  const connectedChannels = CHANNELS.filter((c) => senderFor(c) !== undefined);
  // Our consent rows (STOP/START) win over what a broadcast's preparation read from the profile.
  const consentOf = (channel: ChannelKind): ConsentState => {
    const mine = consentRows.filter((c) => c.channel === channel && (c.sender === "*" || c.sender === senderFor(channel)?.address));
    if (mine.some((c) => c.status === "opted_out")) return "withdrawn";
    if (mine.some((c) => c.status === "opted_in")) return "granted";
    return prepared[channel] ?? "unknown";
  };
  return { connectedChannels, senderFor, consentOf, lastInboundAt };
}

/** The orchestrator's question for one scheduled message type, customer and shop, asked the same way everywhere. */
export function planDelivery(input: {
  type: ScheduledMessageType;
  /** The text as an SMS would carry it (length decides long-text rules). */
  text: string;
  facts: Pick<Awaited<ReturnType<typeof deliveryFacts>>, "connectedChannels" | "consentOf" | "lastInboundAt">;
  customer: { phone: string | null; email: string | null };
  shop: { timezone: string; settings: ShopSettings };
  language: "fr" | "en";
  preferredChannel: ChannelKind | null;
  now: Date;
  dueAt: Date;
  failedChannels?: readonly ChannelKind[];
}) {
  const { facts, customer, shop } = input;
  const messaging = shop.settings.messaging;
  return chooseDelivery({
    kind: KIND_OF[input.type],
    purpose: input.type as MessagePurpose,
    urgency: input.type === "tracking_alert" ? "urgent" : "normal",
    content: { text: input.text, hasRichMedia: false },
    customer: {
      phone: customer.phone,
      email: customer.email,
      whatsappCapable: facts.lastInboundAt.whatsapp !== undefined,
      consent: { sms: facts.consentOf("sms"), whatsapp: facts.consentOf("whatsapp"), email: facts.consentOf("email") },
      preferredChannel: input.preferredChannel,
      lastInboundAt: facts.lastInboundAt,
      usedChannels: input.preferredChannel ? [input.preferredChannel] : [],
      timeZone: shop.timezone,
      country: customer.phone ? (parsePhoneNumberFromString(customer.phone)?.country ?? null) : null,
      language: input.language,
    },
    shop: {
      connectedChannels: facts.connectedChannels,
      whatsappTemplates: (messaging?.whatsappTemplates ?? []).map((t) => ({ purpose: t.purpose, language: t.language })),
      ...(messaging?.costs ? { costs: messaging.costs } : {}),
      ...(messaging?.sendWindows ? { sendWindows: messaging.sendWindows } : {}),
    },
    now: input.now,
    dueAt: input.dueAt,
    ...(input.failedChannels ? { failedChannels: input.failedChannels } : {}),
  });
}
