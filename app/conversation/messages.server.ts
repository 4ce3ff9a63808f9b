/**
 * Conversations and messages in our database. Every function takes the shop id and filters on it:
 * one shop can never read or write another shop's customers or messages.
 */
import { and, desc, eq, getTableColumns, inArray, ne, sql, type Table } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { channelAccounts, consents, conversations, customers, messages, shops } from "../../db/schema";
import type { Database } from "~/db.server";
import type { MessageStatus } from "../../db/schema/conversations";
import type { ChannelKind, DeliveryStatusUpdate, InboundMessage } from "~/plugins/types";
import type { MessageRecord } from "./record";
import type { Clock } from "~/lib/clock";
import { createTtlCache } from "~/lib/ttl-cache";

export type MessageRow = typeof messages.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, "shopId">;

/** The shop that owns a receiving number/address on a provider, or null. */
export async function findChannelAccount(db: Database, provider: string, address: string) {
  const [row] = await db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.provider, provider), eq(channelAccounts.address, address)))
    .limit(1);
  return row ?? null;
}

/**
 * The customer behind this phone or email, created on first contact: one statement (an upsert
 * that changes nothing on an existing row), safe when two first messages race.
 */
export type ChannelAccountRow = typeof channelAccounts.$inferSelect;

/**
 * `findChannelAccount` remembered for `ttlMs` per provider and address (found or not): every
 * webhook needs it and numbers change owner rarely; a number connected or moved is seen within
 * `ttlMs`, at once after `clear()` (the settings page calls it when it connects or disconnects
 * one). Concurrent misses share one query (app/lib/ttl-cache.ts).
 */
export function createChannelAccountCache(deps: { db: Database; clock: Clock; ttlMs: number; maxEntries?: number }) {
  const cache = createTtlCache<ChannelAccountRow | null>({ clock: deps.clock, ttlMs: deps.ttlMs, maxEntries: deps.maxEntries });
  const lookup = (provider: string, address: string): Promise<ChannelAccountRow | null> =>
    cache.get(`${provider}\u0000${address}`, () => findChannelAccount(deps.db, provider, address));
  return Object.assign(lookup, { clear: () => cache.clear() });
}

async function findOrCreateCustomer(db: Database, shopId: string, channel: ChannelKind, address: string, now: Date) {
  const byPhone = channel !== "email";
  const [row] = await db
    .insert(customers)
    .values({ shopId, phone: byPhone ? address : null, email: byPhone ? null : address, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: byPhone ? [customers.shopId, customers.phone] : [customers.shopId, customers.email],
      // A no-op write, so that RETURNING gives the existing row.
      set: byPhone ? { phone: sql`excluded.phone` } : { email: sql`excluded.email` },
    })
    // xmax is 0 on a row this statement inserted (PostgreSQL's MVCC; PGlite is PostgreSQL).
    .returning({ ...getTableColumns(customers), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("customer upsert returned nothing");
  const { created, ...customer } = row;
  return { customer, created };
}

/**
 * The customer's latest conversation on this channel, touched, unless it is closed; otherwise a
 * new one. Two statements at most; one open conversation per customer and channel is kept by a
 * partial unique index, so a racing first message reads the winner's. `customerWrote`: the touch is
 * her message (the inbox's unread state), not one of ours.
 */
export async function openConversation(db: Database, shopId: string, customerId: string, channel: ChannelKind, now: Date, customerWrote = false): Promise<ConversationRow> {
  const lastInboundAt = customerWrote ? { lastInboundAt: now } : {};
  const latest = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), eq(conversations.channel, channel)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  const [open] = await db
    .update(conversations)
    .set({ lastMessageAt: now, ...lastInboundAt })
    .where(and(eq(conversations.shopId, shopId), inArray(conversations.id, latest), ne(conversations.status, "closed")))
    .returning();
  if (open) return open;
  const [created] = await db
    .insert(conversations)
    .values({ shopId, customerId, channel, status: "open", lastMessageAt: now, ...lastInboundAt, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [winner] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), eq(conversations.customerId, customerId), eq(conversations.channel, channel), ne(conversations.status, "closed")))
    .limit(1);
  if (!winner) throw new Error("conversation vanished after a unique conflict");
  return winner;
}

