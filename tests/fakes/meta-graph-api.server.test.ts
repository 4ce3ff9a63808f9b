import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { metaWebhookSignature, startFakeMetaGraphApi, type FakeMetaGraphApi } from "./meta-graph-api.server";

const TOKEN = "EAAG_fake_meta_token";
const PATH = "/v23.0/106540352242922/messages";

describe("fake Meta Graph API", () => {
  let fake: FakeMetaGraphApi;
  beforeEach(async () => {
    fake = await startFakeMetaGraphApi({ accessToken: TOKEN, phoneNumbers: { "106540352242922": "+15550783881" } });
  });
  afterEach(async () => {
    await fake.close();
  });

  const post = (body: unknown, { token = TOKEN, path = PATH }: { token?: string; path?: string } = {}) =>
    fetch(`${fake.url}${path}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = { messaging_product: "whatsapp", recipient_type: "individual", to: "+16505551234", type: "text", text: { body: "Bonjour" } };

  it("accepts a text message like Graph and records who it is from", async () => {
    const response = await post(text);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messaging_product: string; contacts: unknown[]; messages: Array<{ id: string; message_status?: string }> };
    expect(body.messaging_product).toBe("whatsapp");
    expect(body.contacts).toEqual([{ input: "+16505551234", wa_id: "16505551234" }]);
    expect(body.messages[0]?.id).toMatch(/^wamid\./);
    expect(body.messages[0]?.message_status).toBeUndefined();
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: PATH, phoneNumberId: "106540352242922", from: "+15550783881", json: text });
  });

  it("answers templates with message_status accepted", async () => {
    const response = await post({ ...text, type: "template", text: undefined, template: { name: "order_update", language: { code: "fr" } } });
    const body = (await response.json()) as { messages: Array<{ message_status?: string }> };
    expect(body.messages[0]?.message_status).toBe("accepted");
  });

  it("refuses a wrong token (401 / 190), an unknown number (400 / 100 / 33) and a missing body (131008)", async () => {
    const wrong = await post(text, { token: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
    const unknown = await post(text, { path: "/v23.0/999999/messages" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 100, error_subcode: 33 } });
    const empty = await post({ ...text, text: { body: "" } });
    expect(await empty.json()).toMatchObject({ error: { code: 131008, error_data: { details: "The parameter text['body'] is required." } } });
    expect(fake.requests.map((request) => request.response.status)).toEqual([401, 400, 400]);
  });

  it("fails the next requests as planned, in Meta's error shape or as raw text", async () => {
    fake.failNext(400, { code: 131047, message: "Re-engagement message" });
    fake.failNext(500);
    fake.failNext(502, "<html>bad gateway</html>");
    const outside = await post(text);
    expect(outside.status).toBe(400);
    const error = ((await outside.json()) as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ code: 131047, message: "Re-engagement message", type: "OAuthException" });
    expect(error.fbtrace_id).toMatch(/^A/);
    expect(await (await post(text)).json()).toMatchObject({ error: { code: 131000 } });
    const proxy = await post(text);
    expect(proxy.status).toBe(502);
    expect(await proxy.text()).toContain("bad gateway");
    expect((await post(text)).status).toBe(200);
  });

  it("signs webhooks like the computed vector over the exact fixture bytes", () => {
    const body = readFileSync(new URL("../../app/plugins/channels/meta-whatsapp/fixtures/meta_whatsapp_inbound_text.json", import.meta.url), "utf8");
    expect(metaWebhookSignature("test_meta_app_secret", body)).toBe("sha256=cf05e2c8699003f35370ea2edfa15b05be9508088ea0ff22b0fc953a76676ddc");
    expect(metaWebhookSignature("test_meta_app_secret", `${body} `)).not.toBe("sha256=cf05e2c8699003f35370ea2edfa15b05be9508088ea0ff22b0fc953a76676ddc");
  });
});
