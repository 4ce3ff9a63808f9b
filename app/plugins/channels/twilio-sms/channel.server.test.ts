import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
// The signer is written out independently of the SDK: the tests sign with it, the plugin verifies with the SDK.
import {
  startFakeTwilioApi,
  twilioWebhookSignature as twilioSignature,
  type FakeTwilioApi,
} from "../../../../tests/fakes/twilio-api.server";
import { createLogger, silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type InboundHttpRequest } from "~/plugins/types";
import { createTwilioSmsChannel, rewriteTwilioApiUri, type TwilioChannel } from "./channel.server";
import { TWILIO_API_BASE_URL, twilioSmsConfigSchema } from "./config";
import { twilioSmsPlugin } from "./index";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "test_twilio_auth_token_00000000";
const INBOUND_URL = "https://app.example.test/webhooks/twilio/sms";

interface Vectors {
  twilio: {
    documented: Array<{ source: string; auth_token: string; url: string; params: Record<string, string>; expected_signature: string }>;
    computed: Array<{ form_body_file: string; url: string; auth_token: string; expected_signature: string }>;
  };
}
const vectors = JSON.parse(readFileSync(path.join(FIXTURES, "signature-vectors.twilio.json"), "utf8")) as Vectors;

/** Exact bytes of a copied fixture (the computed vectors are over these bytes). */
function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, path.basename(name)), "utf8");
}

function request(url: string, rawBody: string, signature?: string): InboundHttpRequest {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (signature !== undefined) headers.set("X-Twilio-Signature", signature);
  return { url, headers, rawBody };
}

const STATUS_CALLBACK_URL = "https://app.example.test/webhooks/channels/twilio/status";

function channelWith(authToken = AUTH_TOKEN, apiBaseUrl?: string, timeoutMs?: number, statusCallbackUrl?: string): TwilioChannel {
  const config = twilioSmsConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken, apiBaseUrl, statusCallbackUrl });
  return createTwilioSmsChannel({ config, logger: silentLogger, timeoutMs });
}

