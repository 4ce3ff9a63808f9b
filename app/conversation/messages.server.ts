/**
 * Conversations and messages in our database. Every function takes the shop id and filters on it:
 * one shop can never read or write another shop's customers or messages.
 */
import { and, desc, eq } from "drizzle-orm";
import { channelAccounts, conversations, customers, messages } from "../../db/schema";
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

async function findOrCreateCustomer(db: Database, shopId: string, channel: ChannelKind, address: string, now: Date) {
  const byPhone = channel !== "email";
  const column = byPhone ? customers.phone : customers.email;
  const [existing] = await db.select().from(customers).where(and(eq(customers.shopId, shopId), eq(column, address))).limit(1);
  if (existing) return { customer: existing, created: false };
  const [created] = await db
    .insert(customers)
    .values({ shopId, phone: byPhone ? address : null, email: byPhone ? null : address, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (created) return { customer: created, created: true };
  // Lost a race with a concurrent first message from the same customer: read the winner's row.
  const [winner] = await db.select().from(customers).where(and(eq(customers.shopId, shopId), eq(column, address))).limit(1);
  if (!winner) throw new Error("customer vanished after a unique conflict");
  return { customer: winner, created: false };
}

async function findOrOpenConversation(db: Database, shopId: string, customerId: string, channel: ChannelKind, now: Date) {
  const [open] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), eq(conversations.channel, channel)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  if (open && open.status !== "closed") {
    await db.update(conversations).set({ lastMessageAt: now }).where(eq(conversations.id, open.id));
    return open;
  }
  const [created] = await db
    .insert(conversations)
    .values({ shopId, customerId, channel, status: "open", lastMessageAt: now, createdAt: now })
    .returning();
  if (!created) throw new Error("conversation insert returned nothing");
  return created;
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
  return db.transaction(async (tx) => {
    const [dup] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, inbound.providerMessageId)))
      .limit(1);
    if (dup) return { outcome: "duplicate" as const, message: dup };
    const { customer, created } = await findOrCreateCustomer(tx, shopId, inbound.channel, inbound.from, now);
    const conversation = await findOrOpenConversation(tx, shopId, customer.id, inbound.channel, now);
    const [message] = await tx
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
      .onConflictDoNothing()
      .returning();
    if (!message) {
      // A concurrent delivery of the same provider message won the insert.
      const [winner] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, inbound.providerMessageId)))
        .limit(1);
      if (!winner) throw new Error("message vanished after a unique conflict");
      return { outcome: "duplicate" as const, message: winner };
    }
    return { outcome: "stored" as const, message, customerCreated: created };
  });
}

export async function getMessage(db: Database, shopId: string, messageId: string) {
  const [row] = await db
    .select()
    .from(messages)
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
 * The one lookup without a shop id: a provider's message id is unique to that provider, and the
 * message found carries its shop.
 */
export async function applyDeliveryStatus(
  db: Database,
  input: { provider: string; update: DeliveryStatusUpdate; now: Date },
): Promise<DeliveryStatusOutcome> {
  const { provider, update, now } = input;
  const [message] = await db
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, update.providerMessageId), eq(messages.direction, "outbound")))
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
