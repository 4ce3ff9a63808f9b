/**
 * The admin home page's data for one shop: what Sarah reads in thirty seconds between two customers.
 *
 * - today (the shop's calendar day, from the injected clock): messages received, answered by the
 *   AI, handed to her (escalated), median time to the AI's answer, revenue attributed to the AI;
 * - "needs you": the conversations the AI handed over, urgent first (the inbox's own list);
 * - alerts: low stock on held or awaited variants, holds that end before tonight's midnight,
 *   deliveries that failed, WhatsApp messages that the 24-hour window stopped (last 7 days);
 * - the last 30 days, a point per day: messages received and the automation rate (the share the AI
 *   answered without handing over).
 *
 * Every query is scoped to the shop and ranges over an index (messages by shop and time, holds by
 * shop, status and deadline, …): the page stays fast with tens of thousands of conversations.
 */
import { and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { customers, holds, messages, notifications, orderAttributions, scheduledMessages } from "../../db/schema";
import type { Database } from "~/db.server";
import { listRecentMessages } from "~/conversation/messages.server";
import type { InboxListItem, InboxService } from "~/inbox/inbox.server";
import type { Clock } from "~/lib/clock";
import { atLocalTime } from "~/lib/time-zone";
import { findShopByDomain, listChannelAccounts } from "~/shops/install.server";
import type { ChannelKind } from "~/plugins/types";

export interface DayActivity {
  /** The day in the shop's time zone, YYYY-MM-DD. */
  day: string;
  received: number;
  /** Inbound messages the AI answered. */
  answered: number;
  /** Inbound messages the AI answered without handing the conversation over. */
  automated: number;
  escalated: number;
}

export interface TodayFigures {
  received: number;
  answered: number;
  escalated: number;
  /** Median time from a message's arrival to the AI's answer, ms; null without an answer today. */
  medianResponseMs: number | null;
  /** Revenue of today's orders attributed to the AI, per currency. */
  revenue: Array<{ currency: string; amount: string }>;
}

export interface HomeAlerts {
  lowStock: Array<{ id: string; label: string | null; available: number | null; waiting: number | null; title: string; createdAt: string }>;
  holdsEndingToday: Array<{ id: string; customer: string; items: string; expiresAt: string; draftOrderName: string | null }>;
  failedDeliveries: { count: number; latest: Array<{ id: string; conversationId: string; customer: string; channel: ChannelKind; errorCode: string | null; createdAt: string }> };
  /** WhatsApp sends refused by the 24-hour customer-service window, by the provider or by us. */
  whatsappWindow: { count: number };
}

export interface HomeData {
  shop: { name: string; domain: string; timezone: string } | null;
  now: string;
  channels: Array<{ provider: string; channel: string; address: string; sending: "live" | "outbox" }>;
  today: TodayFigures;
  needsYou: InboxListItem[];
  alerts: HomeAlerts;
  /** The last 30 days, oldest first, today last; days without messages are zeros. */
  activity: DayActivity[];
  messages: Array<{
    id: string;
    direction: "inbound" | "outbound";
    author: "customer" | "ai" | "merchant";
    channel: string;
    customer: string;
    body: string;
    status: string;
    createdAt: string;
    latencyMs: number | null;
  }>;
}

export interface HomeServiceDeps {
  db: Database;
  clock: Clock;
  /** Whether the shop's messages on this number/address really leave (its own credentials or the deployment's); otherwise they stay in the outbox. */
  canSend(shopId: string, account: { provider: string; channel: ChannelKind }): Promise<boolean>;
  inbox: Pick<InboxService, "list">;
}

const CHART_DAYS = 30;
const ALERT_DAYS = 7;
const NEEDS_YOU_LIMIT = 5;
/**
 * The provider codes for "outside the customer-service window": Twilio 63016
 * (https://www.twilio.com/docs/api/errors/63016) and Meta 131047, re-engagement message
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
const WHATSAPP_WINDOW_CODES = ["63016", "131047"];
/** How the orchestrator (app/messaging/orchestrator.ts) words a refusal for the window. */
const WINDOW_REFUSAL = "%24-hour window%";

const EMPTY_TODAY: TodayFigures = { received: 0, answered: 0, escalated: 0, medianResponseMs: null, revenue: [] };
const NO_ALERTS: HomeAlerts = { lowStock: [], holdsEndingToday: [], failedDeliveries: { count: 0, latest: [] }, whatsappWindow: { count: 0 } };

export function createHomeService(deps: HomeServiceDeps) {
  return { load: (shopDomain: string) => loadHome(deps, shopDomain) };
}
export type HomeService = ReturnType<typeof createHomeService>;

export async function loadHome(deps: HomeServiceDeps, shopDomain: string): Promise<HomeData> {
  const { db } = deps;
  const now = deps.clock.now();
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return { shop: null, now: now.toISOString(), channels: [], today: EMPTY_TODAY, needsYou: [], alerts: NO_ALERTS, activity: [], messages: [] };
  const tz = shop.timezone;
  const startOfToday = atLocalTime(now, tz, 0, "00:00");
  const endOfToday = atLocalTime(now, tz, 1, "00:00");
  const firstDay = atLocalTime(now, tz, -(CHART_DAYS - 1), "00:00");
  const alertsSince = new Date(now.getTime() - ALERT_DAYS * 24 * 3600_000);

  const [accounts, activity, medianResponseMs, revenue, needsYou, alerts, recent] = await Promise.all([
    listChannelAccounts(db, shop.id),
    dailyActivity(db, shop.id, tz, firstDay),
    medianResponse(db, shop.id, startOfToday),
    revenueSince(db, shop.id, startOfToday),
    deps.inbox.list(shop.id, { tab: "needs_you", limit: NEEDS_YOU_LIMIT }).then((l) => l.items),
    loadAlerts(db, shop.id, { endOfToday, since: alertsSince, now }),
    listRecentMessages(db, shop.id, 10),
  ]);
  const sending = await Promise.all(accounts.map((a) => deps.canSend(shop.id, a)));
  const days = fillDays(activity, tz, firstDay);
  const today = days[days.length - 1];
  return {
    shop: { name: shop.name, domain: shop.domain, timezone: tz },
    now: now.toISOString(),
    channels: accounts.map((a, i) => ({ provider: a.provider, channel: a.channel, address: a.address, sending: sending[i] ? "live" : "outbox" })),
    today: { received: today?.received ?? 0, answered: today?.answered ?? 0, escalated: today?.escalated ?? 0, medianResponseMs, revenue },
    needsYou,
    alerts,
    activity: days,
    messages: recent.map((m) => ({
      id: m.id,
      direction: m.direction,
      author: m.author,
      channel: m.channel,
      customer: [m.customerFirstName, m.customerLastName].filter(Boolean).join(" ") || m.customerPhone || m.customerEmail || "?",
      body: m.body,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      latencyMs: m.latencyMs,
    })),
  };
}

const reply = alias(messages, "reply");
const escalatedDecision = sql`${messages.record} -> 'decision' ->> 'kind' = 'escalate'`;

/**
 * Per day of the shop's calendar since `from`: inbound messages, answered, automated, escalated —
 * from the engine's record on each customer message (what it decided, whether it wrote a reply),
 * so one range scan of her messages serves the 30 days.
 */
async function dailyActivity(db: Database, shopId: string, timeZone: string, from: Date): Promise<DayActivity[]> {
  const day = sql<string>`to_char(${messages.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const answered = sql`${messages.record} -> 'reply' is not null and ${messages.record} -> 'reply' <> 'null'::jsonb`;
  return db
    .select({
      day,
      received: sql<number>`count(*)::int`,
      answered: sql<number>`(count(*) filter (where ${answered}))::int`,
      automated: sql<number>`(count(*) filter (where ${answered} and not coalesce(${escalatedDecision}, false)))::int`,
      escalated: sql<number>`(count(*) filter (where ${escalatedDecision}))::int`,
    })
    .from(messages)
    .where(and(eq(messages.shopId, shopId), eq(messages.direction, "inbound"), gte(messages.createdAt, from)))
    // By position: the day expression carries the time zone as a parameter, and PostgreSQL does not
    // see two parameters ($1, $6) as the same expression.
    .groupBy(sql`1`);
}

/** The median of (AI answer − arrival) over today's answered messages, ms. */
async function medianResponse(db: Database, shopId: string, from: Date): Promise<number | null> {
  const [row] = await db
    .select({
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${reply.createdAt} - ${messages.createdAt})) * 1000)`,
    })
    .from(messages)
    .innerJoin(reply, and(eq(reply.inReplyTo, messages.id), eq(reply.shopId, messages.shopId), eq(reply.author, "ai")))
    .where(and(eq(messages.shopId, shopId), eq(messages.direction, "inbound"), gte(messages.createdAt, from)));
  const median = row?.median;
  return median === null || median === undefined ? null : Math.round(Number(median));
}

