import { describe, expect, it } from "vitest";
import { formatDate, formatMoment, formatNearDay, formatWeekHours, nextOpening, toInstant, until, untilDay, type DateContext } from "./dates";
import { demoHours } from "./test-support";

const paris = (language: "fr" | "en", now: string | null = "2026-01-12T09:15:00.000Z"): DateContext => ({ timeZone: "Europe/Paris", language, now: now ? new Date(now) : null });
const tuesday18h = new Date("2026-01-13T17:00:00.000Z");

describe("dates in the shop's time zone and the customer's language", () => {
  it("says a hold's end relative to now when it knows now", () => {
    expect(until(tuesday18h, paris("fr"))).toBe("jusqu'à demain 18h");
    expect(until(tuesday18h, paris("en"))).toBe("until tomorrow at 6 pm");
    expect(until(new Date("2026-01-12T17:00:00.000Z"), paris("fr"))).toBe("jusqu'à ce soir 18h");
    expect(until(new Date("2026-01-12T17:00:00.000Z"), paris("en"))).toBe("until today at 6 pm");
  });

  it("says the full date when it does not know now, or when the day is further", () => {
    expect(until(tuesday18h, paris("fr", null))).toBe("jusqu'au mardi 13 janvier à 18h");
    expect(until(tuesday18h, paris("en", null))).toBe("until Tuesday 13 January at 6 pm");
    expect(formatMoment(new Date("2026-01-16T11:30:00.000Z"), paris("fr"))).toBe("vendredi 16 janvier à 12h30");
    expect(formatMoment(new Date("2026-01-16T11:30:00.000Z"), paris("en"))).toBe("Friday 16 January at 12:30 pm");
    expect(formatDate(new Date("2026-02-01T12:00:00.000Z"), paris("fr"))).toBe("dimanche 1er février");
    expect(formatDate(new Date("2027-02-01T12:00:00.000Z"), paris("en"))).toBe("Monday 1 February 2027");
  });

  it("uses the shop's zone, not the server's: the same instant is Wednesday 6 am in Auckland", () => {
    const auckland: DateContext = { timeZone: "Pacific/Auckland", language: "fr", now: null };
    expect(formatMoment(tuesday18h, auckland)).toBe("mercredi 14 janvier à 6h");
    expect(formatMoment(tuesday18h, { ...auckland, language: "en" })).toBe("Wednesday 14 January at 6 am");
  });

  it("handles the change to summer time (Paris, 29 March 2026)", () => {
    // 18:00 on Sunday 29 March is 16:00 UTC (UTC+2), the day before it was 17:00 UTC.
    expect(formatMoment(new Date("2026-03-29T16:00:00.000Z"), paris("fr", null))).toBe("dimanche 29 mars à 18h");
    expect(formatMoment(new Date("2026-03-28T17:00:00.000Z"), paris("fr", null))).toBe("samedi 28 mars à 18h");
  });

  it("reads a date without time as the shop's midnight and a date-time without offset as UTC", () => {
    expect(toInstant("2026-02-08", "Europe/Paris")?.toISOString()).toBe("2026-02-07T23:00:00.000Z");
    expect(toInstant("2026-02-08T10:00:00")?.toISOString()).toBe("2026-02-08T10:00:00.000Z");
    expect(toInstant("not a date")).toBeNull();
    expect(untilDay(toInstant("2026-02-08", "Europe/Paris") as Date, paris("fr"))).toBe("jusqu'au dimanche 8 février");
  });

  it("says a near day the short way", () => {
    const saturday = new Date("2026-01-17T14:00:00.000Z");
    expect(formatNearDay(saturday, paris("fr"))).toBe("samedi");
    expect(formatNearDay(saturday, paris("en"))).toBe("on Saturday");
    expect(formatNearDay(saturday, paris("fr", "2026-01-16T09:00:00.000Z"))).toBe("demain");
    expect(formatNearDay(saturday, paris("fr", null))).toBe("samedi 17 janvier");
  });
});

describe("opening hours", () => {
  it("summarises the week, closed days included", () => {
    expect(formatWeekHours(demoHours, "fr")).toBe("ouverte du lundi au samedi de 10h à 19h, fermée le dimanche");
    expect(formatWeekHours(demoHours, "en")).toBe("open Monday to Saturday from 10 am to 7 pm, closed on Sunday");
    const split = { ...demoHours, sat: ["10:00", "18:30"] as [string, string], mon: null };
    expect(formatWeekHours(split, "fr")).toBe("ouverte du mardi au vendredi de 10h à 19h et le samedi de 10h à 18h30, fermée le lundi et le dimanche");
  });

  it("gives the next opening after a closed day", () => {
    expect(nextOpening(demoHours, "sun", "fr")).toBe("lundi à 10h");
    expect(nextOpening(demoHours, "sat", "en")).toBe("on Monday at 10 am");
    expect(nextOpening({ ...demoHours, mon: null }, "sun", "fr")).toBe("mardi à 10h");
  });
});
