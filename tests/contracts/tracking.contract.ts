/**
 * The `Tracking` contract (app/plugins/types.ts), as one suite every tracking plugin runs against
 * its own local fake carrier fed with recorded answers: `runTrackingContract("name", setup)` in
 * `tracking.contract.test.ts`, one line per plugin. The suite knows nothing about any carrier.
 *
 * What a caller (the engine, the intensive-tracking job) may rely on:
 * - a delivered parcel is `delivered` with a `deliveredAt`; one on its way is pending / in transit /
 *   out for delivery without `deliveredAt`;
 * - events come newest first, each dated, with a label;
 * - `null` when the carrier does not know the number yet; `InvalidPayloadError` for a malformed one;
 * - one carrier request per call (retries belong to the job queue); `ProviderError` with
 *   `retryable` true for the carrier's 5xx / 429, false for refused credentials;
 * - `returnLabel`, when offered, hands back a PDF and the return parcel's number.
 * Any request a fake did not expect fails the test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidPayloadError, ProviderError, type Shipment, type Tracking } from "~/plugins/types";

export interface ContractFakeService {
  /** Every request the fake received, in order (only the count is read). */
  readonly requests: readonly unknown[];
  /** Requests the fake does not serve ("METHOD url"). */
  readonly unexpected: readonly string[];
  /** The next request gets this HTTP status, with the service's own error body. */
  failNext(status: number): void;
}

export interface TrackingContractSubject {
  /** The plugin's capability, configured to call `fakeCarrier` (and `labels.fake`). */
  tracking: Tracking;
  /** Numbers the fake carrier answers with its recorded payloads. */
  numbers: { delivered: string; inTransit: string; notYetAvailable: string; invalid: string };
  fakeCarrier: ContractFakeService;
  /** When the plugin offers `returnLabel`: the fake label service it calls. */
  labels?: { fake: ContractFakeService };
  close(): Promise<void>;
}

const SENDER = { name: "Emma Rousseau", address: "8 avenue Jean Jaurès", postalCode: "69007", city: "Lyon", country: "FR" };

export function runTrackingContract(name: string, setup: () => Promise<TrackingContractSubject>): void {
  describe(`Tracking contract: ${name}`, () => {
    let subject: TrackingContractSubject;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      const unexpected = [...subject.fakeCarrier.unexpected, ...(subject.labels?.fake.unexpected ?? [])];
      await subject.close();
      expect(unexpected, "requests no fake expected").toEqual([]);
    });

    async function statusRejection(trackingNumber: string): Promise<Error> {
      const outcome = await subject.tracking.status(trackingNumber).then(
        (shipment) => new Error(`status resolved with ${JSON.stringify(shipment)}`),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(Error);
      return outcome as Error;
    }

    function expectWellFormed(shipment: Shipment, asked: string) {
      expect(shipment.trackingNumber.toUpperCase()).toBe(asked.toUpperCase());
      expect(shipment.carrier).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(shipment.events.length).toBeGreaterThan(0);
      for (const event of shipment.events) {
        expect(event.at).toBeInstanceOf(Date);
        expect(Number.isNaN(event.at.getTime())).toBe(false);
        expect(event.label.trim()).not.toBe("");
        expect(event.code === null || typeof event.code === "string").toBe(true);
      }
      const times = shipment.events.map((e) => e.at.getTime());
      expect(times, "events newest first").toEqual([...times].sort((a, b) => b - a));
      if (shipment.estimatedDeliveryAt !== null) expect(Number.isNaN(shipment.estimatedDeliveryAt.getTime())).toBe(false);
      if (shipment.url !== null) expect(shipment.url).toMatch(/^https?:\/\//);
    }

    it("reports a delivered parcel as delivered, with its delivery date", async () => {
      const shipment = await subject.tracking.status(subject.numbers.delivered);
      expect(shipment).not.toBeNull();
      if (!shipment) return;
      expectWellFormed(shipment, subject.numbers.delivered);
      expect(shipment.status).toBe("delivered");
      expect(shipment.deliveredAt).toBeInstanceOf(Date);
      const oldest = Math.min(...shipment.events.map((e) => e.at.getTime()));
      expect(shipment.deliveredAt?.getTime()).toBeGreaterThanOrEqual(oldest);
    });

    it("reports a parcel on its way as not delivered", async () => {
      const shipment = await subject.tracking.status(subject.numbers.inTransit);
      expect(shipment).not.toBeNull();
      if (!shipment) return;
      expectWellFormed(shipment, subject.numbers.inTransit);
      expect(["pending", "in_transit", "out_for_delivery"]).toContain(shipment.status);
      expect(shipment.deliveredAt).toBeNull();
    });

    it("returns null for a number the carrier does not know yet", async () => {
      expect(await subject.tracking.status(subject.numbers.notYetAvailable)).toBeNull();
    });

    it("throws InvalidPayloadError for a malformed number", async () => {
      expect(await statusRejection(subject.numbers.invalid)).toBeInstanceOf(InvalidPayloadError);
    });

    it("asks the carrier once per call", async () => {
      for (const number of Object.values(subject.numbers)) {
        const before = subject.fakeCarrier.requests.length;
        await subject.tracking.status(number).catch(() => undefined);
        expect(subject.fakeCarrier.requests.length - before).toBeLessThanOrEqual(1);
      }
      const before = subject.fakeCarrier.requests.length;
      await subject.tracking.status(subject.numbers.delivered);
      expect(subject.fakeCarrier.requests.length - before).toBe(1);
    });

    it.each([500, 503, 429])("maps the carrier's HTTP %i to a retryable ProviderError, asking once", async (status) => {
      subject.fakeCarrier.failNext(status);
      const error = await statusRejection(subject.numbers.delivered);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).details).toMatchObject({ status, retryable: true });
      expect((error as ProviderError).details.provider).toMatch(/\S/);
      expect(subject.fakeCarrier.requests).toHaveLength(1);
    });

    it.each([401, 403])("maps the carrier's HTTP %i to a non-retryable ProviderError", async (status) => {
      subject.fakeCarrier.failNext(status);
      const error = await statusRejection(subject.numbers.delivered);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).details).toMatchObject({ status, retryable: false });
    });

    it("creates a return label as a PDF with its parcel number, when it offers return labels", async () => {
      const { returnLabel } = subject.tracking;
      if (!subject.labels) {
        expect(returnLabel).toBeUndefined();
        return;
      }
      expect(returnLabel).toBeTypeOf("function");
      if (!returnLabel) return;
      const label = await returnLabel({ orderName: "#2847", sender: SENDER });
      expect(label.trackingNumber).toMatch(/^[A-Z0-9]+$/);
      const pdf = Buffer.from(label.pdf).toString("latin1");
      expect(pdf.startsWith("%PDF-")).toBe(true);
      expect(pdf.trimEnd().endsWith("%%EOF")).toBe(true);
      expect(subject.labels.fake.requests).toHaveLength(1);
    });

    it("maps the label service's HTTP 503 to a retryable ProviderError, when it offers return labels", async () => {
      const { returnLabel } = subject.tracking;
      if (!subject.labels || !returnLabel) return;
      subject.labels.fake.failNext(503);
      const outcome = await returnLabel({ orderName: "#2847", sender: SENDER }).then(
        () => new Error("returnLabel resolved"),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(ProviderError);
      expect((outcome as ProviderError).details).toMatchObject({ status: 503, retryable: true });
      expect(subject.labels.fake.requests).toHaveLength(1);
    });
  });
}