export interface InboundToStore {
  shopId: string;
  provider: string;
  inbound: InboundMessage;
  now: Date;
}

/**
 * Store inbound messages (from any shops), one result per input in order: the batch in one
 * statement per kind of address (phone, email), hence one round trip and one commit, and the
 * inputs it leaves to the careful path, one by one.
 */
export async function storeInboundMessages(db: Database, inputs: InboundToStore[], options: { plan?: StorePlanCache } = {}): Promise<StoreInboundResult[]> {
  const results: Array<StoreInboundResult | undefined> = new Array(inputs.length);
  for (const byEmail of [false, true]) {
    const indexes = inputs.flatMap((input, i) => ((input.inbound.channel === "email") === byEmail ? [i] : []));
    if (indexes.length === 0) continue;
    const stored = await storeInboundInOneStatement(db, byEmail, indexes.map((i) => inputs[i] as InboundToStore), options.plan);
    for (const i of indexes) {
      const input = inputs[i] as InboundToStore;
      const key = `${input.provider}\u0000${input.inbound.providerMessageId}`;
      const hit = stored.get(key);
      // Once: the same message twice in a batch is stored for the first, a duplicate for the second.
      stored.delete(key);
      if (hit) results[i] = { outcome: "stored", ...hit };
    }
  }
  for (const [i, input] of inputs.entries()) results[i] ??= await storeInboundCarefully(db, input);
  return results as StoreInboundResult[];
}

/**
 * The hot path of every webhook (npm run bench): for each input, find or create the customer,
 * touch her open conversation on that channel or open one, insert the message, all in one
 * statement. Data-modifying CTEs all see the statement's snapshot
 * (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING), so each step
 * reads the one before through RETURNING. An input it does not store is left out of the answer
 * (keyed by provider and provider message id) rather than guessed at: a duplicate, or a first
 * message that raced another for the customer's or the conversation's unique index (ON CONFLICT
 * DO NOTHING returns no row). Unlike the careful path's upsert, an existing customer is only read.
 */
async function storeInboundInOneStatement(db: Database, byEmail: boolean, inputs: InboundToStore[], plan: StorePlanCache | undefined) {
  // Without a plan cache the statement is unnamed, so planned for each batch.
  const query = db._.session.prepareQuery(
    { sql: byEmail ? STORE_INBOUND_SQL.email : STORE_INBOUND_SQL.phone, params: storeInboundParams(inputs) },
    undefined,
    plan?.statementName(byEmail ? "email" : "phone"),
    false,
  );
  const rows = rowsOf(await query.execute());
  plan?.stored(inputs.length);
  const stored = new Map<string, { message: MessageRow; customerCreated: boolean }>();
  for (const raw of rows) {
    const message = rowFromDriver(messages, raw);
    stored.set(`${message.provider}\u0000${message.providerMessageId}`, { message, customerCreated: raw.customer_created === true });
  }
  return stored;
}

/** The store statement's parameters for these messages, in the order `storeInboundSql` names them. */
export function storeInboundParams(inputs: InboundToStore[]): unknown[][] {
  const column = <T>(pick: (input: InboundToStore) => T) => inputs.map(pick);
  return [
    column((i) => i.shopId),
    column((i) => i.inbound.from),
    column((i) => i.now.toISOString()),
    column((i) => i.inbound.channel),
    column((i) => i.provider),
    column((i) => i.inbound.providerMessageId),
    column((i) => i.inbound.to),
    column((i) => i.inbound.body),
    column((i) => i.inbound.subject ?? null),
    column((i) => i.inbound.emailMessageId ?? null),
  ];
}

/** Names under which PostgreSQL keeps the plan of the store statement (`createStorePlanCache`). */
export interface StorePlanCache {
  statementName(address: "phone" | "email"): string;
  /** Told how many messages a statement run was given. */
  stored(count: number): void;
}

