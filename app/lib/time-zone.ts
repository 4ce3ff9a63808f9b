/**
 * Wall-clock times in a shop's time zone, with no dependency on the process's TZ: "tomorrow 18:00
 * in Paris" is the same instant whether the server runs in UTC or Auckland (tests run under both).
 */

interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `instant` in `timeZone`. */
export function wallTime(instant: Date, timeZone: string): WallTime & { second: number; weekday: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  const w = { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
  return { ...w, weekday: new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() };
}

/** The instant at which `timeZone`'s clocks show `wall` (the later one in a DST fold, shifted forward in a gap). */
export function zonedTimeToUtc(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const w = wallTime(new Date(guess), timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const diff = asUtc - shown;
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

/** `days` calendar days after `instant`'s date in `timeZone`, at `hh:mm` there. */
export function atLocalTime(instant: Date, timeZone: string, days: number, hhmm: string): Date {
  const [hour, minute] = hhmm.split(":").map(Number);
  const w = wallTime(instant, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return zonedTimeToUtc({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: hour ?? 0, minute: minute ?? 0 }, timeZone);
}
