import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The signer is written out independently of the SDK: the tests sign with it, the plugin verifies with the SDK.
import {
  startFakeTwilioApi,
  twilioWebhookSignature as twilioSignature,
  type FakeTwilioApi,
} from "../../../../tests/fakes/twilio-api.server";
import { createLogger, silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type InboundHttpRequest } from "~/plugins/types";
import type { TwilioChannel } from "../twilio-sms/channel.server";
import { createTwilioWhatsappChannel, fromWhatsappAddress, toWhatsappAddress } from "./channel.server";
import { twilioWhatsappConfigSchema } from "./config";
import { twilioWhatsappPlugin } from "./index";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "test_twilio_auth_token_00000000";
const INBOUND_URL = "https://app.example.test/webhooks/twilio/whatsapp";

interface Vectors {
  twilio: { computed: Array<{ form_body_file: string; url: string; auth_token: string; expected_signature: string }> };
}
const vectors = JSON.parse(readFileSync(path.join(FIXTURES, "signature-vectors.twilio-whatsapp.json"), "utf8")) as Vectors;

/** Exact bytes of a copied fixture (the computed vector is over these bytes). */
function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, path.basename(name)), "utf8");
}

function request(url: string, rawBody: string, signature?: string): InboundHttpRequest {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (signature !== undefined) headers.set("X-Twilio-Signature", signature);
  return { url, headers, rawBody };
}

const STATUS_CALLBACK_URL = "https://app.example.test/webhooks/channels/twilio/status";

function channelWith(authToken = AUTH_TOKEN, apiBaseUrl?: string, statusCallbackUrl?: string): TwilioChannel {
  const config = twilioWhatsappConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken, apiBaseUrl, statusCallbackUrl });
  return createTwilioWhatsappChannel({ config, logger: silentLogger });
}

const [vector] = vectors.twilio.computed;
if (!vector) throw new Error("the twilio_whatsapp_inbound vector is missing");
const inboundBody = fixture(vector.form_body_file);

describe("twilio-whatsapp verify", () => {
  it("accepts the computed vector over the exact bytes of twilio_whatsapp_inbound.form", () => {
    expect(vector.url).toBe(INBOUND_URL);
    expect(vector.auth_token).toBe(AUTH_TOKEN);
    expect(inboundBody.endsWith("\n")).toBe(false);
    expect(twilioSignature(AUTH_TOKEN, INBOUND_URL, inboundBody)).toBe(vector.expected_signature);
    expect(channelWith().verify(request(INBOUND_URL, inboundBody, vector.expected_signature))).toEqual({ ok: true });
  });

  it("rejects a tampered param", () => {
    const tampered = inboundBody.replace("ProfileName=Camille+Martin", "ProfileName=Camille+Durand");
    expect(tampered).not.toBe(inboundBody);
    expect(channelWith().verify(request(INBOUND_URL, tampered, vector.expected_signature)).ok).toBe(false);
  });

  it("rejects a swapped sender", () => {
    const swapped = inboundBody.replace("From=whatsapp%3A%2B33639980001", "From=whatsapp%3A%2B33639980002");
    expect(swapped).not.toBe(inboundBody);
    expect(channelWith().verify(request(INBOUND_URL, swapped, vector.expected_signature)).ok).toBe(false);
  });

  it("rejects the wrong auth token and the SMS endpoint's URL", () => {
    expect(channelWith("another_auth_token_0000000000000").verify(request(INBOUND_URL, inboundBody, vector.expected_signature)).ok).toBe(false);
    expect(channelWith().verify(request("https://app.example.test/webhooks/twilio/sms", inboundBody, vector.expected_signature)).ok).toBe(false);
  });

  it("rejects a missing signature with a reason, and never throws", () => {
    expect(channelWith().verify(request(INBOUND_URL, inboundBody))).toEqual({ ok: false, reason: "missing X-Twilio-Signature header" });
    expect(channelWith().verify(request("not a url", "%%%&&==", "garbage"))).toMatchObject({ ok: false });
  });
});

