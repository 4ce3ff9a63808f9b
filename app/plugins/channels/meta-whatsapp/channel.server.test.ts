import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The signer is written out independently of the plugin: the tests sign with it, the plugin verifies.
import { metaWebhookSignature, startFakeMetaGraphApi, type FakeMetaGraphApi } from "../../../../tests/fakes/meta-graph-api.server";
import { createLogger, silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type InboundHttpRequest, type OutboundMessage } from "~/plugins/types";
import { createMetaWhatsappChannel, META_THROTTLING_CODES, type MetaWhatsappChannel } from "./channel.server";
import { metaWhatsappConfigSchema, type MetaWhatsappConfigInput } from "./config";
import { metaWhatsappPlugin } from "./index";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const APP_SECRET = "test_meta_app_secret";
const ACCESS_TOKEN = "EAAG_test_meta_system_user_token";
const VERIFY_TOKEN = "coccinelle-verify-7f3a9c";
const PHONE_NUMBER_ID = "106540352242922";
const WEBHOOK_URL = "https://app.example.test/webhooks/meta/whatsapp";

interface Vectors {
  meta: { computed: Array<{ body_file: string; body_sha256: string; app_secret: string; expected_header: string }> };
}
const vectors = JSON.parse(readFileSync(path.join(FIXTURES, "signature-vectors.meta-whatsapp.json"), "utf8")) as Vectors;

/** Exact bytes of a copied fixture (the computed vectors are over these bytes, trailing newline included). */
function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, path.basename(name)), "utf8");
}

function request(rawBody: string, signature?: string): InboundHttpRequest {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== undefined) headers.set("X-Hub-Signature-256", signature);
  return { url: WEBHOOK_URL, headers, rawBody };
}

function channelWith(overrides: Partial<MetaWhatsappConfigInput> = {}, timeoutMs?: number, logger = silentLogger): MetaWhatsappChannel {
  const config = metaWhatsappConfigSchema.parse({
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    ...overrides,
  });
  return createMetaWhatsappChannel({ config, logger, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

type Json = Record<string, unknown>;

/** A fixture with its first message (or status) replaced, re-serialised (parsing does not need the exact bytes). */
function withFirst(name: string, list: "messages" | "statuses", edit: (item: Json) => Json): string {
  const payload = JSON.parse(fixture(name)) as { entry: Array<{ changes: Array<{ value: Record<string, Json[]> }> }> };
  const value = payload.entry[0]?.changes[0]?.value;
  const items = value?.[list];
  if (!value || !items?.[0]) throw new Error(`${name} has no ${list}`);
  value[list] = [edit(items[0]), ...items.slice(1)];
  return JSON.stringify(payload);
}

describe("meta-whatsapp verify (X-Hub-Signature-256)", () => {
  it.each(vectors.meta.computed.map((vector) => [path.basename(vector.body_file), vector] as const))(
    "accepts the computed vector over the exact bytes of %s",
    (_name, vector) => {
      const body = fixture(vector.body_file);
      expect(createHash("sha256").update(body, "utf8").digest("hex")).toBe(vector.body_sha256);
      expect(vector.app_secret).toBe(APP_SECRET);
      expect(metaWebhookSignature(APP_SECRET, body)).toBe(vector.expected_header);
      expect(channelWith().verify(request(body, vector.expected_header))).toEqual({ ok: true });
    },
  );

  const [inboundVector] = vectors.meta.computed;
  if (!inboundVector) throw new Error("the meta_whatsapp_inbound_text vector is missing");
  const inboundBody = fixture(inboundVector.body_file);

  it("rejects a changed body, re-serialised JSON and the wrong app secret", () => {
    const tampered = inboundBody.replace("another color?", "another colour?");
    expect(tampered).not.toBe(inboundBody);
    expect(channelWith().verify(request(tampered, inboundVector.expected_header)).ok).toBe(false);
    // Same JSON, other bytes: only the raw body matches.
    const reserialised = JSON.stringify(JSON.parse(inboundBody));
    expect(channelWith().verify(request(reserialised, inboundVector.expected_header)).ok).toBe(false);
    expect(channelWith({ appSecret: "another_app_secret" }).verify(request(inboundBody, inboundVector.expected_header))).toEqual({
      ok: false,
      reason: "X-Hub-Signature-256 does not match (check the App secret; the body must be the raw bytes received)",
    });
  });

  it("rejects a missing or malformed header with a reason, and never throws", () => {
    const hex = inboundVector.expected_header.slice("sha256=".length);
    expect(channelWith().verify(request(inboundBody))).toEqual({ ok: false, reason: "missing X-Hub-Signature-256 header" });
    for (const header of [hex, `sha1=${hex}`, `sha256=${hex.slice(2)}`, `sha256=${hex.slice(0, -1)}z`, "sha256="]) {
      expect(channelWith().verify(request(inboundBody, header))).toEqual({ ok: false, reason: "X-Hub-Signature-256 is not sha256=<64 hex digits>" });
    }
    expect(() => channelWith().verify({ url: "not a url", headers: new Headers({ "x-hub-signature-256": "\u00ff" }), rawBody: "\u0000{" })).not.toThrow();
  });
});

describe("meta-whatsapp verifySubscription (GET handshake)", () => {
  const channel = channelWith();
  const handshake = (query: Record<string, string>) => channel.verifySubscription(new URL(`${WEBHOOK_URL}?${new URLSearchParams(query).toString()}`));

  it("echoes hub.challenge when the mode is subscribe and the token is ours", () => {
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444" })).toEqual({ ok: true, challenge: "1158201444" });
  });

  it.each([
    ["another token", "not-our-token"],
    ["a prefix of ours", VERIFY_TOKEN.slice(0, -1)],
    ["ours with more", `${VERIFY_TOKEN}x`],
    ["an empty one", ""],
  ])("refuses %s", (_name, token) => {
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444" })).toEqual({
      ok: false,
      reason: "hub.verify_token does not match the configured verifyToken",
    });
  });

  it("refuses another mode, a missing mode or token, and a challenge that is not a plain token", () => {
    expect(handshake({ "hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1" })).toEqual({
      ok: false,
      reason: 'hub.mode is "unsubscribe", expected "subscribe"',
    });
    expect(handshake({ "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1" })).toMatchObject({ ok: false, reason: 'hub.mode is missing, expected "subscribe"' });
    expect(handshake({ "hub.mode": "subscribe", "hub.challenge": "1" }).ok).toBe(false);
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN })).toMatchObject({ ok: false, reason: "hub.challenge is missing or not a plain token" });
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "<script>alert(1)</script>" }).ok).toBe(false);
  });
});

