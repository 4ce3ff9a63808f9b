/**
 * A local fake of Twilio's REST API, just enough of Programmable Messaging for the channel plugins:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`. It answers the way Twilio does (Basic auth,
 * form body, Twilio's JSON error shape, a Message resource on 201) and records every request, so
 * tests drive the real twilio SDK against it instead of mocking the SDK.
 *
 * Shapes follow https://www.twilio.com/docs/messaging/api/message-resource (Create a Message) and
 * https://www.twilio.com/docs/usage/twilios-response (errors: `code`, `message`, `more_info`, `status`).
 */
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "~/lib/clock";

export interface RecordedRequest {
  method: string;
  /** Path and query as received (`/2010-04-01/Accounts/AC…/Messages.json`). */
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Decoded form fields; for a repeated name (`MediaUrl`), the last value. */
  form: Record<string, string>;
  /** What the fake answered. */
  response: { status: number; body: unknown };
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export interface FakeTwilioApi {
  /** Base URL to give the plugin as `apiBaseUrl` (`http://127.0.0.1:<port>`). */
  url: string;
  requests: RecordedRequest[];
  /**
   * The next request (whatever it is) gets this status. `body` defaults to Twilio's error JSON with
   * code 20000 + status (20429, 20500, 20503 …); pass an object to set the code
   * (`{ code: 21211, message: "…" }`), or a string to answer raw text (a proxy's HTML page).
   * Calls queue up: two calls fail the next two requests.
   */
  failNext(status: number, body?: Partial<TwilioErrorBody> | string): void;
  /** The next request gets no answer at all (for client timeouts); `close()` drops it. */
  stallNext(): void;
  close(): Promise<void>;
}

type Planned = { kind: "fail"; status: number; body?: Partial<TwilioErrorBody> | string } | { kind: "stall" };

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

export async function startFakeTwilioApi(options: {
  accountSid: string;
  authToken: string;
  /** Other Twilio accounts it knows (a shop's own account next to the deployment's). */
  otherAccounts?: Array<{ accountSid: string; authToken: string }>;
  /** Stamps `date_created` / `date_updated`. */
  clock?: Clock;
}): Promise<FakeTwilioApi> {
  const { clock = systemClock } = options;
  const tokens = new Map([[options.accountSid, options.authToken], ...(options.otherAccounts ?? []).map((a): [string, string] => [a.accountSid, a.authToken])]);
  const requests: RecordedRequest[] = [];
  const planned: Planned[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const record: RecordedRequest = {
        method: req.method ?? "",
        path,
        headers: req.headers,
        rawBody,
        form: Object.fromEntries(new URLSearchParams(rawBody)),
        response: { status: 0, body: undefined },
      };
      requests.push(record);

      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.response = { status, body };
        const text = typeof body === "string" ? body : JSON.stringify(body);
        res.writeHead(status, {
          "Content-Type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
          ...headers,
        });
        res.end(text);
      };

      const next = planned.shift();
      if (next?.kind === "stall") return;
      if (next?.kind === "fail") {
        const given = next.body;
        if (typeof given === "string") {
          reply(next.status, given);
          return;
        }
        const code = given?.code ?? 20000 + next.status;
        reply(next.status, { ...errorBody(next.status, code, http.STATUS_CODES[next.status] ?? "Error"), ...given });
        return;
      }

      // Twilio checks credentials before anything else and answers 401 / 20003 "Authenticate".
      const accountSid = authenticatedAccount(req.headers.authorization, tokens);
      if (!accountSid) {
        reply(401, errorBody(401, 20003, "Authenticate"), { "WWW-Authenticate": 'Basic realm="Twilio API"' });
        return;
      }
      const match = MESSAGES_PATH.exec(path.split("?")[0] ?? "");
      if (!match || match[1] !== accountSid) {
        reply(404, errorBody(404, 20404, `The requested resource ${path} was not found`));
        return;
      }
      if (req.method !== "POST") {
        reply(405, errorBody(405, 20004, "Method not allowed"));
        return;
      }
      const form = new URLSearchParams(rawBody);
      const missing = missingField(form);
      if (missing) {
        reply(400, errorBody(400, missing.code, missing.message));
        return;
      }
      reply(201, messageResource(form, accountSid, clock.now()));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (status, body) => {
      planned.push({ kind: "fail", status, body });
    },
    stallNext: () => {
      planned.push({ kind: "stall" });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // The SDK keeps connections alive, and a stalled request never ends: drop them all.
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function errorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The Account SID whose Basic credentials (SID:token) the request carries, or null. */
function authenticatedAccount(header: string | undefined, tokens: ReadonlyMap<string, string>): string | null {
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = decoded.slice(0, colon);
  return colon > 0 && tokens.get(user) === decoded.slice(colon + 1) ? user : null;
}

/**
 * Twilio's own checks and codes: 21604 To, 21603 From, 21602 Body (a `MediaUrl` or a content
 * template's `ContentSid` stands for it), 21654 `ContentVariables` without `ContentSid`.
 * https://www.twilio.com/docs/api/errors/21654
 */
function missingField(form: URLSearchParams): { code: number; message: string } | null {
  if (!form.get("To")) return { code: 21604, message: "A 'To' phone number is required." };
  if (!form.get("From") && !form.get("MessagingServiceSid")) {
    return { code: 21603, message: "A 'From' phone number is required." };
  }
  if (!form.get("Body") && !form.get("MediaUrl") && !form.get("ContentSid")) {
    return { code: 21602, message: "Message body is required." };
  }
  if (form.has("ContentVariables") && !form.get("ContentSid")) {
    return { code: 21654, message: "A ContentSid must be specified if ContentVariables are provided in the request." };
  }
  return null;
}

function messageResource(form: URLSearchParams, accountSid: string, now: Date) {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const body = form.get("Body") ?? "";
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  // Twilio writes dates in RFC 2822 with a numeric zone and counts as strings.
  const date = now.toUTCString().replace(/GMT$/, "+0000");
  const messagingServiceSid = form.get("MessagingServiceSid");
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: form.get("From"),
    messaging_service_sid: messagingServiceSid,
    num_media: String(form.getAll("MediaUrl").length),
    num_segments: String(countSegments(body)),
    price: null,
    price_unit: "USD",
    sid,
    // A message sent through a Messaging Service without a From starts as "accepted".
    status: messagingServiceSid && !form.get("From") ? "accepted" : "queued",
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: form.get("To"),
    uri,
  };
}

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

/** Segments as Twilio bills them: GSM-7 160 / 153 septets, otherwise UCS-2 70 / 67 code units. */
export function countSegments(body: string): number {
  let septets = 0;
  for (const char of body) {
    if (GSM7_BASIC.includes(char)) septets += 1;
    else if (GSM7_EXTENSION.includes(char)) septets += 2;
    else {
      const units = body.length; // UTF-16 code units: an emoji takes two
      return units <= 70 ? 1 : Math.ceil(units / 67);
    }
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

/**
 * Signs a webhook the way Twilio does (`X-Twilio-Signature`), written out independently of the
 * SDK so that tests sign with this and the plugin verifies with the SDK: base64 HMAC-SHA1, keyed
 * with the auth token, over the full URL followed by every POST param name+value (decoded), sorted
 * by name. https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export function twilioWebhookSignature(authToken: string, url: string, rawFormBody: string): string {
  const params = [...new URLSearchParams(rawFormBody)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = params.reduce((acc, [name, value]) => acc + name + value, url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}
