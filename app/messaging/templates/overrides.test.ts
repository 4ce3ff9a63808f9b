import { describe, expect, it } from "vitest";
import { PROACTIVE_TEMPLATE_IDS } from "./catalogue";
import type { ProactiveOverrides } from "./override-text";
import { validateProactiveOverride } from "./overrides";
import { renderProactive, type ProactiveRenderInput } from "./render";
import { fullFacts, NOW, PARIS, VOICES } from "./test-support";
import { PROACTIVE_TEMPLATE_VARIABLES } from "./variables";

const tu = VOICES[0]!.tone;

describe("validateProactiveOverride", () => {
  it("accepts the template's variables and shows the SMS it makes", () => {
    const check = validateProactiveOverride({ template: "reminder.pickup", language: "fr", channel: "sms", text: "Coucou ! {{product}} {{size}} t'attend {{holdDeadline}} au {{address}}." });
    expect(check.ok).toBe(true);
    expect(check.errors).toEqual([]);
    expect(check.preview).toEqual({
      body: "Bonjour Julie ! Coucou ! la Robe Fleurie Bleue en 38 t'attend jusqu'à demain 18h au 24 Rue de Rivoli, 75004 Paris.\nÉlégance Paris",
      segments: { encoding: "GSM-7", segments: 1, characters: 129 },
    });
    expect(check.warnings).toEqual(["When a customer's message lacks {{product}}, {{size}}, {{holdDeadline}}, {{address}}, the default wording is sent instead of this text."]);
  });

  it("refuses an unknown variable, with a suggestion and the list of those available", () => {
    const check = validateProactiveOverride({ template: "shipping.update", language: "fr", channel: "sms", text: "Ton colis {{trackingNumbr}} arrive {{deliveryDay}} !" });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([
      'Unknown variable {{trackingNumbr}} for "shipping.update". Did you mean {{trackingNumber}}? Available: {{firstName}}, {{shopName}}, {{orderName}}, {{carrier}}, {{trackingNumber}}, {{trackingUrl}}, {{deliveryDate}}, {{shippingDetails}}.',
      'Unknown variable {{deliveryDay}} for "shipping.update". Did you mean {{deliveryDate}}? Available: {{firstName}}, {{shopName}}, {{orderName}}, {{carrier}}, {{trackingNumber}}, {{trackingUrl}}, {{deliveryDate}}, {{shippingDetails}}.',
    ]);
    expect(check.warnings).toEqual([]);
  });

  it("refuses a variable that exists but not for this template (no order in a hold reminder)", () => {
    const check = validateProactiveOverride({ template: "hold.expired", language: "en", channel: "email", text: "Your order {{orderName}} is gone." });
    expect(check.errors).toEqual([
      'Unknown variable {{orderName}} for "hold.expired". Available: {{firstName}}, {{shopName}}, {{product}}, {{productTitle}}, {{size}}, {{item}}, {{ofItem}}, {{itemLabel}}.',
    ]);
  });

  it("refuses a number, a date or a time typed in the text", () => {
    const check = validateProactiveOverride({ template: "hold.expiring", language: "fr", channel: "whatsapp", text: "Ta réservation se termine à 18h, il reste 2 jours !" });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([
      '"18h" is written in the text: amounts, quantities, dates, times and numbers must come from a variable (the message would be refused).',
      '"2" is written in the text: amounts, quantities, dates, times and numbers must come from a variable (the message would be refused).',
    ]);
  });

  it("refuses unknown templates, languages and channels, empty placeholders, unbalanced braces", () => {
    expect(validateProactiveOverride({ template: "reminder.pick", language: "de", channel: "fax", text: "Hallo" }).errors).toEqual([
      `Unknown template "reminder.pick". Templates: ${PROACTIVE_TEMPLATE_IDS.join(", ")}.`,
      'Unknown language "de": "fr" or "en".',
      'Unknown channel "fax": "sms", "whatsapp" or "email".',
    ]);
    expect(validateProactiveOverride({ template: "order.thank_you", language: "fr", channel: "email", text: "Merci {{}} !" }).errors).toEqual([
      "Empty placeholder {{}}: write a variable name inside, e.g. {{firstName}}.",
    ]);
    expect(validateProactiveOverride({ template: "order.thank_you", language: "fr", channel: "email", text: "Merci {{firstName !" }).errors[0]).toMatch(/^Unbalanced braces near "Merci \{\{firstName/);
    expect(validateProactiveOverride({ template: "order.thank_you", language: "fr", channel: "email", text: "  " }).errors).toEqual(["The text is empty."]);
  });

  it("refuses an SMS longer than three segments, and an email longer than 1,000 characters", () => {
    expect(validateProactiveOverride({ template: "order.follow_up", language: "fr", channel: "sms", text: "a".repeat(460) }).errors).toEqual(["The text is 460 characters long; the limit for SMS is 459."]);
    expect(validateProactiveOverride({ template: "order.follow_up", language: "fr", channel: "email", text: "a".repeat(460) }).ok).toBe(true);
    expect(validateProactiveOverride({ template: "order.follow_up", language: "fr", channel: "email", text: "a".repeat(1001) }).errors).toEqual(["The text is 1001 characters long; the limit for email is 1000."]);
  });

  it("warns when the SMS would cost more segments than allowed, measured with the shop's own tone", () => {
    const text = "Bonne nouvelle ! {{item}} est de retour en boutique, à {{price}}. Passe vite la voir ou réponds-moi et je te la garde jusqu'à la fermeture !";
    const check = validateProactiveOverride({ template: "back_in_stock.available", language: "fr", channel: "sms", text, preview: { tone: tu } });
    expect(check.ok).toBe(true);
    expect(check.preview?.segments).toEqual({ encoding: "GSM-7", segments: 2, characters: 203 });
    expect(check.warnings[0]).toBe(
      "With the example values this SMS takes 2 segments (GSM-7, 203 characters, greeting and signature included), more than the 1 you allow: each segment is billed.",
    );
    const allowTwo = validateProactiveOverride({ template: "back_in_stock.available", language: "fr", channel: "sms", text, preview: { tone: tu }, maxSmsSegments: 2 });
    expect(allowTwo.warnings.some((w) => w.includes("segments"))).toBe(false);
  });

  it("warns about characters that switch an SMS to UCS-2", () => {
    const check = validateProactiveOverride({ template: "order.follow_up", language: "fr", channel: "sms", text: "Ça te plaît ? 😍 Réponds-moi !" });
    expect(check.ok).toBe(true);
    // The capital Ç is in the GSM-7 alphabet; î and the emoji are not.
    expect(check.warnings[0]).toBe('"î", "😍" are not in the SMS alphabet (GSM-7): the whole SMS is sent in UCS-2, 70 characters per segment instead of 160.');
    expect(check.preview?.segments?.encoding).toBe("UCS-2");
    expect(check.warnings[1]).toMatch(/^With the example values this SMS takes 2 segments \(UCS-2, 83 characters/);
  });

  it("says that WhatsApp's approved template is sent outside the 24-hour window", () => {
    const check = validateProactiveOverride({ template: "order.thank_you", language: "en", channel: "whatsapp", text: "Thanks a lot for your order, see you soon at {{shopName}}!" });
    expect(check).toMatchObject({ ok: true, errors: [] });
    expect(check.warnings).toEqual(["On WhatsApp this text is sent within 24 hours of the customer's last message; later, only the approved template can be sent, with its own wording."]);
  });

  it("checks a reused reply template with the reply's own rules and variables", () => {
    expect(PROACTIVE_TEMPLATE_VARIABLES["return.instructions"]).toEqual(["firstName", "shopName", "orderName", "returnDays", "returnDeadline", "address"]);
    const bad = validateProactiveOverride({ template: "return.instructions", language: "fr", channel: "email", text: "Retour de {{orderNam}} sous {{returnDays}} jours." });
    expect(bad.errors).toEqual([
      'Unknown variable {{orderNam}} for "return.instructions". Did you mean {{orderName}}? Available: {{firstName}}, {{shopName}}, {{orderName}}, {{returnDays}}, {{returnDeadline}}, {{address}}.',
    ]);
    const good = validateProactiveOverride({ template: "return.instructions", language: "fr", channel: "sms", text: "Retour de {{orderName}} possible sous {{returnDays}} jours, en boutique ({{address}})." });
    expect(good.ok).toBe(true);
    expect(good.preview?.body).toBe("Bonjour Julie ! Retour de #2847 possible sous 30 jours, en boutique (24 Rue de Rivoli, 75004 Paris).\nÉlégance Paris");
  });
});

describe("overrides at render time", () => {
  const base: ProactiveRenderInput = { template: "reminder.pickup", language: "fr", tone: tu, channel: "sms", facts: fullFacts, timeZone: PARIS, now: NOW };
  const overrides: ProactiveOverrides = {
    "reminder.pickup": { fr: { sms: "Coucou ! {{product}} {{size}} t'attend {{holdDeadline}}.", email: "Votre réservation : {{item}}." } },
    "opt_out.confirmed": { fr: { sms: "{{shopName}} : c'est noté, plus aucun message. START pour revenir." } },
  };

  it("replaces the body, keeps the greeting and the signature, and is grounded", () => {
    const out = renderProactive({ ...base, overrides });
    expect(out.overridden).toBe(true);
    expect(out.body).toBe("Bonjour Julie ! Coucou ! la Robe Fleurie Bleue en 38 t'attend jusqu'à demain 18h.\nSarah & l'équipe Élégance Paris");
    expect(out.grounding.ok).toBe(true);
  });

  it("applies per language and channel only", () => {
    expect(renderProactive({ ...base, overrides, language: "en" }).overridden).toBe(false);
    expect(renderProactive({ ...base, overrides, channel: "whatsapp" }).overridden).toBe(false);
    const email = renderProactive({ ...base, overrides, channel: "email" });
    expect(email.overridden).toBe(true);
    expect(email.body).toContain("Votre réservation : la Robe Fleurie Bleue en 38.");
  });

  it("falls back to the template's wording when the customer's facts lack a variable", () => {
    const out = renderProactive({ ...base, overrides, facts: { ...fullFacts, hold: { ...fullFacts.hold!, expiresAt: null } } });
    expect(out.overridden).toBe(false);
    expect(out.body).toBe("Bonjour Julie ! Petit rappel : la Robe Fleurie Bleue en 38 t'attend en boutique.\nSarah & l'équipe Élégance Paris");
  });

  it("never uses an invalid override (a typed time would not be grounded)", () => {
    const out = renderProactive({ ...base, overrides: { "reminder.pickup": { fr: { sms: "Ta robe t'attend jusqu'à 19h !" } } } });
    expect(out.overridden).toBe(false);
    expect(out.body).not.toContain("19h");
  });

  it("passes a reused template's override to the reply renderer", () => {
    const out = renderProactive({ ...base, template: "opt_out.confirmed", overrides });
    expect(out.overridden).toBe(true);
    expect(out.body).toBe("Élégance Paris : c'est noté, plus aucun message. START pour revenir.");
  });
});
