/**
 * The meta-whatsapp `Channel`: WhatsApp through Meta's Cloud API, without a middleman.
 *
 * - Webhooks: one callback URL receives customer messages AND delivery statuses
 *   (`entry[].changes[].value.messages` / `.statuses`), signed with the App Secret in
 *   `X-Hub-Signature-256`. Meta first checks the URL with a GET handshake (`verifySubscription`).
 *   https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 * - Sending: `POST {graphBaseUrl}/{graphVersion}/{phoneNumberId}/messages` with a Bearer token.
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 *
 * Plain `fetch` rather than an SDK: two JSON shapes, and our retry decision needs the HTTP status,
 * Meta's `error.code` and a timeout/network distinction.
 *
 * Once-only delivery: the Cloud API has NO idempotency key. What the app guarantees is that the
 * reply is stored (with our message id) before `send`, so a retried job sends that same reply and a
 * reply already marked sent is never sent again. What it cannot guarantee: when a request times out
 * or the connection drops after Meta accepted it, the retry sends the message a second time. The
 * errors say so (`code: "timeout"` vs a refused connection) so that the job layer can tell them apart.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
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
import type { MetaWhatsappConfig } from "./config";

const PROVIDER = "meta";
const DEFAULT_TIMEOUT_MS = 10_000;

/** Meta's answer to the GET handshake: echo `hub.challenge` when the token is ours. */
export type SubscriptionResult = { ok: true; challenge: string } | { ok: false; reason: string };

export interface MetaWhatsappChannel extends Channel {
  /**
   * The GET handshake Meta makes when the callback URL is saved in the App Dashboard:
   * `hub.mode=subscribe`, `hub.verify_token` (ours, compared in constant time) and
   * `hub.challenge`, to be answered as the plain-text body of a 200. Never throws.
   * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
   */
  verifySubscription(url: URL): SubscriptionResult;
  /** Statuses and messages share the callback URL: statuses are read here, [] for a customer message. */
  parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[];
}

export interface MetaWhatsappChannelDeps {
  config: MetaWhatsappConfig;
  logger: Logger;
  /** Per-request timeout of the Graph calls (connect + response). Default 10 s. */
  timeoutMs?: number;
}

/**
 * Meta error codes that mean "too many, too fast": they come back as HTTP 400 (not 429), so the
 * status alone would call them final. https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 *   4       API Too Many Calls (app-level rate limit)
 *   80007   the WhatsApp Business Account reached its rate limit
 *   130429  Cloud API throughput reached (messages per second of the number)
 *   131048  spam rate limit (quality-based; may last longer than the job's backoff)
 *   131056  pair rate limit: too many messages to the same customer in a short time
 */
export const META_THROTTLING_CODES: ReadonlySet<number> = new Set([4, 80007, 130429, 131048, 131056]);

/** "Re-engagement message": free text outside the 24-hour customer service window; a template is needed. */
export const META_OUTSIDE_WINDOW_CODE = 131047;

// ─────────────────────────────── signatures ───────────────────────────────

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(App Secret, raw body)>`, compared in constant
 * time. Meta signs the bytes it sends (with unicode escaped), so only the raw body matches, never
 * re-serialised JSON. Never throws.
 */
export function verifyMetaSignature(appSecret: string, rawBody: string, header: string | null): VerifyResult {
  try {
    if (!header) return { ok: false, reason: "missing X-Hub-Signature-256 header" };
    const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())?.[1];
    if (!hex) return { ok: false, reason: "X-Hub-Signature-256 is not sha256=<64 hex digits>" };
    const expected = createHmac("sha256", appSecret).update(rawBody, "utf8").digest();
    if (timingSafeEqual(Buffer.from(hex, "hex"), expected)) return { ok: true };
    return { ok: false, reason: "X-Hub-Signature-256 does not match (check the App secret; the body must be the raw bytes received)" };
  } catch (error) {
    return { ok: false, reason: `cannot check the signature: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Constant-time equality of two secrets of any lengths (their digests have the same length). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

// ─────────────────────────────── payloads ───────────────────────────────

type JsonObject = Record<string, unknown>;

