/**
 * Plugin settings on PostgreSQL and PGlite, two shops: validation with field messages, secrets
 * split out and encrypted, instances loaded back, connection tests recorded, one CRM per shop.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pluginInstallations } from "../../db/schema";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { createLogger, silentLogger } from "~/lib/logger.server";
import { decryptSecrets, generateSecretsKey, parseSecretsKey, SecretsError } from "~/lib/secrets.server";
import { upsertShop } from "~/shops/install.server";
import { startFakeHubSpotApi, type FakeHubSpotApi } from "../../tests/fakes/hubspot-api.server";
import { startFakeSalesforceApi, type FakeSalesforceApi } from "../../tests/fakes/salesforce-api.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import {
  getPluginSettings,
  loadCrm,
  loadPlugin,
  PluginSettingsError,
  savePluginSettings,
  testPluginConnection,
} from "./installations.server";

const HUBSPOT_TOKEN = "pat-eu1-11111111-2222-4333-8444-555555555555";
const SALESFORCE_TOKEN = "00DFAKE000000009!AQ4AQinstallationsTestToken.000000000000";
const secretsKey = parseSecretsKey(generateSecretsKey());

describe.each(DATABASE_KINDS)("plugin installations on %s", (kind) => {
  const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));
  const deps = { logger: silentLogger, clock };
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  let shopA: string;
  let shopB: string;
  let hubspot: FakeHubSpotApi;
  let salesforce: FakeSalesforceApi;
  let n = 0;

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
    shopA = (await upsertShop(db, { domain: `elegance-${n}.myshopify.com`, name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    shopB = (await upsertShop(db, { domain: `atelier-${n}.myshopify.com`, name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    hubspot = await startFakeHubSpotApi({ accounts: [{ token: HUBSPOT_TOKEN }], clock });
    salesforce = await startFakeSalesforceApi({ orgs: [{ token: SALESFORCE_TOKEN }], clock });
  });

  afterEach(async () => {
    expect(hubspot.unexpected).toEqual([]);
    expect(salesforce.unexpected).toEqual([]);
    await hubspot.close();
    await salesforce.close();
  });

  const rowsOf = (shopId: string) => db.select().from(pluginInstallations).where(eq(pluginInstallations.shopId, shopId));
  const saveHubSpot = (shopId: string, input: unknown, key: typeof secretsKey | null = secretsKey) =>
    savePluginSettings(db, { shopId, pluginId: "hubspot", input, secretsKey: key, clock });

  it("saves the built-in CRM without any setting and without SECRETS_KEY", async () => {
    const result = await savePluginSettings(db, { shopId: shopA, pluginId: "native-crm", input: {}, secretsKey: null, clock });
    expect(result).toMatchObject({
      ok: true,
      installation: { pluginId: "native-crm", enabled: true, hasSecrets: false, config: { segments: { vipMinAmountSpent: 500, vipTags: ["VIP"], activeWithinDays: 180 } } },
    });
    const [row] = await rowsOf(shopA);
    expect(row?.secrets).toBeNull();
  });

  it("returns field-level messages and stores nothing for invalid settings", async () => {
    const result = await saveHubSpot(shopA, { apiBaseUrl: "http://api.hubapi.com", extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.accessToken?.[0]).toMatch(/accessToken is required/);
    expect(result.fieldErrors.apiBaseUrl?.[0]).toMatch(/https/);
    expect(result.formErrors.join(" ")).toMatch(/Unrecognized key.*extra/);
    expect(await rowsOf(shopA)).toEqual([]);
    const nested = await savePluginSettings(db, { shopId: shopA, pluginId: "native-crm", input: { segments: { activeWithinDays: 0 } }, secretsKey: null, clock });
    expect(nested).toMatchObject({ ok: false, fieldErrors: { "segments.activeWithinDays": ["activeWithinDays must be at least 1"] } });
  });

  it("refuses a plugin with secrets when SECRETS_KEY is not set, saying what to do", async () => {
    const result = await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN }, null);
    expect(result).toMatchObject({ ok: false, formErrors: [expect.stringMatching(/SECRETS_KEY is not set.*accessToken.*openssl rand -base64 32/)] });
    expect(await rowsOf(shopA)).toEqual([]);
  });

  it("refuses an unknown plugin and input that is not an object", async () => {
    expect(await savePluginSettings(db, { shopId: shopA, pluginId: "pipedrive", input: {}, secretsKey, clock })).toMatchObject({
      ok: false,
      formErrors: ['Unknown plugin "pipedrive".'],
    });
    expect(await saveHubSpot(shopA, "token")).toMatchObject({ ok: false, formErrors: ["The settings must be an object of fields."] });
  });

  it("keeps the token out of `config`, encrypted in `secrets`, and never logs it", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
    const result = await savePluginSettings(db, { shopId: shopA, pluginId: "hubspot", input: { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url }, secretsKey, clock, logger });
    expect(result).toMatchObject({ ok: true, installation: { config: { apiBaseUrl: hubspot.url }, hasSecrets: true } });
    const [row] = await rowsOf(shopA);
    expect(row?.config).toEqual({ apiBaseUrl: hubspot.url });
    expect(row?.secrets).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(JSON.stringify(row)).not.toContain(HUBSPOT_TOKEN);
    expect(decryptSecrets(secretsKey, row?.secrets ?? "", { associatedData: `plugin_installations:${shopA}:hubspot` })).toEqual({ accessToken: HUBSPOT_TOKEN });
    expect(lines.join("\n")).toContain("plugin settings saved");
    expect(lines.join("\n")).not.toContain(HUBSPOT_TOKEN);
    expect(JSON.stringify(await getPluginSettings(db, { shopId: shopA, pluginId: "hubspot" }))).not.toContain(HUBSPOT_TOKEN);
  });

  it("loads a working instance for the shop that configured it, and nothing for the other shop", async () => {
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url });
    const crm = await loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey, deps });
    expect(crm).not.toBeNull();
    const created = await crm?.upsertContact({ email: "julie@exemple.fr", firstName: "Julie" });
    expect(hubspot.portal(HUBSPOT_TOKEN).contacts.map((c) => c.id)).toEqual([created?.id]);
    expect(hubspot.requests.every((r) => r.headers.authorization === `Bearer ${HUBSPOT_TOKEN}`)).toBe(true);
    expect(await loadPlugin(db, { shopId: shopB, pluginId: "hubspot", secretsKey, deps })).toBeNull();
  });

  it("keeps the stored token when the form leaves it empty, and replaces it when typed", async () => {
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: "https://api.hubapi.com" });
    const kept = await saveHubSpot(shopA, { accessToken: "", apiBaseUrl: hubspot.url });
    expect(kept.ok).toBe(true);
    const crm = await loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey, deps });
    expect(await crm?.testConnection()).toEqual({ ok: true });
    await saveHubSpot(shopA, { accessToken: "pat-eu1-typed-again", apiBaseUrl: hubspot.url });
    const [row] = await rowsOf(shopA);
    expect(decryptSecrets(secretsKey, row?.secrets ?? "", { associatedData: `plugin_installations:${shopA}:hubspot` })).toEqual({ accessToken: "pat-eu1-typed-again" });
  });

  it("refuses secrets copied into another shop's row, tampered secrets, and a missing key", async () => {
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url });
    await saveHubSpot(shopB, { accessToken: "pat-eu1-shop-b-token", apiBaseUrl: hubspot.url });
    const [rowA] = await rowsOf(shopA);
    await db.update(pluginInstallations).set({ secrets: rowA?.secrets }).where(eq(pluginInstallations.shopId, shopB));
    await expect(loadPlugin(db, { shopId: shopB, pluginId: "hubspot", secretsKey, deps })).rejects.toBeInstanceOf(SecretsError);

    const parts = (rowA?.secrets ?? "").split(":");
    const ct = Buffer.from(parts[3] ?? "", "base64");
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[3] = ct.toString("base64");
    await db.update(pluginInstallations).set({ secrets: parts.join(":") }).where(eq(pluginInstallations.shopId, shopA));
    await expect(loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey, deps })).rejects.toThrow(/failed authentication/);
    await expect(loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey: null, deps })).rejects.toThrow(/SECRETS_KEY is not set/);
  });

  it("refuses to load settings that no longer validate", async () => {
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url });
    await db.update(pluginInstallations).set({ config: { apiBaseUrl: "ftp://nowhere" } }).where(eq(pluginInstallations.shopId, shopA));
    await expect(loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey, deps })).rejects.toBeInstanceOf(PluginSettingsError);
  });

  it("records the connection test, ok or refused (without the token in the reason)", async () => {
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url });
    clock.set(new Date("2026-01-12T10:00:00Z"));
    expect(await testPluginConnection(db, { shopId: shopA, pluginId: "hubspot", secretsKey, clock, deps: { logger: silentLogger } })).toEqual({ ok: true });
    expect(await getPluginSettings(db, { shopId: shopA, pluginId: "hubspot" })).toMatchObject({
      lastTestedAt: new Date("2026-01-12T10:00:00Z"),
      lastTestResult: { ok: true },
    });

    await saveHubSpot(shopB, { accessToken: "pat-eu1-revoked-0000", apiBaseUrl: hubspot.url });
    hubspot.failNext(401, { body: { status: "error", message: "token pat-eu1-revoked-0000 is revoked", category: "INVALID_AUTHENTICATION" } });
    clock.set(new Date("2026-01-12T10:05:00Z"));
    const refused = await testPluginConnection(db, { shopId: shopB, pluginId: "hubspot", secretsKey, clock, deps: { logger: silentLogger } });
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining("HTTP 401") });
    const [rowB] = await rowsOf(shopB);
    expect(rowB?.lastTestedAt).toEqual(new Date("2026-01-12T10:05:00Z"));
    expect(rowB?.lastTestResult).not.toContain("pat-eu1-revoked-0000");
    // Shop A's result is untouched.
    expect((await getPluginSettings(db, { shopId: shopA, pluginId: "hubspot" }))?.lastTestedAt).toEqual(new Date("2026-01-12T10:00:00Z"));
    // New settings clear the last result.
    await saveHubSpot(shopA, { accessToken: "", apiBaseUrl: hubspot.url });
    expect(await getPluginSettings(db, { shopId: shopA, pluginId: "hubspot" })).toMatchObject({ lastTestedAt: null, lastTestResult: null });
  });

  it("says so when the plugin is not configured for the shop", async () => {
    expect(await testPluginConnection(db, { shopId: shopB, pluginId: "salesforce", secretsKey, clock, deps: { logger: silentLogger } })).toEqual({
      ok: false,
      reason: '"salesforce" is not configured for this shop.',
    });
  });

  it("gives each shop one CRM: the built-in one by default, the last one enabled otherwise", async () => {
    expect((await loadCrm(db, { shopId: shopA, secretsKey, deps })).pluginId).toBe("native-crm");
    await saveHubSpot(shopA, { accessToken: HUBSPOT_TOKEN, apiBaseUrl: hubspot.url });
    expect((await loadCrm(db, { shopId: shopA, secretsKey, deps })).pluginId).toBe("hubspot");
    expect((await loadCrm(db, { shopId: shopB, secretsKey, deps })).pluginId).toBe("native-crm");

    clock.advance(1000);
    const saved = await savePluginSettings(db, {
      shopId: shopA,
      pluginId: "salesforce",
      input: { instanceUrl: salesforce.url, accessToken: SALESFORCE_TOKEN },
      secretsKey,
      clock,
    });
    expect(saved.ok).toBe(true);
    const { pluginId, crm } = await loadCrm(db, { shopId: shopA, secretsKey, deps });
    expect(pluginId).toBe("salesforce");
    const rows = await db
      .select({ pluginId: pluginInstallations.pluginId, enabled: pluginInstallations.enabled })
      .from(pluginInstallations)
      .where(and(eq(pluginInstallations.shopId, shopA)));
    expect(Object.fromEntries(rows.map((r) => [r.pluginId, r.enabled]))).toEqual({ hubspot: false, salesforce: true });
    expect(await loadPlugin(db, { shopId: shopA, pluginId: "hubspot", secretsKey, deps })).toBeNull();
    const contact = await crm.upsertContact({ email: "julie@exemple.fr", lastName: "Martin" });
    expect(salesforce.org(SALESFORCE_TOKEN).contacts.map((c) => c.Id)).toEqual([contact.id]);

    // The built-in CRM saved and enabled takes over again.
    clock.advance(1000);
    await savePluginSettings(db, { shopId: shopA, pluginId: "native-crm", input: {}, secretsKey: null, clock });
    expect((await loadCrm(db, { shopId: shopA, secretsKey, deps })).pluginId).toBe("native-crm");
  });
});
