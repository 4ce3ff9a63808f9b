/**
 * Where each broadcast of the list stands, as the page shows it, and when the list should be read
 * again (useRefreshAfter): the worker sends a broadcast and the providers report its deliveries
 * while Sarah watches the page, so its progress moves without her reloading.
 */
import type { BroadcastListItem } from "./broadcasts-page.server";

export type BroadcastState = "cancelled" | "draft" | "scheduled" | "sending" | "done";

export function broadcastState(broadcast: Pick<BroadcastListItem, "status" | "progress">): BroadcastState {
  if (broadcast.status === "cancelled" || broadcast.status === "draft") return broadcast.status;
  const p = broadcast.progress;
  if (p.recipients - p.cancelled > 0 && p.queued === 0) return "done";
  return p.sent + p.delivered + p.failed > 0 ? "sending" : "scheduled";
}

/** While messages are going out: often enough to watch them go. */
export const SENDING_REFRESH_MS = 5000;
/** Delivery reports after the messages have gone, or messages held back by the recipients' quiet hours. */
export const SLOW_REFRESH_MS = 60_000;
/** How long after its send time a broadcast is watched closely. */
export const CLOSE_WATCH_MS = 60 * 60_000;

/**
 * Milliseconds until the list should be read again, null when nothing in it will change by itself.
 * A broadcast due later is read again when it is due; one due and not finished, every few seconds
 * in the hour after its send time (then every minute: the rest waits for the recipients' quiet
 * hours to end); one whose messages have all gone may still be reported delivered (or failed):
 * every minute in that hour.
 */
export function broadcastsRefreshDelay(broadcasts: ReadonlyArray<Pick<BroadcastListItem, "status" | "progress" | "sendAt">>, now: string): number | null {
  const at = Date.parse(now);
  let delay: number | null = null;
  const sooner = (ms: number) => {
    delay = delay === null ? ms : Math.min(delay, ms);
  };
  for (const broadcast of broadcasts) {
    const state = broadcastState(broadcast);
    const sinceDue = at - Date.parse(broadcast.sendAt);
    if (state === "sending" || (state === "scheduled" && sinceDue >= 0)) sooner(sinceDue < CLOSE_WATCH_MS ? SENDING_REFRESH_MS : SLOW_REFRESH_MS);
    else if (state === "scheduled") sooner(-sinceDue);
    else if (state === "done" && broadcast.progress.sent > 0 && sinceDue < CLOSE_WATCH_MS) sooner(SLOW_REFRESH_MS);
  }
  return delay;
}
