/**
 * Inbound messages stored in batches, as the webhook edge stores them under load, on PostgreSQL
 * and on PGlite, with two shops: each message lands on its own shop's customer and conversation,
 * a customer's messages in one batch share them, a closed conversation is not reopened, the same
 * provider message twice is stored once, and concurrent batches naming the same new customer
 * still make one customer and one open conversation.
 */
import { randomBytes } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { conversations, customers, messages } from "../../db/schema";
import type { Database } from "~/db.server";
import type { ChannelKind } from "~/plugins/types";
import { DATABASE_KINDS } from "../../tests/integration/support/databases";
import { useTwoShopDatabase } from "../../tests/integration/support/two-shops";
import { analyzeStoreTables, createStorePlanCache, storeInboundMessage, storeInboundMessages, storeInboundParams, type InboundToStore } from "./messages.server";

const NOW = new Date("2026-03-10T09:00:00Z");
const SHOP_NUMBER = { a: "+33939035761", b: "+33939035762" };

const sid = () => `SM${randomBytes(8).toString("hex")}`;
function input(shopId: string, from: string, body: string, options: { channel?: ChannelKind; providerMessageId?: string; at?: Date; to?: string } = {}): InboundToStore {
  const channel = options.channel ?? "sms";
  return {
    shopId,
    provider: channel === "email" ? "resend" : "twilio",
    inbound: { providerMessageId: options.providerMessageId ?? sid(), channel, from, to: options.to ?? SHOP_NUMBER.a, body, mediaUrls: [], raw: {}, ...(channel === "email" ? { subject: "Commande" } : {}) },
    now: options.at ?? NOW,
  };
}

describe.each(DATABASE_KINDS)("storing inbound messages in batches on %s", (kind) => {
  const suite = useTwoShopDatabase(kind, NOW);

  const customerOf = async (shopId: string, phone: string) => suite.db.select().from(customers).where(and(eq(customers.shopId, shopId), eq(customers.phone, phone)));
  const conversationsOf = async (customerId: string) => suite.db.select().from(conversations).where(eq(conversations.customerId, customerId));

  it("stores a mixed batch: two shops, one customer twice, an existing conversation, an email, a duplicate", async () => {
    const julie = "+33645789012";
    const first = await storeInboundMessage(suite.db, input(suite.shopA, julie, "Bonjour", { at: new Date(NOW.getTime() - 60_000) }));
    expect(first).toMatchObject({ outcome: "stored", customerCreated: true });
    const repeated = sid();
    const batch = [
      input(suite.shopA, julie, "Vous l'avez en 38 ?"),
      input(suite.shopB, julie, "Et chez vous ?", { to: SHOP_NUMBER.b }),
      input(suite.shopA, "+33611223344", "Premier message", { providerMessageId: repeated }),
      input(suite.shopA, "+33611223344", "Deuxième message"),
      input(suite.shopA, "+33611223344", "Premier message", { providerMessageId: repeated }),
      input(suite.shopA, "marine.dubois@example.fr", "Où est ma commande ?", { channel: "email", to: "bonjour@elegance-paris.fr" }),
    ];
    const results = await storeInboundMessages(suite.db, batch);

    expect(results.map((r) => r.outcome)).toEqual(["stored", "stored", "stored", "stored", "duplicate", "stored"]);
    // Julie at shop A: her existing customer row and open conversation, touched.
    expect(results[0]).toMatchObject({ customerCreated: false, message: { customerId: first.message.customerId, conversationId: first.message.conversationId, body: "Vous l'avez en 38 ?" } });
    const [conversationA] = await conversationsOf(first.message.customerId);
    expect(conversationA?.lastInboundAt?.toISOString()).toBe(NOW.toISOString());
    // Julie at shop B is another customer, of shop B.
    expect(results[1]?.message.shopId).toBe(suite.shopB);
    expect(results[1]?.message.customerId).not.toBe(first.message.customerId);
    expect(await customerOf(suite.shopB, julie)).toHaveLength(1);
    // A new customer's two messages share one customer and one conversation; the repeat is the first message.
    expect(results[2]?.message.conversationId).toBe(results[3]?.message.conversationId);
    expect(results[4]?.message.id).toBe(results[2]?.message.id);
    expect(await customerOf(suite.shopA, "+33611223344")).toHaveLength(1);
    // The email's customer is found by address, on the email column.
    expect(results[5]?.message).toMatchObject({ channel: "email", fromAddress: "marine.dubois@example.fr", subject: "Commande", status: "received", direction: "inbound" });
    // Rows are read back as Drizzle reads them (dates are dates).
    expect(results[0]?.message.createdAt).toBeInstanceOf(Date);
    expect(await suite.db.select().from(messages).where(eq(messages.providerMessageId, repeated))).toHaveLength(1);
  });

  it("opens a new conversation when the customer's last one is closed", async () => {
    const emma = "+33622334455";
    const first = await storeInboundMessage(suite.db, input(suite.shopA, emma, "Bonjour"));
    await suite.db.update(conversations).set({ status: "closed" }).where(eq(conversations.id, first.message.conversationId));
    const [again] = await storeInboundMessages(suite.db, [input(suite.shopA, emma, "Re-bonjour", { at: new Date(NOW.getTime() + 60_000) })]);
    expect(again?.message.conversationId).not.toBe(first.message.conversationId);
    expect(await conversationsOf(first.message.customerId)).toHaveLength(2);
  });

  it("makes one customer and one open conversation when batches for the same new customer race", async () => {
    const lea = "+33633445566";
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => storeInboundMessages(suite.db, [input(suite.shopA, lea, `message ${i}`)])));
    expect(results.flat().map((r) => r.outcome)).toEqual(Array(6).fill("stored"));
    const [customer, ...others] = await customerOf(suite.shopA, lea);
    expect(others).toEqual([]);
    const open = (await conversationsOf(customer?.id ?? "")).filter((c) => c.status !== "closed");
    expect(open).toHaveLength(1);
    expect(new Set(results.flat().map((r) => r.message.conversationId))).toEqual(new Set([open[0]?.id]));
  });
});

