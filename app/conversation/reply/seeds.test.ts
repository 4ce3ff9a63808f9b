/**
 * The seeds' key replies (../shared/seeds/000 and 001), word for word, in the demo shop's tone
 * ("tu", emoji, signed "Sarah & l'équipe Élégance Paris"), with the facts the engine fills, each
 * grounded in those facts.
 */
import { describe, expect, it } from "vitest";
import type { ReplyFacts } from "../contracts";
import { checkGrounding, renderReply, type ReplyRenderInput } from "./index";
import { demoHours, demoTone, PARIS } from "./test-support";

const store: NonNullable<ReplyFacts["store"]> = { address: "24 Rue de Rivoli, 75004 Paris", phone: "+33939035761", hours: demoHours, day: null };

function expectGrounded(input: ReplyRenderInput, text: string) {
  expect(checkGrounding(text, [input.facts, input.tone, input.facts.shopName], { timeZone: input.timeZone, language: input.language, now: input.now ?? null })).toEqual({ ok: true, ungrounded: [] });
}

describe("Julie asks for the Robe Fleurie Bleue in 38 (Monday 10:15)", () => {
  // In stock: the engine proposes a hold, and facts.hold carries when it would end (next day 18:00).
  const input: ReplyRenderInput = {
    template: "availability.variant",
    language: "fr",
    channel: "sms",
    tone: demoTone,
    timeZone: PARIS,
    now: "2026-01-12T09:15:00.000Z",
    propose: "hold",
    facts: {
      firstName: "Julie",
      shopName: "Élégance Paris",
      productTitle: "Robe Fleurie Bleue",
      requestedSize: "38",
      requested: { size: "38", available: 2 },
      sizes: [
        { size: "36", available: 1 },
        { size: "38", available: 2 },
        { size: "40", available: 3 },
      ],
      price: "89.00",
      currency: null,
      hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z", reminderAt: null },
      store,
    },
  };

  it("by SMS: the stock, the price and the hold until tomorrow 18h, in two GSM-7 segments (no emoji: it would make three)", () => {
    const reply = renderReply(input);
    expect(reply.text).toBe(
      "Bonjour Julie ! Oui, on a la Robe Fleurie Bleue en 38 ! Elle est à 89 €. Il nous en reste 2 en boutique. Tu veux que je te la garde jusqu'à demain 18h ?\nSarah & l'équipe Élégance Paris",
    );
    expect(reply.sms).toEqual({ encoding: "GSM-7", segments: 2, characters: 185 });
    expectGrounded(input, reply.text);
  });

  it("on WhatsApp, with the emoji and the seed's 'mettre de côté'", () => {
    const reply = renderReply({ ...input, channel: "whatsapp" });
    expect(reply.text).toBe(
      "Bonjour Julie ! 😊 Oui, on a la Robe Fleurie Bleue en 38 ! Elle est à 89 €. Il nous en reste 2 en boutique. Tu veux que je te la mette de côté jusqu'à demain 18h ?\nSarah & l'équipe Élégance Paris",
    );
    expectGrounded(input, reply.text);
  });

  it("without the current time, the deadline is the full date", () => {
    const reply = renderReply({ ...input, now: null, channel: "whatsapp" });
    expect(reply.text).toContain("Tu veux que je te la mette de côté jusqu'au mardi 13 janvier à 18h ?");
  });
});

