import { describe, expect, it } from "vitest";
import type { ShopSettings } from "~/shops/settings";
import { checkGrounding } from "./grounding";
import { renderReply, type ReplyFacts } from "./templates";

const tu: ShopSettings["tone"] = { address: "tu", emoji: true, signature: "Sarah & l'équipe Élégance Paris" };
const vous: ShopSettings["tone"] = { address: "vous", emoji: false, signature: null };
const facts: ReplyFacts = {
  firstName: "Julie",
  shopName: "Élégance Paris",
  productTitle: "Robe Fleurie Bleue",
  requestedSize: "38",
  requested: { size: "38", available: 2 },
  sizes: [
    { size: "36", available: 1 },
    { size: "38", available: 2 },
    { size: "40", available: 0 },
  ],
};

describe("renderReply", () => {
  it("answers Julie in French, tu, with emoji and signature", () => {
    const text = renderReply({ template: "availability.variant", language: "fr", tone: tu, facts });
    expect(text).toBe(
      "Bonjour Julie ! Oui, la Robe Fleurie Bleue est disponible en 38 : il en reste 2 à la boutique. 😍\nSarah & l'équipe Élégance Paris",
    );
  });

  it("agrees articles with the product's noun, and falls back to quotes", () => {
    const blazer = renderReply({ template: "availability.variant", language: "fr", tone: vous, facts: { ...facts, productTitle: "Blazer Beige" } });
    expect(blazer).toContain("le Blazer Beige est disponible");
    const earrings = renderReply({ template: "availability.variant", language: "fr", tone: vous, facts: { ...facts, productTitle: "Boucles d'oreilles dorées" } });
    expect(earrings).toContain("les Boucles d'oreilles dorées sont disponibles en 38");
    const unknown = renderReply({ template: "availability.variant", language: "fr", tone: vous, facts: { ...facts, productTitle: "Twin-set Ivoire" } });
    expect(unknown).toContain("« Twin-set Ivoire » est disponible");
  });

  it("offers the sizes left when the one asked for is sold out, in the shop's 'vous'", () => {
    const text = renderReply({ template: "availability.variant", language: "fr", tone: vous, facts: { ...facts, requested: { size: "40", available: 0 }, requestedSize: "40" } });
    expect(text).toBe("Bonjour Julie ! Désolée, la Robe Fleurie Bleue n'est plus disponible en 40 pour le moment. Je peux vous proposer le 36 et le 38.");
    expect(text).not.toMatch(/😍|🙏/);
  });

  it("answers in English", () => {
    const text = renderReply({ template: "availability.product", language: "en", tone: vous, facts: { ...facts, firstName: null } });
    expect(text).toBe("Hello! The Robe Fleurie Bleue is available in 36 (1) and 38 (2). Which size would you like?");
  });
});

describe("checkGrounding", () => {
  it("accepts numbers that tools returned and refuses invented ones", () => {
    const text = renderReply({ template: "availability.variant", language: "fr", tone: tu, facts });
    expect(checkGrounding(text, [facts, tu])).toEqual({ ok: true, ungrounded: [] });
    expect(checkGrounding("Il en reste 5 en 38, à 79 €", [facts])).toEqual({ ok: false, ungrounded: ["5", "79"] });
  });
});
