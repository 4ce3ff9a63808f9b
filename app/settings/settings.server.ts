/**
 * The merchant's settings page: what it shows and what it saves, for one shop at a time (every
 * query is filtered on the shop id).
 *
 * - AI, policies, templates: the shop's `ShopSettings` (app/shops/settings.ts), each form checked
 *   field by field (./forms.ts) and the result validated by `shopSettingsSchema` before it is
 *   stored. A refused form changes nothing.
 * - Channels and plugins: the plugin installations module (app/plugins/installations.server.ts):
 *   settings validated by each plugin's schema, secrets encrypted with SECRETS_KEY and never sent
 *   back (the page gets "saved" and the last 4 characters). A channel's numbers/addresses are the
 *   shop's channel accounts, which route inbound messages to it.
 * - The test message goes through the shop's own saved channel when it has one, else through the
 *   app's delivery (the deployment's credentials, or the outbox when it has none).
 * - Approved WhatsApp templates: the app's templates to submit for approval
 *   (whatsapp-approved-templates.json, in the shop's address form) and the shop's registrations of
 *   them (`settings.messaging.whatsappTemplates`: purpose, language, Content SID or Meta name).
 * - Saving or disconnecting a channel tells the app (`channelsChanged`): the shop's replies and
 *   webhooks use the new credentials and numbers from the next message on.
 */
import { randomUUID } from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import { channelAccounts, shops } from "../../db/schema";
import type { DeliveryResult } from "~/conversation/engine.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { toE164 } from "~/lib/phone";
import type { SecretsKey } from "~/lib/secrets.server";
import type { SendWindow } from "~/messaging/quiet-hours";
import { FRENCH_MARKETING_WINDOW, TRANSACTIONAL_WINDOW } from "~/messaging/quiet-hours";
import { PROACTIVE_TEMPLATE_IDS } from "~/messaging/templates/catalogue";
import { APPROVED_WHATSAPP_TEMPLATES, whatsappVariantKey } from "~/messaging/templates/whatsapp";
import {
  getPluginSettings,
  removePluginSettings,
  savePluginSettings,
  storedSecretHints,
  testPluginConnection,
  type ConnectionResult,
  type IntegrationPluginId,
} from "~/plugins/installations.server";
import { channelPluginFor, type ChannelPluginId } from "~/plugins/registry.server";
import { ProviderError, type ChannelKind, type OutboundMessage } from "~/plugins/types";
import { findShopByDomain, listChannelAccounts, type ShopRow } from "~/shops/install.server";
import { shopSettingsSchema, type ShopSettings } from "~/shops/settings";
import {
  aiFormInput,
  aiFormSchema,
  CHANNEL_FORMS,
  fieldErrorsOf,
  holdUntilFields,
  isRegistrationFor,
  PLUGIN_FORMS,
  pluginInput,
  policiesFormInput,
  policiesFormSchema,
  templateFormInput,
  templateFormSchema,
  text,
  whatsappTemplateFormInput,
  whatsappTemplateFormSchema,
  type ChannelProvider,
  type FieldError,
  type FieldErrors,
  type FormValues,
  type SettingField,
} from "./forms";
import { previewTemplate } from "./template-preview";

export type SaveOutcome = { ok: true; message: FieldError } | { ok: false; fieldErrors: FieldErrors; formError?: FieldError };

export interface InstalledView {
  saved: boolean;
  enabled: boolean;
  /** The non-secret settings, as strings for the form. */
  values: Record<string, string>;
  /** Per secret field: its last 4 characters ("" when short), or absent when none is stored. */
  secrets: Record<string, string>;
  lastTest: { at: string; result: ConnectionResult } | null;
}

export interface SettingsView {
  shop: { name: string; timeZone: string };
  canStoreSecrets: boolean;
  settings: ShopSettings;
  /** The policies form's values from the stored settings. */
  policies: Record<string, string | string[]>;
  accounts: Array<{ id: string; provider: string; channel: ChannelKind; address: string }>;
  channels: Record<ChannelProvider, InstalledView>;
  plugins: Record<string, InstalledView>;
  /** The app's WhatsApp templates to submit for approval, French in the shop's address form. */
  whatsappCatalogue: WhatsappCatalogueEntry[];
}

