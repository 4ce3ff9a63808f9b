import { describe, expect, it } from "vitest";
import { easterSunday, frenchPublicHoliday, frenchPublicHolidays, isFrenchPublicHoliday } from "./french-holidays";

const day = (d: Date) => d.toISOString().slice(0, 10);

describe("easterSunday", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2038, "2038-04-25"], // the latest possible date
    [2285, "2285-03-22"], // the earliest possible date
  ])("%i → %s", (year, expected) => {
    expect(day(easterSunday(year))).toBe(expected);
  });
});

describe("frenchPublicHolidays", () => {
  it("2026: Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May, and the fixed days", () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { date: "2026-01-01", name: "Jour de l'an" },
      { date: "2026-04-06", name: "Lundi de Pâques" },
      { date: "2026-05-01", name: "Fête du Travail" },
      { date: "2026-05-08", name: "Victoire 1945" },
      { date: "2026-05-14", name: "Ascension" },
      { date: "2026-05-25", name: "Lundi de Pentecôte" },
      { date: "2026-07-14", name: "Fête nationale" },
      { date: "2026-08-15", name: "Assomption" },
      { date: "2026-11-01", name: "Toussaint" },
      { date: "2026-11-11", name: "Armistice 1918" },
      { date: "2026-12-25", name: "Noël" },
    ]);
  });

  it("2027: Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May", () => {
    expect(frenchPublicHolidays(2027).map((h) => h.date)).toEqual([
      "2027-01-01",
      "2027-03-29",
      "2027-05-01",
      "2027-05-06",
      "2027-05-08",
      "2027-05-17",
      "2027-07-14",
      "2027-08-15",
      "2027-11-01",
      "2027-11-11",
      "2027-12-25",
    ]);
  });
});

describe("isFrenchPublicHoliday", () => {
  it.each([
    ["2026-04-06", true],
    ["2026-04-05", false], // Easter Sunday is a Sunday, not a holiday of its own
    ["2026-04-07", false],
    ["2026-05-14", true],
    ["2026-05-25", true],
    ["2026-07-14", true],
    ["2026-12-26", false], // Alsace-Moselle only
    ["2027-03-29", true],
    ["2027-04-06", false], // 2026's Easter Monday is not 2027's
    ["2027-05-06", true],
    ["2027-05-17", true],
    ["2027-11-11", true],
  ])("%s → %s", (date, expected) => {
    expect(isFrenchPublicHoliday(date)).toBe(expected);
  });

  it("names the holiday", () => {
    expect(frenchPublicHoliday("2027-03-29")?.name).toBe("Lundi de Pâques");
    expect(frenchPublicHoliday("2027-03-30")).toBeNull();
  });

  it.each(["2026-4-6", "06/04/2026", "2026-04-06T00:00:00Z", ""])("refuses %j", (bad) => {
    expect(() => isFrenchPublicHoliday(bad)).toThrow(RangeError);
  });
});
