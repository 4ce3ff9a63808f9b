import { describe, expect, it } from "vitest";
import { MARKETING_TEMPLATES, PROACTIVE_TEMPLATE_IDS } from "./catalogue";
import { renderProactive } from "./render";
import { fullFacts, NOW, PARIS, VOICES } from "./test-support";
import { PROACTIVE_VARIABLE_DESCRIPTIONS } from "./variables";
import { APPROVED_WHATSAPP_TEMPLATES, whatsappTemplateFor } from "./whatsapp";
import approvedJson from "./whatsapp-approved-templates.json";

const VARIANTS = ["fr-tu", "fr-vous", "en"] as const;
const PLACEHOLDER = /\{\{(\d+)\}\}/g;

describe("the approved WhatsApp template bodies (whatsapp-approved-templates.json)", () => {
  it("has one entry per proactive template, in the file as loaded", () => {
    expect(Object.keys(approvedJson.templates).sort()).toEqual([...PROACTIVE_TEMPLATE_IDS].sort());
    expect(Object.keys(APPROVED_WHATSAPP_TEMPLATES).sort()).toEqual([...PROACTIVE_TEMPLATE_IDS].sort());
  });

  describe.each(PROACTIVE_TEMPLATE_IDS)("%s", (id) => {
    const entry = APPROVED_WHATSAPP_TEMPLATES[id];

    it.each(VARIANTS)("%s: as many variables as placeholders, numbered 1…n in order, as Meta accepts them", (key) => {
      const { body, variables, name, language } = entry.variants[key];
      const numbers = [...body.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
      expect(numbers).toEqual(variables.map((_, i) => i + 1));
      expect(body.replace(PLACEHOLDER, "")).not.toMatch(/\{\{|\}\}/);
      for (const v of variables) expect(Object.keys(PROACTIVE_VARIABLE_DESCRIPTIONS)).toContain(v);
      // Meta refuses a body that starts or ends with a variable, or two variables side by side.
      expect(body.trim()).not.toMatch(/^\{\{\d+\}\}/);
      expect(body.trim()).not.toMatch(/\{\{\d+\}\}[.!?]?$/);
      expect(body).not.toMatch(/\}\}\s*\{\{/);
      expect(body.length).toBeLessThanOrEqual(1024);
      // The fixed text states no number: every figure comes from a variable (grounding).
      expect(body.replace(PLACEHOLDER, "")).not.toMatch(/\d/);
      expect(name).toMatch(/^[a-z0-9_]+$/);
      expect(language).toBe(key === "en" ? "en" : "fr");
    });

    it("speaks tu, vous and English in its three bodies; fr-vous and en are one template in two languages", () => {
      const { "fr-tu": tu, "fr-vous": vous, en } = entry.variants;
      expect(tu.body).toMatch(/\b(tu|te|ton|ta)\b|\bt'|Réponds|Écris/);
      expect(tu.body).not.toMatch(/\b(vous|votre)\b/i);
      expect(vous.body).not.toMatch(/\b(tu|te|ton|ta)\b|\bt'|Réponds\b|Écris-/);
      expect(en.body).toMatch(/^Hello from \{\{1\}\}/);
      expect(en.body).not.toMatch(/Bonjour|réservation|commande/);
      expect(vous.name).toBe(en.name);
      expect(tu.name).toBe(`${vous.name}_tu`);
      expect(entry.category).toBe(MARKETING_TEMPLATES.has(id) ? "MARKETING" : "UTILITY");
      if (MARKETING_TEMPLATES.has(id)) for (const v of [tu, vous, en]) expect(v.body).toContain("STOP");
    });

    it.each(VOICES)("is filled from the facts, one variable per placeholder, one line each ($label)", (voice) => {
      const out = renderProactive({ template: id, language: voice.language, tone: voice.tone, channel: "whatsapp", facts: fullFacts, timeZone: PARIS, now: NOW });
      const variant = entry.variants[voice.label];
      expect(out.whatsappTemplate, out.whatsappTemplateUnavailable).toBeTruthy();
      const ref = out.whatsappTemplate!;
      expect(ref.name).toBe(variant.name);
      expect(ref.language).toBe(variant.language);
      expect(ref.variables).toHaveLength([...variant.body.matchAll(PLACEHOLDER)].length);
      for (const value of ref.variables) {
        expect(value.trim()).not.toBe("");
        expect(value).not.toMatch(/[\n\t]| {5}/);
      }
      expect(out.whatsappTemplateText).toBe(variant.body.replace(PLACEHOLDER, (_, n: string) => ref.variables[Number(n) - 1] ?? "?"));
      expect(out.grounding.ok).toBe(true);
    });
  });
});

describe("whatsappTemplateFor", () => {
  const values = (over: Record<string, string | null>) => {
    const all = Object.fromEntries(Object.keys(PROACTIVE_VARIABLE_DESCRIPTIONS).map((k) => [k, null])) as Record<keyof typeof PROACTIVE_VARIABLE_DESCRIPTIONS, string | null>;
    return { ...all, ...over };
  };

  it("fills the reminder in the approved body's order", () => {
    const choice = whatsappTemplateFor({ template: "reminder.pickup", language: "fr", tu: true, values: values({ shopName: "Élégance Paris", ofItem: "de la Robe Fleurie Bleue en 38", holdDeadline: "jusqu'à demain 18h" }) });
    expect(choice).toEqual({
      ref: { name: "coccinelle_reminder_pickup_tu", language: "fr", variables: ["Élégance Paris", "de la Robe Fleurie Bleue en 38", "jusqu'à demain 18h"] },
      text: "Bonjour, ici Élégance Paris ! Petit rappel : ta réservation de la Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h. Un imprévu ? Réponds-moi ici.",
    });
  });

  it("uses the shop's own approved template (a Twilio Content SID) for the purpose and language", () => {
    const shopTemplates = [
      { purpose: "pickup_reminder", language: "en_GB", name: "HX0000000000000000000000000000000a" },
      { purpose: "pickup_reminder", language: "fr", name: "HX0000000000000000000000000000000b" },
    ];
    const v = values({ shopName: "Élégance Paris", ofItem: "de la Robe Fleurie Bleue en 38", item: "the Robe Fleurie Bleue in 38", holdDeadline: "jusqu'à demain 18h" });
    const fr = whatsappTemplateFor({ template: "reminder.pickup", language: "fr", tu: false, values: v, shopTemplates });
    expect(fr.ref).toEqual({ name: "HX0000000000000000000000000000000b", language: "fr", variables: ["Élégance Paris", "de la Robe Fleurie Bleue en 38", "jusqu'à demain 18h"] });
    const en = whatsappTemplateFor({ template: "reminder.pickup", language: "en", tu: false, values: { ...v, holdDeadline: "until tomorrow at 6 pm" }, shopTemplates });
    expect(en.ref?.name).toBe("HX0000000000000000000000000000000a");
    expect(en.ref?.language).toBe("en_GB");
    // A template id is a purpose too (templates with no scheduled purpose: exchange instructions…).
    const exchange = whatsappTemplateFor({
      template: "exchange.instructions",
      language: "fr",
      tu: false,
      values: values({ shopName: "Élégance Paris", orderName: "#2847", exchangeOptions: "Option 1 : échange en boutique (gratuit)" }),
      shopTemplates: [{ purpose: "exchange.instructions", language: "fr", name: "HX0000000000000000000000000000000c" }],
    });
    expect(exchange.ref?.name).toBe("HX0000000000000000000000000000000c");
  });

  it("offers no template when a variable would be empty (Meta refuses an empty parameter)", () => {
    expect(whatsappTemplateFor({ template: "shipping.update", language: "en", tu: false, values: values({ shopName: "Élégance Paris", orderName: "#2847", shippingDetails: "  " }) })).toEqual({
      ref: null,
      reason: "the approved WhatsApp template needs {{shippingDetails}}, which the facts do not have",
    });
  });

  it("puts a multi-paragraph broadcast on one line (Meta refuses line breaks, tabs and runs of spaces in a parameter)", () => {
    const out = renderProactive({
      template: "broadcast.custom",
      language: "fr",
      tone: VOICES[1]!.tone,
      channel: "whatsapp",
      facts: { ...fullFacts, text: "Soldes d'hiver !\n\n\tTout le magasin     à moitié prix.\nOn vous attend." },
      timeZone: PARIS,
      now: NOW,
    });
    expect(out.whatsappTemplate?.variables).toEqual(["Élégance Paris", "Soldes d'hiver ! Tout le magasin à moitié prix. On vous attend."]);
    expect(out.whatsappTemplateText).toBe("Bonjour, ici Élégance Paris !\n\nSoldes d'hiver ! Tout le magasin à moitié prix. On vous attend.\n\nRépondez STOP pour ne plus recevoir nos messages.");
    // The free text (inside the 24-hour window) keeps the merchant's paragraphs.
    expect(out.body).toContain("Soldes d'hiver !\n\nTout le magasin     à moitié prix.\nOn vous attend.");
  });
});
