/** The holds page reads its list again at the next deadline of an active hold shown, and at least every minute. */
import { describe, expect, it } from "vitest";
import { HOLDS_REFRESH_MS, holdsRefreshDelay } from "./page-refresh";

const NOW = "2026-01-12T09:00:00.000Z";
const seconds = (n: number) => new Date(Date.parse(NOW) + n * 1000).toISOString();

describe("holdsRefreshDelay", () => {
  it("is a minute with nothing due sooner", () => {
    expect(holdsRefreshDelay([], NOW)).toBe(HOLDS_REFRESH_MS);
    expect(holdsRefreshDelay([{ tab: "active", expiresAt: seconds(3600) }], NOW)).toBe(HOLDS_REFRESH_MS);
    expect(HOLDS_REFRESH_MS).toBe(60_000);
  });

  it("is the time to the soonest deadline of an active hold", () => {
    expect(holdsRefreshDelay([{ tab: "active", expiresAt: seconds(3600) }, { tab: "active", expiresAt: seconds(20) }], NOW)).toBe(20_000);
  });

  it("ignores the deadlines of holds no longer active", () => {
    expect(holdsRefreshDelay([{ tab: "expired", expiresAt: seconds(-30) }, { tab: "completed", expiresAt: seconds(5) }], NOW)).toBe(HOLDS_REFRESH_MS);
  });
});
