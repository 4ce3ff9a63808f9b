/**
 * The intake job on a live Redis, run by a BullMQ worker as in production: a batch handed over as
 * one job becomes one reply job per message in the conversation queue, each with the message's id,
 * and a batch handed over twice (or a message already queued) is still one reply job per message.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "~/lib/logger.server";
import { conversationIntakeJob, queueReplyJobsOf } from "./conversation-intake.server";
import { conversationReplyJob } from "./conversation-reply.server";
import { createRedisJobQueue, QUEUE_NAMES, runJob, startRedisWorkers, type JobQueue } from "./queues.server";

const REDIS_URL = "redis://127.0.0.1:6379";

describe("conversation intake job", () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const one of open.splice(0).reverse()) await one.close();
  });

  /** A queue under a fresh prefix, and a worker that runs the intake job and records the reply jobs it is given (no engine here). */
  function setUp() {
    const prefix = `test-intake-${randomBytes(4).toString("hex")}`;
    const queue: JobQueue = createRedisJobQueue({ redisUrl: REDIS_URL, prefix, logger: silentLogger });
    const deps = { queueReplyJobs: (jobs: Parameters<typeof queue.enqueueMany>[1]) => queue.enqueueMany(conversationReplyJob, jobs) };
    const ran: Array<{ name: string; jobId: string; data: unknown }> = [];
    const workers = startRedisWorkers({
      redisUrl: REDIS_URL,
      prefix,
      logger: silentLogger,
      run: async (name, data, meta) => {
        ran.push({ name, jobId: meta.jobId, data });
        if (name === conversationIntakeJob.name) await runJob(conversationIntakeJob, data as never, deps, meta, { logger: silentLogger });
      },
    });
    const conversation = new Queue(QUEUE_NAMES.conversation, { connection: { url: REDIS_URL }, prefix });
    open.push(queue, { close: () => conversation.obliterate({ force: true }).then(() => conversation.close()) }, workers);
    const replies = () => ran.filter((job) => job.name === conversationReplyJob.name);
    return { queue, ran, replies };
  }

  const messages = (count: number, shopId = randomUUID()) => Array.from({ length: count }, () => ({ id: randomUUID(), shopId }));

  it("turns a batch into one reply job per message, with the message's id and shop", async () => {
    const { queue, ran, replies } = setUp();
    const batch = [...messages(1), ...messages(2)];
    await queueReplyJobsOf(queue, batch);
    await vi.waitFor(() => expect(replies()).toHaveLength(batch.length), { timeout: 10_000 });
    const byId = (a: { jobId: string }, b: { jobId: string }) => a.jobId.localeCompare(b.jobId);
    expect(replies().sort(byId)).toEqual(batch.map((m) => ({ name: conversationReplyJob.name, jobId: m.id, data: { shopId: m.shopId, messageId: m.id } })).sort(byId));
    expect(ran.filter((job) => job.name === conversationIntakeJob.name)).toHaveLength(1);
  });

  it("runs each message's reply once, however often its batch is handed over", async () => {
    const { queue, ran, replies } = setUp();
    const batch = messages(3);
    await queueReplyJobsOf(queue, batch);
    await queueReplyJobsOf(queue, batch);
    await queueReplyJobsOf(queue, batch.slice(0, 2));
    await vi.waitFor(() => expect(ran.filter((job) => job.name === conversationIntakeJob.name)).toHaveLength(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(replies()).toHaveLength(batch.length), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(replies().map((job) => job.jobId).sort()).toEqual(batch.map((m) => m.id).sort());
  });
});
