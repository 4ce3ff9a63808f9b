/**
 * The composition root: builds every dependency once per process and wires them together.
 * Process entries (server/main.ts, jobs/worker.ts, scripts) call `createServices`; routes reach the
 * result through the Remix load context (`context.services`). Nothing else creates clients.
 */
import { Session } from "@shopify/shopify-app-remix/server";
import { createInlineJobQueue, createRedisJobQueue, runJob, type JobQueue } from "../jobs/queues.server";
import { conversationReplyJob } from "../jobs/conversation-reply.server";
import { findJob, type JobDeps } from "../jobs/index.server";
import { enableIntensiveTracking, queueReschedule } from "../jobs/tracking-watch.server";
import { scheduledSendJob } from "../jobs/scheduled-send.server";
import { scheduledSendJobId } from "./messaging/scheduling.server";
import { createProactiveSender } from "./messaging/proactive.server";
import type { BroadcastDeps } from "./messaging/broadcasts.server";
import { renderScheduledMessage } from "./messaging/templates";
import { createLazyUnderstander, type LazyUnderstander } from "./conversation/understand/lazy";
import { parseSecretsKey } from "./lib/secrets.server";
import { loadPlugin } from "./plugins/installations.server";
import type { EngineDeps, ShopCapabilities } from "./conversation/engine.server";
import { openDatabase, type Database, type DatabaseHandle } from "./db.server";
import { DEFAULT_SCOPES, publicAppUrl, type Env } from "./env.server";
import { createOffsetClock, systemClock, type Clock } from "./lib/clock";
import type { Logger } from "./lib/logger.server";
import type { AdminClient, AdminClientFactory } from "./plugins/integrations/shopify/admin-client";
import { createCatalogueCache } from "./plugins/integrations/shopify/inventory.server";
import { withThrottling } from "./plugins/integrations/shopify/throttle.server";
import { createShopifyAdminClientFactory } from "./plugins/integrations/shopify/admin-client.server";
import { createShopifyCapabilities } from "./plugins/integrations/shopify";
import { channelPlugin } from "./plugins/registry.server";
import { createShopChannels, type EnvironmentChannels } from "./plugins/shop-channels.server";
import { createSandboxAdminClientFactory, createSandboxShop, type SandboxShop } from "./sandbox/sandbox-shop.server";
import { DEMO_SHOP_PATH, loadDemoShopSeed } from "./sandbox/store.server";
import { loadDemoShopProfile } from "./shops/demo-settings.server";
import { connectChannelAccount, upsertShop } from "./shops/install.server";
import type { ShopSettings } from "./shops/settings";
import { createShopifyApp, SANDBOX_API_KEY, type ShopifyApp } from "./shopify.server";
import { createBatchedIntake, emptyOk, emptyTwiml, receiveChannelWebhook, textAnswer, type WebhookAnswer, type WebhookRequest } from "./edges/channel-webhook.server";
import { receiveShopifyWebhook } from "./edges/shopify-webhooks.server";
import { createHomeService, type HomeService } from "./home/dashboard.server";
import { createInboxService, type InboxService } from "./inbox/inbox.server";
import { createWhatsappTemplateService, type WhatsappTemplateService } from "./inbox/whatsapp-templates.server";
import { createSettingsService, type SettingsService } from "./settings/settings.server";
import { createHoldsPageService, type HoldsPageService } from "./holds/holds-page.server";
import { createBroadcastsPageService, type BroadcastsPageService } from "./messaging/broadcasts-page.server";
import { createCustomersService, type CustomersService } from "./customers/customers.server";
import { SHOP_QUERY, type ShopQueryData } from "./plugins/integrations/shopify/documents";

/**
 * Twilio needs an Account SID to send. Without one (the embedded default) replies go to the
 * outbox and this placeholder only completes the channel's settings, which then serve to verify
 * inbound signatures with the configured auth token; it is never used in a request.
 */
const OUTBOX_ACCOUNT_SID = "AC00000000000000000000000000000000";

