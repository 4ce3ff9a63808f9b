import { describe, expect, it } from "vitest";
import type { ReplyTemplateId } from "../contracts";
import { checkGrounding, renderReply, TEMPLATE_VARIABLES, validateTemplateOverride, type ReplyRenderInput } from "./index";
import { ALL_TEMPLATES, bareFacts, demoTone, fullFacts, NOW, PARIS } from "./test-support";

describe("validateTemplateOverride", () => {
  it("accepts the template's variables, with or without spaces in the braces", () => {
    expect(validateTemplateOverride("availability.variant", "Oui ! {{product}} est dispo {{ size }}, il en reste {{available}} 😍")).toEqual({ ok: true });
    expect(validateTemplateOverride("greeting", "Coucou {{firstName}}, que puis-je faire pour toi ?")).toEqual({ ok: true });
  });

  it("refuses an unknown variable with a clear message and a suggestion", () => {
    const result = validateTemplateOverride("availability.variant", "Oui ! {{prodcut}} est dispo, {{colour}} !");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toBe(
      'Unknown variable {{prodcut}} for "availability.variant". Did you mean {{product}}? Available: {{firstName}}, {{shopName}}, {{product}}, {{productTitle}}, {{size}}, {{available}}, {{sizes}}, {{price}}.',
    );
    expect(result.errors[1]).toMatch(/^Unknown variable \{\{colour\}\} for "availability.variant"\. Available: /);
  });

  it("refuses a variable that exists but not for this template (no order details in the identity check)", () => {
    const result = validateTemplateOverride("order.verify_identity", "Ta commande {{orderName}} est en route ({{trackingNumber}})");
    expect(result).toEqual({
      ok: false,
      errors: [
        'Unknown variable {{orderName}} for "order.verify_identity". Available: {{firstName}}, {{shopName}}.',
        'Unknown variable {{trackingNumber}} for "order.verify_identity". Available: {{firstName}}, {{shopName}}.',
      ],
    });
  });

  it("refuses empty placeholders, unbalanced braces, empty and too long texts, unknown templates", () => {
    expect(validateTemplateOverride("thanks", "Merci {{}} !")).toEqual({ ok: false, errors: ["Empty placeholder {{}}: write a variable name inside, e.g. {{firstName}}."] });
    const unbalanced = validateTemplateOverride("thanks", "Merci {{firstName !");
    expect(unbalanced.ok).toBe(false);
    expect(!unbalanced.ok && unbalanced.errors[0]).toMatch(/^Unbalanced braces near "Merci \{\{firstName/);
    expect(validateTemplateOverride("thanks", "   ")).toEqual({ ok: false, errors: ["The text is empty."] });
    expect(validateTemplateOverride("thanks", "a".repeat(1001))).toEqual({ ok: false, errors: ["The text is 1001 characters long; the limit is 1000."] });
    expect(validateTemplateOverride("nope" as ReplyTemplateId, "Merci")).toEqual({ ok: false, errors: ['Unknown template "nope".'] });
  });

  it("refuses numbers, dates and times typed in the text: they must come from variables", () => {
    const result = validateTemplateOverride("hold.confirmed", "C'est noté, je te la garde 24h, jusqu'à samedi 18h. -20% pour toi !");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.split('"')[1])).toEqual(["24", "samedi", "18h", "20"]);
  });

  it("every template lists the variables shared by all: shopName", () => {
    for (const id of ALL_TEMPLATES) expect(TEMPLATE_VARIABLES[id]).toContain("shopName");
  });
});

describe("renderReply with a shop's override", () => {
  const base: ReplyRenderInput = { template: "availability.variant", language: "fr", channel: "whatsapp", tone: demoTone, timeZone: PARIS, facts: fullFacts, now: NOW };

  it("uses the override for its language, with its variables filled, then the proposal and the signature", () => {
    const reply = renderReply({
      ...base,
      propose: "hold",
      overrides: { "availability.variant": { fr: "Oui !! {{product}} est dispo {{size}} ({{price}}), il en reste {{available}} 😍" } },
    });
    expect(reply.text).toBe(
      "Bonjour Julie ! Oui !! la Robe Fleurie Bleue est dispo en 38 (89 €), il en reste 2 😍 Tu veux que je te la mette de côté jusqu'à demain 18h ?\nSarah & l'équipe Élégance Paris",
    );
    // Still grounding-checked: its figures are the facts'.
    expect(checkGrounding(reply.text, [fullFacts, demoTone], { timeZone: PARIS, language: "fr", now: NOW }).ok).toBe(true);
    // English has no override: the template's wording.
    const en = renderReply({ ...base, language: "en", overrides: { "availability.variant": { fr: "Oui !! {{product}}" } } });
    expect(en.text).toMatch(/^Hi Julie! 😊 Yes, we have the Robe Fleurie Bleue in 38!/);
  });

  it("keeps paragraphs and escapes the override in the email's HTML", () => {
    const reply = renderReply({ ...base, channel: "email", overrides: { thanks: { fr: "Merci <b>{{firstName}}</b> !\n\nÀ bientôt chez {{shopName}}." } }, template: "thanks" });
    expect(reply.text).toBe("Bonjour Julie,\n\nMerci <b>Julie</b> !\n\nÀ bientôt chez Élégance Paris.\n\nBelle journée,\nSarah & l'équipe Élégance Paris");
    expect(reply.html).toContain("Merci &lt;b&gt;Julie&lt;/b&gt; !");
  });

  it("falls back to the template when the override needs a fact this reply does not have", () => {
    const reply = renderReply({ ...base, template: "order.status", facts: { ...bareFacts, firstName: "Julie" }, overrides: { "order.status": { fr: "Ta commande {{orderName}} arrive {{deliveryDate}} !" } } });
    expect(reply.text).not.toContain("Ta commande  arrive");
    expect(reply.text).toContain("Tu peux me donner ton numéro de commande ?");
  });

  it("never sends an override with a figure typed in it: the template's wording is used instead", () => {
    const reply = renderReply({ ...base, template: "thanks", overrides: { thanks: { fr: "Merci ! -50% sur ta prochaine commande." } } });
    expect(reply.text).toBe("Bonjour Julie ! 😊 Avec plaisir ! N'hésite pas si tu as besoin d'autre chose.\nSarah & l'équipe Élégance Paris");
    // And the grounding check refuses such a text whatever produced it.
    expect(checkGrounding("Bonjour Julie ! Merci ! -50% sur ta prochaine commande.", [fullFacts, demoTone], { timeZone: PARIS, language: "fr" })).toEqual({ ok: false, ungrounded: ["50"] });
  });

  it("cannot leak an order's details through an override of the identity check", () => {
    const reply = renderReply({ ...base, template: "order.verify_identity", overrides: { "order.verify_identity": { fr: "Ta commande {{orderName}} : {{trackingNumber}}" } } });
    expect(reply.text).not.toMatch(/#2901|FR987654321/);
  });
});
