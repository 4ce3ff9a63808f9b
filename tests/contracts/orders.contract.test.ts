/**
 * Every provider of orders passes the same `Orders` contract. The Shopify plugin runs it on two
 * sandbox shops: the demo boutique, where Emma gets a second, newer order, and a copy under another
 * domain whose #2847 was renumbered #3001.
 */
import { createManualClock } from "~/lib/clock";
import { createShopifyOrders } from "~/plugins/integrations/shopify/orders.server";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import type { OrderRecord } from "~/sandbox/store.server";
import { runOrdersContract, type OrdersContractSubject } from "./orders.contract";

runOrdersContract("shopify (sandbox shop)", shopifySandboxSubject);

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");

function order(shop: SandboxShop, name: string): OrderRecord {
  const found = shop.store.orders.find((o) => o.name === name);
  if (!found) throw new Error(`the demo boutique lost order ${name}`);
  return found;
}

function variantId(shop: SandboxShop, sku: string): string {
  const variant = shop.store.variants.find((v) => v.sku === sku);
  if (!variant) throw new Error(`the demo boutique lost ${sku}`);
  return variant.id;
}

async function shopifySandboxSubject(): Promise<OrdersContractSubject> {
  const clock = createManualClock(DEMO_NOW);
  const shop = createSandboxShop({ clock });
  const other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });

  // Emma's second order, placed after #2847 and not shipped yet.
  const first = order(shop, "#2847");
  shop.store.orders.push({
    ...first,
    id: "gid://shopify/Order/7101",
    legacyId: 7101,
    name: "#3002",
    number: 3002,
    createdAt: new Date("2026-01-11T18:00:00+01:00"),
    updatedAt: new Date("2026-01-11T18:00:00+01:00"),
    displayFulfillmentStatus: "UNFULFILLED",
    lineItems: first.lineItems.map((line) => ({ ...line, id: "gid://shopify/LineItem/8101", legacyId: 8101 })),
    fulfillments: [],
  });
  const renumbered = order(other, "#2847");
  renumbered.name = "#3001";
  renumbered.number = 3001;

  const [julie, emma, lea] = shop.store.customers;
  if (!julie || !emma || !lea) throw new Error("the demo boutique lost its customers");
  return {
    orders: createShopifyOrders({ admin: shop.adminClient() }),
    delivered: {
      name: "#2847",
      customerId: emma.id,
      email: "emma.rousseau@example.com",
      financialStatus: "PAID",
      createdAt: new Date("2026-01-06T15:20:00+01:00"),
      total: { amount: "84.90", currency: "EUR" },
      lines: [{ title: "Pantalon Noir Taille Haute", sku: "PT-2847-40", variantId: variantId(shop, "PT-2847-40"), size: "40", quantity: 1, unitPrice: "79.00" }],
      tracking: { company: "Colissimo", number: "FR123456789", deliveredAt: new Date("2026-01-09T11:05:00+01:00") },
    },
    inTransit: {
      name: "#2901",
      customerId: lea.id,
      email: "lea.martin@example.com",
      financialStatus: "PAID",
      createdAt: new Date("2026-01-12T09:40:00+01:00"),
      total: { amount: "89.00", currency: "EUR" },
      lines: [{ title: "Robe Fleurie Bleue", sku: "RF-2847-40", variantId: variantId(shop, "RF-2847-40"), size: "40", quantity: 1, unitPrice: "89.00" }],
      tracking: { company: "Colissimo", number: "FR987654321", estimatedDeliveryAt: new Date("2026-01-16T12:00:00+01:00") },
    },
    unfulfilledName: "#2988",
    repeatCustomer: { customerId: emma.id, namesNewestFirst: ["#3002", "#2847"] },
    customerWithoutOrders: julie.id,
    otherShop: { orders: createShopifyOrders({ admin: other.adminClient() }), onlyHere: "#3001" },
    close: async () => {},
  };
}
