/**
 * Quiet hours for proactive messages (DESIGN §8): the earliest instant, at or after the one asked,
 * when a message may reach the customer, in the customer's own time zone. A message outside its
 * window is deferred, never dropped. Everything is computed on instants through `~/lib/time-zone`,
 * so the answer is the same whatever the server's TZ and right across DST changes (the window opens
 * at 08:00 on the clocks of that day, not 24 h after yesterday's 08:00).
 *
 * Windows:
 * - transactional (reminders, thank-you, tracking): 08:00–21:00, every day;
 * - urgent transactional (see URGENT_TRANSACTIONAL_WINDOW): 07:00–22:00, every day;
 * - marketing to France: Monday–Saturday 10:00–20:00, never on a French public holiday;
 * - marketing elsewhere: the transactional window, until a country's own rule is written here;
 * - marketing to a customer whose country is unknown: the French rule, the strictest we know —
 *   deferring costs a few hours, a Sunday promotion to a French customer costs the shop's name.
 * A window's start is inclusive and its end exclusive: at 20:00 sharp, marketing waits.
 */
import { frenchPublicHoliday } from "./french-holidays";
import { atLocalTime, wallTime } from "~/lib/time-zone";

export type MessageKind = "transactional" | "marketing";

/** Day of the week as `Date#getUTCDay` counts it: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** When messages may go out, on the customer's local clock. */
export interface SendWindow {
  /** "HH:MM", inclusive. */
  start: string;
  /** "HH:MM", exclusive; later than `start` (no window across midnight). */
  end: string;
  /** Days on which the window opens. */
  days: readonly Weekday[];
  /** No sending at all on French public holidays. */
  closedOnFrenchPublicHolidays: boolean;
}

const EVERY_DAY: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];

export const TRANSACTIONAL_WINDOW: SendWindow = { start: "08:00", end: "21:00", days: EVERY_DAY, closedOnFrenchPublicHolidays: false };

/**
 * Urgent messages to a customer (a hold expiring today, a parcel out for delivery) may go out one
 * hour earlier and later than ordinary ones, but the night (22:00–07:00, the hours French law
 * protects from noise, "tapage nocturne") stays quiet: nothing a boutique sends is worth waking a
 * customer. Marketing is never urgent. Urgent alerts to the merchant are not customer messages and
 * do not go through here.
 */
export const URGENT_TRANSACTIONAL_WINDOW: SendWindow = { start: "07:00", end: "22:00", days: EVERY_DAY, closedOnFrenchPublicHolidays: false };

export const FRENCH_MARKETING_WINDOW: SendWindow = { start: "10:00", end: "20:00", days: [1, 2, 3, 4, 5, 6], closedOnFrenchPublicHolidays: true };

/** Metropolitan France and the overseas departments, where French law applies in full (ISO 3166-1 alpha-2). */
const FRENCH_COUNTRIES = new Set(["FR", "GP", "MQ", "GF", "RE", "YT"]);

/** The default window for a kind of message to a customer in `country` (ISO 3166-1 alpha-2, or null when unknown). */
export function sendWindowFor(kind: MessageKind, country: string | null): SendWindow {
  if (kind === "transactional") return TRANSACTIONAL_WINDOW;
  if (country === null || FRENCH_COUNTRIES.has(country.toUpperCase())) return FRENCH_MARKETING_WINDOW;
  return TRANSACTIONAL_WINDOW;
}

export interface SendTimeInput {
  /** The earliest the message may go (usually max(now, due time)). */
  at: Date;
  /** The customer's IANA time zone ("Europe/Paris"). */
  timeZone: string;
  kind: MessageKind;
  country: string | null;
  /** Replaces parts of the default window for `kind` and `country` (shop settings, urgent messages). */
  window?: Partial<SendWindow>;
}