describe("twilio-whatsapp parseInbound", () => {
  const channel = channelWith();

  it("normalises the fixture to plain E.164 and keeps ProfileName / WaId in raw", () => {
    const message = channel.parseInbound(request(INBOUND_URL, inboundBody));
    const json = JSON.parse(fixture("twilio_whatsapp_inbound.json")) as Record<string, string>;
    expect(message).toEqual({
      providerMessageId: "SM2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d",
      channel: "whatsapp",
      from: "+33639980001",
      to: "+14155238886",
      body: "Bonjour, je voudrais suivre ma commande #1001",
      mediaUrls: [],
      raw: json,
    });
    expect(message.raw).toMatchObject({ ProfileName: "Camille Martin", WaId: "33639980001", From: "whatsapp:+33639980001" });
  });

  it("collects media from NumMedia / MediaUrl{N}", () => {
    const form = new URLSearchParams(inboundBody);
    form.set("NumMedia", "2");
    form.set("Body", "");
    form.set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0");
    form.set("MediaContentType0", "image/jpeg");
    form.set("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1");
    form.set("MediaContentType1", "audio/ogg");
    const message = channel.parseInbound(request(INBOUND_URL, form.toString()));
    expect(message.body).toBe("");
    expect(message.mediaUrls).toEqual([
      "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0",
      "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1",
    ]);
    expect(message.raw.MediaContentType1).toBe("audio/ogg");
  });

  it.each(["MessageSid", "From", "To"])("throws InvalidPayloadError without %s", (name) => {
    const form = new URLSearchParams(inboundBody);
    form.delete(name);
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
    form.set(name, "");
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
  });

  it.each([
    ["From", "+33639980001"],
    ["To", "+14155238886"],
  ])("refuses an SMS-shaped payload (%s without the whatsapp: prefix)", (name, value) => {
    const form = new URLSearchParams(inboundBody);
    form.set(name, value);
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(/not a WhatsApp address/);
  });

  it("refuses a WhatsApp address that is not an E.164 number", () => {
    const form = new URLSearchParams(inboundBody);
    form.set("From", "whatsapp:0639980001");
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
  });

  it("refuses a status callback posted to the inbound endpoint", () => {
    const form = new URLSearchParams(inboundBody);
    form.set("SmsStatus", "delivered");
    form.set("MessageStatus", "delivered");
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(/status callback/);
  });
});

describe("twilio-whatsapp parseStatuses", () => {
  const channel = channelWith();
  /** A WhatsApp status callback as Twilio posts it: the SMS parameters plus the channel ones. */
  const whatsappStatus = (status: string, extra: Record<string, string> = {}) =>
    new URLSearchParams({
      ChannelPrefix: "whatsapp",
      ApiVersion: "2010-04-01",
      MessageStatus: status,
      SmsSid: "SM6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
      SmsStatus: status,
      ChannelInstallSid: "XE0123456789abcdef0123456789abcdef",
      To: "whatsapp:+33639980001",
      From: "whatsapp:+14155238886",
      ChannelToAddress: "+3363998XXXX",
      MessageSid: "SM6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
      AccountSid: ACCOUNT_SID,
      ...extra,
    }).toString();

  it("reads a WhatsApp read receipt (blue ticks) as read", () => {
    const rawBody = whatsappStatus("read");
    expect(channel.parseStatuses(request(STATUS_CALLBACK_URL, rawBody))).toEqual([
      {
        providerMessageId: "SM6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
        state: "read",
        providerStatus: "read",
        errorCode: null,
        errorMessage: null,
        at: null,
        raw: Object.fromEntries(new URLSearchParams(rawBody)),
      },
    ]);
  });

  it("reads a template-less message refused outside the 24-hour window (63016) as failed, saying what to do", () => {
    const [update] = channel.parseStatuses(request(STATUS_CALLBACK_URL, whatsappStatus("failed", { ErrorCode: "63016" })));
    expect(update).toMatchObject({ state: "failed", errorCode: "63016" });
    expect(update?.errorMessage).toMatch(/24-hour.*template/);
  });

  it("reads the shared Twilio status fixtures the same way as twilio-sms", () => {
    const dir = path.join(FIXTURES, "..", "..", "twilio-sms", "fixtures");
    const read = (file: string) => channel.parseStatuses(request(STATUS_CALLBACK_URL, readFileSync(path.join(dir, file), "utf8")));
    expect(read("twilio_status_delivered.form")).toMatchObject([{ providerMessageId: "SM3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f", state: "delivered", errorCode: null }]);
    expect(read("twilio_status_failed.form")).toMatchObject([{ providerMessageId: "SM4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a", state: "failed", errorCode: "30008" }]);
    expect(read("twilio_status_undelivered.form")).toMatchObject([{ providerMessageId: "SM5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", state: "failed", providerStatus: "undelivered", errorCode: "30003" }]);
  });

  it("finds no delivery report in a customer message", () => {
    expect(channel.parseStatuses(request(INBOUND_URL, inboundBody))).toEqual([]);
  });

  it("verifies a status callback signed by Twilio at the status URL, and refuses a forged one", () => {
    const rawBody = whatsappStatus("delivered");
    const signature = twilioSignature(AUTH_TOKEN, STATUS_CALLBACK_URL, rawBody);
    expect(channel.verify(request(STATUS_CALLBACK_URL, rawBody, signature))).toEqual({ ok: true });
    expect(channel.verify(request(STATUS_CALLBACK_URL, whatsappStatus("read"), signature)).ok).toBe(false);
    expect(channel.verify(request(STATUS_CALLBACK_URL, rawBody, twilioSignature("another_auth_token_0000000000000", STATUS_CALLBACK_URL, rawBody))).ok).toBe(false);
    expect(channel.verify(request(INBOUND_URL, rawBody, signature)).ok).toBe(false);
  });
});

