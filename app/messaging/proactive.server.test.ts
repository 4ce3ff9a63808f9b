/**
 * Proactive messages end to end below the queue: the `scheduled.send` job body with the real
 * orchestrator on PostgreSQL and PGlite, two shops. The renderer and the delivery are test doubles
 * at our interfaces (what is rendered is the templates' business; what is sent is recorded).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consents, conversations, customers, holds, messages, scheduledMessages, type HoldItem } from "../../db/schema";
import { sendScheduledMessage } from "../../jobs/scheduled-send.server";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import type { OutboundMessage, ShopCustomer } from "~/plugins/types";
import { connectChannelAccount, upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { broadcastProgress, createBroadcast, scheduleBroadcast, type BroadcastDeps } from "./broadcasts.server";
import { createProactiveSender, type RenderProactive } from "./proactive.server";
import type { ScheduledRef } from "./scheduling.server";

const SHOP_NUMBER = "+33939035761";
const OTHER_NUMBER = "+33939035762";

const render: RenderProactive = ({ type, channel, facts }) => ({
  body: `[${type}/${channel}] ${facts.firstName ?? ""} ${facts.order?.name ?? ""} ${facts.text ?? ""}`.trim(),
  ...(channel === "email" ? { subject: `${type}` } : {}),
  whatsappTemplate: { name: `HX_${type}`, language: "fr", variables: [facts.firstName ?? ""] },
});

describe.each(DATABASE_KINDS)("proactive messages on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const clock = createManualClock(new Date("2026-01-12T23:30:00+01:00"));
  const sent: Array<{ provider: string; message: OutboundMessage }> = [];
  const armed: ScheduledRef[] = [];
  let shopA: { id: string; domain: string };
  let shopB: { id: string; domain: string };

  const deps = () => ({
    db: handle.db,
    clock,
    logger: silentLogger,
    proactive: createProactiveSender({
      db: handle.db,
      clock,
      logger: silentLogger,
      render,
      deliver: async (provider, message) => {
        sent.push({ provider, message });
        return { kind: "sent" as const, providerMessageId: `SM${message.messageId}`, status: "queued" };
      },
    }),
    armScheduledMessage: async (row: ScheduledRef) => {
      armed.push(row);
    },
  });

  async function customer(shopId: string, phone: string, firstName: string) {
    const now = clock.now();
    const [row] = await handle.db.insert(customers).values({ shopId, phone, firstName, createdAt: now, updatedAt: now }).returning();
    if (!row) throw new Error("no customer");
    return row;
  }

  async function schedule(shopId: string, customerId: string, type: "thank_you" | "pickup_reminder", dueAt: Date, causeId: string, causeType = "order") {
    const now = clock.now();
    const [row] = await handle.db
      .insert(scheduledMessages)
      .values({ shopId, customerId, type, channel: "sms", dueAt, status: "scheduled", causeType, causeId, payload: { orderName: "#2847", lines: [] }, createdAt: now, updatedAt: now })
      .returning();
    if (!row) throw new Error("no row");
    return row;
  }

  const run = (row: { id: string; shopId: string; dueAt: Date }) =>
    sendScheduledMessage(deps(), { shopId: row.shopId, scheduledMessageId: row.id, dueAt: row.dueAt.toISOString() });
  const reread = async (id: string) => (await handle.db.select().from(scheduledMessages).where(eq(scheduledMessages.id, id)))[0];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    const now = clock.now();
    const a = await upsertShop(handle.db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now });
    const b = await upsertShop(handle.db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now });
    shopA = { id: a.id, domain: a.domain };
    shopB = { id: b.id, domain: b.domain };
    await connectChannelAccount(handle.db, { shopId: a.id, provider: "twilio", channel: "sms", address: SHOP_NUMBER, now });
    await connectChannelAccount(handle.db, { shopId: b.id, provider: "twilio", channel: "sms", address: OTHER_NUMBER, now });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  beforeEach(() => {
    sent.length = 0;
    armed.length = 0;
  });

  it("defers a thank-you due at 23:30 to 08:00 the next morning, then sends it once", async () => {
    clock.set(new Date("2026-01-12T23:30:00+01:00"));
    const julie = await customer(shopA.id, "+33645789012", "Julie");
    await handle.db.insert(consents).values({ shopId: shopA.id, customerId: julie.id, channel: "sms", address: "+33645789012", sender: SHOP_NUMBER, status: "opted_in", source: "keyword:START", updatedAt: clock.now() });
    const row = await schedule(shopA.id, julie.id, "thank_you", clock.now(), "order-1");
    expect(await run(row)).toEqual({ outcome: "deferred" });
    const deferred = await reread(row.id);
    expect(deferred?.status).toBe("deferred");
    expect(deferred?.dueAt.toISOString()).toBe("2026-01-13T07:00:00.000Z"); // 08:00 in Paris
    expect(armed).toEqual([{ id: row.id, shopId: shopA.id, dueAt: deferred?.dueAt }]);
    expect(sent).toHaveLength(0);

    // The first job (armed for 23:30) is stale now; the new one at 08:00 sends.
    clock.set(new Date("2026-01-13T08:00:00+01:00"));
    expect(await run(row)).toEqual({ outcome: "skipped", reason: "moved since this job was armed" });
    expect(await run({ ...row, dueAt: deferred?.dueAt ?? new Date(0) })).toEqual({ outcome: "sent" });
    expect(sent.map((s) => [s.provider, s.message.to, s.message.from])).toEqual([["twilio", "+33645789012", SHOP_NUMBER]]);
    const done = await reread(row.id);
    expect(done?.status).toBe("sent");
    expect((done?.payload.decision as { reasons: string[] }).reasons.join(" ")).toMatch(/deferred|sms chosen/i);
    // A redelivered job does nothing more.
    expect(await run({ ...row, dueAt: deferred?.dueAt ?? new Date(0) })).toEqual({ outcome: "skipped", reason: "already sent" });
    expect(sent).toHaveLength(1);
  });

  it("sends nothing to a customer who said STOP, records why, and sends again after START", async () => {
    clock.set(new Date("2026-01-13T11:00:00+01:00"));
    const lea = await customer(shopA.id, "+33677889900", "Léa");
    await handle.db.insert(consents).values({ shopId: shopA.id, customerId: lea.id, channel: "sms", address: "+33677889900", sender: SHOP_NUMBER, status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    const first = await schedule(shopA.id, lea.id, "thank_you", clock.now(), "order-2");
    expect(await run(first)).toEqual({ outcome: "refused" });
    expect(sent).toHaveLength(0);
    const refused = await reread(first.id);
    expect(refused?.status).toBe("failed");
    expect((refused?.payload.decision as { reasons: string[] }).reasons.join(" ")).toMatch(/opted out/i);

    await handle.db.update(consents).set({ status: "opted_in", source: "keyword:START" }).where(and(eq(consents.shopId, shopA.id), eq(consents.customerId, lea.id)));
    const second = await schedule(shopA.id, lea.id, "thank_you", clock.now(), "order-3");
    expect(await run(second)).toEqual({ outcome: "sent" });
    expect(sent.map((s) => s.message.to)).toEqual(["+33677889900"]);
  });

  it("cancels a pickup reminder whose hold was picked up", async () => {
    clock.set(new Date("2026-01-13T15:00:00+01:00"));
    const marine = await customer(shopA.id, "+33655443322", "Marine");
    const items: HoldItem[] = [{ variantId: "gid://shopify/ProductVariant/2002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }];
    const [hold] = await handle.db
      .insert(holds)
      .values({ shopId: shopA.id, customerId: marine.id, status: "completed", items, expiresAt: new Date("2026-01-13T18:00:00+01:00"), draftOrderId: "gid://shopify/DraftOrder/1", totalQuantity: 1, idempotencyKey: "k-1", createdAt: clock.now(), updatedAt: clock.now() })
      .returning();
    const row = await schedule(shopA.id, marine.id, "pickup_reminder", clock.now(), hold?.id ?? "", "hold");
    expect(await run(row)).toEqual({ outcome: "cancelled" });
    expect((await reread(row.id))?.status).toBe("cancelled");
    expect(sent).toHaveLength(0);
  });

  it("prepares a broadcast on Sunday for consenting VIPs of one shop only, and sends it Monday 10:00", async () => {
    clock.set(new Date("2026-01-18T15:00:00+01:00")); // Sunday
    const vip = await customer(shopA.id, "+33611111111", "Olivia");
    const stopped = await customer(shopA.id, "+33622222222", "Chloé");
    const plain = await customer(shopA.id, "+33633333333", "Inès");
    await customer(shopB.id, "+33611111111", "Olivia"); // the same person at the other shop
    await handle.db.insert(consents).values({ shopId: shopA.id, customerId: stopped.id, channel: "sms", address: "+33622222222", sender: SHOP_NUMBER, status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    const shopify = (phone: string): ShopCustomer | null =>
      ({ "+33611111111": { tags: ["VIP"] }, "+33622222222": { tags: ["VIP"] }, "+33633333333": { tags: [] } })[phone]
        ? { id: `gid://shopify/Customer/${phone.slice(-4)}`, firstName: null, lastName: null, email: null, phone, locale: "fr", numberOfOrders: 2, tags: phone === "+33633333333" ? [] : ["VIP"] }
        : null;
    const broadcastDeps: BroadcastDeps = {
      db: handle.db,
      clock,
      logger: silentLogger,
      render,
      armScheduledMessage: async (row) => {
        armed.push(row);
      },
      capabilities: async () => ({
        customers: {
          findByPhone: async (phone) => shopify(phone),
          findByEmail: async () => null,
          // Marketing consent as Shopify records it: granted to both VIPs (Chloé then said STOP to us).
          profile: async (id) => ({ customerId: id, firstName: null, lastName: null, email: null, phone: null, numberOfOrders: 0, amountSpent: { amount: "0.0", currency: "EUR" }, customerSince: clock.now(), note: null, tags: [], preferredChannel: "sms", usualSize: null, consent: { sms: { granted: true, at: clock.now(), source: "shopify" }, whatsapp: null, email: null } }),
        },
      }),
    };
    const { broadcast, preparation } = await createBroadcast(broadcastDeps, { shopId: shopA.id, name: "Soldes VIP", segment: { kind: "vip" }, text: "-20 % pour vous ce week-end !", sendAt: clock.now() });
    expect(preparation.recipients.map((r) => r.customerId)).toEqual([vip.id]);
    expect(preparation.excluded).toMatchObject({ "opted out": 1 });
    expect(preparation.byChannel.sms).toBe(1);
    expect(preparation.estimatedCost.amount).toBeGreaterThan(0);
    expect(plain.id).not.toBe(vip.id);

    const { scheduled } = await scheduleBroadcast(broadcastDeps, { shopId: shopA.id, broadcastId: broadcast.id });
    expect(scheduled).toBe(1);
    expect((await scheduleBroadcast(broadcastDeps, { shopId: shopA.id, broadcastId: broadcast.id })).scheduled).toBe(0);
    const [row] = await handle.db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shopA.id), eq(scheduledMessages.type, "broadcast")));
    if (!row) throw new Error("no broadcast row");
    expect(await run(row)).toEqual({ outcome: "deferred" });
    const deferred = await reread(row.id);
    expect(deferred?.dueAt.toISOString()).toBe("2026-01-19T09:00:00.000Z"); // Monday 10:00 in Paris
    expect(await broadcastProgress(handle.db, { shopId: shopA.id, broadcastId: broadcast.id })).toMatchObject({ recipients: 1, queued: 1, sent: 0 });

    clock.set(new Date("2026-01-19T10:00:00+01:00"));
    expect(await run({ ...row, dueAt: deferred?.dueAt ?? new Date(0) })).toEqual({ outcome: "sent" });
    expect(sent.map((s) => [s.message.to, s.message.body])).toEqual([["+33611111111", "[broadcast/sms] Olivia  -20 % pour vous ce week-end !"]]);
    expect(await broadcastProgress(handle.db, { shopId: shopA.id, broadcastId: broadcast.id })).toMatchObject({ recipients: 1, queued: 0, sent: 1 });
    // Shop B has no broadcast rows.
    expect(await handle.db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shopB.id), eq(scheduledMessages.type, "broadcast")))).toHaveLength(0);
    expect(await handle.db.select().from(messages).where(eq(messages.shopId, shopB.id))).toHaveLength(0);
  });

  it("sends a broadcast once to a customer with two numbers, to the one she wrote from last", async () => {
    clock.set(new Date("2026-01-18T15:00:00+01:00"));
    const SHOPIFY_ID = "gid://shopify/Customer/7007";
    const [work, home] = [await customer(shopA.id, "+33644444444", "Léa"), await customer(shopA.id, "+33655555555", "Léa")];
    for (const identity of [work, home]) await handle.db.update(customers).set({ shopifyCustomerId: SHOPIFY_ID }).where(eq(customers.id, identity.id));
    // She texted from her home number last week; her work number never wrote.
    const wrote = new Date("2026-01-12T18:00:00+01:00");
    await handle.db.insert(conversations).values({ shopId: shopA.id, customerId: home.id, channel: "sms", status: "closed", lastMessageAt: wrote, lastInboundAt: wrote, createdAt: wrote });
    const lea: ShopCustomer = { id: SHOPIFY_ID, firstName: "Léa", lastName: null, email: null, phone: null, locale: "fr", numberOfOrders: 1, tags: ["deux-numeros"] };
    const broadcastDeps: BroadcastDeps = {
      db: handle.db,
      clock,
      logger: silentLogger,
      render,
      capabilities: async () => ({
        customers: {
          findByPhone: async (phone) => (phone === work.phone || phone === home.phone ? lea : null),
          findByEmail: async () => null,
          profile: async (id) => ({ customerId: id, firstName: null, lastName: null, email: null, phone: null, numberOfOrders: 1, amountSpent: { amount: "0.0", currency: "EUR" }, customerSince: clock.now(), note: null, tags: [], preferredChannel: "sms", usualSize: null, consent: { sms: { granted: true, at: clock.now(), source: "shopify" }, whatsapp: null, email: null } }),
        },
      }),
    };
    const { preparation } = await createBroadcast(broadcastDeps, { shopId: shopA.id, name: "Deux numéros", segment: { kind: "tag", tag: "deux-numeros" }, text: "Nouvelle collection !", sendAt: clock.now() });
    expect(preparation.recipients.map((r) => r.customerId)).toEqual([home.id]);
    expect(preparation.byChannel.sms).toBe(1);
  });
});

