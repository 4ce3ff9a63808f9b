/**
 * A local fake of Resend's REST API, just enough for the resend-email channel:
 *   POST /emails                    send (Bearer auth, JSON body, `Idempotency-Key`), answers `{ id }`
 *   GET  /emails/receiving/{id}     a received email with its text/html bodies and headers
 * It answers the way Resend does (errors as `{ statusCode, name, message }`) and records every
 * request, so tests drive the plugin's real HTTP code against it.
 *
 * Shapes: https://resend.com/docs/api-reference/emails/send-email,
 * https://resend.com/docs/api-reference/emails/retrieve-received-email,
 * https://resend.com/docs/api-reference/errors, idempotency keys:
 * https://resend.com/docs/dashboard/emails/idempotency-keys (same key + same body within 24 h → the same email).
 *
 * `resendWebhookHeaders` signs a webhook the way Svix does, written out independently of the plugin.
 */
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ResendRecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or null. */
  json: Record<string, unknown> | null;
  response: { status: number; body: unknown };
}

/** A received email as `GET /emails/receiving/{id}` returns it. */
export interface FakeReceivedEmail {
  object: "email";
  id: string;
  to: string[];
  from: string;
  created_at: string;
  subject: string;
  html: string | null;
  text: string | null;
  headers?: Record<string, string>;
  bcc: string[];
  cc: string[];
  reply_to: string[];
  message_id: string;
  attachments: Array<{ id: string; filename: string; content_type: string; content_disposition: string; content_id?: string }>;
}

export interface FakeResendApi {
  url: string;
  requests: ResendRecordedRequest[];
  /** Received emails served by id (add more in a test). */
  received: Map<string, FakeReceivedEmail>;
  /** The next request gets this status with Resend's error body (or raw text). Calls queue up. */
  failNext(status: number, body?: string): void;
  close(): Promise<void>;
}

const ERROR_NAMES: Record<number, string> = {
  400: "validation_error",
  401: "missing_api_key",
  403: "invalid_api_key",
  404: "not_found",
  409: "invalid_idempotent_request",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "application_error",
  503: "application_error",
};

/**
 * The fixture's `email.received` (fixtures/resend_email_received.json) as the Received-emails API
 * gives it back, with the customer's reply above a quoted Gmail conversation and an iPhone signature.
 */
export function receivedEmailFixture(): FakeReceivedEmail {
  return {
    object: "email",
    id: "56761188-7520-42d8-8898-ff6fc54ce618",
    to: ["delivered@resend.dev"],
    from: "Acme <onboarding@resend.dev>",
    created_at: "2024-02-22T23:41:11.894719+00:00",
    subject: "Sending this example",
    text:
      "Oui, gardez-moi la robe en 38, je passe à 17h.\n\nEnvoyé de mon iPhone\n\n" +
      "Le lun. 12 janv. 2026 à 10:15, Boutique Coccinelle <bonjour@coccinelle.fr> a écrit :\n" +
      "> Bonjour Julie, la robe RF-2847 est disponible en 38.\n",
    html:
      "<div>Oui, gardez-moi la robe en 38, je passe à 17h.</div><div><br></div><div>Envoyé de mon iPhone</div>" +
      "<blockquote>Bonjour Julie, la robe RF-2847 est disponible en 38.</blockquote>",
    headers: { "message-id": "<example+123>", "in-reply-to": "<reply-1@coccinelle.fr>" },
    bcc: [],
    cc: [],
    reply_to: [],
    message_id: "<example+123>",
    attachments: [
      { id: "2a0c9ce0-3112-4728-976e-47ddcd16a318", filename: "avatar.png", content_type: "image/png", content_disposition: "inline", content_id: "img001" },
    ],
  };
}

export async function startFakeResendApi(options: { apiKey: string; received?: FakeReceivedEmail[] }): Promise<FakeResendApi> {
  const requests: ResendRecordedRequest[] = [];
  const planned: Array<{ status: number; body?: string }> = [];
  const received = new Map((options.received ?? []).map((email) => [email.id, email]));
  /** Idempotency-Key → [request body, email id]. */
  const idempotent = new Map<string, [string, string]>();

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
      const record: ResendRecordedRequest = { method: req.method ?? "", path, headers: req.headers, rawBody, json, response: { status: 0, body: undefined } };
      requests.push(record);

      const reply = (status: number, body: unknown) => {
        record.response = { status, body };
        res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      const fail = (status: number, message: string) =>
        reply(status, { statusCode: status, name: ERROR_NAMES[status] ?? "application_error", message });

      const next = planned.shift();
      if (next) {
        if (next.body !== undefined) reply(next.status, next.body);
        else fail(next.status, http.STATUS_CODES[next.status] ?? "Error");
        return;
      }
      const auth = req.headers.authorization;
      if (!auth) return fail(401, "Missing API key in the authorization header.");
      if (auth !== `Bearer ${options.apiKey}`) return fail(403, "API key is invalid.");

      const receiving = /^\/emails\/receiving\/([^/?]+)$/.exec(path);
      if (req.method === "GET" && receiving) {
        const email = received.get(decodeURIComponent(receiving[1] ?? ""));
        return email ? reply(200, email) : fail(404, "Email not found");
      }
      if (path === "/emails" && req.method === "POST") {
        if (!json) return fail(400, "Invalid JSON body.");
        for (const field of ["from", "to", "subject"]) {
          if (json[field] === undefined || json[field] === "") return fail(422, `Missing \`${field}\` field.`);
        }
        const key = req.headers["idempotency-key"];
        if (typeof key === "string") {
          const seen = idempotent.get(key);
          if (seen && seen[0] !== rawBody) return fail(409, "Same idempotency key used with a different request payload.");
          if (seen) return reply(200, { id: seen[1] });
          const id = randomUUID();
          idempotent.set(key, [rawBody, id]);
          return reply(200, { id });
        }
        return reply(200, { id: randomUUID() });
      }
      return fail(404, `The requested endpoint ${req.method} ${path} does not exist.`);
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
    received,
    failNext: (status, body) => {
      planned.push({ status, body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The three Svix headers for `rawBody`: `v1,` + base64(HMAC-SHA256(base64decode(secret without
 * `whsec_`), `${id}.${timestamp}.${rawBody}`)). https://docs.svix.com/receiving/verifying-payloads/how-manual
 */
export function resendWebhookHeaders(secret: string, id: string, timestamp: number | string, rawBody: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": `v1,${signature}`, "content-type": "application/json" };
}
