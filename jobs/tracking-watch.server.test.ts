import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { notifications, shipmentTrackings } from "../db/schema";
import { RECORDED_NUMBERS, recordedAnswers, startFakeLaPosteApi, type FakeLaPosteApi } from "../tests/fakes/laposte-api.server";
import { createTestDatabase, DATABASE_KINDS, TEST_REDIS_URL, type TestDatabase } from "../tests/integration/support/databases";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { colissimoPlugin } from "~/plugins/integrations/colissimo";
import { NotFoundError, ProviderError, type Shipment, type ShipmentStatus, type Tracking } from "~/plugins/types";
import { upsertShop } from "~/shops/install.server";
import { createRedisJobQueue, QUEUE_NAMES } from "./queues.server";
import {
  checkWatchedShipment,
  enableIntensiveTracking,
  nextCheck,
  queueReschedule,
  trackingWatchJob,
  trackingWatchJobId,
  WATCH_INTERVAL_MS,
  type TrackingWatchData,
  type TrackingWatchDeps,
} from "./tracking-watch.server";

const HOUR = WATCH_INTERVAL_MS;
// Scenario 3 of the seeds: Thursday 18:45 in Paris, the wedding is on Saturday, alert Sarah if the
// parcel is not there by Friday noon.
const THURSDAY_1845 = new Date("2026-01-15T17:45:00Z");
const FRIDAY_NOON = new Date("2026-01-16T11:00:00Z");

function shipment(status: ShipmentStatus, over: Partial<Shipment> = {}): Shipment {
  return {
    trackingNumber: "6A12345678901",
    carrier: "colissimo",
    status,
    events: [{ at: new Date("2026-01-15T16:00:00Z"), code: "ET1", label: "Votre colis est en cours d'acheminement." }],
    estimatedDeliveryAt: new Date("2026-01-16T10:00:00Z"),
    deliveredAt: null,
    url: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
    ...over,
  };
}

describe("nextCheck", () => {
  const now = new Date("2026-01-15T17:45:00Z");
  const row = { watchUntil: FRIDAY_NOON, deliveredAt: null, status: "in_transit" };

  it("looks again an hour later while the deadline is further", () => {
    expect(nextCheck(now, row, shipment("in_transit"))).toEqual(new Date(now.getTime() + HOUR));
    expect(nextCheck(now, row, null)).toEqual(new Date(now.getTime() + HOUR));
  });

  it("looks again at the deadline itself when it comes before the next hour", () => {
    const close = new Date("2026-01-16T10:45:00Z");
    expect(nextCheck(close, row, shipment("out_for_delivery"))).toEqual(FRIDAY_NOON);
  });

  it("stops once the parcel is delivered or back at its sender", () => {
    expect(nextCheck(now, row, shipment("delivered", { deliveredAt: now }))).toBeNull();
    expect(nextCheck(now, row, shipment("returned"))).toBeNull();
    expect(nextCheck(now, { ...row, deliveredAt: now }, null)).toBeNull();
    expect(nextCheck(now, { ...row, status: "delivered" }, null)).toBeNull();
  });

  it("stops at the deadline and when nothing is watched", () => {
    expect(nextCheck(FRIDAY_NOON, row, shipment("in_transit"))).toBeNull();
    expect(nextCheck(new Date(FRIDAY_NOON.getTime() + 1), row, null)).toBeNull();
    expect(nextCheck(now, { ...row, watchUntil: null }, shipment("in_transit"))).toBeNull();
  });

  it("keeps watching a parcel in trouble (it may still arrive)", () => {
    expect(nextCheck(now, row, shipment("exception"))).toEqual(new Date(now.getTime() + HOUR));
  });
});

/** A `Tracking` answering from a script (a test double at our own interface). */
function scriptedTracking() {
  const calls: string[] = [];
  let next: () => Promise<Shipment | null> = async () => null;
  const tracking: Tracking = {
    status: async (trackingNumber) => {
      calls.push(trackingNumber);
      return next();
    },
  };
  return {
    tracking,
    calls,
    answer(value: Shipment | null | Error) {
      next = async () => {
        if (value instanceof Error) throw value;
        return value;
      };
    },
  };
}

