import { describe, expect, it } from "vitest";
import { checkGrounding } from "./grounding";
import { demoTone, fullFacts, NOW, PARIS } from "./test-support";

const fr = { timeZone: PARIS, language: "fr" as const };
const en = { timeZone: PARIS, language: "en" as const };
const sources = [fullFacts, demoTone, fullFacts.shopName];

describe("checkGrounding: quantities, sizes, prices", () => {
  it("accepts numbers that tools returned and refuses invented ones", () => {
    expect(checkGrounding("Il nous en reste 2 en 38, à 89 €.", sources, fr)).toEqual({ ok: true, ungrounded: [] });
    expect(checkGrounding("Il en reste 5 en 38, à 79 €", sources, fr)).toEqual({ ok: false, ungrounded: ["5", "79"] });
  });

  it("compares amounts as numbers: 4,90 € and €4.90 are the fact 4.90; 5,90 is not", () => {
    expect(checkGrounding("Par courrier : 4,90 €.", sources, fr).ok).toBe(true);
    expect(checkGrounding("By post: €4.90.", sources, en).ok).toBe(true);
    expect(checkGrounding("Livraison : 5,90 €.", sources, fr)).toEqual({ ok: false, ungrounded: ["5,90"] });
  });

  it("refuses a discount no fact gives (prompt injection)", () => {
    expect(checkGrounding("Voici -50% sur tout !", sources, fr)).toEqual({ ok: false, ungrounded: ["50"] });
  });

  it("grounds a fact copied verbatim as a whole (a title with digits)", () => {
    const facts = { ...fullFacts, productTitle: "Jean 501 Brut" };
    expect(checkGrounding("Oui, on a le Jean 501 Brut en 38 !", [facts], fr).ok).toBe(true);
    expect(checkGrounding("Oui, on a le Jean 502 Brut en 38 !", [facts], fr).ungrounded).toEqual(["502"]);
  });
});

