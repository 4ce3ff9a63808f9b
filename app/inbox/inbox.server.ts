/**
 * The merchant's inbox: conversations across channels, their threads, and what she does with them
 * (take over, hand back, reply, mark read). Every function takes the shop id and filters on it.
 *
 * Words used here:
 * - tabs: "needs_you" = the engine escalated (status needs_merchant); "ai_handled" = the AI has
 *   replied, nothing is waiting for her and she has not taken over; "all".
 * - unread: inbound messages newer than `conversations.merchant_read_at` (never opened: all of them).
 * - segments, from what we hold (Shopify stays the source of truth, DESIGN §6): "vip" = the
 *   Shopify profile the engine looked up in this conversation carries the VIP tag (the engine's own
 *   test); "new" = the customer's first conversation with the shop; "returning" = she wrote before,
 *   from this address or another of hers (linked to the same Shopify customer).
 */
import { and, desc, eq, getTableColumns, ilike, ne, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { conversations, customers, messages, shops, type ConversationStatus, type Escalation, type MessageStatus } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { deliverOutbound, type EngineDeps } from "~/conversation/engine.server";
import type { ChannelKind, WhatsappTemplateRef } from "~/plugins/types";
import { recordCards, recordSaysVip, type RecordCard } from "./cards";
import { inboxEventStream } from "./events.server";
import type { CustomerSegment, InboxQuery, InboxTab } from "./query";

export { CHANNELS, CONVERSATION_STATUSES, CUSTOMER_SEGMENTS, INBOX_TABS, type CustomerSegment, type InboxQuery, type InboxTab } from "./query";

export interface InboxCustomer {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface InboxListItem {
  id: string;
  channel: ChannelKind;
  status: ConversationStatus;
  aiPaused: boolean;
  urgent: boolean;
  vip: boolean;
  lastMessageAt: string;
  customer: InboxCustomer;
  lastMessage: { body: string; direction: "inbound" | "outbound"; author: "customer" | "ai" | "merchant" } | null;
  unread: number;
}

export interface InboxList {
  items: InboxListItem[];
  nextCursor: string | null;
}

/** Per tab: how many conversations, and how many of them have unread messages. */
export type InboxCounts = Record<InboxTab, { conversations: number; unread: number }>;

export interface ThreadMessage {
  id: string;
  direction: "inbound" | "outbound";
  author: "customer" | "ai" | "merchant";
  channel: ChannelKind;
  body: string;
  subject: string | null;
  status: MessageStatus;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  unread: boolean;
  /** What the AI understood, checked, decided and did about this message. */
  cards: RecordCard[];
}

export interface Thread {
  conversation: {
    id: string;
    channel: ChannelKind;
    status: ConversationStatus;
    aiPaused: boolean;
    escalation: Escalation | null;
    lastMessageAt: string;
    merchantReadAt: string | null;
  };
  customer: InboxCustomer;
  vip: boolean;
  messages: ThreadMessage[];
  /** WhatsApp only: a free-form reply is accepted within 24 h of her last message, templates after. */
  whatsappWindow: { open: boolean; closesAt: string | null } | null;
}

/** A merchant message handed to its provider: sent, kept in the outbox, or refused (with why). */
export type MerchantSendOutcome = { ok: true; messageId: string; status: "sent" | "outbox" | "failed"; error: string | null };

export type MerchantReplyResult =
  | MerchantSendOutcome
  /** window_closed: WhatsApp refuses free text 24 h after her last message; refused before the provider is called. */
  | { ok: false; reason: "not_found" | "empty" | "no_address" | "window_closed" };

const THREAD_LIMIT = 200;
const WHATSAPP_WINDOW_MS = 24 * 3600_000;
// The engine's VIP test (engine.server.ts) on the profile it recorded: tag "vip", any case.
const VIP_JSONPATH = '$.lookups[*] ? (@.tool starts with "customers.find").output.tags[*] ? (@ like_regex "^vip$" flag "i")';

const c = conversations;

const unreadCount = sql<number>`(select count(*)::int from ${messages} m where m.conversation_id = ${c.id} and m.direction = 'inbound' and m.created_at > coalesce(${c.merchantReadAt}, '-infinity'::timestamptz))`;
// From the conversation's row alone (kept by storeInboundMessage and the engine): the counts scan
// the shop's conversations once, with no look into each one's messages.
const hasUnread = sql`coalesce(${c.lastInboundAt} > coalesce(${c.merchantReadAt}, '-infinity'::timestamptz), false)`;
const hasAiReply = sql`${c.aiRepliedAt} is not null`;
/** The conversation's Shopify profile, as the engine looked it up, carries the VIP tag. */
const recordSaysVipSql = sql`m.record is not null and jsonb_path_exists(m.record, ${VIP_JSONPATH}::jsonpath)`;
export const isVip = sql<boolean>`exists (select 1 from ${messages} m where m.conversation_id = ${c.id} and ${recordSaysVipSql})`;
/** The shop's conversations that `isVip` holds for, found in one pass (for counting a whole shop). */
export const vipConversationIds = (shopId: string) => sql`(select m.conversation_id from ${messages} m where m.shop_id = ${shopId} and ${recordSaysVipSql})`;
/**
 * Every messaging identity of the conversation's customer, as a table `(id)` for a FROM clause: hers,
 * and those linked to the same Shopify customer (Julie's phone and her email are one person). A
 * union of index lookups (primary key, customers_shop_shopify), joined to what it filters. Written
 * as `customer_id in (… id = … or shopify_customer_id = …)`, it made PostgreSQL scan the shop's
 * customers for every conversation (the customers list's 10,000-conversation test: minutes).
 */
export const herIdentities = sql`(select ${c.customerId} as id union all select p.id from ${customers} s join ${customers} p on p.shop_id = s.shop_id and p.shopify_customer_id = s.shopify_customer_id and p.id <> s.id where s.id = ${c.customerId})`;
const wroteBefore = sql`exists (select 1 from ${herIdentities} h join ${conversations} o on o.customer_id = h.id where o.shop_id = ${c.shopId} and o.created_at < ${c.createdAt})`;
const lastMessage = sql<InboxListItem["lastMessage"]>`(select json_build_object('body', left(m.body, 200), 'direction', m.direction, 'author', m.author) from ${messages} m where m.conversation_id = ${c.id} order by m.created_at desc, m.id desc limit 1)`;

function tabCondition(tab: InboxTab): SQL | undefined {
  if (tab === "needs_you") return eq(c.status, "needs_merchant");
  if (tab === "ai_handled") return and(ne(c.status, "needs_merchant"), eq(c.aiPaused, false), hasAiReply);
  return undefined;
}

/** The segments above, for the conversation that `conversations` stands for in the query. */
export function segmentCondition(segment: CustomerSegment): SQL {
  if (segment === "vip") return isVip;
  return segment === "new" ? sql`not ${wroteBefore}` : wroteBefore;
}

/** `%text%` for ILIKE with the user's own % and _ taken literally (backslash is LIKE's default escape). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The customer's name, email or phone contains `text` (`row`: the `customers` row joined in the query, or an alias of the table). */
export function customerMatches(text: string, row: Record<"firstName" | "lastName" | "email" | "phone", AnyPgColumn> = customers): SQL[] {
  const pattern = containsPattern(text);
  const conditions: SQL[] = [
    sql`concat_ws(' ', ${row.firstName}, ${row.lastName}) ilike ${pattern}`,
    ilike(row.email, pattern),
    ilike(row.phone, pattern),
  ];
  // A phone typed the French way ("06 45 78 90 12") matches the stored E.164 "+33645789012".
  if (/^[\d\s+().-]+$/.test(text)) {
    const digits = text.replace(/\D/g, "").replace(/^0+/, "");
    if (digits.length >= 4) conditions.push(sql`regexp_replace(coalesce(${row.phone}, ''), '\\D', '', 'g') like ${`%${digits}%`}`);
  }
  return conditions;
}

function searchCondition(search: string): SQL | undefined {
  const text = search.trim();
  if (text === "") return undefined;
  const pattern = containsPattern(text);
  return or(...customerMatches(text), sql`exists (select 1 from ${messages} m where m.conversation_id = ${c.id} and m.body ilike ${pattern})`);
}

function encodeCursor(at: Date, id: string): string {
  return `${at.toISOString()}_${id}`;
}

function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = cursor.split("_");
  const at = new Date(iso ?? "");
  return id && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

/** A list's page size: 50 unless asked, between 1 and 200. */
export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? 50, 1), 200);
}

