/**
 * The Shopify `Returns` capability on the sandbox shop: a return and an exchange through
 * `returnCreate`, the same request twice being one return, lines spread over fulfilments, and the
 * refusals (more than shipped, not shipped, unknown order or variant), on two shops.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { InvalidPayloadError, NotFoundError, ProviderError } from "~/plugins/types";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import type { OrderRecord } from "~/sandbox/store.server";
import type { AdminClient } from "./admin-client";
import { createShopifyReturns } from "./returns.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");

let shop: SandboxShop;
let other: SandboxShop;
beforeEach(() => {
  const clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock });
  other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
});

function order(s: SandboxShop, name: string): OrderRecord {
  const found = s.store.orders.find((o) => o.name === name);
  if (!found) throw new Error(`seed changed: no ${name}`);
  return found;
}

function lineOf(o: OrderRecord): string {
  const line = o.lineItems[0];
  if (!line) throw new Error(`seed changed: ${o.name} has no line`);
  return line.id;
}

function variantId(s: SandboxShop, sku: string): string {
  const variant = s.store.variants.find((v) => v.sku === sku);
  if (!variant) throw new Error(`seed changed: no ${sku}`);
  return variant.id;
}

/** Counts the mutations sent, to tell a second return from the first one given back. */
function counting(admin: AdminClient): { admin: AdminClient; mutations: () => number } {
  let mutations = 0;
  return {
    mutations: () => mutations,
    admin: {
      shopDomain: admin.shopDomain,
      request: <T>(document: string, variables?: Record<string, unknown>) => {
        if (/^\s*#graphql\s*mutation/.test(document)) mutations += 1;
        return admin.request<T>(document, variables);
      },
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe("createShopifyReturns on the sandbox shop", () => {
  it("opens a return on a delivered order, with the reason on the line", async () => {
    const o = order(shop, "#2847");
    const result = await createShopifyReturns({ admin: shop.adminClient() }).request({
      orderId: o.id,
      lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "Trop grand" }],
      idempotencyKey: "ret-1",
    });
    expect(result).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/Return\/\d+$/) as unknown, name: "#2847-R1", status: "OPEN" });
    expect(shop.store.returns).toHaveLength(1);
    expect(shop.store.returns[0]?.returnLineItems.map((l) => [l.quantity, l.returnReasonNote])).toEqual([[1, "Trop grand"]]);
    expect(shop.store.returns[0]?.exchangeLineItems).toEqual([]);
    expect(other.store.returns).toEqual([]);
  });

  it("makes an exchange: the return line and the replacement variant", async () => {
    const o = order(shop, "#2847");
    const replacement = variantId(shop, "PT-2847-38");
    await createShopifyReturns({ admin: shop.adminClient() }).request({
      orderId: o.id,
      lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "Taille 38 plutôt" }],
      exchange: [{ variantId: replacement, quantity: 1 }],
      idempotencyKey: "exch-1",
    });
    expect(shop.store.returns[0]?.exchangeLineItems.map((l) => [l.variantId, l.quantity])).toEqual([[replacement, 1]]);
  });

  it("gives back the open return when the same request comes again, and makes a new one when the request differs", async () => {
    const o = order(shop, "#2847");
    o.lineItems[0] = { ...o.lineItems[0]!, quantity: 2 };
    o.fulfillments[0]!.lineItems[0]!.quantity = 2;
    const { admin, mutations } = counting(shop.adminClient());
    const returns = createShopifyReturns({ admin });
    const request = { orderId: o.id, lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "Trop grand" }], idempotencyKey: "ret-1" };
    const first = await returns.request(request);
    const again = await returns.request({ ...request });
    expect(again).toEqual(first);
    expect(mutations()).toBe(1);
    expect(shop.store.returns).toHaveLength(1);

    // The second unit, as an exchange: not the same request, so a second return.
    const exchange = await returns.request({ ...request, exchange: [{ variantId: variantId(shop, "PT-2847-38"), quantity: 1 }], idempotencyKey: "exch-1" });
    expect(exchange.name).toBe("#2847-R2");
    expect(mutations()).toBe(2);

    // Once the first return is closed, the same request again is not that return any more; and no unit is left.
    shop.store.returns[0]!.status = "CLOSED";
    expect(await failure(returns.request(request))).toBeInstanceOf(InvalidPayloadError);
  });

  it("spreads a line over the fulfilments that shipped it, skipping units already returned", async () => {
    const o = order(shop, "#2847");
    const line = lineOf(o);
    o.lineItems[0] = { ...o.lineItems[0]!, quantity: 3 };
    const fulfillment = o.fulfillments[0]!;
    fulfillment.lineItems[0]!.quantity = 1;
    o.fulfillments.push({ ...fulfillment, id: "gid://shopify/Fulfillment/9901", legacyId: 9901, lineItems: [{ id: "gid://shopify/FulfillmentLineItem/11901", legacyId: 11901, lineItemId: line, quantity: 2 }] });
    const returns = createShopifyReturns({ admin: shop.adminClient() });

    await returns.request({ orderId: o.id, lines: [{ lineItemId: line, quantity: 2, reason: "" }], idempotencyKey: "a" });
    expect(shop.store.returns[0]?.returnLineItems.map((l) => [l.fulfillmentLineItemId, l.quantity])).toEqual([
      [fulfillment.lineItems[0]!.id, 1],
      ["gid://shopify/FulfillmentLineItem/11901", 1],
    ]);
    await returns.request({ orderId: o.id, lines: [{ lineItemId: line, quantity: 1, reason: "" }], idempotencyKey: "b" });
    expect(shop.store.returns[1]?.returnLineItems.map((l) => [l.fulfillmentLineItemId, l.quantity])).toEqual([["gid://shopify/FulfillmentLineItem/11901", 1]]);
    // (Asking for 1 or 2 units again would be one of the two requests above, given back as is.)
    const error = await failure(returns.request({ orderId: o.id, lines: [{ lineItemId: line, quantity: 3, reason: "encore" }], idempotencyKey: "c" }));
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as Error).message).toContain("0 of 3 units can still be returned");
  });

  it("refuses more units than were shipped, a line not shipped yet, and a bad quantity", async () => {
    const returns = createShopifyReturns({ admin: shop.adminClient() });
    const delivered = order(shop, "#2847");
    const unshipped = order(shop, "#2988");
    const cases = [
      { orderId: delivered.id, lines: [{ lineItemId: lineOf(delivered), quantity: 2, reason: "" }] },
      { orderId: unshipped.id, lines: [{ lineItemId: lineOf(unshipped), quantity: 1, reason: "" }] },
      { orderId: delivered.id, lines: [{ lineItemId: lineOf(unshipped), quantity: 1, reason: "" }] },
      { orderId: delivered.id, lines: [{ lineItemId: lineOf(delivered), quantity: 0, reason: "" }] },
      { orderId: delivered.id, lines: [] },
      { orderId: delivered.id, lines: [{ lineItemId: lineOf(delivered), quantity: 1, reason: "" }], exchange: [{ variantId: variantId(shop, "PT-2847-38"), quantity: 0 }] },
    ];
    for (const input of cases) {
      expect(await failure(returns.request({ ...input, idempotencyKey: "k" })), JSON.stringify(input)).toBeInstanceOf(InvalidPayloadError);
    }
    expect(shop.store.returns).toEqual([]);
  });

  it("answers NotFoundError for an order of no shop or of the other shop, and for an unknown replacement", async () => {
    const returns = createShopifyReturns({ admin: shop.adminClient() });
    const o = order(shop, "#2847");
    other.store.orders = other.store.orders.filter((x) => x.name !== "#2847");
    const elsewhere = createShopifyReturns({ admin: other.adminClient() });
    expect(await failure(returns.request({ orderId: "gid://shopify/Order/99999", lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "" }], idempotencyKey: "k" }))).toBeInstanceOf(NotFoundError);
    expect(await failure(elsewhere.request({ orderId: o.id, lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "" }], idempotencyKey: "k" }))).toBeInstanceOf(NotFoundError);
    const unknownVariant = await failure(
      returns.request({ orderId: o.id, lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "" }], exchange: [{ variantId: "gid://shopify/ProductVariant/99999", quantity: 1 }], idempotencyKey: "k" }),
    );
    expect(unknownVariant).toBeInstanceOf(NotFoundError);
    expect((unknownVariant as Error).message).toContain("Variant does not exist");
    expect(shop.store.returns).toEqual([]);
  });

  it("passes Shopify's other refusals on as a ProviderError with the code", async () => {
    const o = order(shop, "#2847");
    const inner = shop.adminClient();
    // A user error Shopify may give that the capability cannot foresee.
    const admin: AdminClient = {
      shopDomain: inner.shopDomain,
      async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
        if (document.includes("returnCreate(")) {
          return { returnCreate: { return: null, userErrors: [{ field: ["returnInput"], message: "Returns are not enabled", code: "FEATURE_NOT_ENABLED" }] } } as T;
        }
        return inner.request<T>(document, variables);
      },
    };
    const error = await failure(createShopifyReturns({ admin }).request({ orderId: o.id, lines: [{ lineItemId: lineOf(o), quantity: 1, reason: "" }], idempotencyKey: "k" }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).details).toEqual({ provider: "shopify", code: "FEATURE_NOT_ENABLED", retryable: false });
  });
});
