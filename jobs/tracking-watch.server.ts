/**
 * Intensive tracking (`tracking.watch`): an urgent parcel is re-checked with its carrier every hour
 * until it is delivered or its deadline (`shipment_trackings.watch_until`) passes. Each run reads
 * the row, asks the carrier, writes what it learnt (status, ETA, delivery, `last_checked_at`),
 * tells the merchant (`notifications`, kind `tracking_late`, one per `dedupe_key`) when the
 * deadline passes undelivered or the carrier reports a problem, and schedules the next run as a
 * delayed job `tracking:<rowId>:<n>`. When to run next is `nextCheck`, a pure function.
 *
 * Carrier errors do not stop the watch: an hour without news is still an hour, and the deadline
 * alert must fire even when the carrier is down.
 */
import { and, eq } from "drizzle-orm";
import { notifications, shipmentTrackings, shops } from "../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { NotFoundError, type Shipment, type Tracking } from "~/plugins/types";
import { QUEUE_NAMES, type JobDefinition, type JobQueue } from "./queues.server";

/** How often a watched parcel is re-checked (the seeds: "vérif toutes les heures"). */
export const WATCH_INTERVAL_MS = 60 * 60 * 1000;

export interface TrackingWatchData {
  shopId: string;
  /** `shipment_trackings.id`. */
  shipmentTrackingId: string;
  /** This run's number in the watch: 0 for the first check, then 1, 2 … (part of the job id). */
  n: number;
}

export type ShipmentTrackingRow = typeof shipmentTrackings.$inferSelect;

/** What the job needs besides the database, the clock and the logger. */
export interface TrackingWatchPorts {
  /**
   * The shop's `Tracking` capability for the carrier Shopify named on the fulfilment
   * (`tracking_company`: "Colissimo", "La Poste" …), or null when the shop has none set up for it.
   */
  trackingFor(shopId: string, company: string | null): Promise<Tracking | null>;
  /** Run `tracking.watch` again in `delayMs` (production: a BullMQ delayed job with `jobId`). */
  reschedule(delayMs: number, next: { jobId: string; data: TrackingWatchData }): Promise<void>;
}

export interface TrackingWatchDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Optional in the workers' shared deps until the services wire it; the job fails without it. */
  trackingWatch?: TrackingWatchPorts;
}

export function trackingWatchJobId(shipmentTrackingId: string, n: number): string {
  // BullMQ refuses a custom id with ':' unless it has exactly three parts: a uuid has none.
  return `tracking:${shipmentTrackingId}:${n}`;
}

export const trackingWatchJob: JobDefinition<TrackingWatchData, TrackingWatchDeps> = {
  name: "tracking.watch",
  queue: QUEUE_NAMES.tracking,
  options: {
    // Carrier errors are absorbed by the handler; what is left (database, Redis) is worth a retry.
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    // A completed check leaves its trace in the row (last_checked_at) and the logs; removing it
    // frees its job id, so that a watch switched on again later can start at n = 0.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async handle(data, deps) {
    await checkWatchedShipment(deps, data);
  },
};

/**
 * When to look again: hourly, never past the deadline (so that the late alert fires on time),
 * and never again once the parcel is delivered, back at its sender, or the deadline has passed.
 * `shipment` is what the carrier said this time (null: nothing, or no answer).
 */
export function nextCheck(now: Date, row: Pick<ShipmentTrackingRow, "watchUntil" | "deliveredAt" | "status">, shipment: Shipment | null): Date | null {
  const status = shipment?.status ?? row.status;
  if (status === "delivered" || status === "returned" || shipment?.deliveredAt || row.deliveredAt) return null;
  if (!row.watchUntil || now.getTime() >= row.watchUntil.getTime()) return null;
  return new Date(Math.min(now.getTime() + WATCH_INTERVAL_MS, row.watchUntil.getTime()));
}

export type WatchOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "checked"; status: string | null; notified: string[]; next: Date | null };

