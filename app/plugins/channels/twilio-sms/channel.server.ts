/**
 * The twilio-sms `Channel`: verifies and parses Twilio's inbound SMS webhooks and status callbacks,
 * and sends SMS through the twilio SDK (Programmable Messaging, `POST /2010-04-01/Accounts/{sid}/Messages.json`).
 * twilio-whatsapp uses the same API: the Twilio parts both share are exported from here.
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type TwilioHttpResponse from "twilio/lib/http/response";
import type { MessageListInstanceCreateOptions } from "twilio/lib/rest/api/v2010/account/message";
import type { Logger } from "~/lib/logger.server";
import {
  InvalidPayloadError,
  ProviderError,
  type Channel,
  type DeliveryState,
  type DeliveryStatusUpdate,
  type InboundHttpRequest,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
  type VerifyResult,
  type WhatsappTemplateRef,
} from "~/plugins/types";
import { TWILIO_API_BASE_URL, type TwilioSmsConfig } from "./config";

const PROVIDER = "twilio";
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Hosts the SDK may put in a request URI for the REST API: `api.twilio.com`, plus the
 * `api.{edge}.{region}.twilio.com` forms it derives from `TWILIO_EDGE` / `TWILIO_REGION`, which it
 * reads from `process.env` on its own (BaseTwilio#setOpts). All of them go to `apiBaseUrl`, so the
 * environment cannot reroute our calls behind the plugin's settings.
 * https://www.twilio.com/docs/global-infrastructure/edge-locations
 */
const TWILIO_API_HOST = /^api(\.[a-z0-9-]+){0,2}\.twilio\.com$/;

/**
 * Moves an SDK request URI from Twilio's API origin to `apiBaseUrl`, keeping path and query
 * (`https://api.twilio.com/2010-04-01/…?x=1` → `http://127.0.0.1:4010/2010-04-01/…?x=1`). A path
 * prefix in `apiBaseUrl` is kept in front (`https://proxy.example/twilio` → `…/twilio/2010-04-01/…`).
 * Any other origin is refused rather than sent with our credentials to a host nobody configured.
 */
