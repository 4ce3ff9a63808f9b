/** The refresh delay is kept between a second and an hour. */
import { describe, expect, it } from "vitest";
import { REFRESH_MAX_MS, REFRESH_MIN_MS, clampRefreshDelay } from "./use-refresh-after";

describe("clampRefreshDelay", () => {
  it("keeps a delay between a second and an hour, in whole milliseconds", () => {
    expect(clampRefreshDelay(-5000)).toBe(REFRESH_MIN_MS);
    expect(clampRefreshDelay(10)).toBe(1000);
    expect(clampRefreshDelay(5000.2)).toBe(5001);
    expect(clampRefreshDelay(30 * 24 * 3600_000)).toBe(REFRESH_MAX_MS);
    expect(REFRESH_MAX_MS).toBe(3600_000);
  });
});
