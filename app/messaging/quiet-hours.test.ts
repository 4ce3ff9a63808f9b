import { describe, expect, it } from "vitest";
import { wallTime } from "~/lib/time-zone";
import {
  describeSendWindow,
  FRENCH_MARKETING_WINDOW,
  nextAllowedSendTime,
  planSendTime,
  sendWindowFor,
  TRANSACTIONAL_WINDOW,
  URGENT_TRANSACTIONAL_WINDOW,
  type MessageKind,
  type SendWindow,
} from "./quiet-hours";

// Instants are written with the customer's UTC offset so that each case reads as local time; the
// code must not depend on the process's TZ (this file runs under Europe/Paris and Pacific/Auckland).
interface Case {
  name: string;
  at: string;
  kind: MessageKind;
  expected: string;
  timeZone?: string;
  country?: string | null;
  window?: Partial<SendWindow>;
}

const cases: Case[] = [
  // Transactional: 08:00–21:00 every day.
  { name: "thank-you due 23:30 Paris → 08:00 the next morning", kind: "transactional", at: "2026-01-12T23:30:00+01:00", expected: "2026-01-13T08:00:00+01:00" },
  { name: "07:59 → 08:00", kind: "transactional", at: "2026-01-12T07:59:00+01:00", expected: "2026-01-12T08:00:00+01:00" },
  { name: "12:00 → unchanged", kind: "transactional", at: "2026-01-12T12:00:00+01:00", expected: "2026-01-12T12:00:00+01:00" },
  { name: "08:00 sharp is allowed", kind: "transactional", at: "2026-01-12T08:00:00+01:00", expected: "2026-01-12T08:00:00+01:00" },
  { name: "20:59:59 is allowed", kind: "transactional", at: "2026-01-12T20:59:59+01:00", expected: "2026-01-12T20:59:59+01:00" },
  { name: "21:00 sharp waits for the morning", kind: "transactional", at: "2026-01-12T21:00:00+01:00", expected: "2026-01-13T08:00:00+01:00" },
  { name: "00:10 → 08:00 the same day", kind: "transactional", at: "2026-01-13T00:10:00+01:00", expected: "2026-01-13T08:00:00+01:00" },
  { name: "transactional goes out on a Sunday", kind: "transactional", at: "2026-01-11T12:00:00+01:00", expected: "2026-01-11T12:00:00+01:00" },
  { name: "transactional goes out on 1 May", kind: "transactional", at: "2026-05-01T12:00:00+02:00", expected: "2026-05-01T12:00:00+02:00" },
  { name: "year end: 31 Dec 22:00 → 1 Jan 08:00", kind: "transactional", at: "2026-12-31T22:00:00+01:00", expected: "2027-01-01T08:00:00+01:00" },

  // Marketing in France: Mon–Sat 10:00–20:00, never on a public holiday.
  { name: "broadcast prepared on a Sunday → Monday 10:00", kind: "marketing", country: "FR", at: "2026-01-11T15:00:00+01:00", expected: "2026-01-12T10:00:00+01:00" },
  { name: "Saturday 20:30 → Monday 10:00", kind: "marketing", country: "FR", at: "2026-01-17T20:30:00+01:00", expected: "2026-01-19T10:00:00+01:00" },
  { name: "Saturday 20:00 sharp → Monday 10:00", kind: "marketing", country: "FR", at: "2026-01-17T20:00:00+01:00", expected: "2026-01-19T10:00:00+01:00" },
  { name: "Saturday 19:59 → unchanged", kind: "marketing", country: "FR", at: "2026-01-17T19:59:00+01:00", expected: "2026-01-17T19:59:00+01:00" },
  { name: "Monday 09:00 → 10:00", kind: "marketing", country: "FR", at: "2026-01-12T09:00:00+01:00", expected: "2026-01-12T10:00:00+01:00" },
  { name: "Tuesday 20:15 → Wednesday 10:00", kind: "marketing", country: "FR", at: "2026-01-13T20:15:00+01:00", expected: "2026-01-14T10:00:00+01:00" },
  { name: "1 May 2026 (Friday) → Saturday 2 May 10:00", kind: "marketing", country: "FR", at: "2026-05-01T11:00:00+02:00", expected: "2026-05-02T10:00:00+02:00" },
  { name: "14 July 2026 (Tuesday) → Wednesday 15 July 10:00", kind: "marketing", country: "FR", at: "2026-07-14T11:00:00+02:00", expected: "2026-07-15T10:00:00+02:00" },
  { name: "Easter Monday 2026 → Tuesday 7 April 10:00", kind: "marketing", country: "FR", at: "2026-04-06T11:00:00+02:00", expected: "2026-04-07T10:00:00+02:00" },
  { name: "Easter Sunday 2026 → past Easter Monday to Tuesday", kind: "marketing", country: "FR", at: "2026-04-05T09:00:00+02:00", expected: "2026-04-07T10:00:00+02:00" },
  { name: "Saturday 1 May 2027 → past Sunday to Monday 3 May", kind: "marketing", country: "FR", at: "2027-05-01T12:00:00+02:00", expected: "2027-05-03T10:00:00+02:00" },
  { name: "Wednesday 20:30 before Ascension 2027 → Friday 7 May", kind: "marketing", country: "FR", at: "2027-05-05T20:30:00+02:00", expected: "2027-05-07T10:00:00+02:00" },
  { name: "Easter Monday 2027 (29 March) → Tuesday 30 March", kind: "marketing", country: "FR", at: "2027-03-29T15:00:00+02:00", expected: "2027-03-30T10:00:00+02:00" },
  { name: "country code in lower case is France too", kind: "marketing", country: "fr", at: "2026-01-11T15:00:00+01:00", expected: "2026-01-12T10:00:00+01:00" },
  { name: "unknown country: the French rule, the strictest", kind: "marketing", country: null, at: "2026-01-11T15:00:00+01:00", expected: "2026-01-12T10:00:00+01:00" },
  {
    name: "Réunion is France: Sunday → Monday 10:00 on Réunion's clock",
    kind: "marketing",
    country: "RE",
    timeZone: "Indian/Reunion",
    at: "2026-01-11T15:00:00+04:00",
    expected: "2026-01-12T10:00:00+04:00",
  },

  // Marketing elsewhere: the transactional window.
  { name: "US marketing on a Sunday noon → unchanged", kind: "marketing", country: "US", timeZone: "America/New_York", at: "2026-01-11T12:00:00-05:00", expected: "2026-01-11T12:00:00-05:00" },
  { name: "US marketing at 22:00 New York → 08:00 New York", kind: "marketing", country: "US", timeZone: "America/New_York", at: "2026-01-11T22:00:00-05:00", expected: "2026-01-12T08:00:00-05:00" },
  { name: "German marketing on 1 May → unchanged (French holidays are French)", kind: "marketing", country: "DE", timeZone: "Europe/Berlin", at: "2026-05-01T12:00:00+02:00", expected: "2026-05-01T12:00:00+02:00" },

  // DST in Paris: 29 March 2026 02:00 → 03:00, 25 October 2026 03:00 → 02:00.
  { name: "DST spring: Saturday 23:30 CET → Sunday 08:00 CEST", kind: "transactional", at: "2026-03-28T23:30:00+01:00", expected: "2026-03-29T08:00:00+02:00" },
  { name: "DST spring: 03:30 CEST, just after the jump → 08:00 CEST", kind: "transactional", at: "2026-03-29T01:30:00Z", expected: "2026-03-29T08:00:00+02:00" },
  { name: "DST spring: 20:59 CEST on the short day → unchanged", kind: "transactional", at: "2026-03-29T20:59:00+02:00", expected: "2026-03-29T20:59:00+02:00" },
  { name: "DST spring: marketing Saturday 21:00 → Monday 10:00 CEST", kind: "marketing", country: "FR", at: "2026-03-28T21:00:00+01:00", expected: "2026-03-30T10:00:00+02:00" },
  { name: "DST autumn: Saturday 22:00 CEST → Sunday 08:00 CET", kind: "transactional", at: "2026-10-24T22:00:00+02:00", expected: "2026-10-25T08:00:00+01:00" },
  { name: "DST autumn: first 02:30 (CEST) → 08:00 CET", kind: "transactional", at: "2026-10-25T02:30:00+02:00", expected: "2026-10-25T08:00:00+01:00" },
  { name: "DST autumn: second 02:30 (CET) → 08:00 CET", kind: "transactional", at: "2026-10-25T02:30:00+01:00", expected: "2026-10-25T08:00:00+01:00" },
  { name: "DST autumn: marketing Saturday 20:30 CEST → Monday 10:00 CET", kind: "marketing", country: "FR", at: "2026-10-24T20:30:00+02:00", expected: "2026-10-26T10:00:00+01:00" },

  // A customer in New Zealand (DST ends 5 April 2026 03:00 → 02:00).
  { name: "Auckland: 23:30 NZDT → 08:00 NZST across the DST end", kind: "transactional", timeZone: "Pacific/Auckland", at: "2026-04-04T23:30:00+13:00", expected: "2026-04-05T08:00:00+12:00" },

  // Overrides (shop settings, urgent messages).
  { name: "urgent window: 07:30 → unchanged", kind: "transactional", window: URGENT_TRANSACTIONAL_WINDOW, at: "2026-01-12T07:30:00+01:00", expected: "2026-01-12T07:30:00+01:00" },
  { name: "urgent window: 06:59 → 07:00", kind: "transactional", window: URGENT_TRANSACTIONAL_WINDOW, at: "2026-01-12T06:59:00+01:00", expected: "2026-01-12T07:00:00+01:00" },
  { name: "urgent window: 21:30 → unchanged", kind: "transactional", window: URGENT_TRANSACTIONAL_WINDOW, at: "2026-01-12T21:30:00+01:00", expected: "2026-01-12T21:30:00+01:00" },
  { name: "urgent window: 22:00 → 07:00 the next day", kind: "transactional", window: URGENT_TRANSACTIONAL_WINDOW, at: "2026-01-12T22:00:00+01:00", expected: "2026-01-13T07:00:00+01:00" },
  { name: "a later opening set by the shop: 08:30 → 09:00", kind: "transactional", window: { start: "09:00" }, at: "2026-01-12T08:30:00+01:00", expected: "2026-01-12T09:00:00+01:00" },
  { name: "marketing Monday–Friday only: Saturday → Monday", kind: "marketing", country: "FR", window: { days: [1, 2, 3, 4, 5] }, at: "2026-01-17T11:00:00+01:00", expected: "2026-01-19T10:00:00+01:00" },
];

