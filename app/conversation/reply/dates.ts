/**
 * Dates and times as a reply says them: in the shop's time zone (never the server's: tests run
 * under Europe/Paris and Pacific/Auckland) and in the customer's language — "demain 18h",
 * "mardi 13 janvier à 18h", "tomorrow at 6 pm", "Tuesday 13 January at 6 pm". Relative words
 * ("aujourd'hui", "demain") are used only when the caller gives the current time.
 * Hand-written rather than Intl: ICU versions disagree on French hours ("18:00", "18 h").
 */
import { wallTime, zonedTimeToUtc } from "~/lib/time-zone";
import type { Language } from "../contracts";
import { joinList } from "./format";

/** Weekday keys of `ReplyFacts.store.hours`, indexed like `Date.getUTCDay()` (0 = Sunday). */
export const WEEKDAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export const WEEKDAY_NAMES: Record<Language, readonly string[]> = {
  fr: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

export const MONTH_NAMES: Record<Language, readonly string[]> = {
  fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

export interface DateContext {
  timeZone: string;
  language: Language;
  /** The message's time; without it dates are absolute ("mardi 13 janvier"). */
  now: Date | null;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

/**
 * An ISO 8601 string or a Date as an instant; null when it is not one. Never the process's time
 * zone: a date without a time ("2026-02-08") is that day's midnight in `timeZone`, a date-time
 * without an offset is read as UTC.
 */
export function toInstant(value: string | Date | null | undefined, timeZone = "UTC"): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const text = value.trim();
  const dateOnly = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (dateOnly) return zonedTimeToUtc({ year: Number(dateOnly[1]), month: Number(dateOnly[2]), day: Number(dateOnly[3]), hour: 0, minute: 0 }, timeZone);
  const date = new Date(/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function local(instant: Date, timeZone: string): LocalDateTime {
  const w = wallTime(instant, timeZone);
  return { year: w.year, month: w.month, day: w.day, weekday: w.weekday, hour: w.hour, minute: w.minute };
}

/** Days since the epoch of a calendar date: differences are whole days whatever the DST. */
export function dayNumber(d: { year: number; month: number; day: number }): number {
  return Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
}

/** "18h", "18h30" / "6 pm", "6:30 pm", "12 pm". */
export function formatClock(hour: number, minute: number, language: Language): string {
  const mm = String(minute).padStart(2, "0");
  if (language === "fr") return minute === 0 ? `${hour}h` : `${hour}h${mm}`;
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${h12}${minute === 0 ? "" : `:${mm}`} ${hour < 12 ? "am" : "pm"}`;
}

/** "10:00" (a shop setting) → "10h" / "10 am". */
export function formatHhmm(hhmm: string, language: Language): string {
  const [h, m] = hhmm.split(":").map(Number);
  return formatClock(h ?? 0, m ?? 0, language);
}

/** "mardi 13 janvier", "samedi 1er février" / "Tuesday 13 January" (+ the year when it is not this one). */
export function formatDate(instant: Date, ctx: DateContext): string {
  const d = local(instant, ctx.timeZone);
  const weekday = WEEKDAY_NAMES[ctx.language][d.weekday] ?? "";
  const month = MONTH_NAMES[ctx.language][d.month - 1] ?? "";
  const year = ctx.now && local(ctx.now, ctx.timeZone).year !== d.year ? ` ${d.year}` : "";
  const day = ctx.language === "fr" && d.day === 1 ? "1er" : String(d.day);
  return `${weekday} ${day} ${month}${year}`;
}

/** Whole days from today to `instant`'s day, in the shop's calendar; null without a current time. */
export function daysFromNow(instant: Date, ctx: DateContext): number | null {
  if (!ctx.now) return null;
  return dayNumber(local(instant, ctx.timeZone)) - dayNumber(local(ctx.now, ctx.timeZone));
}

const RELATIVE_DAY: Record<Language, Record<number, string>> = {
  fr: { [-1]: "hier", 0: "aujourd'hui", 1: "demain" },
  en: { [-1]: "yesterday", 0: "today", 1: "tomorrow" },
};

/** "demain" / "aujourd'hui" / "hier" when the current time is known, else "mardi 13 janvier". */
export function formatDay(instant: Date, ctx: DateContext): { text: string; relative: boolean } {
  const offset = daysFromNow(instant, ctx);
  const word = offset === null ? undefined : RELATIVE_DAY[ctx.language][offset];
  return word ? { text: word, relative: true } : { text: formatDate(instant, ctx), relative: false };
}

/** Whether the local time is exactly midnight: a date without a time of day. */
function isMidnight(instant: Date, timeZone: string): boolean {
  const d = local(instant, timeZone);
  return d.hour === 0 && d.minute === 0;
}

/**
 * A moment: "demain 18h", "ce soir 18h", "mardi 13 janvier à 18h" / "tomorrow at 6 pm",
 * "today at 6 pm", "Tuesday 13 January at 6 pm". The time is left out at local midnight.
 */
export function formatMoment(instant: Date, ctx: DateContext): string {
  const d = local(instant, ctx.timeZone);
  const time = formatClock(d.hour, d.minute, ctx.language);
  const day = formatDay(instant, ctx);
  if (isMidnight(instant, ctx.timeZone)) return day.text;
  if (ctx.language === "fr") {
    if (day.relative && daysFromNow(instant, ctx) === 0) return `${d.hour >= 17 ? "ce soir" : d.hour < 12 ? "ce matin" : "aujourd'hui"} ${time}`;
    return day.relative ? `${day.text} ${time}` : `${day.text} à ${time}`;
  }
  return `${day.text} at ${time}`;
}

/** "jusqu'à demain 18h", "jusqu'au mardi 13 janvier à 18h" / "until tomorrow at 6 pm". */
export function until(instant: Date, ctx: DateContext): string {
  const moment = formatMoment(instant, ctx);
  if (ctx.language === "en") return `until ${moment}`;
  return formatDay(instant, ctx).relative ? `jusqu'à ${moment}` : `jusqu'au ${moment}`;
}

/** "jusqu'à demain", "jusqu'au dimanche 8 février" / "until Sunday 8 February" (a day, no time). */
export function untilDay(instant: Date, ctx: DateContext): string {
  const day = formatDay(instant, ctx);
  if (ctx.language === "en") return `until ${day.text}`;
  return day.relative ? `jusqu'à ${day.text}` : `jusqu'au ${day.text}`;
}

/**
 * A day close to now said the short way: "demain", "samedi" (within the week), else the full date.
 * English adds its preposition: "tomorrow", "on Saturday", "on Saturday 17 January".
 */
export function formatNearDay(instant: Date, ctx: DateContext): string {
  const offset = daysFromNow(instant, ctx);
  const day = formatDay(instant, ctx);
  if (day.relative) return day.text;
  const text = offset !== null && offset >= 2 && offset <= 6 ? (WEEKDAY_NAMES[ctx.language][local(instant, ctx.timeZone).weekday] ?? day.text) : day.text;
  return ctx.language === "en" ? `on ${text}` : text;
}

/** The local clock time alone: "16h" / "4 pm". */
export function formatTimeOf(instant: Date, ctx: DateContext): string {
  const d = local(instant, ctx.timeZone);
  return formatClock(d.hour, d.minute, ctx.language);
}

/** The weekday key of an instant in the shop's calendar. */
export function weekdayKey(instant: Date, timeZone: string): WeekdayKey {
  return WEEKDAY_KEYS[local(instant, timeZone).weekday] ?? "mon";
}

// ───────────────────────────── opening hours ─────────────────────────────

export type OpeningHours = Record<WeekdayKey, [string, string] | null>;

/** Monday first, as shops write their hours. */
const WEEK_ORDER: readonly WeekdayKey[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function dayName(key: WeekdayKey, language: Language): string {
  return WEEKDAY_NAMES[language][WEEKDAY_KEYS.indexOf(key)] ?? key;
}

/** "de 10h à 19h" / "from 10 am to 7 pm". */
export function formatRange(range: [string, string], language: Language): string {
  const [open, close] = range;
  return language === "fr" ? `de ${formatHhmm(open, "fr")} à ${formatHhmm(close, "fr")}` : `from ${formatHhmm(open, "en")} to ${formatHhmm(close, "en")}`;
}

/** Runs of consecutive days with the same hours, Monday first. */
function runs(hours: OpeningHours): Array<{ days: WeekdayKey[]; range: [string, string] | null }> {
  const out: Array<{ days: WeekdayKey[]; range: [string, string] | null }> = [];
  for (const key of WEEK_ORDER) {
    const range = hours[key] ?? null;
    const last = out[out.length - 1];
    if (last && JSON.stringify(last.range) === JSON.stringify(range)) last.days.push(key);
    else out.push({ days: [key], range });
  }
  return out;
}

function dayRun(days: WeekdayKey[], language: Language): string {
  const first = dayName(days[0] ?? "mon", language);
  const last = dayName(days[days.length - 1] ?? "mon", language);
  if (days.length === 1) return language === "fr" ? `le ${first}` : first;
  if (days.length === 2) return language === "fr" ? `le ${first} et le ${last}` : `${first} and ${last}`;
  return language === "fr" ? `du ${first} au ${last}` : `${first} to ${last}`;
}

/**
 * The week's hours in one sentence part: "ouverte du lundi au samedi de 10h à 19h, fermée le
 * dimanche" / "open Monday to Saturday from 10 am to 7 pm, closed on Sunday".
 */
export function formatWeekHours(hours: OpeningHours, language: Language): string {
  const all = runs(hours);
  const open = openRuns(hours, language);
  const closedDays = all.filter((r) => !r.range).flatMap((r) => r.days);
  const closed = closedDays.map((k) => (language === "fr" ? `le ${dayName(k, "fr")}` : dayName(k, "en")));
  if (language === "fr") {
    const parts = [open.length ? `ouverte ${joinList(open, "fr")}` : "", closed.length ? `fermée ${joinList(closed, "fr")}` : ""].filter(Boolean);
    return parts.join(", ");
  }
  const parts = [open.length ? `open ${joinList(open, "en")}` : "", closed.length ? `closed on ${joinList(closed, "en")}` : ""].filter(Boolean);
  return parts.join(", ");
}

function openRuns(hours: OpeningHours, language: Language): string[] {
  return runs(hours)
    .filter((r) => r.range)
    .map((r) => `${dayRun(r.days, language)} ${formatRange(r.range as [string, string], language)}`);
}

/** Only the open days: "du lundi au samedi de 10h à 19h" / "Monday to Saturday from 10 am to 7 pm". */
export function formatOpenHours(hours: OpeningHours, language: Language): string {
  return joinList(openRuns(hours, language), language);
}

/** The first open day after `key` (not `key` itself), with its opening time. */
export function nextOpening(hours: OpeningHours, key: WeekdayKey, language: Language): string | null {
  const start = WEEKDAY_KEYS.indexOf(key);
  for (let i = 1; i <= 7; i++) {
    const next = WEEKDAY_KEYS[(start + i) % 7] ?? "mon";
    const range = hours[next];
    if (range) return language === "fr" ? `${dayName(next, "fr")} à ${formatHhmm(range[0], "fr")}` : `on ${dayName(next, "en")} at ${formatHhmm(range[0], "en")}`;
  }
  return null;
}
