/**
 * Holds as the app sees them: the provider's hold (a Shopify draft order reserving the stock until
 * a deadline) plus our row (who, what, until when, from which conversation), and the pickup
 * reminder tied to it. Every function is scoped to one shop.
 */
import { and, eq } from "drizzle-orm";
import { holds, scheduledMessages, type HoldItem } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Holds } from "~/plugins/types";

export type HoldRow = typeof holds.$inferSelect;

export interface HoldServiceDeps {
  db: Database;
  clock: Clock;
  holds: Holds;
}

/**
 * Put items aside for a customer until `expiresAt`. The same `idempotencyKey` twice is one hold.
 * Throws `UnavailableError` (from the provider) when a unit is no longer there.
 */
export async function placeHold(
  deps: HoldServiceDeps,
  input: {
    shopId: string;
    customerId: string;
    /** The provider's customer id (Shopify gid). */
    providerCustomerId: string;
    conversationId?: string | null;
    items: HoldItem[];
    expiresAt: Date;
    idempotencyKey: string;
  },
): Promise<HoldRow> {
  const { db, clock } = deps;
  const [existing] = await db
    .select()
    .from(holds)
    .where(and(eq(holds.shopId, input.shopId), eq(holds.idempotencyKey, input.idempotencyKey)))
    .limit(1);
  if (existing) return existing;
  const provider = await deps.holds.create({
    customerId: input.providerCustomerId,
    lines: input.items.map((i) => ({ variantId: i.variantId, quantity: i.quantity })),
    expiresAt: input.expiresAt,
    idempotencyKey: input.idempotencyKey,
  });
  const now = clock.now();
  const [row] = await db
    .insert(holds)
    .values({
      shopId: input.shopId,
      customerId: input.customerId,
      conversationId: input.conversationId ?? null,
      draftOrderId: provider.id,
      draftOrderName: provider.name,
      status: "active",
      items: input.items,
      totalQuantity: input.items.reduce((n, i) => n + i.quantity, 0),
      expiresAt: provider.expiresAt,
      idempotencyKey: input.idempotencyKey,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [winner] = await db
    .select()
    .from(holds)
    .where(and(eq(holds.shopId, input.shopId), eq(holds.idempotencyKey, input.idempotencyKey)))
    .limit(1);
  if (!winner) throw new Error("hold vanished after a unique conflict");
  return winner;
}

/** Release the units now; the reminders tied to the hold are cancelled with it. */
export async function cancelHold(deps: HoldServiceDeps, shopId: string, holdId: string): Promise<HoldRow | null> {
  const { db, clock } = deps;
  const [hold] = await db.select().from(holds).where(and(eq(holds.shopId, shopId), eq(holds.id, holdId))).limit(1);
  if (!hold) return null;
  if (hold.status !== "active") return hold;
  await deps.holds.cancel(hold.draftOrderId);
  const now = clock.now();
  const [updated] = await db
    .update(holds)
    .set({ status: "cancelled", updatedAt: now })
    .where(and(eq(holds.shopId, shopId), eq(holds.id, holdId)))
    .returning();
  await db
    .update(scheduledMessages)
    .set({ status: "cancelled", updatedAt: now })
    .where(and(eq(scheduledMessages.shopId, shopId), eq(scheduledMessages.causeType, "hold"), eq(scheduledMessages.causeId, holdId), eq(scheduledMessages.status, "scheduled")));
  return updated ?? null;
}

/** Move the deadline (provider first: the reservation is what matters). */
export async function extendHold(deps: HoldServiceDeps, shopId: string, holdId: string, expiresAt: Date): Promise<HoldRow | null> {
  const { db, clock } = deps;
  const [hold] = await db.select().from(holds).where(and(eq(holds.shopId, shopId), eq(holds.id, holdId))).limit(1);
  if (!hold || hold.status !== "active") return hold ?? null;
  const provider = await deps.holds.extend(hold.draftOrderId, expiresAt);
  const [updated] = await db
    .update(holds)
    .set({ expiresAt: provider.expiresAt, updatedAt: clock.now() })
    .where(and(eq(holds.shopId, shopId), eq(holds.id, holdId)))
    .returning();
  return updated ?? null;
}

/** The customer's active holds, with those past their deadline marked expired on the way. */
export async function activeHolds(deps: Pick<HoldServiceDeps, "db" | "clock">, shopId: string, customerId: string): Promise<HoldRow[]> {
  const rows = await deps.db
    .select()
    .from(holds)
    .where(and(eq(holds.shopId, shopId), eq(holds.customerId, customerId), eq(holds.status, "active")));
  const now = deps.clock.now();
  const live: HoldRow[] = [];
  for (const row of rows) {
    if (row.expiresAt <= now) {
      await deps.db.update(holds).set({ status: "expired", updatedAt: now }).where(and(eq(holds.shopId, shopId), eq(holds.id, row.id)));
    } else {
      live.push(row);
    }
  }
  return live;
}
