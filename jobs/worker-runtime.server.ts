/** Runs the queued jobs of this process's services: BullMQ workers on Redis, or nothing inline. */
import type { AppServices } from "~/services.server";
import { armWaitingScheduledMessages } from "~/messaging/scheduling.server";
import { loadAdminSchema } from "~/sandbox/schema.server";
import { queueWaitingInboundMessages } from "./conversation-reply.server";
import { findJob } from "./index.server";
import { runJob, startRedisWorkers } from "./queues.server";

/** How often customer messages stored while Redis was away are looked for. */
const WAITING_MESSAGES_EVERY_MS = 60_000;

export async function startWorkers(services: AppServices): Promise<{ close(): Promise<void> }> {
  // Jobs ask the sandbox shop (when there is one) from the first customer message on: its Admin
  // schema is built now (about 0.5 s) rather than in that message's reply.
  if (services.sandboxShops.size > 0) loadAdminSchema();
  // The same for the understanding models (about 0.5 s of CPU, which the web process alone never
  // spends), before any job or request is taken: loading them while serving held up the first
  // webhooks as long. A process that cannot load them does not start, as before they were lazy.
  await services.understander.load();
  const sweep = startWaitingMessagesSweep(services);
  if (services.queue.mode === "inline") return { close: async () => sweep.stop() }; // jobs run where they are enqueued
  // Scheduled messages stored while Redis was away get their delayed job now (idempotent).
  const arm = services.engine.armScheduledMessage;
  if (arm) {
    armWaitingScheduledMessages(services.db, arm)
      .then((count) => services.logger.info("scheduled messages armed", { count }))
      .catch((error: unknown) => services.logger.warn("could not arm the waiting scheduled messages", { error }));
  }
  const workers = startRedisWorkers({
    redisUrl: services.env.REDIS_URL,
    prefix: services.env.QUEUE_PREFIX,
    logger: services.logger,
    concurrency: services.env.WORKER_CONCURRENCY,
    run: async (name, data, meta) => {
      const job = findJob(name);
      if (!job) throw new Error(`no job named ${name}`);
      await runJob(job, data as never, services.jobDeps, meta, { logger: services.logger });
    },
  });
  return {
    async close() {
      sweep.stop();
      await workers.close();
    },
  };
}

/**
 * Customer messages acknowledged while the queue did not take their job (the webhook edge answers
 * once a message is stored) are queued now and every minute: in the inline mode too, where a
 * restart drops the jobs not yet run.
 */
function startWaitingMessagesSweep(services: AppServices): { stop(): void } {
  let running = false;
  const run = () => {
    if (running) return; // a slow sweep is not stacked on itself
    running = true;
    queueWaitingInboundMessages(services)
      .then((count) => {
        // Those already in the queue (a backlog) are counted too: adding them again changes nothing.
        if (count > 0) services.logger.info("customer messages waiting for a reply handed to the queue", { count });
      })
      .catch((error: unknown) => services.logger.warn("could not queue the waiting customer messages", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = false;
      });
  };
  run();
  const timer = setInterval(run, WAITING_MESSAGES_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
