/**
 * The settings page's forms: what each form posts, how it is checked, and the field definitions the
 * page draws from. Pure (the page and the server both use it). Error messages are translation keys,
 * so the page shows them in the admin's language next to the field they concern.
 */
import { z } from "zod";
import type { Intent } from "~/conversation/record";
import type { TranslationKey, TranslationVars } from "~/i18n";
import { INTENT_KEY } from "~/inbox/cards";
import { PROACTIVE_TEMPLATE_IDS } from "~/messaging/templates/catalogue";
import type { IntegrationPluginId } from "~/plugins/installations.server";
import type { ChannelPluginId } from "~/plugins/registry.server";

/** One field's problem, said in the admin's language. */
export interface FieldError {
  key: TranslationKey;
  vars?: TranslationVars;
}
export type FieldErrors = Record<string, FieldError>;

/** What a form posted: one string per field, a list for repeated fields (checkbox groups). */
export type FormValues = Record<string, string | string[]>;

export function formValues(data: FormData): FormValues {
  const values: FormValues = {};
  for (const key of new Set(data.keys())) {
    const all = data.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = key.endsWith("[]") ? all : (all[0] ?? "");
  }
  return values;
}

export function text(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === "string" ? value : "";
}

export function list(values: FormValues, name: string): string[] {
  const value = values[`${name}[]`];
  return Array.isArray(value) ? value : [];
}

/** A zod message that is a translation key (read back by `fieldErrorsOf`). */
const m = (key: TranslationKey) => key;

/** The first problem of each field of a failed parse, keyed by the field's name. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const name = issue.path.join(".");
    errors[name] ??= { key: issue.message as TranslationKey };
  }
  return errors;
}

// ───────────────────────────── AI ─────────────────────────────

export const INTENTS = Object.keys(INTENT_KEY) as Intent[];
export const AUTOMATION_LEVELS = ["auto", "suggest", "off"] as const;
export const LANGUAGES = ["fr", "en"] as const;

const integerField = (min: number, max: number, key: TranslationKey) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, m(key))
    .transform(Number)
    .pipe(z.number().int().min(min, m(key)).max(max, m(key)));

const hhmm = (key: TranslationKey) => z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, m(key));

export const aiFormSchema = z
  .object({
    automation: z.record(z.enum(AUTOMATION_LEVELS, { errorMap: () => ({ message: m("settings.ai.automation.error") }) })),
    address: z.enum(["tu", "vous"], { errorMap: () => ({ message: m("settings.ai.address.error") }) }),
    emoji: z.boolean(),
    signature: z.string().trim().max(80, m("settings.ai.signature.error")),
    languages: z.array(z.enum(LANGUAGES)).min(1, m("settings.ai.languages.error")),
    mainLanguage: z.enum(LANGUAGES, { errorMap: () => ({ message: m("settings.ai.mainLanguage.error") }) }),
  })
  .refine((form) => form.languages.includes(form.mainLanguage), { path: ["mainLanguage"], message: m("settings.ai.mainLanguage.error") });

export function aiFormInput(values: FormValues) {
  return {
    // An intent the form does not send stays automatic, as ShopSettings reads a missing one.
    automation: Object.fromEntries(INTENTS.map((intent) => [intent, text(values, `automation.${intent}`) || "auto"])),
    address: text(values, "address"),
    emoji: text(values, "emoji") === "on",
    signature: text(values, "signature"),
    languages: list(values, "languages"),
    mainLanguage: text(values, "mainLanguage"),
  };
}

// ───────────────────────────── policies ─────────────────────────────

export const HOLD_MODES = ["nextDay", "hours"] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

export const policiesFormSchema = z
  .object({
    holdMode: z.enum(HOLD_MODES),
    holdTime: z.string(),
    holdHours: z.string(),
    maxItems: integerField(1, 8, "settings.policies.maxItems.error"),
    returnWindowDays: integerField(0, 365, "settings.policies.returnWindowDays.error"),
    transactionalStart: hhmm("settings.errors.time"),
    transactionalEnd: hhmm("settings.errors.time"),
    marketingStart: hhmm("settings.errors.time"),
    marketingEnd: hhmm("settings.errors.time"),
    marketingDays: z.array(z.coerce.number().int().min(0).max(6)).min(1, m("settings.policies.marketingDays.error")),
    marketingHolidays: z.boolean(),
  })
  .superRefine((form, ctx) => {
    if (form.holdMode === "nextDay" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(form.holdTime.trim())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["holdTime"], message: m("settings.errors.time") });
    }
    if (form.holdMode === "hours") {
      const hours = Number(form.holdHours.trim());
      if (!/^\d+$/.test(form.holdHours.trim()) || hours < 1 || hours > 168) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["holdHours"], message: m("settings.policies.holdHours.error") });
      }
    }
    for (const kind of ["transactional", "marketing"] as const) {
      const start = form[`${kind}Start`];
      const end = form[`${kind}End`];
      if (start >= end) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`${kind}End`], message: m("settings.policies.window.error") });
    }
  });

export function policiesFormInput(values: FormValues) {
  return {
    holdMode: text(values, "holdMode"),
    holdTime: text(values, "holdTime"),
    holdHours: text(values, "holdHours"),
    maxItems: text(values, "maxItems"),
    returnWindowDays: text(values, "returnWindowDays"),
    transactionalStart: text(values, "transactionalStart"),
    transactionalEnd: text(values, "transactionalEnd"),
    marketingStart: text(values, "marketingStart"),
    marketingEnd: text(values, "marketingEnd"),
    marketingDays: list(values, "marketingDays"),
    marketingHolidays: text(values, "marketingHolidays") === "on",
  };
}

/** `holdUntil` ("next-day 18:00" / "+24h") as the form shows it. */
export function holdUntilFields(holdUntil: string): { holdMode: (typeof HOLD_MODES)[number]; holdTime: string; holdHours: string } {
  const hours = /^\+(\d{1,3})h$/.exec(holdUntil);
  if (hours) return { holdMode: "hours", holdTime: "18:00", holdHours: hours[1] ?? "24" };
  return { holdMode: "nextDay", holdTime: holdUntil.replace(/^next-day /, ""), holdHours: "24" };
}

