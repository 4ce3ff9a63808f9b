/**
 * Plugin settings per shop (`plugin_installations`): a shop enables and configures an integration
 * plugin, the app turns the stored settings back into a working instance.
 *
 * - `savePluginSettings` validates the merchant's input with the plugin's zod schema (field-level
 *   messages back, nothing stored when invalid), moves the settings the plugin declares secret
 *   (`secretKeys`, dotted paths for nested ones) into the `secrets` column encrypted with
 *   AES-256-GCM (app/lib/secrets.server.ts) bound to the shop and plugin, and keeps the rest in
 *   `config`. A secret left empty in the input keeps the stored one (forms never show secrets).
 *   Without `SECRETS_KEY`, a plugin with secrets cannot be saved. Enabling a CRM disables the
 *   shop's other CRMs: one shop, one place for its customer relationship.
 * - `loadPlugin` gives the configured instance; `loadCrm` the shop's CRM (the built-in one when
 *   no other is enabled).
 * - `testPluginConnection` runs the plugin's `testConnection` and stores when and what it said.
 * - Channel plugins (Twilio, Meta, Resend) are saved the same way; `loadChannel` gives a shop's
 *   configured channel (the settings page's test message sends through it).
 * - `removePluginSettings` uninstalls: the row and its secrets are deleted.
 *
 * Every query is filtered on the shop id.
 */
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { ZodType, ZodTypeDef } from "zod";
import { pluginInstallations } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { decryptSecrets, encryptSecrets, redact, SecretsError, type SecretsKey } from "~/lib/secrets.server";
import { nativeCrmPlugin } from "./integrations/native-crm";
import { findChannelPlugin, findIntegrationPlugin, INTEGRATION_PLUGINS, type ChannelPlugin, type ChannelPluginId, type IntegrationPlugin, type IntegrationPluginId } from "./registry.server";
import type { Channel, Crm } from "./types";

export type { IntegrationPlugin, IntegrationPluginId } from "./registry.server";
export type PluginInstance<Id extends IntegrationPluginId> = ReturnType<Extract<IntegrationPlugin, { id: Id }>["create"]>;
export type CrmPluginId = Extract<IntegrationPlugin, { capabilities: readonly ["crm"] }>["id"];
/** What a shop can save settings for: integrations and channels. */
type InstallablePlugin = IntegrationPlugin | ChannelPlugin;

/** Everything a plugin's `create` may need besides its config; each takes what it uses. */
export interface PluginDeps {
  db: Database;
  shopId: string;
  logger: Logger;
  clock: Clock;
  http?: typeof fetch;
}

export type ConnectionResult = { ok: true } | { ok: false; reason: string };

export interface InstallationView {
  pluginId: string;
  enabled: boolean;
  /** The settings that are not secret, as validated (defaults filled in). */
  config: Record<string, unknown>;
  /** Whether secrets are stored (their values never leave this module). */
  hasSecrets: boolean;
  lastTestedAt: Date | null;
  lastTestResult: ConnectionResult | null;
  updatedAt: Date;
}

export type SaveResult =
  | { ok: true; installation: InstallationView }
  | {
      ok: false;
      /** Problems with the whole form (unknown plugin, missing SECRETS_KEY …). */
      formErrors: string[];
      /** Messages per field, keyed by dotted path ("accessToken", "segments.activeWithinDays"). */
      fieldErrors: Record<string, string[]>;
    };

export class PluginSettingsError extends Error {
  override name = "PluginSettingsError";
}

type Row = typeof pluginInstallations.$inferSelect;

/**
 * The shape `installations` needs from a definition. `create` is a method (its parameter is
 * compared both ways), so every plugin's own deps type fits; it receives all of `PluginDeps`.
 */
interface Installable<C, I> {
  configSchema: ZodType<C, ZodTypeDef, unknown>;
  create(deps: { config: C }): I;
}

function findInstallable(pluginId: string): InstallablePlugin | undefined {
  return findIntegrationPlugin(pluginId) ?? findChannelPlugin(pluginId);
}

/** The plugin's declared secret paths, or null when it declares none (it cannot be stored safely). */
function secretKeysOf(plugin: InstallablePlugin): readonly string[] | null {
  return "secretKeys" in plugin ? plugin.secretKeys : null;
}

function associatedData(shopId: string, pluginId: string): string {
  return `plugin_installations:${shopId}:${pluginId}`;
}

