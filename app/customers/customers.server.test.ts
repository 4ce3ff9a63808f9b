/**
 * The customers pages' data on PostgreSQL and on PGlite, with two shops and their two sandbox
 * Shopify shops: the list (one row per customer, her phone and email together; search, channel
 * and segment filters, cursor pages), the figures on top,
 * one customer's page (identities, consent per number, holds, timeline), her Shopify profile and
 * figures, the note saved in Shopify, and the merchant's message through the inbox's reply path —
 * refused when she said STOP or never wrote. Shop A never sees, changes or messages shop B's
 * customers, and the list stays index-fast with 10,000 conversations.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consents, conversations, customers, holds, messages, scheduledMessages, type HoldItem } from "../../db/schema";
import type { DeliveryResult } from "~/conversation/engine.server";
import type { MessageRecord } from "~/conversation/record";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createShopifyCapabilities } from "~/plugins/integrations/shopify";
import type { OutboundMessage } from "~/plugins/types";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import { upsertShop } from "~/shops/install.server";
import { conversationWrites } from "../../tests/integration/support/conversation-writes";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { createCustomersService, type CustomerListQuery, type CustomersService } from "./customers.server";
import { MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH } from "./query";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", sms: "+33939035761", email: "bonjour@elegance-paris.fr", whatsapp: "+33939035769" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", sms: "+33939035762" };
const JULIE = { phone: "+33645789012", email: "julie.mercier@gmail.com", shopify: "gid://shopify/Customer/6001" };
const EMMA = "+33611223344";
const MARINE = "marine.dubois@example.fr";
const OLIVIA = "+447700900123";
const MONDAY = new Date("2026-01-12T10:15:00+01:00");
const DRESS_38: HoldItem = { variantId: "gid://shopify/ProductVariant/2002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 };

/** What the engine records when it found a Shopify profile (the inbox's VIP test reads it). */
function foundRecord(tags: string[]): MessageRecord {
  return {
    understanding: { language: "fr", intent: "product_availability", confidence: 0.9, entities: {} },
    lookups: [{ tool: "customers.findByPhone", input: {}, output: { id: JULIE.shopify, firstName: "Julie", lastName: "Mercier", tags }, ms: 2 }],
    decision: { kind: "act", reason: "in stock: propose a hold" },
    actions: [{ type: "reservation.create", status: "done", details: { holdId: "h1", product: "RF-2847", size: "38", quantity: 1, expiresAt: "2026-01-13T17:00:00.000Z" } }],
    reply: { template: "availability.in_stock", language: "fr" },
    timings: { understandMs: 1, decideMs: 1, actMs: 1, replyMs: 1, totalMs: 4 },
  };
}

