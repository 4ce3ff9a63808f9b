/**
 * The holds page's data on PostgreSQL and PGlite with two shops: tabs and their counts (a hold past
 * its deadline is expired even before the expiry job marks it), the search (accents, phone typed
 * the French way, product and size), extend (in the future, within one more hold period by the
 * shop's policy, Shopify's refusals said), cancel and picked up (reservation released through the
 * Holds capability, stock read back). Shop B never sees nor changes shop A's holds. The Holds and
 * Inventory capabilities are test doubles at our interface, recording what they were asked.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { customers, holds, type HoldItem, type HoldStatus } from "../../db/schema";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { NotFoundError, ProviderError, type Holds, type ProviderHold } from "~/plugins/types";
import { upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { createHoldsPageService, type HoldsPageService } from "./holds-page.server";
import { insertCustomer, insertHold } from "./test-support";

const MONDAY_MORNING = new Date("2026-01-12T10:15:00+01:00");
const DRESS_38: HoldItem = { variantId: "gid://shopify/ProductVariant/2002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 };
const TROUSERS_40: HoldItem = { variantId: "gid://shopify/ProductVariant/3004", sku: "PN-1200-40", productTitle: "Pantalon Noir Taille Haute", size: "40", quantity: 1 };

describe.each(DATABASE_KINDS)("holds page on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const clock = createManualClock(MONDAY_MORNING);
  const calls: string[] = [];
  /** What the next provider call does instead of succeeding. */
  let failNext: Error | null = null;
  const stock = new Map<string, number>([[DRESS_38.variantId, 2], [TROUSERS_40.variantId, 3]]);
  const providerHolds: Holds = {
    create: async () => {
      throw new Error("not used");
    },
    extend: async (id, expiresAt): Promise<ProviderHold> => {
      calls.push(`extend ${id} ${expiresAt.toISOString()}`);
      if (failNext) throw failNext;
      return { id, name: null, customerId: null, lines: [], expiresAt, status: "open", orderId: null };
    },
    cancel: async (id) => {
      calls.push(`cancel ${id}`);
      if (failNext) throw failNext;
    },
    complete: async () => {
      throw new Error("not used");
    },
    listByCustomer: async () => [],
  };
  let service: HoldsPageService;
  const shops = { a: "", b: "" };
  const ids = { julie: "", elodieTomorrow: "", juliePast: "", done: "", cancelled: "", shopB: "" };

  const customer = (shopId: string, values: Partial<typeof customers.$inferInsert>) => insertCustomer(handle.db, MONDAY_MORNING, shopId, values);
  const hold = (shopId: string, customerId: string, draftOrder: number, items: HoldItem[], expiresAt: string, status?: HoldStatus) =>
    insertHold(handle.db, MONDAY_MORNING, { shopId, customerId, draftOrder, items, expiresAt, ...(status ? { status } : {}) });

  const shop = async (domain: string) => {
    const found = await service.shop(domain);
    if (!found) throw new Error(`no shop ${domain}`);
    return found;
  };
  const names = async (domain: string, tab: "active" | "completed" | "expired" | "cancelled", search?: string) =>
    (await service.list(await shop(domain), { tab, search: search ?? null })).map((h) => `${h.customer.name}: ${h.items.map((i) => `${i.productTitle} ${i.size ?? ""}`.trim()).join(", ")}`);
  const statusOf = async (id: string) => (await handle.db.select({ status: holds.status, expiresAt: holds.expiresAt }).from(holds).where(eq(holds.id, id)))[0];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    shops.a = (await upsertShop(handle.db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: MONDAY_MORNING })).id;
    shops.b = (await upsertShop(handle.db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: MONDAY_MORNING })).id;
    service = createHoldsPageService({
      db: handle.db,
      clock,
      logger: silentLogger,
      capabilities: async () => ({
        holds: providerHolds,
        inventory: {
          availability: async (variantId) => {
            const available = stock.get(variantId);
            if (available === undefined) throw new NotFoundError(variantId);
            return { variantId, available, locations: [] };
          },
        },
      }),
    });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    clock.set(MONDAY_MORNING);
    calls.length = 0;
    failNext = null;
    await handle.db.delete(holds);
    await handle.db.delete(customers);
    const julie = await customer(shops.a, { phone: "+33645789012", firstName: "Julie", lastName: "Mercier" });
    const elodie = await customer(shops.a, { email: "elodie.martin@example.fr", firstName: "Élodie", lastName: "Martin" });
    ids.julie = await hold(shops.a, julie, 1, [DRESS_38], "2026-01-13T17:00:00Z"); // Tuesday 18:00 Paris
    ids.elodieTomorrow = await hold(shops.a, elodie, 2, [TROUSERS_40], "2026-01-12T17:00:00Z"); // today 18:00
    ids.juliePast = await hold(shops.a, julie, 3, [TROUSERS_40], "2026-01-11T17:00:00Z"); // still "active" in our row
    ids.done = await hold(shops.a, elodie, 4, [DRESS_38], "2026-01-10T17:00:00Z", "completed");
    ids.cancelled = await hold(shops.a, julie, 5, [DRESS_38], "2026-01-10T17:00:00Z", "cancelled");
    const bJulie = await customer(shops.b, { phone: "+33645789012", firstName: "Julie", lastName: "Mercier" });
    ids.shopB = await hold(shops.b, bJulie, 9, [DRESS_38], "2026-01-13T17:00:00Z");
  });

  it("counts each tab of the shop, a hold past its deadline as expired", async () => {
    expect(await service.counts(shops.a)).toEqual({ active: 2, completed: 1, expired: 1, cancelled: 1 });
    expect(await service.counts(shops.b)).toEqual({ active: 1, completed: 0, expired: 0, cancelled: 0 });
    clock.set(new Date("2026-01-12T18:30:00+01:00")); // Élodie's deadline passed
    expect(await service.counts(shops.a)).toEqual({ active: 1, completed: 1, expired: 2, cancelled: 1 });
  });

  it("lists a tab's holds, the soonest deadline first, with their draft order and what an extension allows", async () => {
    const active = await service.list(await shop("elegance-paris.myshopify.com"), { tab: "active" });
    expect(active.map((h) => h.id)).toEqual([ids.elodieTomorrow, ids.julie]);
    expect(active[0]).toMatchObject({ tab: "active", endsToday: true, draftOrderName: "#D2", draftOrderNumericId: 2, customer: { name: "Élodie Martin" } });
    // Policy "next-day 18:00": one more day after Tuesday 18:00 in Paris.
    expect(active[1]).toMatchObject({ endsToday: false, expiresAt: "2026-01-13T17:00:00.000Z", latestDeadline: "2026-01-14T17:00:00.000Z" });
    expect(await names("elegance-paris.myshopify.com", "expired")).toEqual(["Julie Mercier: Pantalon Noir Taille Haute 40"]);
    const done = await service.list(await shop("elegance-paris.myshopify.com"), { tab: "completed" });
    // The draft order of a picked-up hold is gone: nothing to link to.
    expect(done.map((h) => [h.id, h.draftOrderNumericId, h.latestDeadline])).toEqual([[ids.done, null, null]]);
    expect((await service.list(await shop("atelier-lyon.myshopify.com"), { tab: "active" })).map((h) => h.id)).toEqual([ids.shopB]);
  });

  it("finds holds by customer without accents, by a phone typed the French way, by product and size", async () => {
    expect(await names("elegance-paris.myshopify.com", "active", "elodie")).toEqual(["Élodie Martin: Pantalon Noir Taille Haute 40"]);
    expect(await names("elegance-paris.myshopify.com", "active", "ÉLODIE")).toEqual(["Élodie Martin: Pantalon Noir Taille Haute 40"]);
    expect(await names("elegance-paris.myshopify.com", "active", "06 45 78 90 12")).toEqual(["Julie Mercier: Robe Fleurie Bleue 38"]);
    expect(await names("elegance-paris.myshopify.com", "active", "robe 38")).toEqual(["Julie Mercier: Robe Fleurie Bleue 38"]);
    expect(await names("elegance-paris.myshopify.com", "active", "PN-1200")).toEqual(["Élodie Martin: Pantalon Noir Taille Haute 40"]);
    expect(await names("elegance-paris.myshopify.com", "active", "robe 40")).toEqual([]);
    // A % is a character, not a wildcard.
    expect(await names("elegance-paris.myshopify.com", "active", "%")).toEqual([]);
    // The same Julie at the other shop is found there only.
    expect(await names("atelier-lyon.myshopify.com", "active", "julie")).toEqual(["Julie Mercier: Robe Fleurie Bleue 38"]);
  });

  it("extends to a deadline in the future within one more hold period, and says why otherwise", async () => {
    const a = await shop("elegance-paris.myshopify.com");
    expect(await service.extend(a, ids.julie, "2026-01-12T09:00")).toMatchObject({ ok: false, error: "deadline_past" });
    expect(await service.extend(a, ids.julie, "2026-01-14T18:01")).toEqual({ ok: false, error: "deadline_too_late", latestDeadline: "2026-01-14T17:00:00.000Z" });
    expect(await service.extend(a, ids.julie, "2026-02-30T18:00")).toMatchObject({ ok: false, error: "deadline_invalid" });
    expect(await service.extend(a, ids.julie, "")).toMatchObject({ ok: false, error: "deadline_invalid" });
    expect(await service.extend(a, ids.juliePast, "2026-01-13T18:00")).toEqual({ ok: false, error: "not_active", status: "expired" });
    expect(calls).toEqual([]);

    // Wednesday 18:00 in Paris, typed as the shop's wall time whatever the server's TZ.
    const done = await service.extend(a, ids.julie, "2026-01-14T18:00");
    expect(done).toMatchObject({ ok: true, hold: { id: ids.julie, expiresAt: "2026-01-14T17:00:00.000Z" } });
    expect(calls).toEqual(["extend gid://shopify/DraftOrder/1 2026-01-14T17:00:00.000Z"]);
    expect((await statusOf(ids.julie))?.expiresAt.toISOString()).toBe("2026-01-14T17:00:00.000Z");
  });

  it("says Shopify's refusal and changes nothing", async () => {
    const a = await shop("elegance-paris.myshopify.com");
    failNext = new ProviderError("Shopify draftOrderUpdate refused: reserveInventoryUntil: invalid", { provider: "shopify", code: "USER_ERROR", retryable: false });
    expect(await service.extend(a, ids.julie, "2026-01-14T12:00")).toEqual({
      ok: false,
      error: "refused",
      message: "Shopify draftOrderUpdate refused: reserveInventoryUntil: invalid",
    });
    failNext = new NotFoundError("no hold gid://shopify/DraftOrder/1");
    expect(await service.cancel(a, ids.julie)).toEqual({ ok: false, error: "gone" });
    expect(await statusOf(ids.julie)).toMatchObject({ status: "active", expiresAt: new Date("2026-01-13T17:00:00Z") });
  });

  it("cancels: the reservation is released through the Holds capability and the stock read back", async () => {
    const a = await shop("elegance-paris.myshopify.com");
    const result = await service.cancel(a, ids.julie);
    expect(result).toMatchObject({ ok: true, hold: { tab: "cancelled" }, available: [{ productTitle: "Robe Fleurie Bleue", size: "38", available: 2 }] });
    expect(calls).toEqual(["cancel gid://shopify/DraftOrder/1"]);
    expect((await statusOf(ids.julie))?.status).toBe("cancelled");
    expect(await service.cancel(a, ids.julie)).toEqual({ ok: false, error: "not_active", status: "cancelled" });
    expect(await service.cancel(a, "not-a-uuid")).toEqual({ ok: false, error: "not_found" });
  });

  it("marks picked up: completed, the reservation released for the sale at the till", async () => {
    const a = await shop("elegance-paris.myshopify.com");
    expect(await service.pickUp(a, ids.elodieTomorrow)).toMatchObject({ ok: true, hold: { tab: "completed" }, available: [{ productTitle: "Pantalon Noir Taille Haute", available: 3 }] });
    expect(calls).toEqual(["cancel gid://shopify/DraftOrder/2"]);
    expect(await service.pickUp(a, ids.juliePast)).toEqual({ ok: false, error: "not_active", status: "expired" });
    expect(await service.counts(shops.a)).toMatchObject({ active: 1, completed: 2 });
  });

  it("never lets shop B act on shop A's holds", async () => {
    const b = await shop("atelier-lyon.myshopify.com");
    expect(await service.extend(b, ids.julie, "2026-01-14T12:00")).toEqual({ ok: false, error: "not_found" });
    expect(await service.cancel(b, ids.julie)).toEqual({ ok: false, error: "not_found" });
    expect(await service.pickUp(b, ids.julie)).toEqual({ ok: false, error: "not_found" });
    expect(calls).toEqual([]);
    expect(await statusOf(ids.julie)).toMatchObject({ status: "active", expiresAt: new Date("2026-01-13T17:00:00Z") });
    expect(await statusOf(ids.shopB)).toMatchObject({ status: "active" });
  });
});