/** One check of a watched parcel (the job's body). */
export async function checkWatchedShipment(deps: TrackingWatchDeps, data: TrackingWatchData): Promise<WatchOutcome> {
  const ports = deps.trackingWatch;
  if (!ports) throw new Error("tracking.watch needs deps.trackingWatch (trackingFor, reschedule)");
  const { db } = deps;
  const now = deps.clock.now();
  const log = deps.logger.child({ job: "tracking.watch", shipmentTrackingId: data.shipmentTrackingId, n: data.n });

  const [row] = await db
    .select()
    .from(shipmentTrackings)
    .where(and(eq(shipmentTrackings.id, data.shipmentTrackingId), eq(shipmentTrackings.shopId, data.shopId)))
    .limit(1);
  if (!row) return skipped(log, "no such shipment tracking in this shop");
  if (row.deliveredAt || row.status === "delivered") return skipped(log, "already delivered");
  if (!row.watchUntil) return skipped(log, "not watched any more");
  const deadlineRead = row.watchUntil;

  const shipment = await askCarrier(ports, row, log);
  const [updated] = await db
    .update(shipmentTrackings)
    .set({
      lastCheckedAt: now,
      updatedAt: now,
      ...(shipment && shipment.status !== "unknown" ? { status: shipment.status } : {}),
      ...(shipment?.estimatedDeliveryAt ? { estimatedDeliveryAt: shipment.estimatedDeliveryAt } : {}),
      ...(shipment?.deliveredAt ? { deliveredAt: shipment.deliveredAt } : {}),
    })
    .where(and(eq(shipmentTrackings.id, row.id), eq(shipmentTrackings.shopId, data.shopId)))
    .returning();
  const current = updated ?? row;
  // The deadline may have been moved since the row was read (enableIntensiveTracking again).
  const deadline = current.watchUntil ?? deadlineRead;

  const notified: string[] = [];
  const shop = await shopOf(db, data.shopId);
  if (shipment && (shipment.status === "exception" || shipment.status === "returned")) {
    const key = await notifyProblem(deps, shop, current, shipment, now);
    if (key) notified.push(key);
  }
  const delivered = current.status === "delivered" || current.deliveredAt !== null;
  if (!delivered && now.getTime() >= deadline.getTime()) {
    const key = await notifyLate(deps, shop, current, deadline, shipment, now);
    if (key) notified.push(key);
  }

  const next = nextCheck(now, current, shipment);
  if (next) {
    const n = data.n + 1;
    await ports.reschedule(next.getTime() - now.getTime(), { jobId: trackingWatchJobId(row.id, n), data: { ...data, n } });
  }
  log.info("watched parcel checked", { status: current.status, notified, next: next?.toISOString() ?? null });
  return { outcome: "checked", status: current.status, notified, next };
}

function skipped(log: Logger, reason: string): WatchOutcome {
  log.info("watch stopped", { reason });
  return { outcome: "skipped", reason };
}

/** The carrier's answer, or null when it has none for us this time (unknown yet, error, no plugin). */
async function askCarrier(ports: TrackingWatchPorts, row: ShipmentTrackingRow, log: Logger): Promise<Shipment | null> {
  if (!row.trackingNumber) {
    log.warn("watched fulfilment has no tracking number");
    return null;
  }
  const tracking = await ports.trackingFor(row.shopId, row.company);
  if (!tracking) {
    log.warn("no tracking set up for this carrier", { company: row.company });
    return null;
  }
  try {
    return await tracking.status(row.trackingNumber);
  } catch (error) {
    log.warn("carrier check failed; trying again at the next check", { error });
    return null;
  }
}

interface ShopInfo {
  timezone: string;
}

async function shopOf(db: Database, shopId: string): Promise<ShopInfo> {
  const [shop] = await db.select({ timezone: shops.timezone }).from(shops).where(eq(shops.id, shopId)).limit(1);
  return { timezone: shop?.timezone ?? "UTC" };
}

/** The carrier's problem, once per event (the same event seen at the next check is not news). */
async function notifyProblem(deps: TrackingWatchDeps, shop: ShopInfo, row: ShipmentTrackingRow, shipment: Shipment, now: Date): Promise<string | null> {
  const event = shipment.events[0];
  const dedupeKey = `tracking_late:${row.id}:${shipment.status}:${event?.code ?? "-"}:${event?.at.toISOString() ?? "-"}`;
  const what = parcelName(row);
  const returned = shipment.status === "returned";
  return insertNotification(deps.db, {
    shopId: row.shopId,
    title: returned ? `Parcel going back to the sender (${what})` : `Delivery problem (${what})`,
    body: `${carrierName(row, shipment)} ${row.trackingNumber ?? ""}: ${event ? `${event.label} (${formatAt(event.at, shop.timezone)})` : "the carrier reports a problem"}.`,
    data: {
      shipmentTrackingId: row.id,
      orderId: row.orderId,
      orderName: row.orderName,
      trackingNumber: row.trackingNumber,
      status: shipment.status,
      eventCode: event?.code ?? null,
      eventAt: event?.at.toISOString() ?? null,
      url: shipment.url ?? row.trackingUrl,
    },
    dedupeKey,
    createdAt: now,
  });
}

