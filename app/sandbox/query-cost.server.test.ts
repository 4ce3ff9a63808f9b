/**
 * The sandbox shop's calculated query cost and leaky bucket: what documents cost, what
 * `extensions.cost` reports, THROTTLED when the bucket is short, refill on the shop's clock.
 */
import { parse } from "graphql";
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { actualQueryCost, createCostBucket, requestedQueryCost } from "./query-cost.server";
import { createSandboxShop } from "./sandbox-shop.server";
import { loadAdminSchema } from "./schema.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const schema = loadAdminSchema();
const requested = (source: string, variables?: Record<string, unknown>) => requestedQueryCost(schema, parse(source), variables);

let clock: ManualClock;
beforeEach(() => {
  clock = createManualClock(DEMO_NOW);
});

describe("requested cost", () => {
  it("counts objects 1, scalars 0, connections 2 plus first × a node, mutations 10", () => {
    expect(requested(`{ shop { name currencyCode } }`)).toBe(1);
    expect(requested(`{ shop { name shopAddress { city } } }`)).toBe(2);
    expect(requested(`{ products(first: 10) { nodes { title variants(first: 5) { nodes { price } } } } }`)).toBe(2 + 10 * (1 + 2 + 5));
    expect(requested(`{ products(first: 10) { edges { cursor node { title } } pageInfo { hasNextPage } } }`)).toBe(12);
    expect(requested(`query($n: Int) { products(first: $n) { nodes { id } } }`, { n: 30 })).toBe(32);
    expect(requested(`{ products(last: 4) { nodes { id } } }`)).toBe(6);
    expect(requested(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { node { id } userErrors { message } } }`)).toBe(12);
  });

  it("expands fragments and counts an interface's fragments", () => {
    expect(requested(`query { ...Shop } fragment Shop on QueryRoot { shop { name } }`)).toBe(1);
    expect(requested(`{ node(id: "gid://shopify/Product/1001") { id ... on Product { variants(first: 3) { nodes { id } } } } }`)).toBe(1 + 2 + 3);
  });
});

describe("actual cost", () => {
  it("counts what came back, never more than requested", async () => {
    const shop = createSandboxShop({ clock });
    const doc = `{ products(first: 50) { nodes { title } } product(id: "gid://shopify/Product/99999") { title } }`;
    const result = await shop.execute(doc);
    expect(result.extensions).toEqual({
      cost: { requestedQueryCost: 52 + 1, actualQueryCost: 2 + 12, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 } },
    });
    expect(actualQueryCost(schema, parse(doc), {}, { products: { nodes: Array(100).fill({ title: "x" }) } })).toBe(53);
  });
});

describe("the bucket", () => {
  it("takes, refunds and refills on the clock, up to its size", () => {
    const bucket = createCostBucket(clock, { maximumAvailable: 100, restoreRate: 10, maxQueryCost: 50 });
    expect(bucket.take(80)).toBe(true);
    expect(bucket.take(30)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(20);
    bucket.refund(5);
    clock.advance(1_000);
    expect(bucket.status().currentlyAvailable).toBe(35);
    clock.advance(60_000);
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 100, restoreRate: 10 });
  });

  it("with throttling on, answers THROTTLED with no data when the bucket is short, and runs again once refilled", async () => {
    const shop = createSandboxShop({ clock, throttling: { maximumAvailable: 60, restoreRate: 10 } });
    const doc = `{ products(first: 50) { nodes { title } } }`;
    const first = await shop.execute(doc);
    expect(first.errors).toBeUndefined();
    expect(first.extensions).toEqual({ cost: { requestedQueryCost: 52, actualQueryCost: 14, throttleStatus: { maximumAvailable: 60, currentlyAvailable: 46, restoreRate: 10 } } });
    const throttled = await shop.execute(doc);
    expect(throttled.data).toBeUndefined();
    expect(throttled.errors?.map((e) => [e.message, e.extensions["code"]])).toEqual([["Throttled", "THROTTLED"]]);
    expect(throttled.extensions).toEqual({ cost: { requestedQueryCost: 52, actualQueryCost: null, throttleStatus: { maximumAvailable: 60, currentlyAvailable: 46, restoreRate: 10 } } });
    clock.advance(600);
    expect((await shop.execute(doc)).errors).toBeUndefined();
  });

  it("refuses a document above the single-query limit, whatever the bucket holds", async () => {
    const shop = createSandboxShop({ clock, throttling: true });
    const result = await shop.execute(`{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }`);
    expect(result.errors?.map((e) => e.extensions["code"])).toEqual(["MAX_COST_EXCEEDED"]);
    expect(result.errors?.[0]?.message).toMatch(/^Query cost is 63252, which exceeds the single query max cost limit \(1000\)/);
  });

  it("shows in the admin client's extensions and on its errors", async () => {
    const shop = createSandboxShop({ clock, throttling: { maximumAvailable: 10 } });
    const admin = shop.adminClient();
    const ok = await admin.requestWithExtensions?.(`{ shop { name } }`);
    expect(ok?.extensions.cost?.throttleStatus.currentlyAvailable).toBe(9);
    const error = await admin.request(`{ products(first: 20) { nodes { id } } }`).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AdminGraphqlError", extensions: { cost: { requestedQueryCost: 22, actualQueryCost: null } } });
  });
});
