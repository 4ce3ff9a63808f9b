/**
 * A shop's own settings (tone, contact, policies). Stored on the shop row; edited in the admin
 * later (Settings page). Validated with zod at every boundary.
 */
import { z } from "zod";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");
const dayHours = z.tuple([hhmm, hhmm]).nullable();

const automationLevel = z.enum(["auto", "suggest", "off"]);

const sendWindow = z
  .object({
    start: hhmm,
    end: hhmm,
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)])).min(1),
    closedOnFrenchPublicHolidays: z.boolean(),
  })
  .partial()
  .refine((w) => !w.start || !w.end || w.start < w.end, "the window must start before it ends");

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
  /**
   * The languages the AI answers in, the main one first: a customer writing in another gets the
   * first. Unset: every language the engine speaks (French and English).
   */
  languages: z
    .array(z.enum(["fr", "en"]))
    .min(1)
    .refine((list) => new Set(list).size === list.length, "a language is listed twice")
    .optional(),
  /**
   * The shop's own wording of templates, checked when saved (app/conversation/reply/overrides.ts,
   * app/messaging/templates/overrides.ts): replies by `[templateId][language]`, proactive
   * messages by `[templateId][language][channel]`.
   */
  templates: z
    .object({
      reply: z.record(z.record(z.string())).optional(),
      proactive: z.record(z.record(z.record(z.string()))).optional(),
    })
    .optional(),
  /** Proactive messages (app/messaging): quiet hours, costs, approved WhatsApp templates. */
  messaging: z
    .object({
      /** Overrides of the default send windows (quiet-hours.ts); unset: the defaults. */
      sendWindows: z
        .object({
          transactional: sendWindow.optional(),
          urgentTransactional: sendWindow.optional(),
          marketing: sendWindow.optional(),
        })
        .optional(),
      /** What one message costs the shop, in euros (estimates before a broadcast, channel choice). */
      costs: z
        .object({ smsSegment: z.number().min(0), whatsappTemplate: z.number().min(0), whatsappInWindow: z.number().min(0), email: z.number().min(0) })
        .partial()
        .optional(),
      /**
       * WhatsApp templates approved by Meta, per purpose and language: `name` is the Twilio Content
       * SID (HX…) or the Meta template name. Outside the 24-hour window only these can be sent.
       */
      whatsappTemplates: z
        .array(z.object({ purpose: z.string().min(1), language: z.string().min(2), name: z.string().min(1) }))
        .optional(),
    })
    .optional(),
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
