/**
 * The first vertical slice end to end, on real PostgreSQL and on PGlite, with real Redis/BullMQ
 * and a local fake Twilio API: signed SMS in → stored → queued → engine on the sandbox shop →
 * one reply through the twilio SDK. Two shops with different numbers never see each other.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customers, messages } from "../../db/schema";
import { getMessage, listCustomers, listRecentMessages } from "~/conversation/messages.server";
import type { MessageRecord } from "~/conversation/record";
import { loadEnv } from "~/env.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { findShopByDomain } from "~/shops/install.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, TEST_REDIS_URL, type TestDatabase } from "./support/databases";
import { waitFor } from "./support/wait";

const ACCOUNT_SID = "AC" + "a1".repeat(16);
const AUTH_TOKEN = "integration_auth_token";
const PUBLIC_URL = "https://coccinelle.example.test";
const WEBHOOK_PATH = "/webhooks/channels/twilio";
const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const JULIE = "+33645789012";

function inboundParams(over: Partial<Record<string, string>> = {}): Record<string, string> {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: ACCOUNT_SID,
    From: JULIE,
    To: SHOP_A.smsNumber,
    Body: "Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍",
    NumMedia: "0",
    NumSegments: "2",
    SmsStatus: "received",
    ApiVersion: "2010-04-01",
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete params[k];
    else params[k] = v;
  }
  return params;
}

/** A request as it reaches the app behind a proxy: internal Host, public URL signed by Twilio. */
function twilioRequest(params: Record<string, string>, options: { signUrl?: string; token?: string; signature?: string | null } = {}) {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, options.signUrl ?? `${PUBLIC_URL}${WEBHOOK_PATH}`, params)
      : options.signature;
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (signature !== null) headers["X-Twilio-Signature"] = signature;
  return new Request(`http://10.0.0.12:3000${WEBHOOK_PATH}`, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}

