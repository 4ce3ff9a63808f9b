/**
 * Orders capability on Shopify's Admin GraphQL API: an order by its name ("#2847" or "2847"), a
 * customer's latest orders, with lines, payment and fulfilment status, and tracking.
 *
 * Tracking comes from `Fulfillment.trackingInfo` (company, number, url: the first one when a
 * fulfilment has several) and Shopify's own `estimatedDeliveryAt` / `deliveredAt`, which Shopify
 * fills from carrier events when it knows them (https://shopify.dev/docs/api/admin-graphql/2026-04/objects/Fulfillment).
 */
import type { AdminClient } from "./admin-client";
import {
  MAX_ORDERS_PER_CUSTOMER_PAGE,
  ORDERS_BY_CUSTOMER_QUERY,
  ORDERS_BY_NAME_QUERY,
  type OrderLineNode,
  type OrderNode,
  type OrdersByCustomerQueryVariables,
  type OrdersByNameQueryVariables,
  type OrdersQueryData,
} from "./documents-orders";
import type { OrderFulfillment, OrderLine, Orders, ShopOrder } from "~/plugins/types";

const SIZE_OPTION = /^(taille|size|pointure|talla|gr(ö|oe)sse)$/i;
/** What a size looks like in a variant title when the variant itself is gone ("38", "M", "XXL", "Taille unique"). */
const SIZE_VALUE = /^(\d{2,3}([.,]5)?|x{0,3}s|m|x{0,4}l|\d?xl|taille unique|tu|one size)$/i;
/** Shopify's title for the variant of a product without options. */
const DEFAULT_VARIANT_TITLE = "Default Title";
const DEFAULT_CUSTOMER_ORDERS = 5;

/**
 * The size of an order line: the variant's size option, or — when the variant was deleted since —
 * the part of the title kept on the line that looks like a size ("38 / Bleu" → "38").
 */
export function lineSize(line: Pick<OrderLineNode, "variant" | "variantTitle">): string | null {
  if (line.variant) return line.variant.selectedOptions.find((o) => SIZE_OPTION.test(o.name))?.value ?? null;
  if (!line.variantTitle || line.variantTitle === DEFAULT_VARIANT_TITLE) return null;
  return line.variantTitle.split(" / ").map((part) => part.trim()).find((part) => SIZE_VALUE.test(part)) ?? null;
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

export function toShopOrder(node: OrderNode): ShopOrder {
  const lines: OrderLine[] = node.lineItems.nodes.map((line) => ({
    id: line.id,
    title: line.title,
    sku: line.sku || null,
    variantId: line.variant?.id ?? null,
    size: lineSize(line),
    quantity: line.quantity,
    unitPrice: line.originalUnitPriceSet.shopMoney.amount,
  }));
  const fulfillments: OrderFulfillment[] = node.fulfillments.map((f) => {
    const tracking = f.trackingInfo[0];
    return {
      id: f.id,
      status: f.displayStatus ?? f.status,
      trackingCompany: tracking?.company ?? null,
      trackingNumber: tracking?.number ?? null,
      trackingUrl: tracking?.url ?? null,
      estimatedDeliveryAt: toDate(f.estimatedDeliveryAt),
      deliveredAt: toDate(f.deliveredAt),
    };
  });
  return {
    id: node.id,
    name: node.name,
    createdAt: new Date(node.createdAt),
    customerId: node.customer?.id ?? null,
    email: node.email,
    phone: node.phone,
    financialStatus: node.displayFinancialStatus,
    fulfillmentStatus: node.displayFulfillmentStatus,
    total: { amount: node.totalPriceSet.shopMoney.amount, currency: node.totalPriceSet.shopMoney.currencyCode },
    lines,
    fulfillments,
  };
}

/** "#2847", "2847", " n°2847 " → "2847"; null when nothing usable is left. */
export function orderNumberOf(name: string): string | null {
  const cleaned = name.trim().replace(/^(n°|no\.?|#)\s*/i, "").replace(/^#/, "").trim();
  return /^[A-Za-z0-9-]{1,32}$/.test(cleaned) ? cleaned : null;
}

/** The numeric part of a Shopify gid (`gid://shopify/Customer/6002` → "6002"), or null. */
function legacyIdOf(gid: string): string | null {
  return /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(gid)?.[1] ?? null;
}

export function createShopifyOrders(deps: { admin: AdminClient }): Orders {
  const { admin } = deps;
  return {
    async byName(name) {
      const number = orderNumberOf(name);
      if (number === null) return null;
      const variables: OrdersByNameQueryVariables = { query: `name:${number}` };
      const data = await admin.request<OrdersQueryData>(ORDERS_BY_NAME_QUERY, { ...variables });
      // Shopify's search may match more than the exact name; only the exact name counts.
      const wanted = number.toLowerCase();
      const node = data.orders.nodes.find((o) => o.name.replace(/^#/, "").toLowerCase() === wanted);
      return node ? toShopOrder(node) : null;
    },

    async byCustomer(customerId, limit = DEFAULT_CUSTOMER_ORDERS) {
      const legacyId = legacyIdOf(customerId);
      if (legacyId === null || limit < 1) return [];
      const variables: OrdersByCustomerQueryVariables = {
        query: `customer_id:${legacyId}`,
        first: Math.min(Math.floor(limit), MAX_ORDERS_PER_CUSTOMER_PAGE),
      };
      const data = await admin.request<OrdersQueryData>(ORDERS_BY_CUSTOMER_QUERY, { ...variables });
      return data.orders.nodes.map(toShopOrder);
    },
  };
}
