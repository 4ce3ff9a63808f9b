import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ShopSettings } from "../../app/shops/settings";

/** One row per installed shop. Products, orders and customers stay in Shopify (DESIGN §6). */
export const shops = pgTable("shops", {
  id: uuid("id").primaryKey().defaultRandom(),
  domain: text("domain").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  locale: text("locale").notNull().default("en"),
  settings: jsonb("settings").$type<ShopSettings>().notNull(),
  installedAt: timestamp("installed_at", { withTimezone: true }).notNull(),
  uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
});
