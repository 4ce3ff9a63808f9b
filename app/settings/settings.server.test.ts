/**
 * The settings page's service on PostgreSQL and PGlite with two shops: saving shop A's settings
 * never changes shop B's; a refused form is answered field by field and changes nothing; channel
 * secrets are stored encrypted and never come back to the page; the test message goes through the
 * app's delivery (createShopChannels): the shop's own saved Twilio credentials (a local fake of
 * Twilio's API), else the outbox;
 * approved WhatsApp templates are registered per shop, one per purpose and language.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { channelAccounts, pluginInstallations, shops } from "../../db/schema";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { generateSecretsKey, parseSecretsKey } from "~/lib/secrets.server";
import { connectChannelAccount, upsertShop } from "~/shops/install.server";
import { createShopChannels } from "~/plugins/shop-channels.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../../tests/fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import type { FormValues } from "./forms";
import { createSettingsService, type SettingsService } from "./settings.server";

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "twilio_auth_token_0042";
const AI_FORM: FormValues = {
  "automation.complaint": "off",
  "automation.reservation_request": "suggest",
  address: "tu",
  emoji: "on",
  signature: "Sarah",
  "languages[]": ["fr", "en"],
  mainLanguage: "en",
};
const POLICIES_FORM: FormValues = {
  holdMode: "hours",
  holdTime: "18:00",
  holdHours: "48",
  maxItems: "2",
  returnWindowDays: "14",
  transactionalStart: "09:00",
  transactionalEnd: "20:00",
  marketingStart: "11:00",
  marketingEnd: "19:00",
  "marketingDays[]": ["1", "2", "3"],
  marketingHolidays: "on",
};

describe.each(DATABASE_KINDS)("settings on %s", (kind) => {
  const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));
  const secretsKey = parseSecretsKey(generateSecretsKey());
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  let twilio: FakeTwilioApi;
  let settings: SettingsService;
  let shopA: string;
  let shopB: string;
  let n = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    twilio = await startFakeTwilioApi({ accountSid: SID, authToken: TOKEN, clock });
    // The app's delivery as services.server.ts builds it, with no deployment credentials: a shop
    // sends with what it saved, or its message waits in the outbox.
    const shopChannels = createShopChannels({
      db,
      clock,
      logger: silentLogger,
      secretsKey,
      environment: { "twilio-sms": null, "twilio-whatsapp": null, "resend-email": null, "meta-whatsapp": null },
      environmentSends: { "twilio-sms": false, "twilio-whatsapp": false, "resend-email": false, "meta-whatsapp": false },
      ttlMs: 30_000,
      cacheClock: clock,
    });
    settings = createSettingsService({
      db,
      clock,
      logger: silentLogger,
      secretsKey,
      publicUrl: "https://app.example.com",
      providerBaseUrls: { twilio: twilio.url, resend: "https://api.resend.com", meta: "https://graph.facebook.com" },
      deliver: shopChannels.deliver,
      channelsChanged: shopChannels.invalidate,
    });
  });

  afterAll(async () => {
    await twilio?.close();
    await handle?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    n += 1;
    shopA = (await upsertShop(db, { domain: `elegance-${n}.myshopify.com`, name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    shopB = (await upsertShop(db, { domain: `atelier-${n}.myshopify.com`, name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    await connectChannelAccount(db, { shopId: shopA, provider: "twilio", channel: "sms", address: `+3393903${String(5700 + n)}`, now: clock.now() });
  });

  const stored = async (shopId: string) => (await db.select().from(shops).where(eq(shops.id, shopId)))[0]?.settings;

  it("saves the AI settings of one shop only", async () => {
    const before = await stored(shopB);
    const saved = await settings.saveAi(shopA, AI_FORM);
    expect(saved).toEqual({ ok: true, message: { key: "settings.saved" } });
    const a = await stored(shopA);
    expect(a?.tone).toEqual({ address: "tu", emoji: true, signature: "Sarah" });
    expect(a?.languages).toEqual(["en", "fr"]);
    expect(a?.automation?.complaint).toBe("off");
    expect(a?.automation?.reservation_request).toBe("suggest");
    expect(a?.automation?.greeting).toBe("auto");
    expect(await stored(shopB)).toEqual(before);
  });

  it("saves holds, returns and quiet hours, and shows them back as the form had them", async () => {
    const before = await stored(shopB);
    expect(await settings.savePolicies(shopA, POLICIES_FORM)).toMatchObject({ ok: true });
    const a = await stored(shopA);
    expect(a?.policies).toMatchObject({ holdUntil: "+48h", maxItemsPerCustomer: 2, returnWindowDays: 14 });
    expect(a?.messaging?.sendWindows?.marketing).toEqual({ start: "11:00", end: "19:00", days: [1, 2, 3], closedOnFrenchPublicHolidays: true });
    expect((await settings.view(shopA)).policies).toMatchObject({ holdMode: "hours", holdHours: "48", maxItems: "2", marketingDays: ["1", "2", "3"] });
    expect(await stored(shopB)).toEqual(before);
  });

  it("refuses bad values field by field and changes nothing", async () => {
    const before = await stored(shopA);
    const policies = await settings.savePolicies(shopA, { ...POLICIES_FORM, holdHours: "0", maxItems: "9", marketingEnd: "10:00", "marketingDays[]": [] });
    expect(policies).toEqual({
      ok: false,
      fieldErrors: {
        holdHours: { key: "settings.policies.holdHours.error" },
        maxItems: { key: "settings.policies.maxItems.error" },
        marketingEnd: { key: "settings.policies.window.error" },
        marketingDays: { key: "settings.policies.marketingDays.error" },
      },
    });
    const ai = await settings.saveAi(shopA, { ...AI_FORM, "languages[]": [], signature: "x".repeat(81) });
    expect(ai).toEqual({ ok: false, fieldErrors: { signature: { key: "settings.ai.signature.error" }, languages: { key: "settings.ai.languages.error" }, mainLanguage: { key: "settings.ai.mainLanguage.error" } } });
    const main = await settings.saveAi(shopA, { ...AI_FORM, "languages[]": ["en"], mainLanguage: "fr" });
    expect(main).toEqual({ ok: false, fieldErrors: { mainLanguage: { key: "settings.ai.mainLanguage.error" } } });
    expect(await stored(shopA)).toEqual(before);
  });

  it("keeps a template's wording per shop, refuses an unknown variable, and goes back to the default", async () => {
    const template = { kind: "reply", template: "availability.variant", language: "fr", channel: "sms" };
    const refused = await settings.saveTemplate(shopA, { ...template, text: "Oui {{prenom}}, {{product}} est dispo {{size}}" });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { text: { key: "settings.templates.errors.unknownVariable", vars: { name: "{{prenom}}" } } } });
    const close = await settings.saveTemplate(shopA, { ...template, text: "Oui {{prodcut}} !" });
    expect(close).toMatchObject({ ok: false, fieldErrors: { text: { key: "settings.templates.errors.unknownVariableSuggest", vars: { suggestion: "{{product}}" } } } });
    expect((await stored(shopA))?.templates).toBeUndefined();

    const text = "Oui ! {{product}} est dispo {{size}} 😍";
    expect(await settings.saveTemplate(shopA, { ...template, text })).toMatchObject({ ok: true });
    expect(await settings.saveTemplate(shopA, { kind: "proactive", template: "reminder.pickup", language: "fr", channel: "sms", text: "{{firstName}}, {{item}} vous attend {{holdDeadline}}." })).toMatchObject({ ok: true });
    expect((await stored(shopA))?.templates).toEqual({
      reply: { "availability.variant": { fr: text } },
      proactive: { "reminder.pickup": { fr: { sms: "{{firstName}}, {{item}} vous attend {{holdDeadline}}." } } },
    });
    expect((await stored(shopB))?.templates).toBeUndefined();

    expect(await settings.saveTemplate(shopA, { ...template, text: "", reset: "1" })).toEqual({ ok: true, message: { key: "settings.templates.resetDone" } });
    expect((await stored(shopA))?.templates?.reply).toEqual({});
  });

  it("registers the shop's approved WhatsApp templates, refuses a duplicate or a malformed name, and removes one", async () => {
    const contentSid = "HX0123456789abcdef0123456789abcdef";
    const before = await stored(shopB);
    const registered = await settings.registerWhatsappTemplate(shopA, { purpose: "reminder.pickup", language: "fr", name: ` ${contentSid} ` });
    expect(registered).toEqual({ ok: true, message: { key: "settings.whatsappTemplates.registered" } });
    expect(await settings.registerWhatsappTemplate(shopA, { purpose: "reminder.pickup", language: "en", name: "coccinelle_reminder_pickup" })).toMatchObject({ ok: true });
    const afterRegistering = await stored(shopA);
    expect(afterRegistering?.messaging?.whatsappTemplates).toEqual([
      { purpose: "reminder.pickup", language: "fr", name: contentSid },
      { purpose: "reminder.pickup", language: "en", name: "coccinelle_reminder_pickup" },
    ]);

    // Refused field by field; the stored settings stay as they were.
    expect(await settings.registerWhatsappTemplate(shopA, { purpose: "reminder.pickup", language: "fr", name: "HX0000000000000000000000000000000b" })).toEqual({
      ok: false,
      fieldErrors: { purpose: { key: "settings.whatsappTemplates.errors.duplicate" } },
    });
    expect(await settings.registerWhatsappTemplate(shopA, { purpose: "order.thank_you", language: "fr", name: "HX123" })).toEqual({
      ok: false,
      fieldErrors: { name: { key: "settings.whatsappTemplates.errors.sid" } },
    });
    expect(await settings.registerWhatsappTemplate(shopA, { purpose: "pickup", language: "de", name: "Merci Beaucoup" })).toEqual({
      ok: false,
      fieldErrors: {
        purpose: { key: "settings.whatsappTemplates.errors.purpose" },
        language: { key: "settings.whatsappTemplates.errors.language" },
        name: { key: "settings.whatsappTemplates.errors.name" },
      },
    });
    expect(await settings.registerWhatsappTemplate(shopA, { purpose: "order.thank_you", language: "fr", name: "  " })).toEqual({ ok: false, fieldErrors: { name: { key: "settings.errors.required" } } });
    expect(await stored(shopA)).toEqual(afterRegistering);

    // The page shows the app's templates in the shop's address form; shop B sees none registered.
    const catalogue = (await settings.view(shopA)).whatsappCatalogue;
    expect(catalogue.find((entry) => entry.purpose === "reminder.pickup")).toMatchObject({
      category: "UTILITY",
      variants: [
        { language: "fr", name: "coccinelle_reminder_pickup", variables: ["shopName", "ofItem", "holdDeadline"] },
        { language: "en", name: "coccinelle_reminder_pickup" },
      ],
    });
    expect(catalogue.find((entry) => entry.purpose === "reminder.pickup")?.variants[0]?.body).toContain("votre réservation {{2}}");
    expect((await settings.view(shopB)).settings.messaging?.whatsappTemplates).toBeUndefined();

    // Shop B registering the same purpose is its own; removing it leaves shop A's in place.
    expect(await settings.registerWhatsappTemplate(shopB, { purpose: "reminder.pickup", language: "fr", name: "coccinelle_reminder_pickup" })).toMatchObject({ ok: true });
    expect(await settings.removeWhatsappTemplate(shopB, { purpose: "reminder.pickup", language: "fr" })).toEqual({ ok: true, message: { key: "settings.whatsappTemplates.removed" } });
    expect(await stored(shopB)).toEqual({ ...before, messaging: { whatsappTemplates: [] } });
    expect(await stored(shopA)).toEqual(afterRegistering);

    expect(await settings.removeWhatsappTemplate(shopA, { purpose: "reminder.pickup", language: "fr" })).toMatchObject({ ok: true });
    expect((await stored(shopA))?.messaging?.whatsappTemplates).toEqual([{ purpose: "reminder.pickup", language: "en", name: "coccinelle_reminder_pickup" }]);
    expect(await settings.removeWhatsappTemplate(shopA, { purpose: "reminder.pickup", language: "fr" })).toEqual({ ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } });
  });

  it("stores Twilio credentials encrypted, never gives the token back, and routes the numbers to the shop", async () => {
    const malformed = await settings.saveChannel(shopA, "twilio", { accountSid: "AC123", authToken: TOKEN, smsNumber: "06 12 34 56 78", whatsappNumber: "" });
    expect(malformed).toEqual({ ok: false, fieldErrors: { accountSid: { key: "settings.channels.twilio.accountSidError" } } });
    expect(await db.select().from(pluginInstallations).where(eq(pluginInstallations.shopId, shopA))).toEqual([]);

    const smsNumber = `+3361234${String(5600 + n)}`;
    const whatsappNumber = `+3361235${String(5600 + n)}`;
    const saved = await settings.saveChannel(shopA, "twilio", { accountSid: SID, authToken: TOKEN, smsNumber, whatsappNumber });
    expect(saved).toMatchObject({ ok: true });
    const rows = await db.select().from(pluginInstallations).where(eq(pluginInstallations.shopId, shopA));
    expect(rows.map((r) => r.pluginId).sort()).toEqual(["twilio-sms", "twilio-whatsapp"]);
    for (const row of rows) {
      expect(row.config).toMatchObject({ accountSid: SID, apiBaseUrl: twilio.url });
      expect(JSON.stringify(row.config)).not.toContain(TOKEN);
      expect(row.secrets).not.toBeNull();
      expect(row.secrets).not.toContain(TOKEN);
    }
    // The new SMS number replaced the old one; the WhatsApp number is connected.
    const accounts = await db.select().from(channelAccounts).where(eq(channelAccounts.shopId, shopA));
    expect(accounts.map((a) => `${a.channel} ${a.address}`).sort()).toEqual([`sms ${smsNumber}`, `whatsapp ${whatsappNumber}`]);

    const view = await settings.view(shopA);
    expect(view.channels.twilio).toMatchObject({ saved: true, values: { accountSid: SID }, secrets: { authToken: "0042" } });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect((await settings.view(shopB)).channels.twilio.saved).toBe(false);

    // Shop B cannot take shop A's number.
    const taken = await settings.saveChannel(shopB, "twilio", { accountSid: SID, authToken: TOKEN, smsNumber, whatsappNumber: "" });
    expect(taken).toEqual({ ok: false, fieldErrors: { smsNumber: { key: "settings.channels.addressTaken" } } });

    // A blank token keeps the stored one.
    expect(await settings.saveChannel(shopA, "twilio", { accountSid: SID, authToken: "", smsNumber, whatsappNumber: "" })).toMatchObject({ ok: true });
    expect((await settings.view(shopA)).channels.twilio.secrets).toEqual({ authToken: "0042" });
    expect(await db.select().from(channelAccounts).where(and(eq(channelAccounts.shopId, shopA), eq(channelAccounts.channel, "whatsapp")))).toEqual([]);
  });

  it("sends the test message through the app's delivery: kept in the outbox without credentials, then with the shop's saved Twilio account", async () => {
    const requests = twilio.requests.length;
    const before = await settings.sendTestMessage(shopA, { testChannel: "sms", testTo: "06 45 78 90 12" }, "fr");
    expect(before).toEqual({ ok: true, message: { key: "settings.channels.test.outbox", vars: { to: "+33645789012" } } });
    expect(twilio.requests).toHaveLength(requests);

    const smsNumber = `+3361236${String(5600 + n)}`;
    await settings.saveChannel(shopA, "twilio", { accountSid: SID, authToken: TOKEN, smsNumber, whatsappNumber: "" });
    const sent = await settings.sendTestMessage(shopA, { testChannel: "sms", testTo: "+33645789012" }, "en");
    expect(sent).toMatchObject({ ok: true, message: { key: "settings.channels.test.sent" } });
    const request = twilio.requests[requests];
    expect(request?.form).toMatchObject({ To: "+33645789012", From: smsNumber, Body: "Test message from Élégance Paris: this channel works." });

    expect(await settings.sendTestMessage(shopA, { testChannel: "sms", testTo: "not a number" }, "en")).toMatchObject({ ok: false, fieldErrors: { testTo: { key: "settings.errors.phone" } } });
    expect(await settings.sendTestMessage(shopB, { testChannel: "sms", testTo: "+33645789012" }, "en")).toEqual({ ok: false, message: { key: "settings.channels.test.noAccount" } });
  });

  it("sends a WhatsApp test message from the number of the provider she saved credentials for, not the channel's first one", async () => {
    // A Meta WhatsApp number listed first, without Meta credentials; her Twilio account has a WhatsApp number.
    await connectChannelAccount(db, { shopId: shopA, provider: "meta", channel: "whatsapp", address: `+3361237${String(5600 + n)}`, now: clock.now() });
    const whatsappNumber = `+3361238${String(5600 + n)}`;
    expect(await settings.saveChannel(shopA, "twilio", { accountSid: SID, authToken: TOKEN, smsNumber: `+3361239${String(5600 + n)}`, whatsappNumber })).toMatchObject({ ok: true });
    const requests = twilio.requests.length;
    const sent = await settings.sendTestMessage(shopA, { testChannel: "whatsapp", testTo: "+33645789012" }, "fr");
    expect(sent).toMatchObject({ ok: true, message: { key: "settings.channels.test.sent" } });
    expect(twilio.requests.slice(requests).map((r) => r.form)).toEqual([expect.objectContaining({ To: "whatsapp:+33645789012", From: `whatsapp:${whatsappNumber}` })]);
  });

  it("installs, configures and uninstalls a plugin for one shop", async () => {
    const refused = await settings.savePlugin(shopA, "native-crm", { "segments.vipMinAmountSpent": "-5", "segments.activeWithinDays": "90" });
    expect(refused).toEqual({ ok: false, fieldErrors: { "segments.vipMinAmountSpent": { key: "settings.plugins.nativeCrm.vipMinAmountSpentError" } } });
    expect(await settings.savePlugin(shopA, "native-crm", { "segments.vipMinAmountSpent": "800", "segments.vipTags": "VIP, Gold", "segments.activeWithinDays": "90" })).toMatchObject({ ok: true });
    expect((await settings.view(shopA)).plugins["native-crm"]).toMatchObject({ saved: true, enabled: true, values: { "segments.vipMinAmountSpent": "800", "segments.vipTags": "VIP, Gold" } });
    expect((await settings.view(shopB)).plugins["native-crm"]?.saved).toBe(false);

    expect(await settings.savePlugin(shopA, "hubspot", { accessToken: "" })).toEqual({ ok: false, fieldErrors: { accessToken: { key: "settings.errors.required" } } });
    await settings.removePlugin(shopB, "native-crm");
    expect((await settings.view(shopA)).plugins["native-crm"]?.saved).toBe(true);
    await settings.removePlugin(shopA, "native-crm");
    expect((await settings.view(shopA)).plugins["native-crm"]?.saved).toBe(false);
  });
});