export async function savePluginSettings(
  db: Database,
  options: {
    shopId: string;
    pluginId: string;
    /** What the merchant typed (a form's fields, parsed JSON). */
    input: unknown;
    /** `SECRETS_KEY`, parsed; null when the deployment has none. */
    secretsKey: SecretsKey | null;
    clock: Clock;
    enabled?: boolean;
    logger?: Logger;
    /** Validate only: the answer a save would give, with nothing stored. */
    dryRun?: boolean;
  },
): Promise<SaveResult> {
  const { shopId, pluginId, secretsKey, clock } = options;
  const enabled = options.enabled ?? true;
  const fail = (formErrors: string[], fieldErrors: Record<string, string[]> = {}): SaveResult => ({ ok: false, formErrors, fieldErrors });

  const plugin = findInstallable(pluginId);
  if (!plugin) return fail([`Unknown plugin "${pluginId}".`]);
  const secretKeys = secretKeysOf(plugin);
  if (!secretKeys) return fail([`The plugin "${pluginId}" does not declare which of its settings are secret (secretKeys), so they cannot be stored safely.`]);
  if (secretKeys.length > 0 && !secretsKey) {
    return fail([
      `SECRETS_KEY is not set: the settings of "${pluginId}" include secrets (${secretKeys.join(", ")}), which are stored encrypted. Set SECRETS_KEY (openssl rand -base64 32) and restart the app.`,
    ]);
  }
  if (!isPlainObject(options.input)) return fail(["The settings must be an object of fields."]);

  const existing = await findRow(db, shopId, pluginId);
  const input = structuredClone(options.input);
  // A secret left empty keeps the stored one: settings forms never display secrets.
  if (existing?.secrets && secretsKey && secretKeys.some((path) => isBlank(getPath(input, path)))) {
    let stored: Record<string, string>;
    try {
      stored = decryptSecrets(secretsKey, existing.secrets, { associatedData: associatedData(shopId, pluginId) });
    } catch (error) {
      return fail([`The stored secrets cannot be read (${error instanceof Error ? error.message : String(error)}); type them again.`]);
    }
    for (const path of secretKeys) {
      const kept = stored[path];
      if (isBlank(getPath(input, path)) && kept !== undefined) setPath(input, path, kept);
    }
  }

  const parsed = plugin.configSchema.safeParse(input);
  if (!parsed.success) {
    const formErrors: string[] = [];
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      if (path === "") formErrors.push(issue.message);
      else (fieldErrors[path] ??= []).push(issue.message);
    }
    return fail(formErrors, fieldErrors);
  }

  const config: Record<string, unknown> = structuredClone(parsed.data) as Record<string, unknown>;
  const secrets: Record<string, string> = {};
  for (const path of secretKeys) {
    const value = getPath(config, path);
    if (value === undefined) continue;
    if (typeof value !== "string") throw new PluginSettingsError(`${pluginId}: secret ${path} is not a string`);
    secrets[path] = value;
    deletePath(config, path);
  }
  const encrypted =
    Object.keys(secrets).length === 0 || !secretsKey ? null : encryptSecrets(secretsKey, secrets, { associatedData: associatedData(shopId, pluginId) });

  const now = clock.now();
  if (options.dryRun) {
    return {
      ok: true,
      installation: { pluginId, enabled, config, hasSecrets: encrypted !== null, lastTestedAt: null, lastTestResult: null, updatedAt: now },
    };
  }
  const row = await db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(pluginInstallations)
      .values({ shopId, pluginId, enabled, config, secrets: encrypted, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [pluginInstallations.shopId, pluginInstallations.pluginId],
        // New settings make the last connection test meaningless.
        set: { enabled, config, secrets: encrypted, lastTestedAt: null, lastTestResult: null, updatedAt: now },
      })
      .returning();
    if (!saved) throw new PluginSettingsError(`could not save ${pluginId} for shop ${shopId}`);
    const crmIds: string[] = INTEGRATION_PLUGINS.filter((p) => (p.capabilities as readonly string[]).includes("crm")).map((p) => p.id);
    if (enabled && crmIds.includes(pluginId)) {
      await tx
        .update(pluginInstallations)
        .set({ enabled: false, updatedAt: now })
        .where(
          and(
            eq(pluginInstallations.shopId, shopId),
            inArray(pluginInstallations.pluginId, crmIds),
            ne(pluginInstallations.pluginId, pluginId),
            eq(pluginInstallations.enabled, true),
          ),
        );
    }
    return saved;
  });
  options.logger?.info("plugin settings saved", { shopId, pluginId, enabled, secrets: Object.keys(secrets) });
  return { ok: true, installation: toView(row) };
}

/** The shop's settings of a plugin, without its secrets; null when never saved. */
export async function getPluginSettings(db: Database, options: { shopId: string; pluginId: string }): Promise<InstallationView | null> {
  const row = await findRow(db, options.shopId, options.pluginId);
  return row ? toView(row) : null;
}

/**
 * The last 4 characters of each stored secret (nothing for one shorter than 12), so a settings page
 * can say "saved ••••1234" without the secret leaving the server. Empty when none can be read.
 */
