import { describe, expect, it } from "vitest";
import { stripQuotes } from "./strip-quotes";

describe("stripQuotes", () => {
  it.each([
    [
      "Gmail FR quote header",
      "Oui, gardez-la moi en 38 svp.\n\nLe lun. 12 janv. 2026 à 10:15, Boutique Coccinelle <bonjour@coccinelle.fr> a écrit :\n> La robe RF-2847 est disponible en 38.\n> Bonne journée",
      "Oui, gardez-la moi en 38 svp.",
    ],
    [
      "Gmail FR header wrapped over two lines",
      "Je passe à 17h.\r\n\r\nLe lun. 12 janv. 2026 à 10:15, Boutique Coccinelle <\r\nbonjour@coccinelle.fr> a écrit :\r\n\r\n> Bonjour",
      "Je passe à 17h.",
    ],
    [
      "Gmail EN quote header",
      "Yes please, size 40.\n\nOn Mon, Jan 12, 2026 at 10:15 AM Coccinelle <bonjour@coccinelle.fr> wrote:\n> It is available.",
      "Yes please, size 40.",
    ],
    ["lines quoted with >", "Merci !\n> ancien message\n>> plus ancien", "Merci !"],
    ["RFC 3676 signature", "Bonjour,\nla robe est-elle dispo ?\n-- \nJulie Martin\n06 45 78 90 12", "Bonjour,\nla robe est-elle dispo ?"],
    ["Envoyé de mon iPhone", "Parfait, merci\n\nEnvoyé de mon iPhone", "Parfait, merci"],
    ["Sent from my iPhone", "Great, thanks\n\nSent from my iPhone\n\nOn Mon, Jan 12, 2026, Shop <a@b.c> wrote:\n> hi", "Great, thanks"],
    [
      "Outlook FR",
      "D'accord.\n\n-------- Message d'origine --------\nDe : Coccinelle <bonjour@coccinelle.fr>\nDate : 12/01/2026 10:15\nObjet : Votre commande",
      "D'accord.",
    ],
    ["Outlook EN header block", "Thanks.\n\nFrom: Coccinelle <bonjour@coccinelle.fr>\nSent: Monday, January 12, 2026 10:15 AM\nTo: Julie", "Thanks."],
    ["no quote at all", "  Avez-vous la robe en 38 ?\nMerci  ", "Avez-vous la robe en 38 ?\nMerci"],
    ["a sentence that starts with Le is kept", "Le modèle en rouge me plaît.\nLe 38 aussi.", "Le modèle en rouge me plaît.\nLe 38 aussi."],
    ["a line starting with 'On' that is not a header is kept", "On se voit demain ?", "On se voit demain ?"],
    ["only a quote keeps the text", "> texte cité", "> texte cité"],
  ])("%s", (_name, input, expected) => {
    expect(stripQuotes(input)).toBe(expected);
  });
});
