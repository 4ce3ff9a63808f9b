/**
 * The edge for customer messages (DESIGN §2), thin on purpose: pick the channel whose secret
 * checks the request from the shop address its unverified body names (the shop's own credentials,
 * else the deployment's: app/plugins/shop-channels.server.ts) → verify the signature on the raw body
 * → parse → the receiving address must belong to that same shop → dedupe on the provider's message
 * id → store (creating the customer on first contact) → enqueue → answer.
 * Every failure answers in a way the provider understands: 403 bad signature, 400 bad payload,
 * 404 unknown number, 503 queue down (the provider retries; nothing is lost).
 */
import { conversationReplyJob } from "../../jobs/conversation-reply.server";
import { QueueUnavailableError, type JobQueue } from "../../jobs/queues.server";
import { applyDeliveryStatus, findChannelAccount, storeInboundMessage } from "~/conversation/messages.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { InvalidPayloadError, NothingToReadError, ProviderError, type Channel, type InboundHttpRequest, type InboundMessage } from "~/plugins/types";

export interface ChannelWebhookDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  queue: JobQueue;
  /** Public origin of the app (SHOPIFY_APP_URL): providers sign the URL they called, not our Host. */
  publicUrl: string;
  /** The shop owning a receiving number/address (default: a database read; services pass a cache). */
  findAccount?: (provider: string, address: string) => Promise<{ shopId: string } | null>;
}

export interface ChannelWebhookSpec<C extends Channel = Channel> {
  /** The provider as stored on messages and channel accounts ("twilio"). */
  provider: string;
  /**
   * The channel whose secret verifies this request, chosen from the shop address its unverified
   * body names, and that shop (null: no shop owns it). Channel null: nothing can verify it.
   */
  resolve(rawBody: string): Promise<{ shopId: string | null; channel: C | null }>;
  /** What the provider expects as a successful answer (Twilio: empty TwiML). */
  ack: () => Response;
  /**
   * Reads the customer message from a verified request; default `channel.parseInbound`. Email
   * webhooks carry only metadata, so the email edge fetches the content here.
   */
  read?: (channel: C, request: InboundHttpRequest) => Promise<InboundMessage>;
}

export async function receiveChannelWebhook<C extends Channel>(deps: ChannelWebhookDeps, spec: ChannelWebhookSpec<C>, request: Request): Promise<Response> {
  const log = deps.logger.child({ edge: "channel-webhook", provider: spec.provider });
  if (request.method !== "POST") return text(405, "Method Not Allowed", { Allow: "POST" });
  const rawBody = await request.text();
  const { shopId, channel } = await spec.resolve(rawBody);
  if (!channel) {
    log.error("webhook received but no credentials can verify it", { shopId });
    return text(403, "channel not configured");
  }
  const requestUrl = new URL(request.url);
  const inboundRequest = { url: `${deps.publicUrl}${requestUrl.pathname}${requestUrl.search}`, headers: request.headers, rawBody };

  const verified = channel.verify(inboundRequest);
  if (!verified.ok) {
    log.warn("rejected webhook: bad signature", { shopId, reason: verified.reason });
    return text(403, "invalid signature");
  }

  let inbound: InboundMessage;
  try {
    // Delivery reports share the endpoint with customer messages on some providers.
    const statuses = channel.parseStatuses?.(inboundRequest) ?? [];
    if (statuses.length > 0) {
      for (const update of statuses) {
        // Only the messages of the shop whose number the report names (and whose secret checked it).
        const outcome = await applyDeliveryStatus(deps.db, { provider: spec.provider, update, now: deps.clock.now(), shopId });
        log.info("delivery status", { providerMessageId: update.providerMessageId, state: update.state, outcome });
      }
      return spec.ack();
    }
    inbound = spec.read ? await spec.read(channel, inboundRequest) : channel.parseInbound(inboundRequest);
  } catch (error) {
    if (error instanceof NothingToReadError) {
      log.info("webhook with nothing to read acknowledged", { reason: error.message });
      return spec.ack();
    }
    if (error instanceof InvalidPayloadError) {
      log.warn("rejected webhook: invalid payload", { reason: error.message });
      return text(400, error.message);
    }
    if (error instanceof ProviderError) {
      // The message's content could not be fetched: nothing stored, the provider retries later.
      log.error("could not read the message from the provider", { ...error.details, error: error.message });
      return text(error.details.retryable ? 503 : 502, "could not read the message from the provider", { "Retry-After": "30" });
    }
    throw error;
  }

  const account = await (deps.findAccount ?? ((provider: string, address: string) => findChannelAccount(deps.db, provider, address)))(spec.provider, inbound.to);
  if (!account) {
    log.warn("webhook for a number no shop owns", { to: inbound.to, providerMessageId: inbound.providerMessageId });
    return text(404, "unknown receiving address");
  }
  if (account.shopId !== shopId) {
    // Verified with another shop's secret (or the deployment's) than the one of the shop it is for.
    log.warn("rejected webhook: verified for another shop than the receiving address's", { shopId, receivingShopId: account.shopId });
    return text(403, "invalid signature");
  }

  const stored = await storeInboundMessage(deps.db, {
    shopId: account.shopId,
    provider: spec.provider,
    inbound,
    now: deps.clock.now(),
  });
  const message = stored.message;
  // A retry of a message that is already handled is acknowledged and nothing more. One that was
  // stored but whose enqueue failed (503 earlier) is enqueued again: the job id makes it one job.
  if (stored.outcome === "duplicate" && message.status !== "received") {
    log.info("duplicate delivery acknowledged", { messageId: message.id, providerMessageId: inbound.providerMessageId });
    return spec.ack();
  }
  try {
    await deps.queue.enqueue(conversationReplyJob, { shopId: account.shopId, messageId: message.id }, { jobId: message.id });
  } catch (error) {
    if (error instanceof QueueUnavailableError) {
      log.error("queue unavailable: asking the provider to retry", { messageId: message.id, error: error.message });
      return text(503, "temporarily unavailable", { "Retry-After": "5" });
    }
    throw error;
  }
  log.info("message accepted", { shopId: account.shopId, messageId: message.id, duplicate: stored.outcome === "duplicate" });
  return spec.ack();
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}

/** Twilio's "do nothing more" answer: https://www.twilio.com/docs/messaging/twiml */
export function emptyTwiml(): Response {
  return new Response('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', {
    status: 200,
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  });
}

/** A bare 200 for providers that only read the status (Resend/Svix, Meta). */
export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}