export async function storedSecretHints(
  db: Database,
  options: { shopId: string; pluginId: string; secretsKey: SecretsKey | null },
): Promise<Record<string, string>> {
  const row = await findRow(db, options.shopId, options.pluginId);
  if (!row?.secrets || !options.secretsKey) return {};
  try {
    const secrets = decryptSecrets(options.secretsKey, row.secrets, { associatedData: associatedData(options.shopId, options.pluginId) });
    return Object.fromEntries(Object.entries(secrets).map(([path, value]) => [path, value.length >= 12 ? value.slice(-4) : ""]));
  } catch {
    return {};
  }
}

/** Uninstalls a plugin for a shop: its settings and secrets are deleted. True when there was one. */
export async function removePluginSettings(db: Database, options: { shopId: string; pluginId: string }): Promise<boolean> {
  const removed = await db
    .delete(pluginInstallations)
    .where(and(eq(pluginInstallations.shopId, options.shopId), eq(pluginInstallations.pluginId, options.pluginId)))
    .returning({ id: pluginInstallations.id });
  return removed.length > 0;
}

/** The shops that saved their own settings for a channel plugin and have it enabled. */
export async function shopsWithOwnChannel(db: Database, pluginId: ChannelPluginId): Promise<string[]> {
  const rows = await db
    .select({ shopId: pluginInstallations.shopId })
    .from(pluginInstallations)
    .where(and(eq(pluginInstallations.pluginId, pluginId), eq(pluginInstallations.enabled, true)));
  return rows.map((row) => row.shopId);
}

/**
 * The shop's own configured channel (its saved credentials), or null when the shop has not saved
 * that channel. Throws like `loadPlugin` when the stored settings cannot be used.
 */
export async function loadChannel(
  db: Database,
  options: { shopId: string; pluginId: ChannelPluginId; secretsKey: SecretsKey | null; deps: Omit<PluginDeps, "db" | "shopId"> },
): Promise<Channel | null> {
  const plugin = findChannelPlugin(options.pluginId);
  if (!plugin) throw new PluginSettingsError(`unknown channel plugin ${options.pluginId}`);
  const row = await findRow(db, options.shopId, options.pluginId);
  if (!row || !row.enabled) return null;
  // Every channel plugin's `create` returns a `Channel` (registry.server.ts).
  return instantiateRow(db, plugin, row, options.secretsKey, options.deps).instance as Channel;
}

/**
 * The configured instance of an enabled plugin for a shop; null when the shop has not enabled it.
 * Throws `SecretsError` when its secrets cannot be decrypted (no or another SECRETS_KEY, tampering)
 * and `PluginSettingsError` when the stored settings no longer validate.
 */
export async function loadPlugin<Id extends IntegrationPluginId>(
  db: Database,
  options: { shopId: string; pluginId: Id; secretsKey: SecretsKey | null; deps: Omit<PluginDeps, "db" | "shopId"> },
): Promise<PluginInstance<Id> | null> {
  const plugin = findIntegrationPlugin(options.pluginId);
  if (!plugin) throw new PluginSettingsError(`unknown plugin ${options.pluginId}`);
  const row = await findRow(db, options.shopId, options.pluginId);
  if (!row || !row.enabled) return null;
  const { instance } = instantiateRow(db, plugin, row, options.secretsKey, options.deps);
  // `plugin` is the definition whose id is `Id`, so its `create` returns `PluginInstance<Id>`.
  return instance as PluginInstance<Id>;
}

/** The shop's CRM: the enabled CRM plugin, or the built-in one (the default, no settings needed). */
export async function loadCrm(
  db: Database,
  options: { shopId: string; secretsKey: SecretsKey | null; deps: Omit<PluginDeps, "db" | "shopId"> },
): Promise<{ pluginId: CrmPluginId; crm: Crm }> {
  const crmPlugins = INTEGRATION_PLUGINS.filter((p): p is Extract<IntegrationPlugin, { id: CrmPluginId }> =>
    (p.capabilities as readonly string[]).includes("crm"),
  );
  const [row] = await db
    .select()
    .from(pluginInstallations)
    .where(
      and(
        eq(pluginInstallations.shopId, options.shopId),
        eq(pluginInstallations.enabled, true),
        inArray(
          pluginInstallations.pluginId,
          crmPlugins.map((p) => p.id),
        ),
      ),
    )
    .orderBy(desc(pluginInstallations.updatedAt))
    .limit(1);
  const plugin = row ? crmPlugins.find((p) => p.id === row.pluginId) : undefined;
  if (row && plugin) {
    const { instance } = instantiateRow(db, plugin, row, options.secretsKey, options.deps);
    return { pluginId: plugin.id, crm: instance as Crm };
  }
  const crm = nativeCrmPlugin.create({
    ...options.deps,
    db,
    shopId: options.shopId,
    config: nativeCrmPlugin.configSchema.parse({}),
  });
  return { pluginId: nativeCrmPlugin.id, crm };
}