export function rewriteTwilioApiUri(uri: string, apiBaseUrl: string): string {
  const source = new URL(uri);
  if (source.protocol !== "https:" || source.port !== "" || !TWILIO_API_HOST.test(source.hostname)) {
    throw new Error(
      `twilio-sms: refusing an SDK request to ${source.origin}; only ${TWILIO_API_BASE_URL} is redirected to apiBaseUrl`,
    );
  }
  const base = new URL(apiBaseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  return `${base.origin}${prefix}${source.pathname}${source.search}`;
}

/**
 * The SDK's documented hook for custom HTTP handling is a `RequestClient` passed as `httpClient`
 * (https://github.com/twilio/twilio-node/blob/main/advanced-examples/custom-http-client.md). This one
 * keeps the SDK's own transport (axios, auth header, form encoding, error handling) and only
 * changes where each request goes, so tests run against a local fake Twilio API and
 * Twilio-compatible providers work, with the SDK itself unmocked.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #apiBaseUrl: string;

  constructor(apiBaseUrl: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.#apiBaseUrl = apiBaseUrl;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioHttpResponse<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioApiUri(opts.uri, this.#apiBaseUrl) });
  }
}

/** A Twilio channel (SMS or WhatsApp): one that always reads status callbacks. */
export type TwilioChannel = Channel & Required<Pick<Channel, "parseStatuses">>;

export interface TwilioSmsChannelDeps {
  config: TwilioSmsConfig;
  logger: Logger;
  /** Per-request timeout of the REST calls (connect + response). Default 10 s. */
  timeoutMs?: number;
}

export function createTwilioSmsChannel({ config, logger, timeoutMs = DEFAULT_TIMEOUT_MS }: TwilioSmsChannelDeps): TwilioChannel {
  const log = logger.child({ plugin: "twilio-sms" });
  const client = createTwilioRestClient(config, timeoutMs);

  return {
    provider: PROVIDER,
    channel: "sms",
    // Twilio splits long text into segments that the handset reassembles, up to 1600 characters
    // (fewer Unicode characters fit per segment, and Twilio advises staying far below the cap).
    // https://support.twilio.com/hc/en-us/articles/223181508
    capabilities: { maxLength: 1600, media: true },

    verify(request: InboundHttpRequest): VerifyResult {
      return verifyTwilioSignature(config.authToken, request);
    },

    parseInbound(request: InboundHttpRequest): InboundMessage {
      const { raw, providerMessageId, from, to } = readTwilioInbound(request, "SMS");
      if (from.startsWith("whatsapp:") || to.startsWith("whatsapp:")) {
        throw new InvalidPayloadError("Twilio WhatsApp message on the SMS channel (it belongs to twilio-whatsapp)");
      }
      return {
        providerMessageId,
        channel: "sms",
        from,
        to,
        body: raw.Body ?? "",
        mediaUrls: mediaUrls(raw, log),
        raw,
      };
    },

    parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[] {
      return parseTwilioStatusCallback(request.rawBody);
    },

    send(message: OutboundMessage): Promise<SendResult> {
      // No `template` on SMS: WhatsApp templates are Content SIDs approved for WhatsApp; an SMS
      // carries the readable `body` (a fallback from WhatsApp to SMS sends the text).
      return sendTwilioMessage(client, log, "sms", message, {
        to: message.to,
        from: message.from,
        body: message.body,
        mediaUrls: message.mediaUrls,
        maxMedia: 10,
        statusCallbackUrl: config.statusCallbackUrl,
      });
    },
  };
}

/**
 * The twilio SDK client both Twilio channels use: requests go to `apiBaseUrl`, no SDK-level retry
 * on 429 (the job queue owns retries: one place decides, and a retried POST is a second message if
 * the first one was accepted after all), and an explicit log level so that TWILIO_LOG_LEVEL=debug
 * in the environment cannot turn on the SDK's console.log of every request.
 */
export function createTwilioRestClient(config: { accountSid: string; authToken: string; apiBaseUrl: string }, timeoutMs: number) {
  return twilio(config.accountSid, config.authToken, {
    httpClient: new BaseUrlRequestClient(config.apiBaseUrl, { timeout: timeoutMs, autoRetry: false }),
    logLevel: "info",
  });
}

/**
 * The fields every Twilio inbound message webhook carries, checked. Status callbacks carry
 * MessageSid/From/To too; reading one as a customer message would invent an empty inbound
 * message, so anything but "received" is refused.
 * https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 */
export function readTwilioInbound(request: InboundHttpRequest, what: "SMS" | "WhatsApp") {
  // A copy: it goes into the message's `raw`, which is the caller's.
  const raw = { ...twilioForm(request.rawBody).first };
  const required = (name: string): string => {
    const value = raw[name];
    if (value === undefined || value === "") throw new InvalidPayloadError(`Twilio ${what} webhook without ${name}`);
    return value;
  };
  const providerMessageId = required("MessageSid");
  const from = required("From");
  const to = required("To");
  const status = raw.MessageStatus ?? raw.SmsStatus;
  if (status !== undefined && status !== "received") {
    throw new InvalidPayloadError(`Twilio status callback (status ${status}), not an inbound message`);
  }
  return { raw, providerMessageId, from, to };
}

/**
 * One create-message call, with the checks and logs both channels want: a sid or a
 * non-retryable error, errors as `ProviderError`, and no phone number in the logs (Twilio quotes
 * numbers in some errors, 21211 "The 'To' number … is not valid"; the thrown error, stored with
 * the message, keeps it whole).
 */
export async function sendTwilioMessage(
  client: ReturnType<typeof createTwilioRestClient>,
  log: Logger,
  kind: "sms" | "whatsapp message",
  message: OutboundMessage,
  input: TwilioMessageInput,
): Promise<SendResult> {
  try {
    const created = await client.messages.create(twilioMessageOptions(input));
    if (!created.sid) {
      throw new ProviderError("Twilio accepted the request but returned no message sid", { provider: PROVIDER, status: 201, retryable: false });
    }
    log.info(`${kind} handed to Twilio`, { messageId: message.messageId, providerMessageId: created.sid, status: created.status });
    return { providerMessageId: created.sid, status: created.status };
  } catch (error) {
    const providerError = toProviderError(error);
    log.warn(`Twilio refused the ${kind}`, {
      messageId: message.messageId,
      ...providerError.details,
      // The plain E.164 number is inside a `whatsapp:`-prefixed one: redacting it covers both.
      error: redact(providerError.message, [message.to, message.from]),
    });
    throw providerError;
  }
}

/**
 * Checks `X-Twilio-Signature` on a webhook (SMS, WhatsApp, status callbacks: Twilio signs them all
 * the same way). Never throws.
 */
export function verifyTwilioSignature(authToken: string, request: InboundHttpRequest): VerifyResult {
  const signature = request.headers.get("x-twilio-signature");
  if (!signature) return { ok: false, reason: "missing X-Twilio-Signature header" };
  // Twilio signs the URL it called plus every POST param, decoded and sorted by name, and adds
  // params without notice: validate over all of them, never over a list we know.
  // https://www.twilio.com/docs/usage/webhooks/webhooks-security
  let valid: boolean;
  try {
    valid = twilio.validateRequest(authToken, signature, request.url, twilioForm(request.rawBody).signed as Record<string, string | string[]>);
  } catch (error) {
    // `validateRequest` parses the URL with `new URL()`; a malformed one is a failed check, not a crash.
    return { ok: false, reason: `cannot check the signature: ${error instanceof Error ? error.message : String(error)}` };
  }
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason:
          "X-Twilio-Signature does not match (the URL must be the exact public URL Twilio called, scheme and query included; check the auth token)",
      };
}

