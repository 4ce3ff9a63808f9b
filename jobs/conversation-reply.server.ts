/** A customer message to answer: understand → decide → act → reply (app/conversation). */
import { handleInboundMessage, type EngineDeps } from "~/conversation/engine.server";
import { findWaitingInboundMessages } from "~/conversation/messages.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { QUEUE_NAMES, type JobDefinition, type JobQueue } from "./queues.server";

export interface ConversationReplyData {
  shopId: string;
  messageId: string;
}

export const conversationReplyJob: JobDefinition<ConversationReplyData, EngineDeps> = {
  name: "conversation.reply",
  queue: QUEUE_NAMES.conversation,
  options: {
    // Provider or Shopify hiccups are retried; the engine never sends a second reply (one reply
    // per inbound message, enforced by a unique index).
    attempts: 5,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async handle(data, deps) {
    await handleInboundMessage(deps, data);
  },
};

/** The reply job of a stored customer message: its id is the message's, so queuing it twice is one job. */
export function replyJobFor(message: { id: string; shopId: string }): { data: ConversationReplyData; jobId: string } {
  return { data: { shopId: message.shopId, messageId: message.id }, jobId: message.id };
}

/** Messages stored this long ago are no longer being queued by their webhook. */
const WAITING_AFTER_MS = 60_000;

/**
 * Queues the reply job of customer messages stored but never queued. A webhook is answered once
 * its message is stored, even when Redis does not take the job: Twilio does not retry a webhook
 * answered with a 5xx unless told to (retry policy `ct` by default:
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), so a 503 could lose
 * the message. Such a message waits in the database, "received", until this finds it: every
 * worker runs it at start and every minute (jobs/worker-runtime.server.ts). Messages of the last
 * `maxAgeMs` (a day) are looked at, older than a minute (their webhook's own enqueue is over);
 * one already queued or answered is a no-op (same job id, or the engine skips it).
 */
export async function queueWaitingInboundMessages(deps: { db: Database; queue: JobQueue; clock: Clock }, options = { maxAgeMs: 24 * 3600_000, limit: 1000 }): Promise<number> {
  const now = deps.clock.now().getTime();
  let queued = 0;
  let after = { storedAt: new Date(now - options.maxAgeMs), id: "00000000-0000-0000-0000-000000000000" };
  for (;;) {
    const waiting = await findWaitingInboundMessages(deps.db, { after, storedBefore: new Date(now - WAITING_AFTER_MS), limit: options.limit });
    // Most are queued already while the worker has a backlog: only the others are added.
    await deps.queue.enqueueMany(conversationReplyJob, waiting.map(replyJobFor), { skipQueued: true });
    queued += waiting.length;
    const last = waiting.at(-1);
    if (!last || waiting.length < options.limit) return queued;
    after = last;
  }
}