// ───────────────────────────── channels and plugins ─────────────────────────────

/** A setting of a channel or plugin as the page shows it. */
export interface SettingField {
  /** The form field's name: the plugin setting's path, or a channel account ("smsNumber"). */
  name: string;
  label: TranslationKey;
  help?: TranslationKey;
  /** What is said when the plugin's schema refuses the value. */
  error: TranslationKey;
  /** Stored encrypted, never sent back to the page (it shows "saved ••••1234"). */
  secret?: boolean;
  type?: "text" | "number" | "email" | "tel";
  /** A list typed as "VIP, Gold" (native CRM tags). */
  list?: boolean;
  options?: ReadonlyArray<{ value: string; label: TranslationKey }>;
  optional?: boolean;
}

export const CHANNEL_PROVIDERS = ["twilio", "meta", "resend"] as const;
export type ChannelProvider = (typeof CHANNEL_PROVIDERS)[number];

/** A provider's form: its plugin settings, and the numbers/addresses customers write to. */
export interface ChannelForm {
  provider: ChannelProvider;
  title: TranslationKey;
  /** The plugins saved with the settings (Twilio: SMS, and WhatsApp when it has a number). */
  plugins: readonly ChannelPluginId[];
  fields: readonly SettingField[];
  accounts: ReadonlyArray<SettingField & { channel: "sms" | "whatsapp" | "email"; plugin: ChannelPluginId }>;
}

