/**
 * Amounts, phone numbers, sizes and lists as a reply writes them, per language. Plain spaces only
 * (no non-breaking space): one NBSP would switch an SMS to UCS-2 (sms.ts).
 */
import type { Language } from "../contracts";

const SYMBOLS: Record<string, string> = { EUR: "€", GBP: "£", USD: "$" };

/** "4,90 €", "89 €" / "€4.90", "€89". An amount that is not a number is returned as given. */
export function formatMoney(amount: string | number, currency: string | null | undefined, language: Language): string {
  const value = typeof amount === "number" ? amount : Number(String(amount).replace(",", "."));
  if (!Number.isFinite(value)) return String(amount);
  const code = (currency ?? "EUR").toUpperCase();
  const digits = Number.isInteger(value) ? String(value) : value.toFixed(2);
  const symbol = SYMBOLS[code];
  if (language === "fr") return `${digits.replace(".", ",")} ${symbol ?? code}`;
  return symbol ? `${symbol}${digits}` : `${code} ${digits}`;
}

/** Whether an amount is zero (a free option). */
export function isFree(amount: string | number | null | undefined): boolean {
  if (amount === null || amount === undefined) return true;
  const value = typeof amount === "number" ? amount : Number(String(amount).replace(",", "."));
  return Number.isFinite(value) && value === 0;
}

/** "+33939035761" → "09 39 03 57 61" (fr) / "+33 9 39 03 57 61" (en); other numbers as given. */
export function formatPhone(phone: string, language: Language): string {
  const french = phone.replace(/[\s.-]/g, "").match(/^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/);
  if (!french) return phone;
  const [, a, b, c, d, e] = french;
  return language === "fr" ? `0${a} ${b} ${c} ${d} ${e}` : `+33 ${a} ${b} ${c} ${d} ${e}`;
}

/** "a, b et c" / "a, b and c" (or "ou" / "or"). */
export function joinList(items: readonly string[], language: Language, conjunction: "and" | "or" = "and"): string {
  const word = language === "fr" ? (conjunction === "and" ? "et" : "ou") : conjunction;
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

const ONE_SIZE = /^(taille unique|tu|one size|os|unique)$/i;

export function isOneSize(size: string | null): boolean {
  return size === null || ONE_SIZE.test(size.trim());
}

/** "en 38", "en taille unique" / "in 38", "in one size". */
export function inSize(size: string | null, language: Language): string {
  if (isOneSize(size)) return language === "fr" ? "en taille unique" : "in one size";
  return language === "fr" ? `en ${size}` : `in ${size}`;
}

/** Sizes offered instead: "le 36 ou le 40" / "36 or 40". */
export function sizeChoices(sizes: readonly string[], language: Language, conjunction: "and" | "or" = "or"): string {
  return joinList(
    sizes.map((s) => (language === "fr" ? `le ${s}` : s)),
    language,
    conjunction,
  );
}

/** "36, 38 et 40" / "36, 38 and 40". */
export function sizeList(sizes: readonly string[], language: Language): string {
  return joinList(sizes, language, "and");
}
