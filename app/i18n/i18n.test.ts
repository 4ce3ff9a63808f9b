import { describe, expect, it } from "vitest";
import en from "./en.json";
import fr from "./fr.json";
import { placeholders, resolveLocale, translator } from "./index";
import { formatWhen } from "./format";

describe("translation files", () => {
  it("have the same keys in English and French", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it("have the same placeholders per key", () => {
    const french: Record<string, string> = fr;
    const mismatched = Object.entries(en)
      .filter(([key, text]) => JSON.stringify(placeholders(text)) !== JSON.stringify(placeholders(french[key] ?? "")))
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it("have no empty text", () => {
    expect(Object.entries({ ...en }).filter(([, v]) => v.trim() === "")).toEqual([]);
    expect(Object.entries({ ...fr }).filter(([, v]) => v.trim() === "")).toEqual([]);
  });
});

describe("translator", () => {
  it("fills placeholders and leaves a missing one visible", () => {
    const t = translator("fr");
    expect(t("card.stock", { available: 2, size: "38" })).toBe("stock vérifié : 2 en 38");
    expect(t("card.stock", { available: 2 })).toBe("stock vérifié : 2 en {size}");
    expect(translator("en")("home.channels.via", { provider: "twilio" })).toBe("via twilio");
  });

  it("follows the admin's locale parameter, English otherwise", () => {
    expect(resolveLocale("fr")).toBe("fr");
    expect(resolveLocale("fr-FR")).toBe("fr");
    expect(resolveLocale("FR_ca")).toBe("fr");
    expect(resolveLocale("en-US")).toBe("en");
    expect(resolveLocale("de")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });
});

describe("formatWhen", () => {
  // Monday 12 January 2026, 10:15 in Paris.
  const now = "2026-01-12T09:15:00Z";
  const paris = { locale: "fr" as const, t: translator("fr"), timeZone: "Europe/Paris", now };

  it("says today, tomorrow or yesterday in the shop's time zone", () => {
    expect(formatWhen("2026-01-13T17:00:00Z", paris)).toBe("demain 18:00");
    expect(formatWhen("2026-01-12T22:30:00Z", paris)).toBe("aujourd'hui 23:30");
    expect(formatWhen("2026-01-11T08:00:00Z", { ...paris, locale: "en", t: translator("en") })).toBe("yesterday 09:00");
    // 23:30 UTC is already the next day in Paris, not in New York.
    expect(formatWhen("2026-01-12T23:30:00Z", paris)).toBe("demain 00:30");
    expect(formatWhen("2026-01-12T23:30:00Z", { ...paris, timeZone: "America/New_York" })).toBe("aujourd'hui 18:30");
  });

  it("gives the date further away", () => {
    expect(formatWhen("2026-01-16T17:00:00Z", paris)).toBe("ven. 16 janv. 18:00");
    expect(formatWhen("2026-01-16T17:00:00Z", { ...paris, locale: "en", t: translator("en") })).toBe("Fri 16 Jan 18:00");
  });
});
