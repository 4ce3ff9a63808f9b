/**
 * French public holidays (jours fériés, Code du travail art. L3133-1), computed for any year: the
 * eight fixed dates plus the three that follow Easter. Marketing messages are never sent on them
 * (DESIGN §8). Dates are local calendar dates ("YYYY-MM-DD"); which day it is for a customer is the
 * caller's business (see quiet-hours.ts).
 *
 * Not covered: the extra days of Alsace-Moselle (Good Friday, 26 December) and of the overseas
 * departments (abolition of slavery), which are local, not national.
 */

export interface FrenchPublicHoliday {
  /** Local calendar date, "YYYY-MM-DD". */
  date: string;
  /** French name, as shown to a French merchant. */
  name: string;
}

const FIXED: ReadonlyArray<readonly [month: number, day: number, name: string]> = [
  [1, 1, "Jour de l'an"],
  [5, 1, "Fête du Travail"],
  [5, 8, "Victoire 1945"],
  [7, 14, "Fête nationale"],
  [8, 15, "Assomption"],
  [11, 1, "Toussaint"],
  [11, 11, "Armistice 1918"],
  [12, 25, "Noël"],
];

/** Days after Easter Sunday. */
const AFTER_EASTER: ReadonlyArray<readonly [days: number, name: string]> = [
  [1, "Lundi de Pâques"],
  [39, "Ascension"],
  [50, "Lundi de Pentecôte"],
];

function isoDate(utcMidnight: Date): string {
  return utcMidnight.toISOString().slice(0, 10);
}

/**
 * Easter Sunday of a Gregorian year, as a UTC midnight (a calendar date, not an instant), by the
 * anonymous Gregorian algorithm (Meeus/Jones/Butcher).
 */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

/** The eleven holidays of `year`, in calendar order. */
export function frenchPublicHolidays(year: number): FrenchPublicHoliday[] {
  const easter = easterSunday(year);
  const fixed = FIXED.map(([month, day, name]) => ({ date: isoDate(new Date(Date.UTC(year, month - 1, day))), name }));
  const moving = AFTER_EASTER.map(([days, name]) => ({ date: isoDate(new Date(easter.getTime() + days * 86_400_000)), name }));
  return [...fixed, ...moving].sort((x, y) => x.date.localeCompare(y.date));
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The holiday on `localDate` ("YYYY-MM-DD"), or null on an ordinary day. Throws on a malformed date. */
export function frenchPublicHoliday(localDate: string): FrenchPublicHoliday | null {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${localDate}"`);
  return frenchPublicHolidays(Number(match[1])).find((h) => h.date === localDate) ?? null;
}

export function isFrenchPublicHoliday(localDate: string): boolean {
  return frenchPublicHoliday(localDate) !== null;
}
