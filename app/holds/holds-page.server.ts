/**
 * The merchant's holds page (app/routes/app.holds.tsx): the shop's holds by tab with counts, a
 * search over customer and items, and what she does with a hold — extend its deadline (in the
 * future, at most one more hold period after the current deadline, by the shop's policy), cancel it
 * (cancelHold: the reservation is released through the Holds capability) or mark it picked up
 * (markHoldPickedUp, as POS staff do). Every function takes the shop and filters on it.
 *
 * A hold past its deadline is no longer reserved by Shopify even while our row still says "active"
 * (the expiry job marks it later): it is listed and counted as expired, and offers no action.
 */
import { and, asc, desc, eq, gt, lte, or, sql, type SQL } from "drizzle-orm";
import { customers, holds, type HoldStatus } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { parseLocalDateTime } from "~/lib/local-date-time";
import { atLocalTime } from "~/lib/time-zone";
import { NotFoundError, ProviderError, UnavailableError, type Holds, type Inventory } from "~/plugins/types";
import { findHoldWithCustomer, gidNumericId, markHoldPickedUp } from "~/pos/pos.server";
import { findShopByDomain, type ShopRow } from "~/shops/install.server";
import { holdDeadline } from "./deadline";
import { cancelHold, extendHold, type HoldRow } from "./holds.server";
import type { HoldsQuery, HoldTab } from "./page-query";

export { HOLD_TABS, parseHoldsQuery, type HoldTab, type HoldsQuery } from "./page-query";

/** A tab lists its latest holds; the count in the tab says how many there are in all. */
const LIST_LIMIT = 200;

export interface HoldListItem {
  id: string;
  tab: HoldTab;
  draftOrderName: string | null;
  /** For `shopify:admin/draft_orders/<id>`; null once the draft is gone (cancelled, picked up). */
  draftOrderNumericId: number | null;
  /** For `shopify:admin/orders/<id>`, when an order completed the hold. */
  orderNumericId: number | null;
  expiresAt: string;
  /** When the hold last changed (picked up, cancelled …). */
  updatedAt: string;
  /** Active, and the deadline falls before midnight in the shop's time zone. */
  endsToday: boolean;
  /** Active holds: the latest deadline an extension may set. */
  latestDeadline: string | null;
  customer: { name: string | null; phone: string | null; email: string | null };
  items: Array<{ productTitle: string; size: string | null; sku: string | null; quantity: number }>;
}

export type HoldCounts = Record<HoldTab, number>;

export type HoldActionError =
  | "not_found"
  | "not_active"
  | "deadline_invalid"
  | "deadline_past"
  | "deadline_too_late"
  /** Shopify no longer has the hold's draft order. */
  | "gone"
  /** Shopify refused (the message says why). */
  | "refused";

export type HoldActionResult =
  | {
      ok: true;
      hold: HoldListItem;
      /** After a release: what is on sale now of each item (best effort: missing when unread). */
      available: Array<{ productTitle: string; size: string | null; available: number }>;
    }
  | { ok: false; error: HoldActionError; status?: HoldStatus; latestDeadline?: string; message?: string };

export interface HoldsPageDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  capabilities(shopDomain: string): Promise<{ holds: Holds; inventory: Pick<Inventory, "availability"> }>;
}

type Shop = Pick<ShopRow, "id" | "domain" | "timezone" | "settings">;

function tabCondition(tab: HoldTab, now: Date): SQL | undefined {
  switch (tab) {
    case "active":
      return and(eq(holds.status, "active"), gt(holds.expiresAt, now));
    case "expired":
      return or(eq(holds.status, "expired"), and(eq(holds.status, "active"), lte(holds.expiresAt, now)));
    case "completed":
      return eq(holds.status, "completed");
    case "cancelled":
      return eq(holds.status, "cancelled");
  }
}

// Accents folded in SQL the way `fold` folds the search: "elodie" finds "Élodie" on PostgreSQL and
// PGlite alike (translate() needs no extension; lower() may leave non-ASCII capitals alone).
const ACCENTED = "ÀÂÄÁÃÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜÝŸàâäáãçèéêëìíîïñòóôöõùúûüýÿ";
const PLAIN = "aaaaaceeeeiiiinooooouuuuyyaaaaaceeeeiiiinooooouuuuyy";

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** `%text%` for LIKE with the user's own % and _ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Every word of the search is in the customer's name, phone, email, the items or the draft's name;
 * a phone typed the French way ("06 45 78 90 12") also matches the stored E.164 "+33645789012".
 */
