import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops";

/**
 * A customer's messaging identity in one shop (phone and/or email), linked to the Shopify
 * customer when one matches. Names are a cache of what the customer or Shopify told us.
 */
export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    phone: text("phone"),
    email: text("email"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    locale: text("locale"),
    shopifyCustomerId: text("shopify_customer_id"),
    /** Set by `customers/redact`: the identity and message bodies were erased. */
    redactedAt: timestamp("redacted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("customers_shop_phone").on(t.shopId, t.phone),
    unique("customers_shop_email").on(t.shopId, t.email),
    // Her other identities (one per phone or email, linked to the same Shopify customer): every
    // row of the customers list and the inbox's "returning" gather them.
    index("customers_shop_shopify").on(t.shopId, t.shopifyCustomerId),
  ],
);
