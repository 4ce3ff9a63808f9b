/**
 * The app's own translations: English and French, following the admin's language. Tiny on
 * purpose: flat keys ("inbox.tabs.needsYou") typed from en.json, `{placeholder}` substitution, no
 * dependency. Every UI string lives in en.json / fr.json; i18n.test.ts keeps the two in step (same
 * keys, same placeholders per key).
 */
import en from "./en.json";
import fr from "./fr.json";

export type TranslationKey = keyof typeof en;
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export type TranslationVars = Record<string, string | number>;
export type Translate = (key: TranslationKey, vars?: TranslationVars) => string;

// A key missing from fr.json is a type error here (extra keys are caught by the test).
export const CATALOGS: Record<Locale, Record<TranslationKey, string>> = { en, fr };

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholders a text expects, sorted ("{until} ({item})" → ["item", "until"]). */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))].sort();
}

/** `t(key, vars)` in `locale`; a placeholder without a value stays visible as `{name}`. */
export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, vars) => {
    const text = catalog[key] ?? CATALOGS.en[key] ?? key;
    if (!vars) return text;
    return text.replace(PLACEHOLDER, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/**
 * The app's language for an admin locale: Shopify admin passes the staff member's language to an
 * embedded app as the `locale` query parameter ("fr", "fr-FR", "en-US"), see
 * https://shopify.dev/docs/apps/build/localize-your-app#embedded-apps. Anything but French is English.
 */
export function resolveLocale(value: string | null | undefined): Locale {
  const language = (value ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === language) ?? "en";
}

/** The BCP 47 tag for dates and numbers (en-GB: 24-hour clock and day-month order, as before). */
export function intlLocale(locale: Locale): string {
  return locale === "fr" ? "fr-FR" : "en-GB";
}