describe.each(DATABASE_KINDS)("inbound SMS on %s", (kind) => {
  let database: TestDatabase;
  let fake: FakeTwilioApi;
  let services: AppServices;
  let workers: { close(): Promise<void> };
  const prefix = `test-${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const env = loadEnv({
      ...database.env,
      SHOPIFY_SANDBOX: "1",
      SHOPIFY_APP_URL: PUBLIC_URL,
      QUEUE: "redis",
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.url,
      LOG_LEVEL: "silent",
    });
    services = await createServices({
      env,
      logger: silentLogger,
      clock: createManualClock(new Date("2026-01-12T10:15:00+01:00")),
      sandboxShops: [SHOP_A, SHOP_B],
    });
    workers = await startWorkers(services);
  });

  afterAll(async () => {
    await workers?.close();
    await services?.close();
    await fake?.close();
    await database?.drop();
  });

  const repliesTo = (inboundId: string) =>
    services.db.select().from(messages).where(eq(messages.inReplyTo, inboundId));
  const inboundBySid = async (sid: string) =>
    (await services.db.select().from(messages).where(eq(messages.providerMessageId, sid)).limit(1))[0];

  it("answers Julie's availability question with the live quantity, through the twilio SDK", async () => {
    const params = inboundParams();
    const before = fake.requests.length;
    const started = performance.now();
    const response = await services.webhooks.twilio(twilioRequest(params));
    const ackMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/xml/);
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(ackMs).toBeLessThan(500); // generous here; the HTTP acceptance test measures < 50 ms

    await waitFor(async () => fake.requests.length > before);
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(sent[0]?.form).toMatchObject({ To: JULIE, From: SHOP_A.smsNumber });
    expect(sent[0]?.form.Body).toBe(
      "Bonjour Julie ! Oui, on a la Robe Fleurie Bleue en 38 ! Elle est à 89 €. Il nous en reste 2 en boutique. Tu veux que je te la garde jusqu'à demain 18h ?\nSarah & l'équipe Élégance Paris",
    );

    const inbound = await inboundBySid(params.MessageSid ?? "");
    const handled = await waitFor(async () => {
      const m = inbound && (await getMessage(services.db, inbound.shopId, inbound.id));
      return m && m.status === "processed" ? m : null;
    });
    const record = handled.record as MessageRecord;
    expect(record.understanding).toMatchObject({ intent: "product_availability", language: "fr" });
    expect(record.lookups.find((l) => l.output.sku === "RF-2847-38")?.output.available).toBe(2);
    const [reply] = await repliesTo(handled.id);
    expect(reply).toMatchObject({ status: "sent", author: "ai", direction: "outbound" });
    expect(reply?.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);

    // The customer profile was created on first contact and linked to the Shopify customer.
    const [julie] = await services.db
      .select()
      .from(customers)
      .where(and(eq(customers.shopId, inbound?.shopId ?? ""), eq(customers.phone, JULIE)));
    expect(julie).toMatchObject({ firstName: "Julie", lastName: "Mercier", shopifyCustomerId: "gid://shopify/Customer/6001" });
  });

  it("refuses a signature made over the Host header's URL instead of the public URL (403, nothing stored)", async () => {
    const params = inboundParams();
    const response = await services.webhooks.twilio(twilioRequest(params, { signUrl: `http://10.0.0.12:3000${WEBHOOK_PATH}` }));
    expect(response.status).toBe(403);
    expect(await inboundBySid(params.MessageSid ?? "")).toBeUndefined();
  });

  it("refuses unsigned and wrongly signed requests (403, nothing stored, nothing sent)", async () => {
    const before = fake.requests.length;
    for (const request of [
      twilioRequest(inboundParams(), { signature: null }),
      twilioRequest(inboundParams(), { token: "not-the-token" }),
      twilioRequest(inboundParams(), { signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" }),
    ]) {
      const response = await services.webhooks.twilio(request);
      expect(response.status).toBe(403);
    }
    const stored = await services.db.select().from(messages).where(eq(messages.body, inboundParams().Body ?? ""));
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.requests.length).toBe(before);
    expect(stored.every((m) => m.status !== "received")).toBe(true);
  });

  it("answers 400 to a correctly signed form without MessageSid, and 404 to a number no shop owns", async () => {
    const noSid = inboundParams({ MessageSid: undefined, SmsMessageSid: undefined, SmsSid: undefined });
    expect((await services.webhooks.twilio(twilioRequest(noSid))).status).toBe(400);
    const unknown = inboundParams({ To: "+33100000000" });
    expect((await services.webhooks.twilio(twilioRequest(unknown))).status).toBe(404);
    expect(await inboundBySid(unknown.MessageSid ?? "")).toBeUndefined();
  });

  it("replies once to the same MessageSid delivered twice, even concurrently", async () => {
    const params = inboundParams({ Body: "Vous avez le blazer beige en 40 ?" });
    const before = fake.requests.length;
    const [a, b] = await Promise.all([
      services.webhooks.twilio(twilioRequest(params)),
      services.webhooks.twilio(twilioRequest(params)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const inbound = await waitFor(() => inboundBySid(params.MessageSid ?? ""));
    await waitFor(async () => (await getMessage(services.db, inbound.shopId, inbound.id))?.status === "processed");
    const again = await services.webhooks.twilio(twilioRequest(params));
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.length - before).toBe(1);
    expect(await repliesTo(inbound.id)).toHaveLength(1);
  });

  it("keeps two shops apart: each sees only its own customers and messages", async () => {
    const params = inboundParams({ To: SHOP_B.smsNumber, From: "+33611223344", Body: "Vous avez la robe bordeaux en 36 ?" });
    expect((await services.webhooks.twilio(twilioRequest(params))).status).toBe(200);
    const inboundB = await waitFor(() => inboundBySid(params.MessageSid ?? ""));
    await waitFor(async () => (await getMessage(services.db, inboundB.shopId, inboundB.id))?.status === "processed");

    const shopA = await findShopByDomain(services.db, SHOP_A.domain);
    const shopB = await findShopByDomain(services.db, SHOP_B.domain);
    if (!shopA || !shopB) throw new Error("shops not installed");
    expect(inboundB.shopId).toBe(shopB.id);

    const customersA = await listCustomers(services.db, shopA.id);
    const customersB = await listCustomers(services.db, shopB.id);
    expect(customersA.map((c) => c.phone)).toContain(JULIE);
    expect(customersA.map((c) => c.phone)).not.toContain("+33611223344");
    expect(customersB.map((c) => c.phone)).toEqual(["+33611223344"]);

    const messagesA = await listRecentMessages(services.db, shopA.id, 100);
    const messagesB = await listRecentMessages(services.db, shopB.id, 100);
    expect(messagesA.some((m) => m.id === inboundB.id)).toBe(false);
    expect(messagesB.map((m) => m.direction).sort()).toEqual(["inbound", "outbound"]);
    // Reading another shop's message by id finds nothing.
    expect(await getMessage(services.db, shopA.id, inboundB.id)).toBeNull();
  });

  it("after STOP on one shop's number answers nothing there until START; another shop's number still answers", async () => {
    const from = "+33677001122";
    const send = async (to: string, body: string) => {
      const params = inboundParams({ From: from, To: to, Body: body });
      expect((await services.webhooks.twilio(twilioRequest(params))).status).toBe(200);
      const inbound = await waitFor(() => inboundBySid(params.MessageSid ?? ""));
      await waitFor(async () => (await getMessage(services.db, inbound.shopId, inbound.id))?.status === "processed");
      return repliesTo(inbound.id);
    };
    const question = "Vous avez la robe fleurie bleue en 38 ?";
    expect(await send(SHOP_A.smsNumber, "STOP")).toHaveLength(1); // the opt-out confirmation
    expect(await send(SHOP_A.smsNumber, question)).toEqual([]);
    expect(await send(SHOP_B.smsNumber, question)).toHaveLength(1);
    expect(await send(SHOP_A.smsNumber, "START")).toHaveLength(1);
    const [answer] = await send(SHOP_A.smsNumber, question);
    expect(answer?.body).toContain("Robe Fleurie Bleue");
  });
});
