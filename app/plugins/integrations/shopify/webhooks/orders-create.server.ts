/**
 * orders/create: the customer bought. Her holds on what she bought are released (the order now
 * counts the units; a hold left open would count them twice), the order is attributed to the AI
 * when an AI conversation preceded it within the window, and the thank-you (+2 h) and follow-up
 * (+7 days) are stored as due scheduled messages. Replaying the same order changes nothing.
 */
import { and, desc, eq, gte, lte } from "drizzle-orm";
import { holds, messages, notifications, orderAttributions, scheduledMessages } from "../../../../../db/schema";
import { matchCustomers } from "~/customers/match.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { armQuietly, type ArmScheduledMessage } from "~/messaging/scheduling.server";
import type { Holds } from "~/plugins/types";
import { gid, type OrderWebhook } from "./payloads";

/** Shop setting default: an order within this many days after an AI reply is the AI's. */
export const ATTRIBUTION_WINDOW_DAYS = 7;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface OrderCreatedDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  holds: Pick<Holds, "cancel">;
  /** Arms the delayed jobs of the thank-you and follow-up. */
  armScheduledMessage?: ArmScheduledMessage;
}

export interface OrderCreatedOutcome {
  customerId: string | null;
  holdsCompleted: string[];
  aiAttributed: boolean;
  scheduled: Array<{ type: string; dueAt: Date }>;
}

export async function handleOrderCreated(
  deps: OrderCreatedDeps,
  shop: { id: string; domain: string; settings?: { policies: { attributionWindowDays?: number } } },
  order: OrderWebhook,
): Promise<OrderCreatedOutcome> {
  const { db, clock } = deps;
  const windowDays = shop.settings?.policies.attributionWindowDays ?? ATTRIBUTION_WINDOW_DAYS;
  const orderId = order.admin_graphql_api_id ?? gid("Order", order.id);
  const orderedAt = new Date(order.created_at);
  const [customer] = await matchCustomers(db, shop.id, {
    shopifyCustomerId: order.customer ? (order.customer.admin_graphql_api_id ?? gid("Customer", order.customer.id)) : null,
    phones: [order.phone, order.customer?.phone ?? null],
    emails: [order.email, order.contact_email, order.customer?.email ?? null],
  });

  // 1. Holds on what was bought.
  const holdsCompleted: string[] = [];
  if (customer) {
    const boughtVariants = new Set(order.line_items.map((l) => (l.variant_id ? gid("ProductVariant", l.variant_id) : null)).filter(Boolean));
    const boughtSkus = new Set(order.line_items.map((l) => l.sku).filter(Boolean));
    const active = await db
      .select()
      .from(holds)
      .where(and(eq(holds.shopId, shop.id), eq(holds.customerId, customer.id), eq(holds.status, "active")));
    for (const hold of active) {
      const bought = hold.items.filter((i) => boughtVariants.has(i.variantId) || (i.sku !== null && boughtSkus.has(i.sku)));
      if (bought.length === 0) continue;
      if (bought.length < hold.items.length) {
        // Part of a hold bought: the rest stays reserved for her; the merchant decides.
        await db.insert(notifications).values({
          shopId: shop.id,
          kind: "hold_expiring",
          title: `Part of a hold was bought (${order.name})`,
          body: `${bought.map((i) => i.productTitle).join(", ")} bought; the hold ${hold.draftOrderName ?? hold.draftOrderId} keeps the other items reserved.`,
          data: { holdId: hold.id, orderId },
          dedupeKey: `hold-partial:${hold.id}:${orderId}`,
          createdAt: clock.now(),
        }).onConflictDoNothing();
        continue;
      }
      await deps.holds.cancel(hold.draftOrderId);
      await db
        .update(holds)
        .set({ status: "completed", orderId, updatedAt: clock.now() })
        .where(and(eq(holds.shopId, shop.id), eq(holds.id, hold.id)));
      await db
        .update(scheduledMessages)
        .set({ status: "cancelled", updatedAt: clock.now() })
        .where(and(eq(scheduledMessages.shopId, shop.id), eq(scheduledMessages.causeType, "hold"), eq(scheduledMessages.causeId, hold.id), eq(scheduledMessages.status, "scheduled")));
      holdsCompleted.push(hold.id);
    }
  }

  // 2. Attribution: the last AI reply to this customer before the order, within the window.
  let aiAttributed = false;
  let conversationId: string | null = null;
  if (customer) {
    const [lastAi] = await db
      .select({ conversationId: messages.conversationId, createdAt: messages.createdAt })
      .from(messages)
      .where(
        and(
          eq(messages.shopId, shop.id),
          eq(messages.customerId, customer.id),
          eq(messages.author, "ai"),
          lte(messages.createdAt, orderedAt),
          gte(messages.createdAt, new Date(orderedAt.getTime() - windowDays * DAY)),
        ),
      )
      .orderBy(desc(messages.createdAt))
      .limit(1);
    if (lastAi) {
      aiAttributed = true;
      conversationId = lastAi.conversationId;
    }
  }
  await db
    .insert(orderAttributions)
    .values({
      shopId: shop.id,
      orderId,
      orderName: order.name,
      customerId: customer?.id ?? null,
      conversationId,
      amount: order.total_price,
      currency: order.currency,
      aiAttributed,
      orderedAt,
      createdAt: clock.now(),
    })
    .onConflictDoNothing();

  // 3. Thank-you and follow-up, for customers we can message.
  const scheduled: OrderCreatedOutcome["scheduled"] = [];
  if (customer) {
    const payload = {
      orderId,
      orderName: order.name,
      lines: order.line_items.map((l) => ({ title: l.title, variantTitle: l.variant_title, quantity: l.quantity })),
    };
    for (const [type, dueAt] of [
      ["thank_you", new Date(orderedAt.getTime() + 2 * HOUR)],
      ["follow_up", new Date(orderedAt.getTime() + 7 * DAY)],
    ] as const) {
      const inserted = await db
        .insert(scheduledMessages)
        .values({
          shopId: shop.id,
          customerId: customer.id,
          type,
          channel: null,
          dueAt,
          status: "scheduled",
          causeType: "order",
          causeId: orderId,
          payload,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        })
        .onConflictDoNothing()
        .returning({ id: scheduledMessages.id, shopId: scheduledMessages.shopId, dueAt: scheduledMessages.dueAt });
      await armQuietly(deps.armScheduledMessage, inserted, deps.logger);
      if (inserted.length) scheduled.push({ type, dueAt });
    }
  }
  deps.logger.info("order received", { shop: shop.domain, order: order.name, customerId: customer?.id, holdsCompleted, aiAttributed });
  return { customerId: customer?.id ?? null, holdsCompleted, aiAttributed, scheduled };
}
