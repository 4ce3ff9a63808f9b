/**
 * The inbox on PostgreSQL and on PGlite, with two shops: tabs, filters, search, unread counts,
 * take over / hand back, the merchant's reply through the delivery port, the AI's record as cards,
 * the live-update stream — and shop A never sees, changes or answers shop B's conversations.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, customers, messages, type Escalation } from "../../db/schema";
import type { DeliveryResult } from "~/conversation/engine.server";
import type { MessageRecord } from "~/conversation/record";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { translator } from "~/i18n";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { ProviderError, type OutboundMessage } from "~/plugins/types";
import { upsertShop } from "~/shops/install.server";
import { conversationWrites } from "../../tests/integration/support/conversation-writes";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { describeCard } from "./cards";
import { inboxEventStream } from "./events.server";
import { changedConversations, createInboxService, inboxSnapshot, type InboxQuery, type InboxService } from "./inbox.server";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", sms: "+33939035761", email: "bonjour@elegance-paris.fr", whatsapp: "+33939035769" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", sms: "+33939035762" };
const JULIE = "+33645789012";
const EMMA = "+33611223344";
const MARINE = "marine.dubois@example.fr";
const MONDAY = new Date("2026-01-12T10:15:00+01:00");

/** The delivery port as the app wires it (services.server.ts): here a recording double. */
function fakeDelivery() {
  const sent: Array<{ provider: string; message: OutboundMessage }> = [];
  let next: () => Promise<DeliveryResult> = async () => ({ kind: "sent", providerMessageId: `SM${randomBytes(8).toString("hex")}`, status: "queued" });
  return {
    sent,
    answerWith(answer: () => Promise<DeliveryResult>) {
      next = answer;
    },
    deliver: async (provider: string, message: OutboundMessage) => {
      sent.push({ provider, message });
      return next();
    },
  };
}

function aiRecord(over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    understanding: {
      language: "fr",
      intent: "product_availability",
      confidence: 0.92,
      entities: { variant: { id: "gid://shopify/ProductVariant/38", size: "38", sku: "RF-2847-38" } },
    },
    lookups: [
      { tool: "customers.findByPhone", input: { address: JULIE }, output: { id: "gid://shopify/Customer/1", firstName: "Julie", lastName: "Mercier", tags: ["Vip", "newsletter"] }, ms: 2 },
      { tool: "inventory.listCatalogue", input: {}, output: { products: 12 }, ms: 1 },
      // Recorded before the engine added the size: the size she asked about is used.
      { tool: "inventory.availability", input: { variantId: "gid://shopify/ProductVariant/38" }, output: { variantId: "gid://shopify/ProductVariant/38", sku: "RF-2847-38", available: 2 }, ms: 3 },
      { tool: "inventory.availability", input: { variantId: "gid://shopify/ProductVariant/40" }, output: { variantId: "gid://shopify/ProductVariant/40", sku: "RF-2847-40", size: "40", available: 3 }, ms: 3 },
      { tool: "inventory.availability", input: { variantId: "gid://shopify/ProductVariant/36" }, output: { variantId: "gid://shopify/ProductVariant/36", sku: "RF-2847-36", available: 1 }, ms: 3 },
      // A suggestion's lookup (no SKU) is not what she asked about: no card.
      { tool: "inventory.availability", input: { variantId: "gid://shopify/ProductVariant/99" }, output: { available: 5 }, ms: 3 },
    ],
    decision: { kind: "act", reason: "in stock: propose a hold" },
    actions: [
      {
        type: "reservation.create",
        status: "done",
        details: { holdId: "h1", product: "RF-2847", size: "38", quantity: 1, expiresAt: "2026-01-13T17:00:00.000Z" },
      },
    ],
    reply: { template: "availability.in_stock", language: "fr" },
    timings: { understandMs: 1, decideMs: 1, actMs: 1, replyMs: 1, totalMs: 4 },
    ...over,
  };
}

