/**
 * The engine on embedded defaults, for the evaluation, the chat and the engine benchmark: one
 * in-memory PGlite database per run, one sandbox shop (seeded from the demo boutique) per case or
 * session, each with its own shop row, domain and channel numbers, so customers and holds of one
 * never reach another. Messages go through the production path — `storeInboundMessage` then
 * `handleInboundMessage` — with a `deliver` that captures replies and never sends.
 */
import { performance } from "node:perf_hooks";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { channelAccounts, conversations, customers, holds, messages, scheduledMessages } from "../../db/schema";
import { handleInboundMessage, outboundOf, type EngineDeps, type EngineOutcome, type ShopCapabilities } from "../../app/conversation/engine.server";
import { storeInboundMessage } from "../../app/conversation/messages.server";
import type { MessageRecord } from "../../app/conversation/record";
import { createUnderstander, type Understander } from "../../app/conversation/understand";
import { openMemoryDatabase, type Database } from "../../app/db.server";
import { createManualClock, systemClock, type ManualClock } from "../../app/lib/clock";
import { silentLogger, type Logger } from "../../app/lib/logger.server";
import { createShopifyCapabilities } from "../../app/plugins/integrations/shopify";
import { createCatalogueCache, type CatalogueCache } from "../../app/plugins/integrations/shopify/inventory.server";
import type { ChannelKind, OutboundMessage } from "../../app/plugins/types";
import { createSandboxShop, type SandboxShop } from "../../app/sandbox/sandbox-shop.server";
import { DEMO_SHOP_PATH, loadDemoShopSeed } from "../../app/sandbox/store.server";
import { loadDemoShopProfile } from "../../app/shops/demo-settings.server";
import { upsertShop } from "../../app/shops/install.server";
import { engineRecord, performedActions, type Focus, type RefLookup } from "./read-record";

export const PROVIDER_OF: Record<ChannelKind, string> = { sms: "twilio", whatsapp: "twilio", email: "resend" };

/** A reply handed to `deliver`: kept, never sent. */
export interface CapturedReply {
  provider: string;
  message: OutboundMessage;
  /** The reply as the customer reads it: on email the subject, a blank line, then the body. */
  text: string;
}

export interface Turn {
  messageId: string;
  customerId: string;
  conversationId: string;
  outcome: EngineOutcome | null;
  /** What the engine threw, when it did. */
  error: string | null;
  record: MessageRecord | null;
  reply: CapturedReply | null;
  /** Action types performed while handling this message. */
  actions: string[];
  /** The product (and variant) the conversation is about after this message. */
  focus: Focus | null;
  /** The conversation went to the merchant while handling this message. */
  escalated: boolean;
  /** `handleInboundMessage` wall time, ms. */
  latencyMs: number;
  /** From the message's arrival (before it is stored) to the reply handed to `deliver`, ms; null without a reply. */
  handedOverMs: number | null;
}

export interface CustomerState {
  customerName: string | null;
  reservations: Array<{ product: string | null; size: string | null; quantity: number; expiresAt: string }>;
  scheduled: Array<{ type: string; at: string; channel: string | null }>;
}

export interface HarnessShop {
  shopId: string;
  domain: string;
  /** The shop's IANA time zone. */
  timezone: string;
  sandbox: SandboxShop;
  /** What the engine reaches the shop's Shopify data through. */
  capabilities: ShopCapabilities;
  /** The shop's receiving number or address per channel. */
  addresses: Record<ChannelKind, string>;
  refs: RefLookup;
  send(input: { channel: ChannelKind; from: string; text: string; subject?: string }): Promise<Turn>;
  /** The customer's profile name, active holds and scheduled messages, now. */
  customerState(customerId: string): Promise<CustomerState>;
  /** Forget the sandbox shop (its database rows stay; the run's database goes at `close`). */
  dispose(): void;
}

export interface SandboxHarness {
  db: Database;
  clock: ManualClock;
  /** The understander the engine uses (the benchmark times it alone). */
  understander: Understander;
  /** A fresh shop seeded from the demo boutique. `key` makes its domain: `<key>.myshopify.com`. */
  openShop(key: string): Promise<HarnessShop>;
  close(): Promise<void>;
}

export interface SandboxHarnessOptions {
  logger?: Logger;
  /** The demo boutique file; defaults to the app's copy of ../shared/fixtures/demo-shop.json. */
  shopPath?: string;
  /** Where the clock starts; defaults to the seed's `now`. */
  start?: Date;
  /** The engine's understander; by default one is created (trained) for the run. */
  understander?: Understander;
}

