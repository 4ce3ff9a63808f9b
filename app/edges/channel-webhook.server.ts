/**
 * The edge for customer messages (DESIGN §2), thin on purpose: pick the channel whose secret
 * checks the request from the shop address its unverified body names (the shop's own credentials,
 * else the deployment's: app/plugins/shop-channels.server.ts) → verify the signature on the raw body
 * → parse → the receiving address must belong to that same shop → dedupe on the provider's message
 * id → store (creating the customer on first contact) → answer, its reply job queued meanwhile.
 * Under load, messages verified at the same time are stored in one statement and queued in one
 * round trip (the intake). Every failure answers in a way the provider understands: 403 bad
 * signature, 400 bad payload, 404 unknown number. A stored message is acknowledged whatever becomes
 * of its job (Redis down): the worker queues it once Redis is back (queueWaitingInboundMessages),
 * so nothing depends on the provider retrying, which Twilio does not do for a 5xx by default
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides).
 */
import { queueReplyJobsOf } from "../../jobs/conversation-intake.server";
import { QueueUnavailableError, type JobQueue } from "../../jobs/queues.server";
import { analyzeStoreTables, applyDeliveryStatus, createStorePlanCache, findChannelAccount, storeInboundMessages, type InboundToStore, type MessageRow, type StoreInboundResult } from "~/conversation/messages.server";
import { createBatcher } from "~/lib/batcher";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { InvalidPayloadError, NothingToReadError, ProviderError, type Channel, type InboundHttpRequest, type InboundMessage } from "~/plugins/types";

/** What the edge reads of a webhook request: a Fetch `Request` has it, and so does the lighter one server/channel-webhooks.ts builds. */
export type WebhookRequest = Pick<Request, "method" | "url" | "text"> & { headers: Pick<Headers, "get"> };

/**
 * What an edge answers the provider: a status, headers (names lower-cased) and a text body. Not a
 * Fetch `Response`: building one (its body stream) and reading it back for the socket were about 8%
 * of the web process's busy time at 1,000 webhooks/s (CPU profile of `npm run bench`), for an
 * answer that is a constant most of the time. server/channel-webhooks.ts writes it as it is.
 */
export interface WebhookAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ChannelWebhookDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Public origin of the app (SHOPIFY_APP_URL): providers sign the URL they called, not our Host. */
  publicUrl: string;
  /** The shop owning a receiving number/address (default: a database read; services pass a cache). */
  findAccount?: (provider: string, address: string) => Promise<{ shopId: string } | null>;
  /** Stores a verified message and has its reply job queued (`createBatchedIntake`). */
  intake: InboundIntake;
}

/** What became of a verified customer message, known once it is stored. */
export type IntakeOutcome =
  /** A provider retry of a message already being answered or answered: nothing more to do. */
  | { kind: "handled-before"; message: MessageRow }
  /** Stored (now, or by an earlier delivery whose reply job was not queued): its reply job is being queued. */
  | { kind: "accepted"; message: MessageRow; duplicate: boolean };

/**
 * Stores a verified message and has its reply job queued. The promise settles once the message is
 * stored: the provider's answer waits for the message to be ours, not also for Redis.
 */
export type InboundIntake = (input: InboundToStore) => Promise<IntakeOutcome>;

/** A batched intake, and how to wait for the reply jobs it is still queueing (shutdown). */
export type BatchedIntake = InboundIntake & {
  /** Settles once every reply job asked for so far is queued, or its failure logged. */
  drain(): Promise<void>;
};

const handledBefore = (stored: StoreInboundResult) => stored.outcome === "duplicate" && stored.message.status !== "received";

/**
 * The intake for a busy process: messages verified while earlier ones are being stored go together
 * (app/lib/batcher.ts), in one statement, and their reply jobs in one Redis round trip (one intake
 * job per batch, which the worker fans out: jobs/conversation-intake.server.ts). One batch is
 * stored at a time: with two, every other batch left with one message, whose statement costs
 * nearly what a batch of twenty does (measured on `npm run bench` with the worker running:
 * 1,234–1,254 webhooks/s with one, 970–1,064/s with two).
 *
 * Each message is answered once its batch is stored; the batch's job is queued meanwhile (each
 * reply job's id is its message's id, so a message queued twice is one reply). Waiting for Redis as well added its
 * round trip to every answer: 4 ms at the median and 17 ms at the 99th percentile of the time the
 * edge took at 1,000 webhooks/s (17 and 55 ms in all), on `npm run bench`. Nothing depends on it:
 * a stored message whose job Redis refuses (down) or loses (the process stops first) stays
 * "received", and the worker queues those again (queueWaitingInboundMessages, within a minute);
 * a provider's retry of one is queued again at once. A provider retry of a message already
 * handled is only acknowledged.
 */