/**
 * The shop's number a Twilio webhook is about, read BEFORE it is verified so that the app can pick
 * whose auth token checks it (a shop with its own Twilio account signs with its own token): `To` on
 * a customer message, `From` on a status callback (the report is on a message the shop sent).
 * Without the `whatsapp:` prefix: channel accounts keep E.164. Nothing else is taken from the
 * unverified body.
 */
export function twilioShopAddresses(rawBody: string): string[] {
  const raw = twilioForm(rawBody).first;
  const status = raw.MessageStatus ?? raw.SmsStatus;
  const address = status === undefined || INBOUND_STATUSES.has(status) ? raw.To : raw.From;
  return address ? [address.replace(/^whatsapp:/, "")] : [];
}

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((secret) => secret !== "").reduce((acc, secret) => acc.split(secret).join("[redacted]"), text);
}

/**
 * A Twilio webhook's form: `signed`, every field as Twilio signs it (a repeated name becomes an
 * array, which the SDK sorts too); `first`, the first value of each name (Twilio's messaging
 * webhooks repeat none). Both are built with Object.fromEntries, which defines own properties, so a
 * field named `__proto__` stays a field. Read-only: they are shared.
 */
interface TwilioForm {
  signed: Readonly<Record<string, string | string[]>>;
  first: Readonly<Record<string, string>>;
}

/**
 * The forms parsed lately, by body (the last FORMS_KEPT). One webhook's body is read three or four
 * times (whose number it is, its signature, a status or a message), and under load other webhooks'
 * reads come in between while the first awaits its shop's channel: a memo of the last body alone
 * missed most of them, and the parses were 8–9% of the web process's busy time at 1,000
 * webhooks/s (CPU profile of `npm run bench`). A pure function's results: an entry only costs
 * memory, and the oldest goes once there are FORMS_KEPT (more than the webhooks in flight).
 */
const FORMS_KEPT = 256;
const recentForms = new Map<string, TwilioForm>();