interface WebhookChange {
  wabaId: string;
  field: string;
  value: JsonObject;
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Meta writes ids and timestamps as strings, error codes as numbers: both read as text. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function records(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function required(value: unknown, what: string): string {
  const found = text(value);
  if (found === undefined || found === "") throw new InvalidPayloadError(`Meta WhatsApp webhook without ${what}`);
  return found;
}

/** Every `entry[].changes[]` of a WhatsApp Business Account webhook. */
function webhookChanges(rawBody: string): WebhookChange[] {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new InvalidPayloadError("Meta webhook body is not JSON");
  }
  if (!isRecord(payload)) throw new InvalidPayloadError("Meta webhook body is not a JSON object");
  if (payload.object !== "whatsapp_business_account") {
    throw new InvalidPayloadError(`Meta webhook for object ${String(payload.object)}, not whatsapp_business_account`);
  }
  if (!Array.isArray(payload.entry)) throw new InvalidPayloadError("Meta webhook without entry[]");
  return records(payload.entry).flatMap((entry) =>
    records(entry.changes).flatMap((change) =>
      isRecord(change.value) ? [{ wabaId: text(entry.id) ?? "", field: text(change.field) ?? "", value: change.value }] : [],
    ),
  );
}

/**
 * `16505551234` (a wa_id) or `+1 555-078-3881` (a display number) → `+16505551234`. Meta writes
 * numbers without the `+`; the app keys customers and channel accounts on E.164.
 */
export function metaNumberToE164(value: string, field: string): string {
  const digits = value.replace(/[\s().-]/g, "").replace(/^\+/, "");
  if (!/^[1-9]\d{1,14}$/.test(digits)) throw new InvalidPayloadError(`Meta WhatsApp webhook whose ${field} is not a phone number`);
  return `+${digits}`;
}

/**
 * The shop's WhatsApp numbers a webhook is about (`metadata.display_phone_number`, on messages and
 * statuses alike), read BEFORE it is verified so that the app can pick whose app secret checks it.
 * [] for a body that is not a WhatsApp Business Account webhook.
 */
export function metaShopAddresses(rawBody: string): string[] {
  try {
    const numbers = webhookChanges(rawBody).flatMap((change) => {
      const display = isRecord(change.value.metadata) ? text(change.value.metadata.display_phone_number) : undefined;
      return display ? [metaNumberToE164(display, "metadata.display_phone_number")] : [];
    });
    return [...new Set(numbers)];
  } catch (error) {
    if (error instanceof InvalidPayloadError) return [];
    throw error;
  }
}

const MEDIA_TYPES = ["image", "audio", "video", "document", "sticker"] as const;
type MediaType = (typeof MEDIA_TYPES)[number];

function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

/** The readable body of one inbound message, its media ids, and what raw keeps of its content. */
function content(message: JsonObject, type: string): { body: string; mediaIds: string[]; raw: Record<string, string> } {
  const part = isRecord(message[type]) ? message[type] : {};
  if (type === "text") {
    const body = text(part.body);
    if (body === undefined) throw new InvalidPayloadError("Meta WhatsApp text message without text.body");
    return { body, mediaIds: [], raw: {} };
  }
  if (isMediaType(type)) {
    const mediaId = required(part.id, `${type}.id`);
    const raw: Record<string, string> = { media_id: mediaId };
    for (const key of ["mime_type", "sha256", "caption", "filename", "url"] as const) {
      const value = text(part[key]);
      if (value !== undefined) raw[key === "url" ? "media_download_url" : key] = value;
    }
    // Audio, stickers have no caption: an empty body with a media reference.
    return { body: text(part.caption) ?? "", mediaIds: [mediaId], raw };
  }
  if (type === "interactive") {
    // Replies to our reply buttons / list rows: the customer saw and "said" the title; the id
    // (ours, chosen when sending) stays in raw. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/interactive
    const kind = text(part.type) ?? "";
    const reply = isRecord(part[kind]) ? part[kind] : {};
    const raw: Record<string, string> = { interactive_type: kind };
    for (const key of ["id", "title", "description"] as const) {
      const value = text(reply[key]);
      if (value !== undefined) raw[`reply_${key}`] = value;
    }
    return { body: kind === "button_reply" || kind === "list_reply" ? (text(reply.title) ?? "") : "", mediaIds: [], raw };
  }
  if (type === "button") {
    // A quick-reply button of a template: `text` is the label, `payload` what we set (or the label).
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/button
    const label = text(part.text) ?? text(part.payload) ?? "";
    return { body: label, mediaIds: [], raw: { button_text: text(part.text) ?? "", button_payload: text(part.payload) ?? "" } };
  }
  if (type === "reaction") {
    return { body: text(part.emoji) ?? "", mediaIds: [], raw: { reaction_message_id: text(part.message_id) ?? "" } };
  }
  // location, contacts, order, system, unsupported …: no text to read; raw.payload keeps everything.
  return { body: "", mediaIds: [], raw: {} };
}

const STATE_OF: Record<string, DeliveryState> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  // A voice message listened to: it was read.
  played: "read",
  failed: "failed",
};

