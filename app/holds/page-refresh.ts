/**
 * When the holds page reads its list again (useRefreshAfter): at the next deadline of an active
 * hold shown, when it moves to "expired", and at least every minute, since holds also change
 * elsewhere — put aside in a conversation by the worker, picked up at the till in Shopify POS.
 */
import type { HoldListItem } from "./holds-page.server";

export const HOLDS_REFRESH_MS = 60_000;

export function holdsRefreshDelay(holds: ReadonlyArray<Pick<HoldListItem, "tab" | "expiresAt">>, now: string): number {
  const at = Date.parse(now);
  let delay = HOLDS_REFRESH_MS;
  for (const hold of holds) {
    if (hold.tab === "active") delay = Math.min(delay, Date.parse(hold.expiresAt) - at);
  }
  return delay;
}