describe("checkGrounding: dates and times, in the shop's time zone", () => {
  it("accepts the local time of an ISO instant of the facts and refuses the UTC hour", () => {
    // expiresAt is 17:00 UTC = 18:00 in Paris.
    expect(checkGrounding("Je te la garde jusqu'au mardi 13 janvier à 18h.", sources, fr).ok).toBe(true);
    expect(checkGrounding("Je te la garde jusqu'au mardi 13 janvier à 17h.", sources, fr)).toEqual({ ok: false, ungrounded: ["17h"] });
    expect(checkGrounding("I'll hold it until Tuesday 13 January at 6 pm.", sources, en).ok).toBe(true);
    expect(checkGrounding("I'll hold it until 7:30 pm.", sources, en)).toEqual({ ok: false, ungrounded: ["7:30 pm"] });
    expect(checkGrounding("Jusqu'à 18:00.", sources, fr).ok).toBe(true);
  });

  it("reads the facts in the shop's zone: in Auckland the same hold ends on Wednesday at 6 am", () => {
    const auckland = { timeZone: "Pacific/Auckland", language: "fr" as const };
    const hold = [{ hold: { ...fullFacts.hold, reminderAt: null } }];
    expect(checkGrounding("Jusqu'au mercredi 14 janvier à 6h.", hold, auckland).ok).toBe(true);
    expect(checkGrounding("Jusqu'au mardi 13 janvier à 18h.", hold, auckland)).toEqual({ ok: false, ungrounded: ["mardi", "13 janvier", "18h"] });
  });

  it("refuses a weekday, a day-month or a dd/mm that no fact gives", () => {
    const facts = [{ hold: fullFacts.hold }];
    expect(checkGrounding("Livrée jeudi.", facts, fr)).toEqual({ ok: false, ungrounded: ["jeudi"] });
    expect(checkGrounding("Livrée le 15 janvier.", facts, fr)).toEqual({ ok: false, ungrounded: ["15 janvier"] });
    expect(checkGrounding("Delivered on January 15th.", facts, en)).toEqual({ ok: false, ungrounded: ["January 15th"] });
    expect(checkGrounding("Livrée le 15/01.", facts, fr)).toEqual({ ok: false, ungrounded: ["15/01"] });
    expect(checkGrounding("Réservée jusqu'au 13/01, mardi.", facts, fr).ok).toBe(true);
  });

  it("takes opening hours and their weekday keys as facts", () => {
    const store = [{ store: fullFacts.store }];
    expect(checkGrounding("Ouverte du lundi au samedi de 10h à 19h, fermée le dimanche.", store, fr).ok).toBe(true);
    expect(checkGrounding("Open Monday to Saturday from 10 am to 7 pm.", store, en).ok).toBe(true);
    expect(checkGrounding("Ouverte jusqu'à 20h.", store, fr)).toEqual({ ok: false, ungrounded: ["20h"] });
    expect(checkGrounding("Ouverte du lundi au samedi.", [{ store: { ...fullFacts.store, hours: null, day: null } }], fr).ok).toBe(false);
  });

  it("checks relative days against the current time when it is given", () => {
    const withNow = { ...fr, now: NOW };
    expect(checkGrounding("Jusqu'à demain 18h.", sources, withNow).ok).toBe(true);
    expect(checkGrounding("Livrée après-demain.", [{ hold: fullFacts.hold }], withNow)).toEqual({ ok: false, ungrounded: ["après-demain"] });
    expect(checkGrounding("Delivered tomorrow.", [{ order: fullFacts.order }], { ...en, now: NOW })).toEqual({ ok: false, ungrounded: ["tomorrow"] });
  });

  it("does not mistake a quantity of hours for a time", () => {
    expect(checkGrounding("Je la garde 24h.", [{ hold: fullFacts.hold }], fr)).toEqual({ ok: false, ungrounded: ["24"] });
    expect(checkGrounding("I'll keep it 2 pm.", [{ hold: fullFacts.hold }], en)).toEqual({ ok: false, ungrounded: ["2 pm"] });
  });
});

describe("checkGrounding: tracking numbers, phones, links, emails", () => {
  it("accepts the facts' tracking number and refuses another", () => {
    expect(checkGrounding("Ton numéro de suivi : FR987654321.", sources, fr).ok).toBe(true);
    expect(checkGrounding("Ton numéro de suivi : FR123456789.", sources, fr)).toEqual({ ok: false, ungrounded: ["FR123456789"] });
    expect(checkGrounding("Suivi : 6A12345678901", sources, fr).ok).toBe(false);
  });

  it("accepts the shop's phone however it is spaced, and refuses a customer's", () => {
    expect(checkGrounding("Tél : 09 39 03 57 61.", sources, fr).ok).toBe(true);
    expect(checkGrounding("Phone: +33 9 39 03 57 61.", sources, en).ok).toBe(true);
    expect(checkGrounding("Son numéro : 06 45 78 90 12.", sources, fr)).toEqual({ ok: false, ungrounded: ["06 45 78 90 12"] });
  });

  it("accepts the facts' tracking link and refuses other links and any email address", () => {
    expect(checkGrounding(`Pour le suivre : ${fullFacts.order?.trackingUrl}`, sources, fr).ok).toBe(true);
    expect(checkGrounding("Pour le suivre : https://evil.example/track?id=1", sources, fr).ok).toBe(false);
    expect(checkGrounding("Écris à julie.mercier@gmail.com", sources, fr)).toEqual({ ok: false, ungrounded: ["julie.mercier@gmail.com"] });
  });

  it("grounds nothing without sources: every figure is refused", () => {
    expect(checkGrounding("Commande #2901, 2 articles, livrée vendredi à 12h.", [], fr)).toEqual({ ok: false, ungrounded: ["#2901".slice(1), "2", "vendredi", "12h"] });
  });
});
