/**
 * Every provider of holds passes the same `Holds` contract. The Shopify plugin runs it on two
 * sandbox shops (the demo boutique and a copy under another domain) sharing one manual clock, so
 * the draft orders' `reserveInventoryUntil` deadlines pass when the suite says so.
 */
import { createManualClock } from "~/lib/clock";
import { createShopifyInventory } from "~/plugins/integrations/shopify/inventory.server";
import { createShopifyHolds } from "~/plugins/integrations/shopify/holds.server";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import { runHoldsContract, type HoldsContractShop, type HoldsContractSubject } from "./holds.contract";

runHoldsContract("shopify (sandbox shop)", shopifySandboxSubject);

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");

function contractShop(shop: SandboxShop): HoldsContractShop {
  const admin = shop.adminClient();
  const inventory = createShopifyInventory({ admin });
  return {
    holds: createShopifyHolds({ admin }),
    available: async (variantId) => (await inventory.availability(variantId)).available,
  };
}

async function shopifySandboxSubject(): Promise<HoldsContractSubject> {
  const clock = createManualClock(DEMO_NOW);
  const shop = createSandboxShop({ clock });
  const other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
  // Robe Fleurie Bleue, size 38: two units in the demo boutique.
  const variant = shop.store.variants.find((v) => v.sku === "RF-2847-38");
  const [julie, emma] = shop.store.customers;
  if (!variant || !julie || !emma) throw new Error("the demo boutique lost RF-2847-38 or its customers");
  return {
    ...contractShop(shop),
    customerId: julie.id,
    otherCustomerId: emma.id,
    variant: { id: variant.id, units: 2 },
    unknownHoldId: "gid://shopify/DraftOrder/99999",
    otherShop: contractShop(other),
    now: () => clock.now(),
    advance: (ms) => clock.advance(ms),
    close: async () => {},
  };
}
