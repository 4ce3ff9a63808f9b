/**
 * colissimo `Tracking`: parcels followed through La Poste's Suivi v2 API (Colissimo, Chronopost and
 * tracked letters share it), return labels through the Colissimo label web service (labels.server.ts).
 *
 * `GET {trackingBaseUrl}/suivi/v2/idships/{idship}?lang=fr_FR` with the `X-Okapi-Key` header
 * (Swagger "SUIVI", servers https://api.laposte.fr/suivi/v2; https://developer.laposte.fr/catalog-apis/suivi@2).
 */
import { z } from "zod";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type Shipment, type ShipmentEvent, type ShipmentStatus, type Tracking } from "~/plugins/types";
import type { ColissimoConfig } from "./config";
import { exchange, joinUrl, retryableStatus, type Fetch } from "./http.server";
import { createColissimoReturnLabels } from "./labels.server";

const PROVIDER = "laposte";
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * La Poste's event codes (Suivi v2 documentation, "codes événements", on
 * https://developer.laposte.fr/catalog-apis/suivi@2) and what each means for a parcel on its way to
 * a customer. The shipment's status is the one of its newest event with a code listed here.
 */
export const SUIVI_EVENT_STATUS: Readonly<Record<string, Exclude<ShipmentStatus, "unknown">>> = {
  DR1: "pending", // Déclaratif réceptionné: the sender announced it, La Poste does not have it yet
  DR2: "exception", // Problème lors de la préparation
  PC1: "in_transit", // Pris en charge
  PC2: "in_transit", // Pris en charge dans le pays d'expédition
  ET1: "in_transit", // En cours de traitement
  ET2: "in_transit", // … dans le pays d'expédition
  ET3: "in_transit", // … dans le pays de destination
  ET4: "in_transit", // … dans un pays de transit
  EP1: "in_transit", // En attente de présentation
  DO1: "in_transit", // Entrée en douane
  DO2: "in_transit", // Sortie de douane
  DO3: "exception", // Retenu en douane
  ID0: "in_transit", // Informations douane
  PB1: "exception", // Problème en cours
  PB2: "in_transit", // Problème résolu
  MD2: "out_for_delivery", // Mis en distribution
  ND1: "exception", // Non distribuable
  // En attente d'être retiré au guichet: it will not reach the door by itself; the customer has to
  // fetch it (absent at delivery, or a pick-up point), which the merchant wants to hear about.
  AG1: "exception",
  RE1: "returned", // Retourné à l'expéditeur
  DI0: "delivered", // Distribué en lot
  DI1: "delivered", // Distribué
  DI2: "returned", // Distribué à l'expéditeur: the return arrived back, the customer never got it
  DI3: "exception", // Retardé
};

// ───────────────────────────── Suivi v2 response ─────────────────────────────
// Read leniently: only what we map is checked, and every field the Swagger marks optional is.

const isoDate = z.string().min(1);

const suiviShipmentSchema = z.object({
  idShip: z.string(),
  holder: z.number().optional(),
  product: z.string().optional(),
  isFinal: z.boolean().optional(),
  entryDate: isoDate.optional(),
  deliveryDate: isoDate.optional(),
  estimDate: isoDate.optional(),
  timeline: z
    .array(z.object({ id: z.number(), status: z.boolean(), type: z.number().optional(), date: isoDate.optional() }).passthrough())
    .optional(),
  event: z.array(z.object({ code: z.string().optional(), label: z.string().optional(), date: isoDate }).passthrough()).optional(),
  url: z.string().optional(),
  urlDetail: z.string().optional(),
});
type SuiviShipment = z.infer<typeof suiviShipmentSchema>;

const suiviUnitSchema = z
  .object({
    returnCode: z.coerce.number().optional(),
    returnMessage: z.string().optional(),
    idShip: z.string().optional(),
    shipment: suiviShipmentSchema.optional(),
    // The Okapi gateway's own errors (401, 429) carry `code` and `message` instead.
    code: z.union([z.string(), z.number()]).optional(),
    message: z.string().optional(),
  })
  .passthrough();