describe.each(DATABASE_KINDS)("inbox on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  const clock = createManualClock(MONDAY);
  const delivery = fakeDelivery();
  let inbox: InboxService;
  let shopA: string;
  let shopB: string;
  const ids = { julie: "", marine: "", emmaOld: "", emma: "", bJulie: "" };
  let marineEmailId = "";

  /** An inbound message stored as the webhook stores it, `minutes` after the previous one. */
  const { inbound, aiReply } = conversationWrites({ db: () => db, clock });

  const list = async (shopId: string, query: Partial<InboxQuery> = {}) => (await inbox.list(shopId, { tab: "all", ...query })).items.map((i) => i.id);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    inbox = createInboxService({ db, clock, logger: silentLogger, deliver: delivery.deliver });
    shopA = (await upsertShop(db, { domain: SHOP_A.domain, name: SHOP_A.name, timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    shopB = (await upsertShop(db, { domain: SHOP_B.domain, name: SHOP_B.name, timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;

    // Emma wrote on WhatsApp last week (closed since), then again today: a returning customer.
    clock.set(new Date("2026-01-05T15:00:00+01:00"));
    const emmaFirst = await inbound(shopA, "whatsapp", EMMA, SHOP_A.whatsapp, "Bonjour, vous ouvrez à quelle heure ?");
    await aiReply(shopA, emmaFirst, "Bonjour ! Nous ouvrons à 10h.");
    await db.update(conversations).set({ status: "closed" }).where(eq(conversations.id, emmaFirst.conversationId));
    ids.emmaOld = emmaFirst.conversationId;
    clock.set(MONDAY);

    // Julie (a VIP in Shopify) asks for the dress in 38: the AI answers and puts it aside.
    const julie = await inbound(shopA, "sms", JULIE, SHOP_A.sms, "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?");
    await db.update(messages).set({ record: aiRecord(), status: "processed" }).where(eq(messages.id, julie.id));
    // Linked to her Shopify profile by the engine, which copies her name.
    await db.update(customers).set({ firstName: "Julie", lastName: "Mercier" }).where(eq(customers.id, julie.customerId));
    await aiReply(shopA, julie, "Bonjour Julie ! Oui, il nous en reste 2 en 38. Je vous la garde jusqu'à demain 18h.");
    ids.julie = julie.conversationId;

    // Marine emails for styling advice for a wedding: escalated, with a suggested reply.
    const marine = await inbound(shopA, "email", MARINE, SHOP_A.email, "Je cherche une tenue pour un mariage samedi, que me conseillez-vous ?", {
      subject: "Tenue pour un mariage",
      emailMessageId: "<marine-1@example.fr>",
    });
    marineEmailId = marine.id;
    const escalation: Escalation = {
      reason: "styling advice is the merchant's",
      summary: "Marine Dubois (styling advice, urgent): « tenue pour un mariage samedi »",
      checked: ["in stock to suggest: Robe Bordeaux (38)"],
      suggestedReply: "Bonjour Marine ! Je vous propose : Robe Bordeaux (38). Dites-moi ce qui vous plaît !",
      urgent: true,
      at: clock.now().toISOString(),
    };
    await db
      .update(messages)
      .set({
        status: "processed",
        record: aiRecord({
          understanding: { language: "fr", intent: "styling_advice", confidence: 0.81, entities: {} },
          lookups: [{ tool: "customers.findByEmail", input: { address: MARINE }, output: { found: false }, ms: 1 }],
          decision: { kind: "escalate", reason: "styling advice is the merchant's" },
          actions: [{ type: "notify.merchant", status: "done", details: { reason: "styling advice", urgent: true } }],
          reply: null,
        }),
      })
      .where(eq(messages.id, marine.id));
    await db.update(conversations).set({ status: "needs_merchant", escalation }).where(eq(conversations.id, marine.conversationId));
    ids.marine = marine.conversationId;

    const emma = await inbound(shopA, "whatsapp", EMMA, SHOP_A.whatsapp, "Re-bonjour, la veste en lin existe en M ?");
    await aiReply(shopA, emma, "Oui, la veste en lin existe en M.");
    ids.emma = emma.conversationId;

    // Shop B: a customer with the same phone and words, who belongs to shop B only.
    const bJulie = await inbound(shopB, "sms", JULIE, SHOP_B.sms, "Bonjour, la robe fleurie bleue en 38 ? mariage");
    await aiReply(shopB, bJulie, "Oui !");
    ids.bJulie = bJulie.conversationId;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("splits the tabs: what needs her, what the AI handled, everything — per shop", async () => {
    expect(await list(shopA, { tab: "needs_you" })).toEqual([ids.marine]);
    expect(await list(shopA, { tab: "ai_handled" })).toEqual([ids.emma, ids.julie, ids.emmaOld]);
    expect(await list(shopA)).toEqual([ids.emma, ids.marine, ids.julie, ids.emmaOld]);
    expect(await list(shopB)).toEqual([ids.bJulie]);
    expect(await list(shopB, { tab: "needs_you" })).toEqual([]);
  });

  it("filters by channel, status and customer segment", async () => {
    expect(await list(shopA, { channel: "email" })).toEqual([ids.marine]);
    expect(await list(shopA, { channel: "whatsapp" })).toEqual([ids.emma, ids.emmaOld]);
    expect(await list(shopA, { status: "closed" })).toEqual([ids.emmaOld]);
    expect(await list(shopA, { tab: "ai_handled", status: "open" })).toEqual([ids.emma, ids.julie]);
    expect(await list(shopA, { segment: "vip" })).toEqual([ids.julie]);
    expect(await list(shopA, { segment: "returning" })).toEqual([ids.emma]);
    expect(await list(shopA, { segment: "new" })).toEqual([ids.marine, ids.julie, ids.emmaOld]);
    // Shop B's Julie has the same phone but no VIP profile recorded there.
    expect(await list(shopB, { segment: "vip" })).toEqual([]);
  });

  it("searches names, phones (typed the French way), emails and message text, in one shop", async () => {
    expect(await list(shopA, { search: "julie mer" })).toEqual([ids.julie]);
    expect(await list(shopA, { search: "06 45 78 90" })).toEqual([ids.julie]);
    expect(await list(shopA, { search: "+3361122" })).toEqual([ids.emma, ids.emmaOld]);
    expect(await list(shopA, { search: "MARINE.DUBOIS@" })).toEqual([ids.marine]);
    expect(await list(shopA, { search: "mariage" })).toEqual([ids.marine]);
    expect(await list(shopA, { tab: "needs_you", search: "robe" })).toEqual([]);
    // The merchant's % and _ are characters, not wildcards.
    expect(await list(shopA, { search: "%" })).toEqual([]);
    expect(await list(shopA, { search: "r_be" })).toEqual([]);
    // Shop B's conversation says "mariage" and has Julie's phone: never in shop A's results.
    expect(await list(shopB, { search: "mariage" })).toEqual([ids.bJulie]);
    expect(await list(shopB, { search: "06 45 78 90" })).toEqual([ids.bJulie]);
  });

  it("pages with a cursor, without gaps or repeats", async () => {
    const first = await inbox.list(shopA, { tab: "all", limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await inbox.list(shopA, { tab: "all", limit: 3, after: first.nextCursor });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(await list(shopA));
  });

  it("counts unread messages per tab, until she reads; a new message is unread again", async () => {
    expect(await inbox.counts(shopA)).toEqual({
      needs_you: { conversations: 1, unread: 1 },
      ai_handled: { conversations: 3, unread: 3 },
      all: { conversations: 4, unread: 4 },
    });
    expect(await inbox.counts(shopB)).toEqual({
      needs_you: { conversations: 0, unread: 0 },
      ai_handled: { conversations: 1, unread: 1 },
      all: { conversations: 1, unread: 1 },
    });
    // Shop B cannot mark shop A's conversation read.
    expect(await inbox.markRead(shopB, ids.julie)).toBe(false);
    expect(await inbox.markRead(shopA, ids.julie)).toBe(true);
    expect(await inbox.markRead(shopA, ids.emmaOld)).toBe(true);
    const items = (await inbox.list(shopA, { tab: "all" })).items;
    expect(Object.fromEntries(items.map((i) => [i.id, i.unread]))).toEqual({ [ids.emma]: 1, [ids.marine]: 1, [ids.julie]: 0, [ids.emmaOld]: 0 });
    expect((await inbox.counts(shopA)).ai_handled).toEqual({ conversations: 3, unread: 1 });

    await inbound(shopA, "sms", JULIE, SHOP_A.sms, "Merci, je passe demain !");
    await inbound(shopA, "sms", JULIE, SHOP_A.sms, "Vers 17h");
    const julie = (await inbox.list(shopA, { tab: "all" })).items.find((i) => i.id === ids.julie);
    expect(julie?.unread).toBe(2);
    expect(julie?.lastMessage).toEqual({ body: "Vers 17h", direction: "inbound", author: "customer" });
    expect((await inbox.counts(shopA)).all.unread).toBe(3);
    expect((await inbox.thread(shopA, ids.julie))?.messages.filter((m) => m.unread).map((m) => m.body)).toEqual(["Merci, je passe demain !", "Vers 17h"]);
    await inbox.markRead(shopA, ids.julie);
    expect((await inbox.counts(shopA)).all.unread).toBe(2);
    // Shop B's counts never moved.
    expect((await inbox.counts(shopB)).all).toEqual({ conversations: 1, unread: 1 });
  });

  it("shows the thread with delivery states and the AI's record as readable cards", async () => {
    const thread = await inbox.thread(shopA, ids.julie);
    expect(thread?.vip).toBe(true);
    expect(thread?.customer).toMatchObject({ name: "Julie Mercier", phone: JULIE });
    expect(thread?.messages.map((m) => [m.direction, m.author, m.status])).toEqual([
      ["inbound", "customer", "processed"],
      ["outbound", "ai", "outbox"],
      ["inbound", "customer", "received"],
      ["inbound", "customer", "received"],
    ]);
    const cards = thread?.messages[0]?.cards ?? [];
    const f = { locale: "fr" as const, t: translator("fr"), timeZone: "Europe/Paris", now: MONDAY };
    expect(cards.map((card) => describeCard(card, f).text)).toEqual([
      "compris : disponibilité d'un produit (92 %)",
      "fiche client Shopify : Julie Mercier (VIP)",
      "stock vérifié : 2 en 38",
      "stock vérifié : 3 en 40",
      "stock vérifié : 1 (RF-2847-36)",
      "décision : agir",
      "mise de côté jusqu'à demain 18:00",
    ]);
    expect(cards.map((card) => describeCard(card, f).detail)).toEqual([null, null, "RF-2847-38", "RF-2847-40", null, null, "RF-2847 · 38"]);
    const en = { ...f, locale: "en" as const, t: translator("en") };
    expect(cards.map((card) => describeCard(card, en).text).slice(2)).toEqual([
      "stock checked: 2 in 38",
      "stock checked: 3 in 40",
      "stock checked: 1 (RF-2847-36)",
      "decision: act",
      "put aside until tomorrow 18:00",
    ]);
    // Marine's escalation: the customer unknown to Shopify, the decision with its reason, the hand-over.
    const marineCards = (await inbox.thread(shopA, ids.marine))?.messages[0]?.cards ?? [];
    expect(marineCards.map((card) => describeCard(card, f))).toEqual([
      { text: "compris : conseil de style (81 %)", detail: null, tone: "subdued" },
      { text: "aucune fiche client Shopify pour cette adresse", detail: null, tone: "subdued" },
      { text: "décision : vous passer la main", detail: "styling advice is the merchant's", tone: "critical" },
      { text: "vous a été transmis", detail: null, tone: "success" },
    ]);

    const marine = await inbox.thread(shopA, ids.marine);
    expect(marine?.conversation.escalation).toMatchObject({ suggestedReply: expect.stringContaining("Robe Bordeaux"), urgent: true, checked: ["in stock to suggest: Robe Bordeaux (38)"] });
    expect(marine?.messages[0]?.subject).toBe("Tenue pour un mariage");
    expect(marine?.vip).toBe(false);
    expect(marine?.whatsappWindow).toBeNull();

    const emma = await inbox.thread(shopA, ids.emma);
    expect(emma?.whatsappWindow?.open).toBe(true);
    expect((await inbox.thread(shopA, ids.emmaOld))?.whatsappWindow?.open).toBe(false);

    // Shop B asking for shop A's conversation gets nothing; a malformed id too.
    expect(await inbox.thread(shopB, ids.julie)).toBeNull();
    expect(await inbox.thread(shopA, "not-a-uuid")).toBeNull();
  });

  it("takes over (the AI steps aside) and hands back (an escalation is open again)", async () => {
    expect(await inbox.takeOver(shopB, ids.emma)).toBe(false);
    expect(await inbox.takeOver(shopA, ids.emma)).toBe(true);
    expect((await inbox.thread(shopA, ids.emma))?.conversation.aiPaused).toBe(true);
    expect(await list(shopA, { tab: "ai_handled" })).not.toContain(ids.emma);
    expect((await inbox.list(shopA, { tab: "all" })).items.find((i) => i.id === ids.emma)?.aiPaused).toBe(true);

    expect(await inbox.takeOver(shopA, ids.marine)).toBe(true);
    expect(await inbox.handBack(shopB, ids.marine)).toBe(false);
    expect((await inbox.thread(shopA, ids.marine))?.conversation).toMatchObject({ status: "needs_merchant", aiPaused: true });
    expect(await inbox.handBack(shopA, ids.marine)).toBe(true);
    expect((await inbox.thread(shopA, ids.marine))?.conversation).toMatchObject({ status: "open", aiPaused: false });
    expect(await inbox.handBack(shopA, ids.emma)).toBe(true);
    // A closed conversation handed back stays closed (another one may be open for her).
    expect(await inbox.handBack(shopA, ids.emmaOld)).toBe(true);
    expect((await inbox.thread(shopA, ids.emmaOld))?.conversation.status).toBe("closed");

    await db.update(conversations).set({ status: "needs_merchant" }).where(eq(conversations.id, ids.marine));
  });

  it("sends the merchant's reply through the delivery port, threaded, and records what became of it", async () => {
    const before = delivery.sent.length;
    const result = await inbox.reply(shopA, ids.marine, "  Bonjour Marine ! Passez samedi matin, je vous prépare deux tenues.  ");
    expect(result).toMatchObject({ ok: true, status: "sent", error: null });
    expect(delivery.sent.slice(before)).toHaveLength(1);
    const sent = delivery.sent.at(-1);
    expect(sent?.provider).toBe("resend");
    expect(sent?.message).toMatchObject({
      channel: "email",
      from: SHOP_A.email,
      to: MARINE,
      body: "Bonjour Marine ! Passez samedi matin, je vous prépare deux tenues.",
      subject: "Re: Tenue pour un mariage",
      inReplyTo: "<marine-1@example.fr>",
    });
    const [stored] = await db.select().from(messages).where(eq(messages.id, result.ok ? result.messageId : ""));
    expect(stored).toMatchObject({ author: "merchant", direction: "outbound", status: "sent", shopId: shopA, inReplyTo: null });
    expect(stored?.providerMessageId).toMatch(/^SM/);
    expect(stored?.sentAt).toEqual(clock.now());
    // Answering resolves the escalation; the conversation is read.
    const thread = await inbox.thread(shopA, ids.marine);
    expect(thread?.conversation.status).toBe("open");
    expect(thread?.messages.at(-1)).toMatchObject({ author: "merchant", status: "sent" });
    expect(thread?.messages.some((m) => m.unread)).toBe(false);
    expect(marineEmailId).not.toBe("");

    // Without provider credentials the reply is kept in the outbox.
    delivery.answerWith(async () => ({ kind: "outbox", reason: "no twilio credentials configured: kept in the outbox" }));
    const kept = await inbox.reply(shopA, ids.julie, "À demain Julie !");
    expect(kept).toMatchObject({ ok: true, status: "outbox" });
    expect(delivery.sent.at(-1)?.message).toMatchObject({ channel: "sms", from: SHOP_A.sms, to: JULIE });
    expect(delivery.sent.at(-1)?.message.subject).toBeUndefined();

    // A provider's refusal, and a network failure, leave a failed message she can see.
    delivery.answerWith(async () => {
      throw new ProviderError("63016: outside the allowed window", { provider: "twilio", code: 63016, retryable: false });
    });
    clock.advance(1_000);
    expect(await inbox.reply(shopA, ids.emma, "Bonjour Emma")).toMatchObject({ ok: true, status: "failed", error: "63016: outside the allowed window" });
    delivery.answerWith(async () => {
      throw new Error("socket hang up");
    });
    clock.advance(1_000);
    const failed = await inbox.reply(shopA, ids.emma, "Bonjour Emma ?");
    expect(failed).toMatchObject({ ok: true, status: "failed", error: "socket hang up" });
    const emma = await inbox.thread(shopA, ids.emma);
    expect(emma?.messages.slice(-2).map((m) => [m.status, m.error])).toEqual([
      ["failed", "63016: outside the allowed window"],
      ["failed", "socket hang up"],
    ]);
    delivery.answerWith(async () => ({ kind: "sent", providerMessageId: "SMok", status: "queued" }));

    // Nothing to send, and another shop's conversation: refused before anything is stored or sent.
    const count = delivery.sent.length;
    expect(await inbox.reply(shopA, ids.marine, "   ")).toEqual({ ok: false, reason: "empty" });
    expect(await inbox.reply(shopB, ids.marine, "Bonjour")).toEqual({ ok: false, reason: "not_found" });
    expect(await inbox.reply(shopA, ids.bJulie, "Bonjour")).toEqual({ ok: false, reason: "not_found" });
    expect(delivery.sent.length).toBe(count);
    expect((await inbox.thread(shopB, ids.bJulie))?.messages.map((m) => m.author)).toEqual(["customer", "ai"]);
  });

  it("streams a change event when the shop's inbox changes, not another shop's, and stops on abort", async () => {
    const controller = new AbortController();
    let polls = 0;
    const response = inboxEventStream({
      snapshot: () => {
        polls++;
        return inboxSnapshot(db, shopA);
      },
      diff: changedConversations,
      signal: controller.signal,
      logger: silentLogger,
      intervalMs: 20,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${received}`);
        received += decoder.decode(value);
      }
    };
    await readUntil(/: connected\n\n/);
    expect(received).toMatch(/^retry: \d+\n/);
    while (polls < 2) await new Promise((r) => setTimeout(r, 10));

    // Shop B's new message: no event for shop A. Then shop A's: one, naming the conversation.
    await inbound(shopB, "sms", JULIE, SHOP_B.sms, "Toujours là ?");
    const seen = polls;
    while (polls < seen + 3) await new Promise((r) => setTimeout(r, 10));
    const emmaMessage = await inbound(shopA, "whatsapp", EMMA, SHOP_A.whatsapp, "Je passe la prendre à 16h");
    await readUntil(/data: .*\n\n/);
    expect(received).not.toContain(ids.bJulie);
    const event = JSON.parse(/data: (.*)\n\n/.exec(received)?.[1] ?? "{}") as { conversations: string[] };
    expect(event.conversations).toContain(emmaMessage.conversationId);

    controller.abort();
    expect((await reader.read()).done).toBe(true);
    const afterAbort = polls;
    await new Promise((r) => setTimeout(r, 100));
    expect(polls).toBe(afterAbort);
  });

  it("the service's stream is an event stream that ends with the request", async () => {
    const controller = new AbortController();
    const response = inbox.events(shopA, controller.signal);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(": connected");
    controller.abort();
    expect((await reader.read()).done).toBe(true);
  });
});
