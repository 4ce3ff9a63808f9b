/**
 * A customer's holds on PostgreSQL, with two shops: read through the index on the customer
 * (holds_customer), and gone with her when she is deleted (compliance redaction cascades).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, holds } from "../../db/schema";
import type { Database } from "../db.server";
import { createManualClock } from "../lib/clock";
import { useTwoShopDatabase } from "../../tests/integration/support/two-shops";
import { activeHolds } from "./holds.server";
import { insertCustomer, insertHold } from "./test-support";

const NOW = new Date("2026-12-04T10:00:00Z");
let draftOrder = 1000;

async function customerWithHolds(db: Database, shopId: string, phone: string, count: number): Promise<string> {
  const customerId = await insertCustomer(db, NOW, shopId, { phone });
  const items = [{ variantId: "gid://shopify/ProductVariant/1", sku: null, productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }];
  for (let i = 0; i < count; i++) await insertHold(db, NOW, { shopId, customerId, draftOrder: draftOrder++, items, expiresAt: `2026-12-0${5 + i}T10:00:00Z` });
  return customerId;
}

describe("a customer's holds on PostgreSQL", () => {
  const suite = useTwoShopDatabase("postgres", NOW);

  it("are read through the index on the customer, and only the shop's", async () => {
    const sarahsClient = await customerWithHolds(suite.db, suite.shopA, "+33612000001", 2);
    // Thirty other customers' holds in the same shop, and a customer with the same number in the other shop.
    for (let c = 0; c < 30; c++) await customerWithHolds(suite.db, suite.shopA, `+336120001${String(c).padStart(2, "0")}`, 1);
    await customerWithHolds(suite.db, suite.shopB, "+33612000001", 1);

    const clock = createManualClock(NOW);
    const found = await activeHolds({ db: suite.db, clock }, suite.shopA, sarahsClient);
    expect(found.map((h) => h.customerId)).toEqual([sarahsClient, sarahsClient]);
    expect(await activeHolds({ db: suite.db, clock }, suite.shopB, sarahsClient)).toEqual([]);

    // With sequential scans ruled out, the plan shows which index serves the query: without
    // holds_customer it is the (shop, status, expires) index, which reads the shop's every active hold.
    const plan = await suite.db.transaction(async (tx) => {
      await tx.execute("SET LOCAL enable_seqscan = off");
      const result = await tx.execute(
        `EXPLAIN (COSTS OFF) SELECT * FROM holds WHERE shop_id = '${suite.shopA}' AND customer_id = '${sarahsClient}' AND status = 'active'`,
      );
      // node-postgres's result: rows of { "QUERY PLAN": line }.
      return (result as { rows: Array<Record<string, unknown>> }).rows.map((row) => String(row["QUERY PLAN"])).join("\n");
    });
    expect(plan).toMatch(/holds_customer/);
  });

  it("go when the customer is deleted, and the other shop's stay", async () => {
    const leaving = await customerWithHolds(suite.db, suite.shopA, "+33612000099", 2);
    const staying = await customerWithHolds(suite.db, suite.shopB, "+33612000099", 1);
    await suite.db.delete(customers).where(eq(customers.id, leaving));
    expect(await suite.db.select().from(holds).where(eq(holds.customerId, leaving))).toEqual([]);
    expect(await suite.db.select().from(holds).where(eq(holds.customerId, staying))).toHaveLength(1);
  });
});