export const CHANNEL_FORMS: Readonly<Record<ChannelProvider, ChannelForm>> = {
  twilio: {
    provider: "twilio",
    title: "settings.channels.twilio.title",
    plugins: ["twilio-sms", "twilio-whatsapp"],
    fields: [
      { name: "accountSid", label: "settings.channels.twilio.accountSid", help: "settings.channels.twilio.accountSidHelp", error: "settings.channels.twilio.accountSidError" },
      { name: "authToken", label: "settings.channels.twilio.authToken", error: "settings.errors.secret", secret: true },
    ],
    accounts: [
      { name: "smsNumber", channel: "sms", plugin: "twilio-sms", label: "settings.channels.twilio.smsNumber", error: "settings.errors.phone", type: "tel" },
      { name: "whatsappNumber", channel: "whatsapp", plugin: "twilio-whatsapp", label: "settings.channels.twilio.whatsappNumber", error: "settings.errors.phone", type: "tel", optional: true },
    ],
  },
  meta: {
    provider: "meta",
    title: "settings.channels.meta.title",
    plugins: ["meta-whatsapp"],
    fields: [
      { name: "phoneNumberId", label: "settings.channels.meta.phoneNumberId", help: "settings.channels.meta.phoneNumberIdHelp", error: "settings.channels.meta.phoneNumberIdError" },
      { name: "accessToken", label: "settings.channels.meta.accessToken", error: "settings.errors.secret", secret: true },
      { name: "appSecret", label: "settings.channels.meta.appSecret", error: "settings.errors.secret", secret: true },
      { name: "verifyToken", label: "settings.channels.meta.verifyToken", error: "settings.errors.secret", secret: true },
    ],
    accounts: [{ name: "whatsappNumber", channel: "whatsapp", plugin: "meta-whatsapp", label: "settings.channels.meta.whatsappNumber", error: "settings.errors.phone", type: "tel" }],
  },
  resend: {
    provider: "resend",
    title: "settings.channels.resend.title",
    plugins: ["resend-email"],
    fields: [
      { name: "apiKey", label: "settings.channels.resend.apiKey", error: "settings.errors.secret", secret: true },
      { name: "webhookSecret", label: "settings.channels.resend.webhookSecret", help: "settings.channels.resend.webhookSecretHelp", error: "settings.channels.resend.webhookSecretError", secret: true },
    ],
    accounts: [{ name: "inboundAddress", channel: "email", plugin: "resend-email", label: "settings.channels.resend.inboundAddress", error: "settings.errors.email", type: "email" }],
  },
};

export interface PluginForm {
  pluginId: IntegrationPluginId;
  title: TranslationKey;
  description: TranslationKey;
  kind: "tracking" | "crm";
  fields: readonly SettingField[];
}

export const PLUGIN_FORMS: readonly PluginForm[] = [
  {
    pluginId: "colissimo",
    title: "settings.plugins.colissimo.title",
    description: "settings.plugins.colissimo.description",
    kind: "tracking",
    fields: [
      { name: "okapiKey", label: "settings.plugins.colissimo.okapiKey", help: "settings.plugins.colissimo.okapiKeyHelp", error: "settings.errors.secret", secret: true },
      {
        name: "lang",
        label: "settings.plugins.colissimo.lang",
        error: "settings.errors.invalid",
        options: [
          { value: "fr_FR", label: "settings.language.fr" },
          { value: "en_GB", label: "settings.language.en" },
        ],
      },
    ],
  },
  {
    pluginId: "native-crm",
    title: "settings.plugins.nativeCrm.title",
    description: "settings.plugins.nativeCrm.description",
    kind: "crm",
    fields: [
      { name: "segments.vipMinAmountSpent", label: "settings.plugins.nativeCrm.vipMinAmountSpent", error: "settings.plugins.nativeCrm.vipMinAmountSpentError", type: "number" },
      { name: "segments.vipTags", label: "settings.plugins.nativeCrm.vipTags", help: "settings.plugins.nativeCrm.vipTagsHelp", error: "settings.errors.invalid", list: true },
      { name: "segments.activeWithinDays", label: "settings.plugins.nativeCrm.activeWithinDays", error: "settings.plugins.nativeCrm.activeWithinDaysError", type: "number" },
    ],
  },
  {
    pluginId: "hubspot",
    title: "settings.plugins.hubspot.title",
    description: "settings.plugins.hubspot.description",
    kind: "crm",
    fields: [{ name: "accessToken", label: "settings.plugins.hubspot.accessToken", help: "settings.plugins.hubspot.accessTokenHelp", error: "settings.errors.secret", secret: true }],
  },
  {
    pluginId: "salesforce",
    title: "settings.plugins.salesforce.title",
    description: "settings.plugins.salesforce.description",
    kind: "crm",
    fields: [
      { name: "instanceUrl", label: "settings.plugins.salesforce.instanceUrl", help: "settings.plugins.salesforce.instanceUrlHelp", error: "settings.plugins.salesforce.instanceUrlError" },
      { name: "accessToken", label: "settings.plugins.salesforce.accessToken", error: "settings.errors.secret", secret: true },
    ],
  },
];

