/**
 * A date-and-time field's value (`<input type="datetime-local">`: "2026-01-14T18:00") read as a
 * wall time in the shop's time zone, whatever the browser's or the server's: Sarah types the shop's
 * hours, and tests run under more than one TZ.
 */
import { wallTime, zonedTimeToUtc } from "./time-zone";

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, "0");

/** The instant the field names in `timeZone`, or null when it is not a real date and time. */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  // Reject what Date.UTC would roll over ("2026-02-30" → 2 March).
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return zonedTimeToUtc({ year, month, day, hour, minute }, timeZone);
}

/** The field's value for `instant` in `timeZone`. */
export function toLocalDateTime(instant: Date | string, timeZone: string): string {
  const w = wallTime(new Date(instant), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
