import { jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops";

/** `customers/data_request` exports: everything we hold on one customer, for the merchant to download. */
export const dataExports = pgTable(
  "data_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    /** Shopify's data request id. */
    requestId: text("request_id").notNull(),
    shopifyCustomerId: text("shopify_customer_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("data_exports_shop_request").on(t.shopId, t.requestId)],
);
