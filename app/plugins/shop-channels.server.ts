/**
 * Which channel verifies and sends for a shop: the shop's own installation (the credentials Sarah
 * saved in Settings, app/plugins/installations.server.ts), or, for a shop without one, the
 * deployment's channel built from the environment (the sandbox/demo default).
 *
 * - Webhooks: `forWebhook` runs BEFORE verification. The plugin reads which of our
 *   numbers/addresses the unverified body names (`shopAddresses`), the channel accounts say which
 *   shop owns it, and that shop's channel checks the signature. A body naming shop B's number is
 *   checked with B's secret whoever signed it, so one shop's token never signs for another shop.
 *   An address no shop owns is checked with the environment's channel (the edge answers 404 after).
 * - Sending: `deliver` sends with the shop's own client (its Account SID and token, API key, Graph
 *   token). A shop without its own installation sends through the environment's channel, and only
 *   from a number/address that is still one of its channel accounts: after Sarah disconnects her own
 *   Twilio, her number is no longer hers in the app, and a reply still pending from it stays in the
 *   outbox with the reason instead of going out through the deployment's account, which does not
 *   own that number (someone else's account, at worst).
 * - A shop whose saved settings cannot be read any more (another SECRETS_KEY, settings that no
 *   longer validate) is refused, never sent for with the environment's account: its webhooks get
 *   403 and its messages fail with a reason that says to save the settings again.
 * - The hot path stays cheap: each shop's resolution (own channel, none, or broken) and each
 *   address's owner are kept `ttlMs`; `invalidate()` forgets them all at once, which the settings
 *   page does when Sarah saves or disconnects a channel (same process).
 *
 * Secrets never reach a log: only plugin ids, shop ids and the reasons the installations module
 * gives, which name settings and never their values.
 */
import type { DeliveryResult } from "~/conversation/engine.server";
import { createChannelAccountCache } from "~/conversation/messages.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { createTtlCache } from "~/lib/ttl-cache";
import type { SecretsKey } from "~/lib/secrets.server";
import type { SubscriptionResult } from "./channels/meta-whatsapp/channel.server";
import { loadChannel, shopsWithOwnChannel } from "./installations.server";
import { channelPlugin, channelPluginFor, type ChannelPlugin, type ChannelPluginId } from "./registry.server";
import { ProviderError, type Channel, type ChannelKind, type OutboundMessage } from "./types";

/** The channel a plugin creates (Resend's can also fetch an inbound email, Meta's answers the handshake). */
export type ChannelOf<Id extends ChannelPluginId> = ReturnType<Extract<ChannelPlugin, { id: Id }>["create"]>;

/** The deployment's channels from the environment, by plugin; null when not configured. */
export type EnvironmentChannels = { [Id in ChannelPluginId]: ChannelOf<Id> | null };

type Resolution<Id extends ChannelPluginId> = { kind: "own"; channel: ChannelOf<Id> } | { kind: "none" } | { kind: "broken"; reason: string };

export interface ShopChannelsDeps {
  db: Database;
  /** The app's clock, handed to the channels (Resend checks Svix timestamps against it). */
  clock: Clock;
  logger: Logger;
  secretsKey: SecretsKey | null;
  environment: EnvironmentChannels;
  /** The environment channels that may send; the others only verify (Twilio without an Account SID). */
  environmentSends: Readonly<Record<ChannelPluginId, boolean>>;
  /** How long a resolution is kept, on `cacheClock` (the machine's time, not a sandbox's). */
  ttlMs: number;
  cacheClock: Clock;
}

export type ShopChannels = ReturnType<typeof createShopChannels>;

