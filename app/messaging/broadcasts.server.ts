/**
 * Broadcasts: a segment of the shop's customers × the merchant's text.
 *   prepare  → who would receive it (consent filtered), on which channel, for how much, and how
 *              many were left out and why — nothing is written;
 *   schedule → one scheduled message per recipient (type "broadcast"), armed as delayed jobs; the
 *              orchestrator sends each in marketing hours (France: Mon–Sat 10:00–20:00, never on a
 *              public holiday), on a channel the customer explicitly agreed to;
 *   progress → queued / sent / delivered / failed, from those messages.
 * The customers are the ones who have written to the shop (our customers table), enriched with
 * their Shopify profile (tags, orders, marketing consent) — a boutique's few hundred, one lookup each.
 * A customer with several identities (her phone and her email, linked to one Shopify customer) is
 * one recipient: the broadcast goes to the identity she wrote from last that may receive it.
 */
import { and, eq, inArray, like } from "drizzle-orm";
import { broadcasts, customers, messages, scheduledMessages, shops, type BroadcastSegment } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import type { ChannelKind, Customers, CustomerWriter, Orders, ShopCustomer } from "~/plugins/types";
import type { ConsentState } from "./orchestrator";
import { deliveryFacts, planDelivery, type PreparedConsent, type RenderProactive } from "./proactive.server";
import { armQuietly, type ArmScheduledMessage } from "./scheduling.server";

const ACTIVE_DAYS = 30;

export interface BroadcastDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The shop's Shopify customers and orders (tags, order count, marketing consent, purchases). */
  capabilities(shopDomain: string): Promise<{ customers: Customers & Partial<Pick<CustomerWriter, "profile">>; orders?: Orders }>;
  render: RenderProactive;
  armScheduledMessage?: ArmScheduledMessage;
}

export interface BroadcastRecipient {
  customerId: string;
  channel: ChannelKind;
  consent: PreparedConsent;
}

export interface BroadcastPreparation {
  recipients: BroadcastRecipient[];
  byChannel: Record<ChannelKind, number>;
  /** Left out, by reason ("not in the segment", "no marketing consent on a connected channel" …). */
  excluded: Record<string, number>;
  estimatedCost: { amount: number; currency: "EUR" };
}

export class BroadcastInputError extends Error {
  override name = "BroadcastInputError";
}

export async function prepareBroadcast(
  deps: BroadcastDeps,
  input: { shopId: string; segment: BroadcastSegment; text: string; sendAt: Date },
): Promise<BroadcastPreparation> {
  const text = input.text.trim();
  if (text === "") throw new BroadcastInputError("the message is empty");
  if (text.length > 1000) throw new BroadcastInputError("the message is longer than 1,000 characters");
  const { db } = deps;
  const [shop] = await db.select().from(shops).where(eq(shops.id, input.shopId)).limit(1);
  if (!shop) throw new BroadcastInputError("no such shop");
  const caps = await deps.capabilities(shop.domain);
  const now = deps.clock.now();
  const list = await db.select().from(customers).where(eq(customers.shopId, shop.id));
  const out: BroadcastPreparation = { recipients: [], byChannel: { sms: 0, whatsapp: 0, email: 0 }, excluded: {}, estimatedCost: { amount: 0, currency: "EUR" } };
  const exclude = (reason: string) => (out.excluded[reason] = (out.excluded[reason] ?? 0) + 1);
  const language = shop.locale.toLowerCase().startsWith("fr") ? "fr" : "en";

  for (const identities of customersOf(list)) {
    // Her identities, the one she wrote from last first: that is where the broadcast goes, when it can.
    const known = await Promise.all(identities.map(async (customer) => ({ customer, facts: await deliveryFacts(db, shop.id, customer.id) })));
    known.sort((x, y) => lastWrote(y.facts.lastInboundAt) - lastWrote(x.facts.lastInboundAt));
    let shopify: ShopCustomer | null = null;
    for (const { customer } of known) shopify ??= await findShopifyCustomer(caps.customers, customer);
    const lastInboundAt = latestPerChannel(known.map((k) => k.facts.lastInboundAt));
    if (!(await inSegment(input.segment, shopify, lastInboundAt, now, caps.orders))) {
      exclude("not in the segment");
      continue;
    }
    const consent = await profileConsent(caps.customers, shopify);
    let chosen: { customer: (typeof list)[number]; channel: ChannelKind; cost: number } | null = null;
    let refused: string | null = null;
    for (const { customer } of known) {
      const withProfile = await deliveryFacts(db, shop.id, customer.id, consent);
      const content = deps.render({
        type: "broadcast",
        channel: "sms",
        language: (customer.locale ?? language).toLowerCase().startsWith("fr") ? "fr" : "en",
        tone: shop.settings.tone,
        timeZone: shop.timezone,
        now,
        facts: { shopName: shop.name, firstName: customer.firstName ?? shopify?.firstName ?? null, hold: null, visitAt: null, order: null, product: null, text },
        whatsappTemplates: shop.settings.messaging?.whatsappTemplates ?? [],
      });
      const plan = planDelivery({
        type: "broadcast",
        text: content.body,
        facts: withProfile,
        customer,
        shop,
        language,
        preferredChannel: null,
        now: input.sendAt,
        dueAt: input.sendAt,
      });
      if (plan.channel !== null) {
        chosen = { customer, channel: plan.channel, cost: plan.estimatedCost.amount };
        break;
      }
      refused ??= withProfile.connectedChannels.some((c) => withProfile.consentOf(c) === "withdrawn") ? "opted out" : "no marketing consent on a connected channel";
    }
    if (!chosen) {
      exclude(refused ?? "no marketing consent on a connected channel");
      continue;
    }
    out.recipients.push({ customerId: chosen.customer.id, channel: chosen.channel, consent });
    out.byChannel[chosen.channel]++;
    out.estimatedCost.amount += chosen.cost;
  }
  out.estimatedCost.amount = Math.round(out.estimatedCost.amount * 1000) / 1000;
  return out;
}