/**
 * Lets PostgreSQL keep the store statement's plan, and choose it again as the tables grow.
 * Planning the statement costs about as much as running it for a batch of eight (1.5 ms against
 * 1.3 ms on 20,000 messages: measured), so a busy intake runs it as a named statement, whose plan
 * each connection keeps. But a plan kept from nearly empty tables reads them in full once they are
 * not (measured: 11–17 ms a batch instead of 1.3 ms, after growing from 64 messages to 20,000), and
 * PostgreSQL only plans it again after an ANALYZE, which autovacuum runs at most once a minute, or
 * never where it is turned off. So the name changes each time the number of messages stored
 * through it doubles, from 64 on: a new name is planned anew on the tables as they are. That is
 * fifteen names for a million messages, each kept by a connection until the pool closes it (idle
 * for ten seconds, node-postgres's default).
 *
 * Planned anew, but from statistics: without any (young tables that no ANALYZE has seen yet) every
 * index looks alike, and a plan made on 512 messages from new customers found each customer on
 * the (shop_id, email) index and scanned the shop's conversations once per conversation: 258 ms a
 * batch of eight at 700 customers, against 1.2 ms with statistics (EXPLAIN ANALYZE, measured); the
 * first 2,000 messages of a new shop took 88 ms a batch instead of 2.6. So with `analyze`,
 * reaching a new name up to `analyzeUntil` messages first runs it (analyzeStoreTables: 3–4 ms on
 * young tables) and the name changes once it is done; the statement keeps its current name
 * meanwhile. Past that, the tables have statistics, which PostgreSQL scales to their current size
 * when it plans (it reads their number of pages then), and autovacuum refreshes them where it runs.
 * An ANALYZE also makes PostgreSQL plan again the statements it has kept for those tables, on
 * every connection (https://www.postgresql.org/docs/current/sql-prepare.html). One that fails is
 * told to `onAnalyzeError` and the name changes all the same.
 */
export function createStorePlanCache(
  options: { prefix?: string; analyze?: () => Promise<void>; analyzeUntil?: number; onAnalyzeError?: (error: unknown) => void } = {},
): StorePlanCache {
  const prefix = options.prefix ?? "store_inbound";
  const analyzeUntil = options.analyzeUntil ?? 4096;
  const generationOf = (count: number) => Math.max(0, Math.floor(Math.log2(count / 64)));
  let stored = 0;
  let generation = 0;
  let analyzing = false;
  return {
    statementName: (address) => `${prefix}_${address}_${generation}`,
    stored: (count) => {
      stored += count;
      if (analyzing || generationOf(stored) === generation) return;
      if (!options.analyze || stored > analyzeUntil) {
        generation = generationOf(stored);
        return;
      }
      analyzing = true;
      const done = () => {
        analyzing = false;
        generation = generationOf(stored);
      };
      options.analyze().then(done, (error: unknown) => {
        options.onAnalyzeError?.(error);
        done();
      });
    },
  };
}

/**
 * Fresh planner statistics for the tables the store statement looks rows up in (createStorePlanCache).
 * Not `messages`, the largest: the statement only inserts into it, through its unique indexes.
 */
export async function analyzeStoreTables(db: Database): Promise<void> {
  await db.execute(sql`ANALYZE customers, conversations`);
}

/**
 * Parameters are parallel arrays, one element per message: $1 shop, $2 the customer's address
 * (phone or email), $3 received at, $4 channel, $5 provider, $6 provider message id, $7 our
 * receiving address, $8 body, $9 subject, $10 email Message-ID. The customer and each thread's
 * latest conversation are looked up by correlated subqueries, so that the unique index on
 * (shop_id, phone|email) and the index on (shop_id, customer_id, channel, last_message_at) serve
 * them whatever the plan cached for the statement (a join could be planned as a scan of the
 * shop's customers). Two messages of one customer in a batch share her customer row and
 * conversation.
 */