const KEY = /^[a-z0-9][a-z0-9-]*$/;

export async function createSandboxHarness(options: SandboxHarnessOptions = {}): Promise<SandboxHarness> {
  const shopPath = options.shopPath ?? DEMO_SHOP_PATH;
  const seed = loadDemoShopSeed(shopPath);
  const profile = loadDemoShopProfile(shopPath);
  const database = await openMemoryDatabase();
  const db = database.db;
  const clock = createManualClock(options.start ?? new Date(seed.now));
  const logger = options.logger ?? silentLogger;
  const capabilitiesByDomain = new Map<string, ShopCapabilities>();
  const captured = new Map<string, { provider: string; message: OutboundMessage; at: number }>();
  // As in production (services.server.ts) the catalogue (products, variants, prices: no stock) is
  // cached a minute per shop. Every shop of a run is a copy of one boutique with one catalogue, so
  // they share the entry: a case meets the catalogue as a shop in use does, warm, while its stock
  // is still read live from its own sandbox shop.
  const cachePerShop = createCatalogueCache({ clock: systemClock, ttlMs: 60_000 });
  const catalogueCache: CatalogueCache = { get: (_domain, load) => cachePerShop.get(shopPath, load) };
  let shopCount = 0;

  const understander = options.understander ?? createUnderstander();

  const engine: EngineDeps = {
    db,
    clock,
    logger,
    understander,
    capabilities: async (domain) => {
      const capabilities = capabilitiesByDomain.get(domain);
      if (!capabilities) throw new Error(`no sandbox shop ${domain} in this run`);
      return capabilities;
    },
    deliver: async (provider, message) => {
      captured.set(message.messageId, { provider, message, at: performance.now() });
      return { kind: "outbox", reason: "evaluation: captured, never sent" };
    },
  };

  const openShop = async (key: string): Promise<HarnessShop> => {
    if (!KEY.test(key)) throw new Error(`shop key must be lowercase letters, digits and dashes: ${key}`);
    const n = ++shopCount;
    const sandbox = createSandboxShop({ seed, clock, domain: `${key}.myshopify.com` });
    const domain = sandbox.domain;
    const capabilities: ShopCapabilities = createShopifyCapabilities({ admin: sandbox.adminClient(), catalogueCache });
    capabilitiesByDomain.set(domain, capabilities);
    const now = clock.now();
    const shop = await upsertShop(db, {
      domain,
      name: profile.name,
      timezone: profile.timezone,
      locale: profile.locale,
      settings: profile.settings,
      now,
    });
    // Numbers of their own per shop: an inbound number belongs to exactly one shop.
    const serial = String(n).padStart(7, "0");
    const addresses: Record<ChannelKind, string> = {
      sms: `+3397${serial}`,
      whatsapp: `+3398${serial}`,
      email: `hello@${key}.coccinelle.test`,
    };
    // One statement for the three (what connectChannelAccount does one by one): a run opens 500 shops.
    await db.insert(channelAccounts).values(
      (["sms", "whatsapp", "email"] as const).map((channel) => ({ shopId: shop.id, provider: PROVIDER_OF[channel], channel, address: addresses[channel], createdAt: now })),
    );
    const refs = refLookup(sandbox);
    let sequence = 0;

    const send: HarnessShop["send"] = async ({ channel, from, text, subject }) => {
      const arrived = performance.now();
      const stored = await storeInboundMessage(db, {
        shopId: shop.id,
        provider: PROVIDER_OF[channel],
        inbound: {
          providerMessageId: `${key}-${++sequence}`,
          channel,
          from,
          to: addresses[channel],
          body: text,
          mediaUrls: [],
          ...(subject !== undefined ? { subject } : {}),
          raw: {},
        },
        now: clock.now(),
      });
      const inbound = stored.message;
      let outcome: EngineOutcome | null = null;
      let error: string | null = null;
      const started = performance.now();
      try {
        outcome = await handleInboundMessage(engine, { shopId: shop.id, messageId: inbound.id });
      } catch (thrown) {
        logger.error("the engine threw", { shopDomain: domain, messageId: inbound.id, error: thrown });
        error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      // The conversation after the engine, the inbound message (its record) and the reply to it, in one read.
      const joined = await db
        .select({ status: conversations.status, escalation: conversations.escalation, focus: conversations.focus, message: messages })
        .from(conversations)
        .leftJoin(messages, and(eq(messages.conversationId, conversations.id), or(eq(messages.id, inbound.id), eq(messages.inReplyTo, inbound.id))))
        .where(and(eq(conversations.shopId, shop.id), eq(conversations.id, inbound.conversationId)));
      const after = joined[0] ?? null;
      const rows = joined.flatMap((row) => (row.message ? [row.message] : []));
      const record = engineRecord(rows.find((row) => row.id === inbound.id)?.record);
      const replyRow = rows.find((row) => row.inReplyTo === inbound.id) ?? null;
      const delivered = replyRow ? captured.get(replyRow.id) : undefined;
      if (replyRow) captured.delete(replyRow.id);
      const emailSubject = replyRow?.subject ?? null;
      const reply: CapturedReply | null = delivered
        ? { provider: delivered.provider, message: delivered.message, text: replyText(delivered.message, emailSubject) }
        : replyRow && replyRow.status !== "failed"
          ? {
              provider: replyRow.provider,
              message: outboundOf(replyRow, null),
              text: replyText({ body: replyRow.body }, emailSubject),
            }
          : null;
      const actions = performedActions(record);
      // Handed over by this message: the engine stamps the escalation with the message's time (the
      // clock stands still while it runs); an earlier hand-over carries an earlier stamp.
      const wentToMerchant = after?.status === "needs_merchant" && after.escalation?.at === inbound.createdAt.toISOString();
      return {
        messageId: inbound.id,
        customerId: inbound.customerId,
        conversationId: inbound.conversationId,
        outcome,
        error,
        record,
        reply,
        actions,
        focus: after?.focus ?? null,
        escalated: actions.includes("notify.merchant") || record?.decision.kind === "escalate" || wentToMerchant,
        latencyMs,
        handedOverMs: delivered ? Math.round((delivered.at - arrived) * 10) / 10 : null,
      };
    };

    const customerState = async (customerId: string): Promise<CustomerState> => {
      const [customer] = await db
        .select({ firstName: customers.firstName, lastName: customers.lastName })
        .from(customers)
        .where(and(eq(customers.shopId, shop.id), eq(customers.id, customerId)))
        .limit(1);
      const name = [customer?.firstName, customer?.lastName].filter((part) => part && part.trim()).join(" ");
      const activeHolds = await db
        .select()
        .from(holds)
        .where(and(eq(holds.shopId, shop.id), eq(holds.customerId, customerId), eq(holds.status, "active")))
        .orderBy(asc(holds.createdAt));
      const pending = await db
        .select()
        .from(scheduledMessages)
        .where(
          and(
            eq(scheduledMessages.shopId, shop.id),
            eq(scheduledMessages.customerId, customerId),
            inArray(scheduledMessages.status, ["scheduled", "deferred"]),
          ),
        )
        .orderBy(asc(scheduledMessages.dueAt));
      return {
        customerName: name === "" ? null : name,
        reservations: activeHolds.flatMap((hold) =>
          hold.items.map((item) => ({
            product: refs.variantRef(item.variantId)?.ref ?? refOfSku(item.sku, sandbox),
            size: item.size,
            quantity: item.quantity,
            expiresAt: hold.expiresAt.toISOString(),
          })),
        ),
        // Our pickup reminder is `pickup_reminder`; FORMAT.md calls it `reminder`.
        scheduled: pending.map((row) => ({
          type: row.type === "pickup_reminder" ? "reminder" : row.type,
          at: row.dueAt.toISOString(),
          channel: row.channel,
        })),
      };
    };

    return {
      shopId: shop.id,
      domain,
      timezone: shop.timezone,
      sandbox,
      capabilities,
      addresses,
      refs,
      send,
      customerState,
      dispose: () => {
        capabilitiesByDomain.delete(domain);
      },
    };
  };

  return {
    db,
    clock,
    understander,
    openShop,
    close: () => database.close(),
  };
}

/** On email the customer reads a subject and a body. */
function replyText(message: { body: string; subject?: string | undefined }, stored: string | null): string {
  const subject = message.subject?.trim() ? message.subject : stored;
  return subject ? `${subject}\n\n${message.body}` : message.body;
}

function refLookup(sandbox: SandboxShop): RefLookup {
  const { products, variants } = sandbox.store;
  return {
    productRef: (productId) => products.find((p) => p.id === productId)?.ref ?? null,
    variantRef: (variantId) => {
      const variant = variants.find((v) => v.id === variantId);
      if (!variant) return null;
      return { ref: products.find((p) => p.id === variant.productId)?.ref ?? null, size: variant.size };
    },
  };
}

function refOfSku(sku: string | null, sandbox: SandboxShop): string | null {
  if (!sku) return null;
  return sandbox.store.products.find((p) => sku.startsWith(`${p.ref}-`))?.ref ?? null;
}