describe.each(DATABASE_KINDS)("tracking.watch on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  let clock: ManualClock;
  let shopA: string;
  let shopB: string;
  let carrierA: ReturnType<typeof scriptedTracking>;
  let carrierB: ReturnType<typeof scriptedTracking>;
  let scheduled: Array<{ delayMs: number; jobId: string; data: TrackingWatchData }>;
  let deps: TrackingWatchDeps;
  let rowA: string;
  let rowB: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    const now = new Date("2026-01-12T09:00:00Z");
    shopA = (await upsertShop(db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now })).id;
    shopB = (await upsertShop(db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now })).id;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  async function insertRow(shopId: string, over: Partial<typeof shipmentTrackings.$inferInsert> = {}): Promise<string> {
    const [row] = await db
      .insert(shipmentTrackings)
      .values({
        shopId,
        orderId: "gid://shopify/Order/2901",
        orderName: "#2901",
        fulfillmentId: `gid://shopify/Fulfillment/${randomBytes(6).toString("hex")}`,
        company: "Colissimo",
        trackingNumber: "6A12345678901",
        trackingUrl: null,
        status: "in_transit",
        watchUntil: FRIDAY_NOON,
        updatedAt: THURSDAY_1845,
        ...over,
      })
      .returning({ id: shipmentTrackings.id });
    if (!row) throw new Error("insert failed");
    return row.id;
  }

  const rowOf = async (id: string) => (await db.select().from(shipmentTrackings).where(eq(shipmentTrackings.id, id)))[0];
  const alertsOf = (shopId: string) =>
    db.select().from(notifications).where(and(eq(notifications.shopId, shopId), eq(notifications.kind, "tracking_late")));

  beforeEach(async () => {
    await db.delete(notifications);
    await db.delete(shipmentTrackings);
    clock = createManualClock(THURSDAY_1845);
    carrierA = scriptedTracking();
    carrierB = scriptedTracking();
    scheduled = [];
    deps = {
      db,
      clock,
      logger: silentLogger,
      trackingWatch: {
        trackingFor: async (shopId) => (shopId === shopA ? carrierA.tracking : shopId === shopB ? carrierB.tracking : null),
        reschedule: async (delayMs, next) => {
          scheduled.push({ delayMs, ...next });
        },
      },
    };
    // Both shops watch a parcel with the same number: each must only ever see its own.
    rowA = await insertRow(shopA);
    rowB = await insertRow(shopB);
  });

  /** Runs the job chain as the queue would: each scheduled run at its time, until none is left. */
  async function runChain(first: TrackingWatchData, onRun?: (n: number) => void): Promise<Date[]> {
    const runs: Date[] = [];
    let data: TrackingWatchData | undefined = first;
    while (data) {
      onRun?.(data.n);
      runs.push(clock.now());
      const before = scheduled.length;
      await trackingWatchJob.handle(data, deps, { jobId: trackingWatchJobId(data.shipmentTrackingId, data.n), attempt: 1 });
      const next = scheduled.slice(before);
      expect(next.length).toBeLessThanOrEqual(1);
      const [planned] = next;
      if (planned) clock.advance(planned.delayMs);
      data = planned?.data;
      if (runs.length > 100) throw new Error("the watch never ends");
    }
    return runs;
  }

  it("writes what the carrier says on the shop's own row and schedules tracking:<row>:1 an hour later", async () => {
    carrierA.answer(shipment("in_transit"));
    const outcome = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 0 });
    expect(outcome).toMatchObject({ outcome: "checked", status: "in_transit", notified: [] });
    expect(carrierA.calls).toEqual(["6A12345678901"]);
    expect(await rowOf(rowA)).toMatchObject({
      status: "in_transit",
      estimatedDeliveryAt: new Date("2026-01-16T10:00:00Z"),
      lastCheckedAt: THURSDAY_1845,
      deliveredAt: null,
    });
    expect(scheduled).toEqual([{ delayMs: HOUR, jobId: `tracking:${rowA}:1`, data: { shopId: shopA, shipmentTrackingId: rowA, n: 1 } }]);
    // Shop B's row with the same number is untouched, its carrier never asked.
    expect(await rowOf(rowB)).toMatchObject({ lastCheckedAt: null, estimatedDeliveryAt: null });
    expect(carrierB.calls).toEqual([]);
  });

  it("does nothing for a row of another shop", async () => {
    const outcome = await checkWatchedShipment(deps, { shopId: shopB, shipmentTrackingId: rowA, n: 0 });
    expect(outcome).toEqual({ outcome: "skipped", reason: "no such shipment tracking in this shop" });
    expect(carrierA.calls).toEqual([]);
    expect(carrierB.calls).toEqual([]);
    expect((await rowOf(rowA))?.lastCheckedAt).toBeNull();
    expect(scheduled).toEqual([]);
  });

  it("ends the watch when the parcel is delivered: delivery written, no next run, no alert", async () => {
    const deliveredAt = new Date("2026-01-15T17:30:00Z");
    carrierA.answer(shipment("delivered", { deliveredAt, events: [{ at: deliveredAt, code: "DI1", label: "Votre colis est livré." }] }));
    const outcome = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 3 });
    expect(outcome).toMatchObject({ outcome: "checked", status: "delivered", notified: [], next: null });
    expect(await rowOf(rowA)).toMatchObject({ status: "delivered", deliveredAt });
    expect(scheduled).toEqual([]);
    expect(await alertsOf(shopA)).toEqual([]);
    // A late duplicate of the job finds it delivered and stops before asking the carrier.
    expect(await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 4 })).toEqual({ outcome: "skipped", reason: "already delivered" });
    expect(carrierA.calls).toHaveLength(1);
  });

  it("checks hourly until Friday noon, alerts Sarah once at noon, and only her shop", async () => {
    carrierA.answer(shipment("in_transit"));
    const runs = await runChain({ shopId: shopA, shipmentTrackingId: rowA, n: 0 });
    // 18:45, 19:45 … 11:45 Paris time (18 hourly checks), then noon itself.
    expect(runs).toHaveLength(19);
    expect(runs.at(-2)).toEqual(new Date("2026-01-16T10:45:00Z"));
    expect(runs.at(-1)).toEqual(FRIDAY_NOON);
    expect(scheduled.map((s) => s.jobId)).toEqual(Array.from({ length: 18 }, (_, i) => `tracking:${rowA}:${i + 1}`));

    const alerts = await alertsOf(shopA);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: "tracking_late",
      title: "Parcel not delivered in time (#2901)",
      dedupeKey: `tracking_late:${rowA}:deadline:2026-01-16T11:00:00.000Z`,
      createdAt: FRIDAY_NOON,
      data: { shipmentTrackingId: rowA, orderName: "#2901", trackingNumber: "6A12345678901", deadline: "2026-01-16T11:00:00.000Z" },
    });
    // Times in the shop's zone: noon in Paris.
    expect(alerts[0]?.body).toBe(
      "Colissimo 6A12345678901 was to arrive by Fri 16 Jan, 12:00; last news: Votre colis est en cours d'acheminement. (Thu 15 Jan, 17:00); expected Fri 16 Jan, 11:00.",
    );

    // The queue retries the noon job (a crash after the insert): still one alert, no new run.
    await trackingWatchJob.handle({ shopId: shopA, shipmentTrackingId: rowA, n: 18 }, deps, { jobId: `tracking:${rowA}:18`, attempt: 2 });
    expect(await alertsOf(shopA)).toHaveLength(1);
    expect(scheduled).toHaveLength(18);
    expect(await alertsOf(shopB)).toEqual([]);
    expect((await rowOf(rowB))?.lastCheckedAt).toBeNull();
  });

  it("tells the merchant about a carrier problem once per event, and keeps watching", async () => {
    const nd1 = { at: new Date("2026-01-15T17:10:00Z"), code: "ND1", label: "Votre colis n'a pas pu être distribué." };
    carrierA.answer(shipment("exception", { events: [nd1] }));
    const first = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 0 });
    clock.advance(HOUR);
    const second = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 1 });
    const ag1 = { at: new Date("2026-01-15T19:00:00Z"), code: "AG1", label: "Votre colis vous attend au bureau de poste." };
    carrierA.answer(shipment("exception", { events: [ag1, nd1] }));
    clock.advance(HOUR);
    const third = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 2 });

    expect(first).toMatchObject({ notified: [`tracking_late:${rowA}:exception:ND1:2026-01-15T17:10:00.000Z`] });
    expect(second).toMatchObject({ notified: [] });
    expect(third).toMatchObject({ notified: [`tracking_late:${rowA}:exception:AG1:2026-01-15T19:00:00.000Z`] });
    const alerts = await alertsOf(shopA);
    expect(alerts.map((a) => a.title)).toEqual(["Delivery problem (#2901)", "Delivery problem (#2901)"]);
    expect(alerts[0]?.body).toBe("Colissimo 6A12345678901: Votre colis n'a pas pu être distribué. (Thu 15 Jan, 18:10).");
    expect(scheduled.map((s) => s.data.n)).toEqual([1, 2, 3]);
    expect((await rowOf(rowA))?.status).toBe("exception");
    expect(await alertsOf(shopB)).toEqual([]);
  });

  it("alerts once when the parcel is sent back, and stops watching", async () => {
    carrierA.answer(shipment("returned", { events: [{ at: new Date("2026-01-15T17:00:00Z"), code: "RE1", label: "Retourné à l'expéditeur" }] }));
    const outcome = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 0 });
    expect(outcome).toMatchObject({ status: "returned", next: null });
    expect((await alertsOf(shopA)).map((a) => a.title)).toEqual(["Parcel going back to the sender (#2901)"]);
    expect(scheduled).toEqual([]);
  });

  it("keeps watching through carrier errors and unknown numbers, and still alerts at the deadline", async () => {
    carrierA.answer(new ProviderError("La Poste Suivi: no answer (ETIMEDOUT)", { provider: "laposte", code: "ETIMEDOUT", retryable: true }));
    const down = await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 0 });
    expect(down).toMatchObject({ outcome: "checked", status: "in_transit", notified: [] });
    expect(await rowOf(rowA)).toMatchObject({ status: "in_transit", lastCheckedAt: THURSDAY_1845, estimatedDeliveryAt: null });
    expect(scheduled[0]?.delayMs).toBe(HOUR);

    carrierA.answer(null);
    clock.set(FRIDAY_NOON);
    await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: rowA, n: 1 });
    const alerts = await alertsOf(shopA);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body).toBe("Colissimo 6A12345678901 was to arrive by Fri 16 Jan, 12:00; the carrier could not be checked.");
    expect(scheduled).toHaveLength(1);
  });

  it("refuses to run without its ports (the services must wire trackingWatch)", async () => {
    await expect(trackingWatchJob.handle({ shopId: shopA, shipmentTrackingId: rowA, n: 0 }, { db, clock, logger: silentLogger }, { jobId: "x", attempt: 1 })).rejects.toThrow(
      /deps.trackingWatch/,
    );
  });

  describe("enableIntensiveTracking", () => {
    it("sets the deadline and runs the first check now, as tracking:<row>:0", async () => {
      const row = await insertRow(shopA, { watchUntil: null });
      const reschedule = deps.trackingWatch?.reschedule;
      if (!reschedule) throw new Error("ports expected");
      expect(await enableIntensiveTracking({ db, clock, reschedule }, { shopId: shopA, shipmentTrackingId: row, until: FRIDAY_NOON })).toEqual({ watching: true, started: true });
      expect((await rowOf(row))?.watchUntil).toEqual(FRIDAY_NOON);
      expect(scheduled).toEqual([{ delayMs: 0, jobId: `tracking:${row}:0`, data: { shopId: shopA, shipmentTrackingId: row, n: 0 } }]);

      // Asked again while the watch runs: the deadline moves, no second hourly chain.
      carrierA.answer(shipment("in_transit"));
      await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: row, n: 0 });
      clock.advance(20 * 60 * 1000);
      const saturday = new Date("2026-01-17T09:00:00Z");
      expect(await enableIntensiveTracking({ db, clock, reschedule }, { shopId: shopA, shipmentTrackingId: row, until: saturday })).toEqual({ watching: true, started: false });
      expect((await rowOf(row))?.watchUntil).toEqual(saturday);
      expect(scheduled.map((s) => s.jobId)).toEqual([`tracking:${row}:0`, `tracking:${row}:1`]);
    });

    it("refuses another shop's row and does not watch a delivered parcel or a past deadline", async () => {
      const reschedule = deps.trackingWatch?.reschedule;
      if (!reschedule) throw new Error("ports expected");
      await expect(enableIntensiveTracking({ db, clock, reschedule }, { shopId: shopB, shipmentTrackingId: rowA, until: FRIDAY_NOON })).rejects.toBeInstanceOf(NotFoundError);
      const delivered = await insertRow(shopA, { status: "delivered", deliveredAt: THURSDAY_1845 });
      expect(await enableIntensiveTracking({ db, clock, reschedule }, { shopId: shopA, shipmentTrackingId: delivered, until: FRIDAY_NOON })).toEqual({ watching: false, started: false });
      expect(await enableIntensiveTracking({ db, clock, reschedule }, { shopId: shopA, shipmentTrackingId: rowA, until: THURSDAY_1845 })).toEqual({ watching: false, started: false });
      expect(scheduled).toEqual([]);
    });
  });

  describe("with the colissimo plugin on the fake La Poste API", () => {
    let fake: FakeLaPosteApi;

    beforeAll(async () => {
      fake = await startFakeLaPosteApi({ okapiKey: "watch-okapi-key", answers: recordedAnswers() });
    });

    afterAll(async () => {
      expect(fake.unexpected).toEqual([]);
      await fake.close();
    });

    it("records the recorded delivery on shop A's row; shop B, without La Poste set up, only has its clock moved", async () => {
      const config = colissimoPlugin.configSchema.parse({ okapiKey: "watch-okapi-key", trackingBaseUrl: fake.url });
      const laposte = colissimoPlugin.create({ config, logger: silentLogger, clock });
      deps.trackingWatch = {
        trackingFor: async (shopId, company) => (shopId === shopA && company === "Colissimo" ? laposte : null),
        reschedule: async (delayMs, next) => {
          scheduled.push({ delayMs, ...next });
        },
      };
      const a = await insertRow(shopA, { trackingNumber: RECORDED_NUMBERS.delivered });
      const b = await insertRow(shopB, { trackingNumber: RECORDED_NUMBERS.delivered });
      const before = fake.requests.length;
      await checkWatchedShipment(deps, { shopId: shopA, shipmentTrackingId: a, n: 0 });
      await checkWatchedShipment(deps, { shopId: shopB, shipmentTrackingId: b, n: 0 });
      expect(fake.requests.length - before).toBe(1);
      expect(await rowOf(a)).toMatchObject({
        status: "delivered",
        deliveredAt: new Date("2023-03-09T08:38:00Z"),
        estimatedDeliveryAt: new Date("2023-03-09T08:38:00Z"),
      });
      expect(await rowOf(b)).toMatchObject({ status: "in_transit", deliveredAt: null, lastCheckedAt: THURSDAY_1845 });
      expect(scheduled.map((s) => s.jobId)).toEqual([`tracking:${b}:1`]);
    });
  });
});

