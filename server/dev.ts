/**
 * `shopify app dev` runs this (shopify.web.toml): the app against a real development store, with
 * Vite compiling on demand. The CLI sets SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL,
 * SCOPES and PORT; Redis and the database come from REDIS_URL / DATABASE_URL as usual.
 */
import { loadEnv } from "../app/env.server";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "./http";
import { stopOnSignal } from "./lifecycle";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { process: "dev" } });
const services = await createServices({ env, logger });
const workers = await startWorkers(services);
const server = await startHttpServer({ services, port: env.PORT, host: "0.0.0.0", mode: "vite" });
logger.info("dev server listening", { url: server.url, publicUrl: services.publicUrl });

stopOnSignal({ server, workers, services });
