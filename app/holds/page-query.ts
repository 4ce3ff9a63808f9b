/**
 * The holds page's query (tab and search) and its URL form, shared by the loader, which reads it,
 * and the page, which writes it. Anything unknown in the URL is ignored, not an error.
 *
 * Tabs, as Sarah sorts her holds: "active" (still reserved), "completed" (picked up, or paid as an
 * order), "expired" (the customer did not come before the deadline) and "cancelled" (released on
 * purpose, by her or the customer) — the last two apart because she follows up the first and not
 * the second.
 */
export const HOLD_TABS = ["active", "completed", "expired", "cancelled"] as const;
export type HoldTab = (typeof HOLD_TABS)[number];

export interface HoldsQuery {
  tab: HoldTab;
  /** Customer name, phone or email, product, reference, size or draft order name. */
  search?: string | null;
}

export function parseHoldsQuery(params: URLSearchParams): HoldsQuery {
  return {
    tab: HOLD_TABS.find((t) => t === params.get("tab")) ?? "active",
    search: params.get("q")?.trim().slice(0, 200) || null,
  };
}
