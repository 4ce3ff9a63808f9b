import { describe, expect, it } from "vitest";
import type { ScheduledMessageType } from "../../../db/schema/scheduled-messages";
import type { ProactiveFacts } from "../proactive.server";
import { renderScheduledMessage, templateForScheduled } from "./scheduled";
import { NOW, PARIS, SIGNATURE } from "./test-support";

const now = new Date(NOW);
const tone = { address: "tu" as const, emoji: true, signature: SIGNATURE };

/** What the scheduled-message sender gathers for Julie (proactive.server.ts). */
const facts: ProactiveFacts = {
  shopName: "Élégance Paris",
  firstName: "Julie",
  hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z" },
  visitAt: null,
  order: { name: "#2847", lines: [{ title: "Robe Fleurie Bleue", size: "38", quantity: 1 }] },
  product: { title: "Robe Fleurie Bleue", size: "38" },
  text: "La nouvelle collection est arrivée !",
};

const render = (type: ScheduledMessageType, channel: "sms" | "whatsapp" | "email" = "sms", over: Partial<Parameters<typeof renderScheduledMessage>[0]> = {}) =>
  renderScheduledMessage({ type, channel, language: "fr", tone, timeZone: PARIS, now, facts, whatsappTemplates: [], ...over });

describe("templateForScheduled", () => {
  it("maps each scheduled message type to its template", () => {
    const types: Record<ScheduledMessageType, string> = {
      pickup_reminder: "reminder.pickup",
      hold_expiry: "hold.expiring",
      thank_you: "order.thank_you",
      follow_up: "order.follow_up",
      back_in_stock: "back_in_stock.available",
      shipping_update: "shipping.update",
      tracking_alert: "shipping.update",
      broadcast: "broadcast.custom",
    };
    for (const [type, template] of Object.entries(types)) expect(templateForScheduled(type as ScheduledMessageType, facts, now)).toBe(template);
  });

  it("says a hold has ended once its end has passed", () => {
    expect(templateForScheduled("hold_expiry", facts, new Date("2026-01-13T16:59:00.000Z"))).toBe("hold.expiring");
    expect(templateForScheduled("hold_expiry", facts, new Date("2026-01-13T17:00:00.000Z"))).toBe("hold.expired");
  });
});

describe("renderScheduledMessage (the sender's RenderProactive)", () => {
  it("renders a pickup reminder by SMS", () => {
    expect(render("pickup_reminder")).toEqual({
      body: "Bonjour Julie ! Petit rappel : la Robe Fleurie Bleue en 38 t'attend en boutique jusqu'à demain 18h.\nUn imprévu ? Réponds-moi.\nSarah & l'équipe Élégance Paris",
    });
  });

  it("renders a thank-you email with the lines the sender has (no price: none said)", () => {
    const email = render("thank_you", "email");
    expect(email.subject).toBe("Merci pour ta commande #2847");
    expect(email.body).toContain("• 1 x Robe Fleurie Bleue, taille 38\n\nOn espère qu'elle te plaira !");
    expect(email.body).not.toMatch(/€/);
    expect(email.html).toContain("<!doctype html>");
  });

  it("carries the shop's approved WhatsApp template for the purpose", () => {
    const whatsapp = render("pickup_reminder", "whatsapp", { whatsappTemplates: [{ purpose: "pickup_reminder", language: "fr", name: "HX0000000000000000000000000000000b" }] });
    expect(whatsapp.whatsappTemplate).toEqual({ name: "HX0000000000000000000000000000000b", language: "fr", variables: ["Élégance Paris", "de la Robe Fleurie Bleue en 38", "jusqu'à demain 18h"] });
  });

  it("offers no WhatsApp template when the sender's facts cannot fill it", () => {
    // The sender does not gather shipping details yet: the free text says less, no template can carry it.
    const whatsapp = render("shipping_update", "whatsapp");
    expect(whatsapp.body).toBe("Bonjour Julie ! 📦 Bonne nouvelle : ta commande #2847 est en route !\nSarah & l'équipe Élégance Paris");
    expect(whatsapp.whatsappTemplate).toBeNull();
  });

  it("renders a broadcast with the merchant's text and the opt-out", () => {
    expect(render("broadcast").body).toBe("Élégance Paris : La nouvelle collection est arrivée !\nDésinscription : STOP");
  });
});
