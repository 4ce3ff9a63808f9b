/**
 * A local fake of Meta's Graph API, just enough of the WhatsApp Cloud API for the meta-whatsapp
 * channel: `POST /{version}/{phone-number-id}/messages`. It answers the way Graph does (Bearer
 * token, JSON body, `{ messaging_product, contacts, messages: [{ id }] }` on 200, errors as
 * `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }`) and records every
 * request, so tests drive the plugin's real HTTP code against it.
 *
 * Shapes: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages (send and
 * its response), https://developers.facebook.com/docs/graph-api/guides/error-handling and
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 * (error body and codes).
 *
 * `metaWebhookSignature` signs a webhook the way Meta does, written out independently of the plugin.
 */
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface MetaGraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details: string };
  fbtrace_id: string;
}

export interface MetaRecordedRequest {
  method: string;
  /** Path and query as received (`/v23.0/106540352242922/messages`). */
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or null. */
  json: Record<string, unknown> | null;
  /** The phone number id named in the path, or null for another path. */
  phoneNumberId: string | null;
  /** The display number (E.164) behind that phone number id: who the customer sees the message from. */
  from: string | null;
  /** What the fake answered. */
  response: { status: number; body: unknown };
}

export interface FakeMetaGraphApi {
  /** Base URL to give the plugin as `graphBaseUrl` (`http://127.0.0.1:<port>`). */
  url: string;
  requests: MetaRecordedRequest[];
  /**
   * The next request (whatever it is) gets this status. `body` defaults to Meta's error JSON with a
   * code that fits the status (400 → 100, 401 → 190, 403 → 10, 429 → 130429, 500 → 131000,
   * 503 → 2); pass fields to set them (`{ code: 131047, message: "…" }`), or a string to answer raw
   * text (a proxy's HTML page). Calls queue up.
   */
  failNext(status: number, body?: Partial<MetaGraphError> | string): void;
  /** The next request gets no answer at all (client timeouts); `close()` drops it. */
  stallNext(): void;
  close(): Promise<void>;
}

type Planned = { kind: "fail"; status: number; body?: Partial<MetaGraphError> | string } | { kind: "stall" };

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;

const DEFAULT_ERRORS: Record<number, Pick<MetaGraphError, "code" | "message"> & { error_subcode?: number }> = {
  400: { code: 100, message: "(#100) Invalid parameter" },
  401: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" },
  403: { code: 10, message: "(#10) Application does not have permission for this action" },
  404: { code: 100, error_subcode: 33, message: "Unsupported post request." },
  429: { code: 130429, message: "(#130429) Rate limit hit" },
  500: { code: 131000, message: "(#131000) Something went wrong" },
  503: { code: 2, message: "(#2) Service temporarily unavailable" },
};

export function metaErrorBody(status: number, fields: Partial<MetaGraphError> = {}): { error: MetaGraphError } {
  const known = DEFAULT_ERRORS[status] ?? { code: 1, message: "(#1) An unknown error occurred" };
  return {
    error: {
      message: known.message,
      type: "OAuthException",
      code: known.code,
      ...(known.error_subcode === undefined ? {} : { error_subcode: known.error_subcode }),
      fbtrace_id: `A${randomBytes(9).toString("base64url")}`,
      ...fields,
    },
  };
}

export async function startFakeMetaGraphApi(options: {
  accessToken: string;
  /** Phone number id → its display number in E.164 (`{ "106540352242922": "+15550783881" }`). */
  phoneNumbers: Record<string, string>;
}): Promise<FakeMetaGraphApi> {
  const requests: MetaRecordedRequest[] = [];
  const planned: Planned[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      let json: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = rawBody === "" ? null : JSON.parse(rawBody);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      } catch {
        json = null;
      }
      const match = MESSAGES_PATH.exec(path.split("?")[0] ?? "");
      const phoneNumberId = match?.[2] ?? null;
      const record: MetaRecordedRequest = {
        method: req.method ?? "",
        path,
        headers: req.headers,
        rawBody,
        json,
        phoneNumberId,
        from: phoneNumberId === null ? null : (options.phoneNumbers[phoneNumberId] ?? null),
        response: { status: 0, body: undefined },
      };
      requests.push(record);

      const reply = (status: number, body: unknown) => {
        record.response = { status, body };
        res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json; charset=UTF-8" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      const fail = (status: number, fields: Partial<MetaGraphError> = {}) => reply(status, metaErrorBody(status, fields));

      const next = planned.shift();
      if (next?.kind === "stall") return;
      if (next?.kind === "fail") {
        if (typeof next.body === "string") reply(next.status, next.body);
        else fail(next.status, next.body);
        return;
      }

      if (req.headers.authorization !== `Bearer ${options.accessToken}`) return fail(401);
      if (!match || req.method !== "POST") {
        return fail(400, { code: 100, message: `Unknown path components: ${path}` });
      }
      if (phoneNumberId === null || !(phoneNumberId in options.phoneNumbers)) {
        return fail(400, {
          code: 100,
          error_subcode: 33,
          message: `Unsupported post request. Object with ID '${phoneNumberId ?? ""}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        });
      }
      if (!json) return fail(400, { code: 100, message: "(#100) The request body is not JSON" });
      const invalid = invalidMessage(json);
      if (invalid) return fail(400, invalid);
      const to = String(json.to);
      reply(200, {
        messaging_product: "whatsapp",
        contacts: [{ input: to, wa_id: to.replace(/\D/g, "") }],
        messages: [{ id: `wamid.${randomBytes(27).toString("base64")}`, ...(json.type === "template" ? { message_status: "accepted" } : {}) }],
      });
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
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Meta's own checks on a send, with its codes (100 invalid parameter, 131008 required parameter missing). */
function invalidMessage(json: Record<string, unknown>): Partial<MetaGraphError> | null {
  if (json.messaging_product !== "whatsapp") return { code: 100, message: "(#100) The parameter messaging_product is required." };
  if (typeof json.to !== "string" || json.to === "") return { code: 100, message: "(#100) The parameter to is required." };
  const type = typeof json.type === "string" ? json.type : "text";
  const part = record(json[type]);
  const missing = (name: string): Partial<MetaGraphError> => ({
    code: 131008,
    message: "(#131008) Required parameter is missing",
    error_data: { messaging_product: "whatsapp", details: `The parameter ${name} is required.` },
  });
  if (type === "text") return typeof part.body === "string" && part.body !== "" ? null : missing("text['body']");
  if (type === "template") {
    if (typeof part.name !== "string" || part.name === "") return missing("template['name']");
    return typeof record(part.language).code === "string" ? null : missing("template['language']['code']");
  }
  if (["image", "document", "audio", "video", "sticker"].includes(type)) {
    return typeof part.link === "string" || typeof part.id === "string" ? null : missing(`${type}['link']`);
  }
  return { code: 100, message: `(#100) Param type must be one of {text, image, document, audio, video, sticker, template, …} - got "${type}".` };
}

/**
 * Signs a webhook body the way Meta does: `sha256=` + lowercase hex HMAC-SHA256 keyed with the App
 * Secret over the raw body bytes. https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validating-payloads
 */
export function metaWebhookSignature(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(Buffer.from(rawBody, "utf8")).digest("hex")}`;
}