export interface AppServices {
  env: Env;
  logger: Logger;
  clock: Clock;
  database: DatabaseHandle;
  db: Database;
  shopify: ShopifyApp;
  /** The app's client id, which App Bridge needs in the page. */
  shopifyApiKey: string;
  adminClients: AdminClientFactory;
  /** The sandbox shops by domain (empty when the app talks to Shopify). */
  sandboxShops: ReadonlyMap<string, SandboxShop>;
  queue: JobQueue;
  engine: EngineDeps;
  /** The engine's understander, whose models load on first use or on `load()` (startWorkers). */
  understander: LazyUnderstander;
  /** What the queued jobs receive (the engine's dependencies and the tracking watch's). */
  jobDeps: JobDeps;
  /** Decrypts plugin secrets (SECRETS_KEY); null when none is configured. */
  secretsKey: ReturnType<typeof parseSecretsKey> | null;
  /** Edges: what the webhook routes call. */
  webhooks: {
    twilio(request: WebhookRequest): Promise<WebhookAnswer>;
    twilioWhatsapp(request: WebhookRequest): Promise<WebhookAnswer>;
    /** Resend: inbound emails (`email.received`) and delivery events, Svix-signed. */
    resend(request: WebhookRequest): Promise<WebhookAnswer>;
    /** Meta WhatsApp Cloud API: GET subscription handshake, POST messages and statuses. */
    metaWhatsapp(request: WebhookRequest): Promise<WebhookAnswer>;
    /** Every Shopify topic (app/uninstalled, orders/create, compliance, …). */
    shopify(request: Request): Promise<Response>;
  };
  /** What the admin home page shows for a shop: today's figures, what needs her, alerts, 30 days. */
  home: HomeService;
  /** The merchant's inbox: conversations, threads, replies, live updates. */
  inbox: InboxService;
  /** The settings page: shop settings, channels, plugins and templates. */
  settings: SettingsService;
  /** The customers pages: who has written, one customer's profile, consent, holds, timeline, notes. */
  customers: CustomersService;
  /** Approved WhatsApp templates she can send from a thread once the 24-hour window has closed. */
  whatsappTemplates: WhatsappTemplateService;
  /** Broadcasts (app/messaging/broadcasts.server.ts) with this process's dependencies. */
  broadcasts: BroadcastDeps;
  /** The holds page: tabs, search, extend, cancel, picked up. */
  holdsPage: HoldsPageService;
  /** The broadcasts page: list with progress, preview, schedule, cancel (over `broadcasts`). */
  broadcastsPage: BroadcastsPageService;
  /** The URL providers and Shopify use to reach this app. */
  publicUrl: string;
  close(): Promise<void>;
}

/** A sandbox shop to install: the demo boutique's data under its own domain and SMS number. */
export interface SandboxShopSpec {
  domain: string;
  name: string;
  smsNumber: string;
  /** The address customers email (Resend inbound); none: the shop has no email channel. */
  emailAddress?: string;
}

export interface CreateServicesOptions {
  env: Env;
  logger: Logger;
  /** With SHOPIFY_SANDBOX=1: the sandbox shops (default: the demo boutique and its number). */
  sandboxShops?: SandboxShopSpec[];
  /** Defaults: the system clock, or in sandbox mode a clock starting at SANDBOX_NOW / the demo's Monday. */
  clock?: Clock;
}