export interface WhatsappCatalogueEntry {
  /** The shipped template's id: what a registration's purpose is. */
  purpose: string;
  category: "UTILITY" | "MARKETING";
  variants: Array<{ language: "fr" | "en"; name: string; body: string; variables: string[] }>;
}

/** The templates to submit, per purpose: the French body in the shop's tu/vous, and the English one. */
function whatsappCatalogue(tu: boolean): WhatsappCatalogueEntry[] {
  return PROACTIVE_TEMPLATE_IDS.map((purpose) => {
    const { category, variants } = APPROVED_WHATSAPP_TEMPLATES[purpose];
    return {
      purpose,
      category,
      variants: (["fr", "en"] as const).map((language) => {
        const { name, body, variables } = variants[whatsappVariantKey(language, tu)];
        return { language, name, body, variables };
      }),
    };
  });
}

export interface TestMessageResult {
  ok: boolean;
  message: FieldError;
}

export interface SettingsServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  secretsKey: SecretsKey | null;
  /** The app's public URL: Twilio posts delivery reports there. */
  publicUrl: string;
  /** The providers' API origins of this deployment (a fake on this machine in tests). */
  providerBaseUrls: { twilio: string; resend: string; meta: string };
  /** The app's delivery port (services.server.ts), for a channel the shop has not saved. */
  deliver(provider: string, message: OutboundMessage, shopId: string): Promise<DeliveryResult>;
  /** Told when a shop's channel credentials or numbers changed, so that sending and webhooks use the new ones at once. */
  channelsChanged?(): void;
}

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService(deps: SettingsServiceDeps) {
  const { db, clock, logger, secretsKey } = deps;

  async function shopRow(shopId: string): Promise<ShopRow> {
    const [row] = await db.select().from(shops).where(eq(shops.id, shopId)).limit(1);
    if (!row) throw new Error(`no shop ${shopId}`);
    return row;
  }

  /** Validates with the shop settings schema, then stores. */
  async function storeSettings(shopId: string, next: ShopSettings): Promise<SaveOutcome> {
    const parsed = shopSettingsSchema.safeParse(next);
    if (!parsed.success) {
      logger.warn("settings refused by the shop settings schema", { shopId, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
      return { ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } };
    }
    await db.update(shops).set({ settings: parsed.data }).where(eq(shops.id, shopId));
    return { ok: true, message: { key: "settings.saved" } };
  }

  /** A saved installation as the page may see it: secrets reduced to their last characters. */
  async function installedView(shopId: string, pluginId: string, fields: readonly SettingField[]): Promise<InstalledView> {
    const view = await getPluginSettings(db, { shopId, pluginId });
    if (!view) return { saved: false, enabled: false, values: {}, secrets: {}, lastTest: null };
    const values: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    const hints = await storedSecretHints(db, { shopId, pluginId, secretsKey });
    for (const field of fields) {
      if (field.secret) {
        const hint = hints[field.name];
        if (hint !== undefined) secrets[field.name] = hint;
        continue;
      }
      const value = field.name.split(".").reduce<unknown>((at, key) => (at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), view.config);
      if (value !== undefined && value !== null) values[field.name] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return {
      saved: true,
      enabled: view.enabled,
      values,
      secrets,
      lastTest: view.lastTestedAt && view.lastTestResult ? { at: view.lastTestedAt.toISOString(), result: view.lastTestResult } : null,
    };
  }

  /** The plugin schema's refusals, said with the field's own message (or "required" when it was blank). */
  function pluginFieldErrors(fields: readonly SettingField[], values: FormValues, errors: Record<string, string[]>): FieldErrors {
    const out: FieldErrors = {};
    for (const path of Object.keys(errors)) {
      const field = fields.find((f) => f.name === path || path.startsWith(`${f.name}.`));
      if (!field) {
        out[path] = { key: "settings.errors.invalid" };
        continue;
      }
      out[field.name] ??= { key: text(values, field.name).trim() === "" ? "settings.errors.required" : field.error };
    }
    return out;
  }

  return {
    now: () => clock.now(),
    shop: (domain: string) => findShopByDomain(db, domain),

    async view(shopId: string): Promise<SettingsView> {
      const row = await shopRow(shopId);
      const windows = row.settings.messaging?.sendWindows;
      const transactional = { ...TRANSACTIONAL_WINDOW, ...windows?.transactional };
      const marketing = { ...FRENCH_MARKETING_WINDOW, ...windows?.marketing };
      const channels = {} as Record<ChannelProvider, InstalledView>;
      for (const form of Object.values(CHANNEL_FORMS)) channels[form.provider] = await installedView(shopId, form.plugins[0] ?? form.provider, form.fields);
      const plugins: Record<string, InstalledView> = {};
      for (const form of PLUGIN_FORMS) plugins[form.pluginId] = await installedView(shopId, form.pluginId, form.fields);
      const accounts = await listChannelAccounts(db, shopId);
      return {
        shop: { name: row.name, timeZone: row.timezone },
        canStoreSecrets: secretsKey !== null,
        settings: row.settings,
        policies: {
          ...holdUntilFields(row.settings.policies.holdUntil),
          maxItems: String(row.settings.policies.maxItemsPerCustomer),
          returnWindowDays: String(row.settings.policies.returnWindowDays),
          transactionalStart: transactional.start,
          transactionalEnd: transactional.end,
          marketingStart: marketing.start,
          marketingEnd: marketing.end,
          marketingDays: marketing.days.map(String),
          marketingHolidays: marketing.closedOnFrenchPublicHolidays ? "on" : "",
        },
        accounts: accounts
          .map((a) => ({ id: a.id, provider: a.provider, channel: a.channel, address: a.address }))
          .sort((a, b) => `${a.provider}${a.channel}`.localeCompare(`${b.provider}${b.channel}`)),
        channels,
        plugins,
        whatsappCatalogue: whatsappCatalogue(row.settings.tone.address === "tu"),
      };
    },

    async saveAi(shopId: string, values: FormValues): Promise<SaveOutcome> {
      const parsed = aiFormSchema.safeParse(aiFormInput(values));
      if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
      const form = parsed.data;
      const current = (await shopRow(shopId)).settings;
      return storeSettings(shopId, {
        ...current,
        automation: form.automation,
        tone: { address: form.address, emoji: form.emoji, signature: form.signature === "" ? null : form.signature },
        languages: [form.mainLanguage, ...form.languages.filter((l) => l !== form.mainLanguage)],
      });
    },

    async savePolicies(shopId: string, values: FormValues): Promise<SaveOutcome> {
      const parsed = policiesFormSchema.safeParse(policiesFormInput(values));
      if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
      const form = parsed.data;
      const current = (await shopRow(shopId)).settings;
      const days = [...new Set(form.marketingDays)].sort() as SendWindow["days"][number][];
      return storeSettings(shopId, {
        ...current,
        policies: {
          ...current.policies,
          holdUntil: form.holdMode === "hours" ? `+${Number(form.holdHours.trim())}h` : `next-day ${form.holdTime.trim()}`,
          maxItemsPerCustomer: form.maxItems,
          returnWindowDays: form.returnWindowDays,
        },
        messaging: {
          ...current.messaging,
          sendWindows: {
            ...current.messaging?.sendWindows,
            transactional: { start: form.transactionalStart, end: form.transactionalEnd },
            marketing: { start: form.marketingStart, end: form.marketingEnd, days, closedOnFrenchPublicHolidays: form.marketingHolidays },
          },
        },
      });
    },

    /** Saves her wording of one template (language, and channel for proactive messages); empty text: back to the default. */
    async saveTemplate(shopId: string, values: FormValues): Promise<SaveOutcome> {
      const parsed = templateFormSchema.safeParse(templateFormInput(values));
      if (!parsed.success) return { ok: false, fieldErrors: { text: { key: "settings.errors.invalid" } } };
      const form = parsed.data;
      const row = await shopRow(shopId);
      const current = row.settings;
      const reset = text(values, "reset") === "1";
      if (!reset) {
        const check = previewTemplate(form, { name: row.name, timeZone: row.timezone, tone: current.tone });
        const first = check.errors[0];
        if (first) return { ok: false, fieldErrors: { text: first } };
      }
      const templates = structuredClone(current.templates ?? {});
      if (form.kind === "reply") {
        const reply = (templates.reply ??= {});
        const byLanguage = (reply[form.template] ??= {});
        if (reset) delete byLanguage[form.language];
        else byLanguage[form.language] = form.text;
        if (Object.keys(byLanguage).length === 0) delete reply[form.template];
      } else {
        const proactive = (templates.proactive ??= {});
        const byLanguage = (proactive[form.template] ??= {});
        const byChannel = (byLanguage[form.language] ??= {});
        if (reset) delete byChannel[form.channel];
        else byChannel[form.channel] = form.text;
        if (Object.keys(byChannel).length === 0) delete byLanguage[form.language];
        if (Object.keys(byLanguage).length === 0) delete proactive[form.template];
      }
      const saved = await storeSettings(shopId, { ...current, templates });
      return saved.ok && reset ? { ok: true, message: { key: "settings.templates.resetDone" } } : saved;
    },

    /** Registers one of the app's WhatsApp templates as approved for the shop (one per purpose and language). */
    async registerWhatsappTemplate(shopId: string, values: FormValues): Promise<SaveOutcome> {
      const parsed = whatsappTemplateFormSchema.safeParse(whatsappTemplateFormInput(values));
      if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
      const form = parsed.data;
      const current = (await shopRow(shopId)).settings;
      const registered = current.messaging?.whatsappTemplates ?? [];
      // Two names for one purpose and language: the app could not tell which one Meta approved.
      if (registered.some((r) => isRegistrationFor(r, form.purpose, form.language))) {
        return { ok: false, fieldErrors: { purpose: { key: "settings.whatsappTemplates.errors.duplicate" } } };
      }
      const saved = await storeSettings(shopId, { ...current, messaging: { ...current.messaging, whatsappTemplates: [...registered, form] } });
      return saved.ok ? { ok: true, message: { key: "settings.whatsappTemplates.registered" } } : saved;
    },

    /** Forgets the shop's registration of a template in a language: that message no longer goes out on WhatsApp after 24 hours. */
    async removeWhatsappTemplate(shopId: string, values: FormValues): Promise<SaveOutcome> {
      const purpose = text(values, "purpose");
      const language = text(values, "language");
      const current = (await shopRow(shopId)).settings;
      const registered = current.messaging?.whatsappTemplates ?? [];
      const kept = registered.filter((r) => !(r.purpose === purpose && r.language === language));
      if (kept.length === registered.length) return { ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } };
      const saved = await storeSettings(shopId, { ...current, messaging: { ...current.messaging, whatsappTemplates: kept } });
      return saved.ok ? { ok: true, message: { key: "settings.whatsappTemplates.removed" } } : saved;
    },

    /** Saves a provider's credentials (encrypted) and the numbers/addresses customers write to. */
    async saveChannel(shopId: string, provider: ChannelProvider, values: FormValues): Promise<SaveOutcome> {
      const form = CHANNEL_FORMS[provider];
      if (!secretsKey) return { ok: false, fieldErrors: {}, formError: { key: "settings.errors.noSecretsKey" } };

      // The numbers/addresses first: they are ours to check, and one may belong to another shop.
      const fieldErrors: FieldErrors = {};
      const addresses = new Map<string, string>();
      for (const account of form.accounts) {
        const raw = text(values, account.name).trim();
        if (raw === "") {
          if (!account.optional) fieldErrors[account.name] = { key: "settings.errors.required" };
          continue;
        }
        const address = account.channel === "email" ? (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) ? raw.toLowerCase() : null) : toE164(raw);
        if (!address) {
          fieldErrors[account.name] = { key: account.error };
          continue;
        }
        const [taken] = await db
          .select({ shopId: channelAccounts.shopId })
          .from(channelAccounts)
          .where(and(eq(channelAccounts.provider, provider), eq(channelAccounts.address, address), ne(channelAccounts.shopId, shopId)))
          .limit(1);
        if (taken) fieldErrors[account.name] = { key: "settings.channels.addressTaken" };
        else addresses.set(account.name, address);
      }

      const settings: Record<string, unknown> = { ...pluginInput(form.fields, values) };
      if (provider === "twilio") {
        settings.apiBaseUrl = deps.providerBaseUrls.twilio;
      } else if (provider === "meta") {
        settings.graphBaseUrl = deps.providerBaseUrls.meta;
      } else {
        settings.apiBaseUrl = deps.providerBaseUrls.resend;
        settings.fromAddress = addresses.get("inboundAddress") ?? "";
      }
      // Which of the provider's plugins this form saves (Twilio WhatsApp only with a number).
      const plugins = form.plugins.filter((pluginId) => {
        const account = form.accounts.find((a) => a.plugin === pluginId);
        return !account || !account.optional || addresses.has(account.name);
      });
      // Twilio posts delivery reports to the URL each channel's messages come in on.
      const settingsFor = (pluginId: ChannelPluginId) =>
        pluginId.startsWith("twilio") ? { ...settings, statusCallbackUrl: `${deps.publicUrl}/webhooks/channels/${pluginId === "twilio-sms" ? "twilio" : "twilio-whatsapp"}` } : settings;
      for (const pluginId of plugins) {
        const pluginSettings = settingsFor(pluginId);
        // Check without storing until every part is valid: a refused form changes nothing.
        const check = await savePluginSettings(db, { shopId, pluginId, input: pluginSettings, secretsKey, clock, enabled: false, dryRun: true });
        if (!check.ok) {
          Object.assign(fieldErrors, { ...pluginFieldErrors(form.fields, values, check.fieldErrors), ...fieldErrors });
          if (check.formErrors.length > 0 && Object.keys(fieldErrors).length === 0) return { ok: false, fieldErrors, formError: { key: "settings.errors.invalid" } };
        }
      }
      if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

      for (const pluginId of plugins) {
        const pluginSettings = settingsFor(pluginId);
        await savePluginSettings(db, { shopId, pluginId, input: pluginSettings, secretsKey, clock, logger });
      }
      const now = clock.now();
      for (const account of form.accounts) {
        const address = addresses.get(account.name);
        // Her new number replaces the old one; a cleared optional one is disconnected.
        await db
          .delete(channelAccounts)
          .where(
            and(
              eq(channelAccounts.shopId, shopId),
              eq(channelAccounts.provider, provider),
              eq(channelAccounts.channel, account.channel),
              ...(address ? [ne(channelAccounts.address, address)] : []),
            ),
          );
        if (address) {
          await db.insert(channelAccounts).values({ shopId, provider, channel: account.channel, address, createdAt: now }).onConflictDoNothing();
        } else if (account.optional) {
          await removePluginSettings(db, { shopId, pluginId: account.plugin });
        }
      }
      deps.channelsChanged?.();
      logger.info("channel settings saved", { shopId, provider });
      return { ok: true, message: { key: "settings.saved" } };
    },

    /** Forgets a provider: its settings, secrets and numbers/addresses. */
    async disconnectChannel(shopId: string, provider: ChannelProvider): Promise<SaveOutcome> {
      for (const pluginId of CHANNEL_FORMS[provider].plugins) await removePluginSettings(db, { shopId, pluginId });
      await db.delete(channelAccounts).where(and(eq(channelAccounts.shopId, shopId), eq(channelAccounts.provider, provider)));
      deps.channelsChanged?.();
      return { ok: true, message: { key: "settings.channels.disconnected" } };
    },

    /** A short message to the number/address she typed, from the shop's own number/address on that channel. */
    async sendTestMessage(shopId: string, values: FormValues, language: "fr" | "en"): Promise<TestMessageResult & { fieldErrors?: FieldErrors }> {
      const channel = text(values, "testChannel") as ChannelKind;
      const raw = text(values, "testTo").trim();
      if (!["sms", "whatsapp", "email"].includes(channel)) return { ok: false, message: { key: "settings.errors.invalid" }, fieldErrors: { testChannel: { key: "settings.errors.invalid" } } };
      const to = channel === "email" ? (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) ? raw.toLowerCase() : null) : toE164(raw);
      if (!to) return { ok: false, message: { key: "settings.errors.invalid" }, fieldErrors: { testTo: { key: channel === "email" ? "settings.errors.email" : "settings.errors.phone" } } };
      const accounts = (await listChannelAccounts(db, shopId)).filter((a) => a.channel === channel);
      // The number/address of the provider she saved credentials for, else the channel's first one.
      let account = accounts[0];
      for (const candidate of accounts) {
        const pluginId = channelPluginFor(candidate.provider, channel)?.id;
        if (pluginId && (await getPluginSettings(db, { shopId, pluginId }))) {
          account = candidate;
          break;
        }
      }
      if (!account) return { ok: false, message: { key: "settings.channels.test.noAccount" } };
      const shop = await shopRow(shopId);
      const message: OutboundMessage = {
        messageId: randomUUID(),
        channel,
        from: account.address,
        to,
        body: language === "fr" ? `Message de test de ${shop.name} : ce canal fonctionne.` : `Test message from ${shop.name}: this channel works.`,
        ...(channel === "email" ? { subject: language === "fr" ? "Message de test" : "Test message" } : {}),
      };
      try {
        // The app's delivery port, as every message: the shop's own credentials, else the
        // deployment's, and saved settings that can no longer be read say so.
        const result = await deps.deliver(account.provider, message, shopId);
        return result.kind === "sent"
          ? { ok: true, message: { key: "settings.channels.test.sent", vars: { to, id: result.providerMessageId } } }
          : { ok: true, message: { key: "settings.channels.test.outbox", vars: { to } } };
      } catch (error) {
        const reason = error instanceof ProviderError || error instanceof Error ? error.message : String(error);
        logger.warn("test message failed", { shopId, channel, reason });
        return { ok: false, message: { key: "settings.channels.test.failed", vars: { reason } } };
      }
    },

    async savePlugin(shopId: string, pluginId: IntegrationPluginId, values: FormValues): Promise<SaveOutcome> {
      const form = PLUGIN_FORMS.find((p) => p.pluginId === pluginId);
      if (!form) return { ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } };
      const result = await savePluginSettings(db, { shopId, pluginId, input: pluginInput(form.fields, values), secretsKey, clock, logger });
      if (result.ok) return { ok: true, message: { key: "settings.saved" } };
      const fieldErrors = pluginFieldErrors(form.fields, values, result.fieldErrors);
      const formError: FieldError | undefined =
        result.formErrors.length === 0 ? undefined : secretsKey ? { key: "settings.errors.invalid" } : { key: "settings.errors.noSecretsKey" };
      return { ok: false, fieldErrors, ...(formError ? { formError } : {}) };
    },

    async testPlugin(shopId: string, pluginId: IntegrationPluginId): Promise<ConnectionResult> {
      return testPluginConnection(db, { shopId, pluginId, secretsKey, clock, deps: { logger } });
    },

    async removePlugin(shopId: string, pluginId: IntegrationPluginId): Promise<SaveOutcome> {
      await removePluginSettings(db, { shopId, pluginId });
      return { ok: true, message: { key: "settings.plugins.removed" } };
    },
  };
}
