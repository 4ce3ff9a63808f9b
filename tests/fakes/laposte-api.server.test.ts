import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { laposteRecording, RECORDED_NUMBERS, recordedAnswers, startFakeLaPosteApi, type FakeLaPosteApi } from "./laposte-api.server";

const KEY = "fake-okapi-key";

describe("fake La Poste Suivi v2 API", () => {
  let fake: FakeLaPosteApi;
  const get = (path: string, key: string | null = KEY) =>
    fetch(`${fake.url}${path}`, { headers: key === null ? {} : { "X-Okapi-Key": key, Accept: "application/json" } });

  beforeEach(async () => {
    fake = await startFakeLaPosteApi({ okapiKey: KEY, answers: recordedAnswers() });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("serves each recording for its number, with its status", async () => {
    const delivered = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered}?lang=fr_FR`);
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual(laposteRecording("laposte_suivi_v2_idships_200_delivered"));
    const notYet = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.notYetAvailable}`);
    expect(notYet.status).toBe(404);
    expect(await notYet.json()).toMatchObject({ returnCode: 104, idShip: "6S00993561113" });
    const invalid = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.invalid}`);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ returnCode: 400 });
    expect(fake.requests.map((r) => r.response.status)).toEqual([200, 404, 400]);
    expect(fake.requests[0]?.query).toEqual({ lang: "fr_FR" });
  });

  it("answers an unknown well-formed number 404 / 104 and a malformed one 400, about that number", async () => {
    const unknown = await get("/suivi/v2/idships/6A00000000042");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ returnCode: 104, idShip: "6A00000000042" });
    const short = await get("/suivi/v2/idships/6A42");
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ returnCode: 400, idShip: "6A42" });
  });

  it("answers several numbers with 207 and an array of unit answers", async () => {
    const response = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered},6A00000000042`);
    expect(response.status).toBe(207);
    const body = (await response.json()) as Array<{ returnCode: number }>;
    expect(body.map((u) => u.returnCode)).toEqual([200, 104]);
  });

  it("refuses a missing or wrong key with the gateway's 401", async () => {
    for (const key of [null, "other"]) {
      const response = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered}`, key);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ code: "UNAUTHORIZED", message: "This action requires an authorization" });
    }
  });

  it("lists requests outside the Suivi route as unexpected", async () => {
    expect((await get("/suivi/v1/EW112720413FR")).status).toBe(404);
    expect((await fetch(`${fake.url}/suivi/v2/idships/EW112720413FR`, { method: "POST", headers: { "X-Okapi-Key": KEY } })).status).toBe(404);
    expect(fake.unexpected).toEqual(["GET /suivi/v1/EW112720413FR", "POST /suivi/v2/idships/EW112720413FR"]);
  });

  it("fails the next request on demand, then answers normally", async () => {
    fake.failNext(503);
    const failed = await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered}`);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ code: "SERVICE_UNAVAILABLE", message: "Service Unavailable" });
    expect((await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered}`)).status).toBe(200);
  });

  it("lets a test replace an answer", async () => {
    fake.answer(RECORDED_NUMBERS.delivered, { status: 200, body: [laposteRecording("laposte_suivi_v2_idships_200_delivered")] });
    const body: unknown = await (await get(`/suivi/v2/idships/${RECORDED_NUMBERS.delivered}`)).json();
    expect(Array.isArray(body)).toBe(true);
  });
});