export function createShopChannels(deps: ShopChannelsDeps) {
  const { db, clock, secretsKey, environment } = deps;
  const log = deps.logger.child({ component: "shop-channels" });
  const findAccount = createChannelAccountCache({ db, clock: deps.cacheClock, ttlMs: deps.ttlMs });
  // One entry per shop and plugin that was asked about; concurrent misses share one load (app/lib/ttl-cache.ts).
  const resolutions = createTtlCache<Resolution<ChannelPluginId>>({ clock: deps.cacheClock, ttlMs: deps.ttlMs });

  async function resolve<Id extends ChannelPluginId>(shopId: string, pluginId: Id): Promise<Resolution<Id>> {
    // Stored under the key of this very plugin id, so it is this plugin's resolution.
    return (await resolutions.get(`${shopId}\u0000${pluginId}`, () => loadResolution(shopId, pluginId))) as Resolution<Id>;
  }

  async function loadResolution<Id extends ChannelPluginId>(shopId: string, pluginId: Id): Promise<Resolution<Id>> {
    try {
      const channel = await loadChannel(db, { shopId, pluginId, secretsKey, deps: { logger: deps.logger, clock } });
      // `loadChannel` instantiates the definition whose id is `pluginId`: its `create` made it.
      return channel ? { kind: "own", channel: channel as ChannelOf<Id> } : { kind: "none" };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.error("a shop's saved channel settings cannot be used", { shopId, pluginId, reason });
      return { kind: "broken", reason };
    }
  }

  /** The channel that verifies and sends for this shop on this plugin: its own, else the environment's; null when refused or unconfigured. */
  async function channelFor<Id extends ChannelPluginId>(shopId: string, pluginId: Id): Promise<ChannelOf<Id> | null> {
    const resolution = await resolve(shopId, pluginId);
    if (resolution.kind === "own") return resolution.channel;
    return resolution.kind === "none" ? environment[pluginId] : null;
  }

  return {
    /** The shop owning a receiving number/address (cached), for the edge's routing. */
    findAccount,

    /**
     * The channel that verifies a webhook, chosen from what its unverified body names, and the shop
     * that choice was made for (null: no shop owns the address, the environment's channel verifies).
     */
    async forWebhook<Id extends ChannelPluginId>(pluginId: Id, rawBody: string): Promise<{ shopId: string | null; channel: ChannelOf<Id> | null }> {
      const plugin = channelPlugin(pluginId);
      for (const address of plugin.shopAddresses(rawBody)) {
        const account = await findAccount(plugin.provider, address);
        if (account) return { shopId: account.shopId, channel: await channelFor(account.shopId, pluginId) };
      }
      return { shopId: null, channel: environment[pluginId] };
    },

    /** The app's delivery port (engine, inbox, proactive sends, test message): the shop's channel for this provider and channel kind. */
    async deliver(provider: string, message: OutboundMessage, shopId: string): Promise<DeliveryResult> {
      const plugin = channelPluginFor(provider, message.channel);
      if (!plugin) return { kind: "outbox", reason: `no ${provider} channel for ${message.channel}: kept in the outbox` };
      const resolution = await resolve(shopId, plugin.id);
      if (resolution.kind === "broken") {
        throw new ProviderError(`the shop's saved ${provider} settings cannot be used (${resolution.reason}): save them again in Settings`, {
          provider,
          retryable: false,
        });
      }
      let sender: Channel;
      if (resolution.kind === "own") {
        sender = resolution.channel;
      } else {
        const fallback = deps.environmentSends[plugin.id] ? environment[plugin.id] : null;
        if (!fallback) return { kind: "outbox", reason: `no ${provider} credentials configured: kept in the outbox` };
        const owner = await findAccount(provider, message.from);
        if (owner?.shopId !== shopId) {
          return { kind: "outbox", reason: `${message.from} is no longer connected to this shop on ${provider}: not sent through the app's own ${provider} account` };
        }
        sender = fallback;
      }
      const sent = await sender.send(message);
      return { kind: "sent", providerMessageId: sent.providerMessageId, status: sent.status };
    },

    /** Whether this shop's messages on a provider's channel really leave (its own credentials, or the environment's that send). */
    async canSend(shopId: string, account: { provider: string; channel: ChannelKind }): Promise<boolean> {
      const plugin = channelPluginFor(account.provider, account.channel);
      if (!plugin) return false;
      const resolution = await resolve(shopId, plugin.id);
      if (resolution.kind === "own") return true;
      return resolution.kind === "none" && deps.environmentSends[plugin.id] && environment[plugin.id] !== null;
    },

    /**
     * Meta's GET handshake on the callback URL (hub.mode, hub.verify_token, hub.challenge) names no
     * shop: it is answered when the verify token is the deployment's or the one a shop saved with
     * its own WhatsApp Cloud API settings (a boutique with its own Meta app pastes our URL and her
     * token in her App Dashboard). A shop whose settings cannot be read is skipped.
     * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
     */
    async verifyMetaSubscription(url: URL): Promise<SubscriptionResult> {
      const fromEnvironment = environment["meta-whatsapp"]?.verifySubscription(url) ?? null;
      if (fromEnvironment?.ok) return fromEnvironment;
      const shopIds = await shopsWithOwnChannel(db, "meta-whatsapp");
      for (const shopId of shopIds) {
        const resolution = await resolve(shopId, "meta-whatsapp");
        const answer = resolution.kind === "own" ? resolution.channel.verifySubscription(url) : null;
        if (answer?.ok) return answer;
      }
      if (fromEnvironment === null && shopIds.length === 0) return { ok: false, reason: "WhatsApp Cloud API not configured" };
      // The deployment's reason says what is wrong with the request (mode, challenge) or its token.
      return fromEnvironment ?? { ok: false, reason: "hub.verify_token matches no shop's WhatsApp Cloud API settings" };
    },

    /** Forget every resolution and address owner: the next webhook or send reads the database. */
    invalidate(): void {
      resolutions.clear();
      findAccount.clear();
    },
  };
}