async function revenueSince(db: Database, shopId: string, from: Date): Promise<TodayFigures["revenue"]> {
  const rows = await db
    .select({ currency: orderAttributions.currency, amount: sql<string>`sum(${orderAttributions.amount})::text` })
    .from(orderAttributions)
    .where(and(eq(orderAttributions.shopId, shopId), eq(orderAttributions.aiAttributed, true), gte(orderAttributions.orderedAt, from)))
    .groupBy(orderAttributions.currency)
    .orderBy(orderAttributions.currency);
  return rows.map((r) => ({ currency: r.currency, amount: Number(r.amount).toFixed(2) }));
}

async function loadAlerts(db: Database, shopId: string, range: { endOfToday: Date; since: Date; now: Date }): Promise<HomeAlerts> {
  const customerName = sql<string>`coalesce(nullif(concat_ws(' ', ${customers.firstName}, ${customers.lastName}), ''), ${customers.phone}, ${customers.email}, '?')`;
  const [lowStock, ending, failedCount, failedLatest, windowRefusedByProvider, windowRefusedByUs] = await Promise.all([
    db
      .select({ id: notifications.id, title: notifications.title, data: notifications.data, createdAt: notifications.createdAt })
      .from(notifications)
      .where(and(eq(notifications.shopId, shopId), eq(notifications.kind, "low_stock"), sql`${notifications.readAt} is null`, gte(notifications.createdAt, range.since)))
      .orderBy(desc(notifications.createdAt))
      .limit(5),
    db
      .select({ id: holds.id, items: holds.items, expiresAt: holds.expiresAt, draftOrderName: holds.draftOrderName, customer: customerName })
      .from(holds)
      .innerJoin(customers, eq(customers.id, holds.customerId))
      .where(and(eq(holds.shopId, shopId), eq(holds.status, "active"), gte(holds.expiresAt, range.now), lt(holds.expiresAt, range.endOfToday)))
      .orderBy(asc(holds.expiresAt))
      .limit(10),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.shopId, shopId), eq(messages.direction, "outbound"), eq(messages.status, "failed"), gte(messages.createdAt, range.since))),
    db
      .select({ id: messages.id, conversationId: messages.conversationId, channel: messages.channel, errorCode: messages.errorCode, createdAt: messages.createdAt, customer: customerName })
      .from(messages)
      .innerJoin(customers, eq(customers.id, messages.customerId))
      .where(and(eq(messages.shopId, shopId), eq(messages.direction, "outbound"), eq(messages.status, "failed"), gte(messages.createdAt, range.since)))
      .orderBy(desc(messages.createdAt))
      .limit(3),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(
        and(
          eq(messages.shopId, shopId),
          eq(messages.channel, "whatsapp"),
          eq(messages.status, "failed"),
          gte(messages.createdAt, range.since),
          inArray(messages.errorCode, WHATSAPP_WINDOW_CODES),
        ),
      ),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(scheduledMessages)
      .where(
        and(
          eq(scheduledMessages.shopId, shopId),
          eq(scheduledMessages.status, "failed"),
          gte(scheduledMessages.updatedAt, range.since),
          sql`${scheduledMessages.payload} -> 'decision' ->> 'reasons' ilike ${WINDOW_REFUSAL}`,
        ),
      ),
  ]);
  return {
    lowStock: lowStock.map((n) => ({
      id: n.id,
      label: typeof n.data.label === "string" ? n.data.label : null,
      available: typeof n.data.available === "number" ? n.data.available : null,
      waiting: typeof n.data.waiting === "number" ? n.data.waiting : null,
      title: n.title,
      createdAt: n.createdAt.toISOString(),
    })),
    holdsEndingToday: ending.map((h) => ({
      id: h.id,
      customer: h.customer,
      items: h.items.map((i) => `${i.productTitle}${i.size ? ` (${i.size})` : ""}`).join(", "),
      expiresAt: h.expiresAt.toISOString(),
      draftOrderName: h.draftOrderName,
    })),
    failedDeliveries: {
      count: failedCount[0]?.count ?? 0,
      latest: failedLatest.map((m) => ({ id: m.id, conversationId: m.conversationId, customer: m.customer, channel: m.channel, errorCode: m.errorCode, createdAt: m.createdAt.toISOString() })),
    },
    whatsappWindow: { count: (windowRefusedByProvider[0]?.count ?? 0) + (windowRefusedByUs[0]?.count ?? 0) },
  };
}

/** Every day from `firstDay` to today, in order, zeros where nothing happened. */
function fillDays(rows: DayActivity[], timeZone: string, firstDay: Date): DayActivity[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = localDate(atLocalTime(firstDay, timeZone, i, "12:00"), timeZone);
    return byDay.get(day) ?? { day, received: 0, answered: 0, automated: 0, escalated: 0 };
  });
}

function localDate(instant: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD, the same as to_char above.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}
