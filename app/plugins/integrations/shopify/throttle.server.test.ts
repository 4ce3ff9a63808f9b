/**
 * `withThrottling` against the sandbox shop with Shopify's rate limit on (a small bucket, so a few
 * requests drain it), on a manual clock that the injected `sleep` advances: the wrapper waits
 * instead of being throttled, backs off and retries when another client drained the bucket, and
 * never repeats a mutation that has no idempotency key.
 */
import { parse } from "graphql";
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { createLogger, type Logger } from "~/lib/logger.server";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import { AdminGraphqlError, type AdminClient, type QueryCost } from "./admin-client";
import { estimateQueryCost, isThrottledError, withThrottling } from "./throttle.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
/** 52 points requested, 14 actually spent (12 products in the demo boutique). */
const PRODUCTS = `#graphql
  query { products(first: 50) { nodes { title } } }
`;

let clock: ManualClock;
let shop: SandboxShop;
let sleeps: number[];
let logs: Array<{ level: string; msg: string }>;
let logger: Logger;

const sleep = async (ms: number) => {
  sleeps.push(ms);
  clock.advance(ms);
};

beforeEach(() => {
  clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock, throttling: { maximumAvailable: 200, restoreRate: 10 } });
  sleeps = [];
  logs = [];
  logger = createLogger({ level: "debug", write: (line) => logs.push(JSON.parse(line) as { level: string; msg: string }) });
});

/** The sandbox client, counting the THROTTLED answers it gets. */
function counted(admin: AdminClient): { admin: AdminClient; throttled: () => number; calls: () => number } {
  let throttled = 0;
  let calls = 0;
  const track = async <T>(run: () => Promise<T>): Promise<T> => {
    calls += 1;
    try {
      return await run();
    } catch (error) {
      if (isThrottledError(error)) throttled += 1;
      throw error;
    }
  };
  return {
    throttled: () => throttled,
    calls: () => calls,
    admin: {
      shopDomain: admin.shopDomain,
      request: (document, variables) => track(() => admin.request(document, variables)),
      requestWithExtensions: (document, variables) => track(() => admin.requestWithExtensions!(document, variables)),
    },
  };
}

