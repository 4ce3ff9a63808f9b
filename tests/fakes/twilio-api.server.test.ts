import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { countSegments, startFakeTwilioApi, type FakeTwilioApi } from "./twilio-api.server";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "test_twilio_auth_token_00000000";
const PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

let fake: FakeTwilioApi;

beforeEach(async () => {
  fake = await startFakeTwilioApi({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    clock: createManualClock(new Date("2026-01-12T09:30:00Z")),
  });
});

afterEach(async () => {
  await fake.close();
});

function post(form: Record<string, string>, auth = `${ACCOUNT_SID}:${AUTH_TOKEN}`, path = PATH) {
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(auth).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(form).toString(),
  });
}

describe("fake Twilio REST API", () => {
  it("creates a Message resource and records the request", async () => {
    const res = await post({ To: "+14155550123", From: "+14155550100", Body: "Bonjour" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      account_sid: ACCOUNT_SID,
      api_version: "2010-04-01",
      to: "+14155550123",
      from: "+14155550100",
      body: "Bonjour",
      status: "queued",
      num_segments: "1",
      direction: "outbound-api",
      date_created: "Mon, 12 Jan 2026 09:30:00 +0000",
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${String(body.sid)}.json`);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      path: PATH,
      form: { To: "+14155550123", From: "+14155550100", Body: "Bonjour" },
      response: { status: 201 },
    });
  });

  it("answers 401 / 20003 to wrong credentials", async () => {
    const res = await post({ To: "+1", From: "+2", Body: "x" }, `${ACCOUNT_SID}:wrong`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 20003,
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
  });

  it("answers 404 for another account's path", async () => {
    const res = await post({ To: "+1", From: "+2", Body: "x" }, undefined, PATH.replace(ACCOUNT_SID, `AC${"f".repeat(32)}`));
    expect(res.status).toBe(404);
  });

  it.each([
    [{ From: "+14155550100", Body: "x" }, 21604],
    [{ To: "+14155550123", Body: "x" }, 21603],
    [{ To: "+14155550123", From: "+14155550100" }, 21602],
  ])("answers 400 with Twilio's code when a field is missing (%j → %i)", async (form, code) => {
    const res = await post(form);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code, status: 400 });
  });

  it("accepts a content template (ContentSid, no Body) with its StatusCallback, and refuses ContentVariables alone (21654)", async () => {
    const template = { To: "whatsapp:+33639980001", From: "whatsapp:+14155238886", ContentSid: `HX${"0".repeat(32)}`, StatusCallback: "https://app.example.test/status" };
    expect((await post({ ...template, ContentVariables: '{"1":"Camille"}' })).status).toBe(201);
    expect(fake.requests[0]?.form).toMatchObject({ ContentSid: template.ContentSid, StatusCallback: "https://app.example.test/status" });
    const res = await post({ To: template.To, From: template.From, Body: "x", ContentVariables: '{"1":"Camille"}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 21654, status: 400 });
  });

  it("fails the next requests as told, in order, then recovers", async () => {
    fake.failNext(400, { code: 21211, message: "Invalid 'To' Phone Number" });
    fake.failNext(503);
    const ok = { To: "+14155550123", From: "+14155550100", Body: "x" };
    const first = await post(ok);
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ code: 21211, status: 400, more_info: "https://www.twilio.com/docs/errors/21211" });
    const second = await post(ok);
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ code: 20503, status: 503 });
    expect((await post(ok)).status).toBe(201);
    expect(fake.requests.map((r) => r.response.status)).toEqual([400, 503, 201]);
  });

  it("counts segments like Twilio (GSM-7 vs UCS-2)", () => {
    expect(countSegments("a".repeat(160))).toBe(1);
    expect(countSegments("a".repeat(161))).toBe(2);
    expect(countSegments("€".repeat(80))).toBe(1); // extension characters take two septets
    expect(countSegments("€".repeat(81))).toBe(2);
    expect(countSegments("ç".repeat(70))).toBe(1); // ç is not GSM-7 (only Ç is)
    expect(countSegments("ç".repeat(71))).toBe(2);
    expect(countSegments("👋".repeat(35))).toBe(1);
    expect(countSegments("👋".repeat(36))).toBe(2);
  });
});