describe("the store statement's kept plan (createStorePlanCache)", () => {
  it("names the statement anew each time the messages stored through it double, from 64 on", () => {
    const plan = createStorePlanCache({ prefix: "s" });
    const after = (count: number) => {
      plan.stored(count);
      return [plan.statementName("phone"), plan.statementName("email")];
    };
    expect(after(0)).toEqual(["s_phone_0", "s_email_0"]);
    expect(after(127)).toEqual(["s_phone_0", "s_email_0"]);
    expect(after(1)).toEqual(["s_phone_1", "s_email_1"]);
    expect(after(127)).toEqual(["s_phone_1", "s_email_1"]);
    expect(after(1)).toEqual(["s_phone_2", "s_email_2"]);
    expect(after(64 * 1024 - 256)).toEqual(["s_phone_10", "s_email_10"]);
  });

  it("with analyze, runs it on reaching a new name up to 4,096 messages and takes that name once it is done, failed or not", async () => {
    const analyses: Array<{ resolve(): void; reject(error: Error): void }> = [];
    const errors: unknown[] = [];
    const plan = createStorePlanCache({
      prefix: "s",
      analyze: () => new Promise<void>((resolve, reject) => analyses.push({ resolve, reject })),
      onAnalyzeError: (error) => errors.push(error),
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    plan.stored(127);
    expect(analyses).toHaveLength(0);
    plan.stored(1);
    expect(analyses).toHaveLength(1);
    // While it runs: the current name, and no second ANALYZE however many more are stored.
    plan.stored(200);
    expect(plan.statementName("phone")).toBe("s_phone_0");
    expect(analyses).toHaveLength(1);
    analyses[0]?.resolve();
    await settle();
    // The name of the count now (328 stored: 256–511), not of the count that started it.
    expect(plan.statementName("phone")).toBe("s_phone_2");
    expect(errors).toEqual([]);
    plan.stored(184);
    expect(analyses).toHaveLength(2);
    analyses[1]?.reject(new Error("permission denied to analyze"));
    await settle();
    expect(plan.statementName("email")).toBe("s_email_3");
    expect(errors).toEqual([new Error("permission denied to analyze")]);
    // Up to 4,096 stored (the default), then the tables have statistics: new names without ANALYZE.
    plan.stored(4096 - 512);
    expect(analyses).toHaveLength(3);
    analyses[2]?.resolve();
    await settle();
    expect(plan.statementName("phone")).toBe("s_phone_6");
    plan.stored(4096);
    expect(analyses).toHaveLength(3);
    expect(plan.statementName("phone")).toBe("s_phone_7");
  });

  describe("on PostgreSQL", () => {
    const suite = useTwoShopDatabase("postgres", NOW);

    /** One connection, so that its prepared statements can be read back and explained. */
    async function onOneConnection(run: (db: Database, client: pg.Client) => Promise<void>) {
      const pool = (suite.db as unknown as { $client: pg.Pool }).$client;
      const client = new pg.Client({ connectionString: pool.options.connectionString });
      await client.connect();
      try {
        await run(drizzle({ client, schema }) as unknown as Database, client);
      } finally {
        await client.end();
      }
    }

    it("keeps each name's plan on the connection, runs it again, and stores what the unnamed statement stores", async () => {
      await onOneConnection(async (db, client) => {
        const plan = createStorePlanCache({ prefix: "test_store" });
        // 40 batches of 8: 320 messages over 50 customers per shop, so known customers and open conversations too.
        for (let b = 0; b < 40; b++) {
          const batch = Array.from({ length: 8 }, (_, k) => {
            const shopA = k % 2 === 0;
            const from = `+3361100${String((b * 4 + (k >> 1)) % 50).padStart(4, "0")}`;
            return input(shopA ? suite.shopA : suite.shopB, from, `Message ${b}-${k}`, { to: shopA ? SHOP_NUMBER.a : SHOP_NUMBER.b });
          });
          const results = await storeInboundMessages(db, batch, { plan });
          expect(results.map((r) => [r.outcome, r.message.shopId, r.message.body])).toEqual(batch.map((i) => ["stored", i.shopId, i.inbound.body]));
        }
        const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
          "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'test\\_store\\_%' ORDER BY name",
        );
        // 0–127 stored: _0 (16 runs); 128–255: _1 (16 runs); 256–319: _2 (8 runs).
        expect(rows.map((r) => [r.name, Number(r.generic_plans) + Number(r.custom_plans)])).toEqual([
          ["test_store_phone_0", 16],
          ["test_store_phone_1", 16],
          ["test_store_phone_2", 8],
        ]);
        // Past PostgreSQL's first five custom plans, the kept plan is the one run.
        expect(rows.map((r) => Number(r.generic_plans))).toEqual([11, 11, 3]);
        for (const shopId of [suite.shopA, suite.shopB]) {
          const stored = await suite.db.select({ id: messages.id }).from(messages).where(and(eq(messages.shopId, shopId), eq(messages.direction, "inbound")));
          const theirCustomers = await suite.db.select({ id: customers.id }).from(customers).where(eq(customers.shopId, shopId));
          expect(stored).toHaveLength(160);
          expect(theirCustomers).toHaveLength(50);
        }
      });
    });

    it("with analyze, plans each name from statistics: customers on (shop_id, phone), conversations by primary key", async () => {
      await onOneConnection(async (db, client) => {
        const analyses: Array<Promise<void>> = [];
        const plan = createStorePlanCache({
          prefix: "stats_store",
          analyze: () => {
            const analysis = analyzeStoreTables(db);
            analyses.push(analysis);
            return analysis;
          },
        });
        // 600 first messages from 600 new customers (the warm-up of a young shop): without
        // statistics, the plan kept at 512 found customers on (shop_id, email) and scanned the
        // shop's conversations once per conversation, 258 ms a batch (measured).
        const batchOf = (b: number) =>
          Array.from({ length: 8 }, (_, k) => {
            const shopA = k !== 7;
            return input(shopA ? suite.shopA : suite.shopB, `+3365${String(b * 8 + k).padStart(7, "0")}`, `Bonjour ${b}-${k}`, { to: shopA ? SHOP_NUMBER.a : SHOP_NUMBER.b });
          });
        for (let b = 0; b < 75; b++) {
          await storeInboundMessages(db, batchOf(b), { plan });
          await Promise.all(analyses);
        }
        expect(analyses).toHaveLength(3); // at 128, 256 and 512 stored
        const name = plan.statementName("phone");
        expect(name).toBe("stats_store_phone_3");
        // The plan PostgreSQL keeps for the name (generic), on the next batch's values.
        const arrays = storeInboundParams(batchOf(75));
        const literal = (values: unknown[]) => `'${JSON.stringify(values).replace(/^\[/, "{").replace(/\]$/, "}").replace(/'/g, "''")}'`;
        await client.query("SET plan_cache_mode = force_generic_plan");
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) EXECUTE ${name}(${arrays.map(literal).join(", ")})`);
        const explained = rows.map((r) => r["QUERY PLAN"]).join("\n");
        expect(explained).toContain("Index Scan using customers_shop_phone on customers");
        expect(explained).not.toContain("customers_shop_email");
        expect(explained).toContain("Index Scan using conversations_pkey on conversations");
        expect(explained).toContain("using conversations_customer_channel on conversations");
        expect(explained).not.toContain("conversations_shop_last");
        for (const [shopId, count] of [[suite.shopA, 525], [suite.shopB, 75]] as const) {
          const theirCustomers = await suite.db.select({ id: customers.id }).from(customers).where(and(eq(customers.shopId, shopId), like(customers.phone, "+3365%")));
          expect(theirCustomers).toHaveLength(count);
        }
      });
    });
  });
});
