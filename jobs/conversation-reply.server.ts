/** A customer message to answer: understand → decide → act → reply (app/conversation). */
import { handleInboundMessage, type EngineDeps } from "~/conversation/engine.server";
import { QUEUE_NAMES, type JobDefinition } from "./queues.server";

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
