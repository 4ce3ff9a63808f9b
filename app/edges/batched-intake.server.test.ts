/**
 * The webhook edge's intake under load (`createBatchedIntake`), on PostgreSQL and on PGlite, with
 * two shops: each message is answered once stored, while its reply job is still being queued; the
 * next batch is stored meanwhile; each batch, a batch of one too, is handed to the worker as one
 * intake job; a job the queue refuses or fails is logged and the message left
 * for the worker's sweep, or queued again when the provider retries it; `drain` waits for the jobs.
 * The queue is a stand-in at our `JobQueue` interface that holds each enqueue until the test lets it go.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { messages } from "../../db/schema";
import { conversationIntakeJob } from "../../jobs/conversation-intake.server";
import { QueueUnavailableError, type JobQueue } from "../../jobs/queues.server";
import type { InboundToStore } from "~/conversation/messages.server";
import { DATABASE_KINDS } from "../../tests/integration/support/databases";
import { useTwoShopDatabase } from "../../tests/integration/support/two-shops";
import { createLogger } from "~/lib/logger.server";
import { createBatchedIntake, type IntakeOutcome } from "./channel-webhook.server";

const NOW = new Date("2026-03-10T09:00:00Z");

/** Records each enqueue call (its job's name, ids and data) and settles it when the test says (`settle`), in order. */
function heldQueue() {
  const calls: Array<{ job: string; jobIds: string[]; data: unknown[]; settle: (error?: Error) => void }> = [];
  const held = (job: string, jobs: Array<{ data: unknown; jobId: string }>) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ job, jobIds: jobs.map((j) => j.jobId), data: jobs.map((j) => j.data), settle: (error) => (error ? reject(error) : resolve()) });
    });
  const queue: JobQueue = {
    mode: "redis",
    enqueue: (job, data, opts) => held(job.name, [{ data, jobId: opts.jobId }]),
    enqueueMany: (job, jobs) => held(job.name, jobs),
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
  /** An intake whose log lines the test reads. */
  const intakeOn = (queue: JobQueue) => {
    const lines: Array<{ level: string; msg: string; messageIds?: string[]; error?: { message: string } }> = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    return { intake: createBatchedIntake({ db: suite.db, queue, logger }), lines };
  };

  it("answers each message once it is stored, while its reply job is still being queued, and stores the next batch meanwhile", async () => {
    const { queue, calls } = heldQueue();
    const { intake } = intakeOn(queue);
    const first = sms(suite.shopA, "+33939035761");
    const second = sms(suite.shopB, "+33939035762");

    const firstRow = () => storedRow(first.inbound.providerMessageId);
    await expect(intake(first)).resolves.toMatchObject({ kind: "accepted", duplicate: false, message: { shopId: suite.shopA, providerMessageId: first.inbound.providerMessageId } });
    // Its job is still held: the second message is stored and answered all the same.
    await expect(intake(second)).resolves.toMatchObject({ kind: "accepted", duplicate: false, message: { shopId: suite.shopB } });
    const secondRow = await storedRow(second.inbound.providerMessageId);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => c.data)).toEqual([[{ messages: [{ shopId: suite.shopA, messageId: (await firstRow())?.id }] }], [{ messages: [{ shopId: suite.shopB, messageId: secondRow?.id }] }]]);

    let drained = false;
    const draining = intake.drain().then(() => (drained = true));
    calls[1]?.settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    calls[0]?.settle();
    await draining;
    expect(drained).toBe(true);
  });

  it("hands each batch's reply jobs to the worker as one intake job, a batch of one as well", async () => {
    const { queue, calls } = heldQueue();
    const { intake } = intakeOn(queue);
    // The first is stored alone; the six that arrive meanwhile go together in the next batch.
    const first = sms(suite.shopA, "+33939035761");
    const next = Array.from({ length: 6 }, (_, i) => sms(i % 2 === 0 ? suite.shopA : suite.shopB, i % 2 === 0 ? "+33939035761" : "+33939035762"));
    const outcomes = await Promise.all([intake(first), ...next.map((one) => intake(one))]);
    expect(outcomes.map((o) => o.kind)).toEqual(new Array(next.length + 1).fill("accepted"));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    const handedOver = (batch: IntakeOutcome[]) => [{ messages: batch.map((o) => ({ shopId: o.message.shopId, messageId: o.message.id })) }];
    for (const call of calls) {
      expect(call.job).toBe(conversationIntakeJob.name);
      expect(call.jobIds[0]).toMatch(/^intake-[0-9a-f-]{36}$/);
    }
    expect(calls[0]?.data).toEqual(handedOver(outcomes.slice(0, 1)));
    expect(calls[1]?.data).toEqual(handedOver(outcomes.slice(1)));
    expect(new Set(outcomes.slice(1).map((o) => o.message.shopId))).toEqual(new Set([suite.shopA, suite.shopB]));
    for (const call of calls) call.settle();
    await intake.drain();
  });

  it("acknowledges a message whose job Redis refuses, logs it, queues it again on the provider's retry, and only acknowledges one already handled", async () => {
    const { queue, calls } = heldQueue();
    const { intake, lines } = intakeOn(queue);
    const message = sms(suite.shopA, "+33939035761");

    await expect(intake(message)).resolves.toMatchObject({ kind: "accepted", duplicate: false });
    const row = await storedRow(message.inbound.providerMessageId);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.settle(new QueueUnavailableError("redis down"));
    await intake.drain();
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", msg: "queue unavailable: messages stored, the worker will queue them", messageIds: [row?.id], error: expect.objectContaining({ message: "redis down" }) }));
    expect((await storedRow(message.inbound.providerMessageId))?.status).toBe("received");

    await expect(intake(message)).resolves.toMatchObject({ kind: "accepted", duplicate: true, message: { id: row?.id } });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.data).toEqual([{ messages: [{ shopId: suite.shopA, messageId: row?.id }] }]);
    calls[1]?.settle();
    await intake.drain();

    await suite.db.update(messages).set({ status: "processed" }).where(eq(messages.id, row?.id ?? ""));
    await expect(intake(message)).resolves.toMatchObject({ kind: "handled-before", message: { id: row?.id } });
    await intake.drain();
    expect(calls).toHaveLength(2);
  });

  it("acknowledges the messages of a batch whose enqueue fails otherwise, and logs it with their ids", async () => {
    const { queue, calls } = heldQueue();
    const { intake, lines } = intakeOn(queue);
    const message = sms(suite.shopB, "+33939035762");
    await expect(intake(message)).resolves.toMatchObject({ kind: "accepted" });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.settle(new Error("unexpected"));
    await intake.drain();
    const row = await storedRow(message.inbound.providerMessageId);
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", msg: "could not queue reply jobs: messages stored, the worker will queue them", messageIds: [row?.id] }));
    expect(row?.status).toBe("received");
  });
});
