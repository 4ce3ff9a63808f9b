/**
 * Customer-message webhooks (Twilio SMS and WhatsApp, Meta WhatsApp, Resend), answered by the
 * Node HTTP server before Express and Remix see the request: they are the app's hottest path
 * (`npm run bench`) and need no middleware, router or React, only the edge
 * (app/edges/channel-webhook.server.ts). The paths are the ones given to the providers:
 * /webhooks/channels/{twilio,twilio-whatsapp,meta-whatsapp,resend}; any other path is left to Express.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookAnswer, WebhookRequest } from "../app/edges/channel-webhook.server";
import type { AppServices } from "../app/services.server";

const PREFIX = "/webhooks/channels/";

export type ChannelWebhookEdges = Pick<AppServices["webhooks"], "twilio" | "twilioWhatsapp" | "metaWhatsapp" | "resend">;

/** Answers the request and returns true when it is a channel webhook; false leaves it to the caller. */
export function createChannelWebhookHandler(options: { webhooks: ChannelWebhookEdges; onError: (error: unknown) => void }): (req: IncomingMessage, res: ServerResponse) => boolean {
  // The edge of each path segment.
  const byName = new Map<string, (request: WebhookRequest) => Promise<WebhookAnswer>>([
    ["twilio", options.webhooks.twilio],
    ["twilio-whatsapp", options.webhooks.twilioWhatsapp],
    ["meta-whatsapp", options.webhooks.metaWhatsapp],
    ["resend", options.webhooks.resend],
  ]);
  return (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith(PREFIX)) return false;
    const end = url.indexOf("?", PREFIX.length);
    const edge = byName.get(url.slice(PREFIX.length, end === -1 ? undefined : end));
    if (!edge) return false;
    readBody(req)
      .then((rawBody) => edge(webhookRequest(req, rawBody)))
      .then((answer) => send(res, answer))
      .catch((error: unknown) => {
        // The provider sees a 500 and retries; nothing was acknowledged.
        options.onError(error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("internal error");
        else res.end();
      });
    return true;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

/** What the edge reads of a request, without building a Fetch `Request` (its body stream and headers). */
function webhookRequest(req: IncomingMessage, rawBody: string): WebhookRequest {
  return {
    method: req.method ?? "GET",
    // Only the path and query matter: the edge signs against the app's public URL, never the Host.
    url: `http://localhost${req.url ?? "/"}`,
    // Node joins a repeated header with ", " as Fetch's Headers.get does (set-cookie aside, which no webhook sends).
    headers: {
      get(name: string) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    text: () => Promise.resolve(rawBody),
  };
}

function send(res: ServerResponse, answer: WebhookAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) }).end(answer.body);
}
