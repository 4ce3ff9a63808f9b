import { pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops";

/**
 * A receiving number or address of a shop on one provider. An inbound webhook is routed to its
 * shop by (provider, address): one number belongs to exactly one shop.
 */
export const channelAccounts = pgTable(
  "channel_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    channel: text("channel").$type<"sms" | "whatsapp" | "email">().notNull(),
    /** E.164 number or email address, normalised. */
    address: text("address").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("channel_accounts_provider_address").on(t.provider, t.address)],
);