describe("Julie says yes, she comes tonight around 17h (Monday 10:20)", () => {
  const input: ReplyRenderInput = {
    template: "hold.confirmed",
    language: "fr",
    channel: "sms",
    tone: demoTone,
    timeZone: PARIS,
    now: "2026-01-12T09:20:00.000Z",
    facts: {
      firstName: "Julie",
      shopName: "Élégance Paris",
      productTitle: "Robe Fleurie Bleue",
      requestedSize: null,
      requested: { size: "38", available: 2 },
      sizes: [],
      // The hold until tomorrow 18:00, the reminder one hour before the announced visit.
      hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z", reminderAt: "2026-01-12T15:00:00.000Z" },
      store: { ...store, day: { key: "mon", date: "2026-01-12T16:00:00.000Z" } },
    },
  };

  it("confirms the hold and the pickup reminder", () => {
    const reply = renderReply(input);
    expect(reply.text).toBe("Bonjour Julie ! C'est fait ! La Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h. Je t'enverrai un petit rappel à 16h.\nSarah & l'équipe Élégance Paris");
    expect(reply.sms).toEqual({ encoding: "GSM-7", segments: 2, characters: 166 });
    expectGrounded(input, reply.text);
  });

  it("warns when the announced visit is after closing time (20h)", () => {
    const late = { ...input, facts: { ...input.facts, store: { ...store, day: { key: "mon" as const, date: "2026-01-12T19:00:00.000Z" } } } };
    const reply = renderReply(late);
    expect(reply.text).toBe(
      "Bonjour Julie ! C'est fait ! La Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h. Je t'enverrai un petit rappel à 16h. Attention, la boutique ferme à 19h aujourd'hui.\nSarah & l'équipe Élégance Paris",
    );
    expectGrounded(late, reply.text);
  });

  it("warns when the visit day is a Sunday, with the next opening", () => {
    const sunday: ReplyRenderInput = {
      ...input,
      now: "2026-01-17T14:00:00.000Z",
      facts: { ...input.facts, hold: { productTitle: "Perfecto Noir", size: "36", expiresAt: "2026-01-18T17:00:00.000Z", reminderAt: null }, store: { ...store, day: { key: "sun", date: "2026-01-18T14:00:00.000Z" } } },
    };
    const reply = renderReply(sunday);
    expect(reply.text).toBe("Bonjour Julie ! C'est fait ! Le Perfecto Noir en 36 t'attend en boutique jusqu'à demain 18h. Attention, la boutique est fermée demain : on rouvre lundi à 10h.\nSarah & l'équipe Élégance Paris");
    expectGrounded(sunday, reply.text);
  });
});

describe("Emma wants to exchange her trousers, 40 for 38 (email, Tuesday 14:30)", () => {
  const input: ReplyRenderInput = {
    template: "exchange.options",
    language: "fr",
    channel: "email",
    tone: demoTone,
    timeZone: PARIS,
    now: "2026-01-13T13:30:00.000Z",
    replyToSubject: "Échange pantalon noir - Commande #2847",
    facts: {
      firstName: "Emma",
      shopName: "Élégance Paris",
      productTitle: "Pantalon Noir Taille Haute",
      requestedSize: "38",
      requested: { size: "38", available: 3 },
      sizes: [],
      // The 38 she wants, put aside while she chooses.
      hold: { productTitle: "Pantalon Noir Taille Haute", size: "38", expiresAt: "2026-01-14T17:00:00.000Z", reminderAt: null },
      exchange: {
        orderName: "#2847",
        from: "Pantalon Noir Taille Haute (40)",
        to: "Pantalon Noir Taille Haute (38)",
        options: [
          { id: 1, label: "store", fee: null },
          { id: 2, label: "post", fee: "4.90" },
        ],
      },
      returnPolicy: { windowDays: 30, deadline: "2026-02-08T10:05:00.000Z" },
      store,
    },
  };

  it("gives both ways, free in the shop and 4,90 € by post, with a subject and HTML", () => {
    const reply = renderReply(input);
    expect(reply.subject).toBe("Re: Échange pantalon noir - Commande #2847");
    expect(reply.text).toBe(
      [
        "Bonjour Emma,",
        "Pas de problème pour l'échange de ta commande #2847 ! 😊",
        "Tu as deux options :",
        "Option 1 - Échange en boutique (gratuit)\n24 Rue de Rivoli, 75004 Paris, du lundi au samedi de 10h à 19h.\nLe 38 t'attend déjà !",
        "Option 2 - Échange par courrier (4,90 €)\nTu nous renvoies le 40 et dès réception, on t'envoie le 38.",
        "Que préfères-tu ? Réponds 1 ou 2.",
        "Belle journée,\nSarah & l'équipe Élégance Paris",
      ].join("\n\n"),
    );
    expect(reply.html).toContain("<p style=\"margin:0 0 16px\"><strong>Option 2 - Échange par courrier (4,90 €)</strong><br>Tu nous renvoies le 40 et dès réception, on t&#39;envoie le 38.</p>");
    expectGrounded(input, reply.text);
  });

  it("in the formal tone", () => {
    const reply = renderReply({ ...input, tone: { address: "vous", emoji: false, signature: null } });
    expect(reply.text).toContain("Vous avez deux options :");
    expect(reply.text).toContain("Vous nous renvoyez le 40 et dès réception, on vous envoie le 38.");
    expect(reply.text).toContain("Que préférez-vous ? Répondez 1 ou 2.");
    expect(reply.text.endsWith("Belle journée,\nÉlégance Paris")).toBe(true);
  });

  it("refuses the fee when the facts do not carry it", () => {
    const reply = renderReply(input);
    const withoutFee = { ...input.facts, exchange: { ...(input.facts.exchange as NonNullable<ReplyFacts["exchange"]>), options: [{ id: 1, label: "store", fee: null }] } };
    expect(checkGrounding(reply.text, [withoutFee, demoTone], { timeZone: PARIS, language: "fr" })).toEqual({ ok: false, ungrounded: ["2", "4,90"] });
  });
});

