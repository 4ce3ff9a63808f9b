/**
 * Facts and tones for the reply tests, after the demo shop (../shared/fixtures/demo-shop.json):
 * Élégance Paris, Europe/Paris, Monday 12 January 2026 10:15, holds until the next day 18:00.
 */
import type { ReplyFacts, ReplyTemplateId } from "../contracts";
import type { ShopSettings } from "~/shops/settings";

export const ALL_TEMPLATES: readonly ReplyTemplateId[] = [
  "availability.variant",
  "availability.product",
  "availability.size_not_offered",
  "ask.product",
  "ask.size",
  "hold.confirmed",
  "hold.unavailable",
  "hold.declined",
  "hold.cancelled",
  "hold.extended",
  "hold.none",
  "hold.limit",
  "order.status",
  "order.not_found",
  "order.verify_identity",
  "order.which",
  "exchange.options",
  "exchange.confirmed",
  "return.instructions",
  "return.outside_window",
  "store.hours",
  "store.address",
  "back_in_stock.subscribed",
  "back_in_stock.already_available",
  "opt_out.confirmed",
  "opt_in.confirmed",
  "help",
  "greeting",
  "thanks",
  "handoff.styling",
  "handoff.complaint",
  "handoff.human",
  "handoff.urgent",
  "handoff",
];

/** Monday 12 January 2026, 10:15 in Paris. */
export const NOW = "2026-01-12T09:15:00.000Z";
export const PARIS = "Europe/Paris";

export const demoTone: ShopSettings["tone"] = { address: "tu", emoji: true, signature: "Sarah & l'équipe Élégance Paris" };
export const formalTone: ShopSettings["tone"] = { address: "vous", emoji: false, signature: null };

export const demoHours: NonNullable<NonNullable<ReplyFacts["store"]>["hours"]> = {
  mon: ["10:00", "19:00"],
  tue: ["10:00", "19:00"],
  wed: ["10:00", "19:00"],
  thu: ["10:00", "19:00"],
  fri: ["10:00", "19:00"],
  sat: ["10:00", "19:00"],
  sun: null,
};

/** Every fact filled, as the engine fills them for Julie, a verified customer. */
export const fullFacts: ReplyFacts = {
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
  price: "89.00",
  currency: "EUR",
  // Tuesday 13 January 18:00 and Monday 16:00, Paris.
  hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z", reminderAt: "2026-01-12T15:00:00.000Z" },
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
  store: { address: "24 Rue de Rivoli, 75004 Paris", phone: "+33939035761", hours: demoHours, day: { key: "sat", date: "2026-01-17T09:00:00.000Z" } },
  event: { at: "2026-01-17T14:00:00.000Z", label: "mariage" },
};

/** What the engine knows about an unknown sender asking a vague question: almost nothing. */
export const bareFacts: ReplyFacts = {
  firstName: null,
  shopName: "Élégance Paris",
  productTitle: null,
  requestedSize: null,
  requested: null,
  sizes: [],
};
