/**
 * The `AdminClient` port: how the app reaches Shopify's Admin GraphQL API for one shop.
 *
 * Production wraps `@shopify/shopify-app-remix`'s admin client (see `admin-client.server.ts`);
 * the demo and the tests use the sandbox shop (`app/sandbox/`), which executes the very same
 * documents against Shopify's published 2026-04 schema. Every document the app sends is written
 * as a template literal starting with `#graphql`, so that `tests/graphql-documents.test.ts` can
 * find each one and validate it against the schema.
 */
export interface GraphqlErrorShape {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/**
 * Shopify's calculated query cost, sent in every response's `extensions.cost`
 * (https://shopify.dev/docs/api/usage/limits#rate-limits). `actualQueryCost` is null when the
 * request was not run (THROTTLED).
 */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface ResponseExtensions {
  cost?: QueryCost;
}

export interface AdminClient {
  readonly shopDomain: string;
  /**
   * Run one query or mutation. Resolves with `data` when the response has no errors; rejects with
   * `AdminGraphqlError` otherwise (validation errors, THROTTLED, access denied, …).
   */
  request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData>;
  /**
   * Optional: the same request, also giving the response's `extensions` (the query cost), which
   * `withThrottling` (throttle.server.ts) uses to pace requests. Rejects like `request`, with the
   * response's extensions on the `AdminGraphqlError`.
   */
  requestWithExtensions?<TData>(
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: TData; extensions: ResponseExtensions }>;
}

export class AdminGraphqlError extends Error {
  override name = "AdminGraphqlError";
  constructor(
    readonly errors: GraphqlErrorShape[],
    readonly shopDomain: string,
    /** The response's `extensions`, when the client saw them (THROTTLED carries the bucket's state). */
    readonly extensions?: ResponseExtensions,
  ) {
    super(`Shopify Admin API error for ${shopDomain}: ${errors.map((e) => e.message).join("; ")}`);
  }
}

/** Gives the admin client of an installed shop, for work that runs outside a merchant request. */
export type AdminClientFactory = (shopDomain: string) => Promise<AdminClient>;
