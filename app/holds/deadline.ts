/**
 * When a hold ends, from the shop's policy: "next-day HH:MM" (the day after it was placed, at that
 * time in the shop's time zone) or "+Nh" (N hours later).
 */
import { atLocalTime } from "~/lib/time-zone";

export function holdDeadline(policy: string, placedAt: Date, timeZone: string): Date {
  const nextDay = policy.match(/^next-day (\d{2}:\d{2})$/);
  if (nextDay?.[1]) return atLocalTime(placedAt, timeZone, 1, nextDay[1]);
  const hours = policy.match(/^\+(\d{1,3})h$/);
  if (hours?.[1]) return new Date(placedAt.getTime() + Number(hours[1]) * 3600_000);
  throw new Error(`unknown hold policy "${policy}" (expected "next-day HH:MM" or "+Nh")`);
}
