/**
 * Every provider's inbound webhook, delivered three times (providers retry on timeouts and
 * sometimes deliver twice), yields exactly one stored message and one reply handed to the provider;
 * bad signatures store nothing; delivery reports move the reply forward and a failure keeps the
 * provider's error code. All four edges run in one app over the real routes' services, against
 * local fakes of Twilio, Meta's Graph API and Resend, on PostgreSQL and PGlite, with two shops.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages, shops } from "../../db/schema";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import type { WebhookAnswer } from "~/edges/channel-webhook.server";
import { createServices, type AppServices } from "~/services.server";
import { connectChannelAccount } from "~/shops/install.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { metaWebhookSignature, startFakeMetaGraphApi, type FakeMetaGraphApi } from "../fakes/meta-graph-api.server";
import { resendWebhookHeaders, startFakeResendApi, type FakeResendApi } from "../fakes/resend-api.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, sandboxAppEnv, type TestDatabase } from "./support/databases";

const NOW = new Date("2026-01-13T11:00:00+01:00");
const PUBLIC_URL = "https://coccinelle.example.test";
const TWILIO = { sid: "AC" + "c3".repeat(16), token: "replay_twilio_token" };
const META = { token: "meta-replay-token", secret: "meta-replay-app-secret", verify: "our-verify-token", phoneNumberId: "106540352242922", display: "+15550783881" };
const RESEND = { key: "re_replay_key", secret: `whsec_${Buffer.from("replay-signing-secret-32-bytes!!").toString("base64")}` };
const SHOP = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761", emailAddress: "hello@elegance-paris.com" };
const OTHER = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762", emailAddress: "bonjour@atelier-lyon.fr" };
const JULIE = "+33645789012";

const fixture = (name: string) => readFileSync(new URL(`../../../shared/fixtures/channels/${name}`, import.meta.url), "utf8");

function twilioRequest(path: string, params: Record<string, string>, token = TWILIO.token) {
  return new Request(`http://127.0.0.1:3000${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${path}`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

function metaRequest(rawBody: string, secret = META.secret) {
  return new Request("http://127.0.0.1:3000/webhooks/channels/meta-whatsapp", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": metaWebhookSignature(secret, rawBody) },
    body: rawBody,
  });
}

function resendRequest(payload: unknown) {
  const rawBody = JSON.stringify(payload);
  const headers = resendWebhookHeaders(RESEND.secret, `msg_${randomBytes(6).toString("hex")}`, Math.floor(NOW.getTime() / 1000), rawBody);
  return new Request("http://127.0.0.1:3000/webhooks/channels/resend", { method: "POST", headers, body: rawBody });
}

describe.each(DATABASE_KINDS)("channel webhooks replayed on %s", (kind) => {
  let database: TestDatabase;
  let twilioApi: FakeTwilioApi;
  let graph: FakeMetaGraphApi;
  let resend: FakeResendApi;
  let services: AppServices;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    twilioApi = await startFakeTwilioApi({ accountSid: TWILIO.sid, authToken: TWILIO.token });
    graph = await startFakeMetaGraphApi({ accessToken: META.token, phoneNumbers: { [META.phoneNumberId]: META.display } });
    resend = await startFakeResendApi({ apiKey: RESEND.key });
    services = await createServices({
      env: sandboxAppEnv(database, PUBLIC_URL, {
        TWILIO_ACCOUNT_SID: TWILIO.sid,
        TWILIO_AUTH_TOKEN: TWILIO.token,
        TWILIO_API_BASE_URL: twilioApi.url,
        META_ACCESS_TOKEN: META.token,
        META_APP_SECRET: META.secret,
        META_VERIFY_TOKEN: META.verify,
        META_PHONE_NUMBER_ID: META.phoneNumberId,
        META_GRAPH_BASE_URL: graph.url,
        RESEND_API_KEY: RESEND.key,
        RESEND_WEBHOOK_SECRET: RESEND.secret,
        RESEND_API_BASE_URL: resend.url,
      }),
      logger: silentLogger,
      clock: createManualClock(NOW),
      sandboxShops: [SHOP, OTHER],
    });
    const [elegance] = await services.db.select().from(shops).where(eq(shops.domain, SHOP.domain));
    await connectChannelAccount(services.db, { shopId: elegance?.id ?? "", provider: "meta", channel: "whatsapp", address: META.display, now: NOW });
    workers = await startWorkers(services);
  });

  afterAll(async () => {
    await workers?.close();
    await services?.close();
    await Promise.all([twilioApi?.close(), graph?.close(), resend?.close()]);
    await database?.drop();
  });

  /** Delivers the same webhook three times (two of them at once) and waits for the reply. */
  async function thrice(send: () => Promise<WebhookAnswer>, provider: string, providerMessageId: string) {
    const statuses = [(await send()).status, ...(await Promise.all([send(), send()])).map((r) => r.status)];
    expect(statuses).toEqual([200, 200, 200]);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const stored = await services.db.select().from(messages).where(and(eq(messages.provider, provider), eq(messages.providerMessageId, providerMessageId)));
      const replies = stored[0] ? await services.db.select().from(messages).where(eq(messages.inReplyTo, stored[0].id)) : [];
      if ((replies[0] && replies[0].status !== "pending") || Date.now() > deadline) return { stored, replies };
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("Twilio SMS: three deliveries → one message, one reply sent once", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params = { MessageSid: sid, AccountSid: TWILIO.sid, From: JULIE, To: SHOP.smsNumber, Body: "Vous ouvrez à quelle heure samedi ?", NumMedia: "0" };
    const before = twilioApi.requests.length;
    expect((await services.webhooks.twilio(twilioRequest("/webhooks/channels/twilio", params, "not-the-token"))).status).toBe(403);
    const { stored, replies } = await thrice(() => services.webhooks.twilio(twilioRequest("/webhooks/channels/twilio", params)), "twilio", sid);
    expect(stored).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.status).toBe("sent");
    expect(twilioApi.requests.slice(before).filter((r) => r.form.To === JULIE)).toHaveLength(1);
  });

  it("Twilio WhatsApp: three deliveries → one message, one reply sent once", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params = { MessageSid: sid, AccountSid: TWILIO.sid, From: `whatsapp:${JULIE}`, To: `whatsapp:${SHOP.smsNumber}`, Body: "Bonjour, vous êtes où exactement ?", NumMedia: "0" };
    const before = twilioApi.requests.length;
    const { stored, replies } = await thrice(() => services.webhooks.twilioWhatsapp(twilioRequest("/webhooks/channels/twilio-whatsapp", params)), "twilio", sid);
    expect(stored).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect(twilioApi.requests.slice(before).filter((r) => r.form.To === `whatsapp:${JULIE}`)).toHaveLength(1);
  });

  it("Meta WhatsApp: handshake, bad signature refused, three deliveries → one message, one reply; statuses update it", async () => {
    const challenge = "1158201444";
    const handshake = (token: string) =>
      services.webhooks.metaWhatsapp(new Request(`http://127.0.0.1:3000/webhooks/channels/meta-whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=${challenge}`));
    const ok = await handshake(META.verify);
    expect([ok.status, ok.body]).toEqual([200, challenge]);
    expect((await handshake("guess")).status).toBe(403);

    const rawBody = fixture("meta_whatsapp_inbound_text.json");
    const wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
    expect((await services.webhooks.metaWhatsapp(metaRequest(rawBody, "another-secret"))).status).toBe(403);
    expect(await services.db.select().from(messages).where(eq(messages.providerMessageId, wamid))).toHaveLength(0);
    expect((await services.webhooks.metaWhatsapp(metaRequest("{not json"))).status).toBe(400);

    const { stored, replies } = await thrice(() => services.webhooks.metaWhatsapp(metaRequest(rawBody)), "meta", wamid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ channel: "whatsapp", fromAddress: "+16505551234", toAddress: META.display, body: "Does it come in another color?" });
    expect(replies).toHaveLength(1);
    const sent = graph.requests.filter((r) => r.json?.to === "16505551234" || r.json?.to === "+16505551234");
    expect(sent).toHaveLength(1);

    // Meta reports on the same URL: delivered, then read; a late "sent" changes nothing; a failure keeps its code.
    const reply = replies[0];
    const status = (word: string) =>
      fixture("meta_whatsapp_status_failed.json").replace("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA", reply?.providerMessageId ?? "").replace('"status": "failed"', `"status": "${word}"`);
    for (const word of ["delivered", "read", "sent"]) expect((await services.webhooks.metaWhatsapp(metaRequest(status(word)))).status).toBe(200);
    const [read] = await services.db.select().from(messages).where(eq(messages.id, reply?.id ?? ""));
    expect(read?.status).toBe("read");
    expect((await services.webhooks.metaWhatsapp(metaRequest(status("failed")))).status).toBe(200);
    const [failed] = await services.db.select().from(messages).where(eq(messages.id, reply?.id ?? ""));
    expect([failed?.status, failed?.errorCode]).toEqual(["failed", "131049"]);
  });

  it("Resend email: three deliveries → one message, one email sent once; another shop's address stays that shop's", async () => {
    const id = randomUUID();
    resend.received.set(id, {
      object: "email",
      id,
      to: [SHOP.emailAddress],
      from: "Julie Mercier <julie.mercier@gmail.com>",
      created_at: NOW.toISOString(),
      subject: "Horaires",
      text: "Bonjour, vous ouvrez à quelle heure samedi ?\n\nJulie",
      html: null,
      headers: {},
      bcc: [],
      cc: [],
      reply_to: [],
      message_id: `<${id}@gmail.com>`,
      attachments: [],
    });
    const payload = { type: "email.received", created_at: NOW.toISOString(), data: { email_id: id, from: "julie.mercier@gmail.com", to: [SHOP.emailAddress], subject: "Horaires", message_id: `<${id}@gmail.com>` } };
    const { stored, replies } = await thrice(() => services.webhooks.resend(resendRequest(payload)), "resend", id);
    expect(stored).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect(resend.requests.filter((r) => r.method === "POST" && r.path === "/emails" && JSON.stringify(r.json?.to) === '["julie.mercier@gmail.com"]')).toHaveLength(1);
    const [elegance] = await services.db.select().from(shops).where(eq(shops.domain, SHOP.domain));
    expect(stored[0]?.shopId).toBe(elegance?.id);
  });
});
