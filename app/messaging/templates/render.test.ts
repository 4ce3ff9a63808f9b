import { describe, expect, it } from "vitest";
import type { ChannelKind } from "~/conversation/contracts";
import { checkGrounding, countSmsSegments, renderReply } from "~/conversation/reply";
import { MARKETING_TEMPLATES, PROACTIVE_TEMPLATE_IDS, type ProactiveTemplateId } from "./catalogue";
import { toReplyFacts, type ProactiveTemplateFacts } from "./facts";
import { renderProactive, UnknownProactiveTemplateError, type ProactiveRenderInput } from "./render";
import { bareFacts, fullFacts, NOW, PARIS, SIGNATURE, VOICES } from "./test-support";
import { ProactiveFactsError } from "./wording";

const CHANNELS: ChannelKind[] = ["sms", "whatsapp", "email"];

/** Full facts, bare facts, and the in-between a scheduler often has. */
const FACTS: Array<[string, ProactiveTemplateFacts]> = [
  ["full", fullFacts],
  ["bare", bareFacts],
  [
    "partial",
    {
      shopName: "Élégance Paris",
      firstName: "Julie",
      hold: { productTitle: "Boucles d'oreilles dorées", size: "Taille unique", expiresAt: null },
      product: { title: "Twin-set Ivoire", size: null },
      order: { name: "#2847", lines: [{ title: "Pull Cachemire Gris", size: "M", quantity: 2 }], trackingNumber: "6A12345678901" },
      text: "Soldes : -20 % sur toute la boutique samedi !\n\nOn vous attend.",
    },
  ],
];

// French words that give away the address form.
const TU_WORDS = /\b(tu|te|toi|ton|ta|tes)\b|\bt'/i;
const VOUS_WORDS = /\b(vous|votre|vos)\b/i;

const render = (template: ProactiveTemplateId, over: Partial<ProactiveRenderInput> = {}) =>
  renderProactive({ template, language: "fr", tone: VOICES[0]!.tone, channel: "sms", facts: fullFacts, timeZone: PARIS, now: NOW, ...over });

describe.each(PROACTIVE_TEMPLATE_IDS)("%s", (template) => {
  it.each(CHANNELS)("renders on %s in fr-tu, fr-vous and en, with full, partial and bare facts, grounded", (channel) => {
    for (const voice of VOICES) {
      for (const tone of [voice.tone, { ...voice.tone, emoji: false, signature: null }]) {
        for (const [label, facts] of FACTS) {
          const name = `${template}/${voice.label}/${channel}/${label}/emoji:${tone.emoji}/signature:${tone.signature ?? "none"}`;
          const out = renderProactive({ template, language: voice.language, tone, channel, facts, timeZone: PARIS, now: NOW });
          expect(out.body.trim(), name).not.toBe("");
          expect(out.grounding, `${name}\n${out.body}`).toEqual({ ok: true, ungrounded: [] });
          // The check is the reply's, on everything the customer may read (a broadcast's text also as a WhatsApp variable carries it, on one line).
          const said = [out.body, out.subject ?? "", out.whatsappTemplateText ?? ""].join("\n");
          const sources = [facts, tone, facts.shopName, (facts.text ?? "").replace(/\s+/g, " ")];
          expect(checkGrounding(said, sources, { timeZone: PARIS, language: voice.language, now: NOW }).ok, name).toBe(true);
          expect(out.overridden).toBe(false);

          // Which shop writes is always said.
          expect(out.body, name).toContain("Élégance Paris");

          if (channel === "sms") {
            expect(out.segments, name).toEqual(countSmsSegments(out.body));
            expect(out.body, name).not.toMatch(/[’«»…\u00A0×•]/);
          } else {
            expect(out.segments).toBeUndefined();
          }
          if (channel === "email") {
            expect(out.subject, name).toBeTruthy();
            expect(out.subject).not.toMatch(/[\r\n]/);
            expect(out.html, name).toContain("<!doctype html>");
          } else {
            expect(out.subject).toBeUndefined();
            expect(out.html).toBeUndefined();
          }
          if (channel === "whatsapp") {
            expect(out.whatsappTemplate === null ? out.whatsappTemplateUnavailable : out.whatsappTemplateText, name).toBeTruthy();
          } else {
            expect(out.whatsappTemplate).toBeUndefined();
          }

          if (voice.language === "en") expect(out.body, `${name}\n${out.body}`).not.toMatch(/Bonjour|Merci\b|Désolée|Petit rappel|réservation/);
          else {
            const words = out.body.replace(tone.signature ?? "", "").replace(/https?:\/\/\S+/g, "").replace(facts.text ?? "", "");
            if (tone.address === "tu") expect(words, `${name}\n${out.body}`).not.toMatch(VOUS_WORDS);
            else expect(words, `${name}\n${out.body}`).not.toMatch(TU_WORDS);
          }
          if (!tone.emoji) expect(out.body, name).not.toMatch(/\p{Extended_Pictographic}/u);
          if (MARKETING_TEMPLATES.has(template)) expect(out.body.split("\n").at(-1), name).toMatch(/STOP/);
        }
      }
    }
  });
});