function searchCondition(search: string): SQL | undefined {
  const haystack = sql`translate(lower(concat_ws(' ', ${customers.firstName}, ${customers.lastName}, ${customers.email}, ${customers.phone}, ${holds.draftOrderName},
    (select string_agg(concat_ws(' ', i->>'productTitle', i->>'sku', i->>'size'), ' ') from jsonb_array_elements(${holds.items}) i))), ${ACCENTED}, ${PLAIN})`;
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const byWords = and(...words.map((word) => sql`${haystack} like ${containsPattern(word)}`));
  const digits = /^[\d\s+().-]+$/.test(search.trim()) ? search.replace(/\D/g, "").replace(/^0+/, "") : "";
  return digits.length >= 4 ? or(byWords, sql`regexp_replace(coalesce(${customers.phone}, ''), '\\D', '', 'g') like ${`%${digits}%`}`) : byWords;
}

/** The latest deadline an extension may set: one hold period after the current deadline (or now). */
function latestDeadline(shop: Shop, hold: HoldRow, now: Date): Date {
  const from = hold.expiresAt > now ? hold.expiresAt : now;
  return holdDeadline(shop.settings.policies.holdUntil, from, shop.timezone, shop.settings.openingHours);
}

function tabOf(hold: HoldRow, now: Date): HoldTab {
  return hold.status === "active" && hold.expiresAt <= now ? "expired" : hold.status;
}

function toItem(shop: Shop, hold: HoldRow, customer: typeof customers.$inferSelect, now: Date): HoldListItem {
  const tab = tabOf(hold, now);
  return {
    id: hold.id,
    tab,
    draftOrderName: hold.draftOrderName,
    // Cancelling and picking up delete the draft order, an order replaces it: nothing left to open.
    draftOrderNumericId: tab === "active" || tab === "expired" ? gidNumericId(hold.draftOrderId) : null,
    orderNumericId: gidNumericId(hold.orderId),
    expiresAt: hold.expiresAt.toISOString(),
    updatedAt: hold.updatedAt.toISOString(),
    endsToday: tab === "active" && hold.expiresAt < atLocalTime(now, shop.timezone, 1, "00:00"),
    latestDeadline: tab === "active" ? latestDeadline(shop, hold, now).toISOString() : null,
    customer: { name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null, phone: customer.phone, email: customer.email },
    items: hold.items.map((i) => ({ productTitle: i.productTitle, size: i.size, sku: i.sku, quantity: i.quantity })),
  };
}

export async function listHolds(deps: Pick<HoldsPageDeps, "db" | "clock">, shop: Shop, query: HoldsQuery): Promise<HoldListItem[]> {
  const now = deps.clock.now();
  const order =
    query.tab === "active" ? [asc(holds.expiresAt), asc(holds.createdAt)] : query.tab === "expired" ? [desc(holds.expiresAt)] : [desc(holds.updatedAt)];
  const rows = await deps.db
    .select({ hold: holds, customer: customers })
    .from(holds)
    .innerJoin(customers, and(eq(customers.id, holds.customerId), eq(customers.shopId, holds.shopId)))
    .where(and(eq(holds.shopId, shop.id), tabCondition(query.tab, now), query.search ? searchCondition(query.search) : undefined))
    .orderBy(...order)
    .limit(LIST_LIMIT);
  return rows.map(({ hold, customer }) => toItem(shop, hold, customer, now));
}

export async function countHolds(deps: Pick<HoldsPageDeps, "db" | "clock">, shopId: string): Promise<HoldCounts> {
  const now = deps.clock.now();
  const count = (tab: HoldTab) => sql<number>`(count(*) filter (where ${tabCondition(tab, now)}))::int`;
  const [row] = await deps.db
    .select({ active: count("active"), completed: count("completed"), expired: count("expired"), cancelled: count("cancelled") })
    .from(holds)
    .where(eq(holds.shopId, shopId));
  return { active: row?.active ?? 0, completed: row?.completed ?? 0, expired: row?.expired ?? 0, cancelled: row?.cancelled ?? 0 };
}

/** Shopify's refusals as the page says them, logged; anything else is a bug and goes up. */
async function sayingRefusals(deps: Pick<HoldsPageDeps, "logger">, action: string, holdId: string, run: () => Promise<HoldActionResult>): Promise<HoldActionResult> {
  try {
    return await run();
  } catch (error) {
    const refused: HoldActionResult | null =
      error instanceof NotFoundError
        ? { ok: false, error: "gone" }
        : error instanceof ProviderError || error instanceof UnavailableError
          ? { ok: false, error: "refused", message: error.message }
          : null;
    if (!refused) throw error;
    deps.logger.warn(`hold not ${action}`, { holdId, error: refused.ok ? "" : (refused.message ?? "draft order gone") });
    return refused;
  }
}

/** The shop's hold while it is active, or why it is not there to act on. */
async function activeHold(deps: Pick<HoldsPageDeps, "db">, shop: Shop, holdId: string, now: Date) {
  const found = await findHoldWithCustomer(deps.db, shop.id, holdId);
  if (!found) return { refused: { ok: false, error: "not_found" } satisfies HoldActionResult };
  const tab = tabOf(found.hold, now);
  if (tab !== "active") return { refused: { ok: false, error: "not_active", status: tab } satisfies HoldActionResult };
  return { found };
}

