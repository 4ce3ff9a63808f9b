import { describe, expect, it } from "vitest";
import type { ChannelKind, Language, ReplyFacts, ReplyTemplateId } from "../contracts";
import type { ShopSettings } from "~/shops/settings";
import { checkGrounding, countSmsSegments, renderReply, TEMPLATE_VARIABLES } from "./index";
import { ALL_TEMPLATES, bareFacts, demoTone, formalTone, fullFacts, NOW, PARIS } from "./test-support";

const LANGUAGES: Language[] = ["fr", "en"];
const CHANNELS: ChannelKind[] = ["sms", "whatsapp", "email"];
const TONES: Array<ShopSettings["tone"]> = [
  demoTone,
  { address: "tu", emoji: false, signature: "Sarah" },
  { address: "vous", emoji: true, signature: "L'équipe Élégance Paris" },
  formalTone,
];
const FACTS: Array<[string, ReplyFacts]> = [
  ["full facts", fullFacts],
  ["bare facts", bareFacts],
];

// French words that give away the address form.
const TU_WORDS = /\b(tu|te|toi|ton|ta|tes)\b|\bt'/i;
const VOUS_WORDS = /\b(vous|votre|vos)\b/i;

describe.each(ALL_TEMPLATES.flatMap((t) => LANGUAGES.map((l) => [t, l] as const)))("%s in %s", (template, language) => {
  it.each(CHANNELS)("renders on %s in every tone, grounded in its own facts", (channel) => {
    for (const tone of TONES) {
      for (const [, facts] of FACTS) {
        for (const propose of [null, "hold"] as const) {
          for (const now of [NOW, undefined]) {
            const input = { template, language, channel, tone, timeZone: PARIS, facts, propose, now };
            const reply = renderReply(input);
            const label = `${template}/${language}/${channel}/${tone.address}/${tone.emoji}/${facts.firstName ?? "anonymous"}/${propose}/${now ?? "no now"}`;
            expect(reply.text.trim(), label).not.toBe("");
            const grounding = checkGrounding(reply.text, [facts, tone, facts.shopName], { timeZone: PARIS, language, now: now ?? null });
            expect(grounding, `${label}\n${reply.text}`).toEqual({ ok: true, ungrounded: [] });

            if (channel === "sms") {
              expect(reply.sms, label).toEqual(countSmsSegments(reply.text));
              expect(reply.text, label).not.toMatch(/[’«»…\u00A0]/);
              expect(reply.html).toBeUndefined();
            } else {
              expect(reply.sms).toBeUndefined();
            }
            if (channel === "email") {
              expect(reply.subject, label).toBeTruthy();
              expect(reply.subject).not.toMatch(/[\r\n]/);
              expect(reply.html, label).toContain("<!doctype html>");
              // The text's paragraphs are all in the HTML.
              const firstWords = reply.text.split("\n")[0]?.slice(0, 8) ?? "";
              expect(reply.html).toContain(firstWords.replace(/'/g, "&#39;").replace(/&(?!#)/g, "&amp;"));
            } else {
              expect(reply.subject).toBeUndefined();
            }
            if (channel !== "whatsapp") expect(reply.text, label).not.toMatch(/\*\S/);

            if (language === "en") expect(reply.text, label).not.toMatch(/Bonjour|Merci\b|Désolée/);
            else {
              const body = reply.text.replace(tone.signature ?? "", "").replace(/https?:\/\/\S+/g, "");
              if (tone.address === "tu") expect(body, `${label}\n${reply.text}`).not.toMatch(VOUS_WORDS);
              else expect(body, `${label}\n${reply.text}`).not.toMatch(TU_WORDS);
            }
            if (!tone.emoji) expect(reply.text, label).not.toMatch(/\p{Extended_Pictographic}/u);
            if (tone.signature && !template.startsWith("opt_") && template !== "help") expect(reply.text.endsWith(tone.signature), label).toBe(true);
          }
        }
      }
    }
  });
});

describe("greeting and identity", () => {
  it("greets by first name when the facts have it, in the customer's language", () => {
    const fr = renderReply({ template: "greeting", language: "fr", channel: "sms", tone: demoTone, timeZone: PARIS, facts: fullFacts });
    expect(fr.text).toBe("Bonjour Julie ! Que puis-je faire pour toi ?\nSarah & l'équipe Élégance Paris");
    const en = renderReply({ template: "greeting", language: "en", channel: "whatsapp", tone: demoTone, timeZone: PARIS, facts: { ...fullFacts, firstName: "Olivia" } });
    expect(en.text).toBe("Hi Olivia! 😊 How can I help you?\nSarah & l'équipe Élégance Paris");
    const anonymous = renderReply({ template: "greeting", language: "fr", channel: "sms", tone: formalTone, timeZone: PARIS, facts: bareFacts });
    expect(anonymous.text).toBe("Bonjour ! Bienvenue chez Élégance Paris ! Que puis-je faire pour vous ?");
  });

  it.each(ALL_TEMPLATES)("%s prints no name, order or tracking detail the facts do not hold", (template) => {
    for (const language of LANGUAGES) {
      for (const channel of CHANNELS) {
        const reply = renderReply({ template, language, channel, tone: demoTone, timeZone: PARIS, facts: { ...fullFacts, firstName: null, order: null, exchange: null, hold: null, event: null } });
        const all = `${reply.text}\n${reply.subject ?? ""}\n${reply.html ?? ""}`;
        expect(all).not.toMatch(/Julie|#2901|#2847|FR987654321|laposte|vendredi|Friday/);
      }
    }
  });

  it("asks an unverified sender to write from the order's number, whatever the facts hold", () => {
    for (const language of LANGUAGES) {
      const reply = renderReply({ template: "order.verify_identity", language, channel: "sms", tone: demoTone, timeZone: PARIS, facts: { ...fullFacts, firstName: null }, now: NOW });
      expect(reply.text).not.toMatch(/#2901|FR987654321|Colissimo|vendredi|Friday|12h|12 pm|mariage/);
    }
  });
});

describe("French grammar of product names", () => {
  const availability = (productTitle: string, size = "38") =>
    renderReply({ template: "availability.variant", language: "fr", channel: "whatsapp", tone: formalTone, timeZone: PARIS, facts: { ...bareFacts, productTitle, requestedSize: size, requested: { size, available: 0 }, sizes: [{ size: "36", available: 1 }, { size, available: 0 }] } }).text;

  it("agrees articles and verbs with the product's noun, and falls back to quotes", () => {
    expect(availability("Blazer Beige Élégant")).toContain("le Blazer Beige Élégant n'est plus disponible en 38");
    expect(availability("Boucles d'oreilles dorées")).toContain("les Boucles d'oreilles dorées ne sont plus disponibles en 38");
    expect(availability("Écharpe Rouge")).toContain("l'Écharpe Rouge n'est plus disponible");
    expect(availability("Twin-set Ivoire")).toContain("« Twin-set Ivoire » n'est plus disponible");
  });

  it("offers the sizes left, or to tell her when it is back, with the right pronoun", () => {
    expect(availability("Robe Bordeaux")).toBe("Bonjour ! Désolée, la Robe Bordeaux n'est plus disponible en 38 pour le moment. Je peux vous proposer le 36.");
    const none = (productTitle: string) =>
      renderReply({ template: "availability.variant", language: "fr", channel: "sms", tone: demoTone, timeZone: PARIS, facts: { ...bareFacts, productTitle, requestedSize: "M", requested: { size: "M", available: 0 }, sizes: [{ size: "S", available: 0 }, { size: "M", available: 0 }] } }).text;
    expect(none("Pull Cachemire Gris")).toContain("Je peux te prévenir dès qu'il revient en M, dis-moi !");
    expect(none("Chemise Blanche en Lin")).toContain("dès qu'elle revient en M");
    expect(none("Escarpins Nude")).toContain("dès qu'ils reviennent en M");
    expect(none("Twin-set Ivoire")).toContain("dès que ce modèle revient en M");
  });

  it("says a one-size product is available, without 'en taille unique'", () => {
    const reply = renderReply({ template: "availability.variant", language: "fr", channel: "sms", tone: formalTone, timeZone: PARIS, facts: { ...bareFacts, productTitle: "Boucles d'oreilles dorées", requestedSize: null, requested: { size: "Taille unique", available: 12 }, sizes: [{ size: "Taille unique", available: 12 }], price: "19.00" } });
    expect(reply.text).toBe("Bonjour ! Oui, on a les Boucles d'oreilles dorées ! Elles sont à 19 €. Il nous en reste 12 en boutique.");
  });

  it("proposes the hold with the pronoun of the noun", () => {
    const proposal = (productTitle: string, channel: ChannelKind) =>
      renderReply({ template: "availability.variant", language: "fr", channel, tone: { ...demoTone, signature: null, emoji: false }, timeZone: PARIS, facts: { ...fullFacts, productTitle, firstName: null, price: null }, propose: "hold", now: NOW }).text;
    expect(proposal("Blazer Beige Élégant", "whatsapp")).toMatch(/Tu veux que je te le mette de côté jusqu'à demain 18h \?$/);
    expect(proposal("Boucles d'oreilles dorées", "whatsapp")).toMatch(/Tu veux que je te les mette de côté jusqu'à demain 18h \?$/);
    expect(proposal("Twin-set Ivoire", "whatsapp")).toMatch(/Tu veux que je te mette cet article de côté jusqu'à demain 18h \?$/);
    expect(proposal("Robe Fleurie Bleue", "sms")).toMatch(/Tu veux que je te la garde jusqu'à demain 18h \?$/);
  });

  it("says no deadline when the facts have none", () => {
    const reply = renderReply({ template: "availability.variant", language: "fr", channel: "whatsapp", tone: formalTone, timeZone: PARIS, facts: { ...fullFacts, hold: null, price: null, firstName: null }, propose: "hold", now: NOW });
    expect(reply.text).toBe("Bonjour ! Oui, on a la Robe Fleurie Bleue en 38 ! Il nous en reste 2 en boutique. Voulez-vous que je vous la mette de côté ?");
  });
});

describe("SMS", () => {
  it("drops the emoji when it would raise the segment count, and says so in the count", () => {
    // GSM-7, one segment without the emoji; the emoji would make it UCS-2 and 3 segments.
    const reply = renderReply({ template: "hold.cancelled", language: "fr", channel: "sms", tone: demoTone, timeZone: PARIS, facts: fullFacts });
    expect(reply.text).not.toMatch(/😊/);
    expect(reply.sms).toEqual({ encoding: "GSM-7", segments: 2, characters: reply.text.length });
  });

  it("keeps the emoji when the text fits in as many segments with it", () => {
    const reply = renderReply({ template: "greeting", language: "en", channel: "sms", tone: { ...demoTone, signature: null }, timeZone: PARIS, facts: fullFacts });
    expect(reply.text).toBe("Hi Julie! 😊 How can I help you?");
    expect(reply.sms).toEqual({ encoding: "UCS-2", segments: 1, characters: 32 });
  });

  it("keeps every French reply in one or two GSM-7 segments, signature included", () => {
    for (const template of ALL_TEMPLATES) {
      for (const tone of [demoTone, formalTone]) {
        const reply = renderReply({ template, language: "fr", channel: "sms", tone, timeZone: PARIS, facts: fullFacts, propose: template === "availability.variant" ? "hold" : null, now: NOW });
        expect(reply.sms?.segments, `${template}: ${reply.text}`).toBeLessThanOrEqual(2);
        expect(reply.sms?.encoding, `${template}: ${reply.text}`).toBe("GSM-7");
      }
    }
  });

  it("writes a product title's typographic characters the GSM-7 way", () => {
    const reply = renderReply({ template: "back_in_stock.subscribed", language: "fr", channel: "sms", tone: formalTone, timeZone: PARIS, facts: { ...bareFacts, productTitle: "Robe “Été” l’Élégante", requestedSize: "38" } });
    expect(reply.text).toBe("Bonjour ! C'est noté ! Je vous préviens dès que la Robe \"Été\" l'Élégante revient en 38.");
    expect(reply.sms?.encoding).toBe("GSM-7");
  });
});

describe("email", () => {
  const email = (facts: ReplyFacts, replyToSubject?: string) =>
    renderReply({ template: "availability.variant", language: "fr", channel: "email", tone: demoTone, timeZone: PARIS, facts, propose: "hold", now: NOW, replyToSubject });

  it("answers the customer's subject with one Re:, on one line", () => {
    expect(email(fullFacts, "Robe fleurie en 38 ?").subject).toBe("Re: Robe fleurie en 38 ?");
    expect(email(fullFacts, "RE: Re:  Robe fleurie\r\nBcc: someone@example.com").subject).toBe("Re: Robe fleurie Bcc: someone@example.com");
    expect(email(fullFacts).subject).toBe("Robe Fleurie Bleue - Élégance Paris");
    expect(email(fullFacts, "   ").subject).toBe("Robe Fleurie Bleue - Élégance Paris");
  });

  it("has a greeting, a closing and the signature, in the text and the HTML", () => {
    const reply = email(fullFacts);
    expect(reply.text).toBe(
      "Bonjour Julie,\n\nOui, on a la Robe Fleurie Bleue en 38 ! Elle est à 89 €. Il nous en reste 2 en boutique. 😊 Tu veux que je te la mette de côté jusqu'à demain 18h ?\n\nBelle journée,\nSarah & l'équipe Élégance Paris",
    );
    expect(reply.html).toContain('<p style="margin:0 0 16px">Bonjour Julie,</p>');
    expect(reply.html).toContain("Belle journée,<br>Sarah &amp; l&#39;équipe Élégance Paris</p>");
  });

  it("signs with the shop's name when the shop has no signature", () => {
    const reply = renderReply({ template: "thanks", language: "en", channel: "email", tone: formalTone, timeZone: PARIS, facts: bareFacts });
    expect(reply.text).toBe("Hello,\n\nMy pleasure! Let me know if you need anything else.\n\nHave a lovely day,\nÉlégance Paris");
  });

  it("escapes HTML: a <script> in a product title stays text", () => {
    const reply = email({ ...fullFacts, productTitle: `Robe <script>alert("x")</script> & Co`, firstName: "<b>Julie</b>" });
    expect(reply.html).not.toMatch(/<script|<b>/i);
    expect(reply.html).toContain("Robe &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
    expect(reply.html).toContain("Bonjour &lt;b&gt;Julie&lt;/b&gt;,");
    expect(reply.text).toContain(`Robe <script>alert("x")</script> & Co`);
  });

  it("links the tracking page in HTML only when it is an http(s) URL", () => {
    const status = (trackingUrl: string) =>
      renderReply({ template: "order.status", language: "fr", channel: "email", tone: demoTone, timeZone: PARIS, facts: { ...fullFacts, event: null, order: { ...(fullFacts.order as NonNullable<ReplyFacts["order"]>), trackingUrl } }, now: NOW });
    expect(status("https://www.laposte.fr/suivi?code=FR987654321").html).toContain('<a href="https://www.laposte.fr/suivi?code=FR987654321">');
    expect(status("javascript:alert(1)").html).not.toContain("javascript:");
  });
});

describe("WhatsApp", () => {
  it("puts the exchange options' headings in *bold*", () => {
    const reply = renderReply({ template: "exchange.options", language: "en", channel: "whatsapp", tone: formalTone, timeZone: PARIS, facts: { ...fullFacts, firstName: "Olivia" } });
    expect(reply.text).toContain("*Option 1 - Exchange in store (free)*");
    expect(reply.text).toContain("*Option 2 - Exchange by post (€4.90)*");
  });
});

describe("store hours for the day asked", () => {
  const hours = (language: Language, day: NonNullable<ReplyFacts["store"]>["day"], now = NOW) =>
    renderReply({ template: "store.hours", language, channel: "sms", tone: demoTone, timeZone: PARIS, facts: { ...bareFacts, store: { ...(fullFacts.store as NonNullable<ReplyFacts["store"]>), day } }, now }).text.split("\n")[0];

  it("answers for an open day", () => {
    expect(hours("fr", { key: "sat", date: "2026-01-17T09:00:00.000Z" })).toBe("Bonjour ! Samedi 17 janvier, la boutique est ouverte de 10h à 19h.");
    expect(hours("en", { key: "tue", date: "2026-01-13T09:00:00.000Z" })).toBe("Hello! Tomorrow (Tuesday), we're open from 10 am to 7 pm.");
  });

  it("says Sunday is closed and gives the next opening", () => {
    expect(hours("fr", { key: "sun", date: "2026-01-18T09:00:00.000Z" }, "2026-01-17T17:30:00.000Z")).toBe("Bonjour ! Demain (dimanche), la boutique est fermée. On rouvre lundi à 10h.");
    expect(hours("en", { key: "sun", date: "2026-01-18T09:00:00.000Z" }, "2026-01-18T09:00:00.000Z")).toBe("Hello! Today, we're closed. We reopen on Monday at 10 am.");
  });

  it("gives the week when no day is asked", () => {
    expect(hours("fr", null)).toBe("Bonjour ! La boutique est ouverte du lundi au samedi de 10h à 19h, fermée le dimanche.");
    expect(hours("en", null)).toBe("Hello! We're open Monday to Saturday from 10 am to 7 pm, closed on Sunday.");
  });
});

describe("order status", () => {
  const order = (status: string, extra: Partial<NonNullable<ReplyFacts["order"]>> = {}, language: Language = "fr") =>
    renderReply({
      template: "order.status",
      language,
      channel: "sms",
      tone: { ...demoTone, signature: null },
      timeZone: PARIS,
      facts: { ...fullFacts, event: null, order: { ...(fullFacts.order as NonNullable<ReplyFacts["order"]>), status, ...extra } },
      now: "2026-01-15T09:00:00.000Z",
    }).text;

  it("says when a delivered order was delivered", () => {
    expect(order("delivered", { name: "#2847", trackingNumber: "FR123456789", deliveredAt: "2026-01-09T10:05:00.000Z", estimatedDeliveryAt: null })).toBe(
      "Bonjour Julie ! Ta commande #2847 a été livrée le vendredi 9 janvier.\nTon numéro de suivi : FR123456789",
    );
    expect(order("DELIVERED", { deliveredAt: "2026-01-09T10:05:00.000Z" }, "en")).toMatch(/^Hi Julie! Your order #2901 was delivered on Friday 9 January\./);
  });

  it("says an unfulfilled order is being prepared, without a tracking number", () => {
    expect(order("UNFULFILLED", { trackingNumber: null, carrier: null, estimatedDeliveryAt: null, trackingUrl: null })).toBe(
      "Bonjour Julie ! Ta commande #2901 est en préparation, elle n'est pas encore partie. Tu recevras le numéro de suivi dès son expédition.",
    );
  });

  it("says a picked-up order was picked up", () => {
    expect(order("PICKED_UP_IN_STORE", { name: "#2950", trackingNumber: null, carrier: null, estimatedDeliveryAt: null })).toBe("Bonjour Julie ! 😊 Ta commande #2950 a bien été retirée en boutique.");
  });

  it("gives the ETA the next day as 'demain (vendredi)'", () => {
    expect(order("IN_TRANSIT")).toBe("Bonjour Julie ! Je viens de vérifier : ta commande #2901 est en route avec Colissimo. Livraison prévue demain (vendredi) avant 12h.\nTon numéro de suivi : FR987654321");
    expect(order("IN_TRANSIT", {}, "en")).toBe("Hi Julie! I've just checked: your order #2901 is on its way with Colissimo. It should arrive tomorrow (Friday) by 12 pm.\nYour tracking number: FR987654321");
  });
});

describe("exchange and returns", () => {
  it("confirms the chosen way when the facts hold only that option", () => {
    const confirmed = (label: string, fee: string | null) =>
      renderReply({ template: "exchange.confirmed", language: "fr", channel: "sms", tone: { ...demoTone, signature: null }, timeZone: PARIS, facts: { ...bareFacts, exchange: { ...(fullFacts.exchange as NonNullable<ReplyFacts["exchange"]>), options: [{ id: 2, label, fee }] }, store: fullFacts.store } }).text;
    expect(confirmed("post", "4.90")).toBe("Bonjour ! C'est noté ! Renvoie-nous le 40 : dès réception, on t'envoie le 38. Les frais d'échange sont de 4,90 €.");
    expect(confirmed("store", null)).toBe("Bonjour ! C'est noté ! Passe quand tu veux à la boutique avec le 40, on te l'échange contre le 38 gratuitement. On est au 24 Rue de Rivoli, 75004 Paris, du lundi au samedi de 10h à 19h.");
  });

  it("gives the return window and the order's deadline", () => {
    const reply = renderReply({ template: "return.instructions", language: "en", channel: "whatsapp", tone: formalTone, timeZone: PARIS, facts: { ...fullFacts, order: { ...(fullFacts.order as NonNullable<ReplyFacts["order"]>), name: "#2847" } }, now: NOW });
    expect(reply.text).toBe(
      "Hi Julie! No problem for the return of your order #2847! Returns are accepted within 30 days: for your order, you have until Sunday 8 February. You can bring your item back to the shop (24 Rue de Rivoli, 75004 Paris) or send it back by post.",
    );
  });
});

describe("the shop's time zone, not the server's", () => {
  it.each<[string, string]>([
    ["Europe/Paris", "jusqu'au mardi 13 janvier à 18h"],
    ["Pacific/Auckland", "jusqu'au mercredi 14 janvier à 6h"],
    ["America/New_York", "jusqu'au mardi 13 janvier à 12h"],
  ])("a hold ending at 17:00 UTC ends, for a shop in %s, %s", (timeZone, expected) => {
    const reply = renderReply({ template: "hold.confirmed", language: "fr", channel: "whatsapp", tone: formalTone, timeZone, facts: { ...fullFacts, store: null, hold: { ...(fullFacts.hold as NonNullable<ReplyFacts["hold"]>), reminderAt: null } } });
    expect(reply.text).toContain(expected);
    expect(checkGrounding(reply.text, [fullFacts], { timeZone, language: "fr" }).ok).toBe(true);
  });
});

it("covers every template id (TEMPLATE_VARIABLES is a Record over ReplyTemplateId, so the compiler keeps it complete)", () => {
  const ids: ReplyTemplateId[] = Object.keys(TEMPLATE_VARIABLES) as ReplyTemplateId[];
  expect([...ALL_TEMPLATES].sort()).toEqual(ids.sort());
});