const storeInboundSql = (addressColumn: "phone" | "email") => `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
      AS i(shop_id, address, at, channel, provider, provider_message_id, to_address, body, subject, email_message_id)
  ), addresses AS (
    SELECT shop_id, address, min(at) AS at,
      (SELECT c.id FROM customers c WHERE c.shop_id = i.shop_id AND c.${addressColumn} = i.address) AS id
    FROM input i GROUP BY shop_id, address
  ), inserted AS (
    INSERT INTO customers (shop_id, ${addressColumn}, created_at, updated_at)
    SELECT shop_id, address, at, at FROM addresses WHERE id IS NULL
    ON CONFLICT DO NOTHING
    RETURNING id, shop_id, ${addressColumn} AS address
  ), customer AS (
    SELECT id, shop_id, address, false AS created FROM addresses WHERE id IS NOT NULL
    UNION ALL SELECT id, shop_id, address, true FROM inserted
  ), threads AS (
    SELECT i.shop_id, c.id AS customer_id, i.channel, max(i.at) AS at
    FROM input i JOIN customer c ON c.shop_id = i.shop_id AND c.address = i.address
    GROUP BY i.shop_id, c.id, i.channel
  ), latest AS (
    SELECT t.*, (
      SELECT cv.id FROM conversations cv
      WHERE cv.shop_id = t.shop_id AND cv.customer_id = t.customer_id AND cv.channel = t.channel
      ORDER BY cv.last_message_at DESC LIMIT 1
    ) AS id FROM threads t
  ), touched AS (
    UPDATE conversations cv SET last_message_at = l.at, last_inbound_at = l.at
    FROM latest l WHERE cv.id = l.id AND cv.shop_id = l.shop_id AND cv.status <> 'closed'
    RETURNING cv.id, cv.shop_id, cv.customer_id, cv.channel
  ), opened AS (
    INSERT INTO conversations (shop_id, customer_id, channel, status, last_message_at, last_inbound_at, created_at)
    SELECT t.shop_id, t.customer_id, t.channel, 'open', t.at, t.at, t.at FROM threads t
    WHERE NOT EXISTS (SELECT 1 FROM touched x WHERE x.shop_id = t.shop_id AND x.customer_id = t.customer_id AND x.channel = t.channel)
    ON CONFLICT DO NOTHING
    RETURNING id, shop_id, customer_id, channel
  ), conversation AS (
    SELECT * FROM touched UNION ALL SELECT * FROM opened
  ), message AS (
    INSERT INTO messages (shop_id, conversation_id, customer_id, direction, author, channel, provider, provider_message_id,
      from_address, to_address, body, subject, email_message_id, status, created_at)
    SELECT i.shop_id, cv.id, c.id, 'inbound', 'customer', i.channel, i.provider, i.provider_message_id,
      i.address, i.to_address, i.body, i.subject, i.email_message_id, 'received', i.at
    FROM input i
    JOIN customer c ON c.shop_id = i.shop_id AND c.address = i.address
    JOIN conversation cv ON cv.shop_id = i.shop_id AND cv.customer_id = c.id AND cv.channel = i.channel
    ON CONFLICT DO NOTHING
    RETURNING *
  )
  SELECT message.*, c.created AS customer_created FROM message JOIN customer c ON c.id = message.customer_id`;
const STORE_INBOUND_SQL = { phone: storeInboundSql("phone"), email: storeInboundSql("email") };

/**
 * Customer messages stored but still waiting to be answered ("received"), stored after `after`
 * (a time, and the id that breaks ties) and before `storedBefore`, oldest first, across shops: the
 * ones whose reply job Redis did not take (jobs/conversation-reply.server.ts queues them again).
 * Read shop by shop on the (shop_id, created_at) index of inbound messages, with no index of its
 * own for the webhook's insert to maintain.
 */
export async function findWaitingInboundMessages(
  db: Database,
  window: { after: { storedAt: Date; id: string }; storedBefore: Date; limit: number },
): Promise<Array<{ id: string; shopId: string; storedAt: Date }>> {
  const after = window.after.storedAt.toISOString();
  const result = await db.execute(sql`
    SELECT m.id, m.shop_id, m.created_at FROM ${shops} s CROSS JOIN LATERAL (
      SELECT id, shop_id, created_at FROM ${messages}
      WHERE shop_id = s.id AND direction = 'inbound' AND status = 'received'
        AND created_at >= ${after}::timestamptz AND (created_at, id) > (${after}::timestamptz, ${window.after.id}::uuid)
        AND created_at < ${window.storedBefore.toISOString()}::timestamptz
      ORDER BY created_at, id LIMIT ${window.limit}
    ) m
    ORDER BY m.created_at, m.id LIMIT ${window.limit}`);
  return rowsOf(result).map((row) => ({ id: String(row.id), shopId: String(row.shop_id), storedAt: new Date(row.created_at as string | Date) }));
}

