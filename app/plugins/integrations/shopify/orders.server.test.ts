/**
 * The Shopify `Orders` capability on the sandbox shop, for what the shared contract
 * (tests/contracts/orders.contract.ts) does not see: the size of a line whose variant is gone,
 * several fulfilments, the cap on a customer's page, and the name forms accepted.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import type { AdminClient } from "./admin-client";
import { MAX_ORDERS_PER_CUSTOMER_PAGE, type OrdersQueryData } from "./documents-orders";
import { createShopifyOrders, lineSize, orderNumberOf } from "./orders.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const EMMA = "gid://shopify/Customer/6002";

let shop: SandboxShop;
beforeEach(() => {
  shop = createSandboxShop({ clock: createManualClock(DEMO_NOW) });
});

function recording(admin: AdminClient): { admin: AdminClient; variables: Array<Record<string, unknown> | undefined> } {
  const variables: Array<Record<string, unknown> | undefined> = [];
  return {
    variables,
    admin: {
      shopDomain: admin.shopDomain,
      request: <T>(document: string, vars?: Record<string, unknown>) => {
        variables.push(vars);
        return admin.request<T>(document, vars);
      },
    },
  };
}

describe("lineSize", () => {
  it("reads the size option of the variant, whatever its language", () => {
    expect(lineSize({ variant: { id: "v", selectedOptions: [{ name: "Taille", value: "38" }] }, variantTitle: "38" })).toBe("38");
    expect(lineSize({ variant: { id: "v", selectedOptions: [{ name: "Color", value: "Blue" }, { name: "Size", value: "M" }] }, variantTitle: "Blue / M" })).toBe("M");
    expect(lineSize({ variant: { id: "v", selectedOptions: [{ name: "Couleur", value: "Bleu" }] }, variantTitle: "Bleu" })).toBeNull();
  });

  it("falls back to the title kept on the line when the variant was deleted", () => {
    expect(lineSize({ variant: null, variantTitle: "40" })).toBe("40");
    expect(lineSize({ variant: null, variantTitle: "Bleu / XL" })).toBe("XL");
    expect(lineSize({ variant: null, variantTitle: "Taille unique" })).toBe("Taille unique");
    expect(lineSize({ variant: null, variantTitle: "Bleu" })).toBeNull();
    expect(lineSize({ variant: null, variantTitle: "Default Title" })).toBeNull();
    expect(lineSize({ variant: null, variantTitle: null })).toBeNull();
  });
});

describe("orderNumberOf", () => {
  it("accepts the forms customers write and refuses the rest", () => {
    expect(["#2847", "2847", " #2847 ", "n°2847", "No. 2847", "# 2847"].map(orderNumberOf)).toEqual(Array(6).fill("2847"));
    expect(orderNumberOf("EP-1001")).toBe("EP-1001");
    expect(["", "#", "28 47", "name:2847 OR 1", '2847"'].map(orderNumberOf)).toEqual([null, null, null, null, null]);
  });
});

describe("createShopifyOrders on the sandbox shop", () => {
  it("keeps the size of a line whose variant was deleted since", async () => {
    const order = shop.store.orders.find((o) => o.name === "#2901");
    const line = order?.lineItems[0];
    if (!line) throw new Error("seed changed: #2901 has no line");
    shop.store.variants = shop.store.variants.filter((v) => v.id !== line.variantId);
    const found = await createShopifyOrders({ admin: shop.adminClient() }).byName("#2901");
    expect(found?.lines).toEqual([{ id: expect.stringMatching(/^gid:\/\/shopify\/LineItem\//), title: "Robe Fleurie Bleue", sku: "RF-2847-40", variantId: null, size: "40", quantity: 1, unitPrice: "89.00" }]);
  });

  it("lists every fulfilment with its own tracking", async () => {
    const order = shop.store.orders.find((o) => o.name === "#2847");
    const first = order?.fulfillments[0];
    if (!order || !first) throw new Error("seed changed: #2847 not fulfilled");
    order.fulfillments.push({
      ...first,
      id: "gid://shopify/Fulfillment/9901",
      legacyId: 9901,
      name: "#2847.2",
      displayStatus: "IN_TRANSIT",
      trackingCompany: "Chronopost",
      trackingNumber: "XY123456789FR",
      deliveredAt: null,
      estimatedDeliveryAt: new Date("2026-01-14T12:00:00+01:00"),
      lineItems: [],
    });
    const found = await createShopifyOrders({ admin: shop.adminClient() }).byName("2847");
    expect(found?.fulfillments.map((f) => [f.status, f.trackingCompany, f.trackingNumber, f.trackingUrl, f.estimatedDeliveryAt?.toISOString() ?? null])).toEqual([
      ["DELIVERED", "Colissimo", "FR123456789", "https://www.laposte.fr/outils/suivre-vos-envois?code=FR123456789", null],
      ["IN_TRANSIT", "Chronopost", "XY123456789FR", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=XY123456789FR", "2026-01-14T11:00:00.000Z"],
    ]);
  });

  it("an order picked up in store has a fulfilment without tracking; an unfulfilled one has none", async () => {
    const orders = createShopifyOrders({ admin: shop.adminClient() });
    const pickedUp = await orders.byName("#2950");
    expect(pickedUp?.fulfillments).toEqual([
      { id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\//) as unknown, status: "PICKED_UP", trackingCompany: null, trackingNumber: null, trackingUrl: null, estimatedDeliveryAt: null, deliveredAt: null },
    ]);
    const unfulfilled = await orders.byName("#2988");
    expect([unfulfilled?.fulfillmentStatus, unfulfilled?.fulfillments]).toEqual(["UNFULFILLED", []]);
  });

  it("asks for at most one page of orders under Shopify's cost limit, and nothing for a malformed customer id", async () => {
    const { admin, variables } = recording(shop.adminClient());
    const orders = createShopifyOrders({ admin });
    expect((await orders.byCustomer(EMMA, 50)).map((o) => o.name)).toEqual(["#2847"]);
    expect(variables.at(-1)).toEqual({ query: "customer_id:6002", first: MAX_ORDERS_PER_CUSTOMER_PAGE });
    const before = variables.length;
    expect(await orders.byCustomer("6002")).toEqual([]);
    expect(await orders.byCustomer(EMMA, 0)).toEqual([]);
    expect(variables.length).toBe(before);
  });

  it("keeps only the exact name among what Shopify's name search returns", async () => {
    // Shopify's search may return near matches first; this client answers like that.
    const inner = shop.adminClient();
    const admin: AdminClient = {
      shopDomain: inner.shopDomain,
      async request<T>(document: string, vars?: Record<string, unknown>): Promise<T> {
        const data = await inner.request<OrdersQueryData>(document, vars);
        const near = data.orders.nodes.map((o) => ({ ...o, id: `${o.id}0`, name: `${o.name}0` }));
        return { orders: { nodes: [...near, ...data.orders.nodes] } } as T;
      },
    };
    const orders = createShopifyOrders({ admin });
    expect((await orders.byName("#2847"))?.id).toBe("gid://shopify/Order/7001");
    shop.store.orders = shop.store.orders.filter((o) => o.name !== "#2847");
    expect(await orders.byName("#2847")).toBeNull();
  });
});