describe("twilio-sms verify", () => {
  it("has every Twilio vector of SIGNATURE_VECTORS (2 documented, 5 computed)", () => {
    expect(vectors.twilio.documented).toHaveLength(2);
    expect(vectors.twilio.computed).toHaveLength(5);
  });

  it.each(vectors.twilio.documented.map((v) => [v.expected_signature, v] as const))(
    "accepts the documented vector %s",
    (_sig, vector) => {
      const rawBody = new URLSearchParams(vector.params).toString();
      const channel = channelWith(vector.auth_token);
      expect(twilioSignature(vector.auth_token, vector.url, rawBody)).toBe(vector.expected_signature);
      expect(channel.verify(request(vector.url, rawBody, vector.expected_signature))).toEqual({ ok: true });
    },
  );

  it.each(vectors.twilio.computed.map((v) => [v.form_body_file, v] as const))(
    "accepts the computed vector over the exact bytes of %s",
    (file, vector) => {
      const rawBody = fixture(file);
      const channel = channelWith(vector.auth_token);
      expect(twilioSignature(vector.auth_token, vector.url, rawBody)).toBe(vector.expected_signature);
      expect(channel.verify(request(vector.url, rawBody, vector.expected_signature))).toEqual({ ok: true });
    },
  );

  const sms = vectors.twilio.computed.find((v) => v.form_body_file.endsWith("twilio_sms_inbound.form"));
  if (!sms) throw new Error("the twilio_sms_inbound vector is missing");
  const smsBody = fixture(sms.form_body_file);

  it("rejects a tampered param", () => {
    const tampered = smsBody.replace("Body=Bonjour", "Body=Bonsoir");
    expect(tampered).not.toBe(smsBody);
    const result = channelWith().verify(request(sms.url, tampered, sms.expected_signature));
    expect(result.ok).toBe(false);
  });

  it("rejects a param added after signing, and covers params it has never heard of", () => {
    const added = `${smsBody}&ForwardedFrom=%2B33639980009`;
    expect(channelWith().verify(request(sms.url, added, sms.expected_signature)).ok).toBe(false);
    // Twilio adds params without notice: a new one that Twilio signed verifies.
    expect(channelWith().verify(request(sms.url, added, twilioSignature(AUTH_TOKEN, sms.url, added)))).toEqual({ ok: true });
  });

  it("rejects a param removed after signing", () => {
    const removed = smsBody.replace(/&FromZip=\d+/, "");
    expect(removed).not.toBe(smsBody);
    expect(channelWith().verify(request(sms.url, removed, sms.expected_signature)).ok).toBe(false);
  });

  it("rejects the wrong auth token", () => {
    const result = channelWith("another_auth_token_0000000000000").verify(request(sms.url, smsBody, sms.expected_signature));
    expect(result.ok).toBe(false);
  });

  it.each([
    ["http instead of https", "http://app.example.test/webhooks/twilio/sms"],
    ["the Host header behind a proxy", "http://localhost:3000/webhooks/twilio/sms"],
    ["another path", "https://app.example.test/webhooks/twilio/whatsapp"],
    ["an added query", "https://app.example.test/webhooks/twilio/sms?shop=1"],
  ])("rejects the wrong URL (%s)", (_what, url) => {
    expect(channelWith().verify(request(url, smsBody, sms.expected_signature)).ok).toBe(false);
  });

  it("rejects a status callback URL without its query", () => {
    const status = vectors.twilio.computed.find((v) => v.url.includes("?msg=42"));
    if (!status) throw new Error("the ?msg=42 vector is missing");
    const body = fixture(status.form_body_file);
    const channel = channelWith();
    expect(channel.verify(request(status.url, body, status.expected_signature))).toEqual({ ok: true });
    expect(channel.verify(request(status.url.replace("?msg=42", ""), body, status.expected_signature)).ok).toBe(false);
  });

  it("rejects a missing or empty X-Twilio-Signature with a reason, without throwing", () => {
    expect(channelWith().verify(request(sms.url, smsBody))).toEqual({ ok: false, reason: "missing X-Twilio-Signature header" });
    expect(channelWith().verify(request(sms.url, smsBody, ""))).toMatchObject({ ok: false });
  });

  it("does not throw on a malformed URL or body", () => {
    const channel = channelWith();
    expect(channel.verify(request("not a url", smsBody, sms.expected_signature))).toMatchObject({ ok: false });
    expect(channel.verify(request(sms.url, "%%%&&==", "garbage"))).toMatchObject({ ok: false });
  });
});

describe("twilio-sms parseInbound", () => {
  const channel = channelWith();

  it("normalises the inbound SMS fixture and keeps every param in raw", () => {
    const rawBody = fixture("twilio_sms_inbound.form");
    const message = channel.parseInbound(request(INBOUND_URL, rawBody));
    expect(message).toEqual({
      providerMessageId: "SM1f0e8b2c3d4a5b6c7d8e9f0a1b2c3d4e",
      channel: "sms",
      from: "+14155550123",
      to: "+14155550100",
      body: "Bonjour, where is my order #1001?",
      mediaUrls: [],
      raw: Object.fromEntries(new URLSearchParams(rawBody)),
    });
    expect(Object.keys(message.raw)).toHaveLength(20);
  });

  it("collects MMS media from NumMedia / MediaUrl{N}", () => {
    const rawBody = new URLSearchParams({
      MessageSid: "MM0123456789abcdef0123456789abcdef",
      From: "+14155550123",
      To: "+14155550100",
      Body: "",
      NumMedia: "2",
      MediaUrl0: "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0",
      MediaContentType0: "image/jpeg",
      MediaUrl1: "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1",
      MediaContentType1: "image/png",
    }).toString();
    const message = channel.parseInbound(request(INBOUND_URL, rawBody));
    expect(message.body).toBe("");
    expect(message.mediaUrls).toEqual([
      "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0",
      "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME1",
    ]);
  });

  it.each(["MessageSid", "From", "To"])("throws InvalidPayloadError without %s", (name) => {
    const form = new URLSearchParams(fixture("twilio_sms_inbound.form"));
    form.delete(name);
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
    form.set(name, "");
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
  });

  it("refuses a status callback posted to the inbound endpoint", () => {
    expect(() => channel.parseInbound(request(INBOUND_URL, fixture("twilio_status_delivered.form")))).toThrow(
      /status callback/,
    );
  });

  it("refuses a WhatsApp message on the SMS channel", () => {
    expect(() => channel.parseInbound(request(INBOUND_URL, fixture("twilio_whatsapp_inbound.form")))).toThrow(
      InvalidPayloadError,
    );
  });

  it("refuses an invalid NumMedia", () => {
    const form = new URLSearchParams(fixture("twilio_sms_inbound.form"));
    form.set("NumMedia", "two");
    expect(() => channel.parseInbound(request(INBOUND_URL, form.toString()))).toThrow(InvalidPayloadError);
  });
});

