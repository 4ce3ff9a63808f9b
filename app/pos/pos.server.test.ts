/**
 * The POS holds data on PostgreSQL and PGlite with two shops: what the counter lists (active and
 * really held, soonest first, "ends today" in the shop's time zone), the search staff type, and
 * "picked up" (reservation released through the Holds capability, row completed, reminder
 * cancelled). Shop B never sees nor touches shop A's holds.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { customers, holds, scheduledMessages, type HoldItem, type HoldStatus } from "../../db/schema";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { insertCustomer, insertHold } from "~/holds/test-support";
import { gidNumericId, listPosHolds, markHoldPickedUp } from "./pos.server";

const MONDAY_MORNING = new Date("2026-01-12T10:15:00+01:00");
const DRESS_38: HoldItem = { variantId: "gid://shopify/ProductVariant/2002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 };
const SCARF: HoldItem = { variantId: "gid://shopify/ProductVariant/2101", sku: "FS-1000", productTitle: "Foulard Soie", size: null, quantity: 2 };

describe.each(DATABASE_KINDS)("POS holds on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const clock = createManualClock(MONDAY_MORNING);
  const cancelled: string[] = [];
  const holdsDouble = { cancel: async (draftOrderId: string) => void cancelled.push(draftOrderId) };
  let shopA: string;
  let shopB: string;
  const ids = { julieToday: "", elodieTomorrow: "", juliePast: "", julieDone: "", shopB: "" };

  const customer = (shopId: string, values: Partial<typeof customers.$inferInsert>) => insertCustomer(handle.db, MONDAY_MORNING, shopId, values);
  const hold = (shopId: string, customerId: string, draftOrder: number, items: HoldItem[], expiresAt: string, status?: HoldStatus) =>
    insertHold(handle.db, MONDAY_MORNING, { shopId, customerId, draftOrder, items, expiresAt, ...(status ? { status } : {}) });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    shopA = (await upsertShop(handle.db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: MONDAY_MORNING })).id;
    shopB = (await upsertShop(handle.db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: MONDAY_MORNING })).id;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    clock.set(MONDAY_MORNING);
    cancelled.length = 0;
    await handle.db.delete(scheduledMessages);
    await handle.db.delete(holds);
    await handle.db.delete(customers);
    const julie = await customer(shopA, { phone: "+33645789012", firstName: "Julie", lastName: "Mercier", shopifyCustomerId: "gid://shopify/Customer/6001" });
    const elodie = await customer(shopA, { email: "elodie.martin@example.fr", firstName: "Élodie", lastName: "Martin" });
    const julieB = await customer(shopB, { phone: "+33611223344", firstName: "Julie", lastName: "Lyon", shopifyCustomerId: "gid://shopify/Customer/7001" });
    // Today 18:00 in Paris; tomorrow 00:30 in Paris, which is still Monday in UTC (23:30Z).
    ids.julieToday = await hold(shopA, julie, 11, [DRESS_38], "2026-01-12T18:00:00+01:00");
    ids.elodieTomorrow = await hold(shopA, elodie, 12, [SCARF], "2026-01-13T00:30:00+01:00");
    ids.juliePast = await hold(shopA, julie, 13, [SCARF], "2026-01-12T09:00:00+01:00"); // deadline passed, row not yet expired
    ids.julieDone = await hold(shopA, julie, 14, [SCARF], "2026-01-13T18:00:00+01:00", "completed");
    ids.shopB = await hold(shopB, julieB, 21, [DRESS_38], "2026-01-12T12:00:00+01:00");
    await handle.db.insert(scheduledMessages).values([
      { shopId: shopA, customerId: julie, type: "pickup_reminder", dueAt: new Date("2026-01-12T16:00:00+01:00"), status: "scheduled", causeType: "hold", causeId: ids.julieToday, payload: {}, createdAt: MONDAY_MORNING, updatedAt: MONDAY_MORNING },
      { shopId: shopA, customerId: elodie, type: "pickup_reminder", dueAt: new Date("2026-01-12T20:00:00+01:00"), status: "scheduled", causeType: "hold", causeId: ids.elodieTomorrow, payload: {}, createdAt: MONDAY_MORNING, updatedAt: MONDAY_MORNING },
    ]);
  });

  const deps = () => ({ db: handle.db, clock, holds: holdsDouble });
  const statusOf = async (id: string) => (await handle.db.select({ status: holds.status }).from(holds).where(eq(holds.id, id)))[0]?.status;

  it("lists the shop's really held holds, soonest first, with 'ends today' in the shop's time zone", async () => {
    const list = await listPosHolds(deps(), shopA);
    expect(list.holds.map((h) => h.id)).toEqual([ids.julieToday, ids.elodieTomorrow]);
    expect(list.activeCount).toBe(2);
    expect(list.endingTodayCount).toBe(1);
    expect(list.holds.map((h) => h.endsToday)).toEqual([true, false]);
    expect(list.holds[0]).toEqual({
      id: ids.julieToday,
      draftOrderName: "#D11",
      expiresAt: "2026-01-12T17:00:00.000Z",
      endsToday: true,
      customer: {
        firstName: "Julie",
        lastName: "Mercier",
        phone: "+33645789012",
        email: null,
        shopifyCustomerId: "gid://shopify/Customer/6001",
        shopifyCustomerNumericId: 6001,
      },
      items: [{ variantId: DRESS_38.variantId, variantNumericId: 2002, productTitle: "Robe Fleurie Bleue", size: "38", sku: "RF-2847-38", quantity: 1 }],
    });
    // Élodie's Tuesday 00:30 deadline becomes "today" at midnight in Paris, not at midnight UTC.
    clock.set(new Date("2026-01-13T00:05:00+01:00"));
    const tuesday = await listPosHolds(deps(), shopA);
    expect(tuesday.holds.map((h) => [h.id, h.endsToday])).toEqual([[ids.elodieTomorrow, true]]);
  });

  it("shop B lists only its own hold", async () => {
    const list = await listPosHolds(deps(), shopB);
    expect(list.holds.map((h) => h.id)).toEqual([ids.shopB]);
    expect(list.activeCount).toBe(1);
    expect((await listPosHolds(deps(), shopB, { search: "julie" })).holds.map((h) => h.id)).toEqual([ids.shopB]);
    expect((await listPosHolds(deps(), shopB, { search: "Mercier" })).holds).toEqual([]);
  });

  it("searches names without accents, phones as typed, products, sizes and draft orders; counts stay whole", async () => {
    const search = async (text: string) => (await listPosHolds(deps(), shopA, { search: text })).holds.map((h) => h.id);
    expect(await search("elodie")).toEqual([ids.elodieTomorrow]);
    expect(await search("MERCIER julie")).toEqual([ids.julieToday]);
    expect(await search("06 45 78 90")).toEqual([ids.julieToday]);
    expect(await search("+33 6 45 78")).toEqual([ids.julieToday]);
    expect(await search("robe 38")).toEqual([ids.julieToday]);
    expect(await search("foulard")).toEqual([ids.elodieTomorrow]);
    expect(await search("#D12")).toEqual([ids.elodieTomorrow]);
    expect(await search("  ")).toEqual([ids.julieToday, ids.elodieTomorrow]);
    expect(await search("robe 40")).toEqual([]);
    const none = await listPosHolds(deps(), shopA, { search: "nobody" });
    expect([none.activeCount, none.endingTodayCount, none.holds.length]).toEqual([2, 1, 0]);
  });

  it("picked up: releases the reservation, completes the hold, cancels its reminder and nothing else", async () => {
    const result = await markHoldPickedUp(deps(), shopA, ids.julieToday);
    expect(result).toMatchObject({ outcome: "picked_up", hold: { id: ids.julieToday, items: [{ variantNumericId: 2002 }] } });
    expect(cancelled).toEqual(["gid://shopify/DraftOrder/11"]);
    expect(await statusOf(ids.julieToday)).toBe("completed");
    const reminders = await handle.db.select().from(scheduledMessages);
    expect(reminders.map((r) => [r.causeId, r.status]).sort()).toEqual(
      [
        [ids.julieToday, "cancelled"],
        [ids.elodieTomorrow, "scheduled"],
      ].sort(),
    );
    expect((await listPosHolds(deps(), shopA)).holds.map((h) => h.id)).toEqual([ids.elodieTomorrow]);
    // A second tap is told, and Shopify is not asked again.
    expect(await markHoldPickedUp(deps(), shopA, ids.julieToday)).toEqual({ outcome: "not_active", status: "completed" });
    expect(cancelled).toHaveLength(1);
  });

  it("shop B cannot pick up shop A's hold, and A cannot pick up B's", async () => {
    expect(await markHoldPickedUp(deps(), shopB, ids.julieToday)).toEqual({ outcome: "not_found" });
    expect(await markHoldPickedUp(deps(), shopA, ids.shopB)).toEqual({ outcome: "not_found" });
    expect(cancelled).toEqual([]);
    expect(await statusOf(ids.julieToday)).toBe("active");
    expect(await statusOf(ids.shopB)).toBe("active");
  });

  it("refuses holds that are no longer held, unknown ids, and keeps the row when Shopify fails", async () => {
    expect(await markHoldPickedUp(deps(), shopA, ids.juliePast)).toEqual({ outcome: "not_active", status: "expired" });
    expect(await markHoldPickedUp(deps(), shopA, ids.julieDone)).toEqual({ outcome: "not_active", status: "completed" });
    expect(await markHoldPickedUp(deps(), shopA, "00000000-0000-4000-8000-000000000000")).toEqual({ outcome: "not_found" });
    expect(cancelled).toEqual([]);
    const failing = { ...deps(), holds: { cancel: async () => Promise.reject(new Error("Shopify unavailable")) } };
    await expect(markHoldPickedUp(failing, shopA, ids.julieToday)).rejects.toThrow("Shopify unavailable");
    expect(await statusOf(ids.julieToday)).toBe("active");
  });
});

describe("gidNumericId", () => {
  it("reads the number POS's cart API takes", () => {
    expect(gidNumericId("gid://shopify/ProductVariant/2002")).toBe(2002);
    expect(gidNumericId("gid://shopify/Customer/6001")).toBe(6001);
    expect(gidNumericId("gid://shopify/Customer/")).toBeNull();
    expect(gidNumericId("6001")).toBeNull();
    expect(gidNumericId(null)).toBeNull();
  });
});
