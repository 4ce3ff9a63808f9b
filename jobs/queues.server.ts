/**
 * The queues, and the two ways to run a job: on Redis with BullMQ (default; workers can run on
 * other machines) or inline in this process (`QUEUE=inline`, for the demo when no Redis answers).
 * Both run the same `handle` of the same job definition, wrapped once by `runJob`.
 */
import { Queue, Worker, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "~/lib/logger.server";

export const QUEUE_NAMES = {
  /** Customer messages: understand → decide → act → reply. */
  conversation: "conversation",
  /** Batches of customer messages whose reply jobs the worker queues (jobs/conversation-intake.server.ts). */
  intake: "intake",
  /** Intensive tracking: hourly carrier checks of urgent parcels (delayed jobs). */
  tracking: "tracking",
  /** Proactive messages at their time (reminders, thank-you, follow-up …): delayed jobs. */
  scheduled: "scheduled",
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** What every job file exports. `TDeps` is what the handler needs, passed in by the worker. */
export interface JobDefinition<TData, TDeps> {
  name: string;
  queue: QueueName;
  options: JobsOptions;
  handle(data: TData, deps: TDeps, meta: { jobId: string; attempt: number }): Promise<void>;
}

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

export interface JobQueue {
  readonly mode: "redis" | "inline";
  /**
   * Accept a job for later. Resolves once the job is durably accepted (Redis) or scheduled
   * (inline); rejects with `QueueUnavailableError` when it cannot be, so the caller can answer
   * 503 to a sender that retries (Shopify), or keep what it must do where a sweep finds it (customer
   * messages: jobs/conversation-reply.server.ts). The same `jobId` twice is one job.
   */
  enqueue<TData>(job: JobDefinition<TData, never>, data: TData, opts: { jobId: string; delayMs?: number }): Promise<void>;
  /**
   * Several jobs of one kind at once (one Redis round trip), all or none accepted, as `enqueue`.
   * `skipQueued`: for a sweep over jobs that are mostly queued already, Redis is first asked which
   * job ids it holds and only the others are added (a second round trip). Adding a held id is a
   * no-op either way, but a bulk add runs in one MULTI, which holds Redis for every other client
   * while it runs (1,000 held ids: 45–64 ms, against 4–25 ms to ask, measured on this machine).
   */
  enqueueMany<TData>(job: JobDefinition<TData, never>, jobs: Array<{ data: TData; jobId: string }>, options?: { skipQueued?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface JobMetrics {
  record(jobName: string, outcome: "completed" | "failed", ms: number): void;
}

/** The one wrapper around every handler: logs, timing, metrics. */
export async function runJob<TData, TDeps>(
  job: JobDefinition<TData, TDeps>,
  data: TData,
  deps: TDeps,
  meta: { jobId: string; attempt: number },
  observe: { logger: Logger; metrics?: JobMetrics },
): Promise<void> {
  const started = performance.now();
  const log = observe.logger.child({ job: job.name, jobId: meta.jobId, attempt: meta.attempt });
  try {
    await job.handle(data, deps, meta);
    const ms = performance.now() - started;
    observe.metrics?.record(job.name, "completed", ms);
    log.info("job completed", { ms: Math.round(ms) });
  } catch (error) {
    const ms = performance.now() - started;
    observe.metrics?.record(job.name, "failed", ms);
    log.error("job failed", { ms: Math.round(ms), error });
    throw error;
  }
}

export function createRedisJobQueue(options: {
  redisUrl: string;
  prefix?: string;
  logger: Logger;
  /** How long an enqueue may wait for Redis before the edge answers 503. */
  enqueueTimeoutMs?: number;
}): JobQueue {
  // A producer connection that fails fast: with the offline queue off, a command sent while
  // Redis is down errors at once instead of waiting for a reconnect (BullMQ "Going to production").
  const connection = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  connection.on("error", (error) => options.logger.warn("redis (producer) error", { error: error.message }));
  const queues = new Map<QueueName, Queue>();
  const queueFor = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: options.prefix });
      q.on("error", (error) => options.logger.warn("queue error", { queue: name, error: error.message }));
      queues.set(name, q);
    }
    return q;
  };
  // Open the queues now, so that the first customer message does not pay for it.
  for (const name of Object.values(QUEUE_NAMES)) queueFor(name).waitUntilReady().catch(() => undefined);
  const timeoutMs = options.enqueueTimeoutMs ?? 2000;
  /** Resolves when Redis has answered (taken the add), rejects with QueueUnavailableError when it cannot within the timeout. */
  async function accepted<T>(add: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not accept the job within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([add, timeout]);
    } catch (error) {
      add.catch(() => undefined); // the race is lost; do not leave an unhandled rejection behind
      if (error instanceof QueueUnavailableError) throw error;
      throw new QueueUnavailableError(`Redis refused the job: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  /** The jobs whose id the queue does not hold (a job's hash is its id's key, whatever its state: https://docs.bullmq.io/guide/architecture). */
  async function notHeld<T extends { jobId: string }>(queue: Queue, jobs: T[]): Promise<T[]> {
    const pipeline = connection.pipeline();
    for (const { jobId } of jobs) pipeline.exists(queue.toKey(jobId));
    const answers = (await accepted(pipeline.exec())) ?? [];
    return jobs.filter((_, i) => {
      const [error, held] = answers[i] ?? [null, 0];
      return error !== null || held !== 1;
    });
  }
  return {
    mode: "redis",
    enqueue: async (job, data, opts) => {
      await accepted(queueFor(job.queue).add(job.name, data, { ...job.options, jobId: opts.jobId, delay: opts.delayMs }));
    },
    // addBulk sends the jobs in one MULTI (https://docs.bullmq.io/guide/queues/adding-bulks).
    enqueueMany: async (job, jobs, options) => {
      const queue = queueFor(job.queue);
      const toAdd = options?.skipQueued && jobs.length > 0 ? await notHeld(queue, jobs) : jobs;
      if (toAdd.length > 0) await accepted(queue.addBulk(toAdd.map(({ data, jobId }) => ({ name: job.name, data, opts: { ...job.options, jobId } }))));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      connection.disconnect();
    },
  };
}

/**
 * Runs jobs in this process, after the current request has been answered, with the same
 * retry policy as BullMQ (attempts and exponential backoff from the job's options).
 */
export function createInlineJobQueue(options: {
  logger: Logger;
  run: (jobName: string, data: unknown, meta: { jobId: string; attempt: number }) => Promise<void>;
}): JobQueue {
  const seen = new Set<string>();
  const pending = new Set<Promise<void>>();
  const delayed = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        resolve(true);
      }, ms);
      delayed.set(timer, () => resolve(false));
    });
  const queue: JobQueue = {
    mode: "inline",
    async enqueueMany(job, jobs) {
      for (const { data, jobId } of jobs) await queue.enqueue(job, data, { jobId });
    },
    async enqueue(job, data, opts) {
      if (closed) throw new QueueUnavailableError("The inline queue is closed");
      const key = `${job.queue}:${opts.jobId}`;
      if (seen.has(key)) return;
      seen.add(key);
      const attempts = job.options.attempts ?? 1;
      const backoff = job.options.backoff;
      const baseDelay = typeof backoff === "number" ? backoff : (backoff?.delay ?? 0);
      const task = (async () => {
        if (opts.delayMs && !(await wait(opts.delayMs))) return; // dropped at close
        for (let attempt = 1; attempt <= attempts; attempt++) {
          try {
            await options.run(job.name, data, { jobId: opts.jobId, attempt });
            return;
          } catch {
            if (attempt === attempts) return; // runJob has logged it
            if (!(await wait(baseDelay * 2 ** (attempt - 1)))) return;
          }
        }
      })();
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    /**
     * Stops taking jobs and waits for the running ones. Jobs still waiting for their time (delayed
     * jobs, retries in backoff) are dropped: an inline queue keeps nothing across processes.
     */
    async close() {
      closed = true;
      if (delayed.size > 0) options.logger.warn("inline queue closed: dropping jobs still waiting for their time", { count: delayed.size });
      for (const [timer, drop] of delayed) {
        clearTimeout(timer);
        drop();
      }
      delayed.clear();
      await Promise.allSettled([...pending]);
    },
  };
  return queue;
}

/** Starts one BullMQ worker per queue; each dispatches by job name to its definition. */
export function startRedisWorkers(options: {
  redisUrl: string;
  prefix?: string;
  logger: Logger;
  concurrency?: number;
  run: (jobName: string, data: unknown, meta: { jobId: string; attempt: number }) => Promise<void>;
}): { close(): Promise<void> } {
  const connections: Redis[] = [];
  const workers = Object.values(QUEUE_NAMES).map((queueName) => {
    // Workers block on Redis: BullMQ requires maxRetriesPerRequest null for their connection.
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connections.push(connection);
    const worker = new Worker(
      queueName,
      async (job) => options.run(job.name, job.data, { jobId: job.id ?? job.name, attempt: job.attemptsMade + 1 }),
      {
        connection,
        prefix: options.prefix,
        concurrency: options.concurrency ?? 8,
      },
    );
    worker.on("error", (error) => options.logger.warn("worker error", { queue: queueName, error: error.message }));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      for (const c of connections) c.disconnect();
    },
  };
}

/** Whether a Redis server answers PING at `redisUrl` within `timeoutMs`. */
export async function redisAnswers(redisUrl: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on("error", () => undefined); // the answer is the boolean below
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