export async function createServices(options: CreateServicesOptions): Promise<AppServices> {
  const { env, logger } = options;
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    onIdleError: (error) => logger.warn("database connection lost while idle", { error: error.message }),
  });
  await database.migrate();
  const db = database.db;

  const seed = env.SHOPIFY_SANDBOX ? loadDemoShopSeed(DEMO_SHOP_PATH) : null;
  const clock =
    options.clock ?? (seed && env.SANDBOX_NOW !== "now" ? createOffsetClock(new Date(env.SANDBOX_NOW ?? seed.now)) : systemClock);

  // Shopify: the real Admin API, or the sandbox shop executing the same documents locally.
  const sandboxShops = new Map<string, SandboxShop>();
  let adminClients: AdminClientFactory;
  const shopify = createShopifyApp({
    env,
    db,
    afterAuth: async (session) => {
      const admin = await adminClients(session.shop);
      const { shop } = await admin.request<ShopQueryData>(SHOP_QUERY);
      await upsertShop(db, {
        domain: session.shop,
        name: shop.name,
        timezone: shop.ianaTimezone,
        locale: "en",
        now: clock.now(),
      });
    },
  });
  const profile = seed ? loadDemoShopProfile(DEMO_SHOP_PATH) : null;
  const sandboxSpecs = profile
    ? (options.sandboxShops ?? [{ domain: profile.domain, name: profile.name, smsNumber: profile.phone, emailAddress: profile.email }])
    : [];
  if (seed) {
    for (const spec of sandboxSpecs) {
      const sandbox = createSandboxShop({ seed, clock, domain: spec.domain });
      sandboxShops.set(sandbox.domain, sandbox);
    }
    adminClients = createSandboxAdminClientFactory(sandboxShops.values());
  } else {
    adminClients = createShopifyAdminClientFactory(shopify);
  }

  // Channels.
  // Twilio reports delivery (StatusCallback) to the URL the customer's messages come in on.
  const publicUrl = publicAppUrl(env);
  const twilioSms = env.TWILIO_AUTH_TOKEN
    ? channelPlugin("twilio-sms").create({
        config: channelPlugin("twilio-sms").configSchema.parse({
          accountSid: env.TWILIO_ACCOUNT_SID ?? OUTBOX_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          apiBaseUrl: env.TWILIO_API_BASE_URL,
          statusCallbackUrl: `${publicUrl}/webhooks/channels/twilio`,
        }),
        logger,
      })
    : null;
  const twilioWhatsapp = env.TWILIO_AUTH_TOKEN
    ? channelPlugin("twilio-whatsapp").create({
        config: channelPlugin("twilio-whatsapp").configSchema.parse({
          accountSid: env.TWILIO_ACCOUNT_SID ?? OUTBOX_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          apiBaseUrl: env.TWILIO_API_BASE_URL,
          statusCallbackUrl: `${publicUrl}/webhooks/channels/twilio-whatsapp`,
        }),
        logger,
      })
    : null;
  // Email needs the API key even to receive (webhooks carry no content) and the secret to verify.
  const resendEmail =
    env.RESEND_API_KEY && env.RESEND_WEBHOOK_SECRET
      ? channelPlugin("resend-email").create({
          config: channelPlugin("resend-email").configSchema.parse({
            apiKey: env.RESEND_API_KEY,
            webhookSecret: env.RESEND_WEBHOOK_SECRET,
            apiBaseUrl: env.RESEND_API_BASE_URL,
            fromAddress: env.RESEND_FROM_ADDRESS ?? profile?.email ?? "no-reply@localhost",
          }),
          logger,
          clock,
        })
      : null;
  const metaWhatsapp =
    env.META_ACCESS_TOKEN && env.META_APP_SECRET && env.META_VERIFY_TOKEN && env.META_PHONE_NUMBER_ID
      ? channelPlugin("meta-whatsapp").create({
          config: channelPlugin("meta-whatsapp").configSchema.parse({
            accessToken: env.META_ACCESS_TOKEN,
            appSecret: env.META_APP_SECRET,
            verifyToken: env.META_VERIFY_TOKEN,
            phoneNumberId: env.META_PHONE_NUMBER_ID,
            graphBaseUrl: env.META_GRAPH_BASE_URL,
          }),
          logger,
        })
      : null;
  const environmentChannels: EnvironmentChannels = { "twilio-sms": twilioSms, "twilio-whatsapp": twilioWhatsapp, "resend-email": resendEmail, "meta-whatsapp": metaWhatsapp };
  const twilioSends = Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN);
  const secretsKey = env.SECRETS_KEY ? parseSecretsKey(env.SECRETS_KEY) : null;
  // Per shop: the credentials saved in Settings, else the environment's channels above.
  const shopChannels = createShopChannels({
    db,
    clock,
    logger,
    secretsKey,
    environment: environmentChannels,
    environmentSends: { "twilio-sms": twilioSends, "twilio-whatsapp": twilioSends, "resend-email": resendEmail !== null, "meta-whatsapp": metaWhatsapp !== null },
    ttlMs: 30_000,
    cacheClock: systemClock,
  });
  const deliver = shopChannels.deliver;

  // One throttled admin client per shop and process: the cost bucket is per shop on Shopify's side.
  const throttled = new Map<string, AdminClient>();
  const throttledAdmin = async (shopDomain: string) => {
    let admin = throttled.get(shopDomain);
    if (!admin) {
      admin = withThrottling(await adminClients(shopDomain), {
        clock: systemClock,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        logger,
      });
      throttled.set(shopDomain, admin);
    }
    return admin;
  };
  const catalogueCache = createCatalogueCache({ clock: systemClock, ttlMs: 60_000 });
  const capabilities = async (shopDomain: string): Promise<ShopCapabilities> =>
    createShopifyCapabilities({ admin: await throttledAdmin(shopDomain), catalogueCache });

  // The intent model trains once per process (~0.3 s) and serves every shop; in a process that
  // runs the engine (startWorkers loads it there), never in the web alone (lazy.ts).
  const understander = createLazyUnderstander();
  const engine: EngineDeps = {
    db,
    clock,
    logger: logger.child({ component: "engine" }),
    understander,
    capabilities,
    deliver,
    watchShipment: (input) => enableIntensiveTracking({ db, clock, reschedule: (delayMs, next) => queueReschedule(jobQueue)(delayMs, next) }, input),
    // A scheduled message's delayed job, timed on our clock (the sandbox's may be ahead of the machine's).
    armScheduledMessage: (row) =>
      jobQueue.enqueue(
        scheduledSendJob,
        { shopId: row.shopId, scheduledMessageId: row.id, dueAt: row.dueAt.toISOString() },
        { jobId: scheduledSendJobId(row), delayMs: Math.max(0, row.dueAt.getTime() - clock.now().getTime()) },
      ),
  };

  // The jobs and the queue refer to each other (a job may schedule the next one): the closures
  // below reach `jobQueue` when they run, after it exists.
  const jobDeps: JobDeps = {
    ...engine,
    queueReplyJobs: (jobs) => jobQueue.enqueueMany(conversationReplyJob, jobs),
    proactive: createProactiveSender({ db, clock, logger: logger.child({ component: "proactive" }), render: renderScheduledMessage, deliver }),
    trackingWatch: {
      trackingFor: async (shopId, company) =>
        /colissimo|la ?poste/i.test(company ?? "")
          ? loadPlugin(db, { shopId, pluginId: "colissimo", secretsKey, deps: { logger, clock } })
          : null,
      reschedule: (delayMs, next) => queueReschedule(jobQueue)(delayMs, next),
    },
  };
  const runNamedJob = async (name: string, data: unknown, meta: { jobId: string; attempt: number }) => {
    const job = findJob(name);
    if (!job) throw new Error(`no job named ${name}`);
    await runJob(job, data as never, jobDeps, meta, { logger });
  };
  const jobQueue: JobQueue =
    env.QUEUE === "inline"
      ? createInlineJobQueue({ logger, run: runNamedJob })
      : createRedisJobQueue({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, logger });

  if (profile) {
    for (const spec of sandboxSpecs) await installSandboxShop({ db, shopify, clock, spec, settings: profile.settings, timezone: profile.timezone, locale: profile.locale });
  }
  const intake = createBatchedIntake({ db, queue: jobQueue, logger });
  const edgeDeps = { db, clock, logger, publicUrl, findAccount: shopChannels.findAccount, intake };
  const inbox = createInboxService({ db, clock, logger: logger.child({ component: "inbox" }), deliver });
  const broadcastDeps: BroadcastDeps = {
    db,
    clock,
    logger: logger.child({ component: "broadcasts" }),
    capabilities,
    render: renderScheduledMessage,
    ...(engine.armScheduledMessage ? { armScheduledMessage: engine.armScheduledMessage } : {}),
  };

  return {
    env,
    logger,
    clock,
    database,
    db,
    shopify,
    shopifyApiKey: env.SHOPIFY_API_KEY ?? SANDBOX_API_KEY,
    adminClients,
    sandboxShops,
    queue: jobQueue,
    engine,
    understander,
    jobDeps,
    secretsKey,
    webhooks: {
      twilio: (request) =>
        receiveChannelWebhook(edgeDeps, { provider: "twilio", resolve: (rawBody) => shopChannels.forWebhook("twilio-sms", rawBody), ack: emptyTwiml }, request),
      twilioWhatsapp: (request) =>
        receiveChannelWebhook(edgeDeps, { provider: "twilio", resolve: (rawBody) => shopChannels.forWebhook("twilio-whatsapp", rawBody), ack: emptyTwiml }, request),
      // Email webhooks carry no content: it is fetched with the API key of the shop it is for.
      resend: (request) =>
        receiveChannelWebhook(
          edgeDeps,
          { provider: "resend", resolve: (rawBody) => shopChannels.forWebhook("resend-email", rawBody), ack: emptyOk, read: (channel, inbound) => channel.fetchInbound(inbound) },
          request,
        ),
      metaWhatsapp: async (request) => {
        if (request.method !== "GET") {
          return receiveChannelWebhook(edgeDeps, { provider: "meta", resolve: (rawBody) => shopChannels.forWebhook("meta-whatsapp", rawBody), ack: emptyOk }, request);
        }
        // Meta's subscription handshake: echo hub.challenge when hub.verify_token is ours.
        // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
        const answer = await shopChannels.verifyMetaSubscription(new URL(request.url));
        if (!answer.ok) logger.warn("Meta subscription handshake refused", { reason: answer.reason });
        return answer.ok ? textAnswer(200, answer.challenge) : textAnswer(403, "verification failed");
      },
      shopify: (request) => receiveShopifyWebhook({ db, clock, logger, shopify, queue: jobQueue }, request),
    },
    home: createHomeService({ db, clock, canSend: shopChannels.canSend, inbox }),
    inbox,
    whatsappTemplates: createWhatsappTemplateService({ db, clock, logger: logger.child({ component: "inbox" }), deliver }),
    settings: createSettingsService({ db, clock, logger: logger.child({ component: "settings" }), secretsKey, publicUrl, deliver, channelsChanged: shopChannels.invalidate, providerBaseUrls: { twilio: env.TWILIO_API_BASE_URL, resend: env.RESEND_API_BASE_URL, meta: env.META_GRAPH_BASE_URL } }),
    broadcasts: broadcastDeps,
    holdsPage: createHoldsPageService({ db, clock, logger: logger.child({ component: "holds-page" }), capabilities }),
    broadcastsPage: createBroadcastsPageService(broadcastDeps),
    customers: createCustomersService({ db, clock, logger: logger.child({ component: "customers" }), deliver, capabilities }),
    publicUrl,
    async close() {
      // The reply jobs of messages already acknowledged, before the queue's connection closes.
      await intake.drain();
      await jobQueue.close();
      await database.close();
    },
  };
}

/** Makes a sandbox shop an installed shop: row, offline session, SMS number. */
async function installSandboxShop(deps: {
  db: Database;
  shopify: ShopifyApp;
  clock: Clock;
  spec: SandboxShopSpec;
  settings: ShopSettings;
  timezone: string;
  locale: string;
}) {
  const { spec } = deps;
  const now = deps.clock.now();
  const shop = await upsertShop(deps.db, {
    domain: spec.domain,
    name: spec.name,
    timezone: deps.timezone,
    locale: deps.locale,
    settings: deps.settings,
    now,
  });
  await deps.shopify.sessionStorage.storeSession(
    new Session({
      id: `offline_${spec.domain}`,
      shop: spec.domain,
      state: "sandbox",
      isOnline: false,
      // Never sent anywhere: the sandbox admin client does not use it.
      accessToken: "sandbox-offline-access-token",
      scope: DEFAULT_SCOPES.join(","),
    }),
  );
  await connectChannelAccount(deps.db, { shopId: shop.id, provider: "twilio", channel: "sms", address: spec.smsNumber, now });
  if (spec.emailAddress) {
    await connectChannelAccount(deps.db, { shopId: shop.id, provider: "resend", channel: "email", address: spec.emailAddress.toLowerCase(), now });
  }
}
