/**
 * The single place the Shopify app is configured (Shopify's Remix template convention), as a
 * factory: the composition root (app/services.server.ts) creates it once per process with its
 * dependencies, and routes reach it through the Remix load context.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp, type Session } from "@shopify/shopify-app-remix/server";
import { DrizzleSessionStoragePostgres } from "@shopify/shopify-app-session-storage-drizzle";
import { sessionTable } from "../db/schema";
import type { Database } from "./db.server";
import { DEFAULT_SCOPES, publicAppUrl, type Env } from "./env.server";

/** The one Admin API version of the whole app. `shopify.app.toml` declares the same. */
export const API_VERSION = ApiVersion.April26;

/** Placeholders used only with the sandbox shop, which never talks to Shopify. */
export const SANDBOX_API_KEY = "coccinelle-sandbox-api-key";
export const SANDBOX_API_SECRET = "coccinelle-sandbox-api-secret";

export function createShopifyApp(deps: {
  env: Env;
  db: Database;
  /** Called after Shopify installs or re-authorises the app for a shop (token exchange). */
  afterAuth: (session: Session) => Promise<void>;
}) {
  const { env } = deps;
  return shopifyApp({
    apiKey: env.SHOPIFY_API_KEY ?? SANDBOX_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET ?? SANDBOX_API_SECRET,
    apiVersion: API_VERSION,
    scopes: env.SCOPES?.split(",").map((s) => s.trim()) ?? [...DEFAULT_SCOPES],
    appUrl: publicAppUrl(env),
    authPathPrefix: "/auth",
    // The library's own logs go to the console; only problems are worth a line there.
    logger: { level: LogSeverity.Warning },
    sessionStorage: new DrizzleSessionStoragePostgres(deps.db, sessionTable),
    distribution: AppDistribution.AppStore,
    // Shopify-managed installation + token exchange: no OAuth redirects inside the admin.
    // https://shopify.dev/docs/api/shopify-app-remix#embedded-auth-strategy
    future: { unstable_newEmbeddedAuthStrategy: true },
    hooks: {
      afterAuth: async ({ session }) => deps.afterAuth(session),
    },
    ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
  });
}

export type ShopifyApp = ReturnType<typeof createShopifyApp>;