/** What a release put back on sale, read from Shopify (a failed read only leaves it unsaid). */
async function availableAgain(deps: HoldsPageDeps, inventory: Pick<Inventory, "availability">, hold: HoldRow) {
  const out: Array<{ productTitle: string; size: string | null; available: number }> = [];
  for (const item of hold.items) {
    try {
      out.push({ productTitle: item.productTitle, size: item.size, available: (await inventory.availability(item.variantId)).available });
    } catch (error) {
      deps.logger.warn("stock not read after a release", { variantId: item.variantId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

export async function extendShopHold(deps: HoldsPageDeps, shop: Shop, holdId: string, deadline: string): Promise<HoldActionResult> {
  const now = deps.clock.now();
  const { found, refused } = await activeHold(deps, shop, holdId, now);
  if (!found) return refused;
  const latest = latestDeadline(shop, found.hold, now);
  const expiresAt = parseLocalDateTime(deadline, shop.timezone);
  if (!expiresAt) return { ok: false, error: "deadline_invalid", latestDeadline: latest.toISOString() };
  if (expiresAt <= now) return { ok: false, error: "deadline_past", latestDeadline: latest.toISOString() };
  if (expiresAt > latest) return { ok: false, error: "deadline_too_late", latestDeadline: latest.toISOString() };
  const { holds: provider } = await deps.capabilities(shop.domain);
  return sayingRefusals(deps, "extended", holdId, async () => {
    const updated = await extendHold({ db: deps.db, clock: deps.clock, holds: provider }, shop.id, holdId, expiresAt);
    if (!updated) return { ok: false, error: "not_found" };
    return { ok: true, hold: toItem(shop, updated, found.customer, now), available: [] };
  });
}

export async function cancelShopHold(deps: HoldsPageDeps, shop: Shop, holdId: string): Promise<HoldActionResult> {
  const now = deps.clock.now();
  const { found, refused } = await activeHold(deps, shop, holdId, now);
  if (!found) return refused;
  const { holds: provider, inventory } = await deps.capabilities(shop.domain);
  return sayingRefusals(deps, "cancelled", holdId, async () => {
    const updated = await cancelHold({ db: deps.db, clock: deps.clock, holds: provider }, shop.id, holdId);
    if (!updated) return { ok: false, error: "not_found" };
    if (updated.status !== "cancelled") return { ok: false, error: "not_active", status: updated.status };
    return { ok: true, hold: toItem(shop, updated, found.customer, now), available: await availableAgain(deps, inventory, updated) };
  });
}

export async function pickUpShopHold(deps: HoldsPageDeps, shop: Shop, holdId: string): Promise<HoldActionResult> {
  const { holds: provider, inventory } = await deps.capabilities(shop.domain);
  return sayingRefusals(deps, "picked up", holdId, async () => {
    const outcome = await markHoldPickedUp({ db: deps.db, clock: deps.clock, holds: provider }, shop.id, holdId);
    if (outcome.outcome === "not_found") return { ok: false, error: "not_found" };
    if (outcome.outcome === "not_active") return { ok: false, error: "not_active", status: outcome.status };
    const found = await findHoldWithCustomer(deps.db, shop.id, holdId);
    if (!found) return { ok: false, error: "not_found" };
    return { ok: true, hold: toItem(shop, found.hold, found.customer, deps.clock.now()), available: await availableAgain(deps, inventory, found.hold) };
  });
}

/** What routes reach through `context.services.holds`: the functions above bound to the app's db and Shopify. */
export interface HoldsPageService {
  /** The installed shop behind a session's domain, or null. */
  shop(domain: string): Promise<Shop | null>;
  list(shop: Shop, query: HoldsQuery): Promise<HoldListItem[]>;
  counts(shopId: string): Promise<HoldCounts>;
  /** `deadline`: the date-and-time field's value, a wall time in the shop's time zone. */
  extend(shop: Shop, holdId: string, deadline: string): Promise<HoldActionResult>;
  cancel(shop: Shop, holdId: string): Promise<HoldActionResult>;
  pickUp(shop: Shop, holdId: string): Promise<HoldActionResult>;
  /** The app's clock, for "today" and "tomorrow" on the page. */
  now(): Date;
}

export function createHoldsPageService(deps: HoldsPageDeps): HoldsPageService {
  return {
    shop: async (domain) => {
      const shop = await findShopByDomain(deps.db, domain);
      return shop && !shop.uninstalledAt ? { id: shop.id, domain: shop.domain, timezone: shop.timezone, settings: shop.settings } : null;
    },
    list: (shop, query) => listHolds(deps, shop, query),
    counts: (shopId) => countHolds(deps, shopId),
    extend: (shop, holdId, deadline) => extendShopHold(deps, shop, holdId, deadline),
    cancel: (shop, holdId) => cancelShopHold(deps, shop, holdId),
    pickUp: (shop, holdId) => pickUpShopHold(deps, shop, holdId),
    now: () => deps.clock.now(),
  };
}
