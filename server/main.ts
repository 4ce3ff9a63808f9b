/**
 * `npm start`: the production process (web, and the worker unless RUN_WORKER=0), serving ./build.
 * Configuration comes from the environment (README: Configuration).
 */
import { loadEnv } from "../app/env.server";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "./http";
import { stopOnSignal } from "./lifecycle";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { process: "web" } });
const services = await createServices({ env, logger });
const workers = env.RUN_WORKER ? await startWorkers(services) : null;
const server = await startHttpServer({ services, port: env.PORT, host: "0.0.0.0", mode: "build" });
logger.info("listening", { url: server.url, publicUrl: services.publicUrl, queue: services.queue.mode, database: services.database.kind });

stopOnSignal({ server, workers, services });
