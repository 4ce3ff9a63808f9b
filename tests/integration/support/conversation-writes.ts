/**
 * Conversations written as the app writes them, for data-layer tests: a customer's message stored
 * as the webhook stores it, and the AI's reply to it, each a little later on the test's clock.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { conversations, messages } from "../../../db/schema";
import { storeInboundMessage } from "../../../app/conversation/messages.server";
import type { Database } from "../../../app/db.server";
import type { ManualClock } from "../../../app/lib/clock";
import type { ChannelKind } from "../../../app/plugins/types";

type Stored = Awaited<ReturnType<typeof storeInboundMessage>>["message"];

export function conversationWrites(deps: { db: () => Database; clock: ManualClock }) {
  const { clock } = deps;
  const provider = (channel: ChannelKind) => (channel === "email" ? "resend" : "twilio");
  return {
    /** A customer's message, a minute after the previous one. */
    async inbound(shopId: string, channel: ChannelKind, from: string, to: string, body: string, extra: { subject?: string; emailMessageId?: string } = {}) {
      clock.advance(60_000);
      const stored = await storeInboundMessage(deps.db(), {
        shopId,
        provider: provider(channel),
        inbound: { providerMessageId: `in-${randomBytes(8).toString("hex")}`, channel, from, to, body, mediaUrls: [], raw: {}, ...extra },
        now: clock.now(),
      });
      return stored.message;
    },
    /** The AI's answer to `to`, two seconds later, kept in the outbox. */
    async aiReply(shopId: string, to: Pick<Stored, "id" | "conversationId" | "customerId" | "channel" | "fromAddress" | "toAddress">, body: string) {
      clock.advance(2_000);
      await deps.db().insert(messages).values({
        shopId,
        conversationId: to.conversationId,
        customerId: to.customerId,
        direction: "outbound",
        author: "ai",
        channel: to.channel,
        provider: provider(to.channel),
        fromAddress: to.toAddress,
        toAddress: to.fromAddress,
        body,
        status: "outbox",
        inReplyTo: to.id,
        createdAt: clock.now(),
      });
      // What the engine writes on its first reply in a conversation.
      await deps
        .db()
        .update(conversations)
        .set({ aiRepliedAt: clock.now() })
        .where(and(eq(conversations.id, to.conversationId), isNull(conversations.aiRepliedAt)));
    },
  };
}