/** The deadline passed undelivered: once per deadline (a moved deadline can alert again). */
async function notifyLate(
  deps: TrackingWatchDeps,
  shop: ShopInfo,
  row: ShipmentTrackingRow,
  deadline: Date,
  shipment: Shipment | null,
  now: Date,
): Promise<string | null> {
  const event = shipment?.events[0];
  const news = event
    ? `last news: ${event.label} (${formatAt(event.at, shop.timezone)})`
    : row.lastCheckedAt && shipment
      ? "the carrier has no news yet"
      : "the carrier could not be checked";
  const eta = shipment?.estimatedDeliveryAt ?? row.estimatedDeliveryAt;
  return insertNotification(deps.db, {
    shopId: row.shopId,
    title: `Parcel not delivered in time (${parcelName(row)})`,
    body: `${carrierName(row, shipment)} ${row.trackingNumber ?? ""} was to arrive by ${formatAt(deadline, shop.timezone)}; ${news}${eta ? `; expected ${formatAt(eta, shop.timezone)}` : ""}.`,
    data: {
      shipmentTrackingId: row.id,
      orderId: row.orderId,
      orderName: row.orderName,
      trackingNumber: row.trackingNumber,
      status: row.status,
      deadline: deadline.toISOString(),
      url: shipment?.url ?? row.trackingUrl,
    },
    dedupeKey: `tracking_late:${row.id}:deadline:${deadline.toISOString()}`,
    createdAt: now,
  });
}

/** Inserts unless the shop already has that `dedupeKey` (unique per shop); returns the key when new. */
async function insertNotification(
  db: Database,
  values: { shopId: string; title: string; body: string; data: Record<string, unknown>; dedupeKey: string; createdAt: Date },
): Promise<string | null> {
  const inserted = await db
    .insert(notifications)
    .values({ ...values, kind: "tracking_late" })
    .onConflictDoNothing({ target: [notifications.shopId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return inserted.length > 0 ? values.dedupeKey : null;
}

function parcelName(row: ShipmentTrackingRow): string {
  return row.orderName ?? row.trackingNumber ?? row.fulfillmentId;
}

function carrierName(row: ShipmentTrackingRow, shipment: Shipment | null): string {
  return row.company ?? shipment?.carrier ?? "Parcel";
}

/** "Fri 16 Jan, 12:00" in the shop's zone (times are stored in UTC, shown in the shop's zone). */
function formatAt(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(at);
  } catch {
    return at.toISOString();
  }
}

/**
 * Switch intensive tracking on for a fulfilment (the `tracking.watch` action): set its deadline
 * and run the first check now. A watch already running (checked within the last interval) only
 * gets the new deadline, so that asking twice does not start two hourly chains.
 */
export async function enableIntensiveTracking(
  deps: { db: Database; clock: Clock; reschedule: TrackingWatchPorts["reschedule"] },
  input: { shopId: string; shipmentTrackingId: string; until: Date },
): Promise<{ watching: boolean; started: boolean }> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select()
    .from(shipmentTrackings)
    .where(and(eq(shipmentTrackings.id, input.shipmentTrackingId), eq(shipmentTrackings.shopId, input.shopId)))
    .limit(1);
  if (!row) throw new NotFoundError(`no shipment tracking ${input.shipmentTrackingId} in this shop`);
  if (row.deliveredAt || row.status === "delivered" || input.until.getTime() <= now.getTime()) return { watching: false, started: false };

  const running =
    row.watchUntil !== null &&
    row.watchUntil.getTime() > now.getTime() &&
    row.lastCheckedAt !== null &&
    now.getTime() - row.lastCheckedAt.getTime() < WATCH_INTERVAL_MS + 10 * 60 * 1000;
  await deps.db
    .update(shipmentTrackings)
    .set({ watchUntil: input.until, updatedAt: now })
    .where(and(eq(shipmentTrackings.id, row.id), eq(shipmentTrackings.shopId, input.shopId)));
  if (running) return { watching: true, started: false };
  await deps.reschedule(0, { jobId: trackingWatchJobId(row.id, 0), data: { shopId: input.shopId, shipmentTrackingId: row.id, n: 0 } });
  return { watching: true, started: true };
}

/** Production `reschedule`: the delayed job on the queue. */
export function queueReschedule(queue: JobQueue): TrackingWatchPorts["reschedule"] {
  return (delayMs, next) => queue.enqueue(trackingWatchJob, next.data, { jobId: next.jobId, delayMs });
}
