/**
 * Which channel verifies and sends for a shop, on PostgreSQL and PGlite with two shops: shop A
 * with its own Meta and Resend installations, shop B with none (the deployment's channels). No
 * request leaves: these are the choices of secret and sender, proven by real signatures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { generateSecretsKey, parseSecretsKey } from "~/lib/secrets.server";
import { connectChannelAccount, upsertShop } from "~/shops/install.server";
import { metaWebhookSignature } from "../../tests/fakes/meta-graph-api.server";
import { resendWebhookHeaders } from "../../tests/fakes/resend-api.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { removePluginSettings, savePluginSettings } from "./installations.server";
import { channelPlugin } from "./registry.server";
import { createShopChannels, type EnvironmentChannels } from "./shop-channels.server";
import { ProviderError, type InboundHttpRequest } from "./types";

const secretsKey = parseSecretsKey(generateSecretsKey());
const DEPLOYMENT = { metaSecret: "deployment-meta-app-secret", resendSecret: `whsec_${Buffer.from("deployment-signing-secret-32byte").toString("base64")}` };
const OWN = { metaSecret: "elegance-own-meta-app-secret", resendSecret: `whsec_${Buffer.from("elegance-own-signing-secret-32by").toString("base64")}` };
const TTL_MS = 30_000;

function metaBody(displayNumber: string): string {
  const message = { from: "33645789012", id: `wamid.${displayNumber}`, timestamp: "1768209300", type: "text", text: { body: "Bonjour" } };
  const value = { messaging_product: "whatsapp", metadata: { display_phone_number: displayNumber, phone_number_id: "106540352242922" }, messages: [message] };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "WABA", changes: [{ field: "messages", value }] }] });
}

function metaRequest(rawBody: string, secret: string): InboundHttpRequest {
  return { url: "https://app.example.test/webhooks/channels/meta-whatsapp", headers: new Headers({ "X-Hub-Signature-256": metaWebhookSignature(secret, rawBody) }), rawBody };
}

describe.each(DATABASE_KINDS)("shop channels on %s", (kind) => {
  const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));
  const cacheClock = createManualClock(new Date("2026-01-12T09:15:00Z"));
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  let shopA: string;
  let shopB: string;
  let n = 0;
  const numbers = { a: "", b: "" };
  const emails = { a: "", b: "" };

  const environment: EnvironmentChannels = {
    "twilio-sms": null,
    "twilio-whatsapp": null,
    "meta-whatsapp": channelPlugin("meta-whatsapp").create({
      config: channelPlugin("meta-whatsapp").configSchema.parse({ accessToken: "deployment-token", appSecret: DEPLOYMENT.metaSecret, verifyToken: "deployment-verify", phoneNumberId: "106540352242922" }),
      logger: silentLogger,
    }),
    "resend-email": channelPlugin("resend-email").create({
      config: channelPlugin("resend-email").configSchema.parse({ apiKey: "re_deployment", webhookSecret: DEPLOYMENT.resendSecret, fromAddress: "no-reply@coccinelle.example" }),
      logger: silentLogger,
      clock,
    }),
  };
  const channelsWith = (key = secretsKey, sends = false) =>
    createShopChannels({
      db,
      clock,
      logger: silentLogger,
      secretsKey: key,
      environment,
      // The deployment's channels verify but do not send here: what a shop sends, it sends with its own.
      environmentSends: { "twilio-sms": false, "twilio-whatsapp": false, "meta-whatsapp": sends, "resend-email": sends },
      ttlMs: TTL_MS,
      cacheClock,
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    n += 1;
    const now = clock.now();
    shopA = (await upsertShop(db, { domain: `elegance-${n}.myshopify.com`, name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now })).id;
    shopB = (await upsertShop(db, { domain: `atelier-${n}.myshopify.com`, name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now })).id;
    numbers.a = `+3393903${String(n).padStart(2, "0")}61`;
    numbers.b = `+3393903${String(n).padStart(2, "0")}62`;
    emails.a = `hello-${n}@elegance-paris.com`;
    emails.b = `bonjour-${n}@atelier-lyon.fr`;
    await connectChannelAccount(db, { shopId: shopA, provider: "meta", channel: "whatsapp", address: numbers.a, now });
    await connectChannelAccount(db, { shopId: shopB, provider: "meta", channel: "whatsapp", address: numbers.b, now });
    await connectChannelAccount(db, { shopId: shopA, provider: "resend", channel: "email", address: emails.a, now });
    await connectChannelAccount(db, { shopId: shopB, provider: "resend", channel: "email", address: emails.b, now });
  });

  const installOwnMeta = (key = secretsKey) =>
    savePluginSettings(db, {
      shopId: shopA,
      pluginId: "meta-whatsapp",
      input: { accessToken: "elegance-own-token", appSecret: OWN.metaSecret, verifyToken: "elegance-verify", phoneNumberId: "206540352242922" },
      secretsKey: key,
      clock,
    });

  it("verifies a Meta webhook with the app secret of the shop whose number it names; the other shop keeps the deployment's", async () => {
    expect(await installOwnMeta()).toMatchObject({ ok: true });
    const channels = channelsWith();

    const forA = metaBody(numbers.a.slice(1));
    const resolvedA = await channels.forWebhook("meta-whatsapp", forA);
    expect(resolvedA.shopId).toBe(shopA);
    expect(resolvedA.channel?.verify(metaRequest(forA, OWN.metaSecret))).toEqual({ ok: true });
    expect(resolvedA.channel?.verify(metaRequest(forA, DEPLOYMENT.metaSecret))).toMatchObject({ ok: false });

    const forB = metaBody(numbers.b.slice(1));
    const resolvedB = await channels.forWebhook("meta-whatsapp", forB);
    expect(resolvedB.shopId).toBe(shopB);
    expect(resolvedB.channel?.verify(metaRequest(forB, DEPLOYMENT.metaSecret))).toEqual({ ok: true });
    // A's secret cannot sign for B's number.
    expect(resolvedB.channel?.verify(metaRequest(forB, OWN.metaSecret))).toMatchObject({ ok: false });

    // A number no shop owns: the deployment's secret checks it (the edge then answers 404).
    expect(await channels.forWebhook("meta-whatsapp", metaBody("15550001111"))).toMatchObject({ shopId: null, channel: environment["meta-whatsapp"] });
    // A body that names nothing: the deployment's channel too, never a shop's.
    expect(await channels.forWebhook("meta-whatsapp", "not json")).toMatchObject({ shopId: null, channel: environment["meta-whatsapp"] });
  });

  it("verifies Resend's inbound emails and delivery events with the signing secret of the shop they concern", async () => {
    const saved = await savePluginSettings(db, {
      shopId: shopA,
      pluginId: "resend-email",
      input: { apiKey: "re_elegance_own", webhookSecret: OWN.resendSecret, fromAddress: emails.a },
      secretsKey,
      clock,
    });
    expect(saved).toMatchObject({ ok: true });
    const channels = channelsWith();
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const signedWith = (secret: string, rawBody: string): InboundHttpRequest => ({
      url: "https://app.example.test/webhooks/channels/resend",
      headers: new Headers(resendWebhookHeaders(secret, "msg_1", timestamp, rawBody)),
      rawBody,
    });

    const received = JSON.stringify({ type: "email.received", data: { email_id: "e1", from: "Emma <emma@example.fr>", to: [`Élégance <${emails.a.toUpperCase()}>`], subject: "Échange" } });
    const forReceived = await channels.forWebhook("resend-email", received);
    expect(forReceived.shopId).toBe(shopA);
    expect(forReceived.channel?.verify(signedWith(OWN.resendSecret, received))).toEqual({ ok: true });
    expect(forReceived.channel?.verify(signedWith(DEPLOYMENT.resendSecret, received))).toMatchObject({ ok: false });

    // A delivery event names the shop as the sender of the email it reports on.
    const delivered = JSON.stringify({ type: "email.delivered", data: { email_id: "e2", from: emails.a, to: ["emma@example.fr"] } });
    expect((await channels.forWebhook("resend-email", delivered)).shopId).toBe(shopA);

    const forB = JSON.stringify({ type: "email.received", data: { email_id: "e3", from: "emma@example.fr", to: [emails.b] } });
    const resolvedB = await channels.forWebhook("resend-email", forB);
    expect(resolvedB).toMatchObject({ shopId: shopB, channel: environment["resend-email"] });
    expect(resolvedB.channel?.verify(signedWith(OWN.resendSecret, forB))).toMatchObject({ ok: false });
  });

  it("says a shop sends when it has its own credentials, even where the deployment keeps everything in the outbox", async () => {
    await installOwnMeta();
    const channels = channelsWith();
    expect(await channels.canSend(shopA, { provider: "meta", channel: "whatsapp" })).toBe(true);
    expect(await channels.canSend(shopB, { provider: "meta", channel: "whatsapp" })).toBe(false);
    expect(await channels.canSend(shopA, { provider: "resend", channel: "email" })).toBe(false);
    // And B's messages stay in the outbox, with the reason.
    const kept = await channels.deliver("meta", { messageId: "m1", channel: "whatsapp", from: numbers.b, to: "+33645789012", body: "Bonjour" }, shopB);
    expect(kept).toEqual({ kind: "outbox", reason: "no meta credentials configured: kept in the outbox" });
  });

  it("answers Meta's GET handshake for the deployment's verify token and for the one a shop saved with its own Meta app, and no other", async () => {
    const handshake = (token: string, mode = "subscribe") =>
      new URL(`https://app.example.test/webhooks/channels/meta-whatsapp?${new URLSearchParams({ "hub.mode": mode, "hub.verify_token": token, "hub.challenge": "1158201444" }).toString()}`);
    const atelierToken = `atelier-verify-${n}`;
    const channels = channelsWith();
    expect(await channels.verifyMetaSubscription(handshake(atelierToken))).toEqual({ ok: false, reason: "hub.verify_token does not match the configured verifyToken" });

    const saved = await savePluginSettings(db, {
      shopId: shopB,
      pluginId: "meta-whatsapp",
      input: { accessToken: "atelier-own-token", appSecret: "atelier-own-app-secret", verifyToken: atelierToken, phoneNumberId: "306540352242922" },
      secretsKey,
      clock,
    });
    expect(saved).toMatchObject({ ok: true });
    expect(await channels.verifyMetaSubscription(handshake(atelierToken))).toEqual({ ok: true, challenge: "1158201444" });
    expect(await channels.verifyMetaSubscription(handshake("deployment-verify"))).toEqual({ ok: true, challenge: "1158201444" });
    expect(await channels.verifyMetaSubscription(handshake(atelierToken, "unsubscribe"))).toMatchObject({ ok: false });
    expect(await channels.verifyMetaSubscription(handshake(`${atelierToken}x`))).toMatchObject({ ok: false });

    // Without the deployment's Meta app, the shops' own tokens still answer; once removed, not hers.
    const withoutDeployment = createShopChannels({
      db,
      clock,
      logger: silentLogger,
      secretsKey,
      environment: { ...environment, "meta-whatsapp": null },
      environmentSends: { "twilio-sms": false, "twilio-whatsapp": false, "meta-whatsapp": false, "resend-email": false },
      ttlMs: TTL_MS,
      cacheClock,
    });
    expect(await withoutDeployment.verifyMetaSubscription(handshake(atelierToken))).toEqual({ ok: true, challenge: "1158201444" });
    expect(await withoutDeployment.verifyMetaSubscription(handshake("deployment-verify"))).toEqual({ ok: false, reason: "hub.verify_token matches no shop's WhatsApp Cloud API settings" });
    expect(await removePluginSettings(db, { shopId: shopB, pluginId: "meta-whatsapp" })).toBe(true);
    withoutDeployment.invalidate();
    expect(await withoutDeployment.verifyMetaSubscription(handshake(atelierToken))).toMatchObject({ ok: false });
  });

  it("uses what Sarah saves from the next message on once told, and within the TTL otherwise", async () => {
    const channels = channelsWith();
    const forA = metaBody(numbers.a.slice(1));
    expect((await channels.forWebhook("meta-whatsapp", forA)).channel).toBe(environment["meta-whatsapp"]);

    await installOwnMeta();
    // Cached: still the deployment's until told or until the TTL runs out.
    expect((await channels.forWebhook("meta-whatsapp", forA)).channel).toBe(environment["meta-whatsapp"]);
    cacheClock.advance(TTL_MS + 1);
    const afterTtl = (await channels.forWebhook("meta-whatsapp", forA)).channel;
    expect(afterTtl?.verify(metaRequest(forA, OWN.metaSecret))).toEqual({ ok: true });

    const told = channelsWith();
    expect((await told.forWebhook("meta-whatsapp", forA)).channel?.verify(metaRequest(forA, OWN.metaSecret))).toEqual({ ok: true });
    await savePluginSettings(db, {
      shopId: shopA,
      pluginId: "meta-whatsapp",
      input: { accessToken: "elegance-own-token", appSecret: "a-new-app-secret", verifyToken: "elegance-verify", phoneNumberId: "206540352242922" },
      secretsKey,
      clock,
    });
    told.invalidate();
    const renewed = (await told.forWebhook("meta-whatsapp", forA)).channel;
    expect(renewed?.verify(metaRequest(forA, "a-new-app-secret"))).toEqual({ ok: true });
    expect(renewed?.verify(metaRequest(forA, OWN.metaSecret))).toMatchObject({ ok: false });
  });

  it("refuses a shop whose saved credentials cannot be read rather than sending or verifying for it with the deployment's", async () => {
    await installOwnMeta(parseSecretsKey(generateSecretsKey()));
    const channels = channelsWith(secretsKey, true);
    expect(await channels.forWebhook("meta-whatsapp", metaBody(numbers.a.slice(1)))).toEqual({ shopId: shopA, channel: null });
    const sending = channels.deliver("meta", { messageId: "m2", channel: "whatsapp", from: numbers.a, to: "+33645789012", body: "Bonjour" }, shopA);
    await expect(sending).rejects.toBeInstanceOf(ProviderError);
    await expect(sending).rejects.toMatchObject({ details: { retryable: false }, message: expect.stringContaining("save them again in Settings") });
    expect(await channels.canSend(shopA, { provider: "meta", channel: "whatsapp" })).toBe(false);
    // B, untouched, still verifies with the deployment's secret.
    expect((await channels.forWebhook("meta-whatsapp", metaBody(numbers.b.slice(1)))).channel).toBe(environment["meta-whatsapp"]);
  });

  it("never sends through the deployment's account from a number the shop does not own", async () => {
    const channels = channelsWith(secretsKey, true);
    // B asks to send from A's number (a stale conversation after a number moved): kept, not sent.
    const kept = await channels.deliver("meta", { messageId: "m3", channel: "whatsapp", from: numbers.a, to: "+33645789012", body: "Bonjour" }, shopB);
    expect(kept).toMatchObject({ kind: "outbox", reason: expect.stringContaining("no longer connected to this shop") });
  });
});
