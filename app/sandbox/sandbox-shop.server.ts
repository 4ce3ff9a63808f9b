/**
 * The sandbox shop: a Shopify shop that lives in memory. The app's Admin GraphQL documents run on
 * Shopify's real published schema (graphql-js) with the resolvers of `resolvers.server.ts` over a
 * store seeded from the demo boutique, so the demo and the tests never reach Shopify and still
 * send exactly what production sends.
 */
import { execute as executeGraphql, getOperationAST, type ExecutionResult } from "graphql";
import type { Clock } from "~/lib/clock";
import {
  AdminGraphqlError,
  type AdminClient,
  type AdminClientFactory,
  type GraphqlErrorShape,
} from "~/plugins/integrations/shopify/admin-client";
import { createDraftOrderMutationRoot, createDraftOrderQueryRoot, releaseExpiredReservations } from "./draft-orders.server";
import { createQueryRoot, sandboxFieldResolver, type SandboxContext } from "./resolvers.server";
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
}

export function createSandboxShop(options: CreateSandboxShopOptions): SandboxShop {
  const seed = options.seed ?? loadDemoShopSeed();
  const store = createSandboxStore(seed, { domain: options.domain });
  const domain = store.shop.myshopifyDomain;
  const { clock } = options;
  const schema = loadAdminSchema();

  const execute = async (document: string, variables?: Record<string, unknown>): Promise<ExecutionResult> => {
    const parsed = parseAdminDocument(document, schema);
    if (!parsed.ok) return { errors: parsed.errors };
    const operation = getOperationAST(parsed.document);
    const contextValue: SandboxContext = { store, clock };
    // Reservations end when the shop's clock passes their deadline: checked here, before anything
    // is read, rather than with timers.
    releaseExpiredReservations(store, clock.now());
    // Mutation fields the sandbox does not model raise the named "not implemented" error rather
    // than running a query resolver of the same name.
    const rootValue =
      operation?.operation === "query"
        ? { ...createQueryRoot(store), ...createDraftOrderQueryRoot(store) }
        : { ...createDraftOrderMutationRoot(store) };
    return executeGraphql({
      schema,
      document: parsed.document,
      rootValue,
      contextValue,
      variableValues: variables,
      fieldResolver: sandboxFieldResolver,
    });
  };

  const adminClient = (): AdminClient => ({
    shopDomain: domain,
    async request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData> {
      const result = await execute(document, variables);
      if (result.errors && result.errors.length > 0) {
        throw new AdminGraphqlError(result.errors.map(toErrorShape), domain);
      }
      // A JSON round trip gives callers what the network would: plain objects (graphql-js builds
      // null-prototype ones) and nothing that is not JSON. The document's shape is the caller's
      // type, exactly as with Shopify's own client.
      return JSON.parse(JSON.stringify(result.data ?? null)) as TData;
    },
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
