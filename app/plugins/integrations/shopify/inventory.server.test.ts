import { describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { createSandboxShop } from "~/sandbox/sandbox-shop.server";
import type { AdminClient } from "./admin-client";
import { CATALOGUE_QUERY } from "./documents";
import { createCatalogueCache, createShopifyInventory } from "./inventory.server";

const NOW = new Date("2026-01-12T10:00:00+01:00");

/** Each shop's sandbox admin client, counting the catalogue pages it is asked for. */
function countingShop(domain?: string) {
  const sandbox = createSandboxShop({ clock: createManualClock(NOW), domain });
  const inner = sandbox.adminClient();
  const counter = { cataloguePages: 0 };
  const admin: AdminClient = {
    shopDomain: inner.shopDomain,
    request: (document, variables) => {
      if (document === CATALOGUE_QUERY) counter.cataloguePages++;
      return inner.request(document, variables);
    },
  };
  return { admin, counter };
}

describe("the catalogue cache", () => {
  it("reads a shop's catalogue once for the replies asking for it together, again after ttlMs, and per shop", async () => {
    const clock = createManualClock(NOW);
    const cache = createCatalogueCache({ clock, ttlMs: 60_000 });
    const a = countingShop();
    const b = countingShop("autre-boutique.myshopify.com");
    const inventoryA = createShopifyInventory({ admin: a.admin, cache });
    const inventoryB = createShopifyInventory({ admin: b.admin, cache });

    const together = await Promise.all(Array.from({ length: 8 }, () => inventoryA.listCatalogue()));
    const pages = a.counter.cataloguePages;
    expect(pages).toBeGreaterThan(0);
    expect(together[0]?.some((p) => p.title === "Robe Fleurie Bleue")).toBe(true);
    expect(new Set(together).size).toBe(1);

    clock.advance(59_999);
    await inventoryA.listCatalogue();
    expect(a.counter.cataloguePages).toBe(pages);
    await inventoryB.listCatalogue();
    expect(b.counter.cataloguePages).toBe(pages);

    clock.advance(1);
    await inventoryA.listCatalogue();
    expect(a.counter.cataloguePages).toBe(2 * pages);
  });
});