describe("twilio-sms parseStatuses", () => {
  const channel = channelWith();
  const statuses = (rawBody: string) => channel.parseStatuses(request(STATUS_CALLBACK_URL, rawBody));
  const statusForm = (params: Record<string, string>) =>
    new URLSearchParams({ MessageSid: "SM0123456789abcdef0123456789abcdef", To: "+14155550123", From: "+14155550100", ...params }).toString();

  it("reads the delivered fixture, every param kept in raw, no time (Twilio sends none with a zone)", () => {
    const rawBody = fixture("twilio_status_delivered.form");
    expect(statuses(rawBody)).toEqual([
      {
        providerMessageId: "SM3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f",
        state: "delivered",
        providerStatus: "delivered",
        errorCode: null,
        errorMessage: null,
        at: null,
        raw: Object.fromEntries(new URLSearchParams(rawBody)),
      },
    ]);
  });

  it("reads the failed fixture with Twilio's error code and what it means", () => {
    expect(statuses(fixture("twilio_status_failed.form"))).toMatchObject([
      {
        providerMessageId: "SM4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a",
        state: "failed",
        providerStatus: "failed",
        errorCode: "30008",
        errorMessage: "the carrier reported an unknown error",
      },
    ]);
  });

  it("reads undelivered (the carrier or handset refused) as failed, keeping Twilio's word", () => {
    expect(statuses(fixture("twilio_status_undelivered.form"))).toMatchObject([
      {
        providerMessageId: "SM5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b",
        state: "failed",
        providerStatus: "undelivered",
        errorCode: "30003",
        errorMessage: "the customer's phone is unreachable (switched off or out of coverage)",
      },
    ]);
  });

  it.each([
    ["accepted", "queued"],
    ["scheduled", "queued"],
    ["queued", "queued"],
    ["sending", "queued"],
    ["sent", "sent"],
    ["partially_delivered", "sent"],
    ["delivered", "delivered"],
    ["read", "read"],
    ["undelivered", "failed"],
    ["failed", "failed"],
    ["canceled", "failed"],
  ])("maps MessageStatus %s to %s", (status, state) => {
    expect(statuses(statusForm({ MessageStatus: status, SmsStatus: status }))).toMatchObject([{ state, providerStatus: status }]);
  });

  it("keeps error codes to failures, and Twilio's ErrorMessage for a code it does not explain", () => {
    expect(statuses(statusForm({ MessageStatus: "delivered", ErrorCode: "0" }))).toMatchObject([{ errorCode: null, errorMessage: null }]);
    expect(statuses(statusForm({ MessageStatus: "undelivered", ErrorCode: "30410", ErrorMessage: "Provider Timeout Error" }))).toMatchObject([
      { errorCode: "30410", errorMessage: "Provider Timeout Error" },
    ]);
    expect(statuses(statusForm({ MessageStatus: "canceled" }))).toMatchObject([
      { errorCode: null, errorMessage: "the scheduled message was canceled before it was sent" },
    ]);
  });

  it("finds no delivery report in a customer message", () => {
    expect(statuses(fixture("twilio_sms_inbound.form"))).toEqual([]);
    expect(statuses(fixture("twilio_whatsapp_inbound.form"))).toEqual([]);
    expect(statuses(statusForm({ MessageStatus: "received" }))).toEqual([]);
    expect(statuses(statusForm({ SmsStatus: "receiving" }))).toEqual([]);
  });

  it("refuses a status it does not know, and a report without MessageSid", () => {
    expect(() => statuses(statusForm({ MessageStatus: "lost" }))).toThrow(InvalidPayloadError);
    expect(() => statuses(statusForm({ MessageStatus: "constructor" }))).toThrow(InvalidPayloadError);
    const form = new URLSearchParams(fixture("twilio_status_delivered.form"));
    form.delete("MessageSid");
    form.delete("SmsSid");
    expect(() => statuses(form.toString())).toThrow(/without MessageSid/);
  });

  it("is signed like inbound webhooks: verify accepts the signed fixtures and refuses a changed status", () => {
    for (const vector of vectors.twilio.computed.filter((v) => v.form_body_file.includes("twilio_status_"))) {
      const rawBody = fixture(vector.form_body_file);
      expect(channel.verify(request(vector.url, rawBody, vector.expected_signature))).toEqual({ ok: true });
      const forged = rawBody.replace(/MessageStatus=\w+/, "MessageStatus=delivered").replace(/SmsStatus=\w+/, "SmsStatus=read");
      expect(forged).not.toBe(rawBody);
      expect(channel.verify(request(vector.url, forged, vector.expected_signature)).ok).toBe(false);
      expect(channelWith("another_auth_token_0000000000000").verify(request(vector.url, rawBody, vector.expected_signature)).ok).toBe(false);
    }
  });
});

