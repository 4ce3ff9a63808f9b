/**
 * What the engine reads and writes for every message, on PostgreSQL and on PGlite, with two shops:
 * the context it starts from (one shop's message is never another's), its conclusion written in
 * one statement (record, conversation, reply: at most one reply per message), and the hand-over
 * that settles the message it answers. On PostgreSQL, the plan kept for the prepared context read
 * when the tables were empty uses unique keys only.
 */
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { consents, conversations, messages } from "../../db/schema";
import { openDatabase, type Database } from "~/db.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { useTwoShopDatabase } from "../../tests/integration/support/two-shops";
import { getMessage, loadInboundContext, recordHandOver, rowsOf, storeEngineOutcome, storeInboundMessage, type MessageRow, type NewMessage } from "./messages.server";
import type { MessageRecord } from "./record";

const NOW = new Date("2026-03-10T09:00:00Z");
const SHOP_NUMBER = { a: "+33939035761", b: "+33939035762" };
const JULIE = "+33645789012";

const RECORD: MessageRecord = {
  understanding: { language: "fr", intent: "product_availability", confidence: 0.9, entities: {} },
  lookups: [],
  decision: { kind: "answer", reason: "in stock" },
  actions: [],
  reply: { template: "availability.in_stock", language: "fr" },
  timings: { understandMs: 1, decideMs: 1, actMs: 1, replyMs: 1, totalMs: 4 },
};

function replyTo(inbound: MessageRow, body: string): NewMessage {
  return {
    conversationId: inbound.conversationId,
    customerId: inbound.customerId,
    direction: "outbound",
    author: "ai",
    channel: inbound.channel,
    provider: inbound.provider,
    fromAddress: inbound.toAddress,
    toAddress: inbound.fromAddress,
    body,
    status: "pending",
    inReplyTo: inbound.id,
    createdAt: NOW,
  };
}

