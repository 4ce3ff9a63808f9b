import { describe, expect, it } from "vitest";
import { atLocalTime, wallTime } from "~/lib/time-zone";
import { holdDeadline } from "./deadline";

describe("holdDeadline", () => {
  it("next-day 18:00 in Paris, whatever the process's TZ", () => {
    // Monday 12 January 2026, 10:15 in Paris (UTC+1) → Tuesday 18:00 Paris = 17:00 UTC.
    expect(holdDeadline("next-day 18:00", new Date("2026-01-12T10:15:00+01:00"), "Europe/Paris").toISOString()).toBe("2026-01-13T17:00:00.000Z");
    // Late evening in Paris is already the next day in UTC+13 but not in Paris.
    expect(holdDeadline("next-day 18:00", new Date("2026-01-12T23:30:00+01:00"), "Europe/Paris").toISOString()).toBe("2026-01-13T17:00:00.000Z");
  });

  it("crosses daylight saving time (Paris switches to UTC+2 on 29 March 2026)", () => {
    expect(holdDeadline("next-day 18:00", new Date("2026-03-28T12:00:00+01:00"), "Europe/Paris").toISOString()).toBe("2026-03-29T16:00:00.000Z");
  });

  it("skips the days the shop is closed (placed on Saturday → Monday 18:00)", () => {
    const hours = { mon: ["10:00", "19:00"], tue: ["10:00", "19:00"], wed: ["10:00", "19:00"], thu: ["10:00", "19:00"], fri: ["10:00", "19:00"], sat: ["10:00", "19:00"], sun: null } as const;
    const open = Object.fromEntries(Object.entries(hours).map(([k, v]) => [k, v ? [v[0], v[1]] : null])) as Parameters<typeof holdDeadline>[3];
    expect(holdDeadline("next-day 18:00", new Date("2026-01-17T15:00:00+01:00"), "Europe/Paris", open).toISOString()).toBe("2026-01-19T17:00:00.000Z");
    expect(holdDeadline("next-day 18:00", new Date("2026-01-17T15:00:00+01:00"), "Europe/Paris").toISOString()).toBe("2026-01-18T17:00:00.000Z");
  });

  it("+48h", () => {
    expect(holdDeadline("+48h", new Date("2026-01-12T10:15:00+01:00"), "Europe/Paris").toISOString()).toBe("2026-01-14T09:15:00.000Z");
  });

  it("refuses an unknown policy", () => {
    expect(() => holdDeadline("tomorrow", new Date(), "Europe/Paris")).toThrow(/unknown hold policy/);
  });
});

describe("time zones", () => {
  it("reads wall time in a zone and back", () => {
    const instant = new Date("2026-07-01T10:00:00Z");
    expect(wallTime(instant, "Europe/Paris")).toMatchObject({ hour: 12, minute: 0, day: 1, month: 7 });
    expect(atLocalTime(instant, "Pacific/Auckland", 0, "09:30").toISOString()).toBe("2026-06-30T21:30:00.000Z");
  });
});