describe("Léa, wedding on Saturday, order #2901 not received (WhatsApp, Thursday 18:45)", () => {
  const input: ReplyRenderInput = {
    template: "order.status",
    language: "fr",
    channel: "whatsapp",
    tone: demoTone,
    timeZone: PARIS,
    now: "2026-01-15T17:45:00.000Z",
    facts: {
      firstName: "Léa",
      shopName: "Élégance Paris",
      productTitle: null,
      requestedSize: null,
      requested: null,
      sizes: [],
      order: {
        name: "#2901",
        status: "IN_TRANSIT",
        carrier: "Colissimo",
        trackingNumber: "FR987654321",
        trackingUrl: "https://www.laposte.fr/outils/suivre-vos-envois?code=FR987654321",
        estimatedDeliveryAt: "2026-01-16T11:00:00.000Z",
        deliveredAt: null,
        lastEvent: null,
      },
      returnPolicy: { windowDays: 30, deadline: null },
      store,
      event: { at: "2026-01-17T13:00:00.000Z", label: "mariage" },
    },
  };

  it("gives the ETA, reassures about the wedding, and the tracking", () => {
    const reply = renderReply(input);
    expect(reply.text).toBe(
      "Bonjour Léa ! 😊 Je viens de vérifier : ta commande #2901 est en route avec Colissimo. Livraison prévue demain (vendredi) avant 12h. Elle arrivera donc à temps pour ton mariage samedi ! L'équipe est prévenue et surveille ton colis de près.\nTon numéro de suivi : *FR987654321*\nPour le suivre : https://www.laposte.fr/outils/suivre-vos-envois?code=FR987654321\nSarah & l'équipe Élégance Paris",
    );
    expectGrounded(input, reply.text);
  });

  it("by SMS: no link, two GSM-7 segments", () => {
    const reply = renderReply({ ...input, channel: "sms" });
    expect(reply.text).toBe(
      "Bonjour Léa ! Je viens de vérifier : ta commande #2901 est en route avec Colissimo. Livraison prévue demain (vendredi) avant 12h. Elle arrivera donc à temps pour ton mariage samedi ! L'équipe est prévenue et surveille ton colis de près.\nTon numéro de suivi : FR987654321\nSarah & l'équipe Élégance Paris",
    );
    expect(reply.sms).toEqual({ encoding: "GSM-7", segments: 2, characters: 302 });
  });

  it("says the team looks for a solution when the parcel would be late", () => {
    const late = { ...input, facts: { ...input.facts, order: { ...(input.facts.order as NonNullable<ReplyFacts["order"]>), estimatedDeliveryAt: "2026-01-19T11:00:00.000Z" } } };
    const reply = renderReply(late);
    expect(reply.text).toContain("Livraison prévue lundi 19 janvier avant 12h. Je préviens tout de suite l'équipe pour trouver une solution avant ton mariage samedi.");
    expectGrounded(late, reply.text);
  });

  it("in English for an English-speaking customer", () => {
    const reply = renderReply({ ...input, language: "en", facts: { ...input.facts, firstName: "Olivia", event: { at: "2026-01-17T13:00:00.000Z", label: "wedding" } } });
    expect(reply.text.split("\n")[0]).toBe(
      "Hi Olivia! 😊 I've just checked: your order #2901 is on its way with Colissimo. It should arrive tomorrow (Friday) by 12 pm. So it will arrive in time for your wedding on Saturday! The team is in the loop and keeping a close eye on your parcel.",
    );
  });
});
