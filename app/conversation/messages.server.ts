/**
 * Conversations and messages in our database. Every function takes the shop id and filters on it:
 * one shop can never read or write another shop's customers or messages.
 */
import { and, desc, eq, getTableColumns, inArray, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { channelAccounts, conversations, customers, messages, shops } from "../../db/schema";
import type { Database } from "~/db.server";
import type { MessageStatus } from "../../db/schema/conversations";
import type { ChannelKind, DeliveryStatusUpdate, InboundMessage } from "~/plugins/types";

export type MessageRow = typeof messages.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;

/** The shop that owns a receiving number/address on a provider, or null. */
export async function findChannelAccount(db: Database, provider: string, address: string) {
  const [row] = await db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.provider, provider), eq(channelAccounts.address, address)))
    .limit(1);
  return row ?? null;
}

/**
 * The customer behind this phone or email, created on first contact: one statement (an upsert
 * that changes nothing on an existing row), safe when two first messages race.
 */
export type ChannelAccountRow = typeof channelAccounts.$inferSelect;

/**
 * `findChannelAccount` remembered for `ttlMs` per provider and address (found or not): every
 * webhook needs it and numbers change owner rarely; a number connected or moved is seen within
 * `ttlMs`, at once after `clear()` (the settings page calls it when it connects or disconnects one).
 */
export function createChannelAccountCache(deps: { db: Database; clock: { now(): Date }; ttlMs: number; maxEntries?: number }) {
  const entries = new Map<string, { row: ChannelAccountRow | null; until: number }>();
  const lookup = async (provider: string, address: string): Promise<ChannelAccountRow | null> => {
    const key = `${provider}\u0000${address}`;
    const now = deps.clock.now().getTime();
    const hit = entries.get(key);
    if (hit && hit.until > now) return hit.row;
    const row = await findChannelAccount(deps.db, provider, address);
    // Bounded: webhooks for unknown numbers must not grow it without end.
    if (entries.size >= (deps.maxEntries ?? 10_000)) entries.clear();
    entries.set(key, { row, until: now + deps.ttlMs });
    return row;
  };
  return Object.assign(lookup, { clear: () => entries.clear() });
}

async function findOrCreateCustomer(db: Database, shopId: string, channel: ChannelKind, address: string, now: Date) {
  const byPhone = channel !== "email";
  const [row] = await db
    .insert(customers)
    .values({ shopId, phone: byPhone ? address : null, email: byPhone ? null : address, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: byPhone ? [customers.shopId, customers.phone] : [customers.shopId, customers.email],
      // A no-op write, so that RETURNING gives the existing row.
      set: byPhone ? { phone: sql`excluded.phone` } : { email: sql`excluded.email` },
    })
    // xmax is 0 on a row this statement inserted (PostgreSQL's MVCC; PGlite is PostgreSQL).
    .returning({ ...getTableColumns(customers), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("customer upsert returned nothing");
  const { created, ...customer } = row;
  return { customer, created };
}

/**
 * The customer's latest conversation on this channel, touched, unless it is closed; otherwise a
 * new one. Two statements at most; one open conversation per customer and channel is kept by a
 * partial unique index, so a racing first message reads the winner's. `customerWrote`: the touch is
 * her message (the inbox's unread state), not one of ours.
 */
export async function openConversation(db: Database, shopId: string, customerId: string, channel: ChannelKind, now: Date, customerWrote = false): Promise<ConversationRow> {
  const lastInboundAt = customerWrote ? { lastInboundAt: now } : {};
  const latest = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), eq(conversations.channel, channel)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  const [open] = await db
    .update(conversations)
    .set({ lastMessageAt: now, ...lastInboundAt })
    .where(and(eq(conversations.shopId, shopId), inArray(conversations.id, latest), ne(conversations.status, "closed")))
    .returning();
  if (open) return open;
  const [created] = await db
    .insert(conversations)
    .values({ shopId, customerId, channel, status: "open", lastMessageAt: now, ...lastInboundAt, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [winner] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), eq(conversations.channel, channel), ne(conversations.status, "closed")))
    .limit(1);
  if (!winner) throw new Error("conversation vanished after a unique conflict");
  return winner;
}

export type StoreInboundResult =
  | { outcome: "stored"; message: MessageRow; customerCreated: boolean }
  | { outcome: "duplicate"; message: MessageRow };

/**
 * Store one inbound message (creating the customer on first contact and the conversation), or
 * recognise a provider retry by its provider message id.
 */
export async function storeInboundMessage(
  db: Database,
  input: { shopId: string; provider: string; inbound: InboundMessage; now: Date },
): Promise<StoreInboundResult> {
  const { shopId, provider, inbound, now } = input;
  // No transaction: each step is one idempotent statement, so a retry after a crash between them
  // finds the customer and conversation and inserts the message. This is the hot path of every
  // webhook (npm run bench): three round trips for a new message.
  const { customer, created } = await findOrCreateCustomer(db, shopId, inbound.channel, inbound.from, now);
  const conversation = await openConversation(db, shopId, customer.id, inbound.channel, now, true);
  const [message] = await db
    .insert(messages)
    .values({
      shopId,
      conversationId: conversation.id,
      customerId: customer.id,
      direction: "inbound",
      author: "customer",
      channel: inbound.channel,
      provider,
      providerMessageId: inbound.providerMessageId,
      fromAddress: inbound.from,
      toAddress: inbound.to,
      body: inbound.body,
      subject: inbound.subject ?? null,
      emailMessageId: inbound.emailMessageId ?? null,
      status: "received",
      createdAt: now,
    })
    .onConflictDoNothing({ target: [messages.provider, messages.providerMessageId] })
    .returning();
  if (message) return { outcome: "stored", message, customerCreated: created };
  // The provider delivered this message before (a retry, or a concurrent duplicate).
  const [first] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, inbound.providerMessageId)))
    .limit(1);
  if (!first) throw new Error("message vanished after a unique conflict");
  return { outcome: "duplicate", message: first };
}

