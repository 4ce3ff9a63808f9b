/**
 * The sweep that queues customer messages the webhook stored while Redis did not take their job
 * (`queueWaitingInboundMessages`), on PostgreSQL and on PGlite, with two shops: every waiting
 * message of the last day is queued once, by its own id, whatever its shop; one being queued by its
 * webhook (under a minute old), answered, older than a day or outbound is left alone; ties on the
 * time are paged without loss; a queue still down leaves them for the next run.
 */
import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { messages } from "../db/schema";
import { storeInboundMessages, type InboundToStore } from "~/conversation/messages.server";
import { createManualClock } from "~/lib/clock";
import { DATABASE_KINDS } from "../tests/integration/support/databases";
import { useTwoShopDatabase } from "../tests/integration/support/two-shops";
import { conversationReplyJob, queueWaitingInboundMessages } from "./conversation-reply.server";
import { QueueUnavailableError, type JobQueue } from "./queues.server";

const NOW = new Date("2026-03-10T09:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

/** Records what is queued; `down` makes it refuse like Redis away. */
function recordingQueue() {
  const queued: Array<{ jobName: string; jobId: string; data: unknown }> = [];
  const state = { down: false, options: [] as unknown[] };
  const queue: JobQueue = {
    mode: "redis",
    enqueue: () => Promise.reject(new Error("the sweep queues with enqueueMany")),
    enqueueMany: async (job, jobs, options) => {
      state.options.push(options);
      if (state.down) throw new QueueUnavailableError("redis down");
      queued.push(...jobs.map(({ jobId, data }) => ({ jobName: job.name, jobId, data })));
    },
    close: async () => undefined,
  };
  return { queue, queued, state };
}

describe.each(DATABASE_KINDS)("queueWaitingInboundMessages on %s", (kind) => {
  const suite = useTwoShopDatabase(kind, NOW);
  const clock = createManualClock(NOW);

  beforeEach(async () => {
    await suite.db.delete(messages);
  });

  const store = async (shopId: string, at: Date, count = 1) => {
    const inputs: InboundToStore[] = Array.from({ length: count }, () => ({
      shopId,
      provider: "twilio",
      inbound: { providerMessageId: `SM${randomBytes(8).toString("hex")}`, channel: "sms", from: `+3364578${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`, to: "+33939035761", body: "Vous avez la robe en 38 ?", mediaUrls: [], raw: {} },
      now: at,
    }));
    return (await storeInboundMessages(suite.db, inputs)).map((r) => r.message);
  };

  it("queues the waiting messages of every shop, by their own id, and leaves the others", async () => {
    const [waitingA] = await store(suite.shopA, minutesAgo(5));
    const [waitingB] = await store(suite.shopB, minutesAgo(120));
    const [beingQueued] = await store(suite.shopA, new Date(NOW.getTime() - 30_000));
    const [answered] = await store(suite.shopB, minutesAgo(5));
    const [tooOld] = await store(suite.shopA, minutesAgo(25 * 60));
    await suite.db.update(messages).set({ status: "processed" }).where(eq(messages.id, answered?.id ?? ""));
    // A reply waiting for its provider is not a customer message to answer.
    const { id: _id, ...inboundColumns } = waitingA!;
    await suite.db.insert(messages).values({ ...inboundColumns, direction: "outbound", author: "ai", providerMessageId: null, status: "pending", inReplyTo: waitingA?.id, createdAt: minutesAgo(4) });

    const { queue, queued, state } = recordingQueue();
    expect(await queueWaitingInboundMessages({ db: suite.db, queue, clock })).toBe(2);
    // Most are queued already while the worker has a backlog: the queue is told to add only the others.
    expect(state.options).toEqual([{ skipQueued: true }]);
    // Oldest first, each as the webhook would have queued it.
    expect(queued).toEqual([
      { jobName: conversationReplyJob.name, jobId: waitingB?.id, data: { shopId: suite.shopB, messageId: waitingB?.id } },
      { jobName: conversationReplyJob.name, jobId: waitingA?.id, data: { shopId: suite.shopA, messageId: waitingA?.id } },
    ]);
    expect(queued.map((q) => q.jobId)).not.toContain(beingQueued?.id);
    expect(queued.map((q) => q.jobId)).not.toContain(tooOld?.id);
  });

  it("pages through messages stored at the same time without losing or repeating one", async () => {
    const sameTime = [...(await store(suite.shopA, minutesAgo(10), 4)), ...(await store(suite.shopB, minutesAgo(10), 3))];
    const { queue, queued } = recordingQueue();
    expect(await queueWaitingInboundMessages({ db: suite.db, queue, clock }, { maxAgeMs: 24 * 3600_000, limit: 2 })).toBe(7);
    expect(queued.map((q) => q.jobId).sort()).toEqual(sameTime.map((m) => m.id).sort());
  });

  it("rejects while the queue is down, and queues the same messages on the next run", async () => {
    const waiting = await store(suite.shopB, minutesAgo(3), 2);
    const { queue, queued, state } = recordingQueue();
    state.down = true;
    await expect(queueWaitingInboundMessages({ db: suite.db, queue, clock })).rejects.toBeInstanceOf(QueueUnavailableError);
    state.down = false;
    expect(await queueWaitingInboundMessages({ db: suite.db, queue, clock })).toBe(2);
    expect(queued.map((q) => q.jobId).sort()).toEqual(waiting.map((m) => m.id).sort());
    const rows = await suite.db.select({ status: messages.status }).from(messages).where(inArray(messages.id, waiting.map((m) => m.id)));
    expect(rows.map((r) => r.status)).toEqual(["received", "received"]);
  });
});
