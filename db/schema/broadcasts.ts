import { index, integer, jsonb, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops";

/** Who a broadcast goes to, among the shop's customers (app/messaging/broadcasts.server.ts). */
export type BroadcastSegment =
  | { kind: "all" }
  | { kind: "vip" }
  /** Wrote to the shop in the last 30 days. */
  | { kind: "active" }
  /** No order yet. */
  | { kind: "prospect" }
  | { kind: "tag"; tag: string }
  /** Bought a product (title or reference contains `product`). */
  | { kind: "bought"; product: string };

export type BroadcastStatus = "draft" | "scheduled" | "cancelled";

/**
 * A marketing message to a segment. Preparing it counts the recipients (consent filtered) and
 * estimates the cost; scheduling it writes one scheduled message per recipient (type
 * "broadcast"), which the orchestrator sends in marketing hours; progress is read from them.
 */
export const broadcasts = pgTable(
  "broadcasts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    segment: jsonb("segment").$type<BroadcastSegment>().notNull(),
    /** The merchant's text (template `broadcast.custom`). */
    text: text("text").notNull(),
    status: text("status").$type<BroadcastStatus>().notNull(),
    /** When it may start (the orchestrator still waits for marketing hours). */
    sendAt: timestamp("send_at", { withTimezone: true }).notNull(),
    /** From the last preparation: recipients kept, and why others were left out. */
    recipientCount: integer("recipient_count").notNull(),
    excluded: jsonb("excluded").$type<Record<string, number>>().notNull(),
    estimatedCost: real("estimated_cost").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("broadcasts_shop_created").on(t.shopId, t.createdAt)],
);
