/**
 * The broadcasts list's states and when the page reads it again: a broadcast due later at its
 * send time, one being sent every few seconds, one whose messages have gone every minute for an
 * hour (delivery reports), and never again once nothing can change.
 */
import { describe, expect, it } from "vitest";
import { CLOSE_WATCH_MS, SENDING_REFRESH_MS, SLOW_REFRESH_MS, broadcastState, broadcastsRefreshDelay } from "./broadcast-list";
import type { BroadcastListItem } from "./broadcasts-page.server";

const NOW = "2026-01-12T09:00:00.000Z";
const minutes = (n: number) => new Date(Date.parse(NOW) + n * 60_000).toISOString();
type Item = Pick<BroadcastListItem, "status" | "progress" | "sendAt">;
const progress = (p: Partial<BroadcastListItem["progress"]>): BroadcastListItem["progress"] => ({ recipients: 3, queued: 0, sent: 0, delivered: 0, failed: 0, cancelled: 0, ...p });
const item = (status: Item["status"], p: Partial<BroadcastListItem["progress"]>, sendAt = NOW): Item => ({ status, progress: progress(p), sendAt });

describe("broadcastState", () => {
  it("reads the stored status, then how far its messages went", () => {
    expect(broadcastState(item("cancelled", { queued: 3 }))).toBe("cancelled");
    expect(broadcastState(item("draft", { queued: 3 }))).toBe("draft");
    expect(broadcastState(item("scheduled", { queued: 3 }))).toBe("scheduled");
    expect(broadcastState(item("scheduled", { queued: 2, sent: 1 }))).toBe("sending");
    expect(broadcastState(item("scheduled", { queued: 1, failed: 1, delivered: 1 }))).toBe("sending");
    expect(broadcastState(item("scheduled", { sent: 1, delivered: 1, failed: 1 }))).toBe("done");
    // Partly cancelled: done once the others have gone; wholly cancelled recipients leave it scheduled.
    expect(broadcastState(item("scheduled", { sent: 1, cancelled: 2 }))).toBe("done");
    expect(broadcastState(item("scheduled", { cancelled: 3 }))).toBe("scheduled");
  });
});

describe("broadcastsRefreshDelay", () => {
  it("is null when nothing in the list can change by itself", () => {
    expect(broadcastsRefreshDelay([], NOW)).toBeNull();
    expect(broadcastsRefreshDelay([item("cancelled", { cancelled: 3 }), item("draft", { queued: 3 })], NOW)).toBeNull();
    // All delivered or failed: no report is awaited.
    expect(broadcastsRefreshDelay([item("scheduled", { delivered: 2, failed: 1 }, minutes(-5))], NOW)).toBeNull();
    // Sent over an hour ago: its reports are not watched any more.
    expect(broadcastsRefreshDelay([item("scheduled", { sent: 3 }, minutes(-61))], NOW)).toBeNull();
  });

  it("reads a broadcast due later again when it is due", () => {
    expect(broadcastsRefreshDelay([item("scheduled", { queued: 3 }, minutes(90))], NOW)).toBe(90 * 60_000);
  });

  it("every few seconds while one is due or being sent, the soonest winning", () => {
    expect(broadcastsRefreshDelay([item("scheduled", { queued: 3 })], NOW)).toBe(SENDING_REFRESH_MS);
    expect(broadcastsRefreshDelay([item("scheduled", { queued: 3 }, minutes(90)), item("scheduled", { queued: 1, sent: 2 }, minutes(-2))], NOW)).toBe(SENDING_REFRESH_MS);
  });

  it("every minute for messages held back past the first hour, and for delivery reports within it", () => {
    expect(broadcastsRefreshDelay([item("scheduled", { queued: 1, sent: 2 }, minutes(-61))], NOW)).toBe(SLOW_REFRESH_MS);
    expect(broadcastsRefreshDelay([item("scheduled", { sent: 2, delivered: 1 }, minutes(-10))], NOW)).toBe(SLOW_REFRESH_MS);
    expect(CLOSE_WATCH_MS).toBe(60 * 60_000);
  });
});
