/** The Shopify plugin's Returns on the sandbox: Emma's delivered #2847, and a second shop. */
import { createManualClock } from "~/lib/clock";
import { createShopifyReturns } from "~/plugins/integrations/shopify/returns.server";
import { createSandboxShop } from "~/sandbox/sandbox-shop.server";
import { runReturnsContract } from "./returns.contract";

runReturnsContract("shopify (sandbox shop)", async () => {
  const clock = createManualClock(new Date("2026-01-12T10:00:00+01:00"));
  const shop = createSandboxShop({ clock });
  // The other shop's orders are renumbered so that no id of the first shop exists there.
  const other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
  const order = shop.store.orders.find((o) => o.name === "#2847");
  const line = order?.lineItems[0];
  const replacement = shop.store.variants.find((v) => v.sku === "PT-2847-38");
  if (!order || !line || !replacement) throw new Error("the demo boutique lost #2847 or PT-2847-38");
  other.store.orders.splice(0, other.store.orders.length);
  return {
    returns: createShopifyReturns({ admin: shop.adminClient() }),
    otherShopReturns: createShopifyReturns({ admin: other.adminClient() }),
    order: { id: order.id, lineItemId: line.id },
    replacementVariantId: replacement.id,
    unknownOrderId: "gid://shopify/Order/99999",
  };
});
