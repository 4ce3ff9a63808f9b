import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

/**
 * Messaging consent per customer address and per sending number/address (DESIGN §8): STOP on one
 * shop number opts the customer out of that number; an opted-out identity is never messaged.
 */
export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: text("channel").$type<"sms" | "whatsapp" | "email">().notNull(),
    /** The customer's phone or email. */
    address: text("address").notNull(),
    /** The shop's number or address the customer answered; "*" = every sender of the channel. */
    sender: text("sender").notNull(),
    status: text("status").$type<"opted_in" | "opted_out">().notNull(),
    /** "keyword:STOP", "keyword:START", "merchant", "shopify". */
    source: text("source").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("consents_one").on(t.shopId, t.channel, t.address, t.sender), index("consents_customer").on(t.shopId, t.customerId)],
);
