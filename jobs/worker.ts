/**
 * `npm run worker`: a worker process (scale out by starting more, on any machine that reaches
 * the same Redis and database). The web process runs one too unless RUN_WORKER=0.
 */
import { loadEnv } from "../app/env.server";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { startWorkers } from "./worker-runtime.server";
import { stopOnSignal } from "../server/lifecycle";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, bindings: { process: "worker" } });
const services = await createServices({ env, logger });
const workers = await startWorkers(services);
logger.info("worker started", { queue: services.queue.mode, database: services.database.kind });

stopOnSignal({ workers, services });