describe("tracking.watch on BullMQ", () => {
  it("reschedules as a delayed job with the id tracking:<rowId>:<n> on the tracking queue", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    const queue = createRedisJobQueue({ redisUrl: TEST_REDIS_URL, prefix, logger: silentLogger });
    const inspect = new Queue(QUEUE_NAMES.tracking, { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      const rowId = "0b8f5a4e-6c1d-4f7e-9a3b-2d5c8e1f0a47";
      const reschedule = queueReschedule(queue);
      const data = { shopId: "5a0c7d3e-1b2f-4c6d-8e9f-0a1b2c3d4e5f", shipmentTrackingId: rowId, n: 1 };
      await reschedule(HOUR, { jobId: trackingWatchJobId(rowId, 1), data });
      await reschedule(HOUR, { jobId: trackingWatchJobId(rowId, 1), data }); // a retried run: still one job
      const job = await inspect.getJob(`tracking:${rowId}:1`);
      expect(job?.name).toBe("tracking.watch");
      expect(job?.data).toEqual(data);
      expect(job?.opts.delay).toBe(HOUR);
      expect(await job?.getState()).toBe("delayed");
      expect(await inspect.getJobCounts("delayed", "waiting")).toEqual({ delayed: 1, waiting: 0 });
    } finally {
      await inspect.obliterate({ force: true });
      await inspect.close();
      await queue.close();
    }
  });
});