describe("nextAllowedSendTime", () => {
  it.each(cases)("$name", ({ at, kind, expected, timeZone, country, window }) => {
    const sendAt = nextAllowedSendTime({ at: new Date(at), timeZone: timeZone ?? "Europe/Paris", kind, country: country ?? "FR", window });
    expect(sendAt.toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe("planSendTime", () => {
  it("says nothing when the time is allowed", () => {
    const plan = planSendTime({ at: new Date("2026-01-12T12:00:00+01:00"), timeZone: "Europe/Paris", kind: "transactional", country: "FR" });
    expect(plan.deferral).toBeNull();
    expect(plan.window).toEqual(TRANSACTIONAL_WINDOW);
  });

  it("says why and until when, on the customer's clock", () => {
    const plan = planSendTime({ at: new Date("2026-04-05T09:00:00+02:00"), timeZone: "Europe/Paris", kind: "marketing", country: "FR" });
    expect(plan.deferral).toBe(
      "deferred to Tuesday 2026-04-07 10:00 (Europe/Paris): Sunday 2026-04-05 is not a sending day; " +
        "Monday 2026-04-06 is a French public holiday (Lundi de Pâques); marketing messages go out 10:00–20:00 Mon–Sat, not on French public holidays",
    );
  });

  it("names the late hour", () => {
    const plan = planSendTime({ at: new Date("2026-01-12T23:30:00+01:00"), timeZone: "Europe/Paris", kind: "transactional", country: "FR" });
    expect(plan.deferral).toBe("deferred to Tuesday 2026-01-13 08:00 (Europe/Paris): 23:30 is after 21:00; transactional messages go out 08:00–21:00 every day");
  });

  it.each<[string, Partial<SendWindow>]>([
    ["an end before the start", { start: "21:00", end: "08:00" }],
    ["a malformed time", { start: "8:00" }],
    ["no day at all", { days: [] }],
  ])("refuses a window with %s", (_name, window) => {
    expect(() => planSendTime({ at: new Date("2026-01-12T12:00:00Z"), timeZone: "Europe/Paris", kind: "transactional", country: "FR", window })).toThrow(RangeError);
  });

  // Every 17 minutes across both DST weeks of 2026: the answer is never before `at`, always inside
  // the window on the customer's clock, and when it moved, it moved to an opening time exactly.
  it.each<[MessageKind, string]>([
    ["transactional", "2026-03-26T00:00:00Z"],
    ["marketing", "2026-03-26T00:00:00Z"],
    ["transactional", "2026-10-22T00:00:00Z"],
    ["marketing", "2026-10-22T00:00:00Z"],
  ])("%s from %s for a week: inside the window, at the opening when moved", (kind, from) => {
    const window = sendWindowFor(kind, "FR");
    for (let t = Date.parse(from); t < Date.parse(from) + 7 * 86_400_000; t += 17 * 60_000) {
      const at = new Date(t);
      const sendAt = nextAllowedSendTime({ at, timeZone: "Europe/Paris", kind, country: "FR" });
      const local = wallTime(sendAt, "Europe/Paris");
      const hhmm = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
      expect(sendAt.getTime()).toBeGreaterThanOrEqual(t);
      expect(hhmm >= window.start && hhmm < window.end, `${at.toISOString()} → ${sendAt.toISOString()}`).toBe(true);
      expect(window.days).toContain(local.weekday);
      if (sendAt.getTime() !== t) expect(hhmm).toBe(window.start);
      expect(sendAt.getTime() - t).toBeLessThan(4 * 86_400_000);
    }
  });
});

describe("sendWindowFor / describeSendWindow", () => {
  it.each<[MessageKind, string | null, SendWindow]>([
    ["transactional", "FR", TRANSACTIONAL_WINDOW],
    ["marketing", "FR", FRENCH_MARKETING_WINDOW],
    ["marketing", "MQ", FRENCH_MARKETING_WINDOW],
    ["marketing", null, FRENCH_MARKETING_WINDOW],
    ["marketing", "BE", TRANSACTIONAL_WINDOW],
  ])("%s to %s", (kind, country, expected) => {
    expect(sendWindowFor(kind, country)).toEqual(expected);
  });

  it.each<[SendWindow, string]>([
    [FRENCH_MARKETING_WINDOW, "10:00–20:00 Mon–Sat, not on French public holidays"],
    [TRANSACTIONAL_WINDOW, "08:00–21:00 every day"],
    [{ ...TRANSACTIONAL_WINDOW, days: [3, 1] }, "08:00–21:00 Mon, Wed"],
    [{ ...TRANSACTIONAL_WINDOW, days: [6, 0, 1] }, "08:00–21:00 Mon, Sat, Sun"],
  ])("describes %j", (window, expected) => {
    expect(describeSendWindow(window)).toBe(expected);
  });
});
