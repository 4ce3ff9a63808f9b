/**
 * The only module that reads `process.env`. Everything else receives a typed `Env`.
 * Defaults are the embedded ones (DESIGN §7): PGlite in ./data, Redis on localhost, replies to the
 * outbox when no Twilio credentials are set.
 */
import { z } from "zod";
import { secretsKeyProblem } from "./lib/secrets.server";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SHOPIFY_APP_URL: optionalString.pipe(z.string().url("SHOPIFY_APP_URL must be an absolute URL").optional()),
    SHOPIFY_API_KEY: optionalString,
    SHOPIFY_API_SECRET: optionalString,
    SCOPES: optionalString,
    SHOP_CUSTOM_DOMAIN: optionalString,
    /** "1": Shopify calls go to the sandbox shop (demo, tests, local evaluation). */
    SHOPIFY_SANDBOX: optionalString.pipe(z.enum(["0", "1"]).optional()).transform((v) => v === "1"),
    /** Start of the sandbox clock (ISO 8601); defaults to the demo shop's Monday morning. */
    /** Start of the sandbox clock (ISO 8601), or `now` for the machine's own clock (benchmarks across processes). */
    SANDBOX_NOW: optionalString.pipe(z.union([z.literal("now"), z.string().datetime({ offset: true, message: "SANDBOX_NOW must be ISO 8601 with an offset, or now" })]).optional()),
    DATABASE_URL: optionalString,
    DATA_DIR: z.string().default("./data"),
    REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
    QUEUE: z.enum(["redis", "inline"]).default("redis"),
    /** Redis key prefix of the queues: processes that share a prefix share jobs. */
    QUEUE_PREFIX: z.string().regex(/^[\w.-]+$/, "QUEUE_PREFIX may hold letters, digits, '.', '_' and '-'").default("coccinelle"),
    /** "0" keeps the worker out of the web process (`npm run worker` then runs it). */
    RUN_WORKER: z.enum(["0", "1"]).default("1").transform((v) => v === "1"),
    /** Jobs one worker runs at once per queue (they mostly wait on the database and providers). */
    WORKER_CONCURRENCY: z.coerce.number().int("WORKER_CONCURRENCY must be a whole number").min(1).max(256).default(8),
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_API_BASE_URL: z.string().url("TWILIO_API_BASE_URL must be an absolute URL").default("https://api.twilio.com"),
    /** Resend (email): API key to fetch received emails and send; webhook signing secret (`whsec_…`). */
    RESEND_API_KEY: optionalString,
    RESEND_WEBHOOK_SECRET: optionalString,
    RESEND_API_BASE_URL: z.string().url("RESEND_API_BASE_URL must be an absolute URL").default("https://api.resend.com"),
    /** The sender of emails that name none, on a domain verified in Resend. */
    RESEND_FROM_ADDRESS: optionalString,
    /**
     * WhatsApp Cloud API (Meta): system user token (send), app secret (webhook signatures), the
     * verify token we chose for the GET handshake, the sender's phone number id, Graph's origin.
     */
    META_ACCESS_TOKEN: optionalString,
    META_APP_SECRET: optionalString,
    META_VERIFY_TOKEN: optionalString,
    META_PHONE_NUMBER_ID: optionalString,
    META_GRAPH_BASE_URL: z.string().url("META_GRAPH_BASE_URL must be an absolute URL").default("https://graph.facebook.com"),
    /**
     * Base64 of 32 random bytes (`openssl rand -base64 32`): the AES-256-GCM key of the plugin
     * secrets stored in the database. Unset: plugins with secrets (HubSpot, Salesforce …) cannot be saved.
     */
    SECRETS_KEY: optionalString.superRefine((value, ctx) => {
      const problem = value === undefined ? null : secretsKeyProblem(value);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.SHOPIFY_SANDBOX) return;
    for (const key of ["SHOPIFY_APP_URL", "SHOPIFY_API_KEY", "SHOPIFY_API_SECRET"] as const) {
      if (!env[key]) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `${key} is required to talk to Shopify (or set SHOPIFY_SANDBOX=1 to use the sandbox shop)`,
        });
      }
    }
  });

export type Env = z.output<typeof envSchema>;

/** Scopes the app asks for; `shopify.app.toml` declares the same list. */
export const DEFAULT_SCOPES = [
  "read_products",
  "read_inventory",
  "read_locations",
  "read_customers",
  "write_customers",
  "read_orders",
  "write_draft_orders",
  "read_fulfillments",
  "read_returns",
  "write_returns",
] as const;

export class EnvError extends Error {
  override name = "EnvError";
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The URL the world uses to reach this app (Shopify, providers' webhooks). */
export function publicAppUrl(env: Env): string {
  return (env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