describe("meta-whatsapp parseInbound", () => {
  const channel = channelWith();
  const parse = (rawBody: string) => channel.parseInbound(request(rawBody));

  it("normalises the text fixture: wa_id and display number to E.164, wamid as the provider id", () => {
    const body = fixture("meta_whatsapp_inbound_text.json");
    const message = parse(body);
    expect(message).toEqual({
      providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
      channel: "whatsapp",
      from: "+16505551234",
      to: "+15550783881",
      body: "Does it come in another color?",
      mediaUrls: [],
      raw: {
        id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
        type: "text",
        from: "16505551234",
        timestamp: "1749416383",
        display_phone_number: "15550783881",
        phone_number_id: PHONE_NUMBER_ID,
        waba_id: "102290129340398",
        wa_id: "16505551234",
        profile_name: "Sheena Nelson",
        payload: body,
      },
    });
  });

  it.each([
    ["meta_whatsapp_inbound_button_reply.json", "Cancel", { interactive_type: "button_reply", reply_id: "cancel-button", reply_title: "Cancel" }],
    [
      "meta_whatsapp_inbound_list_reply.json",
      "Priority Mail Express",
      { interactive_type: "list_reply", reply_id: "priority_express", reply_description: "Next Day to 2 Days" },
    ],
    ["meta_whatsapp_inbound_button.json", "Unsubscribe", { button_text: "Unsubscribe", button_payload: "Unsubscribe" }],
  ])("reads %s as the title the customer tapped, the id kept in raw", (name, body, raw) => {
    const message = parse(fixture(name));
    expect(message.body).toBe(body);
    expect(message.raw).toMatchObject(raw);
    expect(message.raw.context_id).toMatch(/^wamid\./);
    expect(message.from).toBe("+16505551234");
  });

  it("keeps an image as a Graph media reference (with the caption as body)", () => {
    const message = parse(fixture("meta_whatsapp_inbound_image.json"));
    expect(message.body).toBe("Taj Mahal");
    expect(message.mediaUrls).toEqual(["https://graph.facebook.com/v23.0/1003383421387256"]);
    expect(message.raw).toMatchObject({
      type: "image",
      media_id: "1003383421387256",
      mime_type: "image/jpeg",
      caption: "Taj Mahal",
      media_download_url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133...",
    });
  });

  it.each([
    ["audio", { mime_type: "audio/ogg; codecs=opus", id: "2222", voice: true }, ""],
    ["video", { caption: "la robe portée", mime_type: "video/mp4", id: "3333" }, "la robe portée"],
    ["document", { caption: "ma facture", filename: "facture.pdf", mime_type: "application/pdf", id: "4444" }, "ma facture"],
    ["sticker", { mime_type: "image/webp", animated: false, id: "5555" }, ""],
  ])("reads a %s through the configured Graph base URL and version", (type, part, body) => {
    const proxied = channelWith({ graphBaseUrl: "https://graph.example.test/meta/", graphVersion: "v24.0" });
    const raw = withFirst("meta_whatsapp_inbound_image.json", "messages", (message) => ({ ...message, type, image: undefined, [type]: part }));
    const message = proxied.parseInbound(request(raw));
    expect(message.body).toBe(body);
    expect(message.mediaUrls).toEqual([`https://graph.example.test/meta/v24.0/${part.id}`]);
    expect(message.raw).toMatchObject({ type, media_id: part.id, mime_type: part.mime_type });
  });

  it("accepts a message type it cannot read with an empty body (raw keeps it), and a reaction as its emoji", () => {
    const location = parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, type: "location", text: undefined, location: { latitude: 48.85, longitude: 2.35 } })));
    expect(location.body).toBe("");
    expect(location.raw.type).toBe("location");
    expect(location.raw.payload).toContain("48.85");
    const reaction = parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, type: "reaction", text: undefined, reaction: { message_id: "wamid.OURS", emoji: "👍" } })));
    expect(reaction.body).toBe("👍");
    expect(reaction.raw.reaction_message_id).toBe("wamid.OURS");
  });

  it("writes a display number with spaces and dashes as E.164", () => {
    const payload = JSON.parse(fixture("meta_whatsapp_inbound_text.json")) as { entry: Array<{ changes: Array<{ value: { metadata: Json } }> }> };
    const value = payload.entry[0]?.changes[0]?.value;
    if (!value) throw new Error("fixture shape");
    value.metadata.display_phone_number = "+1 555-078-3881";
    expect(parse(JSON.stringify(payload)).to).toBe("+15550783881");
  });

  it("refuses a status-only payload: that is parseStatuses' job", () => {
    expect(() => parse(fixture("meta_whatsapp_status_sent.json"))).toThrow(InvalidPayloadError);
    expect(() => parse(fixture("meta_whatsapp_status_failed.json"))).toThrow(/status update \(failed\), not a customer message/);
  });

  it.each(["id", "from", "type"])("throws InvalidPayloadError without messages[0].%s", (field) => {
    expect(() => parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, [field]: undefined })))).toThrow(InvalidPayloadError);
    expect(() => parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, [field]: "" })))).toThrow(InvalidPayloadError);
  });

  it("throws InvalidPayloadError for a text without body, a media without id, a sender that is not a number", () => {
    expect(() => parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, text: {} })))).toThrow(/text\.body/);
    expect(() => parse(withFirst("meta_whatsapp_inbound_image.json", "messages", (m) => ({ ...m, image: { caption: "x" } })))).toThrow(/image\.id/);
    expect(() => parse(withFirst("meta_whatsapp_inbound_text.json", "messages", (m) => ({ ...m, from: "sheena.nelson" })))).toThrow(/not a phone number/);
  });

  it("throws InvalidPayloadError without the display number, for non-JSON and for another Graph object", () => {
    const payload = JSON.parse(fixture("meta_whatsapp_inbound_text.json")) as { object: string; entry: Array<{ changes: Array<{ value: { metadata: Json } }> }> };
    const value = payload.entry[0]?.changes[0]?.value;
    if (!value) throw new Error("fixture shape");
    delete value.metadata.display_phone_number;
    expect(() => parse(JSON.stringify(payload))).toThrow(/metadata\.display_phone_number/);
    expect(() => parse("not json")).toThrow(InvalidPayloadError);
    expect(() => parse(JSON.stringify({ ...payload, object: "page" }))).toThrow(/object page/);
    expect(() => parse(JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "account_update", value: {} }] }] }))).toThrow(
      /without a customer message \(changes field: account_update\)/,
    );
  });
});

