import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "~/lib/logger.server";
import { createInlineJobQueue, createRedisJobQueue, QUEUE_NAMES, QueueUnavailableError, redisAnswers, type JobDefinition } from "./queues.server";

const job: JobDefinition<{ n: number }, unknown> = {
  name: "test.job",
  queue: QUEUE_NAMES.conversation,
  options: { attempts: 3, backoff: { type: "exponential", delay: 5 } },
  handle: async () => undefined,
};

describe("inline queue", () => {
  it("runs a job once per job id, retrying failures up to its attempts", async () => {
    const calls: Array<{ data: unknown; attempt: number }> = [];
    const queue = createInlineJobQueue({
      logger: silentLogger,
      run: async (_name, data, meta) => {
        calls.push({ data, attempt: meta.attempt });
        if (meta.attempt < 3) throw new Error("flaky");
      },
    });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "a" });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "a" });
    await new Promise((r) => setTimeout(r, 100)); // backoff 5 ms then 10 ms
    await queue.close();
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it("drops a delayed job at close instead of holding the process", async () => {
    const calls: string[] = [];
    const queue = createInlineJobQueue({ logger: silentLogger, run: async (_n, _d, meta) => void calls.push(meta.jobId) });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "later", delayMs: 3_600_000 });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "now" });
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(calls).toEqual(["now"]);
  });

  it("takes several jobs at once, one per job id", async () => {
    const calls: string[] = [];
    const queue = createInlineJobQueue({ logger: silentLogger, run: async (_n, _d, meta) => void calls.push(meta.jobId) });
    const typed = job as JobDefinition<{ n: number }, never>;
    await queue.enqueueMany(typed, [{ data: { n: 1 }, jobId: "x" }, { data: { n: 2 }, jobId: "y" }, { data: { n: 3 }, jobId: "x" }]);
    await queue.close();
    expect(calls).toEqual(["x", "y"]);
  });

  it("refuses jobs once closed, so a caller can answer 503", async () => {
    const queue = createInlineJobQueue({ logger: silentLogger, run: async () => undefined });
    await queue.close();
    await expect(queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "b" })).rejects.toBeInstanceOf(QueueUnavailableError);
  });
});

describe("redis queue", () => {
  it("fails fast with QueueUnavailableError when Redis does not answer", async () => {
    expect(await redisAnswers("redis://127.0.0.1:1", 300)).toBe(false);
    const queue = createRedisJobQueue({ redisUrl: "redis://127.0.0.1:1", logger: silentLogger, enqueueTimeoutMs: 300 });
    const started = Date.now();
    await expect(queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "c" })).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(queue.enqueueMany(job as JobDefinition<{ n: number }, never>, [{ data: { n: 1 }, jobId: "d" }])).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(2500);
    await queue.close();
  });

  it("accepts a job id once on a live Redis, alone or in a bulk", async () => {
    expect(await redisAnswers("redis://127.0.0.1:6379")).toBe(true);
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    const queue = createRedisJobQueue({ redisUrl: "redis://127.0.0.1:6379", prefix, logger: silentLogger });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 1 }, { jobId: "same" });
    await queue.enqueue(job as JobDefinition<{ n: number }, never>, { n: 2 }, { jobId: "same" });
    await queue.enqueueMany(job as JobDefinition<{ n: number }, never>, [{ data: { n: 3 }, jobId: "same" }, { data: { n: 4 }, jobId: "other" }]);
    const { Queue } = await import("bullmq");
    const inspect = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    expect(await inspect.getJobCounts("waiting")).toEqual({ waiting: 2 });
    expect((await inspect.getJob("same"))?.data).toEqual({ n: 1 });
    await inspect.obliterate({ force: true });
    await inspect.close();
    await queue.close();
  });

  it("with skipQueued, asks Redis which ids it holds and adds only the others, in one add", async () => {
    expect(await redisAnswers("redis://127.0.0.1:6379")).toBe(true);
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    const queue = createRedisJobQueue({ redisUrl: "redis://127.0.0.1:6379", prefix, logger: silentLogger });
    const typed = job as JobDefinition<{ n: number }, never>;
    await queue.enqueue(typed, { n: 1 }, { jobId: "held-job-id" });
    // What reaches Redis, read with MONITOR: only this test's keys carry its prefix.
    const { Redis } = await import("ioredis");
    const monitor = await new Redis("redis://127.0.0.1:6379").monitor();
    const commands: string[][] = [];
    monitor.on("monitor", (_time: string, args: unknown[], source: string) => {
      // Commands run inside BullMQ's scripts are reported too, from "lua".
      if (source !== "lua" && args.some((a) => String(a).includes(prefix))) commands.push(args.map(String));
    });
    await queue.enqueueMany(typed, [{ data: { n: 2 }, jobId: "held-job-id" }, { data: { n: 3 }, jobId: "fresh-job-id" }], { skipQueued: true });
    await queue.enqueueMany(typed, [{ data: { n: 4 }, jobId: "held-job-id" }], { skipQueued: true });
    const key = (id: string) => `${prefix}:${QUEUE_NAMES.conversation}:${id}`;
    const exists = () => commands.filter((c) => c[0]?.toLowerCase() === "exists").map((c) => c[1]);
    await vi.waitFor(() => expect(exists()).toEqual([key("held-job-id"), key("fresh-job-id"), key("held-job-id")]));
    const adds = commands.filter((c) => c[0]?.toLowerCase() === "evalsha" && c.some((a) => a.includes(`${prefix}:${QUEUE_NAMES.conversation}:wait`)));
    expect(adds).toHaveLength(1);
    expect(adds[0]?.join(" ")).toContain("fresh-job-id");
    expect(adds[0]?.join(" ")).not.toContain("held-job-id");
    monitor.disconnect();

    const { Queue } = await import("bullmq");
    const inspect = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    expect(await inspect.getJobCounts("waiting")).toEqual({ waiting: 2 });
    expect((await inspect.getJob("held-job-id"))?.data).toEqual({ n: 1 });
    expect((await inspect.getJob("fresh-job-id"))?.data).toEqual({ n: 3 });
    await inspect.obliterate({ force: true });
    await inspect.close();
    await queue.close();
  });
});