function twilioForm(rawBody: string): TwilioForm {
  const kept = recentForms.get(rawBody);
  if (kept) return kept;
  const all = new Map<string, string | string[]>();
  const first = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawBody)) {
    const seen = all.get(name);
    if (seen === undefined) first.set(name, value);
    all.set(name, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  const form = { signed: Object.freeze(Object.fromEntries(all)), first: Object.freeze(Object.fromEntries(first)) };
  recentForms.set(rawBody, form);
  if (recentForms.size > FORMS_KEPT) recentForms.delete(recentForms.keys().next().value as string);
  return form;
}

/** MMS media: `NumMedia` = n, then `MediaUrl0` … `MediaUrl{n-1}` (Twilio allows up to 10). */
export function mediaUrls(raw: Record<string, string>, log: Logger): string[] {
  const declared = raw.NumMedia === undefined ? 0 : Number(raw.NumMedia);
  if (!Number.isInteger(declared) || declared < 0) {
    throw new InvalidPayloadError(`Twilio webhook with an invalid NumMedia (${raw.NumMedia})`);
  }
  const urls: string[] = [];
  for (let i = 0; i < declared; i++) {
    const url = raw[`MediaUrl${i}`];
    if (url) urls.push(url);
  }
  if (urls.length !== declared) log.warn("NumMedia and MediaUrl{N} disagree", { numMedia: declared, found: urls.length });
  return urls;
}

// ─────────────────────────────── sending ───────────────────────────────

/** A Twilio Content SID, what identifies an approved template on Twilio. */
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

export interface TwilioMessageInput {
  /** Addresses as Twilio wants them on the wire (`+E164`, `whatsapp:+E164`). */
  to: string;
  from: string;
  body: string;
  mediaUrls?: string[];
  /**
   * Attachments one message can carry: MMS 10; WhatsApp 1, and Twilio silently drops the others, so
   * more is refused rather than half sent. https://www.twilio.com/docs/messaging/api/message-resource
   * https://support.twilio.com/hc/en-us/articles/360017961894-Sending-and-Receiving-Media-with-WhatsApp-Messaging-on-Twilio
   */
  maxMedia: number;
  template?: WhatsappTemplateRef;
  statusCallbackUrl?: string;
}

/**
 * The create-message parameters. A template is sent as `ContentSid` + `ContentVariables`
 * (`{"1": "…", "2": "…"}`) with neither `Body` nor `MediaUrl`, which the template supersedes; since
 * April 2025 that is the only way Twilio sends a WhatsApp template outside the 24-hour window (a
 * template's text in `Body` fails with 63016). No Messaging Service is needed since September 2024.
 * https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder
 * https://www.twilio.com/en-us/changelog/content-templates-messaging-services-optional
 * Throws a non-retryable `ProviderError`, before anything is sent, for a template name that is not a
 * Content SID (a Meta template name configured for a Twilio shop) or too many attachments.
 */
export function twilioMessageOptions(input: TwilioMessageInput): MessageListInstanceCreateOptions {
  const addressing = {
    to: input.to,
    from: input.from,
    // Twilio reports every status change of the message there (signed like inbound webhooks).
    ...(input.statusCallbackUrl === undefined ? {} : { statusCallback: input.statusCallbackUrl }),
  };
  const { template } = input;
  if (template === undefined) {
    const media = input.mediaUrls ?? [];
    if (media.length > input.maxMedia) {
      throw new ProviderError(`Twilio takes at most ${input.maxMedia} attachment(s) per message on this channel, not ${media.length}: send them in several messages`, {
        provider: PROVIDER,
        code: "too_many_media",
        retryable: false,
      });
    }
    return { ...addressing, body: input.body, ...(media.length === 0 ? {} : { mediaUrl: media }) };
  }
  if (!CONTENT_SID.test(template.name)) {
    throw new ProviderError(
      `Twilio sends WhatsApp templates by Content SID (HX followed by 32 hexadecimal characters), not "${template.name}": set the template's Content SID in the shop's WhatsApp templates`,
      { provider: PROVIDER, code: "invalid_content_sid", retryable: false },
    );
  }
  const variables = Object.fromEntries(template.variables.map((value, index) => [String(index + 1), value]));
  return {
    ...addressing,
    contentSid: template.name,
    ...(template.variables.length === 0 ? {} : { contentVariables: JSON.stringify(variables) }),
  };
}

// ─────────────────────────────── status callbacks ───────────────────────────────

/**
 * Twilio's `MessageStatus` → our `DeliveryState`. Steps before the carrier (a Messaging Service
 * choosing a sender, a scheduled send, Twilio's own queue) are all "queued"; "undelivered" (the
 * carrier or handset refused) and "failed" (Twilio could not send) are both failures, and so is a
 * scheduled message "canceled" before it went. "partially_delivered" left Twilio but is not known
 * delivered: "sent".
 * https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 * https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
const TWILIO_DELIVERY_STATE: ReadonlyMap<string, DeliveryState> = new Map([
  ["accepted", "queued"],
  ["scheduled", "queued"],
  ["queued", "queued"],
  ["sending", "queued"],
  ["sent", "sent"],
  ["partially_delivered", "sent"],
  ["delivered", "delivered"],
  ["read", "read"],
  ["undelivered", "failed"],
  ["failed", "failed"],
  ["canceled", "failed"],
]);

/** The statuses of a message a customer sent us: a customer message, not a delivery report. */
const INBOUND_STATUSES = new Set(["receiving", "received"]);

/** Twilio's code for a free-form WhatsApp message outside the 24-hour customer-service window. */
export const TWILIO_OUTSIDE_WHATSAPP_WINDOW = 63016;

/**
 * What the merchant should read for the errors our messages meet most (status callbacks carry a
 * code and, at best, Twilio's terse `ErrorMessage`). https://www.twilio.com/docs/api/errors
 */
const TWILIO_ERROR_EXPLANATIONS: ReadonlyMap<string, string> = new Map([
  [
    String(TWILIO_OUTSIDE_WHATSAPP_WINDOW),
    "outside WhatsApp's 24-hour customer-service window: free text is refused, send an approved template (Content SID) instead",
  ],
  ["21610", "the customer replied STOP to this number: Twilio refuses to message them until they reply START"],
  ["30003", "the customer's phone is unreachable (switched off or out of coverage)"],
  ["30005", "the number does not exist or is no longer in service"],
  ["30006", "the number is a landline or its carrier cannot receive text messages"],
  ["30007", "the carrier filtered the message as spam"],
  ["30008", "the carrier reported an unknown error"],
]);

export function twilioErrorExplanation(code: string | number | null | undefined): string | null {
  return code === null || code === undefined ? null : (TWILIO_ERROR_EXPLANATIONS.get(String(code)) ?? null);
}

/**
 * Reads a Twilio status callback (`StatusCallback` form: `MessageSid`, `MessageStatus`,
 * `ErrorCode`, sometimes `ErrorMessage`). An inbound message's form (no `MessageStatus`, or
 * "received") gives [], so that one URL can take both. Twilio sends no event time: only
 * `RawDlrDoneDate`, the carrier's date without a time zone, kept in `raw`, so `at` is null.
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
 * https://www.twilio.com/en-us/changelog/addition-of-rawdlrdonedate-to-delivered-and-undelivered-status-webhooks
 */
export function parseTwilioStatusCallback(rawBody: string): DeliveryStatusUpdate[] {
  const raw = { ...twilioForm(rawBody).first };
  // Older callbacks named it SmsStatus only; current ones send both with the same value.
  const status = raw.MessageStatus ?? raw.SmsStatus;
  if (status === undefined || INBOUND_STATUSES.has(status)) return [];
  const providerMessageId = raw.MessageSid ?? raw.SmsSid;
  if (!providerMessageId) throw new InvalidPayloadError(`Twilio status callback (status ${status}) without MessageSid`);
  const state = TWILIO_DELIVERY_STATE.get(status);
  if (state === undefined) {
    throw new InvalidPayloadError(`Twilio status "${status}" is not one the app knows (${[...TWILIO_DELIVERY_STATE.keys()].join(", ")})`);
  }
  const failed = state === "failed";
  const errorCode = failed && raw.ErrorCode ? raw.ErrorCode : null;
  const errorMessage = failed
    ? twilioErrorExplanation(errorCode) ?? (raw.ErrorMessage || (status === "canceled" ? "the scheduled message was canceled before it was sent" : null))
    : null;
  return [{ providerMessageId, state, providerStatus: status, errorCode, errorMessage, at: null, raw }];
}

/** Error codes of a request that never got an HTTP answer: worth another try later. */
const NETWORK_ERROR_CODES = new Set([
  "ECONNABORTED", // axios: timeout
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_NETWORK",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  // The SDK rejects a non-2xx answer with a RestException carrying Twilio's JSON error body.
  // https://www.twilio.com/docs/usage/twilios-response
  if (error instanceof twilio.RestException) {
    const status = error.status;
    const detail = error.code === undefined ? "" : `, code ${error.code}`;
    const explanation = twilioErrorExplanation(error.code);
    const said = explanation === null ? error.message : `${explanation} (Twilio: ${error.message})`;
    return new ProviderError(`Twilio refused the message (HTTP ${status}${detail}): ${said}`, {
      provider: PROVIDER,
      status,
      ...(error.code === undefined ? {} : { code: error.code }),
      // 5xx: Twilio's side; 429: rate limited; 408: the request did not arrive in time. Other 4xx
      // (invalid number 21211, unverified sender, auth) fail the same way every time, and so does
      // free text outside the WhatsApp window (63016) whatever the status: only a template helps.
      retryable: error.code !== TWILIO_OUTSIDE_WHATSAPP_WINDOW && (status >= 500 || status === 429 || status === 408),
    });
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && NETWORK_ERROR_CODES.has(code)) {
    return new ProviderError(`Twilio could not be reached (${code}): ${message}`, {
      provider: PROVIDER,
      code,
      retryable: true,
    });
  }
  // Anything else (refused URI, unparsable answer, SDK argument check) will not fix itself by retrying.
  return new ProviderError(`Twilio send failed: ${message}`, { provider: PROVIDER, retryable: false });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