describe("wording in the shop's voice, from the facts", () => {
  it("reminds Julie of her hold by SMS in one GSM-7 segment", () => {
    const tu = render("reminder.pickup");
    expect(tu.body).toBe("Bonjour Julie ! Petit rappel : la Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h.\nSarah & l'équipe Élégance Paris");
    expect(tu.segments).toEqual({ encoding: "GSM-7", segments: 1, characters: 131 });
    const vous = render("reminder.pickup", { tone: { address: "vous", emoji: false, signature: null } });
    // The shop's address and "Un imprévu ?" would take a second segment: left to WhatsApp and email.
    expect(vous.body).toBe("Bonjour Julie ! Petit rappel : la Robe Fleurie Bleue en 38 vous attend en boutique jusqu'à demain 18h.\nÉlégance Paris");
    expect(vous.segments?.segments).toBe(1);
    const en = render("reminder.pickup", { language: "en" });
    expect(en.body).toBe("Hi Julie! Just a reminder: the Robe Fleurie Bleue in 38 is waiting for you in store until tomorrow at 6 pm.\nSarah & l'équipe Élégance Paris");
  });

  it("gives WhatsApp the richer version: bold deadline, address and hours, emoji", () => {
    expect(render("reminder.pickup", { channel: "whatsapp" }).body).toBe(
      "Bonjour Julie ! 😊 Petit rappel : la Robe Fleurie Bleue en 38 t'attend en boutique *jusqu'à demain 18h*.\n\n" +
        "La boutique est au 24 Rue de Rivoli, 75004 Paris. Elle est ouverte du lundi au samedi de 10h à 19h, fermée le dimanche.\n\n" +
        "Un imprévu ? Réponds-moi ici.\nSarah & l'équipe Élégance Paris",
    );
  });

  it("thanks for order #2847 with its lines (product, size, quantity, price) and total", () => {
    const email = render("order.thank_you", { channel: "email", tone: { address: "vous", emoji: false, signature: null } });
    expect(email.subject).toBe("Merci pour votre commande #2847");
    expect(email.body).toBe(
      "Bonjour Julie,\n\nMerci pour votre commande #2847 !\n\n• 1 x Robe Fleurie Bleue, taille 38 - 89 €\nTotal : 89 €\n\nOn espère qu'elle vous plaira !\n\nBelle journée,\nÉlégance Paris",
    );
    expect(email.html).toContain("<p style=\"margin:0 0 16px\">• 1 x Robe Fleurie Bleue, taille 38 - 89 €<br>Total : 89 €</p>");
    const twoLines = {
      ...fullFacts,
      order: {
        name: "#2851",
        lines: [
          { title: "Pull Cachemire Gris", size: "M", quantity: 2, unitPrice: "59.00" },
          { title: "Écharpe Rouge", size: "Taille unique", quantity: 1, unitPrice: "35.00" },
        ],
        total: "153.00",
      },
    };
    expect(render("order.thank_you", { language: "en", channel: "whatsapp", facts: twoLines }).body).toContain(
      "• 2 x Pull Cachemire Gris, size M - €59 each\n• 1 x Écharpe Rouge - €35\nTotal: €153\n\nWe hope you'll love everything!",
    );
    // On SMS the lines go when they would cost a second segment; the thanks stay.
    expect(render("order.thank_you", { facts: twoLines }).body).toBe("Bonjour Julie ! Merci pour ta commande #2851 !\nOn espère que tout te plaira !\nSarah & l'équipe Élégance Paris");
  });

  it("announces the parcel with carrier, tracking number and expected day", () => {
    expect(render("shipping.update").body).toBe("Bonjour Julie ! Ta commande #2847 est en route avec Colissimo ! Livraison prévue vendredi.\nSuivi : 6A12345678901\nSarah & l'équipe Élégance Paris");
    const email = render("shipping.update", { channel: "email", language: "en" });
    expect(email.subject).toBe("Your order #2847 is on its way");
    expect(email.body).toContain("Good news: your order #2847 is on its way with Colissimo! 📦 It should arrive on Friday.");
    expect(email.body).toContain("It should arrive on Friday.\nYour tracking number: 6A12345678901\nTrack your parcel: https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901");
    expect(email.html).toContain('<a href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901">');
    // Delivery tomorrow is "demain", in the shop's calendar.
    const tomorrow = render("shipping.update", { facts: { ...fullFacts, order: { ...fullFacts.order!, estimatedDeliveryAt: "2026-01-13T10:00:00.000Z" } } });
    expect(tomorrow.body).toContain("Livraison prévue demain.");
  });

  it("says the back-in-stock size and price, and offers to hold it", () => {
    expect(render("back_in_stock.available").body).toBe(
      "Bonjour Julie ! Bonne nouvelle : la Robe Fleurie Bleue est de retour en 38 (89 €) ! Réponds-moi et je te la garde !\nSarah & l'équipe Élégance Paris",
    );
    expect(render("back_in_stock.available", { language: "en", facts: { ...fullFacts, product: { title: "Escarpins Nude", size: "39", price: null } } }).body).toContain(
      "Good news: the Escarpins Nude are back in 39! Just reply and I'll hold them for you!",
    );
    expect(render("back_in_stock.available", { facts: { ...fullFacts, product: { title: "Escarpins Nude", size: "39", price: null } } }).body).toContain(
      "les Escarpins Nude sont de retour en 39 ! Réponds-moi et je te les garde !",
    );
  });

  it("dates the hold in the shop's time zone, whatever the server's", () => {
    const auckland = render("hold.expiring", { timeZone: "Pacific/Auckland" });
    // 2026-01-13T17:00Z is Wednesday 14 January 06:00 in Auckland, two days after Monday 22:15 there.
    expect(auckland.body).toContain("se termine mercredi 14 janvier à 6h.");
    expect(auckland.grounding.ok).toBe(true);
  });

  it("names the shop in a broadcast and keeps the merchant's text as she wrote it", () => {
    const sms = render("broadcast.custom", { language: "en" });
    expect(sms.body).toBe("Élégance Paris: La nouvelle collection printemps est arrivée ! Passez la découvrir en boutique cette semaine.\nUnsubscribe: reply STOP");
    const whatsapp = render("broadcast.custom", { channel: "whatsapp", tone: { address: "vous", emoji: true, signature: null } });
    expect(whatsapp.body).toBe(
      "*Élégance Paris*\n\nLa nouvelle collection printemps est arrivée ! Passez la découvrir en boutique cette semaine.\n\nRépondez STOP pour ne plus recevoir nos messages.",
    );
    const email = render("broadcast.custom", { channel: "email", facts: { ...fullFacts, text: "Nouveautés <b>printemps</b> & soldes" } });
    expect(email.subject).toBe("Des nouvelles d'Élégance Paris");
    expect(email.html).toContain("Nouveautés &lt;b&gt;printemps&lt;/b&gt; &amp; soldes");
    expect(email.html).not.toContain("<b>");
  });

  it("escapes the facts in the email's HTML", () => {
    const email = render("reminder.pickup", { channel: "email", facts: { ...fullFacts, hold: { ...fullFacts.hold!, productTitle: 'Robe "Été" <script>' } } });
    expect(email.html).toContain("&quot;Été&quot; &lt;script&gt;");
    expect(email.html).not.toContain("<script>");
  });

  it("signs with the shop's name when the tone's signature does not say it", () => {
    expect(render("hold.expired", { tone: { address: "tu", emoji: false, signature: "Sarah" } }).body.endsWith("\nSarah - Élégance Paris")).toBe(true);
    expect(render("hold.expired", { tone: { address: "tu", emoji: false, signature: null } }).body.endsWith("\nÉlégance Paris")).toBe(true);
    expect(render("hold.expired", { tone: { address: "tu", emoji: false, signature: "L'équipe ELEGANCE PARIS" } }).body.endsWith("\nL'équipe ELEGANCE PARIS")).toBe(true);
  });
});

