import { boolean, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { customers } from "./customers";
import { shops } from "./shops";

/**
 * A plugin enabled for a shop. `config` holds the settings that are not secret; `secrets` holds
 * the others, encrypted with AES-256-GCM (app/lib/secrets.server.ts), never logged.
 */
export const pluginInstallations = pgTable(
  "plugin_installations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    pluginId: text("plugin_id").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    secrets: text("secrets"),
    lastTestedAt: timestamp("last_tested_at", { withTimezone: true }),
    lastTestResult: text("last_test_result"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("plugin_installations_shop_plugin").on(t.shopId, t.pluginId)],
);

/** The built-in CRM's notes on a customer (HubSpot/Salesforce keep theirs in their own system). */
export const crmNotes = pgTable("crm_notes", {
  id: uuid("id").primaryKey().defaultRandom(),
  shopId: uuid("shop_id")
    .notNull()
    .references(() => shops.id, { onDelete: "cascade" }),
  customerId: uuid("customer_id")
    .notNull()
    .references(() => customers.id, { onDelete: "cascade" }),
  body: text("body").notNull(),
  author: text("author").$type<"merchant" | "ai" | "system">().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

/** The built-in CRM's tags on a customer. */
export const crmTags = pgTable(
  "crm_tags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [unique("crm_tags_one").on(t.shopId, t.customerId, t.tag)],
);