export interface SendTimePlan {
  /** The earliest allowed instant ≥ `at`. */
  sendAt: Date;
  /** The window that was applied. */
  window: SendWindow;
  /** Null when `at` itself is allowed; else why and until when, in words, in English. */
  deferral: string | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** More than enough to get past a closed week plus holidays, even for a one-day-a-week window. */
const MAX_DAYS_AHEAD = 60;

function assertValid(window: SendWindow): void {
  if (!HHMM.test(window.start) || !HHMM.test(window.end) || window.start >= window.end) {
    throw new RangeError(`send window must be HH:MM–HH:MM within one day, got ${window.start}–${window.end}`);
  }
  if (window.days.length === 0) throw new RangeError("send window has no day");
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "Monday 2026-03-30 08:00" on `timeZone`'s clocks. */
export function formatLocalTime(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${DAY_NAMES[w.weekday]} ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** "10:00–20:00 Mon–Sat, not on French public holidays". */
export function describeSendWindow(window: SendWindow): string {
  const mondayFirst = [...new Set(window.days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  const short = (d: Weekday) => DAY_NAMES[d].slice(0, 3);
  const first = mondayFirst[0];
  const last = mondayFirst[mondayFirst.length - 1];
  const contiguous = first !== undefined && last !== undefined && ((last - first + 7) % 7) + 1 === mondayFirst.length;
  const days =
    mondayFirst.length === 7 ? "every day" : contiguous && mondayFirst.length > 2 ? `${short(first)}–${short(last)}` : mondayFirst.map(short).join(", ");
  return `${window.start}–${window.end} ${days}${window.closedOnFrenchPublicHolidays ? ", not on French public holidays" : ""}`;
}

/** Why nothing may be sent on this local date (a UTC midnight standing for it), or null. */
function closedDay(date: Date, window: SendWindow): string | null {
  const iso = date.toISOString().slice(0, 10);
  const weekday = date.getUTCDay() as Weekday;
  if (!window.days.includes(weekday)) return `${DAY_NAMES[weekday]} ${iso} is not a sending day`;
  const holiday = window.closedOnFrenchPublicHolidays ? frenchPublicHoliday(iso) : null;
  return holiday ? `${DAY_NAMES[weekday]} ${iso} is a French public holiday (${holiday.name})` : null;
}

/** The earliest allowed instant at or after `at`, with the window applied and why it moved. */
export function planSendTime(input: SendTimeInput): SendTimePlan {
  const { at, timeZone } = input;
  const window: SendWindow = { ...sendWindowFor(input.kind, input.country), ...input.window };
  assertValid(window);
  const today = wallTime(at, timeZone);
  const why: string[] = [];
  for (let d = 0; d <= MAX_DAYS_AHEAD; d++) {
    const closed = closedDay(new Date(Date.UTC(today.year, today.month - 1, today.day + d)), window);
    if (closed) {
      why.push(closed);
      continue;
    }
    const opens = atLocalTime(at, timeZone, d, window.start);
    if (d === 0) {
      const closes = atLocalTime(at, timeZone, 0, window.end);
      if (at.getTime() >= closes.getTime()) {
        why.push(`${pad(today.hour)}:${pad(today.minute)} is after ${window.end}`);
        continue;
      }
      if (at.getTime() >= opens.getTime()) return { sendAt: at, window, deferral: null };
      why.push(`${pad(today.hour)}:${pad(today.minute)} is before ${window.start}`);
    }
    const deferral = `deferred to ${formatLocalTime(opens, timeZone)} (${timeZone}): ${why.join("; ")}; ${input.kind} messages go out ${describeSendWindow(window)}`;
    return { sendAt: opens, window, deferral };
  }
  throw new RangeError(`no allowed send time within ${MAX_DAYS_AHEAD} days of ${at.toISOString()}`);
}

/** The earliest instant ≥ `at` when the message may go out (see `planSendTime` for the why). */
export function nextAllowedSendTime(input: SendTimeInput): Date {
  return planSendTime(input).sendAt;
}
