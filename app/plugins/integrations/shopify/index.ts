/**
 * shopify: the shop's catalogue, stock, customers, holds (draft orders reserving stock), orders
 * (fulfilments, tracking) and returns/exchanges through the Admin GraphQL API (or the sandbox
 * shop, which runs the same documents). Capabilities are created per shop from that shop's
 * `AdminClient`.
 */
import type { AdminClient } from "./admin-client";
import { createShopifyCustomers } from "./customers.server";
import { createShopifyHolds } from "./holds.server";
import { createShopifyInventory, type CatalogueCache } from "./inventory.server";
import { createShopifyOrders } from "./orders.server";
import { createShopifyReturns } from "./returns.server";

export function createShopifyCapabilities(deps: { admin: AdminClient; catalogueCache?: CatalogueCache }) {
  return {
    inventory: createShopifyInventory({ admin: deps.admin, cache: deps.catalogueCache }),
    customers: createShopifyCustomers(deps),
    holds: createShopifyHolds(deps),
    orders: createShopifyOrders(deps),
    returns: createShopifyReturns(deps),
  };
}
