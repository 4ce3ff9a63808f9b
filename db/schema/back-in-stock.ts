import { pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

export type BackInStockStatus = "active" | "due" | "notified" | "cancelled";

export const backInStockSubscriptions = pgTable(
  "back_in_stock_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    variantId: text("variant_id").notNull(),
    /** `gid://shopify/InventoryItem/…`, which inventory_levels/update webhooks carry. */
    inventoryItemId: text("inventory_item_id"),
    productTitle: text("product_title").notNull(),
    size: text("size"),
    status: text("status").$type<BackInStockStatus>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
  },
  (t) => [unique("back_in_stock_one_per_variant").on(t.shopId, t.customerId, t.variantId)],
);
