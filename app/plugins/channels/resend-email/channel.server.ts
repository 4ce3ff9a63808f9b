/**
 * The resend-email `Channel`: verifies Resend's Svix-signed webhooks, reads `email.received`
 * events (fetching the received email's content) and delivery events (`email.delivered`,
 * `email.bounced` …, which share the endpoint), and sends email.
 *
 * Why plain `fetch` and not the `resend` SDK: the SDK (≥ 6) accepts a `baseUrl` option, but it
 * turns every failure into `{ error }` with the status taken from the error body, folds timeouts
 * and refused connections into one `statusCode: null` "application_error", and has no per-request
 * timeout; our retry decision needs the HTTP status and a network/timeout distinction. The two
 * calls we make are small JSON requests (POST /emails, GET /emails/receiving/{id}), so the plugin
 * speaks the REST API directly and adds no dependency.
 * https://resend.com/docs/api-reference/emails/send-email
 * https://resend.com/docs/api-reference/emails/retrieve-received-email
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import {
  InvalidPayloadError,
  NothingToReadError,
  ProviderError,
  type Channel,
  type DeliveryState,
  type DeliveryStatusUpdate,
  type InboundHttpRequest,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
  type VerifyResult,
} from "~/plugins/types";
import type { ResendEmailConfig } from "./config";
import { stripQuotes } from "./strip-quotes";

const PROVIDER = "resend";
const DEFAULT_TIMEOUT_MS = 10_000;
/** Svix and its libraries refuse a timestamp more than 5 minutes away from now (replay protection). */
export const SVIX_TOLERANCE_SECONDS = 5 * 60;

/** An outgoing email: `OutboundMessage` with its email fields (subject, html, threading). */
export type EmailOutbound = OutboundMessage;

/** A `Channel` that can also fetch the content of a received email (webhooks carry only metadata). */
export interface ResendEmailChannel extends Channel {
  /**
   * Parse an `email.received` webhook (it does NOT verify it: call `verify` first) and fetch the
   * email through the Received-emails API, so that `body` is the customer's text (quotes and
   * signature stripped) rather than the empty body the webhook alone gives `parseInbound`.
   * Throws `InvalidPayloadError` for another event or a malformed payload, `ProviderError` when
   * Resend cannot give the email (retryable on 5xx/429/network).
   */
  fetchInbound(request: InboundHttpRequest): Promise<InboundMessage>;
  parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[];
  send(message: EmailOutbound): Promise<SendResult>;
}

export interface ResendEmailChannelDeps {
  config: ResendEmailConfig;
  logger: Logger;
  /** Webhook timestamps are checked against it (±5 min). */
  clock: Clock;
  /** Per-request timeout of the REST calls. Default 10 s. */
  timeoutMs?: number;
}

// ─────────────────────────────── Svix signatures ───────────────────────────────

export interface SvixInput {
  secret: string;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  rawBody: string;
  /** Now, for the tolerance check; null turns the check off (old documented vectors only). */
  now: Date | null;
  toleranceSeconds?: number;
}

/**
 * Svix / Standard Webhooks: HMAC-SHA256 keyed with base64decode(secret without `whsec_`) over
 * `${id}.${timestamp}.${rawBody}`; the header holds space-delimited `v1,<base64>` entries (several
 * during a secret rotation), any one matching is enough. https://docs.svix.com/receiving/verifying-payloads/how-manual
 */