describe("reply templates reused, not rewritten", () => {
  it.each([
    ["hold.confirmed", "hold.confirmed"],
    ["opt_out.confirmed", "opt_out.confirmed"],
    ["help", "help"],
    ["return.instructions", "return.instructions"],
    ["exchange.instructions", "exchange.options"],
  ] as const)("%s is the reply's %s, on WhatsApp and email", (template, replyTemplate) => {
    for (const channel of ["whatsapp", "email"] as const) {
      const tone = { address: "vous" as const, emoji: true, signature: SIGNATURE };
      const proactive = render(template, { channel, tone });
      const reply = renderReply({ template: replyTemplate, language: "fr", channel, tone, timeZone: PARIS, facts: toReplyFacts(fullFacts), now: NOW });
      expect(proactive.body).toBe(reply.text);
      expect(proactive.subject).toBe(reply.subject);
      expect(proactive.html).toBe(reply.html);
    }
  });

  it("exchange instructions with one way left are the reply's confirmation", () => {
    const one = { ...fullFacts, exchange: { ...fullFacts.exchange!, options: [{ id: 2, label: "post", fee: "4.90" }] } };
    expect(render("exchange.instructions", { facts: one, channel: "whatsapp" }).body).toContain("C'est noté ! Renvoie-nous le 40 : dès réception, on t'envoie le 38. Les frais d'échange sont de 4,90 €.");
  });

  it("leaves out the reminder's announce on SMS to stay in one segment", () => {
    const sms = render("hold.confirmed");
    expect(sms.body).toBe("Bonjour Julie ! C'est fait ! La Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h.\nSarah & l'équipe Élégance Paris");
    expect(sms.segments?.segments).toBe(1);
    expect(render("hold.confirmed", { channel: "whatsapp" }).body).toContain("Je t'enverrai un petit rappel à 16h.");
  });
});

