/**
 * Settings of the built-in CRM. Nothing is required: a shop that never opens the settings gets the
 * documented defaults. The segment thresholds are the shop-overridable part (`segmentFor`).
 */
import { z } from "zod";

/** Defaults of the VIP / active / prospect segments (see `segments.ts`). */
export const DEFAULT_SEGMENT_THRESHOLDS = {
  /** Lifetime spend, in the shop's currency, from which a customer is VIP (500 € for the reference boutique). */
  vipMinAmountSpent: 500,
  /** A customer tag (Shopify or built-in CRM, any case) that makes a customer VIP whatever the spend. */
  vipTags: ["VIP"],
  /** A customer who ordered within this many days is active. */
  activeWithinDays: 180,
} as const;

export const segmentThresholdsSchema = z.object({
  vipMinAmountSpent: z
    .number({ invalid_type_error: "vipMinAmountSpent must be a number (an amount in the shop's currency)" })
    .finite()
    .nonnegative("vipMinAmountSpent cannot be negative")
    .default(DEFAULT_SEGMENT_THRESHOLDS.vipMinAmountSpent),
  vipTags: z
    .array(z.string().trim().min(1, "a VIP tag cannot be empty"))
    .max(20, "at most 20 VIP tags")
    .default([...DEFAULT_SEGMENT_THRESHOLDS.vipTags]),
  activeWithinDays: z
    .number({ invalid_type_error: "activeWithinDays must be a whole number of days" })
    .int("activeWithinDays must be a whole number of days")
    .min(1, "activeWithinDays must be at least 1")
    .max(3650, "activeWithinDays must be at most 3650 (ten years)")
    .default(DEFAULT_SEGMENT_THRESHOLDS.activeWithinDays),
});

export const nativeCrmConfigSchema = z
  .object({
    segments: segmentThresholdsSchema.default({}),
  })
  .strict();

export type SegmentThresholds = z.output<typeof segmentThresholdsSchema>;
export type NativeCrmConfig = z.output<typeof nativeCrmConfigSchema>;
export type NativeCrmConfigInput = z.input<typeof nativeCrmConfigSchema>;
