/**
 * `npm run sandbox`: the whole app (web + worker in one process) on embedded defaults, with the
 * sandbox shop installed and the demo boutique's SMS number connected. Honours PORT, DATABASE_URL,
 * REDIS_URL, QUEUE, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL, SHOPIFY_APP_URL.
 */
import { loadEnv } from "../app/env.server";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { redisAnswers } from "../jobs/queues.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "../server/http";
import { stopOnSignal } from "../server/lifecycle";

/** Signs the sandbox's inbound webhooks when no real Twilio auth token is configured. */
export const SANDBOX_TWILIO_AUTH_TOKEN = "sandbox_twilio_auth_token";

const env = loadEnv({ TWILIO_AUTH_TOKEN: SANDBOX_TWILIO_AUTH_TOKEN, ...process.env, SHOPIFY_SANDBOX: "1" });
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { process: "sandbox" } });
if (env.QUEUE === "redis" && !(await redisAnswers(env.REDIS_URL))) {
  console.warn(
    `Redis does not answer at ${env.REDIS_URL}: webhooks will answer 503 until it does. Start Redis, or run with QUEUE=inline.`,
  );
}
const services = await createServices({ env, logger });
const workers = await startWorkers(services);
const server = await startHttpServer({ services, port: env.PORT, host: "0.0.0.0", mode: "build" });
const [sandbox] = services.sandboxShops.values();

console.log(`Coccinelle sandbox listening on ${server.url} (public URL ${services.publicUrl})
  shop:      ${sandbox?.domain ?? "?"} (sandbox: Shopify Admin GraphQL 2026-04 executed locally)
  database:  ${services.database.kind} ${services.database.location}
  queue:     ${services.queue.mode === "inline" ? "inline (QUEUE=inline: jobs run in this process)" : `redis ${env.REDIS_URL}`}
  SMS:       POST ${services.publicUrl}/webhooks/channels/twilio  (X-Twilio-Signature with TWILIO_AUTH_TOKEN${env.TWILIO_AUTH_TOKEN === SANDBOX_TWILIO_AUTH_TOKEN ? ` = ${SANDBOX_TWILIO_AUTH_TOKEN}` : ""})
  replies:   ${env.TWILIO_ACCOUNT_SID ? `sent through ${env.TWILIO_API_BASE_URL}` : "kept in the outbox (no TWILIO_ACCOUNT_SID)"}`);

stopOnSignal({ server, workers, services });
