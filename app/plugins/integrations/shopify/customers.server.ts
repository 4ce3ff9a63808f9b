/** Customers capability on Shopify: find the shop's customer behind a phone number or email. */
import type { AdminClient } from "./admin-client";
import { CUSTOMER_BY_QUERY, type CustomerByQueryData, type CustomerNode } from "./documents";
import type { Customers, ShopCustomer } from "~/plugins/types";

function toShopCustomer(node: CustomerNode): ShopCustomer {
  return {
    id: node.id,
    firstName: node.firstName,
    lastName: node.lastName,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    phone: node.defaultPhoneNumber?.phoneNumber ?? null,
    tags: node.tags,
    locale: node.locale,
    numberOfOrders: Number(node.numberOfOrders),
  };
}

/** Quote a value for Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax). */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function createShopifyCustomers(deps: { admin: AdminClient }): Customers {
  const find = async (query: string) => {
    const data = await deps.admin.request<CustomerByQueryData>(CUSTOMER_BY_QUERY, { query });
    const node = data.customers.nodes[0];
    return node ? toShopCustomer(node) : null;
  };
  return {
    findByPhone: (phone) => find(`phone:${quoted(phone)}`),
    findByEmail: (email) => find(`email:${quoted(email)}`),
  };
}
