import { pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/** Deliveries already accepted, so that a provider's retry is acknowledged without doing twice. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: text("source").notNull(),
    eventId: text("event_id").notNull(),
    shopDomain: text("shop_domain").notNull(),
    topic: text("topic").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("webhook_events_source_event").on(t.source, t.eventId)],
);