describe.each(DATABASE_KINDS)("customers on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  const clock = createManualClock(MONDAY);
  const sent: OutboundMessage[] = [];
  const sandboxes = new Map<string, SandboxShop>();
  let service: CustomersService;
  let shopA: string;
  let shopB: string;
  const ids = { julie: "", julieEmail: "", julieSms: "", emma: "", marine: "", olivia: "", silent: "", bJulie: "", activeHold: "", pastHold: "", scheduled: "" };

  const { inbound, aiReply } = conversationWrites({ db: () => db, clock });

  async function hold(shopId: string, customerId: string, n: number, expiresAt: Date, createdAt: Date) {
    const [row] = await db
      .insert(holds)
      .values({ shopId, customerId, draftOrderId: `gid://shopify/DraftOrder/${n}`, draftOrderName: `#D${n}`, status: "active", items: [DRESS_38], totalQuantity: 1, expiresAt, idempotencyKey: `k${n}`, createdAt, updatedAt: createdAt })
      .returning();
    if (!row) throw new Error("no hold");
    return row.id;
  }

  const names = async (shopId: string, query: CustomerListQuery = {}) => (await service.list(shopId, query)).items.map((i) => i.customer.id);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    for (const domain of [SHOP_A.domain, SHOP_B.domain]) sandboxes.set(domain, createSandboxShop({ clock, domain }));
    const deliver = async (_provider: string, message: OutboundMessage): Promise<DeliveryResult> => {
      sent.push(message);
      return { kind: "sent", providerMessageId: `SM${randomBytes(8).toString("hex")}`, status: "queued" };
    };
    service = createCustomersService({
      db,
      clock,
      logger: silentLogger,
      deliver,
      capabilities: async (domain) => {
        const sandbox = sandboxes.get(domain);
        if (!sandbox) throw new Error(`no sandbox shop ${domain}`);
        return createShopifyCapabilities({ admin: sandbox.adminClient() });
      },
    });
    shopA = (await upsertShop(db, { domain: SHOP_A.domain, name: SHOP_A.name, timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    shopB = (await upsertShop(db, { domain: SHOP_B.domain, name: SHOP_B.name, timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;

    // Olivia wrote once, ten days ago: a customer, not active this week.
    clock.set(new Date("2026-01-02T11:00:00+01:00"));
    const olivia = await inbound(shopA, "whatsapp", OLIVIA, SHOP_A.whatsapp, "Hello, do you ship to London?");
    ids.olivia = olivia.customerId;

    // Emma wrote on WhatsApp last week and again today (a returning customer), then said STOP.
    clock.set(new Date("2026-01-05T15:00:00+01:00"));
    const emmaFirst = await inbound(shopA, "whatsapp", EMMA, SHOP_A.whatsapp, "Bonjour, vous ouvrez à quelle heure ?");
    await db.update(conversations).set({ status: "closed" }).where(eq(conversations.id, emmaFirst.conversationId));
    clock.set(new Date("2026-01-12T09:00:00+01:00"));
    const emma = await inbound(shopA, "whatsapp", EMMA, SHOP_A.whatsapp, "STOP");
    await db.update(customers).set({ firstName: "Emma", lastName: "Rousseau" }).where(eq(customers.id, emma.customerId));
    await db.insert(consents).values({ shopId: shopA, customerId: emma.customerId, channel: "whatsapp", address: EMMA, sender: SHOP_A.whatsapp, status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    ids.emma = emma.customerId;

    // Julie emailed on Saturday, then texts today (a VIP in Shopify): two identities, one Shopify customer.
    clock.set(new Date("2026-01-10T16:00:00+01:00"));
    const byEmail = await inbound(shopA, "email", JULIE.email, SHOP_A.email, "Bonjour, vous faites des retouches ?");
    await aiReply(shopA, byEmail, "Bonjour Julie, oui, en boutique.");
    await db.update(customers).set({ firstName: "Julie", lastName: "Mercier", shopifyCustomerId: JULIE.shopify }).where(eq(customers.id, byEmail.customerId));
    ids.julieEmail = byEmail.customerId;
    clock.set(new Date("2026-01-12T09:30:00+01:00"));
    const bySms = await inbound(shopA, "sms", JULIE.phone, SHOP_A.sms, "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?");
    await db.update(messages).set({ record: foundRecord(["VIP"]), status: "processed" }).where(eq(messages.id, bySms.id));
    await db.update(customers).set({ firstName: "Julie", lastName: "Mercier", shopifyCustomerId: JULIE.shopify }).where(eq(customers.id, bySms.customerId));
    await aiReply(shopA, bySms, "Bonjour Julie ! Il nous en reste 2 en 38, je vous la garde jusqu'à demain 18h.");
    ids.julie = bySms.customerId;
    ids.julieSms = bySms.conversationId;
    ids.activeHold = await hold(shopA, ids.julie, 11, new Date("2026-01-13T18:00:00+01:00"), clock.now());
    // A hold from last week whose deadline passed: expired when her page is read.
    ids.pastHold = await hold(shopA, ids.julieEmail, 12, new Date("2026-01-11T18:00:00+01:00"), new Date("2026-01-10T16:05:00+01:00"));
    const [reminder] = await db
      .insert(scheduledMessages)
      .values({ shopId: shopA, customerId: ids.julie, type: "pickup_reminder", channel: "sms", dueAt: new Date("2026-01-13T10:00:00+01:00"), status: "scheduled", causeType: "hold", causeId: ids.activeHold, payload: {}, createdAt: clock.now(), updatedAt: clock.now() })
      .returning();
    ids.scheduled = reminder?.id ?? "";
    await db.insert(consents).values({ shopId: shopA, customerId: ids.julie, channel: "sms", address: JULIE.phone, sender: "*", status: "opted_in", source: "keyword:START", updatedAt: new Date("2026-01-12T09:31:00+01:00") });

    // Marine emails; no Shopify customer matched her address.
    clock.set(new Date("2026-01-12T10:00:00+01:00"));
    const marine = await inbound(shopA, "email", MARINE, SHOP_A.email, "Une tenue pour un mariage samedi ?");
    ids.marine = marine.customerId;

    // Someone the shop knows from an order but who never wrote: not in the list.
    const [silent] = await db.insert(customers).values({ shopId: shopA, phone: "+33600000001", firstName: "Chloé", createdAt: clock.now(), updatedAt: clock.now() }).returning();
    ids.silent = silent?.id ?? "";

    // Shop B: Julie's phone and words, in shop B only.
    const bJulie = await inbound(shopB, "sms", JULIE.phone, SHOP_B.sms, "Bonjour, la robe fleurie en 38 ?");
    await db.update(customers).set({ firstName: "Julie B", shopifyCustomerId: JULIE.shopify }).where(eq(customers.id, bJulie.customerId));
    await db.insert(consents).values({ shopId: shopB, customerId: bJulie.customerId, channel: "sms", address: JULIE.phone, sender: SHOP_B.sms, status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    await hold(shopB, bJulie.customerId, 21, new Date("2026-01-14T18:00:00+01:00"), clock.now());
    ids.bJulie = bJulie.customerId;
    clock.set(MONDAY);
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("lists who has written, the most recently active first, once per customer, each shop its own", async () => {
    // Julie once, as her latest conversation (SMS), with her email identity's conversation counted.
    expect(await names(shopA)).toEqual([ids.marine, ids.julie, ids.emma, ids.olivia]);
    expect(await names(shopB)).toEqual([ids.bJulie]);
    const [marine, julie, emma] = (await service.list(shopA, {})).items;
    expect(julie).toMatchObject({
      customer: { id: ids.julie, name: "Julie Mercier", phone: JULIE.phone, email: JULIE.email },
      channels: ["sms", "email"],
      conversations: 2,
      latestConversationId: ids.julieSms,
      segments: ["vip", "returning"],
      optedOut: false,
    });
    expect(emma).toMatchObject({ channels: ["whatsapp"], conversations: 2, segments: ["returning"], optedOut: true });
    expect(marine).toMatchObject({ customer: { name: null, email: MARINE }, channels: ["email"], segments: ["new"] });
  });

  it("searches names, phones typed the French way and emails, in one shop", async () => {
    expect(await names(shopA, { search: "julie mer" })).toEqual([ids.julie]);
    expect(await names(shopA, { search: "06 45 78 90" })).toEqual([ids.julie]);
    // Her email is on her other identity: it finds her one row.
    expect(await names(shopA, { search: "JULIE.MERCIER@" })).toEqual([ids.julie]);
    expect(await names(shopB, { search: "julie.mercier@" })).toEqual([]);
    expect(await names(shopA, { search: "MARINE.DUBOIS@" })).toEqual([ids.marine]);
    expect(await names(shopA, { search: "rousseau" })).toEqual([ids.emma]);
    // Message text is the inbox's search, not this one; % is a character.
    expect(await names(shopA, { search: "mariage" })).toEqual([]);
    expect(await names(shopA, { search: "%" })).toEqual([]);
    expect(await names(shopB, { search: "06 45 78 90" })).toEqual([ids.bJulie]);
    expect(await names(shopB, { search: "rousseau" })).toEqual([]);
  });

  it("filters by channel and by the inbox's segments", async () => {
    expect(await names(shopA, { channel: "whatsapp" })).toEqual([ids.emma, ids.olivia]);
    expect(await names(shopA, { channel: "email" })).toEqual([ids.marine, ids.julie]);
    expect(await names(shopA, { segment: "vip" })).toEqual([ids.julie]);
    // Julie emailed on Saturday before texting today: returning, though her phone wrote once.
    expect(await names(shopA, { segment: "returning" })).toEqual([ids.julie, ids.emma]);
    expect(await names(shopA, { segment: "new" })).toEqual([ids.marine, ids.olivia]);
    expect(await names(shopA, { segment: "returning", channel: "sms", search: "julie" })).toEqual([ids.julie]);
    expect(await names(shopA, { segment: "new", search: "julie" })).toEqual([]);
    expect(await names(shopB, { segment: "vip" })).toEqual([]);
  });

  it("pages with a cursor, without gaps or repeats", async () => {
    const pages = [await service.list(shopA, { limit: 1 })];
    for (let last = pages[0]; last?.nextCursor; last = pages.at(-1)) pages.push(await service.list(shopA, { limit: 1, after: last.nextCursor }));
    expect(pages).toHaveLength(4);
    expect(pages.flatMap((p) => p.items).map((i) => i.customer.id)).toEqual(await names(shopA));
  });

  it("counts customers, those active this week, VIPs and those who opted out, per shop", async () => {
    expect(await service.stats(shopA)).toEqual({ customers: 4, activeThisWeek: 3, vip: 1, optedOut: 1 });
    expect(await service.stats(shopB)).toEqual({ customers: 1, activeThisWeek: 1, vip: 0, optedOut: 1 });
  });

  it("gathers Julie's page: both identities, consent, holds (the past one expired), the timeline newest first", async () => {
    const detail = await service.detail(shopA, ids.julie);
    expect(detail?.customer).toMatchObject({ id: ids.julie, name: "Julie Mercier", phone: JULIE.phone, email: JULIE.email, shopifyCustomerId: JULIE.shopify });
    expect(detail?.identities.map((i) => i.id)).toEqual([ids.julie, ids.julieEmail]);
    expect(detail?.conversations.map((c) => c.channel)).toEqual(["sms", "email"]);
    expect(detail?.segments).toEqual(["vip", "new"]);
    expect(detail?.firstContactAt).toBe("2026-01-10T15:01:00.000Z");
    expect(detail?.consents).toEqual([{ channel: "sms", address: JULIE.phone, sender: "*", status: "opted_in", source: "keyword:START", at: "2026-01-12T08:31:00.000Z" }]);
    expect(detail?.activeHolds.map((h) => h.id)).toEqual([ids.activeHold]);
    expect(detail?.pastHolds).toMatchObject([{ id: ids.pastHold, status: "expired", draftOrderName: "#D12", items: [{ productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }] }]);
    expect(detail?.timeline.map((e) => [e.kind, e.at])).toEqual([
      ["scheduled", "2026-01-13T09:00:00.000Z"],
      ["message", "2026-01-12T08:31:02.000Z"],
      ["hold", "2026-01-12T08:31:02.000Z"],
      ["message", "2026-01-12T08:31:00.000Z"],
      ["hold", "2026-01-10T15:05:00.000Z"],
      ["message", "2026-01-10T15:01:02.000Z"],
      ["message", "2026-01-10T15:01:00.000Z"],
    ]);
    const asked = detail?.timeline.find((e) => e.kind === "message" && e.message.direction === "inbound" && e.message.channel === "sms");
    expect(asked?.kind === "message" ? asked.message.cards.map((card) => card.kind) : []).toEqual(["understood", "customer", "decision", "action"]);
    expect(detail?.messaging).toEqual({ conversationId: ids.julieSms, channel: "sms", to: JULIE.phone });
  });

  it("shows a STOP with its date and the number it applies to, and refuses to message her there", async () => {
    const detail = await service.detail(shopA, ids.emma);
    expect(detail?.consents).toEqual([{ channel: "whatsapp", address: EMMA, sender: SHOP_A.whatsapp, status: "opted_out", source: "keyword:STOP", at: "2026-01-12T08:01:00.000Z" }]);
    expect(detail?.messaging).toEqual({ refused: "opted_out", channel: "whatsapp" });
    const before = sent.length;
    expect(await service.send(shopA, ids.emma, "Bonjour Emma !")).toEqual({ ok: false, reason: "opted_out" });
    expect(sent.length).toBe(before);
  });

  it("never shows another shop's customer", async () => {
    expect(await service.detail(shopA, ids.bJulie)).toBeNull();
    expect(await service.detail(shopB, ids.julie)).toBeNull();
    expect(await service.detail(shopA, "not-a-uuid")).toBeNull();
    // Shop B's Julie shares the Shopify id, not shop A's identities, holds or consent.
    const inB = await service.detail(shopB, ids.bJulie);
    expect(inB?.identities.map((i) => i.id)).toEqual([ids.bJulie]);
    expect(inB?.activeHolds.map((h) => h.draftOrderName)).toEqual(["#D21"]);
    expect(inB?.consents.map((k) => k.status)).toEqual(["opted_out"]);
  });

  it("reads her Shopify record and figures: orders, total spent, average basket, customer since", async () => {
    const shopify = await service.shopify(SHOP_A.domain, JULIE.shopify);
    expect(shopify?.profile).toMatchObject({ firstName: "Julie", lastName: "Mercier", email: JULIE.email, phone: JULIE.phone, tags: ["VIP"], usualSize: null });
    expect(shopify?.stats).toEqual({ orders: 8, spent: { amount: "720.00", currency: "EUR" }, averageBasket: { amount: "90.00", currency: "EUR" }, customerSince: expect.stringMatching(/^2026-01-0/) });
    expect(await service.shopify(SHOP_A.domain, "gid://shopify/Customer/99999")).toBeNull();
  });

  it("adds the merchant's note to her Shopify customer, in her shop only, and says why it cannot", async () => {
    const shop = { id: shopA, domain: SHOP_A.domain };
    expect(await service.addNote(shop, ids.julie, "  Préfère être appelée le matin.  ")).toEqual({ ok: true, note: "Préfère être appelée le matin." });
    expect(await service.addNote(shop, ids.julieEmail, "Taille 38 en robes.")).toEqual({ ok: true, note: "Préfère être appelée le matin.\nTaille 38 en robes." });
    expect((await service.shopify(SHOP_A.domain, JULIE.shopify))?.profile.note).toBe("Préfère être appelée le matin.\nTaille 38 en robes.");
    expect((await service.shopify(SHOP_B.domain, JULIE.shopify))?.profile.note).toBeNull();

    expect(await service.addNote(shop, ids.julie, "   ")).toEqual({ ok: false, reason: "empty" });
    expect(await service.addNote(shop, ids.julie, "x".repeat(NOTE_MAX_LENGTH + 1))).toEqual({ ok: false, reason: "too_long" });
    expect(await service.addNote(shop, ids.marine, "Mariage samedi.")).toEqual({ ok: false, reason: "no_shopify_customer" });
    expect(await service.addNote({ id: shopB, domain: SHOP_B.domain }, ids.julie, "Pas chez nous.")).toEqual({ ok: false, reason: "not_found" });
    expect((await service.shopify(SHOP_B.domain, JULIE.shopify))?.profile.note).toBeNull();
  });

  it("sends the merchant's message in her latest conversation through the inbox's reply path", async () => {
    const before = sent.length;
    const result = await service.send(shopA, ids.julieEmail, "  Bonjour Julie, la robe vous attend jusqu'à demain 18h.  ");
    expect(result).toMatchObject({ ok: true, status: "sent" });
    // Her latest conversation is the SMS one, whichever identity's page she was sent from.
    expect(sent.slice(before)).toMatchObject([{ channel: "sms", from: SHOP_A.sms, to: JULIE.phone, body: "Bonjour Julie, la robe vous attend jusqu'à demain 18h." }]);
    const stored = result.ok ? await db.select().from(messages).where(eq(messages.id, result.messageId)) : [];
    expect(stored).toMatchObject([{ shopId: shopA, conversationId: ids.julieSms, author: "merchant", direction: "outbound", status: "sent" }]);
    const timeline = (await service.detail(shopA, ids.julie))?.timeline ?? [];
    expect(timeline.find((e) => e.kind === "message")).toMatchObject({ message: { author: "merchant", body: "Bonjour Julie, la robe vous attend jusqu'à demain 18h.", status: "sent" } });
  });

  it("refuses an empty or too long message, one to someone who never wrote, and one to another shop's customer", async () => {
    const before = sent.length;
    expect(await service.send(shopA, ids.julie, " ")).toEqual({ ok: false, reason: "empty" });
    expect(await service.send(shopA, ids.julie, "x".repeat(MESSAGE_MAX_LENGTH + 1))).toEqual({ ok: false, reason: "too_long" });
    expect(await service.send(shopA, ids.silent, "Bonjour !")).toEqual({ ok: false, reason: "no_conversation" });
    expect((await service.detail(shopA, ids.silent))?.messaging).toEqual({ refused: "no_conversation", channel: null });
    expect(await service.send(shopB, ids.julie, "Bonjour !")).toEqual({ ok: false, reason: "not_found" });
    // Shop B's Julie said STOP to shop B's number: shop B cannot message her, shop A still can.
    expect(await service.send(shopB, ids.bJulie, "Bonjour !")).toEqual({ ok: false, reason: "opted_out" });
    expect(sent.length).toBe(before);
  });

  it("stays index-fast with 10,000 conversations", async () => {
    const shopC = (await upsertShop(db, { domain: "grand-magasin.myshopify.com", name: "Grand magasin", timezone: "Europe/Paris", locale: "fr", now: MONDAY })).id;
    // 5,000 customers with two conversations each (one closed), a message each way per conversation.
    await db.execute(sql`
      insert into ${customers} (shop_id, phone, first_name, created_at, updated_at)
      select ${shopC}::uuid, '+3361' || lpad(n::text, 7, '0'), 'Cliente ' || n, ${MONDAY.toISOString()}::timestamptz, ${MONDAY.toISOString()}::timestamptz
      from generate_series(1, 5000) n`);
    await db.execute(sql`
      insert into ${conversations} (shop_id, customer_id, channel, status, last_message_at, created_at)
      select ${shopC}::uuid, cu.id, 'sms', case when k = 1 then 'closed' else 'open' end,
             ${MONDAY.toISOString()}::timestamptz - make_interval(secs => substr(cu.phone, 6)::int * 10 - k),
             ${MONDAY.toISOString()}::timestamptz - make_interval(days => 30 - k)
      from ${customers} cu cross join generate_series(1, 2) k where cu.shop_id = ${shopC}::uuid`);
    await db.execute(sql`
      insert into ${messages} (shop_id, conversation_id, customer_id, direction, author, channel, provider, from_address, to_address, body, status, created_at)
      select c.shop_id, c.id, c.customer_id, d.direction, case when d.direction = 'inbound' then 'customer' else 'ai' end, 'sms', 'twilio', 'a', 'b', 'Bonjour', 'processed', c.last_message_at
      from ${conversations} c cross join (values ('inbound'), ('outbound')) d(direction) where c.shop_id = ${shopC}::uuid`);
    // The first 1,000 are 500 customers with two phones each (linked to one Shopify customer); the
    // odd one of each pair, which wrote last, has no name.
    await db.execute(sql`
      update ${customers} set shopify_customer_id = 'gid://shopify/Customer/' || ((substr(phone, 6)::int + 1) / 2),
        first_name = case when substr(phone, 6)::int % 2 = 1 then null else first_name end
      where shop_id = ${shopC}::uuid and substr(phone, 6)::int <= 1000`);
    await db.execute(sql`analyze`);

    const started = performance.now();
    const [page, stats, returning, found, foundLinked] = [
      await service.list(shopC, {}),
      await service.stats(shopC),
      await service.list(shopC, { segment: "returning", channel: "sms" }),
      await service.list(shopC, { search: "06 10 00 42 42" }),
      await service.list(shopC, { search: "06 10 00 00 42" }),
    ];
    const elapsed = performance.now() - started;
    expect(page.items).toHaveLength(50);
    // The most recent are linked pairs: each row has both identities' conversations.
    expect(page.items.every((i) => i.conversations === 4 && i.segments.includes("returning"))).toBe(true);
    // Her row is her latest conversation's number, named from her other identity.
    expect(page.items[0]?.customer).toMatchObject({ name: "Cliente 2", phone: "+33610000001" });
    expect(stats).toEqual({ customers: 4500, activeThisWeek: 4500, vip: 0, optedOut: 0 });
    expect(returning.items).toHaveLength(50);
    expect(found.items.map((i) => i.customer.phone)).toEqual(["+33610004242"]);
    // Her other phone (41) wrote last: her one row is that conversation's.
    expect(foundLinked.items.map((i) => i.customer.phone)).toEqual(["+33610000041"]);
    // Five page loads' worth of queries; a scan per customer row would take seconds here.
    expect(elapsed).toBeLessThan(kind === "pglite" ? 4000 : 1500);
  }, 60_000);
});
