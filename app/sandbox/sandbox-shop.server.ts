/**
 * The sandbox shop: a Shopify shop that lives in memory. The app's Admin GraphQL documents run on
 * Shopify's real published schema (graphql-js) with the resolvers of `resolvers.server.ts` over a
 * store seeded from the demo boutique, so the demo and the tests never reach Shopify and still
 * send exactly what production sends.
 */
import { execute as executeGraphql, getOperationAST, type ExecutionResult, type GraphQLError, type GraphQLSchema } from "graphql";
import type { Clock } from "~/lib/clock";
import {
  AdminGraphqlError,
  type AdminClient,
  type AdminClientFactory,
  type GraphqlErrorShape,
  type ResponseExtensions,
} from "~/plugins/integrations/shopify/admin-client";
import { createCustomerMutationRoot } from "./customer-mutations.server";
import { createDraftOrderMutationRoot, createDraftOrderQueryRoot, releaseExpiredReservations } from "./draft-orders.server";
import { createReturnMutationRoot, createReturnQueryRoot } from "./orders-returns.server";
import {
  DEFAULT_SANDBOX_THROTTLING,
  actualQueryCost,
  createCostBucket,
  maxCostExceededError,
  requestedQueryCost,
  throttledError,
  type SandboxThrottling,
} from "./query-cost.server";
import { createQueryRoot, createViews, sandboxFieldResolver, type SandboxContext } from "./resolvers.server";
import { loadAdminSchema, parseAdminDocument } from "./schema.server";
import { createSandboxStore, loadDemoShopSeed, type DemoShopSeed, type SandboxStore } from "./store.server";

