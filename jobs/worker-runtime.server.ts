/** Runs the queued jobs of this process's services: BullMQ workers on Redis, or nothing inline. */
import type { AppServices } from "~/services.server";
import { armWaitingScheduledMessages } from "~/messaging/scheduling.server";
import { findJob } from "./index.server";
import { runJob, startRedisWorkers } from "./queues.server";

export function startWorkers(services: AppServices): { close(): Promise<void> } {
  if (services.queue.mode === "inline") return { close: async () => undefined }; // jobs run where they are enqueued
  // Scheduled messages stored while Redis was away get their delayed job now (idempotent).
  const arm = services.engine.armScheduledMessage;
  if (arm) {
    armWaitingScheduledMessages(services.db, arm)
      .then((count) => services.logger.info("scheduled messages armed", { count }))
      .catch((error: unknown) => services.logger.warn("could not arm the waiting scheduled messages", { error }));
  }
  return startRedisWorkers({
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
}