function throttledAnswer(cost: QueryCost, shopDomain = "fake.myshopify.com"): AdminGraphqlError {
  return new AdminGraphqlError([{ message: "Throttled", extensions: { code: "THROTTLED" } }], shopDomain, { cost });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe("estimateQueryCost", () => {
  it("follows Shopify's rules without the schema", () => {
    expect(estimateQueryCost(parse(`{ shop { name } }`)).cost).toBe(1);
    expect(estimateQueryCost(parse(`query($n: Int) { products(first: $n) { nodes { title variants(first: 5) { nodes { price } } } } }`), { n: 10 })).toEqual({ cost: 82, sizes: [10, 5] });
    expect(estimateQueryCost(parse(`{ products(first: 10) { edges { node { id } } pageInfo { hasNextPage } } }`)).cost).toBe(12);
    expect(estimateQueryCost(parse(`mutation { tagsAdd(id: "x", tags: []) { node { id } userErrors { message } } }`)).cost).toBe(12);
  });
});

describe("withThrottling on the sandbox shop", () => {
  it("paces a burst so that the shop never answers THROTTLED, where the bare client is throttled", async () => {
    const bare = counted(shop.adminClient());
    const bareOutcome = await failure((async () => {
      for (let i = 0; i < 20; i += 1) await bare.admin.request(PRODUCTS);
    })());
    expect(isThrottledError(bareOutcome)).toBe(true);

    clock.advance(60_000); // the bucket is full again
    const inner = counted(shop.adminClient());
    const admin = withThrottling(inner.admin, { clock, sleep, logger });
    for (let i = 0; i < 20; i += 1) {
      const data = await admin.request<{ products: { nodes: unknown[] } }>(PRODUCTS);
      expect(data.products.nodes).toHaveLength(12);
    }
    expect(inner.throttled()).toBe(0);
    expect(inner.calls()).toBe(20);
    // 20 × 14 points spent from a bucket of 200 at 10 points a second: a few seconds of waiting.
    const waited = sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan(15_000);
  });

  it("backs off for the missing points and retries a query when another client drained the bucket", async () => {
    const admin = withThrottling(shop.adminClient(), { clock, sleep, logger });
    await admin.request(PRODUCTS); // 186 left, as far as the wrapper knows
    const other = shop.adminClient();
    for (let i = 0; i < 10; i += 1) await other.request(PRODUCTS); // 186 − 10 × 14 = 46 left
    const data = await admin.request<{ products: { nodes: unknown[] } }>(PRODUCTS);
    expect(data.products.nodes).toHaveLength(12);
    expect(sleeps).toEqual([600]); // (52 − 46) points at 10 a second
    expect(logs.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual(["Shopify throttled the request; retrying"]);
  });

  it("does not repeat a mutation without an idempotency key", async () => {
    const other = shop.adminClient();
    // 14 points requested and spent each time: 200 − 14 × 14 = 4 points left.
    for (let i = 0; i < 14; i += 1) await other.request(`{ products(first: 12) { nodes { title } } }`);
    const inner = counted(shop.adminClient());
    const admin = withThrottling(inner.admin, { clock, sleep, logger });
    const error = await failure(admin.request(`#graphql
      mutation { tagsAdd(id: "gid://shopify/Customer/6001", tags: ["mariage"]) { node { id } userErrors { message } } }
    `));
    expect(isThrottledError(error)).toBe(true);
    expect(inner.calls()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(shop.store.customers[0]?.tags).toEqual(["VIP"]);
  });

  it("lets concurrent requests share the bucket without failing", async () => {
    const admin = withThrottling(shop.adminClient(), { clock, sleep, logger });
    await admin.request(PRODUCTS);
    const results = await Promise.all(Array.from({ length: 10 }, () => admin.request<{ products: { nodes: unknown[] } }>(PRODUCTS)));
    expect(results.every((r) => r.products.nodes.length === 12)).toBe(true);
  });

  it("passes other errors on at once", async () => {
    const inner = counted(shop.adminClient());
    const admin = withThrottling(inner.admin, { clock, sleep, logger });
    const error = await failure(admin.request(`{ shop { nom } }`));
    expect(error).toBeInstanceOf(AdminGraphqlError);
    expect(isThrottledError(error)).toBe(false);
    expect(inner.calls()).toBe(1);
  });
});

describe("withThrottling's back-off", () => {
  /** A client that answers THROTTLED `times` times, then data. */
  function throttling(times: number, options: { withExtensions: boolean }) {
    const documents: string[] = [];
    const cost: QueryCost = { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 } };
    const answer = async () => {
      if (documents.length <= times) throw options.withExtensions ? throttledAnswer(cost) : new AdminGraphqlError([{ message: "Throttled", extensions: { code: "THROTTLED" } }], "fake.myshopify.com");
      return { ok: true };
    };
    const admin: AdminClient = {
      shopDomain: "fake.myshopify.com",
      async request<T>(document: string): Promise<T> {
        documents.push(document);
        return (await answer()) as T;
      },
      ...(options.withExtensions
        ? {
            async requestWithExtensions<T>(document: string) {
              documents.push(document);
              return { data: (await answer()) as T, extensions: {} };
            },
          }
        : {}),
    };
    return { admin, documents };
  }

  const IDEMPOTENT = `#graphql
    mutation($key: String!) { inventoryActivate(inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1") @idempotent(key: $key) { userErrors { message } } }
  `;

  it("retries a mutation that carries @idempotent, doubling the wait each time", async () => {
    const { admin, documents } = throttling(2, { withExtensions: true });
    expect(await withThrottling(admin, { clock, sleep, logger }).request(IDEMPOTENT, { key: "k" })).toEqual({ ok: true });
    expect(documents).toHaveLength(3);
    expect(sleeps).toEqual([200, 400]); // 10 missing points at 50 a second, then twice that
  });

  it("gives up after maxRetries, and caps each wait", async () => {
    const { admin, documents } = throttling(10, { withExtensions: true });
    const error = await failure(withThrottling(admin, { clock, sleep, logger, maxRetries: 3, maxWaitMs: 500 }).request(`{ shop { name } }`));
    expect(isThrottledError(error)).toBe(true);
    expect(documents).toHaveLength(4);
    expect(sleeps).toEqual([200, 400, 500]);
  });

  it("works with a client that gives no extensions, waiting by Shopify's standard restore rate", async () => {
    const { admin } = throttling(1, { withExtensions: false });
    expect(await withThrottling(admin, { clock, sleep, logger }).request(`{ shop { name } }`)).toEqual({ ok: true });
    expect(sleeps).toEqual([1_000]);
  });
});
