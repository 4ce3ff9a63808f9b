/**
 * A shop's own settings (tone, contact, policies). Stored on the shop row; edited in the admin
 * later (Settings page). Validated with zod at every boundary.
 */
import { z } from "zod";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");
const dayHours = z.tuple([hhmm, hhmm]).nullable();

const automationLevel = z.enum(["auto", "suggest", "off"]);

export const shopSettingsSchema = z.object({
  /** ISO 4217, from Shopify's shop (prices in replies). */
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  tone: z.object({
    /** French address form: "tu" (familiar) or "vous" (formal). English ignores it. */
    address: z.enum(["tu", "vous"]),
    emoji: z.boolean(),
    signature: z.string().max(80).nullable(),
  }),
  contact: z.object({
    phone: z.string().nullable(),
    email: z.string().email().nullable(),
    address: z.string().nullable(),
  }),
  openingHours: z
    .object({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours })
    .nullable(),
  policies: z.object({
    returnWindowDays: z.number().int().min(0).max(365),
    /** When a hold ends: "next-day HH:MM" or "+Nh". */
    holdUntil: z.string().regex(/^(next-day ([01]\d|2[0-3]):[0-5]\d|\+\d{1,3}h)$/),
    // At most 8: a hold's draft order is read with its first 8 lines (documents-holds.ts, cost limit).
    maxItemsPerCustomer: z.number().int().min(1).max(8),
    /** What an exchange costs the customer: in the shop, and by post (the return postage). */
    exchangeFees: z.object({ store: z.number().min(0), post: z.number().min(0) }).optional(),
    /** An order this many days after an AI reply is attributed to the AI. */
    attributionWindowDays: z.number().int().min(0).max(90).optional(),
  }),
  /**
   * Per intent: "auto" answers and acts, "suggest" prepares the reply for the merchant to send,
   * "off" hands the message to the merchant untouched. Missing intents are "auto".
   */
  automation: z.record(automationLevel).optional(),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

/** What a shop starts with when it installs the app, before the merchant changes anything. */
export function defaultShopSettings(shop: { name: string; email?: string | null; phone?: string | null }): ShopSettings {
  return {
    tone: { address: "vous", emoji: false, signature: shop.name },
    contact: { phone: shop.phone ?? null, email: shop.email ?? null, address: null },
    openingHours: null,
    policies: { returnWindowDays: 30, holdUntil: "next-day 18:00", maxItemsPerCustomer: 3 },
  };
}
