/** The Shopify plugin's Inventory and Customers on two sandbox shops (the demo boutique and a copy). */
import { createManualClock } from "~/lib/clock";
import { createShopifyCapabilities } from "~/plugins/integrations/shopify";
import { createSandboxShop } from "~/sandbox/sandbox-shop.server";
import { runInventoryContract } from "./inventory.contract";

runInventoryContract("shopify (sandbox shop)", async () => {
  const clock = createManualClock(new Date("2026-01-12T10:00:00+01:00"));
  const shop = createSandboxShop({ clock });
  const other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
  const caps = createShopifyCapabilities({ admin: shop.adminClient() });
  const otherCaps = createShopifyCapabilities({ admin: other.adminClient() });
  return {
    inventory: caps.inventory,
    customers: caps.customers,
    other: {
      inventory: otherCaps.inventory,
      // Stock moves in the other shop (a sale on its till): its store's on-hand quantity changes.
      mutate: async (variantId, available) => {
        const variant = other.store.variants.find((v) => v.id === variantId);
        const level = other.store.inventoryLevels.find((l) => l.inventoryItemId === variant?.inventoryItemId);
        if (!level) throw new Error("no level");
        level.onHand = available + level.reserved + level.committed;
      },
    },
    expected: {
      product: { title: "Robe Fleurie Bleue", ref: "RF-2847", sizes: ["36", "38", "40"] },
      variant: { size: "38", available: 2, locationName: "Boutique Rivoli" },
      customer: { phone: "+33645789012", email: "julie.mercier@gmail.com", firstName: "Julie" },
      unknownVariantId: "gid://shopify/ProductVariant/99999",
    },
  };
});