/** Save a draft with its preparation (recipients and cost), for the merchant to review. */
export async function createBroadcast(deps: BroadcastDeps, input: { shopId: string; name: string; segment: BroadcastSegment; text: string; sendAt: Date }) {
  const name = input.name.trim();
  if (name === "") throw new BroadcastInputError("give the broadcast a name");
  const prepared = await prepareBroadcast(deps, input);
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(broadcasts)
    .values({
      shopId: input.shopId,
      name,
      segment: input.segment,
      text: input.text.trim(),
      status: "draft",
      sendAt: input.sendAt,
      recipientCount: prepared.recipients.length,
      excluded: prepared.excluded,
      estimatedCost: prepared.estimatedCost.amount,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("broadcast insert returned nothing");
  return { broadcast: row, preparation: prepared };
}

/**
 * Send a draft: consent is read again now (someone may have said STOP since the draft), then one
 * scheduled message per recipient is stored and armed. Scheduling twice schedules once.
 */
export async function scheduleBroadcast(deps: BroadcastDeps, input: { shopId: string; broadcastId: string }) {
  const { db } = deps;
  const [broadcast] = await db.select().from(broadcasts).where(and(eq(broadcasts.shopId, input.shopId), eq(broadcasts.id, input.broadcastId))).limit(1);
  if (!broadcast) throw new BroadcastInputError("no such broadcast");
  if (broadcast.status !== "draft") return { broadcast, scheduled: 0 };
  const now = deps.clock.now();
  const sendAt = broadcast.sendAt.getTime() > now.getTime() ? broadcast.sendAt : now;
  const prepared = await prepareBroadcast(deps, { shopId: broadcast.shopId, segment: broadcast.segment, text: broadcast.text, sendAt });
  const rows = prepared.recipients.length
    ? await db
        .insert(scheduledMessages)
        .values(
          prepared.recipients.map((r) => ({
            shopId: broadcast.shopId,
            customerId: r.customerId,
            type: "broadcast" as const,
            channel: r.channel,
            dueAt: sendAt,
            status: "scheduled" as const,
            causeType: "broadcast",
            causeId: `${broadcast.id}:${r.customerId}`,
            payload: { broadcastId: broadcast.id, text: broadcast.text, consent: r.consent },
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: scheduledMessages.id, shopId: scheduledMessages.shopId, dueAt: scheduledMessages.dueAt })
    : [];
  await armQuietly(deps.armScheduledMessage, rows, deps.logger);
  const [updated] = await db
    .update(broadcasts)
    .set({ status: "scheduled", recipientCount: prepared.recipients.length, excluded: prepared.excluded, estimatedCost: prepared.estimatedCost.amount, updatedAt: now })
    .where(eq(broadcasts.id, broadcast.id))
    .returning();
  deps.logger.info("broadcast scheduled", { broadcastId: broadcast.id, recipients: rows.length });
  return { broadcast: updated ?? broadcast, scheduled: rows.length };
}

/** Stop a broadcast: what has not gone yet never goes. */
export async function cancelBroadcast(deps: Pick<BroadcastDeps, "db" | "clock">, input: { shopId: string; broadcastId: string }) {
  const now = deps.clock.now();
  await deps.db
    .update(scheduledMessages)
    .set({ status: "cancelled", updatedAt: now })
    .where(
      and(
        eq(scheduledMessages.shopId, input.shopId),
        eq(scheduledMessages.causeType, "broadcast"),
        like(scheduledMessages.causeId, `${input.broadcastId}:%`),
        inArray(scheduledMessages.status, ["scheduled", "deferred"]),
      ),
    );
  await deps.db.update(broadcasts).set({ status: "cancelled", updatedAt: now }).where(and(eq(broadcasts.shopId, input.shopId), eq(broadcasts.id, input.broadcastId)));
}

export interface BroadcastProgress {
  recipients: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  cancelled: number;
}

/** Where a broadcast stands, from its scheduled messages and the messages they became. */
export async function broadcastProgress(db: Database, input: { shopId: string; broadcastId: string }): Promise<BroadcastProgress> {
  const rows = await db
    .select({ status: scheduledMessages.status, payload: scheduledMessages.payload })
    .from(scheduledMessages)
    .where(and(eq(scheduledMessages.shopId, input.shopId), eq(scheduledMessages.causeType, "broadcast"), like(scheduledMessages.causeId, `${input.broadcastId}:%`)));
  const messageIds = rows.flatMap((r) => (typeof r.payload.messageId === "string" ? [r.payload.messageId] : []));
  const sent = messageIds.length
    ? await db.select({ id: messages.id, status: messages.status }).from(messages).where(and(eq(messages.shopId, input.shopId), inArray(messages.id, messageIds)))
    : [];
  const statusOf = new Map(sent.map((m) => [m.id, m.status]));
  const progress: BroadcastProgress = { recipients: rows.length, queued: 0, sent: 0, delivered: 0, failed: 0, cancelled: 0 };
  for (const row of rows) {
    const message = typeof row.payload.messageId === "string" ? statusOf.get(row.payload.messageId) : undefined;
    if (row.status === "cancelled") progress.cancelled++;
    else if (row.status === "failed" || message === "failed") progress.failed++;
    else if (message === "delivered" || message === "read") progress.delivered++;
    else if (row.status === "sent") progress.sent++;
    else progress.queued++;
  }
  return progress;
}

/**
 * The shop's customers, each as her identities: those linked to the same Shopify customer (her
 * phone and her email) together, so that she receives a broadcast once. Erased identities are left out.
 */
function customersOf<C extends { id: string; shopifyCustomerId: string | null; redactedAt: Date | null }>(identities: C[]): C[][] {
  const byCustomer = new Map<string, C[]>();
  for (const identity of identities) {
    if (identity.redactedAt) continue;
    const key = identity.shopifyCustomerId ?? identity.id;
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), identity]);
  }
  return [...byCustomer.values()];
}

type LastInbound = Partial<Record<ChannelKind, Date | null>>;

function lastWrote(lastInboundAt: LastInbound): number {
  return Math.max(0, ...Object.values(lastInboundAt).map((at) => at?.getTime() ?? 0));
}

function latestPerChannel(all: LastInbound[]): LastInbound {
  const out: LastInbound = {};
  for (const one of all) {
    for (const [channel, at] of Object.entries(one) as Array<[ChannelKind, Date | null]>) {
      const current = out[channel];
      if (at && (!current || at > current)) out[channel] = at;
    }
  }
  return out;
}

async function findShopifyCustomer(shopCustomers: Customers, customer: { phone: string | null; email: string | null }): Promise<ShopCustomer | null> {
  return (customer.phone ? await shopCustomers.findByPhone(customer.phone) : null) ?? (customer.email ? await shopCustomers.findByEmail(customer.email) : null);
}

async function inSegment(
  segment: BroadcastSegment,
  shopify: ShopCustomer | null,
  lastInboundAt: Partial<Record<ChannelKind, Date | null>>,
  now: Date,
  orders: Orders | undefined,
): Promise<boolean> {
  const tags = (shopify?.tags ?? []).map((t) => t.toLowerCase());
  switch (segment.kind) {
    case "all":
      return true;
    case "vip":
      return tags.includes("vip");
    case "tag":
      return tags.includes(segment.tag.trim().toLowerCase());
    case "prospect":
      return !shopify || shopify.numberOfOrders === 0;
    case "active":
      return Object.values(lastInboundAt).some((at) => at && now.getTime() - at.getTime() <= ACTIVE_DAYS * 24 * 3600_000);
    case "bought": {
      if (!shopify || !orders) return false;
      const wanted = segment.product.trim().toLowerCase();
      const bought = await orders.byCustomer(shopify.id, 10);
      return bought.some((o) => o.lines.some((l) => l.title.toLowerCase().includes(wanted) || (l.sku ?? "").toLowerCase().includes(wanted)));
    }
  }
}

/** Marketing consent as the shop's customer profile records it (true → granted, false → withdrawn). */
async function profileConsent(shopCustomers: Customers & Partial<Pick<CustomerWriter, "profile">>, shopify: ShopCustomer | null): Promise<PreparedConsent> {
  if (!shopify || !shopCustomers.profile) return {};
  const profile = await shopCustomers.profile(shopify.id);
  const out: PreparedConsent = {};
  for (const channel of ["sms", "whatsapp", "email"] as const) {
    const c = profile?.consent[channel];
    if (c) out[channel] = (c.granted ? "granted" : "withdrawn") satisfies ConsentState;
  }
  return out;
}