/** A raw row (database column names, driver values) as Drizzle would have returned it from `table`. */
function rowFromDriver<T extends Table>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}

export type StoreInboundResult =
  | { outcome: "stored"; message: MessageRow; customerCreated: boolean }
  | { outcome: "duplicate"; message: MessageRow };

/**
 * Store one inbound message (creating the customer on first contact and the conversation), or
 * recognise a provider retry by its provider message id.
 */
export async function storeInboundMessage(db: Database, input: InboundToStore): Promise<StoreInboundResult> {
  const [result] = await storeInboundMessages(db, [input]);
  if (!result) throw new Error("storeInboundMessages answered nothing");
  return result;
}

/**
 * A provider retry, or a first message racing another from the same customer. No transaction:
 * each step is one idempotent statement, so a retry after a crash between them finds the customer
 * and conversation and inserts the message.
 */
async function storeInboundCarefully(db: Database, input: InboundToStore): Promise<StoreInboundResult> {
  const { shopId, provider, inbound, now } = input;
  const { customer, created } = await findOrCreateCustomer(db, shopId, inbound.channel, inbound.from, now);
  const conversation = await openConversation(db, shopId, customer.id, inbound.channel, now, true);
  const [message] = await db
    .insert(messages)
    .values({
      shopId,
      conversationId: conversation.id,
      customerId: customer.id,
      direction: "inbound",
      author: "customer",
      channel: inbound.channel,
      provider,
      providerMessageId: inbound.providerMessageId,
      fromAddress: inbound.from,
      toAddress: inbound.to,
      body: inbound.body,
      subject: inbound.subject ?? null,
      emailMessageId: inbound.emailMessageId ?? null,
      status: "received",
      createdAt: now,
    })
    .onConflictDoNothing({ target: [messages.provider, messages.providerMessageId] })
    .returning();
  if (message) return { outcome: "stored", message, customerCreated: created };
  // The provider delivered this message before (a retry, or a concurrent duplicate).
  const [first] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, inbound.providerMessageId)))
    .limit(1);
  if (!first) throw new Error("message vanished after a unique conflict");
  return { outcome: "duplicate", message: first };
}

export async function getMessage(db: Database, shopId: string, messageId: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.id, messageId)))
    .limit(1);
  return row ?? null;
}

/**
 * What the engine starts from, in one round trip (it runs for every message): the inbound message,
 * the reply already written to it (a retried job), its shop, conversation and customer, and the
 * sender's consent on this channel and number (null: never said). Null when the message is not
 * this shop's; the others are null when missing.
 */
export async function loadInboundContext(db: Database, shopId: string, messageId: string) {
  let statement = loadInboundStatements.get(db);
  if (!statement) {
    statement = prepareLoadInbound(db);
    loadInboundStatements.set(db, statement);
  }
  const [row] = await statement.execute({ messageId });
  if (!row || row.message.shopId !== shopId) return null;
  const ours = <T extends { shopId: string } | null>(r: T) => (r && r.shopId === shopId ? r : null);
  return { ...row, reply: ours(row.reply), conversation: ours(row.conversation), customer: ours(row.customer) };
}

/**
 * A named prepared statement: PostgreSQL plans it once per connection and keeps the plan. Planned
 * at each call, this read cost 2.5–5 ms of the database's CPU per message (measured on the bench,
 * where it was most of what a reply cost the database) for 0.1 ms of execution.
 * A kept (generic) plan may have been made while the tables were empty, when every index looks
 * alike: the statement therefore names only unique keys (the message's id, the reply's
 * `in_reply_to`, the primary keys), so that no other index can be chosen, and the shop is checked
 * on the rows read (engine-storage.server.test.ts checks the plan made on empty tables).
 */