export function verifySvixSignature(input: SvixInput): VerifyResult {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing svix-id, svix-timestamp or svix-signature header" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "svix-timestamp is not Unix seconds" };
  if (input.now !== null) {
    const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
    if (skew > (input.toleranceSeconds ?? SVIX_TOLERANCE_SECONDS)) {
      return { ok: false, reason: "svix-timestamp is outside the 5-minute tolerance (replayed or delayed webhook, or a wrong clock)" };
    }
  }
  const key = Buffer.from(input.secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${input.rawBody}`).digest();
  for (const entry of signature.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "svix-signature does not match (check the webhook signing secret; the body must be the raw bytes received)" };
}

// ─────────────────────────────── payloads ───────────────────────────────

interface ReceivedEvent {
  emailId: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  createdAt: string;
  text: string | null;
  attachments: string[];
  raw: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** `Julie Martin <Julie@Example.fr>` → `julie@example.fr`. */
export function emailAddress(value: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return (angle?.[1] ?? value).trim().toLowerCase();
}

/**
 * The shop addresses a Resend webhook is about, read BEFORE it is verified so that the app can pick
 * whose signing secret checks it: the recipients of an inbound email (`email.received`), the
 * sender of the email a delivery event reports on. [] for a body that is not a Resend event.
 */
export function resendShopAddresses(rawBody: string): string[] {
  let payload: Record<string, unknown>;
  try {
    payload = parseWebhookBody(rawBody);
  } catch (error) {
    if (error instanceof InvalidPayloadError) return [];
    throw error;
  }
  const data = payload.data;
  if (!isRecord(data)) return [];
  const addresses = payload.type === "email.received" ? stringsOf(data.to) : stringsOf(data.from);
  return [...new Set(addresses.map(emailAddress))];
}

function parseWebhookBody(rawBody: string): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new InvalidPayloadError("Resend webhook body is not JSON");
  }
  if (!isRecord(payload)) throw new InvalidPayloadError("Resend webhook body is not a JSON object");
  return payload;
}

function parseReceivedEvent(rawBody: string): ReceivedEvent {
  const payload = parseWebhookBody(rawBody);
  // Delivery events (email.delivered, email.bounced …) share the endpoint; they are not customer
  // messages. Other events (contact.*, domain.*, types added later) carry nothing for us: they are
  // acknowledged rather than refused, or Resend would retry them for a day.
  // https://resend.com/docs/dashboard/webhooks/event-types
  if (payload.type !== "email.received") {
    const type = String(payload.type);
    if (RESEND_DELIVERY_STATE.has(type)) throw new InvalidPayloadError(`Resend ${type} event, not an inbound email (email.received): read it with parseStatuses`);
    throw new NothingToReadError(`Resend ${type} event, neither an inbound email nor a delivery report`);
  }
  const data = payload.data;
  if (!isRecord(data)) throw new InvalidPayloadError("Resend email.received without data");
  const emailId = typeof data.email_id === "string" ? data.email_id : "";
  const from = typeof data.from === "string" ? data.from : "";
  const to = stringsOf(data.to);
  if (emailId === "") throw new InvalidPayloadError("Resend email.received without data.email_id");
  if (from === "") throw new InvalidPayloadError("Resend email.received without data.from");
  if (to.length === 0) throw new InvalidPayloadError("Resend email.received without data.to");
  const subject = typeof data.subject === "string" ? data.subject : "";
  const messageId = typeof data.message_id === "string" ? data.message_id : "";
  const createdAt = typeof data.created_at === "string" ? data.created_at : typeof payload.created_at === "string" ? payload.created_at : "";
  const attachments = Array.isArray(data.attachments)
    ? data.attachments.flatMap((item) => (isRecord(item) && typeof item.id === "string" ? [item.id] : []))
    : [];
  return {
    emailId,
    from,
    to,
    subject,
    messageId,
    createdAt,
    // Resend documents no body in the webhook; take one if it ever comes.
    text: typeof data.text === "string" ? data.text : null,
    attachments,
    raw: {
      type: "email.received",
      email_id: emailId,
      from,
      to: to.join(", "),
      cc: stringsOf(data.cc).join(", "),
      subject,
      message_id: messageId,
      created_at: createdAt,
      attachment_ids: attachments.join(", "),
      payload: rawBody,
    },
  };
}

/**
 * Resend's delivery events → `DeliveryState`. The choices where the mapping is not obvious:
 * - `email.delivery_delayed` → "sent": the email left Resend (`email.sent` came first) and the
 *   recipient's server asked it to try again later (full mailbox, greylisting); "queued" would read
 *   as "not sent yet". The outcome follows as `email.delivered` or `email.bounced`.
 * - `email.complained` → "delivered", no error: the email did arrive and the customer marked it as
 *   spam. "failed" would be false, and final. `providerStatus` "email.complained" is the mark the
 *   app reads to stop emailing that customer.
 * - `email.opened` / `email.clicked` → "read": an open is seen only with open tracking on and images
 *   loaded, and a click implies an open.
 * - `email.bounced`, `email.failed` (Resend could not send: quota, unverified domain …) and
 *   `email.suppressed` (the address is on a suppression list) → "failed".
 * https://resend.com/docs/dashboard/webhooks/event-types
 */
const RESEND_DELIVERY_STATE: ReadonlyMap<string, DeliveryState> = new Map([
  ["email.scheduled", "queued"],
  ["email.sent", "sent"],
  ["email.delivery_delayed", "sent"],
  ["email.delivered", "delivered"],
  ["email.complained", "delivered"],
  ["email.opened", "read"],
  ["email.clicked", "read"],
  ["email.bounced", "failed"],
  ["email.failed", "failed"],
  ["email.suppressed", "failed"],
]);

function textOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Why a "failed" event failed. Bounces carry `bounce: { type, subType, message }` (SES words:
 * Permanent/Transient, General/Suppressed/MailboxFull …): the code is `bounce:Permanent:Suppressed`.
 * `email.failed` carries `failed: { reason }` (`reached_daily_quota`): `failed:reached_daily_quota`.
 * `email.suppressed` carries `suppressed: { type, message }`: `suppressed:OnAccountSuppressionList`.
 */
function failureOf(type: string, data: Record<string, unknown>): { code: string; message: string | null; raw: Record<string, string> } {
  const part = (name: string): Record<string, unknown> => (isRecord(data[name]) ? data[name] : {});
  if (type === "email.bounced") {
    const bounce = part("bounce");
    const [kind, subKind, message] = [textOf(bounce.type), textOf(bounce.subType), textOf(bounce.message)];
    return {
      code: ["bounce", kind ?? "unknown", ...(subKind === null ? [] : [subKind])].join(":"),
      message,
      raw: { bounce_type: kind ?? "", bounce_sub_type: subKind ?? "", bounce_message: message ?? "" },
    };
  }
  if (type === "email.suppressed") {
    const suppressed = part("suppressed");
    const [kind, message] = [textOf(suppressed.type), textOf(suppressed.message)];
    return { code: `suppressed:${kind ?? "unknown"}`, message, raw: { suppressed_type: kind ?? "", suppressed_message: message ?? "" } };
  }
  const reason = textOf(part("failed").reason);
  return { code: `failed:${reason ?? "unknown"}`, message: reason === null ? null : `Resend could not send the email: ${reason.replace(/_/g, " ")}`, raw: { failed_reason: reason ?? "" } };
}

/** Delivery reports in a Resend webhook; [] for `email.received` and for events about other things. */
function parseDeliveryEvent(rawBody: string): DeliveryStatusUpdate[] {
  const payload = parseWebhookBody(rawBody);
  const type = typeof payload.type === "string" ? payload.type : "";
  const state = RESEND_DELIVERY_STATE.get(type);
  if (state === undefined) return [];
  const data = payload.data;
  if (!isRecord(data)) throw new InvalidPayloadError(`Resend ${type} without data`);
  const providerMessageId = textOf(data.email_id);
  if (providerMessageId === null) throw new InvalidPayloadError(`Resend ${type} without data.email_id`);
  const createdAt = textOf(payload.created_at);
  const at = createdAt === null ? null : new Date(createdAt);
  const failure = state === "failed" ? failureOf(type, data) : null;
  return [
    {
      providerMessageId,
      state,
      providerStatus: type,
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
      at: at !== null && !Number.isNaN(at.getTime()) ? at : null,
      raw: {
        type,
        email_id: providerMessageId,
        created_at: createdAt ?? "",
        to: stringsOf(data.to).join(", "),
        ...failure?.raw,
        payload: rawBody,
      },
    },
  ];
}

/** A very small HTML → text for emails that come without a text part. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, "\n") // the quoted conversation
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n");
}

// ─────────────────────────────── channel ───────────────────────────────

export function createResendEmailChannel({ config, logger, clock, timeoutMs = DEFAULT_TIMEOUT_MS }: ResendEmailChannelDeps): ResendEmailChannel {
  const log = logger.child({ plugin: "resend-email" });
  const base = config.apiBaseUrl.replace(/\/+$/, "");
  const shopDomain = emailAddress(config.fromAddress).split("@")[1] ?? "";

  /** Our receiving address: the first recipient on the shop's domain, else the first one. */
  function receivingAddress(to: string[]): string {
    const addresses = to.map(emailAddress);
    return addresses.find((address) => address.split("@")[1] === shopDomain) ?? addresses[0] ?? "";
  }

  function message(event: ReceivedEvent, body: string, extraRaw: Record<string, string> = {}): InboundMessage {
    return {
      providerMessageId: event.emailId,
      channel: "email",
      from: emailAddress(event.from),
      to: receivingAddress(event.to),
      body,
      mediaUrls: [],
      subject: extraRaw.subject ?? event.subject,
      ...((extraRaw.message_id ?? event.messageId) ? { emailMessageId: extraRaw.message_id ?? event.messageId } : {}),
      raw: { ...event.raw, ...extraRaw },
    };
  }

  async function call(path: string, init: RequestInit, what: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${config.apiKey}`, "User-Agent": "coccinelle-resend-email", ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ProviderError(`Resend could not be reached (${what}): ${reason}`, { provider: PROVIDER, code: "network", retryable: true });
    }
    const text = await response.text().catch(() => "");
    let body: unknown = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      // Resend's errors: `{ statusCode, name, message }`. https://resend.com/docs/api-reference/errors
      const name = isRecord(body) && typeof body.name === "string" ? body.name : undefined;
      const detail = isRecord(body) && typeof body.message === "string" ? body.message : text.slice(0, 200);
      const status = response.status;
      throw new ProviderError(`Resend refused ${what} (HTTP ${status}${name ? `, ${name}` : ""}): ${detail}`, {
        provider: PROVIDER,
        status,
        ...(name === undefined ? {} : { code: name }),
        // 5xx: Resend's side; 429: rate limited (2 requests/s by default); other 4xx repeat the same way.
        retryable: status >= 500 || status === 429 || status === 408,
      });
    }
    return body;
  }

  return {
    provider: PROVIDER,
    channel: "email",
    // Emails have no practical length limit; 100k characters keeps a runaway reply out. Attachments exist.
    capabilities: { maxLength: 100_000, media: true },

    verify(request: InboundHttpRequest): VerifyResult {
      try {
        return verifySvixSignature({
          secret: config.webhookSecret,
          id: request.headers.get("svix-id"),
          timestamp: request.headers.get("svix-timestamp"),
          signature: request.headers.get("svix-signature"),
          rawBody: request.rawBody,
          now: clock.now(),
        });
      } catch (error) {
        return { ok: false, reason: `cannot check the signature: ${error instanceof Error ? error.message : String(error)}` };
      }
    },

    parseInbound(request: InboundHttpRequest): InboundMessage {
      const event = parseReceivedEvent(request.rawBody);
      return message(event, event.text === null ? "" : stripQuotes(event.text));
    },

    parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[] {
      return parseDeliveryEvent(request.rawBody);
    },

    async fetchInbound(request: InboundHttpRequest): Promise<InboundMessage> {
      const event = parseReceivedEvent(request.rawBody);
      const email = await call(`/emails/receiving/${encodeURIComponent(event.emailId)}`, { method: "GET" }, "the received email");
      if (!isRecord(email)) throw new ProviderError("Resend answered the received email with no JSON object", { provider: PROVIDER, status: 200, retryable: true });
      const text = typeof email.text === "string" && email.text.trim() !== "" ? email.text : null;
      const html = typeof email.html === "string" ? email.html : null;
      const body = stripQuotes(text ?? (html === null ? "" : htmlToText(html)));
      const headers = isRecord(email.headers) ? email.headers : {};
      const header = (name: string): string => {
        const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
        return typeof value === "string" ? value : "";
      };
      log.info("received email fetched", { providerMessageId: event.emailId, textPart: text !== null, htmlPart: html !== null });
      return message(event, body, {
        subject: typeof email.subject === "string" ? email.subject : event.subject,
        message_id: typeof email.message_id === "string" && email.message_id !== "" ? email.message_id : event.messageId,
        in_reply_to: header("in-reply-to"),
        references: header("references"),
        text: text ?? "",
        html: html ?? "",
      });
    },

    async send(outbound: EmailOutbound): Promise<SendResult> {
      const headers: Record<string, string> = {};
      if (outbound.inReplyTo) {
        headers["In-Reply-To"] = outbound.inReplyTo;
        headers.References = [...(outbound.references ?? []).filter((id) => id !== outbound.inReplyTo), outbound.inReplyTo].join(" ");
      }
      // One-click unsubscribe for bulk senders (Gmail/Yahoo 2024 rules). https://resend.com/docs/dashboard/emails/add-unsubscribe-to-transactional-emails
      if (config.listUnsubscribe) headers["List-Unsubscribe"] = config.listUnsubscribe;
      const subject = outbound.subject ?? config.defaultSubject;
      const payload = {
        from: outbound.from !== "" ? outbound.from : config.fromAddress,
        to: [outbound.to],
        subject,
        text: outbound.body,
        ...(outbound.html === undefined ? {} : { html: outbound.html }),
        ...(outbound.replyTo === undefined ? {} : { reply_to: outbound.replyTo }),
        ...(Object.keys(headers).length === 0 ? {} : { headers }),
      };
      try {
        const created = await call(
          "/emails",
          {
            method: "POST",
            // Our message id as Idempotency-Key: a retried job within 24 h sends one email, not two.
            // https://resend.com/docs/dashboard/emails/idempotency-keys
            headers: { "Content-Type": "application/json", "Idempotency-Key": outbound.messageId },
            body: JSON.stringify(payload),
          },
          "the email",
        );
        const id = isRecord(created) && typeof created.id === "string" ? created.id : "";
        if (id === "") {
          throw new ProviderError("Resend accepted the email but returned no id", { provider: PROVIDER, status: 200, retryable: false });
        }
        log.info("email handed to Resend", { messageId: outbound.messageId, providerMessageId: id });
        // Resend answers only the id; delivery comes later as email.delivered / email.bounced webhooks.
        return { providerMessageId: id, status: "accepted" };
      } catch (error) {
        const providerError =
          error instanceof ProviderError ? error : new ProviderError(`Resend send failed: ${String(error)}`, { provider: PROVIDER, retryable: false });
        log.warn("Resend refused the email", { messageId: outbound.messageId, ...providerError.details });
        throw providerError;
      }
    },
  };
}
