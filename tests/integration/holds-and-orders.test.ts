/**
 * Issue acceptance, end to end on the sandbox shop (PostgreSQL and PGlite, real Redis/BullMQ):
 * Julie's hold on the dress makes `available` go 2 → 1; her signed orders/create webhook releases it
 * (stock counted once), schedules the thank-you (+2 h) and follow-up (+7 days) and attributes the
 * revenue to the AI; replaying the webhook changes nothing. Shop B never sees any of it.
 */
import { createHmac, randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customers, holds, messages, orderAttributions, scheduledMessages } from "../../db/schema";
import { holdDeadline } from "~/holds/deadline";
import { placeHold } from "~/holds/holds.server";
import { loadEnv } from "~/env.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { SANDBOX_API_SECRET } from "~/shopify.server";
import { findShopByDomain } from "~/shops/install.server";
import { QUEUE_NAMES } from "../../jobs/queues.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { createTestDatabase, DATABASE_KINDS, TEST_REDIS_URL, type TestDatabase } from "./support/databases";
import { waitFor } from "./support/wait";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const PUBLIC_URL = "https://coccinelle.example.test";
const TOKEN = "holds_flow_token";
const DRESS_38 = "gid://shopify/ProductVariant/2002";

function orderWebhook(eventId: string) {
  const body = JSON.stringify({
    id: 7203,
    admin_graphql_api_id: "gid://shopify/Order/7203",
    name: "#7203",
    created_at: "2026-01-13T17:05:00+01:00",
    email: "julie.mercier@gmail.com",
    phone: null,
    total_price: "89.00",
    currency: "EUR",
    customer: { id: 6001, admin_graphql_api_id: "gid://shopify/Customer/6001", email: "julie.mercier@gmail.com", phone: "+33645789012" },
    line_items: [{ id: 8999, variant_id: 2002, sku: "RF-2847-38", title: "Robe Fleurie Bleue", variant_title: "38", quantity: 1 }],
  });
  return new Request(`${PUBLIC_URL}/webhooks/orders/create`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "orders/create",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SANDBOX_API_SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": SHOP_A.domain,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Webhook-Id": `wh-${eventId}`,
      "X-Shopify-Event-Id": eventId,
    },
    body,
  });
}

describe.each(DATABASE_KINDS)("holds and orders on %s", (kind) => {
  let database: TestDatabase;
  let services: AppServices;
  let workers: { close(): Promise<void> };
  const prefix = `test-${randomBytes(4).toString("hex")}`;
  const clock = createManualClock(new Date("2026-01-12T10:15:00+01:00"));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await createServices({
      env: loadEnv({ ...database.env, SHOPIFY_SANDBOX: "1", SHOPIFY_APP_URL: PUBLIC_URL, QUEUE: "redis", REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TWILIO_AUTH_TOKEN: TOKEN, LOG_LEVEL: "silent" }),
      logger: silentLogger,
      clock,
      sandboxShops: [SHOP_A, SHOP_B],
    });
    workers = await startWorkers(services);
  });

  afterAll(async () => {
    await workers?.close();
    const q = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    await q.obliterate({ force: true });
    await q.close();
    await services?.close();
    await database?.drop();
  });

  it("hold 2 → 1, order releases it, thank-you and follow-up scheduled, revenue attributed, replay changes nothing", async () => {
    // Julie asks; the AI answers (her profile is created and linked to Shopify customer 6001).
    const params = { MessageSid: `SM${randomBytes(16).toString("hex")}`, From: "+33645789012", To: SHOP_A.smsNumber, Body: "la robe fleurie bleue en 38, vous l'avez ?", SmsStatus: "received" };
    const sms = new Request(`${PUBLIC_URL}/webhooks/channels/twilio`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}/webhooks/channels/twilio`, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect((await services.webhooks.twilio(sms)).status).toBe(200);
    const shopA = await findShopByDomain(services.db, SHOP_A.domain);
    if (!shopA) throw new Error("no shop");
    const julie = await waitFor(async () => {
      const [c] = await services.db.select().from(customers).where(and(eq(customers.shopId, shopA.id), eq(customers.phone, "+33645789012")));
      return c?.shopifyCustomerId ? c : null;
    });
    await waitFor(async () => (await services.db.select().from(messages).where(and(eq(messages.shopId, shopA.id), eq(messages.author, "ai")))).length > 0);

    const capsA = await services.engine.capabilities(SHOP_A.domain);
    const capsB = await services.engine.capabilities(SHOP_B.domain);
    expect((await capsA.inventory.availability(DRESS_38)).available).toBe(2);

    const hold = await placeHold(
      { db: services.db, clock, holds: capsA.holds },
      {
        shopId: shopA.id,
        customerId: julie.id,
        providerCustomerId: julie.shopifyCustomerId ?? "",
        items: [{ variantId: DRESS_38, inventoryItemId: "gid://shopify/InventoryItem/3002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }],
        expiresAt: holdDeadline(shopA.settings.policies.holdUntil, clock.now(), shopA.timezone),
        idempotencyKey: "julie-rf-2847-38",
      },
    );
    expect(hold.expiresAt.toISOString()).toBe("2026-01-13T17:00:00.000Z"); // Tuesday 18:00 in Paris
    expect((await capsA.inventory.availability(DRESS_38)).available).toBe(1);
    expect((await capsB.inventory.availability(DRESS_38)).available).toBe(2);

    // Tuesday 17:05, Julie buys it online.
    clock.set(new Date("2026-01-13T17:06:00+01:00"));
    expect((await services.webhooks.shopify(orderWebhook("evt-order-1"))).status).toBe(200);
    const completed = await waitFor(async () => {
      const [h] = await services.db.select().from(holds).where(eq(holds.id, hold.id));
      return h?.status === "completed" ? h : null;
    });
    expect(completed.orderId).toBe("gid://shopify/Order/7203");
    // The draft order is gone: the reservation no longer counts the unit a second time.
    expect((await capsA.inventory.availability(DRESS_38)).available).toBe(2);
    expect(await capsA.holds.listByCustomer(julie.shopifyCustomerId ?? "")).toEqual([]);

    // The job goes on after the hold: thank-you then follow-up, each stored and armed in turn.
    const scheduled = await waitFor(async () => {
      const rows = await services.db.select().from(scheduledMessages).where(eq(scheduledMessages.shopId, shopA.id));
      return rows.length >= 2 ? rows : null;
    });
    expect(scheduled.map((s) => [s.type, s.dueAt.toISOString()]).sort()).toEqual([
      ["follow_up", "2026-01-20T16:05:00.000Z"],
      ["thank_you", "2026-01-13T18:05:00.000Z"],
    ]);
    const [attribution] = await services.db.select().from(orderAttributions).where(eq(orderAttributions.shopId, shopA.id));
    expect(attribution).toMatchObject({ orderName: "#7203", amount: "89.00", aiAttributed: true });

    // Replays: the same event (deduped at the edge), and the same order under a new event id.
    expect((await services.webhooks.shopify(orderWebhook("evt-order-1"))).status).toBe(200);
    expect((await services.webhooks.shopify(orderWebhook("evt-order-2"))).status).toBe(200);
    const q = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    await waitFor(async () => (await q.getJob("shopify-evt-order-2"))?.finishedOn);
    await q.close();
    expect(await services.db.select().from(scheduledMessages).where(eq(scheduledMessages.shopId, shopA.id))).toHaveLength(2);
    expect(await services.db.select().from(orderAttributions).where(eq(orderAttributions.shopId, shopA.id))).toHaveLength(1);
    expect((await capsA.inventory.availability(DRESS_38)).available).toBe(2);
  });
});
