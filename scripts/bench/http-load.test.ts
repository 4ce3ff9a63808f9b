import { describe, expect, it } from "vitest";
import { slowestWindows } from "./http-load";

describe("slowestWindows", () => {
  it("names the windows whose slowest request was slowest, in time order", () => {
    const timeline = [
      { dueMs: 5, latency: 3 },
      { dueMs: 120, latency: 4 },
      // A stall at 9.6 s: two neighbouring windows.
      { dueMs: 9_610, latency: 105 },
      { dueMs: 9_650, latency: 98 },
      { dueMs: 9_720, latency: 80 },
      { dueMs: 3_050, latency: 41 },
      { dueMs: 11_999, latency: 2 },
    ];
    expect(slowestWindows(timeline, 100, 3)).toEqual([
      { fromMs: 3_000, maxMs: 41, requests: 1 },
      { fromMs: 9_600, maxMs: 105, requests: 2 },
      { fromMs: 9_700, maxMs: 80, requests: 1 },
    ]);
  });

  it("answers nothing for a run without requests", () => {
    expect(slowestWindows([])).toEqual([]);
  });
});