export interface SandboxShop {
  readonly domain: string;
  readonly clock: Clock;
  /** The shop's records. Tests and later sandbox features may change them; queries see the change. */
  readonly store: SandboxStore;
  /**
   * Run one document as a graphql-js server built from the Admin schema would: a document that does
   * not parse or validate gives `{ errors }` and no `data`.
   */
  execute(document: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  /** An `AdminClient` for this shop, as production code receives one. */
  adminClient(): AdminClient;
}

export interface CreateSandboxShopOptions {
  /** The boutique to seed from; defaults to `data/demo-shop.json`. */
  seed?: DemoShopSeed;
  /** The shop's myshopify domain; defaults to the seed's. */
  domain?: string;
  /** The shop's own time: nothing in the sandbox reads the system clock. */
  clock: Clock;
  /**
   * Shopify's cost-based rate limit (`query-cost.server.ts`): with it, a document whose requested
   * cost is not in the bucket is answered THROTTLED, and one above the single-query limit
   * MAX_COST_EXCEEDED. Off by default: the bucket refills on the shop's clock, which tests and the
   * evaluation hold still. Every answer reports `extensions.cost` either way (without the limit,
   * the bucket always shows full).
   */
  throttling?: boolean | Partial<SandboxThrottling>;
  /** Shopify's Admin schema, asked for at the first document; defaults to the published one (`loadAdminSchema`). */
  schema?: () => GraphQLSchema;
}

export function createSandboxShop(options: CreateSandboxShopOptions): SandboxShop {
  const seed = options.seed ?? loadDemoShopSeed();
  const store = createSandboxStore(seed, { domain: options.domain });
  const domain = store.shop.myshopifyDomain;
  const { clock } = options;
  const limits = { ...DEFAULT_SANDBOX_THROTTLING, ...(typeof options.throttling === "object" ? options.throttling : {}) };
  const bucket = options.throttling ? createCostBucket(clock, limits) : null;
  const throttleStatus = () =>
    bucket?.status() ?? { maximumAvailable: limits.maximumAvailable, currentlyAvailable: limits.maximumAvailable, restoreRate: limits.restoreRate };

  const execute = async (document: string, variables?: Record<string, unknown>): Promise<ExecutionResult> => {
    // Built at the first document, not with the shop: a process that never asks Shopify anything
    // (the web process answering customer webhooks) does not hold the schema, about 60 MB of heap
    // (measured) that every full garbage collection of that process would have to mark (npm run bench).
    const schema = (options.schema ?? loadAdminSchema)();
    const parsed = parseAdminDocument(document, schema);
    if (!parsed.ok) return { errors: parsed.errors };
    const operation = getOperationAST(parsed.document);
    const requested = requestedQueryCost(schema, parsed.document, variables);
    const refused = (error: GraphQLError): ExecutionResult => ({
      errors: [error],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
    });
    if (bucket && requested > limits.maxQueryCost) return refused(maxCostExceededError(requested, limits.maxQueryCost));
    if (bucket && !bucket.take(requested)) return refused(throttledError());
    const contextValue: SandboxContext = { store, clock };
    const views = createViews(store);
    // Reservations end when the shop's clock passes their deadline: checked here, before anything
    // is read, rather than with timers.
    releaseExpiredReservations(store, clock.now());
    // Mutation fields the sandbox does not model raise the named "not implemented" error rather
    // than running a query resolver of the same name.
    const rootValue =
      operation?.operation === "query"
        ? { ...createQueryRoot(store), ...createDraftOrderQueryRoot(store), ...createReturnQueryRoot(store, views) }
        : { ...createDraftOrderMutationRoot(store), ...createReturnMutationRoot(store, views), ...createCustomerMutationRoot(store, views) };
    const result = await executeGraphql({
      schema,
      document: parsed.document,
      rootValue,
      contextValue,
      variableValues: variables,
      fieldResolver: sandboxFieldResolver,
    });
    const actual = actualQueryCost(schema, parsed.document, variables ?? {}, result.data);
    bucket?.refund(requested - actual);
    return { ...result, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() } } };
  };

  const requestWithExtensions = async <TData>(document: string, variables?: Record<string, unknown>) => {
    const result = await execute(document, variables);
    const extensions = JSON.parse(JSON.stringify(result.extensions ?? {})) as ResponseExtensions;
    if (result.errors && result.errors.length > 0) {
      throw new AdminGraphqlError(result.errors.map(toErrorShape), domain, extensions);
    }
    // A JSON round trip gives callers what the network would: plain objects (graphql-js builds
    // null-prototype ones) and nothing that is not JSON. The document's shape is the caller's
    // type, exactly as with Shopify's own client.
    return { data: JSON.parse(JSON.stringify(result.data ?? null)) as TData, extensions };
  };

  const adminClient = (): AdminClient => ({
    shopDomain: domain,
    async request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData> {
      return (await requestWithExtensions<TData>(document, variables)).data;
    },
    requestWithExtensions,
  });

  return { domain, clock, store, execute, adminClient };
}

function toErrorShape(error: { message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }): GraphqlErrorShape {
  const shape: GraphqlErrorShape = { message: error.message };
  if (error.path) shape.path = [...error.path];
  if (error.extensions && Object.keys(error.extensions).length > 0) shape.extensions = { ...error.extensions };
  return shape;
}

/** Admin clients for a fixed set of sandbox shops, looked up by myshopify domain. */
export function createSandboxAdminClientFactory(shops: Iterable<SandboxShop>): AdminClientFactory {
  const byDomain = new Map<string, SandboxShop>();
  for (const shop of shops) {
    const key = shop.domain.toLowerCase();
    if (byDomain.has(key)) throw new Error(`Two sandbox shops share the domain ${shop.domain}`);
    byDomain.set(key, shop);
  }
  return async (shopDomain) => {
    const shop = byDomain.get(shopDomain.toLowerCase());
    if (!shop) {
      throw new Error(
        `No sandbox shop for domain "${shopDomain}" (sandbox shops: ${[...byDomain.keys()].join(", ") || "none"})`,
      );
    }
    return shop.adminClient();
  };
}
