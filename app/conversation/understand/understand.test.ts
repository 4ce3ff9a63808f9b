import { describe, expect, it } from "vitest";
import type { CatalogueProduct } from "~/plugins/types";
import { findRequestedSize } from "./catalogue";
import { understand } from ".";
import { detectLanguage } from "./language";

function product(id: string, ref: string, title: string, sizes: string[], color: string | null = null): CatalogueProduct {
  return {
    id,
    ref,
    title,
    productType: "Robes",
    tags: [],
    color,
    url: null,
    variants: sizes.map((size, i) => ({ id: `${id}-v${i}`, sku: `${ref}-${size}`, title: size, size, color, price: "89.00" })),
  };
}

const catalogue = [
  product("p1", "RF-2847", "Robe Fleurie Bleue", ["36", "38", "40"], "bleu"),
  product("p2", "RB-318", "Robe Bordeaux", ["36", "38", "40"], "bordeaux"),
  product("p3", "BL-445", "Blazer Beige Élégant", ["36", "38", "40"], "beige"),
  product("p4", "BO-112", "Boucles d'oreilles dorées", ["Taille unique"], "doré"),
  product("p5", "TS-001", "T-shirt Basique", ["S", "M", "L"]),
];
const ctx = { catalogue, shopLanguage: "fr" as const };

describe("understand", () => {
  it("reads Julie's question: the dress, size 38, availability, in French", () => {
    const u = understand("Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍", ctx);
    expect(u).toMatchObject({
      language: "fr",
      intent: "product_availability",
      product: { id: "p1", ref: "RF-2847" },
      requestedSize: "38",
      variant: { id: "p1-v1", size: "38", sku: "RF-2847-38" },
    });
    expect(u.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    ["do you have the beige blazer in size 40?", "en", "p3", "40"],
    ["Vous avez le blazer beige élégant en 36 ?", "fr", "p3", "36"],
    ["la robe fleurei bleu en 40, vous l'avez ?", "fr", "p1", "40"], // typo and colour without its ending
    ["Avez-vous encore la RB-318 du 38 ?", "fr", "p2", "38"],
    ["les boucles d'oreilles dorees, il en reste ?", "fr", "p4", null],
    ["Is the T-shirt basique available in small?", "en", "p5", "S"],
  ])("%s", (text, language, productId, size) => {
    const u = understand(text, ctx);
    expect(u.intent).toBe("product_availability");
    expect(u.language).toBe(language);
    expect(u.product?.id).toBe(productId);
    expect(u.requestedSize).toBe(size);
  });

  it("does not pick a product when the message only says 'robe' (two dresses)", () => {
    const u = understand("vous avez des robes en 38 ?", ctx);
    expect(u.product).toBeNull();
    expect(u.requestedSize).toBe("38");
  });

  it("keeps a size the product does not have, with no variant", () => {
    const u = understand("la robe bordeaux en 44 vous l'avez ?", ctx);
    expect(u.product?.id).toBe("p2");
    expect(u.requestedSize).toBe("44");
    expect(u.variant).toBeNull();
  });

  it("uses the single variant of a one-size product", () => {
    const u = understand("Vous avez encore les boucles d'oreilles dorées ?", ctx);
    expect(u.variant?.id).toBe("p4-v0");
  });

  it("recognises a bare greeting and an unrelated message", () => {
    expect(understand("Bonjour !", ctx).intent).toBe("greeting");
    expect(understand("Je voudrais parler à Sarah s'il vous plaît", ctx).intent).toBe("other");
  });
});

describe("language", () => {
  it("falls back to the shop's language without evidence", () => {
    expect(detectLanguage("38 ?", "fr").language).toBe("fr");
    expect(detectLanguage("38 ?", "en").language).toBe("en");
  });
});

describe("findRequestedSize", () => {
  it.each([
    ["en taille 38", "38"],
    ["du 40 svp", "40"],
    ["T36 dispo ?", "36"],
    ["size M please", "M"],
    ["in large", "L"],
    ["la commande 2847", null],
  ])("%s → %s", (text, size) => {
    expect(findRequestedSize(text)).toBe(size);
  });
});