function prepareLoadInbound(db: Database) {
  const reply = alias(messages, "reply");
  return db
    .select({
      message: messages,
      reply,
      shop: shops,
      conversation: conversations,
      customer: customers,
      consentStatus: sql<typeof consents.$inferSelect.status | null>`(SELECT ${consents.status} FROM ${consents} WHERE ${consents.shopId} = ${messages.shopId} AND ${consents.channel} = ${messages.channel} AND ${consents.address} = ${messages.fromAddress} AND ${consents.sender} = ${messages.toAddress})`,
    })
    .from(messages)
    .leftJoin(reply, eq(reply.inReplyTo, messages.id))
    .leftJoin(shops, eq(shops.id, messages.shopId))
    .leftJoin(conversations, eq(conversations.id, messages.conversationId))
    .leftJoin(customers, eq(customers.id, messages.customerId))
    .where(eq(messages.id, sql.placeholder("messageId")))
    .prepare("load_inbound_context");
}
const loadInboundStatements = new WeakMap<Database, ReturnType<typeof prepareLoadInbound>>();

/** What the engine changes on a conversation after a message (the inbox's state, the next message's context). */
export type ConversationChanges = Partial<Pick<typeof conversations.$inferInsert, "aiRepliedAt" | "pending" | "focus" | "status" | "escalation">>;

/**
 * The engine's conclusion on an inbound message, written in one statement (it runs for every
 * message, and each statement is a commit): what it understood and did (`record`), the
 * conversation's new state, and the reply to hand over — at most one per inbound message, so a
 * reply already stored wins and null is returned (the caller reads it with `findReplyTo`).
 * Without a reply (nothing to say), the inbound message is marked processed.
 */
export async function storeEngineOutcome(
  db: Database,
  input: { shopId: string; inboundId: string; record: MessageRecord; conversationId: string; conversationChanges: ConversationChanges; reply: NewMessage | null },
): Promise<MessageRow | null> {
  const { shopId } = input;
  const steps = [
    sql`inbound AS (${db
      .update(messages)
      .set(input.reply ? { record: input.record } : { record: input.record, status: "processed" })
      .where(and(eq(messages.shopId, shopId), eq(messages.id, input.inboundId)))
      .getSQL()})`,
  ];
  if (Object.keys(input.conversationChanges).length > 0) {
    steps.push(
      sql`conversation AS (${db
        .update(conversations)
        .set(input.conversationChanges)
        .where(and(eq(conversations.shopId, shopId), eq(conversations.id, input.conversationId)))
        .getSQL()})`,
    );
  }
  // Every part of a WITH statement runs, whatever the final part reads (PostgreSQL, "Data-Modifying Statements in WITH").
  const last = input.reply ? db.insert(messages).values({ ...input.reply, shopId }).onConflictDoNothing().returning().getSQL() : sql`SELECT NULL`;
  const [row] = rowsOf(await db.execute(sql`WITH ${sql.join(steps, sql`, `)} ${last}`));
  return input.reply && row ? rowFromDriver(messages, row) : null;
}

/** How an outbound message's hand-over to its provider ended, as stored on it. */
export type HandOver =
  | { status: "sent"; providerMessageId: string; sentAt: Date }
  | { status: "outbox"; reason: string; sentAt: Date }
  | { status: "failed"; error: string };

/**
 * Records a hand-over on the outbound message; with `settles`, the inbound message it answers is
 * marked processed (with the reply's latency, when it left) in the same statement.
 */
export async function recordHandOver(db: Database, shopId: string, messageId: string, handOver: HandOver, settles?: { inboundId: string; receivedAt: Date }): Promise<void> {
  const outbound = db
    .update(messages)
    .set(
      handOver.status === "failed"
        ? { status: "failed", error: handOver.error }
        : {
            status: handOver.status,
            providerMessageId: handOver.status === "sent" ? handOver.providerMessageId : null,
            error: handOver.status === "outbox" ? handOver.reason : null,
            sentAt: handOver.sentAt,
          },
    )
    .where(and(eq(messages.shopId, shopId), eq(messages.id, messageId)));
  if (!settles) {
    await outbound;
    return;
  }
  const processed = db
    .update(messages)
    .set({ status: "processed", ...(handOver.status === "failed" ? {} : { latencyMs: Math.max(0, handOver.sentAt.getTime() - settles.receivedAt.getTime()) }) })
    .where(and(eq(messages.shopId, shopId), eq(messages.id, settles.inboundId)));
  await db.execute(sql`WITH outbound AS (${outbound.getSQL()}) ${processed.getSQL()}`);
}

