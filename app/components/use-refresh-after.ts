/**
 * Keeps a list that changes by itself current — a broadcast being sent, a hold reaching its
 * deadline — by running the page's loaders again after `delayMs` (null: the list will not change by
 * itself), and again after each load, as long as the delay the new data gives is not null.
 *
 * It waits while the page is hidden (nobody is looking; it refreshes once shown again) and while
 * it is busy (usePageBusy).
 * Changes made by other processes (the worker sending, delivery reports) reach the page this way;
 * the inbox, which changes far more often, has its own event stream.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { usePageBusy } from "./use-page-busy";

/** Not more often than this, whatever the list asks (a deadline a few milliseconds away). */
export const REFRESH_MIN_MS = 1000;
/** Not later than this either: timers longer than 2^31 - 1 ms fire at once, and clocks drift. */
export const REFRESH_MAX_MS = 60 * 60_000;

export function useRefreshAfter(delayMs: number | null): void {
  const revalidator = useRevalidator();
  const busy = usePageBusy();
  const visible = usePageVisible();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  // Re-armed whenever a load ends (busy goes back to false), the delay changes or the page shows.
  useEffect(() => {
    if (delayMs === null || busy || !visible) return;
    const timer = setTimeout(() => revalidate.current(), clampRefreshDelay(delayMs));
    return () => clearTimeout(timer);
  }, [delayMs, busy, visible]);
}

export function clampRefreshDelay(delayMs: number): number {
  return Math.min(REFRESH_MAX_MS, Math.max(REFRESH_MIN_MS, Math.ceil(delayMs)));
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}