/** Conversations after the previous page's cursor, in the lists' order (`recentFirst`). */
export function afterCursor(after: string | null | undefined): SQL | undefined {
  const cursor = after ? decodeCursor(after) : null;
  return cursor ? sql`(${c.lastMessageAt}, ${c.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined;
}

export const recentFirst = [desc(c.lastMessageAt), desc(c.id)] as const;

/** One page out of `limit + 1` rows read in `recentFirst` order, and the cursor to the next one. */
export function pageOf<R extends { id: string; lastMessageAt: Date }>(rows: R[], limit: number): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last.lastMessageAt, last.id) : null };
}

export function customerOf(row: { id: string; firstName: string | null; lastName: string | null; phone: string | null; email: string | null }): InboxCustomer {
  return { id: row.id, name: [row.firstName, row.lastName].filter(Boolean).join(" ") || null, phone: row.phone, email: row.email };
}

export async function findShop(db: Database, domain: string) {
  const [row] = await db.select({ id: shops.id, name: shops.name, timezone: shops.timezone }).from(shops).where(eq(shops.domain, domain)).limit(1);
  return row ?? null;
}

/** One page of conversations, most recent first. */
export async function listConversations(db: Database, shopId: string, query: InboxQuery): Promise<InboxList> {
  const limit = pageLimit(query.limit);
  const where = and(
    eq(c.shopId, shopId),
    tabCondition(query.tab),
    query.channel ? eq(c.channel, query.channel) : undefined,
    query.status ? eq(c.status, query.status) : undefined,
    query.segment ? segmentCondition(query.segment) : undefined,
    query.search ? searchCondition(query.search) : undefined,
    afterCursor(query.after),
  );
  const rows = await db
    .select({
      id: c.id,
      channel: c.channel,
      status: c.status,
      aiPaused: c.aiPaused,
      escalation: c.escalation,
      lastMessageAt: c.lastMessageAt,
      customer: { id: customers.id, firstName: customers.firstName, lastName: customers.lastName, phone: customers.phone, email: customers.email },
      unread: unreadCount,
      vip: isVip,
      lastMessage,
    })
    .from(c)
    .innerJoin(customers, and(eq(customers.id, c.customerId), eq(customers.shopId, shopId)))
    .where(where)
    .orderBy(...recentFirst)
    .limit(limit + 1);
  const { page, nextCursor } = pageOf(rows, limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      channel: r.channel,
      status: r.status,
      aiPaused: r.aiPaused,
      urgent: r.status === "needs_merchant" && (r.escalation?.urgent ?? false),
      vip: r.vip,
      lastMessageAt: r.lastMessageAt.toISOString(),
      customer: customerOf(r.customer),
      lastMessage: r.lastMessage,
      unread: r.unread,
    })),
    nextCursor,
  };
}

/** The tabs' badges: conversations per tab and those with unread messages (filters not applied). */
export async function countConversations(db: Database, shopId: string): Promise<InboxCounts> {
  const needsYou = tabCondition("needs_you") ?? sql`true`;
  const aiHandled = tabCondition("ai_handled") ?? sql`true`;
  const [row] = await db
    .select({
      needsYou: sql<number>`(count(*) filter (where ${needsYou}))::int`,
      needsYouUnread: sql<number>`(count(*) filter (where ${needsYou} and ${hasUnread}))::int`,
      aiHandled: sql<number>`(count(*) filter (where ${aiHandled}))::int`,
      aiHandledUnread: sql<number>`(count(*) filter (where ${aiHandled} and ${hasUnread}))::int`,
      all: sql<number>`count(*)::int`,
      allUnread: sql<number>`(count(*) filter (where ${hasUnread}))::int`,
    })
    .from(c)
    .where(eq(c.shopId, shopId));
  return {
    needs_you: { conversations: row?.needsYou ?? 0, unread: row?.needsYouUnread ?? 0 },
    ai_handled: { conversations: row?.aiHandled ?? 0, unread: row?.aiHandledUnread ?? 0 },
    all: { conversations: row?.all ?? 0, unread: row?.allUnread ?? 0 },
  };
}

/** A stored message as the merchant reads it; unread when inbound and newer than her last read. */
export function threadMessageOf(m: typeof messages.$inferSelect, merchantReadAt: Date | null): ThreadMessage {
  return {
    id: m.id,
    direction: m.direction,
    author: m.author,
    channel: m.channel,
    body: m.body,
    subject: m.subject,
    status: m.status,
    errorCode: m.errorCode,
    error: m.error,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    unread: m.direction === "inbound" && m.createdAt.getTime() > (merchantReadAt?.getTime() ?? -Infinity),
    cards: recordCards(m.record),
  };
}

/** A conversation with its latest messages (oldest first), or null when it is not this shop's. */
export async function getThread(deps: { db: Database; clock: Clock }, shopId: string, conversationId: string): Promise<Thread | null> {
  const { db } = deps;
  if (!/^[0-9a-f-]{36}$/i.test(conversationId)) return null;
  const [row] = await db
    .select({ conversation: getTableColumns(c), customer: getTableColumns(customers) })
    .from(c)
    .innerJoin(customers, and(eq(customers.id, c.customerId), eq(customers.shopId, shopId)))
    .where(and(eq(c.shopId, shopId), eq(c.id, conversationId)))
    .limit(1);
  if (!row) return null;
  const rows = (
    await db
      .select()
      .from(messages)
      .where(and(eq(messages.shopId, shopId), eq(messages.conversationId, conversationId)))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(THREAD_LIMIT)
  ).reverse();
  const { conversation, customer } = row;
  const lastInbound = rows.filter((m) => m.direction === "inbound").at(-1);
  return {
    conversation: {
      id: conversation.id,
      channel: conversation.channel,
      status: conversation.status,
      aiPaused: conversation.aiPaused,
      escalation: conversation.escalation ?? null,
      lastMessageAt: conversation.lastMessageAt.toISOString(),
      merchantReadAt: conversation.merchantReadAt?.toISOString() ?? null,
    },
    customer: customerOf(customer),
    vip: rows.some((m) => recordSaysVip(m.record)),
    messages: rows.map((m) => threadMessageOf(m, conversation.merchantReadAt)),
    whatsappWindow: conversation.channel === "whatsapp" ? whatsappWindow(lastInbound?.createdAt ?? null, deps.clock.now()) : null,
  };
}

/** WhatsApp's customer-service window: open for 24 h after her last message; closed when she never wrote. */
export function whatsappWindow(lastInboundAt: Date | null, now: Date): { open: boolean; closesAt: string | null } {
  const closesAt = lastInboundAt ? new Date(lastInboundAt.getTime() + WHATSAPP_WINDOW_MS) : null;
  return { open: closesAt !== null && closesAt > now, closesAt: closesAt?.toISOString() ?? null };
}

/**
 * Read up to `upTo` (default: the newest message stored now); never moves back. Up to a message's
 * own time rather than the clock's: a message another process stored meanwhile stays unread.
 */
export async function markRead(db: Database, shopId: string, conversationId: string, upTo?: Date): Promise<boolean> {
  const until = upTo
    ? sql`${upTo.toISOString()}::timestamptz`
    : sql`(select max(m.created_at) from ${messages} m where m.conversation_id = ${c.id})`;
  const updated = await db
    .update(c)
    .set({ merchantReadAt: sql`greatest(${c.merchantReadAt}, ${until})` })
    .where(and(eq(c.shopId, shopId), eq(c.id, conversationId)))
    .returning({ id: c.id });
  return updated.length > 0;
}

/** The merchant answers herself: the AI stays silent in this conversation until she hands it back. */
export async function takeOver(db: Database, shopId: string, conversationId: string): Promise<boolean> {
  const updated = await db
    .update(c)
    .set({ aiPaused: true })
    .where(and(eq(c.shopId, shopId), eq(c.id, conversationId)))
    .returning({ id: c.id });
  return updated.length > 0;
}

/** The AI answers again; an escalated conversation is open again (a closed one stays closed). */
export async function handBack(db: Database, shopId: string, conversationId: string): Promise<boolean> {
  const updated = await db
    .update(c)
    .set({ aiPaused: false, status: sql`case when ${c.status} = 'needs_merchant' then 'open' else ${c.status} end` })
    .where(and(eq(c.shopId, shopId), eq(c.id, conversationId)))
    .returning({ id: c.id });
  return updated.length > 0;
}

/** A conversation of the shop with what a merchant message needs: its latest messages and where replies go. */
export interface ReplyContext {
  conversation: typeof conversations.$inferSelect;
  /** The customer's latest message (replies answer it), or null. */
  inbound: typeof messages.$inferSelect | null;
  outbound: typeof messages.$inferSelect | null;
  /** From the shop address the customer last wrote to, to hers; null when there is none. */
  route: { provider: string; from: string; to: string } | null;
}

export async function replyContext(db: Database, shopId: string, conversationId: string): Promise<ReplyContext | null> {
  if (!/^[0-9a-f-]{36}$/i.test(conversationId)) return null;
  const [conversation] = await db
    .select()
    .from(c)
    .where(and(eq(c.shopId, shopId), eq(c.id, conversationId)))
    .limit(1);
  if (!conversation) return null;
  const latest = await db
    .select()
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.conversationId, conversation.id)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(50);
  const inbound = latest.find((m) => m.direction === "inbound") ?? null;
  const outbound = latest.find((m) => m.direction === "outbound") ?? null;
  const route = inbound
    ? { provider: inbound.provider, from: inbound.toAddress, to: inbound.fromAddress }
    : outbound
      ? { provider: outbound.provider, from: outbound.fromAddress, to: outbound.toAddress }
      : null;
  return { conversation, inbound, outbound, route };
}

/**
 * The merchant's reply: stored as an outbound message (author "merchant", status pending) on the
 * conversation's channel, from the shop address the customer last wrote to, then delivered like
 * the AI's replies (`deliverOutbound`). Answering resolves an escalation (needs_merchant → open).
 * A retryable provider error is not retried by a job here: the message is marked failed with the
 * error, and she sees it and can send again. Free text on a WhatsApp conversation whose window has
 * closed is refused before anything is stored or sent: only an approved template can go there.
 */
export async function sendMerchantReply(
  deps: Pick<EngineDeps, "db" | "clock" | "deliver" | "logger">,
  input: { shopId: string; conversationId: string; body: string },
): Promise<MerchantReplyResult> {
  const body = input.body.trim();
  if (body === "") return { ok: false, reason: "empty" };
  const context = await replyContext(deps.db, input.shopId, input.conversationId);
  if (!context) return { ok: false, reason: "not_found" };
  if (!context.route) return { ok: false, reason: "no_address" };
  if (context.conversation.channel === "whatsapp" && !whatsappWindow(context.inbound?.createdAt ?? null, deps.clock.now()).open) {
    return { ok: false, reason: "window_closed" };
  }
  return sendMerchantMessage(deps, { ...context, route: context.route }, { body });
}

/**
 * Stores a merchant message on the conversation and hands it to the provider (see
 * `sendMerchantReply`); `template` carries it as an approved WhatsApp template, `body` being the
 * text the customer reads, kept in our history.
 */
export async function sendMerchantMessage(
  deps: Pick<EngineDeps, "db" | "clock" | "deliver" | "logger">,
  context: ReplyContext & { route: NonNullable<ReplyContext["route"]> },
  content: { body: string; template?: WhatsappTemplateRef },
): Promise<MerchantSendOutcome> {
  const { db, clock } = deps;
  const { conversation, inbound, outbound, route } = context;
  const now = clock.now();
  const subject = conversation.channel === "email" ? replySubject(inbound?.subject ?? outbound?.subject ?? null) : null;
  const [stored] = await db
    .insert(messages)
    .values({
      shopId: conversation.shopId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      direction: "outbound",
      author: "merchant",
      channel: conversation.channel,
      provider: route.provider,
      fromAddress: route.from,
      toAddress: route.to,
      body: content.body,
      subject,
      status: "pending",
      createdAt: now,
    })
    .returning();
  if (!stored) throw new Error("merchant reply not stored");
  await db
    .update(c)
    .set({
      lastMessageAt: now,
      merchantReadAt: sql`greatest(${c.merchantReadAt}, ${now.toISOString()}::timestamptz)`,
      status: sql`case when ${c.status} = 'needs_merchant' then 'open' else ${c.status} end`,
    })
    .where(and(eq(c.shopId, conversation.shopId), eq(c.id, conversation.id)));
  try {
    const delivered = await deliverOutbound(deps, stored, inbound, { template: content.template });
    return { ok: true, messageId: stored.id, status: delivered.status, error: delivered.status === "failed" ? delivered.error : null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn("merchant reply not delivered", { messageId: stored.id, error: message });
    await db.update(messages).set({ status: "failed", error: message }).where(eq(messages.id, stored.id));
    return { ok: true, messageId: stored.id, status: "failed", error: message };
  }
}

function replySubject(subject: string | null): string | null {
  if (!subject) return null;
  return /^re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

/**
 * What the live view watches: the newest messages and conversations of the shop with their state,
 * as signatures. Two index-backed queries of a few rows; a new message, a delivery report, an
 * escalation, a take-over or a read changes a signature. Comparing snapshots rather than asking
 * "newer than the last timestamp" needs no clock agreement between processes and misses no row
 * written late with an earlier time.
 */
export async function inboxSnapshot(db: Database, shopId: string, size = 25): Promise<Map<string, string>> {
  const [recentMessages, recentConversations] = await Promise.all([
    db
      .select({ id: messages.id, conversationId: messages.conversationId, status: messages.status })
      .from(messages)
      .where(eq(messages.shopId, shopId))
      .orderBy(desc(messages.createdAt))
      .limit(size),
    db
      .select({ id: c.id, status: c.status, aiPaused: c.aiPaused, lastMessageAt: c.lastMessageAt, readAt: c.merchantReadAt })
      .from(c)
      .where(eq(c.shopId, shopId))
      .orderBy(desc(c.lastMessageAt))
      .limit(size),
  ]);
  const snapshot = new Map<string, string>();
  for (const m of recentMessages) snapshot.set(`m:${m.id}`, `${m.conversationId} ${m.status}`);
  for (const v of recentConversations) {
    snapshot.set(`c:${v.id}`, `${v.id} ${v.status} ${v.aiPaused} ${v.lastMessageAt.toISOString()} ${v.readAt?.toISOString() ?? ""}`);
  }
  return snapshot;
}

/** The conversations whose entries are new or changed between two snapshots. */
export function changedConversations(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [key, value] of after) {
    if (before.get(key) !== value) changed.add(value.split(" ")[0] ?? key);
  }
  return [...changed];
}

/** What routes reach through `context.services.inbox`: the functions above bound to the app's db and delivery. */
export interface InboxService {
  /** The installed shop behind a session's domain, or null. */
  shop(domain: string): Promise<{ id: string; name: string; timezone: string } | null>;
  list(shopId: string, query: InboxQuery): Promise<InboxList>;
  counts(shopId: string): Promise<InboxCounts>;
  thread(shopId: string, conversationId: string): Promise<Thread | null>;
  markRead(shopId: string, conversationId: string, upTo?: Date): Promise<boolean>;
  takeOver(shopId: string, conversationId: string): Promise<boolean>;
  handBack(shopId: string, conversationId: string): Promise<boolean>;
  reply(shopId: string, conversationId: string, body: string): Promise<MerchantReplyResult>;
  /** A `text/event-stream` response telling the page when the shop's inbox changed; ends with `signal`. */
  events(shopId: string, signal: AbortSignal): Response;
  /** The app's clock, for "today" and "tomorrow" on the pages. */
  now(): Date;
}

export function createInboxService(deps: Pick<EngineDeps, "db" | "clock" | "deliver"> & { logger: Logger }): InboxService {
  const { db } = deps;
  return {
    shop: (domain) => findShop(db, domain),
    list: (shopId, query) => listConversations(db, shopId, query),
    counts: (shopId) => countConversations(db, shopId),
    thread: (shopId, id) => getThread(deps, shopId, id),
    markRead: (shopId, id, upTo) => markRead(db, shopId, id, upTo),
    takeOver: (shopId, id) => takeOver(db, shopId, id),
    handBack: (shopId, id) => handBack(db, shopId, id),
    reply: (shopId, conversationId, body) => sendMerchantReply(deps, { shopId, conversationId, body }),
    events: (shopId, signal) =>
      inboxEventStream({ snapshot: () => inboxSnapshot(db, shopId), diff: changedConversations, signal, logger: deps.logger }),
    now: () => deps.clock.now(),
  };
}
