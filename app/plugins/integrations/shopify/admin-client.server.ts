/**
 * Production `AdminClient`: Shopify's Admin GraphQL API through `@shopify/shopify-app-remix`,
 * with the shop's offline session from our session storage.
 */
import { GraphqlQueryError } from "@shopify/shopify-api";
import type { ShopifyApp } from "~/shopify.server";
import { AdminGraphqlError, type AdminClient, type AdminClientFactory, type GraphqlErrorShape } from "./admin-client";

type RemixAdmin = Awaited<ReturnType<ShopifyApp["unauthenticated"]["admin"]>>["admin"];

export function adminClientFromRemix(shopDomain: string, admin: RemixAdmin): AdminClient {
  return {
    shopDomain,
    async request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData> {
      let body: { data?: TData; errors?: GraphqlErrorShape[] };
      try {
        const response = await admin.graphql(document, { variables });
        body = (await response.json()) as typeof body;
      } catch (error) {
        if (error instanceof GraphqlQueryError) {
          const errors = (error.body?.errors as GraphqlErrorShape[] | undefined) ?? [{ message: error.message }];
          throw new AdminGraphqlError(Array.isArray(errors) ? errors : [{ message: String(errors) }], shopDomain);
        }
        throw error;
      }
      if (body.errors?.length) throw new AdminGraphqlError(body.errors, shopDomain);
      if (body.data === undefined) throw new AdminGraphqlError([{ message: "response without data" }], shopDomain);
      return body.data;
    },
  };
}

export function createShopifyAdminClientFactory(shopify: ShopifyApp): AdminClientFactory {
  return async (shopDomain) => {
    const { admin } = await shopify.unauthenticated.admin(shopDomain);
    return adminClientFromRemix(shopDomain, admin);
  };
}
