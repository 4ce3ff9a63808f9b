/**
 * On an order page the block needs the order's customer: the extension asks Shopify itself with
 * Direct API access (the admin authenticates these calls), and the app's route takes a customer id
 * only. The document is validated against the Admin schema 2026-04 in
 * tests/extension-documents.test.ts, and sent as 2026-04.
 * https://shopify.dev/docs/api/admin-extensions/latest/network-features#direct-api-access
 */

export const ORDER_CUSTOMER_API_VERSION = "2026-04";

export const ORDER_CUSTOMER_QUERY = `#graphql
  query CoccinelleOrderCustomer($id: ID!) {
    order(id: $id) {
      customer {
        id
      }
    }
  }
`;

export interface OrderCustomerData {
  order: { customer: { id: string } | null } | null;
}

/** What `shopify.query` offers (the admin block's Direct API access). */
export type AdminQuery = <Data>(
  query: string,
  options: { variables: { id: string }; version: typeof ORDER_CUSTOMER_API_VERSION },
) => Promise<{ data?: Data; errors?: Array<{ message: string }> }>;

/** The order's customer gid; null for a guest order. Throws when Shopify answers with errors. */
export async function orderCustomerId(query: AdminQuery, orderId: string): Promise<string | null> {
  const result = await query<OrderCustomerData>(ORDER_CUSTOMER_QUERY, { variables: { id: orderId }, version: ORDER_CUSTOMER_API_VERSION });
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
  return result.data?.order?.customer?.id ?? null;
}
