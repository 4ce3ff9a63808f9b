/**
 * What Shopify POS shows of a shop's holds (extensions/pos-holds, through app/routes/api.pos.holds.tsx):
 * the holds waiting at the counter with their customer and items, a search over them, and "picked
 * up" when the customer collects. Every function reads and writes one shop's rows only; the route
 * names the shop from the verified session token, never from the request's parameters.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import { customers, holds, scheduledMessages, shops } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { atLocalTime } from "~/lib/time-zone";
import type { Holds } from "~/plugins/types";
import type { PickUpOutcome, PosHold, PosHoldList } from "./types";

export type { PickUpOutcome, PosHold, PosHoldItem, PosHoldList } from "./types";

export interface PosDeps {
  db: Database;
  clock: Clock;
}

/**
 * A boutique has tens of holds at once (a few per customer, one to two days each); the cap only
 * bounds a response that a counter screen could not show anyway.
 */
const MAX_ACTIVE_HOLDS = 500;

/** The number at the end of a Shopify gid (`gid://shopify/ProductVariant/2002` → 2002). */
export function gidNumericId(gid: string | null | undefined): number | null {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid ?? "");
  return match ? Number(match[1]) : null;
}

/** Lower case without accents: "Élodie" is found by "elodie", as staff type it on a tablet. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function matches(hold: PosHold, search: string): boolean {
  // A phone typed as staff read it ("06 45 78 90 12", "+33 6 45…") is compared on digits, without
  // the national trunk 0, with the stored E.164 number.
  if (/^[\d\s+().-]+$/.test(search)) {
    const digits = search.replace(/\D/g, "").replace(/^0/, "");
    if (digits.length >= 4 && (hold.customer.phone ?? "").replace(/\D/g, "").includes(digits)) return true;
  }
  const haystack = fold(
    [
      hold.customer.firstName,
      hold.customer.lastName,
      hold.customer.email,
      hold.customer.phone,
      hold.draftOrderName,
      ...hold.items.flatMap((i) => [i.productTitle, i.sku, i.size]),
    ]
      .filter(Boolean)
      .join(" "),
  );
  return fold(search)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The shop's active holds for the counter: counts for the tile, the (searched) list for the modal. */
export async function listPosHolds(deps: PosDeps, shopId: string, options: { search?: string } = {}): Promise<PosHoldList> {
  const { db, clock } = deps;
  const now = clock.now();
  const [shop] = await db.select({ timezone: shops.timezone }).from(shops).where(eq(shops.id, shopId)).limit(1);
  if (!shop) return { activeCount: 0, endingTodayCount: 0, holds: [] };
  const endOfToday = atLocalTime(now, shop.timezone, 1, "00:00");

  // A hold past its deadline is no longer reserved by Shopify, even while our row still says
  // "active" (the expiry job marks it later): the counter only shows what is really held.
  const rows = await db
    .select({ hold: holds, customer: customers })
    .from(holds)
    .innerJoin(customers, and(eq(customers.id, holds.customerId), eq(customers.shopId, holds.shopId)))
    .where(and(eq(holds.shopId, shopId), eq(holds.status, "active"), gt(holds.expiresAt, now)))
    .orderBy(asc(holds.expiresAt), asc(holds.createdAt))
    .limit(MAX_ACTIVE_HOLDS);

  const all = rows.map(({ hold, customer }) => toPosHold(hold, customer, endOfToday));
  const search = options.search?.trim() ?? "";
  return {
    activeCount: all.length,
    endingTodayCount: all.filter((h) => h.endsToday).length,
    holds: search ? all.filter((h) => matches(h, search)) : all,
  };
}

/** One of the shop's holds with its customer, or null (an id that is not a uuid is no hold). */
export async function findHoldWithCustomer(db: Database, shopId: string, holdId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(holdId)) return null;
  const [row] = await db
    .select({ hold: holds, customer: customers })
    .from(holds)
    .innerJoin(customers, and(eq(customers.id, holds.customerId), eq(customers.shopId, holds.shopId)))
    .where(and(eq(holds.shopId, shopId), eq(holds.id, holdId)))
    .limit(1);
  return row ?? null;
}

/**
 * The customer collects her hold at the counter: staff sell the items at the register, so the hold
 * is done ("completed") and Shopify's reservation is released through the Holds capability's
 * `cancel` (Shopify: the draft order is deleted) so that the very units can be sold. Completing the
 * draft order instead would create a second order next to the register's sale and count the stock
 * twice. The register's order reaches us later through orders/create, which finds no active hold
 * left to complete and only attributes the sale. Reminders tied to the hold are cancelled.
 */
export async function markHoldPickedUp(deps: PosDeps & { holds: Pick<Holds, "cancel"> }, shopId: string, holdId: string): Promise<PickUpOutcome> {
  const { db, clock } = deps;
  const row = await findHoldWithCustomer(db, shopId, holdId);
  if (!row) return { outcome: "not_found" };
  const now = clock.now();
  if (row.hold.status !== "active") return { outcome: "not_active", status: row.hold.status };
  if (row.hold.expiresAt <= now) return { outcome: "not_active", status: "expired" };

  await deps.holds.cancel(row.hold.draftOrderId);
  // Only an active row moves: of two tablets tapping at once, one completes it and the other is told.
  const [updated] = await db
    .update(holds)
    .set({ status: "completed", updatedAt: now })
    .where(and(eq(holds.shopId, shopId), eq(holds.id, holdId), eq(holds.status, "active")))
    .returning();
  if (!updated) {
    const [again] = await db.select({ status: holds.status }).from(holds).where(and(eq(holds.shopId, shopId), eq(holds.id, holdId)));
    return { outcome: "not_active", status: again && again.status !== "active" ? again.status : "completed" };
  }
  await db
    .update(scheduledMessages)
    .set({ status: "cancelled", updatedAt: now })
    .where(
      and(
        eq(scheduledMessages.shopId, shopId),
        eq(scheduledMessages.causeType, "hold"),
        eq(scheduledMessages.causeId, holdId),
        eq(scheduledMessages.status, "scheduled"),
      ),
    );
  const [shop] = await db.select({ timezone: shops.timezone }).from(shops).where(eq(shops.id, shopId)).limit(1);
  return { outcome: "picked_up", hold: toPosHold(updated, row.customer, atLocalTime(now, shop?.timezone ?? "UTC", 1, "00:00")) };
}

function toPosHold(hold: typeof holds.$inferSelect, customer: typeof customers.$inferSelect, endOfToday: Date): PosHold {
  return {
    id: hold.id,
    draftOrderName: hold.draftOrderName,
    expiresAt: hold.expiresAt.toISOString(),
    endsToday: hold.expiresAt < endOfToday,
    customer: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      email: customer.email,
      shopifyCustomerId: customer.shopifyCustomerId,
      shopifyCustomerNumericId: gidNumericId(customer.shopifyCustomerId),
    },
    items: hold.items.map((item) => ({
      variantId: item.variantId,
      variantNumericId: gidNumericId(item.variantId),
      productTitle: item.productTitle,
      size: item.size,
      sku: item.sku,
      quantity: item.quantity,
    })),
  };
}
