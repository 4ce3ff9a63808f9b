/**
 * The home page's figures on PostgreSQL and on PGlite, with two shops: today in the shop's time
 * zone, the AI's answers and hand-overs, the median response time, attributed revenue, "needs
 * you", alerts and the 30-day series — and nothing of shop B ever counts for shop A.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, holds, messages, notifications, orderAttributions, scheduledMessages } from "../../db/schema";
import { storeInboundMessage } from "~/conversation/messages.server";
import type { MessageRecord } from "~/conversation/record";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createInboxService } from "~/inbox/inbox.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { createHomeService, type HomeService } from "./dashboard.server";

const SHOP_A = { domain: "elegance-paris.myshopify.com", sms: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", sms: "+33939035762" };
const JULIE = "+33645789012";
const LEA = "+33699887766";
/** Wednesday 14 January 2026, 16:00 in Paris (15:00 UTC). */
const NOW = new Date("2026-01-14T16:00:00+01:00");

function record(kind: MessageRecord["decision"]["kind"], replied: boolean): MessageRecord {
  return {
    understanding: { language: "fr", intent: kind === "escalate" ? "complaint" : "product_availability", confidence: 0.9, entities: {} },
    lookups: [],
    decision: { kind, reason: "test" },
    actions: [],
    reply: replied ? { template: "availability.in_stock", language: "fr" } : null,
    timings: { understandMs: 1, decideMs: 1, actMs: 1, replyMs: 1, totalMs: 4 },
  };
}

