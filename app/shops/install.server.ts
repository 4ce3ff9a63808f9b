/**
 * Installing a shop: its row (name, time zone, language, settings) and, for the sandbox, its
 * channel account. Idempotent: a re-install keeps the merchant's settings.
 */
import { and, eq } from "drizzle-orm";
import { channelAccounts, shops } from "../../db/schema";
import type { Database } from "~/db.server";
import type { ChannelKind } from "~/plugins/types";
import { defaultShopSettings, type ShopSettings } from "./settings";

export type ShopRow = typeof shops.$inferSelect;

export async function upsertShop(
  db: Database,
  input: { domain: string; name: string; timezone: string; locale: string; settings?: ShopSettings; now: Date },
): Promise<ShopRow> {
  const settings = input.settings ?? defaultShopSettings({ name: input.name });
  const [row] = await db
    .insert(shops)
    .values({ domain: input.domain, name: input.name, timezone: input.timezone, locale: input.locale, settings, installedAt: input.now })
    .onConflictDoUpdate({
      target: shops.domain,
      set: { name: input.name, timezone: input.timezone, uninstalledAt: null },
    })
    .returning();
  if (!row) throw new Error(`could not install ${input.domain}`);
  return row;
}

export async function findShopByDomain(db: Database, domain: string): Promise<ShopRow | null> {
  const [row] = await db.select().from(shops).where(eq(shops.domain, domain)).limit(1);
  return row ?? null;
}

export async function findShopById(db: Database, id: string): Promise<ShopRow | null> {
  const [row] = await db.select().from(shops).where(eq(shops.id, id)).limit(1);
  return row ?? null;
}

/** Route a provider's receiving number/address to a shop. Fails if it belongs to another shop. */
export async function connectChannelAccount(
  db: Database,
  input: { shopId: string; provider: string; channel: ChannelKind; address: string; now: Date },
) {
  await db
    .insert(channelAccounts)
    .values({ shopId: input.shopId, provider: input.provider, channel: input.channel, address: input.address, createdAt: input.now })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.provider, input.provider), eq(channelAccounts.address, input.address)))
    .limit(1);
  if (!row || row.shopId !== input.shopId) {
    throw new Error(`${input.address} on ${input.provider} already belongs to another shop`);
  }
  return row;
}

export async function listChannelAccounts(db: Database, shopId: string) {
  return db.select().from(channelAccounts).where(eq(channelAccounts.shopId, shopId));
}

export async function markUninstalled(db: Database, domain: string, now: Date) {
  await db.update(shops).set({ uninstalledAt: now }).where(eq(shops.domain, domain));
}
