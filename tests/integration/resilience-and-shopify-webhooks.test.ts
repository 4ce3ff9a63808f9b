/**
 * Nothing is lost when Redis is down (the message is stored and acknowledged, then queued by the
 * worker's sweep or by the provider's retry, and answered once),
 * and Shopify's app/uninstalled webhook: HMAC-verified, idempotent, deletes the shop's sessions.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import { eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages, sessionTable, shops } from "../../db/schema";
import { loadEnv } from "~/env.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { SANDBOX_API_SECRET } from "~/shopify.server";
import { queueWaitingInboundMessages } from "../../jobs/conversation-reply.server";
import { QueueUnavailableError } from "../../jobs/queues.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "./support/databases";

const PUBLIC_URL = "https://coccinelle.example.test";
const AUTH_TOKEN = "resilience_auth_token";
const SHOP = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const OTHER = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };

function baseEnv(database: TestDatabase, redisUrl: string, prefix: string) {
  return loadEnv({
    ...database.env,
    SHOPIFY_SANDBOX: "1",
    SHOPIFY_APP_URL: PUBLIC_URL,
    QUEUE: "redis",
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    LOG_LEVEL: "silent",
  });
}

function signedSms(params: Record<string, string>) {
  const url = `${PUBLIC_URL}/webhooks/channels/twilio`;
  return new Request("http://127.0.0.1:3000/webhooks/channels/twilio", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Twilio-Signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe("with PostgreSQL shared by two app processes", () => {
  let database: TestDatabase;
  let healthy: AppServices;
  let redisDown: AppServices;
  let workers: { close(): Promise<void> };
  const prefix = `test-${randomBytes(4).toString("hex")}`;
  const clock = createManualClock(new Date("2026-01-12T10:15:00+01:00"));

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    healthy = await createServices({ env: baseEnv(database, TEST_REDIS_URL, prefix), logger: silentLogger, clock, sandboxShops: [SHOP, OTHER] });
    // Port 1 on loopback: nothing listens, so every Redis command fails.
    redisDown = await createServices({ env: baseEnv(database, "redis://127.0.0.1:1", prefix), logger: silentLogger, clock, sandboxShops: [SHOP, OTHER] });
    workers = await startWorkers(healthy);
  });

  afterAll(async () => {
    await workers?.close();
    await redisDown?.close();
    await healthy?.close();
    await database?.drop();
  });

  const waitForReply = async (providerMessageId: string) => {
    const deadline = Date.now() + 15_000;
    let inbound;
    do {
      [inbound] = await healthy.db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId));
      if (inbound?.status === "processed") break;
      await new Promise((r) => setTimeout(r, 25));
    } while (Date.now() < deadline);
    expect(inbound?.status).toBe("processed");
    return { inbound, replies: await healthy.db.select().from(messages).where(eq(messages.inReplyTo, inbound?.id ?? "")) };
  };

  it("acknowledges a message stored while Redis is down (Twilio would not retry a 503), and the worker's sweep answers it once", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params = { MessageSid: sid, From: "+33645789012", To: SHOP.smsNumber, Body: "Vous avez la robe fleurie bleue en 36 ?", SmsStatus: "received" };
    const first = await redisDown.webhooks.twilio(signedSms(params));
    expect(first.status).toBe(200);
    const [stored] = await healthy.db.select().from(messages).where(eq(messages.providerMessageId, sid));
    expect(stored?.status).toBe("received");

    // Under a minute old, the webhook may still be queuing it: the sweep leaves it.
    expect(await queueWaitingInboundMessages(healthy)).toBe(0);
    clock.advance(61_000);
    expect(await queueWaitingInboundMessages(redisDown).catch((error: unknown) => error)).toBeInstanceOf(QueueUnavailableError);
    expect(await queueWaitingInboundMessages(healthy)).toBe(1);
    const { replies } = await waitForReply(sid);
    expect(replies).toHaveLength(1);
    // No Account SID configured: the reply is kept in the outbox, with the reason.
    expect(replies[0]).toMatchObject({ status: "outbox" });
    expect(replies[0]?.body).toContain("Il nous en reste 1");

    // Answered: a later sweep and a provider retry leave it alone.
    expect(await queueWaitingInboundMessages(healthy)).toBe(0);
    expect((await healthy.webhooks.twilio(signedSms(params))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await healthy.db.select().from(messages).where(eq(messages.inReplyTo, stored?.id ?? ""))).toHaveLength(1);
  });

  it("queues a message stored while Redis was down when the provider retries it (Meta and Resend do)", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params = { MessageSid: sid, From: "+33645789013", To: OTHER.smsNumber, Body: "Vous avez la robe fleurie bleue en 36 ?", SmsStatus: "received" };
    expect((await redisDown.webhooks.twilio(signedSms(params))).status).toBe(200);
    expect((await healthy.webhooks.twilio(signedSms(params))).status).toBe(200);
    const { inbound, replies } = await waitForReply(sid);
    const [other] = await healthy.db.select().from(shops).where(eq(shops.domain, OTHER.domain));
    expect(inbound?.shopId).toBe(other?.id);
    expect(replies).toHaveLength(1);
  });

  describe("app/uninstalled", () => {
    const body = fs.readFileSync(new URL("../fixtures/shopify/app__uninstalled.json", import.meta.url), "utf8");
    const request = (hmacSecret: string, eventId: string) =>
      new Request(`${PUBLIC_URL}/webhooks/app/uninstalled`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "app/uninstalled",
          "X-Shopify-Hmac-Sha256": createHmac("sha256", hmacSecret).update(body, "utf8").digest("base64"),
          "X-Shopify-Shop-Domain": SHOP.domain,
          "X-Shopify-API-Version": "2026-04",
          "X-Shopify-Webhook-Id": `wh-${eventId}`,
          "X-Shopify-Event-Id": eventId,
          "X-Shopify-Triggered-At": "2026-01-12T09:20:00.000Z",
        },
        body,
      });

    it("refuses a wrong HMAC and keeps the sessions", async () => {
      const response = await healthy.webhooks.shopify(request("wrong-secret", "evt-bad"));
      expect(response.status).toBe(401);
      const sessions = await healthy.db.select().from(sessionTable).where(eq(sessionTable.shop, SHOP.domain));
      expect(sessions).toHaveLength(1);
    });

    it("deletes only that shop's sessions, marks it uninstalled, and acknowledges a retry", async () => {
      const eventId = `evt-${randomBytes(4).toString("hex")}`;
      expect((await healthy.webhooks.shopify(request(SANDBOX_API_SECRET, eventId))).status).toBe(200);
      expect(await healthy.db.select().from(sessionTable).where(eq(sessionTable.shop, SHOP.domain))).toHaveLength(0);
      expect(await healthy.db.select().from(sessionTable).where(eq(sessionTable.shop, OTHER.domain))).toHaveLength(1);
      const [row] = await healthy.db.select().from(shops).where(eq(shops.domain, SHOP.domain));
      expect(row?.uninstalledAt).toBeInstanceOf(Date);
      // Data stays until shop/redact: the messages are still there.
      expect((await healthy.db.select().from(messages).where(eq(messages.shopId, row?.id ?? ""))).length).toBeGreaterThan(0);
      // Shopify retries the same event: 200, nothing else happens.
      expect((await healthy.webhooks.shopify(request(SANDBOX_API_SECRET, eventId))).status).toBe(200);
    });
  });
});