describe("missing facts: the message says less, never guesses", () => {
  const none = { ...fullFacts, firstName: null, hold: null, product: null, order: null, exchange: null, returnPolicy: null, store: null };

  it.each(PROACTIVE_TEMPLATE_IDS)("%s states no name, product, order, parcel or date it was not given", (template) => {
    for (const voice of VOICES) {
      for (const channel of CHANNELS) {
        const out = renderProactive({ template, language: voice.language, tone: voice.tone, channel, facts: none, timeZone: PARIS, now: NOW });
        const all = `${out.body}\n${out.subject ?? ""}\n${out.html ?? ""}\n${out.whatsappTemplateText ?? ""}`;
        expect(all).not.toMatch(/Julie|Robe|#2847|6A12345678901|Colissimo|laposte|89|demain|tomorrow|18h|6 pm|vendredi|Friday|Rivoli|30 jours|30 days/);
      }
    }
  });

  it("reminds of a hold with no known end without a deadline", () => {
    const out = render("reminder.pickup", { facts: { ...fullFacts, hold: { ...fullFacts.hold!, expiresAt: null } } });
    expect(out.body).toBe("Bonjour Julie ! Petit rappel : la Robe Fleurie Bleue en 38 t'attend en boutique.\nSarah & l'équipe Élégance Paris");
    const whatsapp = render("reminder.pickup", { channel: "whatsapp", facts: { ...fullFacts, hold: { ...fullFacts.hold!, expiresAt: null } } });
    expect(whatsapp.whatsappTemplate).toBeNull();
    expect(whatsapp.whatsappTemplateUnavailable).toBe("the approved WhatsApp template needs {{holdDeadline}}, which the facts do not have");
  });

  it("refuses a broadcast without its text", () => {
    expect(() => render("broadcast.custom", { facts: { ...fullFacts, text: "  " } })).toThrow(ProactiveFactsError);
  });

  it("refuses an unknown template", () => {
    expect(() => render("order.unknown" as ProactiveTemplateId)).toThrow(UnknownProactiveTemplateError);
  });
});