describe.each(DATABASE_KINDS)("the engine's reads and writes on %s", (kind) => {
  const suite = useTwoShopDatabase(kind, NOW);

  const receive = async (shopId: string, to: string, body: string) => {
    const stored = await storeInboundMessage(suite.db, {
      shopId,
      provider: "twilio",
      inbound: { providerMessageId: `SM${randomBytes(8).toString("hex")}`, channel: "sms", from: JULIE, to, body, mediaUrls: [], raw: {} },
      now: NOW,
    });
    return stored.message;
  };

  it("loads a message with its shop, conversation, customer and consent, for its own shop only", async () => {
    const inA = await receive(suite.shopA, SHOP_NUMBER.a, "Vous avez la robe en 38 ?");
    const inB = await receive(suite.shopB, SHOP_NUMBER.b, "Vous avez le blazer en 40 ?");
    const loaded = await loadInboundContext(suite.db, suite.shopA, inA.id);
    expect(loaded?.message.id).toBe(inA.id);
    expect(loaded?.shop?.id).toBe(suite.shopA);
    expect(loaded?.conversation?.id).toBe(inA.conversationId);
    expect(loaded?.customer).toMatchObject({ id: inA.customerId, phone: JULIE, shopId: suite.shopA });
    expect(loaded?.reply).toBeNull();
    expect(loaded?.consentStatus).toBeNull();
    // Julie, one person, is a customer of each shop: each shop reads only its own message.
    expect(await loadInboundContext(suite.db, suite.shopB, inA.id)).toBeNull();
    expect(await loadInboundContext(suite.db, suite.shopA, inB.id)).toBeNull();
    expect((await loadInboundContext(suite.db, suite.shopB, inB.id))?.customer).toMatchObject({ id: inB.customerId, shopId: suite.shopB });

    // Her STOP to shop A's number is read for A's messages, never for B's.
    await suite.db.insert(consents).values({ shopId: suite.shopA, customerId: inA.customerId, channel: "sms", address: JULIE, sender: SHOP_NUMBER.a, status: "opted_out", source: "keyword:STOP", updatedAt: NOW });
    expect((await loadInboundContext(suite.db, suite.shopA, inA.id))?.consentStatus).toBe("opted_out");
    expect((await loadInboundContext(suite.db, suite.shopB, inB.id))?.consentStatus).toBeNull();
  });

  it("writes record, conversation state and one reply in one statement; a second reply to the same message is refused", async () => {
    const inA = await receive(suite.shopA, SHOP_NUMBER.a, "Le blazer beige existe en 40 ?");
    const inB = await receive(suite.shopB, SHOP_NUMBER.b, "Bonjour");
    const focus = { productId: "gid://shopify/Product/1", variantId: null };
    const reply = await storeEngineOutcome(suite.db, {
      shopId: suite.shopA,
      inboundId: inA.id,
      record: RECORD,
      conversationId: inA.conversationId,
      conversationChanges: { aiRepliedAt: NOW, focus },
      reply: replyTo(inA, "Oui, en 40 !"),
    });
    expect(reply).toMatchObject({ shopId: suite.shopA, inReplyTo: inA.id, body: "Oui, en 40 !", status: "pending", createdAt: NOW });
    expect((await getMessage(suite.db, suite.shopA, inA.id))?.record).toEqual(RECORD);
    const [conversation] = await suite.db.select().from(conversations).where(eq(conversations.id, inA.conversationId));
    expect(conversation).toMatchObject({ aiRepliedAt: NOW, focus });
    expect((await loadInboundContext(suite.db, suite.shopA, inA.id))?.reply?.id).toBe(reply?.id);

    const again = await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inA.id, record: RECORD, conversationId: inA.conversationId, conversationChanges: {}, reply: replyTo(inA, "Encore") });
    expect(again).toBeNull();
    expect(await suite.db.select().from(messages).where(eq(messages.inReplyTo, inA.id))).toHaveLength(1);

    // Shop A's ids never write shop B's rows.
    await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inB.id, record: RECORD, conversationId: inB.conversationId, conversationChanges: { status: "needs_merchant" }, reply: null });
    expect((await getMessage(suite.db, suite.shopB, inB.id))?.record).toBeNull();
    const [conversationB] = await suite.db.select().from(conversations).where(eq(conversations.id, inB.conversationId));
    expect(conversationB?.status).toBe("open");
  });

  it("keeps in the one-reply index the AI replies only, not the customers' messages", async () => {
    const before = await replyIndexEntries();
    const inA = await receive(suite.shopA, SHOP_NUMBER.a, "Vous faites des retouches ?");
    for (const body of ["Bonjour", "Merci", "À samedi"]) await receive(suite.shopB, SHOP_NUMBER.b, body);
    await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inA.id, record: RECORD, conversationId: inA.conversationId, conversationChanges: {}, reply: replyTo(inA, "Oui, sur rendez-vous.") });
    // Four messages and one reply later, one more entry: each webhook's insert writes no entry there.
    expect((await replyIndexEntries()) - before).toBe(1);
  });

  /** Rows the reply index covers, as ANALYZE counts them (pg_class.reltuples; the table is small enough to be read whole). */
  async function replyIndexEntries(): Promise<number> {
    await suite.db.execute(sql`ANALYZE messages`);
    const [row] = rowsOf(await suite.db.execute(sql`SELECT reltuples::int AS entries FROM pg_class WHERE relname = 'messages_one_reply_per_inbound'`));
    return Number(row?.entries);
  }

  it("with nothing to say, marks the message processed with its record", async () => {
    const inA = await receive(suite.shopA, SHOP_NUMBER.a, "Merci !");
    expect(await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inA.id, record: RECORD, conversationId: inA.conversationId, conversationChanges: {}, reply: null })).toBeNull();
    expect(await getMessage(suite.db, suite.shopA, inA.id)).toMatchObject({ status: "processed", record: RECORD });
  });

  it("records a hand-over and settles the message it answers, with the reply's latency", async () => {
    const inA = await receive(suite.shopA, SHOP_NUMBER.a, "Vous ouvrez à quelle heure ?");
    const reply = await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inA.id, record: RECORD, conversationId: inA.conversationId, conversationChanges: {}, reply: replyTo(inA, "À 10h") });
    if (!reply) throw new Error("no reply stored");
    const sentAt = new Date(NOW.getTime() + 1234);
    await recordHandOver(suite.db, suite.shopA, reply.id, { status: "sent", providerMessageId: "SMsent1", sentAt }, { inboundId: inA.id, receivedAt: inA.createdAt });
    expect(await getMessage(suite.db, suite.shopA, reply.id)).toMatchObject({ status: "sent", providerMessageId: "SMsent1", sentAt, error: null });
    expect(await getMessage(suite.db, suite.shopA, inA.id)).toMatchObject({ status: "processed", latencyMs: 1234 });

    // A definitive refusal: the reply failed with the reason, the message settled without a latency.
    const inA2 = await receive(suite.shopA, SHOP_NUMBER.a, "Et dimanche ?");
    const refused = await storeEngineOutcome(suite.db, { shopId: suite.shopA, inboundId: inA2.id, record: RECORD, conversationId: inA2.conversationId, conversationChanges: {}, reply: replyTo(inA2, "Fermé") });
    if (!refused) throw new Error("no reply stored");
    await recordHandOver(suite.db, suite.shopA, refused.id, { status: "failed", error: "21610: unsubscribed recipient" }, { inboundId: inA2.id, receivedAt: inA2.createdAt });
    expect(await getMessage(suite.db, suite.shopA, refused.id)).toMatchObject({ status: "failed", error: "21610: unsubscribed recipient", sentAt: null });
    expect(await getMessage(suite.db, suite.shopA, inA2.id)).toMatchObject({ status: "processed", latencyMs: null });

    // Another shop's id changes nothing.
    const inB = await receive(suite.shopB, SHOP_NUMBER.b, "Bonjour");
    await recordHandOver(suite.db, suite.shopA, reply.id, { status: "outbox", reason: "x", sentAt }, { inboundId: inB.id, receivedAt: inB.createdAt });
    expect((await getMessage(suite.db, suite.shopB, inB.id))?.status).toBe("received");
  });
});

describe("the prepared context read on PostgreSQL", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    await handle.close();
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it("keeps, when planned on empty tables, a plan that reaches every table by a unique key", async () => {
    // One connection that always uses the kept (generic) plan, as PostgreSQL may after five calls.
    const pool = new pg.Pool({ connectionString: database.env.DATABASE_URL, max: 1, options: "-c plan_cache_mode=force_generic_plan" });
    try {
      const db: Database = drizzle(pool, { schema });
      const messageId = "00000000-0000-4000-8000-000000000001";
      expect(await loadInboundContext(db, "00000000-0000-4000-8000-000000000002", messageId)).toBeNull();
      const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN EXECUTE load_inbound_context('${messageId}')`);
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).not.toMatch(/Seq Scan|Bitmap/);
      const indexes = [...plan.matchAll(/Index Scan using (\w+)/g)].map((m) => m[1]).sort();
      expect(indexes).toEqual(["consents_one", "conversations_pkey", "customers_pkey", "messages_one_reply_per_inbound", "messages_pkey", "shops_pkey"]);
    } finally {
      await pool.end();
    }
  });
});
