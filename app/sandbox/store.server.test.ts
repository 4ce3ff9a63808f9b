import { describe, expect, it } from "vitest";
import {
  availableQuantity,
  createSandboxStore,
  demoShopSeedSchema,
  loadDemoShopSeed,
  parseGid,
  skuFor,
  slugify,
  toGid,
  type DemoShopSeed,
} from "./store.server";

const seed = loadDemoShopSeed();

describe("seed", () => {
  it("reads the demo boutique", () => {
    expect(seed.shop.domain).toBe("elegance-paris.myshopify.com");
    expect(seed.products).toHaveLength(12);
    expect(seed.customers).toHaveLength(5);
  });

  it("rejects a seed with a phone number not in E.164", () => {
    const raw = JSON.parse(JSON.stringify(seed)) as { customers: Array<{ phone: string }> };
    const first = raw.customers[0];
    if (!first) throw new Error("seed has no customer");
    first.phone = "06 45 78 90 12";
    expect(demoShopSeedSchema.safeParse(raw).success).toBe(false);
  });

  it("refuses an order line that names no variant", () => {
    const broken: DemoShopSeed = {
      ...seed,
      orders: seed.orders.map((order, i) => (i === 0 ? { ...order, lines: [{ ref: "XX-000", size: "38", quantity: 1, price: 1 }] } : order)),
    };
    expect(() => createSandboxStore(broken)).toThrow(/no variant XX-000 size 38/);
  });
});

describe("createSandboxStore", () => {
  const store = createSandboxStore(seed);

  it("gives deterministic typed ids", () => {
    expect(store.products[0]?.id).toBe("gid://shopify/Product/1001");
    expect(store.variants.find((v) => v.sku === "RF-2847-38")?.id).toBe("gid://shopify/ProductVariant/2002");
    expect(store.locations.map((l) => l.id)).toEqual(["gid://shopify/Location/5001"]);
    expect(store.customers[0]).toMatchObject({ id: "gid://shopify/Customer/6001", firstName: "Julie" });
    expect(store.orders.map((o) => o.id)).toEqual([7001, 7002, 7003, 7004].map((n) => toGid("Order", n)));
    expect(parseGid("gid://shopify/InventoryLevel/4001?inventory_item_id=3001")).toEqual({ type: "InventoryLevel", legacyId: 4001 });
    expect(parseGid("1001")).toBeNull();
    // Rebuilding gives the same ids: tests and the demo can name records by id.
    expect(createSandboxStore(seed).variants.map((v) => v.id)).toEqual(store.variants.map((v) => v.id));
  });

  it("builds products with size variants, SKUs, colour tag and handle", () => {
    const earrings = store.products.find((p) => p.ref === "BO-112");
    expect(earrings).toMatchObject({
      title: "Boucles d'oreilles dorées",
      handle: "boucles-doreilles-dorees",
      productType: "Accessoires",
      tags: ["bijoux", "couleur:doré"],
      status: "ACTIVE",
      option: { name: "Taille" },
    });
    expect(store.variants.filter((v) => v.productId === earrings?.id).map((v) => [v.title, v.sku, v.price])).toEqual([
      ["Taille unique", "BO-112-TU", "19.00"],
    ]);
    expect(skuFor("RF-2847", "38")).toBe("RF-2847-38");
    expect(slugify("Sac à main Beige")).toBe("sac-a-main-beige");
  });

  it("keeps on hand, reserved and committed apart, available being derived", () => {
    const variant = store.variants.find((v) => v.sku === "RF-2847-38");
    const level = store.inventoryLevels.find((l) => l.inventoryItemId === variant?.inventoryItemId);
    expect(level).toMatchObject({ onHand: 2, reserved: 0, committed: 0, incoming: 0, locationId: "gid://shopify/Location/5001" });
    if (!level) throw new Error("no level");
    expect(availableQuantity(level)).toBe(2);
    expect(availableQuantity({ ...level, reserved: 1, committed: 1, incoming: 5 })).toBe(0);
  });

  it("models the shop, customers and orders of the seed", () => {
    expect(store.shop).toMatchObject({
      name: "Élégance Paris",
      myshopifyDomain: "elegance-paris.myshopify.com",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      address: { address1: "24 Rue de Rivoli", zip: "75004", city: "Paris", countryCode: "FR", phone: "+33939035761" },
    });
    expect(store.customers.find((c) => c.lastName === "Rousseau")).toMatchObject({
      phone: "+33611223344",
      numberOfOrders: 3,
      amountSpent: "245.00",
      smsMarketingState: "NOT_SUBSCRIBED",
      emailMarketingState: "SUBSCRIBED",
    });
    const delivered = store.orders.find((o) => o.name === "#2847");
    expect(delivered).toMatchObject({ customerId: store.customers[1]?.id, totalPrice: "84.90", shippingPrice: "5.90" });
    expect(delivered?.fulfillments[0]).toMatchObject({
      displayStatus: "DELIVERED",
      trackingCompany: "Colissimo",
      trackingNumber: "FR123456789",
      deliveredAt: new Date("2026-01-09T11:05:00+01:00"),
    });
    const pickedUp = store.orders.find((o) => o.name === "#2950");
    expect(pickedUp?.fulfillments.map((f) => [f.displayStatus, f.trackingNumber])).toEqual([["PICKED_UP", null]]);
    const unfulfilled = store.orders.find((o) => o.name === "#2988");
    expect(unfulfilled).toMatchObject({ displayFulfillmentStatus: "UNFULFILLED", fulfillments: [] });
  });

  it("can take another domain", () => {
    expect(createSandboxStore(seed, { domain: "Autre-Boutique.myshopify.com" }).shop.myshopifyDomain).toBe("autre-boutique.myshopify.com");
  });
});
