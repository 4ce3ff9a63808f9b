/**
 * Shopify webhooks on PostgreSQL and PGlite, two shops: the edge (HMAC 401, malformed JSON 400 with
 * nothing stored, dedupe on X-Shopify-Event-Id, one queued job) and the work of each topic.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import { Queue } from "bullmq";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  backInStockSubscriptions,
  conversations,
  customers,
  dataExports,
  holds,
  messages,
  notifications,
  orderAttributions,
  scheduledMessages,
  shipmentTrackings,
  shops,
  webhookEvents,
} from "../../db/schema";
import { loadEnv } from "~/env.server";
import { parseJsonLossless } from "~/lib/json";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { handleCustomersDataRequest, handleCustomersRedact, handleShopRedact, REDACTED } from "~/plugins/integrations/shopify/webhooks/compliance.server";
import { handleFulfillment } from "~/plugins/integrations/shopify/webhooks/fulfillments.server";
import { handleInventoryLevel } from "~/plugins/integrations/shopify/webhooks/inventory-levels.server";
import { handleOrderCreated } from "~/plugins/integrations/shopify/webhooks/orders-create.server";
import { fulfillmentWebhookSchema, inventoryLevelWebhookSchema, orderWebhookSchema } from "~/plugins/integrations/shopify/webhooks/payloads";
import { createServices, type AppServices } from "~/services.server";
import { SANDBOX_API_SECRET } from "~/shopify.server";
import { findShopByDomain, type ShopRow } from "~/shops/install.server";
import { QUEUE_NAMES } from "../../jobs/queues.server";
import { createTestDatabase, DATABASE_KINDS, TEST_REDIS_URL, type TestDatabase } from "./support/databases";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), "utf8");

function webhook(topic: string, body: string, opts: { shop?: string; secret?: string; eventId?: string } = {}) {
  return new Request(`https://coccinelle.example.test/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", opts.secret ?? SANDBOX_API_SECRET).update(body, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": opts.shop ?? SHOP_A.domain,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Webhook-Id": `wh-${opts.eventId ?? "x"}`,
      "X-Shopify-Event-Id": opts.eventId ?? `evt-${randomBytes(6).toString("hex")}`,
      "X-Shopify-Triggered-At": "2026-01-13T16:05:00.000Z",
    },
    body,
  });
}

/** Julie buys the dress she had on hold, the day after. */
function julieOrder(orderId = "7203") {
  const order = parseJsonLossless(fixture("orders__create")) as Record<string, unknown>;
  return JSON.stringify({
    ...order,
    id: Number(orderId),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId}`,
    created_at: "2026-01-13T17:05:00+01:00",
    email: "julie.mercier@gmail.com",
    phone: null,
    total_price: "89.00",
    currency: "EUR",
    customer: { id: 6001, admin_graphql_api_id: "gid://shopify/Customer/6001", email: "julie.mercier@gmail.com", phone: "+33645789012" },
    line_items: [{ variant_id: 2002, sku: "RF-2847-38", title: "Robe Fleurie Bleue", variant_title: "38", quantity: 1 }],
  });
}

describe.each(DATABASE_KINDS)("Shopify webhooks on %s", (kind) => {
  let database: TestDatabase;
  let services: AppServices;
  let shopA: ShopRow;
  let shopB: ShopRow;
  const prefix = `test-${randomBytes(4).toString("hex")}`;
  const clock = createManualClock(new Date("2026-01-13T17:06:00+01:00"));
  const cancelled: string[] = [];
  const holdsDouble = { cancel: async (id: string) => void cancelled.push(id) };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await createServices({
      env: loadEnv({ ...database.env, SHOPIFY_SANDBOX: "1", QUEUE: "redis", REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "silent" }),
      logger: silentLogger,
      clock,
      sandboxShops: [SHOP_A, SHOP_B],
    });
    shopA = (await findShopByDomain(services.db, SHOP_A.domain)) as ShopRow;
    shopB = (await findShopByDomain(services.db, SHOP_B.domain)) as ShopRow;
  });

  afterAll(async () => {
    const q = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    await q.obliterate({ force: true });
    await q.close();
    await services?.close();
    await database?.drop();
  });

  beforeEach(() => {
    cancelled.length = 0;
  });

  /** Julie in both shops (same phone), with an AI conversation yesterday and a hold in shop A. */
  async function seedJulie(shop: ShopRow) {
    const now = new Date("2026-01-12T10:15:00+01:00");
    const [julie] = await services.db
      .insert(customers)
      .values({ shopId: shop.id, phone: "+33645789012", email: "julie.mercier@gmail.com", firstName: "Julie", shopifyCustomerId: "gid://shopify/Customer/6001", createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!julie) throw new Error("seed");
    const [conversation] = await services.db.insert(conversations).values({ shopId: shop.id, customerId: julie.id, channel: "sms", lastMessageAt: now, createdAt: now }).returning();
    await services.db.insert(messages).values({
      shopId: shop.id, conversationId: conversation!.id, customerId: julie.id, direction: "outbound", author: "ai", channel: "sms",
      provider: "twilio", fromAddress: SHOP_A.smsNumber, toAddress: "+33645789012", body: "Oui, la Robe Fleurie Bleue est disponible en 38", status: "sent", createdAt: now,
    });
    const [hold] = await services.db
      .insert(holds)
      .values({
        shopId: shop.id, customerId: julie.id, conversationId: conversation!.id, draftOrderId: `gid://shopify/DraftOrder/${shop === shopA ? 1 : 2}`, draftOrderName: "#D1",
        status: "active", items: [{ variantId: "gid://shopify/ProductVariant/2002", inventoryItemId: "gid://shopify/InventoryItem/3002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }],
        totalQuantity: 1, expiresAt: new Date("2026-01-13T18:00:00+01:00"), idempotencyKey: `seed-${shop.id}`, createdAt: now, updatedAt: now,
      })
      .returning();
    await services.db.insert(scheduledMessages).values({
      shopId: shop.id, customerId: julie.id, type: "pickup_reminder", dueAt: new Date("2026-01-12T16:00:00+01:00"), status: "scheduled",
      causeType: "hold", causeId: hold!.id, payload: {}, createdAt: now, updatedAt: now,
    });
    return { julie, hold: hold! };
  }

  it("refuses a wrong HMAC (401) and malformed JSON (400), storing nothing", async () => {
    const before = await services.db.select().from(webhookEvents);
    expect((await services.webhooks.shopify(webhook("orders/create", julieOrder(), { secret: "wrong" }))).status).toBe(401);
    expect((await services.webhooks.shopify(webhook("orders/create", '{"id": 1, "name": '))).status).toBe(400);
    expect(await services.db.select().from(webhookEvents)).toHaveLength(before.length);
  });

  it("queues a delivery once, whatever Shopify retries", async () => {
    const eventId = `evt-${randomBytes(6).toString("hex")}`;
    const body = fixture("fulfillments__create");
    for (let i = 0; i < 3; i++) expect((await services.webhooks.shopify(webhook("fulfillments/create", body, { eventId }))).status).toBe(200);
    const q = new Queue(QUEUE_NAMES.conversation, { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    const job = await q.getJob(`shopify-${eventId}`);
    expect(job?.name).toBe("shopify.webhook");
    // Shopify's 64-bit ids reach the job with every digit.
    expect((job?.data as { payload: { order_id: unknown } }).payload.order_id).toBe("820982911946154508");
    expect((await services.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId))).length).toBe(1);
    await q.close();
  });

  it("orders/create: releases Julie's hold on the dress, attributes the order to the AI, schedules thank-you and follow-up; a replay changes nothing", async () => {
    const { julie, hold } = await seedJulie(shopA);
    await seedJulie(shopB);
    const order = orderWebhookSchema.parse(parseJsonLossless(julieOrder()));
    const deps = { db: services.db, clock, logger: silentLogger, holds: holdsDouble };
    const outcome = await handleOrderCreated(deps, shopA, order);
    expect(outcome).toMatchObject({ customerId: julie.id, holdsCompleted: [hold.id], aiAttributed: true });
    expect(cancelled).toEqual(["gid://shopify/DraftOrder/1"]);

    const [held] = await services.db.select().from(holds).where(eq(holds.id, hold.id));
    expect(held).toMatchObject({ status: "completed", orderId: "gid://shopify/Order/7203" });
    const scheduled = await services.db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shopA.id), eq(scheduledMessages.customerId, julie.id)));
    const byType = Object.fromEntries(scheduled.map((s) => [s.type, s]));
    expect(byType.pickup_reminder?.status).toBe("cancelled");
    expect(byType.thank_you?.dueAt.toISOString()).toBe("2026-01-13T18:05:00.000Z");
    expect(byType.follow_up?.dueAt.toISOString()).toBe("2026-01-20T16:05:00.000Z");
    const [attribution] = await services.db.select().from(orderAttributions).where(eq(orderAttributions.shopId, shopA.id));
    expect(attribution).toMatchObject({ orderName: "#7203", amount: "89.00", currency: "EUR", aiAttributed: true });

    // Replay: nothing more is released, scheduled or attributed.
    const replay = await handleOrderCreated(deps, shopA, order);
    expect(replay).toMatchObject({ holdsCompleted: [], scheduled: [] });
    expect(cancelled).toHaveLength(1);
    expect(await services.db.select().from(orderAttributions).where(eq(orderAttributions.shopId, shopA.id))).toHaveLength(1);
    // Shop B's Julie and hold are untouched.
    const bHolds = await services.db.select().from(holds).where(eq(holds.shopId, shopB.id));
    expect(bHolds.map((h) => h.status)).toEqual(["active"]);
    expect(await services.db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shopB.id), eq(scheduledMessages.type, "thank_you")))).toHaveLength(0);
  });

  it("fulfillments/*: remembers the tracking, updated in place", async () => {
    const f = fulfillmentWebhookSchema.parse(parseJsonLossless(fixture("fulfillments__create")));
    await handleFulfillment({ db: services.db, clock }, shopA, f);
    await handleFulfillment({ db: services.db, clock }, shopA, { ...f, shipment_status: "delivered" });
    const rows = await services.db.select().from(shipmentTrackings).where(eq(shipmentTrackings.shopId, shopA.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId: "gid://shopify/Order/820982911946154508", orderName: "#9999", company: "UPS", trackingNumber: "1z827wk74630", status: "delivered" });
    expect(await services.db.select().from(shipmentTrackings).where(eq(shipmentTrackings.shopId, shopB.id))).toHaveLength(0);
  });

  it("inventory_levels/update: awaited variant back → subscription due and message scheduled; low stock on a held variant → one alert", async () => {
    const now = clock.now();
    const [julieA] = await services.db.select().from(customers).where(and(eq(customers.shopId, shopA.id), eq(customers.phone, "+33645789012")));
    const [sub] = await services.db
      .insert(backInStockSubscriptions)
      .values({ shopId: shopA.id, customerId: julieA!.id, variantId: "gid://shopify/ProductVariant/2005", inventoryItemId: "gid://shopify/InventoryItem/3005", productTitle: "Blazer Beige Élégant", size: "36", status: "active", createdAt: now })
      .returning();
    const back = inventoryLevelWebhookSchema.parse({ inventory_item_id: 3005, location_id: 5001, available: 3, updated_at: "2026-01-13T16:00:00Z" });
    expect((await handleInventoryLevel({ db: services.db, clock, logger: silentLogger }, shopA, back)).due).toEqual([sub!.id]);
    expect((await handleInventoryLevel({ db: services.db, clock, logger: silentLogger }, shopB, back)).due).toEqual([]);
    const [due] = await services.db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shopA.id), eq(scheduledMessages.type, "back_in_stock")));
    expect(due?.payload).toMatchObject({ productTitle: "Blazer Beige Élégant", size: "36", available: 3 });

    // Shop B still holds the dress (2002 / item 3002): its last unit raises one alert, once.
    const low = inventoryLevelWebhookSchema.parse({ inventory_item_id: 3002, location_id: 5001, available: 1, updated_at: "2026-01-13T16:00:00Z" });
    expect((await handleInventoryLevel({ db: services.db, clock, logger: silentLogger }, shopB, low)).lowStockAlert).toBe(true);
    expect((await handleInventoryLevel({ db: services.db, clock, logger: silentLogger }, shopB, low)).lowStockAlert).toBe(false);
    expect((await handleInventoryLevel({ db: services.db, clock, logger: silentLogger }, shopA, low)).lowStockAlert).toBe(false); // A's hold was completed
    const alerts = await services.db.select().from(notifications).where(and(eq(notifications.shopId, shopB.id), eq(notifications.kind, "low_stock")));
    expect(alerts.map((a) => a.title)).toEqual(["Low stock: Robe Fleurie Bleue (38)"]);
  });

  it("customers/data_request exports everything on Julie; customers/redact erases her identity and message bodies", async () => {
    const julieRef = { id: "6001", email: "julie.mercier@gmail.com", phone: "+33645789012" };
    const exported = await handleCustomersDataRequest({ db: services.db, clock }, shopA, { customer: julieRef, requestId: "9999" });
    expect(exported.profiles).toBe(1);
    const [row] = await services.db.select().from(dataExports).where(eq(dataExports.shopId, shopA.id));
    const data = row?.data as { profiles: Array<{ phone: string }>; messages: Array<{ body: string }>; holds: unknown[]; orders: unknown[] };
    expect(data.profiles[0]?.phone).toBe("+33645789012");
    expect(data.messages.map((m) => m.body)).toContain("Oui, la Robe Fleurie Bleue est disponible en 38");
    expect(data.holds).toHaveLength(1);
    expect(data.orders).toHaveLength(1);

    const result = await handleCustomersRedact({ db: services.db, clock }, shopA, { customer: julieRef });
    expect(result.customers).toBe(1);
    const [redacted] = await services.db.select().from(customers).where(eq(customers.shopId, shopA.id));
    expect(redacted).toMatchObject({ phone: null, email: null, firstName: null, lastName: null, shopifyCustomerId: null });
    expect(redacted?.redactedAt).toBeInstanceOf(Date);
    const bodies = await services.db.select({ body: messages.body, from: messages.fromAddress, to: messages.toAddress, direction: messages.direction }).from(messages).where(eq(messages.shopId, shopA.id));
    expect(bodies.length).toBeGreaterThan(0);
    for (const m of bodies) {
      expect(m.body).toBe(REDACTED);
      expect(m.direction === "inbound" ? m.from : m.to).toBe(REDACTED);
    }
    // Nothing of Julie remains anywhere in shop A's rows; shop B still has her.
    const everything = JSON.stringify(await Promise.all([
      services.db.select().from(customers).where(eq(customers.shopId, shopA.id)),
      services.db.select().from(messages).where(eq(messages.shopId, shopA.id)),
      services.db.select().from(dataExports).where(eq(dataExports.shopId, shopA.id)),
      services.db.select().from(scheduledMessages).where(eq(scheduledMessages.shopId, shopA.id)),
      services.db.select().from(backInStockSubscriptions).where(eq(backInStockSubscriptions.shopId, shopA.id)),
    ]));
    expect(everything).not.toMatch(/45789012|julie|Julie/);
    expect((await services.db.select().from(customers).where(eq(customers.shopId, shopB.id)))[0]?.firstName).toBe("Julie");
    // Anonymous counts survive: the messages and the order attribution are still counted.
    expect(await services.db.select().from(orderAttributions).where(eq(orderAttributions.shopId, shopA.id))).toHaveLength(1);
  });

  it("shop/redact erases everything of that shop only", async () => {
    expect((await handleShopRedact({ db: services.db }, SHOP_B.domain)).deleted).toBe(1);
    expect(await services.db.select().from(shops).where(eq(shops.domain, SHOP_B.domain))).toHaveLength(0);
    expect(await services.db.select().from(customers).where(eq(customers.shopId, shopB.id))).toHaveLength(0);
    expect(await services.db.select().from(holds).where(eq(holds.shopId, shopB.id))).toHaveLength(0);
    expect(await services.db.select().from(shops).where(eq(shops.domain, SHOP_A.domain))).toHaveLength(1);
  });
});
