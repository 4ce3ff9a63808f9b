import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receivedEmailFixture, resendWebhookHeaders, startFakeResendApi, type FakeResendApi } from "./resend-api.server";

describe("fake Resend API", () => {
  let fake: FakeResendApi;
  beforeEach(async () => {
    fake = await startFakeResendApi({ apiKey: "re_key", received: [receivedEmailFixture()] });
  });
  afterEach(async () => {
    await fake.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}/emails`, { method: "POST", headers: { Authorization: "Bearer re_key", "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

  it("answers 401 without a key and 403 with a wrong one, Resend's error shape", async () => {
    const missing = await fetch(`${fake.url}/emails`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ statusCode: 401, name: "missing_api_key" });
    const wrong = await fetch(`${fake.url}/emails/receiving/x`, { headers: { Authorization: "Bearer nope" } });
    expect(wrong.status).toBe(403);
  });

  it("creates an email, requires from/to/subject, and honours Idempotency-Key", async () => {
    const email = { from: "a@b.c", to: ["d@e.f"], subject: "Hi", text: "x" };
    expect((await post({ from: "a@b.c", to: ["d@e.f"] })).status).toBe(422);
    const first = (await (await post(email, { "Idempotency-Key": "k1" })).json()) as { id: string };
    const second = (await (await post(email, { "Idempotency-Key": "k1" })).json()) as { id: string };
    const other = (await (await post(email)).json()) as { id: string };
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect((await post({ ...email, text: "changed" }, { "Idempotency-Key": "k1" })).status).toBe(409);
  });

  it("serves received emails by id and 404s unknown ones", async () => {
    const auth = { Authorization: "Bearer re_key" };
    const found = await fetch(`${fake.url}/emails/receiving/56761188-7520-42d8-8898-ff6fc54ce618`, { headers: auth });
    expect(await found.json()).toMatchObject({ object: "email", message_id: "<example+123>" });
    expect((await fetch(`${fake.url}/emails/receiving/nope`, { headers: auth })).status).toBe(404);
  });

  it("fails the next requests as planned", async () => {
    fake.failNext(429);
    fake.failNext(502, "<html>bad gateway</html>");
    expect((await post({})).status).toBe(429);
    const proxy = await post({});
    expect(proxy.status).toBe(502);
    expect(await proxy.text()).toContain("bad gateway");
    expect(fake.requests.map((r) => r.response.status)).toEqual([429, 502]);
  });

  it("signs webhooks like Svix's documented vector", () => {
    const headers = resendWebhookHeaders("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(headers["svix-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});