export async function getMessage(db: Database, shopId: string, messageId: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.id, messageId)))
    .limit(1);
  return row ?? null;
}

/**
 * What the engine starts from, in one round trip (it runs for every message): the inbound message,
 * the reply already written to it (a retried job), its shop, conversation and customer. Null when
 * the message is not this shop's; the others are null when missing.
 */
export async function loadInboundContext(db: Database, shopId: string, messageId: string) {
  const reply = alias(messages, "reply");
  const [row] = await db
    .select({ message: messages, reply, shop: shops, conversation: conversations, customer: customers })
    .from(messages)
    .leftJoin(reply, and(eq(reply.shopId, messages.shopId), eq(reply.inReplyTo, messages.id)))
    .leftJoin(shops, eq(shops.id, messages.shopId))
    .leftJoin(conversations, and(eq(conversations.shopId, messages.shopId), eq(conversations.id, messages.conversationId)))
    .leftJoin(customers, and(eq(customers.shopId, messages.shopId), eq(customers.id, messages.customerId)))
    .where(and(eq(messages.shopId, shopId), eq(messages.id, messageId)))
    .limit(1);
  return row ?? null;
}

export async function getCustomer(db: Database, shopId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shopId, shopId), eq(customers.id, customerId)))
    .limit(1);
  return row ?? null;
}

export async function listCustomers(db: Database, shopId: string) {
  return db.select().from(customers).where(eq(customers.shopId, shopId)).orderBy(desc(customers.createdAt));
}

/** The shop's latest messages, newest first, with the customer's address and name. */
export async function listRecentMessages(db: Database, shopId: string, limit = 20) {
  return db
    .select({
      id: messages.id,
      direction: messages.direction,
      author: messages.author,
      channel: messages.channel,
      body: messages.body,
      status: messages.status,
      createdAt: messages.createdAt,
      latencyMs: messages.latencyMs,
      customerPhone: customers.phone,
      customerEmail: customers.email,
      customerFirstName: customers.firstName,
      customerLastName: customers.lastName,
    })
    .from(messages)
    .innerJoin(customers, eq(customers.id, messages.customerId))
    .where(eq(messages.shopId, shopId))
    .orderBy(desc(messages.createdAt))
    .limit(limit);
}

/** The AI's reply to an inbound message, if one was already produced. */
export async function findReplyTo(db: Database, shopId: string, inboundId: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.inReplyTo, inboundId)))
    .limit(1);
  return row ?? null;
}

/** How far along a message is; a report never moves it back, and "failed" is final. */
const PROGRESS: Record<string, number> = { pending: 0, outbox: 0, sent: 1, delivered: 2, read: 3 };

export type DeliveryStatusOutcome = "updated" | "stale" | "unknown";

/**
 * Apply one provider delivery report to the outbound message it concerns (matched on the
 * provider's message id). Reports arrive out of order and more than once: a "sent" after
 * "delivered" changes nothing, a repeat changes nothing, "failed" wins and keeps its error code.
 * With `shopId` (the shop whose own credentials verified the report), only that shop's messages
 * are touched: a merchant holding her own token cannot move another shop's messages. Without it
 * (a report verified with the deployment's credentials, from a number no shop owns any more) the
 * lookup is by provider id alone: it is unique to that provider, and the message carries its shop.
 */
export async function applyDeliveryStatus(
  db: Database,
  input: { provider: string; update: DeliveryStatusUpdate; now: Date; shopId?: string | null },
): Promise<DeliveryStatusOutcome> {
  const { provider, update, now } = input;
  const [message] = await db
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(
      and(
        eq(messages.provider, provider),
        eq(messages.providerMessageId, update.providerMessageId),
        eq(messages.direction, "outbound"),
        ...(input.shopId ? [eq(messages.shopId, input.shopId)] : []),
      ),
    )
    .limit(1);
  if (!message) return "unknown";
  if (message.status === "failed") return "stale";
  const next: MessageStatus = update.state === "queued" ? "sent" : update.state;
  if (next !== "failed" && (PROGRESS[next] ?? 0) <= (PROGRESS[message.status] ?? 0)) return "stale";
  await db
    .update(messages)
    .set({
      status: next,
      statusUpdatedAt: update.at ?? now,
      ...(next === "failed"
        ? { errorCode: update.errorCode, error: update.errorMessage ?? `${provider}: ${update.providerStatus}${update.errorCode ? ` (${update.errorCode})` : ""}` }
        : {}),
    })
    .where(eq(messages.id, message.id));
  return "updated";
}