describe("twilio-sms send (real SDK against the fake Twilio API)", () => {
  let fake: FakeTwilioApi;
  const message = {
    messageId: "msg_0001",
    channel: "sms" as const,
    from: "+14155550100",
    to: "+14155550123",
    body: "Bonjour Camille, la robe RF-2847 en 38 vous attend jusqu'à 19h ✨",
  };

  beforeEach(async () => {
    fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
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

  it("posts the message to apiBaseUrl with the account's Basic auth and returns Twilio's sid and status", async () => {
    const result = await channelWith(AUTH_TOKEN, fake.url).send(message);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent).toMatchObject({
      method: "POST",
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      form: { To: message.to, From: message.from, Body: message.body },
    });
    expect(Object.keys(sent?.form ?? {}).sort()).toEqual(["Body", "From", "To"]);
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`);
    expect(sent?.headers["user-agent"]).toMatch(/^twilio-node\//);
    const created = sent?.response.body as { sid: string };
    expect(result).toEqual({ providerMessageId: created.sid, status: "queued" });
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("ignores TWILIO_EDGE / TWILIO_REGION that the SDK would read from the environment", async () => {
    vi.stubEnv("TWILIO_EDGE", "sydney");
    vi.stubEnv("TWILIO_REGION", "au1");
    await channelWith(AUTH_TOKEN, fake.url).send(message);
    expect(fake.requests).toHaveLength(1);
  });

  it("asks Twilio for status callbacks at statusCallbackUrl when it is set", async () => {
    await channelWith(AUTH_TOKEN, fake.url, undefined, STATUS_CALLBACK_URL).send(message);
    const [sent] = fake.requests;
    expect(sent?.form).toEqual({ To: message.to, From: message.from, Body: message.body, StatusCallback: STATUS_CALLBACK_URL });
  });

  it("sends media as one MediaUrl param each (MMS), with the text", async () => {
    const mediaUrls = ["https://cdn.example.test/robe-rf-2847.jpg", "https://cdn.example.test/guide-des-tailles.png"];
    await channelWith(AUTH_TOKEN, fake.url).send({ ...message, mediaUrls });
    const form = new URLSearchParams(fake.requests[0]?.rawBody);
    expect(form.getAll("MediaUrl")).toEqual(mediaUrls);
    expect(form.get("Body")).toBe(message.body);
    expect(fake.requests[0]?.response.body).toMatchObject({ num_media: "2" });
  });

  it("refuses more than 10 media (Twilio's MMS limit), without calling Twilio", async () => {
    const mediaUrls = Array.from({ length: 11 }, (_, i) => `https://cdn.example.test/photo-${i}.jpg`);
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send({ ...message, mediaUrls }));
    expect(error.details).toEqual({ provider: "twilio", code: "too_many_media", retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it("sends the readable body, never a WhatsApp template, on SMS", async () => {
    const template = { name: "HX0123456789abcdef0123456789abcdef", language: "fr", variables: ["Camille"] };
    await channelWith(AUTH_TOKEN, fake.url).send({ ...message, template });
    expect(Object.keys(fake.requests[0]?.form ?? {}).sort()).toEqual(["Body", "From", "To"]);
  });

  it("maps 400 / 21211 (invalid To) to a non-retryable ProviderError with Twilio's code", async () => {
    fake.failNext(400, { code: 21211, message: "Invalid 'To' Phone Number: +1415555" });
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send({ ...message, to: "+1415555" }));
    expect(error.details).toEqual({ provider: "twilio", status: 400, code: 21211, retryable: false });
    expect(error.message).toContain("Invalid 'To' Phone Number");
  });

  it("maps a wrong auth token (401 / 20003) to a non-retryable ProviderError", async () => {
    const error = await rejection(channelWith("wrong_token_000000000000000000000", fake.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", status: 401, code: 20003, retryable: false });
  });

  it.each([500, 502, 503, 429])("maps HTTP %i to a retryable ProviderError, after exactly one request", async (status) => {
    fake.failNext(status);
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send(message));
    expect(error.details).toMatchObject({ provider: "twilio", status, code: 20000 + status, retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a non-JSON 5xx from a proxy to a retryable ProviderError", async () => {
    fake.failNext(502, "<html><body>Bad Gateway</body></html>");
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", status: 502, retryable: true });
  });

  it("maps a refused connection to a retryable ProviderError", async () => {
    const gone = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    await gone.close();
    const error = await rejection(channelWith(AUTH_TOKEN, gone.url).send(message));
    expect(error.details).toEqual({ provider: "twilio", code: "ECONNREFUSED", retryable: true });
  });

  it("maps a timeout to a retryable ProviderError", async () => {
    fake.stallNext();
    const error = await rejection(channelWith(AUTH_TOKEN, fake.url, 200).send(message));
    expect(error.details.retryable).toBe(true);
    expect(["ECONNABORTED", "ETIMEDOUT"]).toContain(error.details.code);
    expect(fake.requests).toHaveLength(1);
  });

  it("logs the outcome without the customer's number or text", async () => {
    const lines: string[] = [];
    const config = twilioSmsConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: fake.url });
    const channel = createTwilioSmsChannel({ config, logger: createLogger({ level: "debug", write: (l) => lines.push(l) }) });
    const result = await channel.send(message);
    fake.failNext(400, { code: 21211, message: `The 'To' number ${message.to} is not a valid phone number.` });
    const error = await rejection(channel.send(message));
    expect(error.message).toContain(message.to); // the error itself keeps it for support
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(result.providerMessageId);
    expect(lines[1]).toContain("21211");
    for (const line of lines) {
      expect(line).toContain("msg_0001");
      expect(line).not.toContain(message.to);
      expect(line).not.toContain("Camille");
      expect(line).not.toContain(AUTH_TOKEN);
    }
  });
});

describe("rewriteTwilioApiUri", () => {
  const uri = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=20`;

  it("moves Twilio's origin to apiBaseUrl, keeping path and query", () => {
    expect(rewriteTwilioApiUri(uri, "http://127.0.0.1:4010")).toBe(
      `http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=20`,
    );
  });

  it("keeps a path prefix of apiBaseUrl, with or without a trailing slash", () => {
    const expected = `https://sms.example.com/twilio/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=20`;
    expect(rewriteTwilioApiUri(uri, "https://sms.example.com/twilio")).toBe(expected);
    expect(rewriteTwilioApiUri(uri, "https://sms.example.com/twilio/")).toBe(expected);
  });

  it("is the identity with the default base URL", () => {
    expect(rewriteTwilioApiUri(uri, TWILIO_API_BASE_URL)).toBe(uri);
  });

  it("also moves the edge / region hosts the SDK derives from the environment", () => {
    expect(rewriteTwilioApiUri(uri.replace("api.twilio.com", "api.sydney.au1.twilio.com"), "http://127.0.0.1:4010")).toBe(
      `http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=20`,
    );
  });

  it.each([
    "https://messaging.twilio.com/v1/Services",
    "https://api.twilio.com.evil.example/2010-04-01/Accounts",
    "http://api.twilio.com/2010-04-01/Accounts",
    "https://api.twilio.com:8443/2010-04-01/Accounts",
  ])("refuses any other origin (%s)", (other) => {
    expect(() => rewriteTwilioApiUri(other, "http://127.0.0.1:4010")).toThrow(/refusing/);
  });
});

describe("twilio-sms config", () => {
  it("accepts the settings and defaults apiBaseUrl to Twilio", () => {
    expect(twilioSmsConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN })).toEqual({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: "https://api.twilio.com",
    });
  });

  it.each([
    [{ accountSid: "AC123", authToken: AUTH_TOKEN }, "accountSid must be 'AC' followed by 32 hexadecimal characters"],
    [{ accountSid: `SK${"0".repeat(32)}`, authToken: AUTH_TOKEN }, "accountSid must be 'AC'"],
    [{ authToken: AUTH_TOKEN }, "accountSid is required"],
    [{ accountSid: ACCOUNT_SID, authToken: "" }, "authToken is required"],
    [{ accountSid: ACCOUNT_SID, authToken: `${AUTH_TOKEN}\n` }, "authToken has leading or trailing whitespace"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: "api.twilio.com" }, "apiBaseUrl must be an absolute URL"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: "http://sms.example.com" }, "apiBaseUrl must use https"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: "https://sms.example.com/?a=1" }, "without query"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, statusCallbackUrl: "/webhooks/channels/twilio/status" }, "statusCallbackUrl must be an absolute URL"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, statusCallbackUrl: "ftp://app.example.test/status" }, "statusCallbackUrl must be an http(s) URL"],
    [{ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, statusCallbackUrl: "https://my_app.example.test/status" }, "no underscore"],
  ])("rejects %j with a clear message", (input, message) => {
    const result = twilioSmsConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toContain(message);
  });

  it("keeps statusCallbackUrl as given, query included (Twilio signs the callback over it)", () => {
    const statusCallbackUrl = `${STATUS_CALLBACK_URL}?shop=1`;
    expect(twilioSmsConfigSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, statusCallbackUrl })).toMatchObject({ statusCallbackUrl });
  });

  it("accepts plain http only on loopback (local fakes)", () => {
    expect(twilioSmsConfigSchema.safeParse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: "http://127.0.0.1:4010" }).success).toBe(true);
    expect(twilioSmsConfigSchema.safeParse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: "http://localhost:4010" }).success).toBe(true);
  });
});

describe("twilio-sms plugin definition", () => {
  it("declares itself and creates the channel from parsed settings", () => {
    expect(twilioSmsPlugin).toMatchObject({ id: "twilio-sms", provider: "twilio", channel: "sms" });
    const config = twilioSmsPlugin.configSchema.parse({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const channel = twilioSmsPlugin.create({ config, logger: silentLogger });
    expect(channel.provider).toBe("twilio");
    expect(channel.channel).toBe("sms");
    expect(channel.capabilities).toEqual({ maxLength: 1600, media: true });
  });
});
