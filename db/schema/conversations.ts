import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { PendingProposal } from "../../app/conversation/contracts";
import type { MessageRecord } from "../../app/conversation/record";
import { customers } from "./customers";
import { shops } from "./shops";

export type ConversationStatus = "open" | "needs_merchant" | "closed";

export interface Escalation {
  reason: string;
  summary: string;
  /** What the engine looked up before handing over ("stock vérifié : 2 en 38"). */
  checked: string[];
  suggestedReply: string | null;
  urgent: boolean;
  at: string;
}

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: text("channel").$type<"sms" | "whatsapp" | "email">().notNull(),
    status: text("status").$type<ConversationStatus>().notNull().default("open"),
    /** What the AI proposed last and waits an answer for ("je te la mets de côté ?"). */
    pending: jsonb("pending").$type<PendingProposal>(),
    /** The product the conversation is about, so "tu peux me la garder ?" needs no repetition. */
    focus: jsonb("focus").$type<{ productId: string; variantId: string | null }>(),
    /** Why the merchant is needed, what was checked, and a reply she can send in one click. */
    escalation: jsonb("escalation").$type<Escalation>(),
    /** The merchant took over: the AI does not answer until she hands it back. */
    aiPaused: boolean("ai_paused").notNull().default(false),
    /** Up to when the merchant has read the thread: later inbound messages are unread in the inbox. */
    merchantReadAt: timestamp("merchant_read_at", { withTimezone: true }),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull(),
    /**
     * The customer's latest message and the AI's first reply: kept by the code that stores them
     * (storeInboundMessage, the engine's reply) so that the inbox counts unread and AI-handled
     * conversations from this row alone, without a look into each one's messages.
     */
    lastInboundAt: timestamp("last_inbound_at", { withTimezone: true }),
    aiRepliedAt: timestamp("ai_replied_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("conversations_shop_last").on(t.shopId, t.lastMessageAt),
    index("conversations_customer_channel").on(t.shopId, t.customerId, t.channel, t.lastMessageAt),
    // At most one conversation in progress per customer and channel (first messages may race).
    uniqueIndex("conversations_one_open").on(t.shopId, t.customerId, t.channel).where(sql`${t.status} <> 'closed'`),
  ],
);

/**
 * Message lifecycle. Inbound: received → processed (or failed); `processing` is no longer written.
 * Outbound: pending → sent (handed to the provider) → delivered / failed; `outbox` when no
 * provider credentials are configured (the embedded default: the reply is kept, not sent).
 */
export type MessageStatus =
  | "received"
  | "processing"
  | "processed"
  | "pending"
  | "sent"
  | "delivered"
  | "read"
  | "outbox"
  | "failed";

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    direction: text("direction").$type<"inbound" | "outbound">().notNull(),
    author: text("author").$type<"customer" | "ai" | "merchant">().notNull(),
    channel: text("channel").$type<"sms" | "whatsapp" | "email">().notNull(),
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id"),
    fromAddress: text("from_address").notNull(),
    toAddress: text("to_address").notNull(),
    body: text("body").notNull(),
    /** Email only: the subject line. */
    subject: text("subject"),
    /** Email only, outbound: the HTML part sent with `body` (the text part). */
    html: text("html"),
    /** Email only: the RFC 5322 Message-ID of an inbound email, which our reply threads under. */
    emailMessageId: text("email_message_id"),
    status: text("status").$type<MessageStatus>().notNull(),
    /** The provider's error code when delivery failed ("30007", "131047", "bounce:Permanent"). */
    errorCode: text("error_code"),
    /** When the provider last reported on this message (status callbacks arrive out of order). */
    statusUpdatedAt: timestamp("status_updated_at", { withTimezone: true }),
    /** The inbound message an outbound reply answers: at most one AI reply per inbound message. */
    inReplyTo: uuid("in_reply_to"),
    /** What the engine understood, looked up, decided and did (DESIGN §2). */
    record: jsonb("record").$type<MessageRecord>(),
    error: text("error"),
    latencyMs: integer("latency_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    unique("messages_provider_message_id").on(t.provider, t.providerMessageId),
    // Partial: only AI replies carry in_reply_to, so customer and proactive messages (most rows)
    // add no entry to it; a NULL key would cost every webhook's insert one index write for nothing.
    uniqueIndex("messages_one_reply_per_inbound").on(t.inReplyTo).where(sql`${t.inReplyTo} IS NOT NULL`),
    index("messages_conversation_created").on(t.conversationId, t.createdAt),
    index("messages_shop_created").on(t.shopId, t.createdAt),
    // The home page's day-by-day figures read customers' messages only, and its alert the failed ones.
    index("messages_shop_inbound_created").on(t.shopId, t.createdAt).where(sql`${t.direction} = 'inbound'`),
    index("messages_shop_failed_created").on(t.shopId, t.createdAt).where(sql`${t.status} = 'failed'`),
  ],
);