function statusUpdate(status: JsonObject, change: WebhookChange): DeliveryStatusUpdate {
  const providerMessageId = required(status.id, "statuses[].id");
  const word = required(status.status, "statuses[].status");
  const state = STATE_OF[word];
  if (state === undefined) throw new InvalidPayloadError(`Meta WhatsApp status "${word}" is not one the app knows (sent, delivered, read, played, failed)`);
  const timestamp = text(status.timestamp);
  if (timestamp !== undefined && !/^\d{1,12}$/.test(timestamp)) throw new InvalidPayloadError("Meta WhatsApp status whose timestamp is not Unix seconds");
  const [error] = records(status.errors);
  const errorData = isRecord(error?.error_data) ? error.error_data : {};
  const conversation = isRecord(status.conversation) ? status.conversation : {};
  const origin = isRecord(conversation.origin) ? conversation.origin : {};
  const pricing = isRecord(status.pricing) ? status.pricing : {};
  const raw: Record<string, string> = {
    id: providerMessageId,
    status: word,
    timestamp: timestamp ?? "",
    recipient_id: text(status.recipient_id) ?? "",
    phone_number_id: text(isRecord(change.value.metadata) ? change.value.metadata.phone_number_id : undefined) ?? "",
    waba_id: change.wabaId,
  };
  const optional: Record<string, unknown> = {
    conversation_id: conversation.id,
    conversation_origin: origin.type,
    pricing_category: pricing.category,
    pricing_model: pricing.pricing_model,
    error_code: error?.code,
    error_title: error?.title,
    error_message: error?.message,
    error_details: errorData.details,
  };
  for (const [key, value] of Object.entries(optional)) {
    const found = text(value);
    if (found !== undefined) raw[key] = found;
  }
  return {
    providerMessageId,
    state,
    providerStatus: word,
    errorCode: text(error?.code) ?? null,
    errorMessage: text(error?.title) ?? text(error?.message) ?? null,
    at: timestamp === undefined ? null : new Date(Number(timestamp) * 1000),
    raw,
  };
}

// ─────────────────────────────── sending ───────────────────────────────

/** Meta's image messages take JPEG and PNG; anything else goes as a document. */
const IMAGE_PATH = /\.(jpe?g|png)$/i;

function refused(message: string, code: string): ProviderError {
  return new ProviderError(message, { provider: PROVIDER, code, retryable: false });
}

function mediaPart(link: string, caption: string): JsonObject {
  let pathname: string;
  try {
    pathname = new URL(link).pathname;
  } catch {
    throw refused("WhatsApp media must be an absolute public URL", "invalid_media_url");
  }
  const withCaption = caption === "" ? {} : { caption };
  if (IMAGE_PATH.test(pathname)) return { type: "image", image: { link, ...withCaption } };
  let filename = pathname.split("/").pop() ?? "";
  try {
    filename = decodeURIComponent(filename);
  } catch {
    // a malformed escape: keep the name as it is written
  }
  return { type: "document", document: { link, filename: filename === "" ? "document" : filename, ...withCaption } };
}

