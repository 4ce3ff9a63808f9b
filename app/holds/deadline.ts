/**
 * When a hold ends, from the shop's policy: "next-day HH:MM" (the next day the shop is open after
 * the one it was placed on, at that time in the shop's time zone) or "+Nh" (N hours later).
 */
import { atLocalTime, wallTime } from "~/lib/time-zone";

type Day = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
const DAYS: Day[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
export type OpeningHours = Record<Day, [string, string] | null> | null;

export function holdDeadline(policy: string, placedAt: Date, timeZone: string, openingHours: OpeningHours = null): Date {
  const nextDay = policy.match(/^next-day (\d{2}:\d{2})$/);
  if (nextDay?.[1]) {
    // A hold ending on a day the shop is closed could never be picked up: move to the next open day.
    for (let days = 1; days <= 7; days++) {
      const at = atLocalTime(placedAt, timeZone, days, nextDay[1]);
      const day = DAYS[wallTime(at, timeZone).weekday];
      if (!openingHours || (day && openingHours[day])) return at;
    }
    return atLocalTime(placedAt, timeZone, 1, nextDay[1]);
  }
  const hours = policy.match(/^\+(\d{1,3})h$/);
  if (hours?.[1]) return new Date(placedAt.getTime() + Number(hours[1]) * 3600_000);
  throw new Error(`unknown hold policy "${policy}" (expected "next-day HH:MM" or "+Nh")`);
}