describe("meta-whatsapp parseStatuses", () => {
  const channel = channelWith();
  const statuses = (rawBody: string) => channel.parseStatuses(request(rawBody));

  it("reads the sent fixture", () => {
    expect(statuses(fixture("meta_whatsapp_status_sent.json"))).toEqual([
      {
        providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
        state: "sent",
        providerStatus: "sent",
        errorCode: null,
        errorMessage: null,
        at: new Date("2025-06-15T23:27:53Z"),
        raw: {
          id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
          status: "sent",
          timestamp: "1750030073",
          recipient_id: "16505551234",
          phone_number_id: PHONE_NUMBER_ID,
          waba_id: "102290129340398",
          conversation_id: "72b14d6bd5407799e66f64d1b338e567",
          conversation_origin: "marketing",
          pricing_category: "marketing",
          pricing_model: "PMP",
        },
      },
    ]);
  });

  it("reads the failed fixture with Meta's error code and title", () => {
    const [update] = statuses(fixture("meta_whatsapp_status_failed.json"));
    expect(update).toMatchObject({
      providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA",
      state: "failed",
      providerStatus: "failed",
      errorCode: "131049",
      errorMessage: "This message was not delivered to maintain healthy ecosystem engagement.",
      at: new Date("2025-06-28T20:34:48Z"),
    });
    expect(update?.raw).toMatchObject({ error_code: "131049", error_details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered." });
  });

  it.each([
    ["delivered", "delivered"],
    ["read", "read"],
    ["played", "read"],
  ] as const)("maps %s to %s", (word, state) => {
    const [update] = statuses(withFirst("meta_whatsapp_status_sent.json", "statuses", (s) => ({ ...s, status: word })));
    expect(update).toMatchObject({ state, providerStatus: word });
  });

  it("reads every status of a batched payload, and 131047 as the error code outside the window", () => {
    const payload = JSON.parse(fixture("meta_whatsapp_status_failed.json")) as { entry: Array<{ changes: Array<{ value: { statuses: Json[] } }> }> };
    const value = payload.entry[0]?.changes[0]?.value;
    const [failed] = value?.statuses ?? [];
    if (!value || !failed) throw new Error("fixture shape");
    value.statuses = [
      { ...failed, errors: [{ code: 131047, title: "Re-engagement message", message: "Re-engagement message" }] },
      { id: "wamid.SECOND", status: "delivered", timestamp: "1751142900", recipient_id: "16505551234" },
    ];
    expect(statuses(JSON.stringify(payload)).map((u) => [u.providerMessageId, u.state, u.errorCode, u.errorMessage])).toEqual([
      ["wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA", "failed", "131047", "Re-engagement message"],
      ["wamid.SECOND", "delivered", null, null],
    ]);
  });

  it("returns [] for a customer message", () => {
    expect(statuses(fixture("meta_whatsapp_inbound_text.json"))).toEqual([]);
  });

  it("throws InvalidPayloadError for an unknown status, a status without id, a bad timestamp or non-JSON", () => {
    expect(() => statuses(withFirst("meta_whatsapp_status_sent.json", "statuses", (s) => ({ ...s, status: "deleted" })))).toThrow(/"deleted"/);
    expect(() => statuses(withFirst("meta_whatsapp_status_sent.json", "statuses", (s) => ({ ...s, id: undefined })))).toThrow(InvalidPayloadError);
    expect(() => statuses(withFirst("meta_whatsapp_status_sent.json", "statuses", (s) => ({ ...s, timestamp: "2025-06-15" })))).toThrow(/Unix seconds/);
    expect(() => statuses("{")).toThrow(InvalidPayloadError);
  });
});

describe("meta-whatsapp send (against the fake Graph API)", () => {
  let fake: FakeMetaGraphApi;
  const message: OutboundMessage = {
    messageId: "msg_wa_meta_0001",
    channel: "whatsapp",
    from: "+15550783881",
    to: "+16505551234",
    body: "Bonjour Sheena, la robe existe aussi en bleu 👗",
  };

  beforeEach(async () => {
    fake = await startFakeMetaGraphApi({ accessToken: ACCESS_TOKEN, phoneNumbers: { [PHONE_NUMBER_ID]: "+15550783881" } });
  });

  afterEach(async () => {
    await fake.close();
  });

  const channel = (overrides: Partial<MetaWhatsappConfigInput> = {}, timeoutMs?: number) => channelWith({ graphBaseUrl: fake.url, ...overrides }, timeoutMs);

  async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(
      () => new Error("expected a rejection"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it("posts a text message with the Bearer token and returns Meta's wamid", async () => {
    const result = await channel().send(message);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.rawBody ?? "")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "text",
      text: { body: message.body, preview_url: false },
    });
    const answered = sent?.response.body as { messages: Array<{ id: string }> };
    expect(result).toEqual({ providerMessageId: answered.messages[0]?.id, status: "accepted" });
    expect(result.providerMessageId).toMatch(/^wamid\./);
  });

  it("asks for a link preview only when the text has a link", async () => {
    await channel().send({ ...message, body: "Votre suivi : https://shop.example.test/t/1001" });
    expect(fake.requests[0]?.json?.text).toEqual({ body: "Votre suivi : https://shop.example.test/t/1001", preview_url: true });
  });

  it("sends an image by link with the body as caption", async () => {
    await channel().send({ ...message, mediaUrls: ["https://cdn.example.test/products/RF-2847-bleu.JPG"] });
    expect(fake.requests[0]?.json).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "image",
      image: { link: "https://cdn.example.test/products/RF-2847-bleu.JPG", caption: message.body },
    });
  });

  it("sends anything else as a document named after the file", async () => {
    await channel().send({ ...message, body: "", mediaUrls: ["https://cdn.example.test/factures/facture%201001.pdf?sig=abc"] });
    expect(fake.requests[0]?.json).toMatchObject({
      type: "document",
      document: { link: "https://cdn.example.test/factures/facture%201001.pdf?sig=abc", filename: "facture 1001.pdf" },
    });
    expect(fake.requests[0]?.json?.document).not.toHaveProperty("caption");
  });

  it("refuses several media before calling Meta (one media per Cloud API message)", async () => {
    const error = await rejection(channel().send({ ...message, mediaUrls: ["https://cdn.example.test/a.jpg", "https://cdn.example.test/b.jpg"] }));
    expect(error.details).toEqual({ provider: "meta", code: "one_media_per_message", retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a template with positional body parameters, language as approved", async () => {
    const result = await channel().send({ ...message, template: { name: "commande_prete", language: "fr", variables: ["Sheena", "#1001"] } });
    expect(fake.requests[0]?.json).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+16505551234",
      type: "template",
      template: {
        name: "commande_prete",
        language: { code: "fr" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Sheena" }, { type: "text", text: "#1001" }] }],
      },
    });
    expect(result.status).toBe("accepted");
  });

  it("sends a template without variables with no components", async () => {
    await channel().send({ ...message, template: { name: "hello_world", language: "en_US", variables: [] } });
    expect(fake.requests[0]?.json?.template).toEqual({ name: "hello_world", language: { code: "en_US" } });
  });

  it("follows graphVersion in the path", async () => {
    await channel({ graphVersion: "v24.0" }).send(message);
    expect(fake.requests[0]?.path).toBe(`/v24.0/${PHONE_NUMBER_ID}/messages`);
  });

  it.each([500, 503])("maps HTTP %i to a retryable ProviderError with Meta's code, after one request", async (status) => {
    fake.failNext(status);
    const error = await rejection(channel().send(message));
    expect(error.details).toEqual({ provider: "meta", status, code: status === 500 ? 131000 : 2, retryable: true });
    expect(error.message).toMatch(/fbtrace_id A/);
    expect(fake.requests).toHaveLength(1);
  });

  it("maps 400 / 131047 (outside the 24-hour window) to a non-retryable ProviderError that says to use a template", async () => {
    fake.failNext(400, {
      code: 131047,
      message: "(#131047) Re-engagement message",
      error_data: { messaging_product: "whatsapp", details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
    });
    const error = await rejection(channel().send(message));
    expect(error.details).toEqual({ provider: "meta", status: 400, code: 131047, retryable: false });
    expect(error.message).toMatch(/24 hours/);
    expect(error.message).toMatch(/template/);
  });

  it.each([...META_THROTTLING_CODES])("maps throttling code %i (sent as HTTP 400) to a retryable ProviderError", async (code) => {
    fake.failNext(400, { code, message: `(#${code}) rate limit hit` });
    const error = await rejection(channel().send(message));
    expect(error.details).toEqual({ provider: "meta", status: 400, code, retryable: true });
  });

  it("maps other 400s and a wrong token (401 / 190) to non-retryable errors", async () => {
    fake.failNext(400, { code: 132001, message: "(#132001) Template name does not exist in the translation" });
    expect((await rejection(channel().send(message))).details).toEqual({ provider: "meta", status: 400, code: 132001, retryable: false });
    expect((await rejection(channel({ accessToken: "EAAG_wrong" }).send(message))).details).toEqual({ provider: "meta", status: 401, code: 190, retryable: false });
  });

  it("maps a proxy's HTML 502 to a retryable error without a Meta code", async () => {
    fake.failNext(502, "<html><body>502 Bad Gateway</body></html>");
    const error = await rejection(channel().send(message));
    expect(error.details).toEqual({ provider: "meta", status: 502, retryable: true });
    expect(error.message).toContain("502 Bad Gateway");
  });

  it("gives up after the timeout with a retryable 'timeout' error that says the message may have gone", async () => {
    fake.stallNext();
    const error = await rejection(channel({}, 200).send(message));
    expect(error.details).toEqual({ provider: "meta", code: "timeout", retryable: true });
    expect(error.message).toMatch(/may still have accepted/);
  });

  it("maps a refused connection to a retryable error", async () => {
    const gone = await startFakeMetaGraphApi({ accessToken: ACCESS_TOKEN, phoneNumbers: {} });
    await gone.close();
    const error = await rejection(channelWith({ graphBaseUrl: gone.url }).send(message));
    expect(error.details).toMatchObject({ provider: "meta", retryable: true });
    expect(error.details.status).toBeUndefined();
    expect(error.details.code).toBe("ECONNREFUSED");
  });

  it("logs the outcome without the customer's number, the text or the token", async () => {
    const lines: string[] = [];
    const logged = channelWith({ graphBaseUrl: fake.url }, undefined, createLogger({ level: "debug", write: (line) => lines.push(line) }));
    await logged.send(message);
    fake.failNext(400, { code: 100, message: "(#100) Invalid parameter: +16505551234 is not valid" });
    const error = await rejection(logged.send(message));
    expect(error.message).toContain("+16505551234");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain("msg_wa_meta_0001");
      expect(line).not.toContain("6505551234");
      expect(line).not.toContain("robe");
      expect(line).not.toContain(ACCESS_TOKEN);
    }
  });
});

