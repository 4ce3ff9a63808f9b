/**
 * The demo boutique's own settings (tone, contact, opening hours, policies), read from the same
 * `demo-shop.json` that seeds the sandbox shop's Shopify data.
 */
import fs from "node:fs";
import { z } from "zod";
import type { ShopSettings } from "./settings";
import { shopSettingsSchema } from "./settings";

const demoShopFileSchema = z.object({
  shop: z.object({
    domain: z.string(),
    name: z.string(),
    timezone: z.string(),
    locale: z.string(),
    address: z.string(),
    phone: z.string(),
    email: z.string().email(),
    currency: z.string(),
    openingHours: z.record(z.tuple([z.string(), z.string()]).nullable()),
    policies: z.object({
      returnWindowDays: z.number(),
      exchangeInStore: z.object({ fee: z.number() }),
      exchangeByPost: z.object({ fee: z.number() }),
      reservation: z.object({ holdUntil: z.string(), maxItemsPerCustomer: z.number() }),
    }),
    tone: z.object({ address: z.enum(["tu", "vous"]), emoji: z.boolean(), signature: z.string() }),
  }),
});

export interface DemoShopProfile {
  domain: string;
  name: string;
  timezone: string;
  locale: string;
  /** The shop's SMS number, which the demo's channel account receives on. */
  phone: string;
  /** The shop's email address, which the demo's email channel account receives on. */
  email: string;
  settings: ShopSettings;
}

export function loadDemoShopProfile(path: string): DemoShopProfile {
  const { shop } = demoShopFileSchema.parse(JSON.parse(fs.readFileSync(path, "utf8")));
  const hours = (day: string) => shop.openingHours[day] ?? null;
  const settings = shopSettingsSchema.parse({
    currency: shop.currency,
    tone: shop.tone,
    contact: { phone: shop.phone, email: shop.email, address: shop.address },
    openingHours: { mon: hours("mon"), tue: hours("tue"), wed: hours("wed"), thu: hours("thu"), fri: hours("fri"), sat: hours("sat"), sun: hours("sun") },
    policies: {
      returnWindowDays: shop.policies.returnWindowDays,
      holdUntil: shop.policies.reservation.holdUntil,
      maxItemsPerCustomer: shop.policies.reservation.maxItemsPerCustomer,
      exchangeFees: { store: shop.policies.exchangeInStore.fee, post: shop.policies.exchangeByPost.fee },
    },
  });
  return { domain: shop.domain, name: shop.name, timezone: shop.timezone, locale: shop.locale, phone: shop.phone, email: shop.email, settings };
}