describe.each(DATABASE_KINDS)("home dashboard on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  const clock = createManualClock(NOW);
  let home: HomeService;
  let shopA: string;
  let shopB: string;

  /** An inbound message at `at`, answered by the AI `replyAfterMs` later (null: not answered). */
  async function exchange(shopId: string, to: string, from: string, at: string, replyAfterMs: number | null, decision: MessageRecord["decision"]["kind"] = "answer") {
    const stored = await storeInboundMessage(db, {
      shopId,
      provider: "twilio",
      inbound: { providerMessageId: `in-${randomBytes(8).toString("hex")}`, channel: "sms", from, to, body: `message at ${at}`, mediaUrls: [], raw: {} },
      now: new Date(at),
    });
    const inbound = stored.message;
    await db.update(messages).set({ record: record(decision, replyAfterMs !== null), status: "processed" }).where(eq(messages.id, inbound.id));
    if (replyAfterMs !== null) {
      await db.insert(messages).values({
        shopId,
        conversationId: inbound.conversationId,
        customerId: inbound.customerId,
        direction: "outbound",
        author: "ai",
        channel: "sms",
        provider: "twilio",
        fromAddress: to,
        toAddress: from,
        body: "réponse",
        status: "outbox",
        inReplyTo: inbound.id,
        createdAt: new Date(new Date(at).getTime() + replyAfterMs),
      });
    }
    if (decision === "escalate") await db.update(conversations).set({ status: "needs_merchant" }).where(eq(conversations.id, inbound.conversationId));
    return inbound;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    const inbox = createInboxService({ db, clock, logger: silentLogger, deliver: async () => ({ kind: "outbox", reason: "test" }) });
    home = createHomeService({ db, clock, canSend: async () => false, inbox });
    shopA = (await upsertShop(db, { domain: SHOP_A.domain, name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: NOW })).id;
    shopB = (await upsertShop(db, { domain: SHOP_B.domain, name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: NOW })).id;

    // Shop A, today (Paris): three messages, two answered (2 s and 4 s), one handed over.
    // 00:30 Paris is still yesterday in UTC (23:30): it counts for today.
    await exchange(shopA, SHOP_A.sms, JULIE, "2026-01-14T00:30:00+01:00", 2_000);
    await exchange(shopA, SHOP_A.sms, JULIE, "2026-01-14T10:15:00+01:00", 4_000);
    const lea = await exchange(shopA, SHOP_A.sms, LEA, "2026-01-14T15:45:00+01:00", null, "escalate");
    // Yesterday 23:50 Paris: yesterday, not today.
    await exchange(shopA, SHOP_A.sms, JULIE, "2026-01-13T23:50:00+01:00", 1_000);
    // 40 days ago: outside the chart.
    await exchange(shopA, SHOP_A.sms, JULIE, "2025-12-05T12:00:00+01:00", 1_000);
    // Shop B, today: five answered in 100 ms, one failed delivery, a low-stock alert, a hold ending today.
    for (let i = 0; i < 5; i++) await exchange(shopB, SHOP_B.sms, JULIE, `2026-01-14T11:0${i}:00+01:00`, 100);

    const [julieA] = await db.select().from(messages).where(eq(messages.shopId, shopA)).limit(1);
    const [julieB] = await db.select().from(messages).where(eq(messages.shopId, shopB)).limit(1);
    if (!julieA || !julieB) throw new Error("seed failed");
    const holdRow = (shopId: string, customerId: string, key: string, expiresAt: string, status: "active" | "expired" = "active") => ({
      shopId,
      customerId,
      draftOrderId: `gid://shopify/DraftOrder/${key}`,
      draftOrderName: `#D${key}`,
      status,
      items: [{ variantId: "gid://shopify/ProductVariant/38", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }],
      totalQuantity: 1,
      expiresAt: new Date(expiresAt),
      idempotencyKey: key,
      createdAt: NOW,
      updatedAt: NOW,
    });
    await db.insert(holds).values([
      holdRow(shopA, julieA.customerId, "a-tonight", "2026-01-14T19:00:00+01:00"),
      holdRow(shopA, julieA.customerId, "a-tomorrow", "2026-01-15T18:00:00+01:00"),
      holdRow(shopA, julieA.customerId, "a-expired", "2026-01-14T12:00:00+01:00", "expired"),
      holdRow(shopB, julieB.customerId, "b-tonight", "2026-01-14T20:00:00+01:00"),
    ]);
    const failed = (shopId: string, m: typeof julieA, errorCode: string, channel: "sms" | "whatsapp") => ({
      shopId,
      conversationId: m.conversationId,
      customerId: m.customerId,
      direction: "outbound" as const,
      author: "merchant" as const,
      channel,
      provider: "twilio",
      fromAddress: "shop",
      toAddress: JULIE,
      body: "x",
      status: "failed" as const,
      errorCode,
      createdAt: new Date("2026-01-13T10:00:00+01:00"),
    });
    await db.insert(messages).values([failed(shopA, julieA, "63016", "whatsapp"), failed(shopB, julieB, "30007", "sms"), failed(shopB, julieB, "30007", "sms")]);
    await db.insert(scheduledMessages).values({
      shopId: shopA,
      customerId: julieA.customerId,
      type: "follow_up",
      channel: null,
      dueAt: new Date("2026-01-14T10:00:00+01:00"),
      status: "failed",
      causeType: "order",
      causeId: "1",
      payload: { decision: { outcome: "refused", reasons: ['whatsapp is outside the 24-hour window at send time and there is no approved template for follow_up in "fr"'] } },
      createdAt: NOW,
      updatedAt: NOW,
    });
    await db.insert(notifications).values({
      shopId: shopB,
      kind: "low_stock",
      title: "Low stock: Robe Fleurie Bleue (38)",
      body: "1 left",
      data: { label: "Robe Fleurie Bleue (38)", available: 1, waiting: 2 },
      createdAt: NOW,
    });
    await db.insert(orderAttributions).values([
      { shopId: shopA, orderId: "1", orderName: "#3001", amount: "89.00", currency: "EUR", aiAttributed: true, orderedAt: new Date("2026-01-14T11:00:00+01:00"), createdAt: NOW },
      { shopId: shopA, orderId: "2", orderName: "#3002", amount: "45.50", currency: "EUR", aiAttributed: true, orderedAt: new Date("2026-01-14T12:00:00+01:00"), createdAt: NOW },
      { shopId: shopA, orderId: "3", orderName: "#3003", amount: "300.00", currency: "EUR", aiAttributed: false, orderedAt: new Date("2026-01-14T12:00:00+01:00"), createdAt: NOW },
      { shopId: shopA, orderId: "4", orderName: "#2999", amount: "70.00", currency: "EUR", aiAttributed: true, orderedAt: new Date("2026-01-13T12:00:00+01:00"), createdAt: NOW },
      { shopId: shopB, orderId: "1", orderName: "#1001", amount: "999.00", currency: "EUR", aiAttributed: true, orderedAt: new Date("2026-01-14T11:00:00+01:00"), createdAt: NOW },
    ]);
    expect(lea.conversationId).toBeTruthy();
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("counts today's messages in the shop's time zone, the AI's answers and hand-overs, the median response and the revenue", async () => {
    const data = await home.load(SHOP_A.domain);
    expect(data.shop?.name).toBe("Élégance Paris");
    expect(data.today).toEqual({ received: 3, answered: 2, escalated: 1, medianResponseMs: 3000, revenue: [{ currency: "EUR", amount: "134.50" }] });
  });

  it("lists the conversations that need her, and only hers", async () => {
    const a = await home.load(SHOP_A.domain);
    expect(a.needsYou.map((c) => c.customer.phone)).toEqual([LEA]);
    const b = await home.load(SHOP_B.domain);
    expect(b.needsYou).toEqual([]);
  });

  it("alerts on holds ending before midnight, failed deliveries, the WhatsApp window and low stock, per shop", async () => {
    const a = await home.load(SHOP_A.domain);
    expect(a.alerts.holdsEndingToday.map((h) => [h.draftOrderName, h.items, h.expiresAt])).toEqual([["#Da-tonight", "Robe Fleurie Bleue (38)", "2026-01-14T18:00:00.000Z"]]);
    expect(a.alerts.failedDeliveries.count).toBe(1);
    expect(a.alerts.failedDeliveries.latest[0]?.errorCode).toBe("63016");
    // Twilio's 63016 and our own refusal for the window.
    expect(a.alerts.whatsappWindow.count).toBe(2);
    expect(a.alerts.lowStock).toEqual([]);

    const b = await home.load(SHOP_B.domain);
    expect(b.alerts.holdsEndingToday.map((h) => h.draftOrderName)).toEqual(["#Db-tonight"]);
    expect(b.alerts.failedDeliveries.count).toBe(2);
    expect(b.alerts.whatsappWindow.count).toBe(0);
    expect(b.alerts.lowStock).toMatchObject([{ label: "Robe Fleurie Bleue (38)", available: 1, waiting: 2 }]);
  });

  it("draws 30 days, oldest first, today last, with the automation rate's parts", async () => {
    const a = await home.load(SHOP_A.domain);
    expect(a.activity).toHaveLength(30);
    expect(a.activity[0]?.day).toBe("2025-12-16");
    expect(a.activity[29]).toEqual({ day: "2026-01-14", received: 3, answered: 2, automated: 2, escalated: 1 });
    expect(a.activity[28]).toEqual({ day: "2026-01-13", received: 1, answered: 1, automated: 1, escalated: 0 });
    expect(a.activity.reduce((sum, d) => sum + d.received, 0)).toBe(4);
    const b = await home.load(SHOP_B.domain);
    expect(b.activity[29]).toEqual({ day: "2026-01-14", received: 5, answered: 5, automated: 5, escalated: 0 });
    expect(b.today.medianResponseMs).toBe(100);
    expect(b.today.revenue).toEqual([{ currency: "EUR", amount: "999.00" }]);
  });

  it("knows no shop it was not given", async () => {
    const none = await home.load("unknown.myshopify.com");
    expect(none.shop).toBeNull();
    expect(none.today.received).toBe(0);
  });
});
