/**
 * Customer segments of the built-in CRM, computed from what Shopify knows about a customer (total
 * spent, number of orders, last order) — never stored, so they never go stale.
 *
 * - `vip`: spent at least `vipMinAmountSpent` (default 500, shop currency) or carries a VIP tag;
 * - `prospect`: never ordered;
 * - `active`: ordered within `activeWithinDays` (default 180 days);
 * - `lapsed`: ordered before, but not within that window (or the date of the last order is unknown).
 *
 * The thresholds are shop-overridable defaults (`native-crm` settings → `segments`).
 */
import { DEFAULT_SEGMENT_THRESHOLDS, type SegmentThresholds } from "./config";

export type Segment = "vip" | "active" | "prospect" | "lapsed";

export interface SegmentInput {
  /** Lifetime spend in the shop's currency: Shopify's `amountSpent.amount` ("512.40") or a number. */
  amountSpent: string | number;
  numberOfOrders: number;
  lastOrderAt: Date | null;
  now: Date;
  /** Customer tags (Shopify and built-in CRM); compared with the VIP tags ignoring case. */
  tags?: readonly string[];
}

const DAY_MS = 86_400_000;

export function segmentFor(input: SegmentInput, thresholds: SegmentThresholds = defaultThresholds()): Segment {
  const spent = typeof input.amountSpent === "number" ? input.amountSpent : Number(input.amountSpent.trim());
  if (!Number.isFinite(spent) || (typeof input.amountSpent === "string" && input.amountSpent.trim() === "")) {
    throw new RangeError(`segmentFor: amountSpent is not an amount (${String(input.amountSpent)})`);
  }
  if (!Number.isInteger(input.numberOfOrders) || input.numberOfOrders < 0) {
    throw new RangeError(`segmentFor: numberOfOrders must be a whole number ≥ 0 (${input.numberOfOrders})`);
  }
  const vipTags = new Set(thresholds.vipTags.map((tag) => tag.toLowerCase()));
  if (spent >= thresholds.vipMinAmountSpent || (input.tags ?? []).some((tag) => vipTags.has(tag.trim().toLowerCase()))) {
    return "vip";
  }
  if (input.numberOfOrders === 0) return "prospect";
  if (input.lastOrderAt === null) return "lapsed";
  // Whole 24-hour periods in UTC instants: the same answer whatever the server's time zone.
  return input.now.getTime() - input.lastOrderAt.getTime() <= thresholds.activeWithinDays * DAY_MS ? "active" : "lapsed";
}

function defaultThresholds(): SegmentThresholds {
  return { ...DEFAULT_SEGMENT_THRESHOLDS, vipTags: [...DEFAULT_SEGMENT_THRESHOLDS.vipTags] };
}
