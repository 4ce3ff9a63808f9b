/**
 * inventory_levels/update: back-in-stock subscriptions whose variant became available are due for
 * notification; low stock on a held or awaited variant raises a merchant alert.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { backInStockSubscriptions, holds, notifications, scheduledMessages } from "../../../../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { armQuietly, type ArmScheduledMessage } from "~/messaging/scheduling.server";
import { gid, type InventoryLevelWebhook } from "./payloads";

/** Shop setting default: at or below this many units a held or awaited variant is "low". */
export const LOW_STOCK_THRESHOLD = 1;

export async function handleInventoryLevel(
  deps: { db: Database; clock: Clock; logger: Logger; armScheduledMessage?: ArmScheduledMessage },
  shop: { id: string },
  level: InventoryLevelWebhook,
) {
  const { db, clock } = deps;
  const inventoryItemId = gid("InventoryItem", level.inventory_item_id);
  const available = level.available ?? 0;
  const now = clock.now();
  const due: string[] = [];

  if (available > 0) {
    const subs = await db
      .update(backInStockSubscriptions)
      .set({ status: "due", dueAt: now })
      .where(
        and(
          eq(backInStockSubscriptions.shopId, shop.id),
          eq(backInStockSubscriptions.inventoryItemId, inventoryItemId),
          eq(backInStockSubscriptions.status, "active"),
        ),
      )
      .returning();
    for (const sub of subs) {
      const inserted = await db
        .insert(scheduledMessages)
        .values({
          shopId: shop.id,
          customerId: sub.customerId,
          type: "back_in_stock",
          channel: null,
          dueAt: now,
          status: "scheduled",
          causeType: "back_in_stock",
          causeId: sub.id,
          payload: { variantId: sub.variantId, productTitle: sub.productTitle, size: sub.size, available },
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: scheduledMessages.id, shopId: scheduledMessages.shopId, dueAt: scheduledMessages.dueAt });
      await armQuietly(deps.armScheduledMessage, inserted, deps.logger);
      due.push(sub.id);
    }
  }

  let lowStockAlert = false;
  if (available <= LOW_STOCK_THRESHOLD) {
    const held = await db
      .select({ id: holds.id, items: holds.items })
      .from(holds)
      .where(and(eq(holds.shopId, shop.id), eq(holds.status, "active"), sql`${holds.items} @> ${JSON.stringify([{ inventoryItemId }])}::jsonb`));
    const awaited = await db
      .select({ id: backInStockSubscriptions.id, productTitle: backInStockSubscriptions.productTitle, size: backInStockSubscriptions.size })
      .from(backInStockSubscriptions)
      .where(
        and(
          eq(backInStockSubscriptions.shopId, shop.id),
          eq(backInStockSubscriptions.inventoryItemId, inventoryItemId),
          inArray(backInStockSubscriptions.status, ["active", "due"]),
        ),
      );
    const item = held[0]?.items.find((i) => i.inventoryItemId === inventoryItemId);
    const label = item ? `${item.productTitle}${item.size ? ` (${item.size})` : ""}` : awaited[0] ? `${awaited[0].productTitle}${awaited[0].size ? ` (${awaited[0].size})` : ""}` : null;
    if (label) {
      const inserted = await db
        .insert(notifications)
        .values({
          shopId: shop.id,
          kind: "low_stock",
          title: `Low stock: ${label}`,
          body: `${available} left at the location; ${held.length} active hold(s), ${awaited.length} customer(s) waiting for it.`,
          data: { inventoryItemId, label, available, holds: held.map((h) => h.id), waiting: awaited.length },
          dedupeKey: `low_stock:${inventoryItemId}:${available}`,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: notifications.id });
      lowStockAlert = inserted.length > 0;
    }
  }
  return { due, lowStockAlert };
}