type SuiviUnit = z.infer<typeof suiviUnitSchema>;

export interface ColissimoTrackingDeps {
  config: ColissimoConfig;
  logger: Logger;
  clock: Clock;
  /** Defaults to the global `fetch`. */
  http?: Fetch;
  /** Per-request deadline (connect + answer). Default 10 s. */
  timeoutMs?: number;
}

export function createColissimoTracking(deps: ColissimoTrackingDeps): Tracking {
  const { config } = deps;
  const http = deps.http ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = deps.logger.child({ plugin: "colissimo" });

  async function status(trackingNumber: string): Promise<Shipment | null> {
    const id = normaliseTrackingNumber(trackingNumber);
    const url = `${joinUrl(config.trackingBaseUrl, `/suivi/v2/idships/${id}`)}?lang=${config.lang}`;
    const answer = await exchange(
      http,
      url,
      { method: "GET", headers: { "X-Okapi-Key": config.okapiKey, Accept: "application/json" } },
      { provider: PROVIDER, timeoutMs, what: "La Poste Suivi" },
    );
    const unit = pickUnit(parseJson(answer.body), id);
    const { status: httpStatus } = answer;

    if (httpStatus === 200 || httpStatus === 207) {
      const shipment = unitOutcome(unit, id, httpStatus);
      if (shipment === null) {
        log.info("parcel not known yet", { trackingNumber: id, returnCode: unit?.returnCode });
        return null;
      }
      return toShipment(shipment, log);
    }
    if (httpStatus === 404) {
      // "Unknown or invalid idShip": La Poste's JSON with a returnCode (104 not yet available, 105
      // unknown). A 404 without it is not Suivi talking (a wrong base URL or path prefix).
      if (unit?.returnCode !== undefined) {
        log.info("parcel not known yet", { trackingNumber: id, returnCode: unit.returnCode });
        return null;
      }
      throw new ProviderError(`La Poste Suivi answered 404 without a Suivi body: check trackingBaseUrl (${config.trackingBaseUrl})`, {
        provider: PROVIDER,
        status: 404,
        retryable: false,
      });
    }
    if (httpStatus === 400) {
      throw new InvalidPayloadError(`La Poste does not accept the tracking number ${id}: ${unit?.returnMessage ?? "invalid number"}`);
    }
    const detail = unit?.returnMessage ?? unit?.message ?? answer.body.toString("utf8").slice(0, 200);
    const code = unit?.code ?? unit?.returnCode;
    throw new ProviderError(`La Poste Suivi refused the request (HTTP ${httpStatus}): ${detail}`, {
      provider: PROVIDER,
      status: httpStatus,
      ...(code === undefined ? {} : { code }),
      // 401 / 403: the key is wrong, expired or not subscribed to Suivi; trying again changes nothing.
      retryable: retryableStatus(httpStatus),
    });
  }

  const tracking: Tracking = { status };
  if (config.labels) {
    const labels = createColissimoReturnLabels({ labels: config.labels, http, clock: deps.clock, logger: log, timeoutMs });
    tracking.returnLabel = (input) => labels.returnLabel(input);
  }
  return tracking;
}

/**
 * What customers and Shopify write ("6a 1234 5678 901") as La Poste reads it. Only letters and
 * digits go into the URL path: anything else (a comma would ask for several parcels, a slash for
 * another path) is refused here; the length rules (11 to 15 characters) are La Poste's to apply.
 */
export function normaliseTrackingNumber(trackingNumber: string): string {
  const id = trackingNumber.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z0-9]{1,64}$/.test(id)) throw new InvalidPayloadError(`not a tracking number: ${JSON.stringify(trackingNumber)}`);
  return id;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The unit answer for `id`. A single id is answered with one object, though the Swagger declares
 * an array and several ids get an array (HTTP 207): accept both, and in an array take the unit
 * about our id.
 */