/**
 * Runs the plugin's connection test with the stored settings and records when and what it said
 * (`last_tested_at`, `last_test_result`). Secrets are scrubbed from the stored reason.
 */
export async function testPluginConnection(
  db: Database,
  options: { shopId: string; pluginId: IntegrationPluginId; secretsKey: SecretsKey | null; clock: Clock; deps: Omit<PluginDeps, "db" | "shopId" | "clock"> },
): Promise<ConnectionResult> {
  const { shopId, pluginId, secretsKey, clock } = options;
  const plugin = findIntegrationPlugin(pluginId);
  if (!plugin) return { ok: false, reason: `Unknown plugin "${pluginId}".` };
  const row = await findRow(db, shopId, pluginId);
  if (!row) return { ok: false, reason: `"${pluginId}" is not configured for this shop.` };

  let result: ConnectionResult;
  let secretValues: string[] = [];
  try {
    const { instance, secrets } = instantiateRow(db, plugin, row, secretsKey, { ...options.deps, clock });
    secretValues = secrets;
    if (typeof instance !== "object" || instance === null || !("testConnection" in instance) || typeof instance.testConnection !== "function") {
      result = { ok: false, reason: `"${pluginId}" has no connection test.` };
    } else {
      const answer: unknown = await instance.testConnection();
      result = isConnectionResult(answer) ? answer : { ok: false, reason: "the connection test returned an unreadable result" };
    }
  } catch (error) {
    result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!result.ok) result = { ok: false, reason: redact(result.reason, secretValues) };

  await db
    .update(pluginInstallations)
    .set({ lastTestedAt: clock.now(), lastTestResult: JSON.stringify(result) })
    .where(and(eq(pluginInstallations.shopId, shopId), eq(pluginInstallations.pluginId, pluginId)));
  return result;
}

// ───────────────────────────────── internals ─────────────────────────────────

async function findRow(db: Database, shopId: string, pluginId: string): Promise<Row | null> {
  const [row] = await db
    .select()
    .from(pluginInstallations)
    .where(and(eq(pluginInstallations.shopId, shopId), eq(pluginInstallations.pluginId, pluginId)))
    .limit(1);
  return row ?? null;
}

/** Config + decrypted secrets → validated settings → instance. Returns the secret values for scrubbing. */
function instantiateRow(
  db: Database,
  plugin: InstallablePlugin,
  row: Row,
  secretsKey: SecretsKey | null,
  deps: Omit<PluginDeps, "db" | "shopId">,
): { instance: unknown; secrets: string[] } {
  const settings: Record<string, unknown> = structuredClone(row.config);
  let secrets: Record<string, string> = {};
  if (row.secrets) {
    if (!secretsKey) throw new SecretsError(`SECRETS_KEY is not set: the stored secrets of "${row.pluginId}" cannot be decrypted`);
    secrets = decryptSecrets(secretsKey, row.secrets, { associatedData: associatedData(row.shopId, row.pluginId) });
    for (const [path, value] of Object.entries(secrets)) setPath(settings, path, value);
  }
  // Each definition is an `Installable` of its own config; the settings below come from its own schema.
  const installable: Installable<unknown, unknown> = plugin;
  const instance = instantiate(installable, settings, { ...deps, db, shopId: row.shopId }, row.pluginId);
  return { instance, secrets: Object.values(secrets) };
}

function instantiate<C, I>(plugin: Installable<C, I>, settings: unknown, deps: PluginDeps, pluginId: string): I {
  const parsed = plugin.configSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`).join("; ");
    throw new PluginSettingsError(`the stored settings of "${pluginId}" are no longer valid (${problems}); save them again`);
  }
  return plugin.create({ ...deps, config: parsed.data });
}

function toView(row: Row): InstallationView {
  return {
    pluginId: row.pluginId,
    enabled: row.enabled,
    config: row.config,
    hasSecrets: row.secrets !== null,
    lastTestedAt: row.lastTestedAt,
    lastTestResult: parseTestResult(row.lastTestResult),
    updatedAt: row.updatedAt,
  };
}

function parseTestResult(text: string | null): ConnectionResult | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isConnectionResult(value) ? value : null;
  } catch {
    return null;
  }
}

function isConnectionResult(value: unknown): value is ConnectionResult {
  if (!isPlainObject(value)) return false;
  return value.ok === true || (value.ok === false && typeof value.reason === "string");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function getPath(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split(".")) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let current = object;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!isPlainObject(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (last !== undefined) current[last] = value;
}

function deletePath(object: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  let current: unknown = object;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(current)) return;
    current = current[key];
  }
  const last = keys[keys.length - 1];
  if (isPlainObject(current) && last !== undefined) delete current[last];
}
