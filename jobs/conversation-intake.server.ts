/**
 * The reply jobs of a batch of customer messages that the webhook edge stored together, queued by
 * the worker instead of the web process. Queuing a job costs the process that queues it about
 * 0.1 ms of CPU (BullMQ builds the job and its Redis script call): one reply job per message was
 * 12–17% of the web process's busy time at 1,000 webhooks/s (CPU profile of `npm run bench`), on
 * the path every webhook takes. So every batch is handed over as this one job, on a queue of its
 * own so that it never waits behind the replies' backlog, and the worker queues the reply jobs
 * (each still one job per message: its own retries, and its id is the message's, so a message
 * queued twice is one job).
 * Even a batch of one: at 1,000 webhooks/s most batches hold one message, and the web queuing
 * their reply jobs itself promoted 4.5–7 MB/s to its old generation, mostly what BullMQ built
 * for them (sampled allocations that no young-generation collection freed), against 2 MB/s with
 * one intake job per batch (`--trace-gc` on `npm run bench`'s web process). Fewer full
 * collections, each a pause for every webhook in flight. The second hop costs a reply a few
 * milliseconds at a quiet time.
 */
import { randomUUID } from "node:crypto";
import { replyJobFor, type ConversationReplyData } from "./conversation-reply.server";
import { QUEUE_NAMES, type JobDefinition, type JobQueue } from "./queues.server";

export interface ConversationIntakeData {
  messages: ConversationReplyData[];
}

export interface ConversationIntakeDeps {
  /** Queues reply jobs (the worker's queue; the same `JobQueue.enqueueMany`). */
  queueReplyJobs(jobs: Array<{ data: ConversationReplyData; jobId: string }>): Promise<void>;
}

export const conversationIntakeJob: JobDefinition<ConversationIntakeData, ConversationIntakeDeps> = {
  name: "conversation.intake",
  queue: QUEUE_NAMES.intake,
  options: {
    // Redis refusing the reply jobs is worth retrying soon; the worker's sweep (queueWaitingInboundMessages) is the net.
    attempts: 5,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async handle(data, deps) {
    await deps.queueReplyJobs(data.messages.map(({ shopId, messageId }) => replyJobFor({ id: messageId, shopId })));
  },
};

/**
 * Queues the reply jobs of stored customer messages through one intake job (its id is new each
 * time: a batch is not a thing to dedupe, its reply jobs are).
 */
export function queueReplyJobsOf(queue: JobQueue, messages: Array<{ id: string; shopId: string }>): Promise<void> {
  if (messages.length === 0) return Promise.resolve();
  return queue.enqueue(conversationIntakeJob, { messages: messages.map(({ id, shopId }) => ({ shopId, messageId: id })) }, { jobId: `intake-${randomUUID()}` });
}
