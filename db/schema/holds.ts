import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

export type HoldStatus = "active" | "completed" | "cancelled" | "expired";

export interface HoldItem {
  variantId: string;
  /** `gid://shopify/InventoryItem/…`: inventory webhooks name items, not variants. */
  inventoryItemId?: string;
  sku: string | null;
  productTitle: string;
  size: string | null;
  quantity: number;
}

/**
 * Our view of a hold. The hold itself is a Shopify draft order whose `reserveInventoryUntil`
 * makes Shopify reserve the units and release them by itself at the deadline (DESIGN §4).
 */
export const holds = pgTable(
  "holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id"),
    /** `gid://shopify/DraftOrder/…`. */
    draftOrderId: text("draft_order_id").notNull(),
    draftOrderName: text("draft_order_name"),
    status: text("status").$type<HoldStatus>().notNull(),
    items: jsonb("items").$type<HoldItem[]>().notNull(),
    totalQuantity: integer("total_quantity").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** The order that completed the hold, when one did. */
    orderId: text("order_id"),
    /** Makes a retried create one hold (Shopify mutations take the same key). */
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("holds_shop_idempotency").on(t.shopId, t.idempotencyKey),
    unique("holds_shop_draft_order").on(t.shopId, t.draftOrderId),
    index("holds_shop_status_expires").on(t.shopId, t.status, t.expiresAt),
    // A customer's holds: her profile, the orders webhook completing them, and the cascade when a
    // customer is deleted (compliance redaction), which PostgreSQL runs per customer id.
    index("holds_customer").on(t.customerId),
  ],
);