function pickUnit(json: unknown, id: string): SuiviUnit | undefined {
  const units = (Array.isArray(json) ? json : [json]).flatMap((item) => {
    const parsed = suiviUnitSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  const about = (u: SuiviUnit) => (u.shipment?.idShip ?? u.idShip ?? "").toUpperCase() === id;
  return units.find(about) ?? units[0];
}

/** A 2xx body: the shipment, null for "not known yet", or the error a unit code stands for. */
function unitOutcome(unit: SuiviUnit | undefined, id: string, httpStatus: number): SuiviShipment | null {
  if (unit?.shipment && (unit.returnCode === undefined || (unit.returnCode >= 200 && unit.returnCode < 300))) return unit.shipment;
  switch (unit?.returnCode) {
    case 104: // "Votre suivi n'est pas encore disponible"
    case 105: // unknown number
      return null;
    case 400:
      throw new InvalidPayloadError(`La Poste does not accept the tracking number ${id}: ${unit.returnMessage ?? "invalid number"}`);
    case 504:
      throw new ProviderError(`La Poste Suivi could not reach its tracking systems (returnCode 504)`, {
        provider: PROVIDER,
        status: httpStatus,
        code: 504,
        retryable: true,
      });
    default:
      throw new ProviderError(
        `La Poste Suivi answered HTTP ${httpStatus} without a shipment (returnCode ${unit?.returnCode ?? "none"}${unit?.returnMessage ? `: ${unit.returnMessage}` : ""})`,
        { provider: PROVIDER, status: httpStatus, ...(unit?.returnCode === undefined ? {} : { code: unit.returnCode }), retryable: false },
      );
  }
}

/** Suivi v2 `shipment` → our `Shipment`. Exported for tests. */
export function toShipment(shipment: SuiviShipment, log?: Logger): Shipment {
  const events: ShipmentEvent[] = [];
  for (const event of shipment.event ?? []) {
    const at = parseDate(event.date);
    if (!at) {
      log?.warn("La Poste event with an unreadable date, skipped", { trackingNumber: shipment.idShip, date: event.date });
      continue;
    }
    events.push({ at, code: event.code ?? null, label: event.label ?? "" });
  }
  // Newest first, as La Poste sends them ("anti chronological order"); sorted again so that a
  // reordered answer cannot change the status. Array#sort is stable: same-minute events keep their order.
  events.sort((a, b) => b.at.getTime() - a.at.getTime());

  const status = statusOf(shipment, events);
  const delivered = status === "delivered";
  const deliveredEvent = events.find((e) => e.code !== null && SUIVI_EVENT_STATUS[e.code] === "delivered");
  const lastStep = shipment.timeline?.find((step) => step.id === 5);
  return {
    trackingNumber: shipment.idShip,
    carrier: carrierOf(shipment),
    status,
    events,
    estimatedDeliveryAt: parseDate(shipment.estimDate),
    deliveredAt: delivered ? (parseDate(shipment.deliveryDate) ?? deliveredEvent?.at ?? parseDate(lastStep?.date) ?? null) : null,
    url: shipment.urlDetail ?? shipment.url ?? null,
  };
}

function statusOf(shipment: SuiviShipment, newestFirst: ShipmentEvent[]): ShipmentStatus {
  for (const event of newestFirst) {
    const mapped = event.code === null ? undefined : SUIVI_EVENT_STATUS[event.code];
    if (mapped) return mapped;
  }
  // No code we know (a new one, or no events): fall back on the 5-step timeline La Poste draws.
  const steps = (shipment.timeline ?? []).filter((step) => step.status).sort((a, b) => b.id - a.id);
  const reached = steps[0];
  if (reached?.type === -1) return "exception"; // a step drawn "KO"
  if (reached?.id === 5 || (shipment.isFinal && !reached)) return "delivered";
  if (reached?.id === 4) return "out_for_delivery";
  if (reached) return "in_transit";
  return "unknown";
}

/** Suivi's `holder`: 1 Courrier, 3 Chronopost, 4 Colissimo. */
function carrierOf(shipment: SuiviShipment): string {
  switch (shipment.holder) {
    case 3:
      return "chronopost";
    case 4:
      return "colissimo";
    default:
      return shipment.product?.toLowerCase() === "colissimo" ? "colissimo" : "laposte";
  }
}

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