export function createBatchedIntake(deps: { db: Database; queue: JobQueue; logger: Logger }, limits = { maxBatch: 64, maxInFlight: 1 }): BatchedIntake {
  const log = deps.logger.child({ component: "webhook-intake" });
  // Planned once per connection and table size, from fresh statistics, not for every batch (createStorePlanCache).
  const plan = createStorePlanCache({
    analyze: () => analyzeStoreTables(deps.db),
    onAnalyzeError: (error) => log.warn("could not analyze the tables messages are stored in", { error: error instanceof Error ? error.message : String(error) }),
  });
  const queueing = new Set<Promise<void>>();
  const queueReplyJobs = (stored: StoreInboundResult[]) => {
    const toQueue = stored.filter((one) => !handledBefore(one)).map(({ message }) => message);
    if (toQueue.length === 0) return;
    // After the batch's answers are written (they are continuations of this run, setImmediate comes
    // after them): building a job costs about 0.1 ms, which every answer of the batch waited for.
    const queued: Promise<void> = new Promise((resolve) => setImmediate(resolve))
      .then(() => queueReplyJobsOf(deps.queue, toQueue))
      .catch((error: unknown) => {
        const why = error instanceof QueueUnavailableError ? "queue unavailable" : "could not queue reply jobs";
        log.error(`${why}: messages stored, the worker will queue them`, { messageIds: toQueue.map((message) => message.id), error });
      })
      .finally(() => queueing.delete(queued));
    queueing.add(queued);
  };
  const store = createBatcher({
    run: async (inputs: InboundToStore[]) => {
      const stored = await storeInboundMessages(deps.db, inputs, { plan });
      queueReplyJobs(stored);
      return stored.map((one): IntakeOutcome => (handledBefore(one) ? { kind: "handled-before", message: one.message } : { kind: "accepted", message: one.message, duplicate: one.outcome === "duplicate" }));
    },
    ...limits,
  });
  return Object.assign((input: InboundToStore) => store(input), {
    async drain() {
      while (queueing.size > 0) await Promise.allSettled([...queueing]);
    },
  });
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
  ack: () => WebhookAnswer;
  /**
   * Reads the customer message from a verified request; default `channel.parseInbound`. Email
   * webhooks carry only metadata, so the email edge fetches the content here.
   */
  read?: (channel: C, request: InboundHttpRequest) => Promise<InboundMessage>;
}

export async function receiveChannelWebhook<C extends Channel>(deps: ChannelWebhookDeps, spec: ChannelWebhookSpec<C>, request: WebhookRequest): Promise<WebhookAnswer> {
  const log = deps.logger.child({ edge: "channel-webhook", provider: spec.provider });
  if (request.method !== "POST") return textAnswer(405, "Method Not Allowed", { Allow: "POST" });
  const rawBody = await request.text();
  const { shopId, channel } = await spec.resolve(rawBody);
  if (!channel) {
    log.error("webhook received but no credentials can verify it", { shopId });
    return textAnswer(403, "channel not configured");
  }
  const requestUrl = new URL(request.url);
  const inboundRequest = { url: `${deps.publicUrl}${requestUrl.pathname}${requestUrl.search}`, headers: request.headers, rawBody };

  const verified = channel.verify(inboundRequest);
  if (!verified.ok) {
    log.warn("rejected webhook: bad signature", { shopId, reason: verified.reason });
    return textAnswer(403, "invalid signature");
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
      return textAnswer(400, error.message);
    }
    if (error instanceof ProviderError) {
      // The message's content could not be fetched: nothing stored, the provider retries later.
      log.error("could not read the message from the provider", { ...error.details, error: error.message });
      return textAnswer(error.details.retryable ? 503 : 502, "could not read the message from the provider", { "Retry-After": "30" });
    }
    throw error;
  }

  const account = await (deps.findAccount ?? ((provider: string, address: string) => findChannelAccount(deps.db, provider, address)))(spec.provider, inbound.to);
  if (!account) {
    log.warn("webhook for a number no shop owns", { to: inbound.to, providerMessageId: inbound.providerMessageId });
    return textAnswer(404, "unknown receiving address");
  }
  if (account.shopId !== shopId) {
    // Verified with another shop's secret (or the deployment's) than the one of the shop it is for.
    log.warn("rejected webhook: verified for another shop than the receiving address's", { shopId, receivingShopId: account.shopId });
    return textAnswer(403, "invalid signature");
  }

  const input = { shopId: account.shopId, provider: spec.provider, inbound, now: deps.clock.now() };
  const outcome = await deps.intake(input);
  const message = outcome.message;
  if (outcome.kind === "handled-before") {
    log.info("duplicate delivery acknowledged", { messageId: message.id, providerMessageId: inbound.providerMessageId });
    return spec.ack();
  }
  log.info("message accepted", { shopId: account.shopId, messageId: message.id, duplicate: outcome.duplicate });
  return spec.ack();
}

/** A plain-text answer (errors, Meta's handshake challenge). */
export function textAnswer(status: number, body: string, headers: Record<string, string> = {}): WebhookAnswer {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", ...lowerCased(headers) }, body };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Twilio's "do nothing more" answer: https://www.twilio.com/docs/messaging/twiml */
const EMPTY_TWIML: WebhookAnswer = Object.freeze({
  status: 200,
  headers: Object.freeze({ "content-type": "text/xml; charset=utf-8" }),
  body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
});
export const emptyTwiml = (): WebhookAnswer => EMPTY_TWIML;

/** A bare 200 for providers that only read the status (Resend/Svix, Meta). */
const EMPTY_OK: WebhookAnswer = Object.freeze({ status: 200, headers: Object.freeze({}), body: "" });
export const emptyOk = (): WebhookAnswer => EMPTY_OK;
