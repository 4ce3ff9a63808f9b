/**
 * The twilio-sms `Channel`: verifies and parses Twilio's inbound SMS webhooks and sends SMS through
 * the twilio SDK (Programmable Messaging, `POST /2010-04-01/Accounts/{sid}/Messages.json`).
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type TwilioHttpResponse from "twilio/lib/http/response";
import type { Logger } from "~/lib/logger.server";
import {
  InvalidPayloadError,
  ProviderError,
  type Channel,
  type InboundHttpRequest,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
  type VerifyResult,
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

export interface TwilioSmsChannelDeps {
  config: TwilioSmsConfig;
  logger: Logger;
  /** Per-request timeout of the REST calls (connect + response). Default 10 s. */
  timeoutMs?: number;
}

export function createTwilioSmsChannel({ config, logger, timeoutMs = DEFAULT_TIMEOUT_MS }: TwilioSmsChannelDeps): Channel {
  const log = logger.child({ plugin: "twilio-sms" });
  const client = twilio(config.accountSid, config.authToken, {
    httpClient: new BaseUrlRequestClient(config.apiBaseUrl, {
      timeout: timeoutMs,
      // No SDK-level retry on 429: the job queue owns retries (one place decides, and a retried
      // POST is a second SMS if the first one was accepted after all).
      autoRetry: false,
    }),
    // Explicit, so that TWILIO_LOG_LEVEL=debug in the environment cannot turn on the SDK's
    // console.log of every request; we log through `logger`.
    logLevel: "info",
  });

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
      const form = new URLSearchParams(request.rawBody);
      const raw = firstValues(form);
      const required = (name: string): string => {
        const value = raw[name];
        if (value === undefined || value === "") throw new InvalidPayloadError(`Twilio SMS webhook without ${name}`);
        return value;
      };
      const providerMessageId = required("MessageSid");
      const from = required("From");
      const to = required("To");
      // Status callbacks carry MessageSid/From/To too; reading one as a customer message would
      // invent an empty inbound message. Inbound ones say "received".
      // https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
      const status = raw.MessageStatus ?? raw.SmsStatus;
      if (status !== undefined && status !== "received") {
        throw new InvalidPayloadError(`Twilio status callback (status ${status}), not an inbound message`);
      }
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

    async send(message: OutboundMessage): Promise<SendResult> {
      try {
        const created = await client.messages.create({ to: message.to, from: message.from, body: message.body });
        if (!created.sid) {
          throw new ProviderError("Twilio accepted the request but returned no message sid", {
            provider: PROVIDER,
            status: 201,
            retryable: false,
          });
        }
        log.info("sms handed to Twilio", { messageId: message.messageId, providerMessageId: created.sid, status: created.status });
        return { providerMessageId: created.sid, status: created.status };
      } catch (error) {
        const providerError = toProviderError(error);
        log.warn("Twilio refused the sms", {
          messageId: message.messageId,
          ...providerError.details,
          // Twilio quotes the number in some errors (21211 "The 'To' number … is not valid"):
          // logs keep no phone numbers; the thrown error, stored with the message, keeps it whole.
          error: redact(providerError.message, [message.to, message.from]),
        });
        throw providerError;
      }
    },
  };
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
    valid = twilio.validateRequest(authToken, signature, request.url, signedParams(request.rawBody));
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

export function redact(text: string, secrets: string[]): string {
  return secrets.filter((secret) => secret !== "").reduce((acc, secret) => acc.split(secret).join("[redacted]"), text);
}

/** Every form field as Twilio signs it; a repeated name becomes an array (the SDK sorts those too). */
function signedParams(rawBody: string): Record<string, string | string[]> {
  const params = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(rawBody)) {
    const seen = params.get(name);
    params.set(name, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  // Object.fromEntries defines own properties, so a field named `__proto__` stays a field.
  return Object.fromEntries(params);
}

/** Flat map of the form, first value of a repeated name (Twilio's messaging webhooks repeat none). */
export function firstValues(form: URLSearchParams): Record<string, string> {
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of form) {
    if (seen.has(name)) continue;
    seen.add(name);
    entries.push([name, value]);
  }
  return Object.fromEntries(entries);
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
    return new ProviderError(`Twilio refused the message (HTTP ${status}${detail}): ${error.message}`, {
      provider: PROVIDER,
      status,
      ...(error.code === undefined ? {} : { code: error.code }),
      // 5xx: Twilio's side; 429: rate limited; 408: the request did not arrive in time. Other 4xx
      // (invalid number 21211, unverified sender, auth) fail the same way every time.
      retryable: status >= 500 || status === 429 || status === 408,
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