describe("whatsapp addresses", () => {
  it("prefixes once and strips back to E.164", () => {
    expect(toWhatsappAddress("+33639980001")).toBe("whatsapp:+33639980001");
    expect(toWhatsappAddress("whatsapp:+33639980001")).toBe("whatsapp:+33639980001");
    expect(fromWhatsappAddress("whatsapp:+33639980001", "From")).toBe("+33639980001");
    expect(() => fromWhatsappAddress("messenger:123", "From")).toThrow(InvalidPayloadError);
  });
});

describe("twilio-whatsapp send (real SDK against the fake Twilio API)", () => {
  let fake: FakeTwilioApi;
  const message = {
    messageId: "msg_wa_0001",
    channel: "whatsapp" as const,
    from: "+14155238886",
    to: "+33639980001",
    body: "Bonjour Camille, votre commande #1001 part aujourd'hui 📦",
  };

  beforeEach(async () => {
    fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });

  afterEach(async () => {
    await fake.close();
  });

  async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(
      () => new Error("expected a rejection"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it("posts with whatsapp: prefixes on the wire and returns Twilio's sid and status", async () => {
    const result = await channelWith(AUTH_TOKEN, fake.url).send(message);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent).toMatchObject({
      method: "POST",
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      form: { To: "whatsapp:+33639980001", From: "whatsapp:+14155238886", Body: message.body },
    });
    expect(Object.keys(sent?.form ?? {}).sort()).toEqual(["Body", "From", "To"]);
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`);
    const created = sent?.response.body as { sid: string };
    expect(result).toEqual({ providerMessageId: created.sid, status: "queued" });
  });

  it("does not double an address already prefixed", async () => {
    await channelWith(AUTH_TOKEN, fake.url).send({ ...message, to: "whatsapp:+33639980001" });
    expect(fake.requests[0]?.form.To).toBe("whatsapp:+33639980001");
  });

  it("maps 400 / 63016 (outside the 24-hour window) to a non-retryable ProviderError that says to use a template", async () => {
    fake.failNext(400, { code: 63016, message: "Failed to send freeform message because you are outside the allowed window." });
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", status: 400, code: 63016, retryable: false });
    expect(error.message).toMatch(/outside WhatsApp's 24-hour customer-service window.*approved template/);
    expect(error.message).toContain("outside the allowed window"); // Twilio's own words stay
  });

  it("keeps 63016 non-retryable whatever the HTTP status", async () => {
    fake.failNext(503, { code: 63016, message: "Failed to send freeform message because you are outside the allowed window." });
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send(message));
    expect(error.details).toMatchObject({ status: 503, code: 63016, retryable: false });
  });

  const template = { name: "HX0123456789abcdef0123456789abcdef", language: "fr", variables: ["Camille", "#1001"] };

  it("sends a template as ContentSid + ContentVariables, without Body or MediaUrl", async () => {
    const result = await channelWith(AUTH_TOKEN, fake.url, STATUS_CALLBACK_URL).send({
      ...message,
      template,
      mediaUrls: ["https://cdn.example.test/colis.jpg"],
    });
    const [sent] = fake.requests;
    expect(sent?.form).toEqual({
      To: "whatsapp:+33639980001",
      From: "whatsapp:+14155238886",
      ContentSid: "HX0123456789abcdef0123456789abcdef",
      ContentVariables: '{"1":"Camille","2":"#1001"}',
      StatusCallback: STATUS_CALLBACK_URL,
    });
    expect(new URLSearchParams(sent?.rawBody).getAll("MediaUrl")).toEqual([]);
    expect(result.providerMessageId).toBe((sent?.response.body as { sid: string }).sid);
  });

  it("sends a template without variables as ContentSid alone", async () => {
    await channelWith(AUTH_TOKEN, fake.url).send({ ...message, template: { ...template, variables: [] } });
    expect(fake.requests[0]?.form).toEqual({ To: "whatsapp:+33639980001", From: "whatsapp:+14155238886", ContentSid: template.name });
  });

  it("refuses a template name that is not a Content SID, without calling Twilio", async () => {
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send({ ...message, template: { ...template, name: "order_shipped" } }));
    expect(error.details).toEqual({ provider: "twilio", code: "invalid_content_sid", retryable: false });
    expect(error.message).toContain("order_shipped");
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a media as MediaUrl, with the text as caption", async () => {
    await channelWith(AUTH_TOKEN, fake.url).send({ ...message, mediaUrls: ["https://cdn.example.test/robe-rf-2847.jpg"] });
    expect(fake.requests[0]?.form).toEqual({
      To: "whatsapp:+33639980001",
      From: "whatsapp:+14155238886",
      Body: message.body,
      MediaUrl: "https://cdn.example.test/robe-rf-2847.jpg",
    });
  });

  it("refuses two media in one WhatsApp message (Twilio would drop the second), without calling Twilio", async () => {
    const mediaUrls = ["https://cdn.example.test/robe-rf-2847.jpg", "https://cdn.example.test/facture-1001.pdf"];
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send({ ...message, mediaUrls }));
    expect(error.details).toEqual({ provider: "twilio", code: "too_many_media", retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it("maps a wrong auth token (401 / 20003) to a non-retryable ProviderError", async () => {
    const error = await rejection(channelWith("wrong_token_000000000000000000000", fake.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", status: 401, code: 20003, retryable: false });
  });

  it.each([500, 503, 429])("maps HTTP %i to a retryable ProviderError, after exactly one request", async (status) => {
    fake.failNext(status);
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send(message));
    expect(error.details).toMatchObject({ provider: "twilio", status, code: 20000 + status, retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a refused connection to a retryable ProviderError", async () => {
    const gone = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    await gone.close();
    const error = await rejection(channelWith(AUTH_TOKEN, gone.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", code: "ECONNREFUSED", retryable: true });
  });

  it("logs the outcome without the customer's number or text", async () => {
    const lines: string[] = [];
    const config = twilioWhatsappConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: fake.url });
    const channel = createTwilioWhatsappChannel({ config, logger: createLogger({ level: "debug", write: (l) => lines.push(l) }) });
    await channel.send(message);
    fake.failNext(400, { code: 21211, message: `The 'To' number whatsapp:${message.to} is not a valid phone number.` });
    const error = await rejection(channel.send(message));
    expect(error.message).toContain(message.to);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain("msg_wa_0001");
      expect(line).not.toContain("39980001");
      expect(line).not.toContain("Camille");
      expect(line).not.toContain(AUTH_TOKEN);
    }
  });
});

describe("twilio-whatsapp plugin definition", () => {
  it("declares itself and creates the channel from parsed settings", () => {
    expect(twilioWhatsappPlugin).toMatchObject({ id: "twilio-whatsapp", provider: "twilio", channel: "whatsapp" });
    const config = twilioWhatsappPlugin.configSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    expect(config.apiBaseUrl).toBe("https://api.twilio.com");
    expect(config.statusCallbackUrl).toBeUndefined();
    const channel = twilioWhatsappPlugin.create({ config, logger: silentLogger });
    expect(channel.provider).toBe("twilio");
    expect(channel.channel).toBe("whatsapp");
    // Twilio's Body cap (1600), not WhatsApp's own 4096: see the comment on `capabilities`.
    expect(channel.capabilities).toEqual({ maxLength: 1600, media: true });
  });
});
