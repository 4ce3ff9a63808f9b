/** The admin home page's data for one shop: who it is, its channels, its latest messages. */
import { listRecentMessages } from "./conversation/messages.server";
import type { Database } from "./db.server";
import { findShopByDomain, listChannelAccounts } from "./shops/install.server";

export interface HomeData {
  shop: { name: string; domain: string; timezone: string } | null;
  channels: Array<{ provider: string; channel: string; address: string; sending: "live" | "outbox" }>;
  messages: Array<{
    id: string;
    direction: "inbound" | "outbound";
    author: "customer" | "ai" | "merchant";
    channel: string;
    customer: string;
    body: string;
    status: string;
    createdAt: string;
    latencyMs: number | null;
  }>;
}

export async function loadHome(deps: { db: Database; sending: Record<string, boolean> }, shopDomain: string): Promise<HomeData> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return { shop: null, channels: [], messages: [] };
  const [accounts, recent] = await Promise.all([listChannelAccounts(deps.db, shop.id), listRecentMessages(deps.db, shop.id, 20)]);
  return {
    shop: { name: shop.name, domain: shop.domain, timezone: shop.timezone },
    channels: accounts.map((a) => ({
      provider: a.provider,
      channel: a.channel,
      address: a.address,
      sending: deps.sending[a.provider] ? "live" : "outbox",
    })),
    messages: recent.map((m) => ({
      id: m.id,
      direction: m.direction,
      author: m.author,
      channel: m.channel,
      customer:
        [m.customerFirstName, m.customerLastName].filter(Boolean).join(" ") || m.customerPhone || m.customerEmail || "?",
      body: m.body,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      latencyMs: m.latencyMs,
    })),
  };
}
