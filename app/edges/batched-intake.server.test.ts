/**
 * The webhook edge's intake under load (`createBatchedIntake`), on PostgreSQL and on PGlite, with
 * two shops: the next batch is stored while the one before is being queued, each message gets the
 * outcome of its own batch's enqueue, and a message stored while the queue was down is queued again
 * when the provider retries it. The queue is a stand-in at our `JobQueue` interface that holds each
 * enqueue until the test lets it go.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { messages } from "../../db/schema";
import { QueueUnavailableError, type JobQueue } from "../../jobs/queues.server";
import type { InboundToStore } from "~/conversation/messages.server";
import { DATABASE_KINDS } from "../../tests/integration/support/databases";
import { useTwoShopDatabase } from "../../tests/integration/support/two-shops";
import { silentLogger } from "~/lib/logger.server";
import { createBatchedIntake } from "./channel-webhook.server";

const NOW = new Date("2026-03-10T09:00:00Z");

/** Records each enqueueMany call and settles it when the test says (`release`/`fail`), in order. */
function heldQueue() {
  const calls: Array<{ jobIds: string[]; settle: (error?: Error) => void }> = [];
  const queue: JobQueue = {
    mode: "redis",
    enqueue: () => Promise.reject(new Error("the intake queues with enqueueMany")),
    enqueueMany: (_job, jobs) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ jobIds: jobs.map((j) => j.jobId), settle: (error) => (error ? reject(error) : resolve()) });
      }),
    close: async () => undefined,
  };
  return { queue, calls };
}

describe.each(DATABASE_KINDS)("the batched webhook intake on %s", (kind) => {
  const suite = useTwoShopDatabase(kind, NOW);

  const sms = (shopId: string, to: string, providerMessageId = `SM${randomBytes(8).toString("hex")}`): InboundToStore => ({
    shopId,
    provider: "twilio",
    inbound: { providerMessageId, channel: "sms", from: "+33645789012", to, body: "Vous avez la robe en 38 ?", mediaUrls: [], raw: {} },
    now: NOW,
  });
  const storedRow = async (providerMessageId: string) => (await suite.db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId)))[0];

  it("stores the next batch while the one before is being queued, and answers each message once its own batch is queued", async () => {
    const { queue, calls } = heldQueue();
    const intake = createBatchedIntake({ db: suite.db, queue, logger: silentLogger });
    const first = sms(suite.shopA, "+33939035761");
    const second = sms(suite.shopB, "+33939035762");

    const firstOutcome = intake(first);
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 10_000 });
    const secondOutcome = intake(second);
    // The first batch's enqueue is still held: the second is stored and queued all the same.
    await vi.waitFor(() => expect(calls).toHaveLength(2), { timeout: 10_000 });
    const [firstRow, secondRow] = [await storedRow(first.inbound.providerMessageId), await storedRow(second.inbound.providerMessageId)];
    expect(firstRow?.shopId).toBe(suite.shopA);
    expect(secondRow?.shopId).toBe(suite.shopB);
    expect(calls.map((c) => c.jobIds)).toEqual([[firstRow?.id], [secondRow?.id]]);

    let firstSettled = false;
    void firstOutcome.then(() => (firstSettled = true));
    calls[1]?.settle();
    await expect(secondOutcome).resolves.toMatchObject({ kind: "queued", duplicate: false, message: { id: secondRow?.id } });
    expect(firstSettled).toBe(false);
    calls[0]?.settle();
    await expect(firstOutcome).resolves.toMatchObject({ kind: "queued", duplicate: false, message: { id: firstRow?.id } });
  });

  it("answers queue-unavailable when Redis refuses a batch, queues the stored message on the provider's retry, and only acknowledges one already handled", async () => {
    const { queue, calls } = heldQueue();
    const intake = createBatchedIntake({ db: suite.db, queue, logger: silentLogger });
    const message = sms(suite.shopA, "+33939035761");

    const refused = intake(message);
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 10_000 });
    calls[0]?.settle(new QueueUnavailableError("redis down"));
    await expect(refused).resolves.toMatchObject({ kind: "queue-unavailable", reason: "redis down" });
    const row = await storedRow(message.inbound.providerMessageId);
    expect(row?.status).toBe("received");

    const retried = intake(message);
    await vi.waitFor(() => expect(calls).toHaveLength(2), { timeout: 10_000 });
    expect(calls[1]?.jobIds).toEqual([row?.id]);
    calls[1]?.settle();
    await expect(retried).resolves.toMatchObject({ kind: "queued", duplicate: true, message: { id: row?.id } });

    await suite.db.update(messages).set({ status: "processed" }).where(eq(messages.id, row?.id ?? ""));
    const late = intake(message);
    await vi.waitFor(() => expect(calls).toHaveLength(3), { timeout: 10_000 });
    expect(calls[2]?.jobIds).toEqual([]);
    calls[2]?.settle();
    await expect(late).resolves.toMatchObject({ kind: "handled-before", message: { id: row?.id } });
  });

  it("rejects the messages of a batch whose enqueue fails otherwise, so that the edge answers 500 and the provider retries", async () => {
    const { queue, calls } = heldQueue();
    const intake = createBatchedIntake({ db: suite.db, queue, logger: silentLogger });
    const outcome = intake(sms(suite.shopB, "+33939035762"));
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 10_000 });
    calls[0]?.settle(new Error("unexpected"));
    await expect(outcome).rejects.toThrow("unexpected");
  });
});