/**
 * The JSON body of `POST /{phone-number-id}/messages` for one outbound message: a template when
 * there is one (outside the 24-hour window), else one media with the body as its caption, else text.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
export function graphMessagePayload(message: OutboundMessage): JsonObject {
  const envelope = { messaging_product: "whatsapp", recipient_type: "individual", to: message.to };
  if (message.template) {
    const { name, language, variables } = message.template;
    const components = variables.length === 0 ? [] : [{ type: "body", parameters: variables.map((value) => ({ type: "text", text: value })) }];
    return { ...envelope, type: "template", template: { name, language: { code: language }, ...(components.length === 0 ? {} : { components }) } };
  }
  const media = message.mediaUrls ?? [];
  if (media.length > 1) {
    // One Cloud API message carries one media; several sends would not be one `send`.
    throw refused(`WhatsApp (Meta) sends one media per message, got ${media.length}`, "one_media_per_message");
  }
  const [link] = media;
  if (link !== undefined) return { ...envelope, ...mediaPart(link, message.body) };
  // A link preview only when there is a link to preview.
  return { ...envelope, type: "text", text: { body: message.body, preview_url: /https?:\/\//i.test(message.body) } };
}

function graphRefusal(status: number, body: unknown, rawText: string): { error: ProviderError; fbtraceId: string | undefined } {
  // Graph errors: `{ error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id } }`.
  // https://developers.facebook.com/docs/graph-api/guides/error-handling
  const graphError = isRecord(body) && isRecord(body.error) ? body.error : null;
  const codeText = text(graphError?.code);
  const code = codeText !== undefined && /^\d{1,9}$/.test(codeText) ? Number(codeText) : undefined;
  const subcode = text(graphError?.error_subcode);
  const errorData = isRecord(graphError?.error_data) ? graphError.error_data : {};
  const detail = text(graphError?.message) ?? (rawText.slice(0, 200) || `HTTP ${status}`);
  const more = text(errorData.details);
  const fbtraceId = text(graphError?.fbtrace_id);
  const codeLabel = code === undefined ? "" : `, code ${code}${subcode ? `/${subcode}` : ""}`;
  const message =
    code === META_OUTSIDE_WINDOW_CODE
      ? `WhatsApp refused free text: more than 24 hours since the customer's last message (Meta ${META_OUTSIDE_WINDOW_CODE} "Re-engagement message"); send an approved template instead`
      : `Meta Graph API refused the WhatsApp message (HTTP ${status}${codeLabel}): ${detail}${more ? ` (${more})` : ""}${fbtraceId ? ` [fbtrace_id ${fbtraceId}]` : ""}`;
  const retryable = code !== META_OUTSIDE_WINDOW_CODE && (status >= 500 || status === 429 || status === 408 || (code !== undefined && META_THROTTLING_CODES.has(code)));
  return { error: new ProviderError(message, { provider: PROVIDER, status, ...(code === undefined ? {} : { code }), retryable }), fbtraceId };
}

function transportFailure(error: unknown, timeoutMs: number): ProviderError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ProviderError(
      `Meta Graph API did not answer within ${timeoutMs} ms; it may still have accepted the message (the Cloud API has no idempotency key)`,
      { provider: PROVIDER, code: "timeout", retryable: true },
    );
  }
  const cause = error instanceof Error && isRecord(error.cause) ? error.cause : {};
  const code = text(cause.code) ?? "network";
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError(`Meta Graph API could not be reached (${code}): ${reason}`, { provider: PROVIDER, code, retryable: true });
}

function redact(value: string, secrets: string[]): string {
  return secrets.filter((secret) => secret.length >= 4).reduce((acc, secret) => acc.split(secret).join("[redacted]"), value);
}

// ─────────────────────────────── channel ───────────────────────────────

export function createMetaWhatsappChannel({ config, logger, timeoutMs = DEFAULT_TIMEOUT_MS }: MetaWhatsappChannelDeps): MetaWhatsappChannel {
  const log = logger.child({ plugin: "meta-whatsapp" });
  const graph = `${config.graphBaseUrl.replace(/\/+$/, "")}/${config.graphVersion}`;

  /**
   * Inbound media come as a media id, not a file. We keep the Graph URL of the media object:
   * a GET on it with the access token returns `{ url, mime_type, sha256, file_size }`, and a GET
   * on that `url` (with the token again) returns the file. Nothing is fetched while parsing; the
   * file URLs Meta gives expire after minutes, the media id lasts 30 days.
   * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#download-media
   */
  const mediaObjectUrl = (mediaId: string) => `${graph}/${encodeURIComponent(mediaId)}`;

  return {
    provider: PROVIDER,
    channel: "whatsapp",
    // WhatsApp text bodies take 4096 characters (a media caption 1024).
    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#text-object
    capabilities: { maxLength: 4096, media: true },

    verify(request: InboundHttpRequest): VerifyResult {
      return verifyMetaSignature(config.appSecret, request.rawBody, request.headers.get("x-hub-signature-256"));
    },

    verifySubscription(url: URL): SubscriptionResult {
      const mode = url.searchParams.get("hub.mode");
      const token = url.searchParams.get("hub.verify_token");
      const challenge = url.searchParams.get("hub.challenge");
      if (mode !== "subscribe") return { ok: false, reason: `hub.mode is ${mode === null ? "missing" : `"${mode}"`}, expected "subscribe"` };
      if (token === null || !sameSecret(token, config.verifyToken)) {
        return { ok: false, reason: "hub.verify_token does not match the configured verifyToken" };
      }
      // Meta sends a number; anything else is not echoed (the answer is our page's body).
      if (challenge === null || !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) {
        return { ok: false, reason: "hub.challenge is missing or not a plain token" };
      }
      return { ok: true, challenge };
    },

    parseInbound(request: InboundHttpRequest): InboundMessage {
      const changes = webhookChanges(request.rawBody);
      const change = changes.find((candidate) => records(candidate.value.messages).length > 0);
      if (!change) {
        const statuses = changes.flatMap((candidate) => records(candidate.value.statuses)).map((status) => text(status.status) ?? "?");
        if (statuses.length > 0) {
          throw new InvalidPayloadError(`Meta WhatsApp status update (${statuses.join(", ")}), not a customer message: read it with parseStatuses`);
        }
        const fields = [...new Set(changes.map((candidate) => candidate.field))].join(", ");
        throw new NothingToReadError(`Meta WhatsApp webhook without a customer message (changes field: ${fields || "none"})`);
      }
      const messages = records(change.value.messages);
      if (messages.length > 1) {
        // Meta sends one message per webhook in practice; the contract returns one message.
        log.warn("Meta webhook carried several messages; only the first is read", { count: messages.length });
      }
      const message = messages[0] ?? {};
      const providerMessageId = required(message.id, "messages[0].id");
      const metadata = isRecord(change.value.metadata) ? change.value.metadata : {};
      const from = metaNumberToE164(required(message.from, "messages[0].from"), "messages[0].from");
      const to = metaNumberToE164(required(metadata.display_phone_number, "metadata.display_phone_number"), "metadata.display_phone_number");
      const type = required(message.type, "messages[0].type");
      const read = content(message, type);
      const [contact] = records(change.value.contacts);
      const profile = isRecord(contact?.profile) ? contact.profile : {};
      const context = isRecord(message.context) ? message.context : {};
      const raw: Record<string, string> = {
        id: providerMessageId,
        type,
        from: required(message.from, "messages[0].from"),
        timestamp: text(message.timestamp) ?? "",
        display_phone_number: text(metadata.display_phone_number) ?? "",
        phone_number_id: text(metadata.phone_number_id) ?? "",
        waba_id: change.wabaId,
        wa_id: text(contact?.wa_id) ?? "",
        profile_name: text(profile.name) ?? "",
        ...(text(context.id) === undefined ? {} : { context_id: text(context.id) ?? "" }),
        ...read.raw,
        payload: request.rawBody,
      };
      return {
        providerMessageId,
        channel: "whatsapp",
        from,
        to,
        body: read.body,
        mediaUrls: read.mediaIds.map(mediaObjectUrl),
        raw,
      };
    },

    parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[] {
      return webhookChanges(request.rawBody).flatMap((change) => records(change.value.statuses).map((status) => statusUpdate(status, change)));
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const fail = (error: ProviderError, fbtraceId?: string): ProviderError => {
        log.warn("Meta refused the whatsapp message", {
          messageId: message.messageId,
          ...error.details,
          ...(fbtraceId ? { fbtraceId } : {}),
          // Logs keep no phone numbers, with or without the `+`.
          error: redact(error.message, [message.to, message.to.replace(/^\+/, "")]),
        });
        return error;
      };
      let payload: JsonObject;
      try {
        payload = graphMessagePayload(message);
      } catch (error) {
        if (error instanceof ProviderError) throw fail(error);
        throw error;
      }
      let response: Response;
      try {
        response = await fetch(`${graph}/${config.phoneNumberId}/messages`, {
          method: "POST",
          headers: { Authorization: `Bearer ${config.accessToken}`, "Content-Type": "application/json" },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw fail(transportFailure(error, timeoutMs));
      }
      let rawText: string;
      try {
        rawText = await response.text();
      } catch (error) {
        throw fail(transportFailure(error, timeoutMs));
      }
      let body: unknown = null;
      try {
        body = rawText === "" ? null : JSON.parse(rawText);
      } catch {
        body = null;
      }
      if (!response.ok) {
        const { error, fbtraceId } = graphRefusal(response.status, body, rawText);
        throw fail(error, fbtraceId);
      }
      // `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id, message_status? }] }`;
      // `message_status` (accepted / held_for_quality_assessment / paused) comes with templates.
      const [sent] = isRecord(body) ? records(body.messages) : [];
      const providerMessageId = text(sent?.id) ?? "";
      if (providerMessageId === "") {
        // Accepted but unnamed: retrying would send it again, and no status could be matched.
        throw fail(new ProviderError("Meta accepted the WhatsApp message but returned no message id", { provider: PROVIDER, status: response.status, retryable: false }));
      }
      const status = text(sent?.message_status) ?? "accepted";
      log.info("whatsapp message handed to Meta", { messageId: message.messageId, providerMessageId, status });
      return { providerMessageId, status };
    },
  };
}
