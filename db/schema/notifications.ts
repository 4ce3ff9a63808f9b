import { index, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops";

export type NotificationKind = "escalation" | "low_stock" | "hold_expiring" | "delivery_failed" | "tracking_late" | "plugin_error";

/** Something the merchant should see (home alerts, "Needs you"). */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NotificationKind>().notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** Same key = same alert (a repeated low-stock signal does not pile up). */
    dedupeKey: text("dedupe_key"),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("notifications_shop_created").on(t.shopId, t.createdAt), unique("notifications_shop_dedupe").on(t.shopId, t.dedupeKey)],
);
