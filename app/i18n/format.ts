/**
 * Dates as the merchant reads them, in the shop's time zone whatever the server's or browser's:
 * "demain 18:00", "today 09:12", "lun. 19 janv. 18:00". `now` comes from the loader (the app's
 * clock), never from the browser, so the server and the page render the same text.
 */
import { wallTime } from "~/lib/time-zone";
import { intlLocale, type Locale, type Translate } from "./index";

export interface WhenFormatting {
  t: Translate;
  locale: Locale;
  timeZone: string;
  now: string | Date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "18:00" in `timeZone`. */
export function formatClock(iso: string | Date, timeZone: string): string {
  const w = wallTime(new Date(iso), timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Today / tomorrow / yesterday and the time, else the short date and the time. */
export function formatWhen(iso: string | Date, f: WhenFormatting): string {
  const at = new Date(iso);
  const w = wallTime(at, f.timeZone);
  const n = wallTime(new Date(f.now), f.timeZone);
  const days = Math.round((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(n.year, n.month - 1, n.day)) / 86_400_000);
  const time = formatClock(at, f.timeZone);
  if (days === 0) return f.t("time.today", { time });
  if (days === 1) return f.t("time.tomorrow", { time });
  if (days === -1) return f.t("time.yesterday", { time });
  const date = new Intl.DateTimeFormat(intlLocale(f.locale), {
    timeZone: f.timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(w.year === n.year ? {} : { year: "numeric" }),
  }).format(at);
  return f.t("time.onDate", { date, time });
}

/** A date and time in full ("12 Jan 2026, 10:15"), as the home page lists messages. */
export function formatDateTime(iso: string | Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** An amount in its currency as the admin's language writes it ("720,00 €", "€720.00"). */
export function formatMoney(money: { amount: string; currency: string }, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency: money.currency }).format(Number(money.amount));
}

/** A day in full in the shop's time zone ("6 janv. 2026"). */
export function formatDate(iso: string | Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone, dateStyle: "medium" }).format(new Date(iso));
}
