/**
 * Customer-message webhooks (Twilio SMS and WhatsApp, Meta WhatsApp, Resend), served by Express
 * ahead of the static files and Remix: they are the app's hottest path (`npm run bench`) and need
 * neither the router nor React, only the edge (app/edges/channel-webhook.server.ts). The paths are
 * the ones given to the providers: /webhooks/channels/{twilio,twilio-whatsapp,meta-whatsapp,resend}.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Router } from "express";
import express from "express";
import type { WebhookRequest } from "../app/edges/channel-webhook.server";
import type { AppServices } from "../app/services.server";

/** The edge of each path segment. */
function edges(services: AppServices): Record<string, (request: WebhookRequest) => Promise<Response>> {
  return {
    twilio: services.webhooks.twilio,
    "twilio-whatsapp": services.webhooks.twilioWhatsapp,
    "meta-whatsapp": services.webhooks.metaWhatsapp,
    resend: services.webhooks.resend,
  };
}

export function channelWebhookRouter(options: { services: AppServices; onError: (error: unknown) => void }): Router {
  const byName = edges(options.services);
  const router = express.Router();
  router.all("/webhooks/channels/:channel", (req, res, next) => {
    const edge = byName[req.params.channel ?? ""];
    if (!edge) return next();
    readBody(req)
      .then((rawBody) => edge(webhookRequest(req, rawBody)))
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        // The provider sees a 500 and retries; nothing was acknowledged.
        options.onError(error);
        if (!res.headersSent) res.status(500).type("text/plain").send("internal error");
        else res.end();
      });
  });
  return router;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

/** What the edge reads of a request, without building a Fetch `Request` (and its body stream). */
function webhookRequest(req: IncomingMessage, rawBody: string): WebhookRequest {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  return {
    method: req.method ?? "GET",
    // Only the path and query matter: the edge signs against the app's public URL, never the Host.
    url: `http://localhost${req.url ?? "/"}`,
    headers,
    text: () => Promise.resolve(rawBody),
  };
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.setHeader("Content-Length", body.length);
  res.statusCode = response.status;
  res.end(body);
}