/**
 * The plugin settings a form posted, shaped as the plugin's schema reads them: dotted names nest,
 * numbers are numbers, lists are split on commas. A blank field is left out (the schema's default,
 * or the stored secret, applies).
 */
export function pluginInput(fields: readonly SettingField[], values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = text(values, field.name).trim();
    if (raw === "") continue;
    const value = field.list
      ? raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : field.type === "number"
        ? Number(raw.replace(",", "."))
        : raw;
    const keys = field.name.split(".");
    let target = input;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys[keys.length - 1] ?? field.name] = value;
  }
  return input;
}

// ───────────────────────────── templates ─────────────────────────────

export const TEMPLATE_KINDS = ["reply", "proactive"] as const;
export const TEMPLATE_CHANNELS = ["sms", "whatsapp", "email"] as const;

export const templateFormSchema = z.object({
  kind: z.enum(TEMPLATE_KINDS),
  template: z.string().min(1),
  language: z.enum(LANGUAGES),
  channel: z.enum(TEMPLATE_CHANNELS),
  text: z.string(),
});

export type TemplateForm = z.infer<typeof templateFormSchema>;

export function templateFormInput(values: FormValues) {
  return { kind: text(values, "kind"), template: text(values, "template"), language: text(values, "language"), channel: text(values, "channel"), text: text(values, "text") };
}

// ───────────────────────────── approved WhatsApp templates ─────────────────────────────

/** A Twilio Content SID, as the Content Template Builder shows it. */
export const TWILIO_CONTENT_SID = /^HX[0-9a-f]{32}$/;
/** A Meta template name: lowercase letters, digits and underscores (WhatsApp Manager's rule). */
export const META_TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

/**
 * Registering one of the app's templates as approved for the shop: `purpose` is the shipped
 * template's id (whatsapp-approved-templates.json), `name` its Twilio Content SID or Meta name.
 */
export const whatsappTemplateFormSchema = z.object({
  purpose: z.string().refine((purpose) => (PROACTIVE_TEMPLATE_IDS as readonly string[]).includes(purpose), m("settings.whatsappTemplates.errors.purpose")),
  language: z.enum(LANGUAGES, { errorMap: () => ({ message: m("settings.whatsappTemplates.errors.language") }) }),
  name: z
    .string()
    .trim()
    .min(1, m("settings.errors.required"))
    // Starting with HX, she meant a Content SID: say what a SID looks like rather than a Meta name.
    .refine((name) => (/^HX/i.test(name) ? TWILIO_CONTENT_SID.test(name) : true), m("settings.whatsappTemplates.errors.sid"))
    .refine((name) => /^HX/i.test(name) || META_TEMPLATE_NAME.test(name), m("settings.whatsappTemplates.errors.name")),
});

export type WhatsappTemplateForm = z.infer<typeof whatsappTemplateFormSchema>;

export function whatsappTemplateFormInput(values: FormValues) {
  return { purpose: text(values, "purpose"), language: text(values, "language"), name: text(values, "name") };
}

/** Whether a registration is for this purpose and language ("en_GB" is English). */
export function isRegistrationFor(registration: { purpose: string; language: string }, purpose: string, language: string): boolean {
  return registration.purpose === purpose && registration.language.toLowerCase().split(/[-_]/)[0] === language;
}