describe("meta-whatsapp plugin definition and settings", () => {
  const settings = { accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, phoneNumberId: PHONE_NUMBER_ID };

  it("declares itself and creates the channel from parsed settings, with Graph defaults", () => {
    expect(metaWhatsappPlugin).toMatchObject({ id: "meta-whatsapp", provider: "meta", channel: "whatsapp" });
    const config = metaWhatsappPlugin.configSchema.parse(settings);
    expect(config).toMatchObject({ graphBaseUrl: "https://graph.facebook.com", graphVersion: "v23.0" });
    const channel = metaWhatsappPlugin.create({ config, logger: silentLogger });
    expect(channel.provider).toBe("meta");
    expect(channel.channel).toBe("whatsapp");
    expect(channel.capabilities).toEqual({ maxLength: 4096, media: true });
    expect(typeof channel.verifySubscription).toBe("function");
  });

  function issues(input: Record<string, unknown>): string[] {
    const result = metaWhatsappConfigSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  }

  it("says what each missing field is and where to find it", () => {
    expect(issues({})).toEqual([
      expect.stringMatching(/^accessToken: accessToken is required \(.*System User/),
      expect.stringMatching(/^appSecret: appSecret is required \(.*App secret/),
      expect.stringMatching(/^verifyToken: verifyToken is required \(.*Verify token/),
      expect.stringMatching(/^phoneNumberId: phoneNumberId is required \(.*Phone number ID/),
    ]);
  });

  it("refuses a phone number instead of its id, pasted whitespace, a bad version and a plain-http Graph URL", () => {
    expect(issues({ ...settings, phoneNumberId: "+15550783881" })).toEqual([expect.stringMatching(/^phoneNumberId: .*not the phone number/)]);
    expect(issues({ ...settings, appSecret: " secret" })).toEqual(["appSecret: appSecret has leading or trailing whitespace; paste it again"]);
    expect(issues({ ...settings, graphVersion: "23.0" })).toEqual(["graphVersion: graphVersion must be a Graph API version such as v23.0"]);
    expect(issues({ ...settings, graphBaseUrl: "http://graph.facebook.com" })).toEqual([expect.stringMatching(/^graphBaseUrl: graphBaseUrl must use https/)]);
    expect(issues({ ...settings, graphBaseUrl: "http://127.0.0.1:4010" })).toEqual([]);
  });
});