/** The rows of a raw statement: both drivers (node-postgres, PGlite) answer { rows }; the driver-independent type does not say so. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return typeof result === "object" && result !== null && "rows" in result && Array.isArray(result.rows) ? (result.rows as Array<Record<string, unknown>>) : [];
}

export async function getCustomer(db: Database, shopId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shopId, shopId), eq(customers.id, customerId)))
    .limit(1);
  return row ?? null;
}

export async function listCustomers(db: Database, shopId: string) {
  return db.select().from(customers).where(eq(customers.shopId, shopId)).orderBy(desc(customers.createdAt));
}

/** The shop's latest messages, newest first, with the customer's address and name. */
export async function listRecentMessages(db: Database, shopId: string, limit = 20) {
  return db
    .select({
      id: messages.id,
      direction: messages.direction,
      author: messages.author,
      channel: messages.channel,
      body: messages.body,
      status: messages.status,
      createdAt: messages.createdAt,
      latencyMs: messages.latencyMs,
      customerPhone: customers.phone,
      customerEmail: customers.email,
      customerFirstName: customers.firstName,
      customerLastName: customers.lastName,
    })
    .from(messages)
    .innerJoin(customers, eq(customers.id, messages.customerId))
    .where(eq(messages.shopId, shopId))
    .orderBy(desc(messages.createdAt))
    .limit(limit);
}

/** The AI's reply to an inbound message, if one was already produced. */
export async function findReplyTo(db: Database, shopId: string, inboundId: string) {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.inReplyTo, inboundId)))
    .limit(1);
  return row ?? null;
}

/** How far along a message is; a report never moves it back, and "failed" is final. */
const PROGRESS: Record<string, number> = { pending: 0, outbox: 0, sent: 1, delivered: 2, read: 3 };

export type DeliveryStatusOutcome = "updated" | "stale" | "unknown";

/**
 * Apply one provider delivery report to the outbound message it concerns (matched on the
 * provider's message id). Reports arrive out of order and more than once: a "sent" after
 * "delivered" changes nothing, a repeat changes nothing, "failed" wins and keeps its error code.
 * With `shopId` (the shop whose own credentials verified the report), only that shop's messages
 * are touched: a merchant holding her own token cannot move another shop's messages. Without it
 * (a report verified with the deployment's credentials, from a number no shop owns any more) the
 * lookup is by provider id alone: it is unique to that provider, and the message carries its shop.
 */
export async function applyDeliveryStatus(
  db: Database,
  input: { provider: string; update: DeliveryStatusUpdate; now: Date; shopId?: string | null },
): Promise<DeliveryStatusOutcome> {
  const { provider, update, now } = input;
  const [message] = await db
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(
      and(
        eq(messages.provider, provider),
        eq(messages.providerMessageId, update.providerMessageId),
        eq(messages.direction, "outbound"),
        ...(input.shopId ? [eq(messages.shopId, input.shopId)] : []),
      ),
    )
    .limit(1);
  if (!message) return "unknown";
  if (message.status === "failed") return "stale";
  const next: MessageStatus = update.state === "queued" ? "sent" : update.state;
  if (next !== "failed" && (PROGRESS[next] ?? 0) <= (PROGRESS[message.status] ?? 0)) return "stale";
  await db
    .update(messages)
    .set({
      status: next,
      statusUpdatedAt: update.at ?? now,
      ...(next === "failed"
        ? { errorCode: update.errorCode, error: update.errorMessage ?? `${provider}: ${update.providerStatus}${update.errorCode ? ` (${update.errorCode})` : ""}` }
        : {}),
    })
    .where(eq(messages.id, message.id));
  return "updated";
}
