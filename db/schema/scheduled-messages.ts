import { index, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

export type ScheduledMessageType =
  | "pickup_reminder"
  | "hold_expiry"
  | "thank_you"
  | "follow_up"
  | "back_in_stock"
  | "shipping_update"
  | "tracking_alert"
  | "broadcast";

export type ScheduledMessageStatus = "scheduled" | "sent" | "cancelled" | "failed" | "deferred";

/**
 * A proactive message due at a time. The row is the truth; a BullMQ delayed job (jobId = row id)
 * fires it. Cancelling the cause (a hold, an order) cancels the row.
 */
export const scheduledMessages = pgTable(
  "scheduled_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    type: text("type").$type<ScheduledMessageType>().notNull(),
    /** Preferred channel, when known; the orchestrator decides at send time. */
    channel: text("channel").$type<"sms" | "whatsapp" | "email">(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    status: text("status").$type<ScheduledMessageStatus>().notNull(),
    /** What caused it: "hold", "order", "back_in_stock", "tracking". */
    causeType: text("cause_type").notNull(),
    causeId: text("cause_id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("scheduled_messages_one_per_cause").on(t.shopId, t.type, t.causeType, t.causeId),
    index("scheduled_messages_shop_due").on(t.shopId, t.status, t.dueAt),
  ],
);
