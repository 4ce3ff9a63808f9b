/**
 * Facts and tones for the proactive-template tests, after the demo shop: Élégance Paris,
 * Europe/Paris, Monday 12 January 2026 10:15; Julie's Robe Fleurie Bleue in 38 (89 €) held until
 * tomorrow 18:00; order #2847 shipped with Colissimo 6A12345678901, expected on Friday.
 */
import type { Language } from "~/conversation/contracts";
import type { ShopSettings } from "~/shops/settings";
import type { ProactiveTemplateFacts } from "./facts";

/** Monday 12 January 2026, 10:15 in Paris. */
export const NOW = "2026-01-12T09:15:00.000Z";
export const PARIS = "Europe/Paris";

export const SIGNATURE = "Sarah & l'équipe Élégance Paris";

export interface Voice {
  label: "fr-tu" | "fr-vous" | "en";
  language: Language;
  tone: ShopSettings["tone"];
}

/** The three voices of the segment report, with the demo shop's signature and emoji on. */
export const VOICES: readonly Voice[] = [
  { label: "fr-tu", language: "fr", tone: { address: "tu", emoji: true, signature: SIGNATURE } },
  { label: "fr-vous", language: "fr", tone: { address: "vous", emoji: true, signature: SIGNATURE } },
  { label: "en", language: "en", tone: { address: "vous", emoji: true, signature: SIGNATURE } },
];

export const demoHours: NonNullable<NonNullable<ProactiveTemplateFacts["store"]>["hours"]> = {
  mon: ["10:00", "19:00"],
  tue: ["10:00", "19:00"],
  wed: ["10:00", "19:00"],
  thu: ["10:00", "19:00"],
  fri: ["10:00", "19:00"],
  sat: ["10:00", "19:00"],
  sun: null,
};

export const BROADCAST_TEXT = "La nouvelle collection printemps est arrivée ! Passez la découvrir en boutique cette semaine.";

/** Everything the scheduler can know about Julie's messages. */
export const fullFacts: ProactiveTemplateFacts = {
  shopName: "Élégance Paris",
  firstName: "Julie",
  currency: "EUR",
  // Tuesday 13 January 18:00 Paris; reminder Monday 16:00.
  hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z", reminderAt: "2026-01-12T15:00:00.000Z" },
  product: { title: "Robe Fleurie Bleue", size: "38", price: "89.00" },
  order: {
    name: "#2847",
    lines: [{ title: "Robe Fleurie Bleue", size: "38", quantity: 1, unitPrice: "89.00" }],
    total: "89.00",
    carrier: "Colissimo",
    trackingNumber: "6A12345678901",
    trackingUrl: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
    // Friday 16 January, 12:00 Paris.
    estimatedDeliveryAt: "2026-01-16T11:00:00.000Z",
  },
  exchange: {
    orderName: "#2847",
    from: "Robe Fleurie Bleue (40)",
    to: "Robe Fleurie Bleue (38)",
    options: [
      { id: 1, label: "store", fee: null },
      { id: 2, label: "post", fee: "4.90" },
    ],
  },
  returnPolicy: { windowDays: 30, deadline: "2026-02-08T10:05:00.000Z" },
  store: { address: "24 Rue de Rivoli, 75004 Paris", phone: "+33939035761", hours: demoHours, day: null },
  text: BROADCAST_TEXT,
};

/** What is left when the scheduler knows almost nothing: the shop, and the broadcast's text. */
export const bareFacts: ProactiveTemplateFacts = {
  shopName: "Élégance Paris",
  firstName: null,
  text: BROADCAST_TEXT,
};
