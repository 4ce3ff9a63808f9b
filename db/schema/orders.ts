import { boolean, index, numeric, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

/** An order placed after a conversation: revenue attributed to the AI when it followed one. */
export const orderAttributions = pgTable(
  "order_attributions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    orderId: text("order_id").notNull(),
    orderName: text("order_name").notNull(),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    conversationId: uuid("conversation_id"),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    aiAttributed: boolean("ai_attributed").notNull(),
    orderedAt: timestamp("ordered_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("order_attributions_shop_order").on(t.shopId, t.orderId), index("order_attributions_shop_ordered").on(t.shopId, t.orderedAt)],
);

/** Tracking remembered from fulfilment webhooks, for "où est ma commande ?" and watching. */
export const shipmentTrackings = pgTable(
  "shipment_trackings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    orderId: text("order_id").notNull(),
    orderName: text("order_name"),
    fulfillmentId: text("fulfillment_id").notNull(),
    company: text("company"),
    trackingNumber: text("tracking_number"),
    trackingUrl: text("tracking_url"),
    status: text("status"),
    estimatedDeliveryAt: timestamp("estimated_delivery_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    /** Intensive tracking: re-checked hourly until delivered or this deadline. */
    watchUntil: timestamp("watch_until", { withTimezone: true }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("shipment_trackings_shop_fulfillment").on(t.shopId, t.fulfillmentId), index("shipment_trackings_number").on(t.shopId, t.trackingNumber)],
);
