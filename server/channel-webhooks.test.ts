/**
 * The customer-message webhooks served ahead of Express (server/channel-webhooks.ts), on a real
 * HTTP server: the edge reads the method, the path and query, the headers as Fetch's Headers reads
 * them and the raw body whole; its answer goes back as given; any other path is left to the next
 * handler; an edge that throws is a 500 the provider retries.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookRequest } from "../app/edges/channel-webhook.server";
import { createChannelWebhookHandler } from "./channel-webhooks";

describe("createChannelWebhookHandler", () => {
  const seen: Array<{ edge: string; method: string; url: string; signature: string | null; forwarded: string | null; missing: string | null; body: string }> = [];
  const errors: unknown[] = [];
  const edge = (name: string) => async (request: WebhookRequest) => {
    const body = await request.text();
    seen.push({ edge: name, method: request.method, url: request.url, signature: request.headers.get("X-Twilio-Signature"), forwarded: request.headers.get("x-forwarded-for"), missing: request.headers.get("x-nothing"), body });
    if (body === "throw") throw new Error("edge failed");
    return { status: 200, headers: { "content-type": "text/xml; charset=utf-8", "x-edge": name }, body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };
  };
  const handler = createChannelWebhookHandler({
    webhooks: { twilio: edge("twilio"), twilioWhatsapp: edge("twilio-whatsapp"), metaWhatsapp: edge("meta-whatsapp"), resend: edge("resend") },
    onError: (error) => errors.push(error),
  });
  const server = http.createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404, { "Content-Type": "text/plain" }).end(`next handler: ${req.url}`);
  });
  let base = "";

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A raw request, so that the body can arrive in pieces and a header can repeat. */
  const raw = (path: string, headers: Array<[string, string]>, chunks: Buffer[]) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const request = http.request(`${base}${path}`, { method: "POST" }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (chunk: Buffer) => parts.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString("utf8") }));
      });
      request.on("error", reject);
      for (const [name, value] of headers) request.appendHeader(name, value);
      request.flushHeaders();
      void (async () => {
        for (const chunk of chunks) {
          request.write(chunk);
          await new Promise((r) => setTimeout(r, 10));
        }
        request.end();
      })();
    });

  it("hands the edge the request it needs and sends its answer back as given", async () => {
    // "é" split between two chunks: the body is decoded once it is whole.
    const body = Buffer.from("Body=Vous l'avez en 38 ? Merci, bonne journée&From=%2B33645789012", "utf8");
    const split = body.indexOf(Buffer.from("é")) + 1;
    const response = await raw(
      "/webhooks/channels/twilio?shop=elegance",
      [
        ["Content-Type", "application/x-www-form-urlencoded"],
        ["X-Twilio-Signature", "c2lnbmF0dXJl"],
        ["X-Forwarded-For", "10.0.0.1"],
        ["X-Forwarded-For", "10.0.0.2"],
      ],
      [body.subarray(0, split), body.subarray(split)],
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/xml; charset=utf-8");
    expect(response.headers["x-edge"]).toBe("twilio");
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(response.body));
    expect(seen.at(-1)).toEqual({
      edge: "twilio",
      method: "POST",
      url: "http://localhost/webhooks/channels/twilio?shop=elegance",
      signature: "c2lnbmF0dXJl",
      forwarded: "10.0.0.1, 10.0.0.2",
      missing: null,
      body: body.toString("utf8"),
    });
  });

  it("routes each provider's path to its edge", async () => {
    for (const name of ["twilio-whatsapp", "meta-whatsapp", "resend"]) {
      const response = await raw(`/webhooks/channels/${name}`, [], [Buffer.from("{}")]);
      expect(response.headers["x-edge"]).toBe(name);
      expect(seen.at(-1)?.edge).toBe(name);
    }
  });

  it("leaves any other path to the next handler", async () => {
    const count = seen.length;
    for (const path of ["/webhooks/channels/unknown", "/webhooks/channels/", "/webhooks/channelsx/twilio", "/webhooks/app/uninstalled", "/app"]) {
      const response = await raw(path, [], [Buffer.from("x")]);
      expect(response).toMatchObject({ status: 404, body: `next handler: ${path}` });
    }
    expect(seen).toHaveLength(count);
  });

  it("answers 500 when the edge throws, and reports the error", async () => {
    const response = await raw("/webhooks/channels/twilio", [], [Buffer.from("throw")]);
    expect(response).toMatchObject({ status: 500, body: "internal error" });
    expect(errors.map((e) => (e as Error).message)).toEqual(["edge failed"]);
  });
});
