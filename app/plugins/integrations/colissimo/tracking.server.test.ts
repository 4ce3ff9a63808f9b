import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  laposteRecording,
  RECORDED_NUMBERS,
  recordedAnswers,
  startFakeLaPosteApi,
  type FakeLaPosteApi,
} from "../../../../tests/fakes/laposte-api.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type Tracking } from "~/plugins/types";
import { colissimoConfigSchema, type ColissimoConfigInput } from "./config";
import { joinUrl } from "./http.server";
import { colissimoPlugin } from "./index";
import { createColissimoTracking, normaliseTrackingNumber, SUIVI_EVENT_STATUS, toShipment } from "./tracking.server";

const OKAPI_KEY = "test-okapi-key-0000000000000000";
const clock = createManualClock(new Date("2026-01-12T09:00:00Z"));

function trackingOn(fake: { url: string }, over: Partial<ColissimoConfigInput> = {}, timeoutMs?: number): Tracking {
  const config = colissimoConfigSchema.parse({ okapiKey: OKAPI_KEY, trackingBaseUrl: fake.url, ...over });
  return createColissimoTracking({ config, logger: silentLogger, clock, timeoutMs });
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const outcome = await promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(type);
  return outcome as T;
}

describe("colissimo tracking against the fake Suivi v2 API (recorded answers)", () => {
  let fake: FakeLaPosteApi;

  beforeEach(async () => {
    fake = await startFakeLaPosteApi({ okapiKey: OKAPI_KEY, answers: recordedAnswers() });
  });

  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  it("maps the recorded delivered parcel: status, events newest first, delivery date, ETA, link", async () => {
    const shipment = await trackingOn(fake).status(RECORDED_NUMBERS.delivered);
    expect(shipment).not.toBeNull();
    expect(shipment).toMatchObject({
      trackingNumber: "EW112720413FR",
      carrier: "colissimo",
      status: "delivered",
      url: "https://www.laposte.fr/outils/suivre-vos-envois?code=EW112720413FR",
    });
    expect(shipment?.deliveredAt?.toISOString()).toBe("2023-03-09T08:38:00.000Z");
    expect(shipment?.estimatedDeliveryAt?.toISOString()).toBe("2023-03-09T08:38:00.000Z");
    expect(shipment?.events.map((e) => e.code)).toEqual(["DI1", "MD2", "ET1", "ET3", "ET2", "ET1", "ET1", "PC1", "DR1"]);
    expect(shipment?.events[0]).toEqual({ at: new Date("2023-03-09T08:38:00Z"), code: "DI1", label: "Votre colis est livré." });
    expect(shipment?.events.at(-1)?.at.toISOString()).toBe("2023-02-17T13:41:00.000Z");
  });

  it("maps the in-transit parcel: no delivery date, the announced ETA", async () => {
    const shipment = await trackingOn(fake).status(RECORDED_NUMBERS.inTransit);
    expect(shipment).toMatchObject({ trackingNumber: "6A12345678901", status: "in_transit", deliveredAt: null });
    expect(shipment?.estimatedDeliveryAt?.toISOString()).toBe("2023-02-27T11:00:00.000Z");
    expect(shipment?.events).toHaveLength(6);
    expect(shipment?.events[0]?.code).toBe("ET3");
  });

  it("sends GET /suivi/v2/idships/{id}?lang= with X-Okapi-Key and Accept: application/json, once", async () => {
    await trackingOn(fake, { lang: "en_GB" }).status(RECORDED_NUMBERS.delivered);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: "GET", path: "/suivi/v2/idships/EW112720413FR", query: { lang: "en_GB" } });
    expect(request?.headers["x-okapi-key"]).toBe(OKAPI_KEY);
    expect(request?.headers.accept).toBe("application/json");
  });

  it("reads a number as customers and Shopify write it (spaces, lower case)", async () => {
    const shipment = await trackingOn(fake).status(" ew 1127 2041 3fr ");
    expect(shipment?.status).toBe("delivered");
    expect(fake.requests[0]?.path).toBe("/suivi/v2/idships/EW112720413FR");
  });

  it("accepts the 200 body as a one-element array (the Swagger's shape, karrio's fixture)", async () => {
    fake.answer("EW112720413FR", { status: 200, body: [laposteRecording("laposte_suivi_v2_idships_200_delivered")] });
    const shipment = await trackingOn(fake).status("EW112720413FR");
    expect(shipment?.status).toBe("delivered");
    expect(shipment?.events).toHaveLength(9);
  });

  it("takes, in an array of unit answers, the one about the number asked", async () => {
    fake.answer("6A12345678901", {
      status: 207,
      body: [laposteRecording("laposte_suivi_v2_idships_200_delivered"), laposteRecording("laposte_suivi_v2_idships_200_in_transit")],
    });
    const shipment = await trackingOn(fake).status("6A12345678901");
    expect(shipment).toMatchObject({ trackingNumber: "6A12345678901", status: "in_transit" });
  });

  it("returns null for the recorded 404 'not yet available' (returnCode 104)", async () => {
    expect(await trackingOn(fake).status(RECORDED_NUMBERS.notYetAvailable)).toBeNull();
    expect(fake.requests[0]?.response.status).toBe(404);
  });

  it("returns null for any well-formed number La Poste does not know yet", async () => {
    expect(await trackingOn(fake).status("6A99999999999")).toBeNull();
  });

  it("returns null for a 2xx unit answer with returnCode 104", async () => {
    fake.answer("6A99999999998", { status: 200, body: [laposteRecording("laposte_suivi_v2_idships_404_not_yet_available")] });
    expect(await trackingOn(fake).status("6A99999999998")).toBeNull();
  });

  it("throws InvalidPayloadError with La Poste's message for the recorded 400", async () => {
    const error = await rejection(trackingOn(fake).status(RECORDED_NUMBERS.invalid), InvalidPayloadError);
    expect(error.message).toContain("n’est pas valide");
    expect(fake.requests).toHaveLength(1);
  });

  it.each([["EW1127/../x"], ["EW112720413FR,6A12345678901"], [""], ["   "], ["colis#1"]])(
    "refuses %j without asking La Poste",
    async (number) => {
      await rejection(trackingOn(fake).status(number), InvalidPayloadError);
      expect(fake.requests).toHaveLength(0);
    },
  );

  it("maps a wrong key (the gateway's 401) to a non-retryable ProviderError", async () => {
    const config = colissimoConfigSchema.parse({ okapiKey: "not-the-key", trackingBaseUrl: fake.url });
    const tracking = createColissimoTracking({ config, logger: silentLogger, clock });
    const error = await rejection(tracking.status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toEqual({ provider: "laposte", status: 401, code: "UNAUTHORIZED", retryable: false });
    expect(error.message).toContain("This action requires an authorization");
  });

  it("maps 403 to a non-retryable ProviderError", async () => {
    fake.failNext(403);
    const error = await rejection(trackingOn(fake).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toMatchObject({ status: 403, retryable: false });
  });

  it.each([429, 500, 502, 503, 504])("maps HTTP %i to a retryable ProviderError after one request", async (status) => {
    fake.failNext(status);
    const error = await rejection(trackingOn(fake).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toMatchObject({ provider: "laposte", status, retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a proxy's HTML 502 to a retryable ProviderError", async () => {
    fake.failNext(502, "<html><body>Bad Gateway</body></html>");
    const error = await rejection(trackingOn(fake).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toEqual({ provider: "laposte", status: 502, retryable: true });
  });

  it("refuses a 404 that is not Suivi talking (wrong base URL), instead of reading it as 'not yet'", async () => {
    fake.failNext(404, "<html>Not Found</html>");
    const error = await rejection(trackingOn(fake).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toEqual({ provider: "laposte", status: 404, retryable: false });
    expect(error.message).toContain("trackingBaseUrl");
  });

  it("maps a 200 without a shipment (returnCode 504 inside) to a retryable ProviderError", async () => {
    fake.answer("6A99999999997", { status: 200, body: { returnCode: 504, returnMessage: "Service indisponible", idShip: "6A99999999997" } });
    const error = await rejection(trackingOn(fake).status("6A99999999997"), ProviderError);
    expect(error.details).toMatchObject({ code: 504, retryable: true });
  });

  it("maps a timeout to a retryable ProviderError", async () => {
    fake.stallNext();
    const error = await rejection(trackingOn(fake, {}, 200).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toEqual({ provider: "laposte", code: "ETIMEDOUT", retryable: true });
  });

  it("maps a refused connection to a retryable ProviderError", async () => {
    const gone = await startFakeLaPosteApi({ okapiKey: OKAPI_KEY });
    await gone.close();
    const error = await rejection(trackingOn(gone).status(RECORDED_NUMBERS.delivered), ProviderError);
    expect(error.details).toEqual({ provider: "laposte", code: "ECONNREFUSED", retryable: true });
  });
});

describe("Suivi event codes → ShipmentStatus", () => {
  const base = { idShip: "6A12345678901", holder: 4 };
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 12, 8, minutes)).toISOString();
  const withEvents = (...codes: string[]) =>
    toShipment({ ...base, event: codes.map((code, i) => ({ code, label: code, date: at(59 - i) })) });

  it.each([
    [["DR1"], "pending"],
    [["PC1", "DR1"], "in_transit"],
    [["ET4", "PC2"], "in_transit"],
    [["MD2", "ET1"], "out_for_delivery"],
    [["DI1", "MD2"], "delivered"],
    [["DI0"], "delivered"],
    [["PB1", "ET1"], "exception"],
    [["PB2", "PB1", "ET1"], "in_transit"],
    [["DO3", "DO1"], "exception"],
    [["ND1", "MD2"], "exception"],
    [["AG1", "ND1"], "exception"],
    [["DI3", "ET1"], "exception"],
    [["RE1", "ND1"], "returned"],
    [["DI2", "RE1"], "returned"],
    [["ZZ9", "MD2"], "out_for_delivery"],
  ] as const)("%j → %s", (codes, status) => {
    expect(withEvents(...codes).status).toBe(status);
  });

  it("dates delivery only for a parcel delivered to its addressee, not one back at its sender", () => {
    expect(withEvents("DI1", "MD2").deliveredAt?.toISOString()).toBe(at(59));
    expect(withEvents("DI2", "RE1").deliveredAt).toBeNull();
  });

  it("puts events newest first whatever order they came in", () => {
    const shipment = toShipment({
      ...base,
      event: [
        { code: "PC1", label: "b", date: "2026-01-10T10:00:00+01:00" },
        { code: "DI1", label: "c", date: "2026-01-11T10:00:00+01:00" },
        { code: "DR1", label: "a", date: "2026-01-09T10:00:00+01:00" },
      ],
    });
    expect(shipment.events.map((e) => e.code)).toEqual(["DI1", "PC1", "DR1"]);
    expect(shipment.status).toBe("delivered");
  });

  it("skips an event with an unreadable date", () => {
    const shipment = toShipment({ ...base, event: [{ code: "ET1", label: "x", date: "not a date" }, { code: "PC1", label: "y", date: at(1) }] });
    expect(shipment.events.map((e) => e.code)).toEqual(["PC1"]);
  });

  it("falls back on the timeline when no event code is known", () => {
    const step = (id: number, status: boolean, type = 1) => ({ id, status, type });
    expect(toShipment({ ...base, timeline: [step(1, true), step(2, true), step(3, false)] }).status).toBe("in_transit");
    expect(toShipment({ ...base, timeline: [step(1, true), step(4, true), step(5, false)] }).status).toBe("out_for_delivery");
    expect(toShipment({ ...base, timeline: [step(1, true), step(5, true)] }).status).toBe("delivered");
    expect(toShipment({ ...base, timeline: [step(1, true), step(2, true, -1)] }).status).toBe("exception");
    expect(toShipment({ ...base }).status).toBe("unknown");
  });

  it("names the carrier from Suivi's holder", () => {
    expect(toShipment({ ...base, holder: 3 }).carrier).toBe("chronopost");
    expect(toShipment({ ...base, holder: 1 }).carrier).toBe("laposte");
    expect(toShipment({ ...base }).carrier).toBe("colissimo");
  });

  it("prefers urlDetail over url when La Poste gives both", () => {
    expect(toShipment({ ...base, url: "https://a.example/u", urlDetail: "https://a.example/d" }).url).toBe("https://a.example/d");
    expect(toShipment({ ...base }).url).toBeNull();
  });

  it("maps every documented code", () => {
    expect(Object.keys(SUIVI_EVENT_STATUS).sort()).toEqual(
      ["AG1", "DI0", "DI1", "DI2", "DI3", "DO1", "DO2", "DO3", "DR1", "DR2", "EP1", "ET1", "ET2", "ET3", "ET4", "ID0", "MD2", "ND1", "PB1", "PB2", "PC1", "PC2", "RE1"].sort(),
    );
  });
});

describe("tracking numbers and URLs", () => {
  it("normalises spaces and case, and refuses what is not letters and digits", () => {
    expect(normaliseTrackingNumber(" 6a 1234 5678 901 ")).toBe("6A12345678901");
    expect(() => normaliseTrackingNumber("6A1234-5678")).toThrow(InvalidPayloadError);
  });

  it("keeps a path prefix of the base URL", () => {
    expect(joinUrl("https://proxy.example/laposte/", "/suivi/v2/idships/X")).toBe("https://proxy.example/laposte/suivi/v2/idships/X");
    expect(joinUrl("https://api.laposte.fr", "/suivi/v2/idships/X")).toBe("https://api.laposte.fr/suivi/v2/idships/X");
  });
});

describe("colissimo settings", () => {
  const returnAddress = { companyName: "Élégance Paris", line2: "12 rue de Sévigné", zipCode: "75004", city: "Paris" };

  it("fills in La Poste's API, French labels and no return labels by default", () => {
    expect(colissimoConfigSchema.parse({ okapiKey: OKAPI_KEY })).toEqual({ okapiKey: OKAPI_KEY, trackingBaseUrl: "https://api.laposte.fr", lang: "fr_FR" });
  });

  it("fills in the label service's defaults", () => {
    const config = colissimoConfigSchema.parse({ okapiKey: OKAPI_KEY, labels: { apiKey: "k", returnAddress } });
    expect(config.labels).toEqual({ apiKey: "k", baseUrl: "https://ws.colissimo.fr", weightKg: 1, returnAddress: { ...returnAddress, countryCode: "FR" } });
  });

  it.each([
    [{}, "okapiKey is required"],
    [{ okapiKey: "" }, "okapiKey is required"],
    [{ okapiKey: `${OKAPI_KEY}\n` }, "okapiKey has leading or trailing whitespace"],
    [{ okapiKey: OKAPI_KEY, trackingBaseUrl: "http://api.example.com" }, "trackingBaseUrl must use https"],
    [{ okapiKey: OKAPI_KEY, trackingBaseUrl: "api.laposte.fr" }, "trackingBaseUrl must be an absolute URL"],
    [{ okapiKey: OKAPI_KEY, trackingBaseUrl: "https://api.laposte.fr/?x=1" }, "without query"],
    [{ okapiKey: OKAPI_KEY, lang: "fr" }, "Invalid enum value"],
    [{ okapiKey: OKAPI_KEY, labels: { returnAddress } }, "labels needs apiKey, or contractNumber and password"],
    [{ okapiKey: OKAPI_KEY, labels: { contractNumber: "123456", returnAddress } }, "labels needs apiKey, or contractNumber and password"],
    [{ okapiKey: OKAPI_KEY, labels: { apiKey: "k", contractNumber: "123456", password: "p", returnAddress } }, "not both"],
    [{ okapiKey: OKAPI_KEY, labels: { contractNumber: "12345", password: "p", returnAddress } }, "6-digit"],
    [{ okapiKey: OKAPI_KEY, labels: { apiKey: "k", returnAddress: { ...returnAddress, companyName: "" } } }, "companyName"],
    [{ okapiKey: OKAPI_KEY, labels: { apiKey: "k", baseUrl: "http://ws.colissimo.fr", returnAddress } }, "labels.baseUrl must use https"],
  ])("rejects %j with a clear message", (input, message) => {
    const result = colissimoConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")).toContain(message);
  });

  it("accepts plain http only on loopback (local fakes)", () => {
    expect(colissimoConfigSchema.safeParse({ okapiKey: OKAPI_KEY, trackingBaseUrl: "http://127.0.0.1:4010" }).success).toBe(true);
    expect(colissimoConfigSchema.safeParse({ okapiKey: OKAPI_KEY, trackingBaseUrl: "http://localhost:4010/prefix" }).success).toBe(true);
  });
});

describe("colissimo plugin definition", () => {
  it("declares the tracking capability and offers return labels only when the label service is set up", () => {
    expect(colissimoPlugin).toMatchObject({ id: "colissimo", capabilities: ["tracking"] });
    const plain = colissimoPlugin.create({ config: colissimoPlugin.configSchema.parse({ okapiKey: OKAPI_KEY }), logger: silentLogger, clock });
    expect(typeof plain.status).toBe("function");
    expect(plain.returnLabel).toBeUndefined();
    const withLabels = colissimoPlugin.create({
      config: colissimoPlugin.configSchema.parse({
        okapiKey: OKAPI_KEY,
        labels: { apiKey: "k", returnAddress: { companyName: "Élégance Paris", line2: "12 rue de Sévigné", zipCode: "75004", city: "Paris" } },
      }),
      logger: silentLogger,
      clock,
    });
    expect(typeof withLabels.returnLabel).toBe("function");
  });
});
