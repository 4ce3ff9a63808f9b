import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  receivedEmailFixture,
  resendWebhookHeaders,
  startFakeResendApi,
  type FakeResendApi,
} from "../../../../tests/fakes/resend-api.server";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, NothingToReadError, ProviderError, type InboundHttpRequest } from "~/plugins/types";
import { createResendEmailChannel, emailAddress, htmlToText, verifySvixSignature, type ResendEmailChannel } from "./channel.server";
import { RESEND_API_BASE_URL, resendEmailConfigSchema } from "./config";
import { resendEmailPlugin } from "./index";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const API_KEY = "re_test_0123456789";
const SECRET = "whsec_dGVzdC1yZXNlbmQtc2lnbmluZy1zZWNyZXQtMzJieXQ=";
const URL_ = "https://app.example.test/webhooks/resend/email";
const NOW = new Date("2026-01-12T10:20:00Z");

interface Vectors {
  svix_resend: {
    documented: Array<{ secret: string; "svix-id": string; "svix-timestamp": string; body: string; expected_svix_signature: string }>;
    computed: Array<{ body_file: string; secret: string; "svix-id": string; "svix-timestamp": string; expected_svix_signature: string }>;
  };
}
const vectors = JSON.parse(readFileSync(path.join(FIXTURES, "signature-vectors.resend.json"), "utf8")) as Vectors;
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, path.basename(name)), "utf8");

function signed(rawBody: string, at: Date, secret = SECRET, id = "msg_test_1"): InboundHttpRequest {
  return { url: URL_, headers: new Headers(resendWebhookHeaders(secret, id, Math.floor(at.getTime() / 1000), rawBody)), rawBody };
}

describe("verifySvixSignature", () => {
  it("accepts Svix's documented vector (tolerance off: its timestamp is from 2021)", () => {
    for (const v of vectors.svix_resend.documented) {
      const input = { secret: v.secret, id: v["svix-id"], timestamp: v["svix-timestamp"], signature: v.expected_svix_signature, rawBody: v.body };
      expect(verifySvixSignature({ ...input, now: null })).toEqual({ ok: true });
      // With the clock on, the same request is a replay.
      expect(verifySvixSignature({ ...input, now: NOW }).ok).toBe(false);
    }
  });

  it.each(vectors.svix_resend.computed.map((v) => [v.body_file, v] as const))("accepts the computed vector over %s", (_file, v) => {
    const rawBody = fixture(v.body_file);
    const input = { secret: v.secret, id: v["svix-id"], timestamp: v["svix-timestamp"], signature: v.expected_svix_signature, rawBody };
    expect(verifySvixSignature({ ...input, now: null })).toEqual({ ok: true });
    // Within 5 minutes of the timestamp it passes with the clock on too; 5 min + 1 s later it does not.
    const ts = Number(v["svix-timestamp"]) * 1000;
    expect(verifySvixSignature({ ...input, now: new Date(ts + 300_000) })).toEqual({ ok: true });
    expect(verifySvixSignature({ ...input, now: new Date(ts + 301_000) }).ok).toBe(false);
    expect(verifySvixSignature({ ...input, now: new Date(ts - 301_000) }).ok).toBe(false);
    expect(verifySvixSignature({ ...input, rawBody: rawBody.replace("56761188", "56761189"), now: null }).ok).toBe(false);
    expect(verifySvixSignature({ ...input, id: "msg_other", now: null }).ok).toBe(false);
  });

  it("accepts any matching entry of a space-delimited list (secret rotation) and ignores other versions", () => {
    const v = vectors.svix_resend.documented[0];
    if (!v) throw new Error("no documented vector");
    const base = { secret: v.secret, id: v["svix-id"], timestamp: v["svix-timestamp"], rawBody: v.body, now: null };
    const wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    expect(verifySvixSignature({ ...base, signature: `${wrong} ${v.expected_svix_signature}` })).toEqual({ ok: true });
    expect(verifySvixSignature({ ...base, signature: wrong }).ok).toBe(false);
    expect(verifySvixSignature({ ...base, signature: v.expected_svix_signature.replace("v1,", "v2,") }).ok).toBe(false);
    expect(verifySvixSignature({ ...base, timestamp: "12ab", signature: v.expected_svix_signature }).ok).toBe(false);
  });
});

describe("resend-email channel", () => {
  let fake: FakeResendApi;
  let clock: ManualClock;
  let channel: ResendEmailChannel;
  const receivedBody = fixture("resend_email_received.json");

  beforeEach(async () => {
    fake = await startFakeResendApi({ apiKey: API_KEY, received: [receivedEmailFixture()] });
    clock = createManualClock(NOW);
    const config = resendEmailConfigSchema.parse({ apiKey: API_KEY, webhookSecret: SECRET, apiBaseUrl: fake.url, fromAddress: "Boutique <bonjour@resend.dev>" });
    channel = createResendEmailChannel({ config, logger: silentLogger, clock, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("verifies a webhook signed now, not one 6 minutes old, nor a tampered or unsigned one", () => {
    const request = signed(receivedBody, NOW);
    expect(channel.verify(request)).toEqual({ ok: true });
    clock.advance(6 * 60_000);
    const expired = channel.verify(request);
    expect(expired).toMatchObject({ ok: false });
    clock.set(NOW);
    expect(channel.verify({ ...request, rawBody: receivedBody.replace("Sending", "Sendinh") }).ok).toBe(false);
    expect(channel.verify(signed(receivedBody, NOW, "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0wMDAwMDA=")).ok).toBe(false);
    expect(channel.verify({ ...request, headers: new Headers() })).toMatchObject({ ok: false });
  });

  it("parses email.received synchronously: ids, addresses lower-cased, subject and Message-ID in raw, no body", () => {
    const message = channel.parseInbound(signed(receivedBody, NOW));
    expect(message).toMatchObject({
      providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618",
      channel: "email",
      from: "onboarding@resend.dev",
      to: "delivered@resend.dev",
      body: "",
      mediaUrls: [],
    });
    expect(message.raw).toMatchObject({ subject: "Sending this example", message_id: "<example+123>", attachment_ids: "2a0c9ce0-3112-4728-976e-47ddcd16a318" });
    expect(message.raw.payload).toBe(receivedBody);
  });

  it("uses a text body when the payload has one, quotes stripped, and picks the shop's address among several", () => {
    const payload = JSON.parse(receivedBody) as { data: Record<string, unknown> };
    payload.data.text = "Dispo en 38 ?\n\nOn Mon, Jan 12, 2026 at 10:15 AM Shop <a@b.c> wrote:\n> hello";
    payload.data.to = ["Someone <Other@Elsewhere.example>", "Boutique <Delivered@Resend.dev>"];
    payload.data.from = "Julie Martin <Julie.Martin@Example.FR>";
    const message = channel.parseInbound(signed(JSON.stringify(payload), NOW));
    expect(message).toMatchObject({ body: "Dispo en 38 ?", to: "delivered@resend.dev", from: "julie.martin@example.fr" });
  });

  it.each(["resend_email_delivered.json", "resend_email_bounced.json"])("refuses %s as an inbound message", (file) => {
    expect(() => channel.parseInbound(signed(fixture(file), NOW))).toThrow(InvalidPayloadError);
  });

  it("refuses malformed payloads", () => {
    expect(() => channel.parseInbound(signed("not json", NOW))).toThrow(InvalidPayloadError);
    expect(() => channel.parseInbound(signed(JSON.stringify({ type: "email.received", data: { from: "a@b.c", to: ["d@e.f"] } }), NOW))).toThrow(/email_id/);
  });

  it("fetchInbound fetches the email with the API key and returns the customer's text without quote or signature", async () => {
    const message = await channel.fetchInbound(signed(receivedBody, NOW));
    expect(message).toMatchObject({
      providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618",
      from: "onboarding@resend.dev",
      to: "delivered@resend.dev",
      body: "Oui, gardez-moi la robe en 38, je passe à 17h.",
    });
    expect(message.raw).toMatchObject({ subject: "Sending this example", message_id: "<example+123>", in_reply_to: "<reply-1@coccinelle.fr>" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/emails/receiving/56761188-7520-42d8-8898-ff6fc54ce618" });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("fetchInbound falls back to the HTML part when there is no text part", async () => {
    const email = receivedEmailFixture();
    fake.received.set(email.id, { ...email, text: null });
    const message = await channel.fetchInbound(signed(receivedBody, NOW));
    expect(message.body).toBe("Oui, gardez-moi la robe en 38, je passe à 17h.");
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
  ])("fetchInbound maps HTTP %i to a ProviderError (retryable %s)", async (status, retryable) => {
    if (status === 404) fake.received.clear();
    else fake.failNext(status);
    const error = await channel.fetchInbound(signed(receivedBody, NOW)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).details).toMatchObject({ provider: "resend", status, retryable });
  });

  it("sends subject, text, html, reply_to, threading headers, List-Unsubscribe and our id as Idempotency-Key", async () => {
    const config = resendEmailConfigSchema.parse({
      apiKey: API_KEY,
      webhookSecret: SECRET,
      apiBaseUrl: fake.url,
      fromAddress: "Boutique <bonjour@coccinelle.fr>",
      listUnsubscribe: "<mailto:unsubscribe@coccinelle.fr>",
    });
    const sender = createResendEmailChannel({ config, logger: silentLogger, clock });
    const result = await sender.send({
      messageId: "msg_0001",
      channel: "email",
      from: "Boutique <bonjour@coccinelle.fr>",
      to: "julie@example.fr",
      body: "Bonjour Julie, la robe est réservée.",
      subject: "Re: Robe RF-2847",
      html: "<p>Bonjour Julie, la robe est réservée.</p>",
      inReplyTo: "<abc@mail.example.fr>",
      references: ["<first@coccinelle.fr>"],
      replyTo: "bonjour@coccinelle.fr",
    });
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.headers["idempotency-key"]).toBe("msg_0001");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.json).toEqual({
      from: "Boutique <bonjour@coccinelle.fr>",
      to: ["julie@example.fr"],
      subject: "Re: Robe RF-2847",
      text: "Bonjour Julie, la robe est réservée.",
      html: "<p>Bonjour Julie, la robe est réservée.</p>",
      reply_to: "bonjour@coccinelle.fr",
      headers: {
        "In-Reply-To": "<abc@mail.example.fr>",
        References: "<first@coccinelle.fr> <abc@mail.example.fr>",
        "List-Unsubscribe": "<mailto:unsubscribe@coccinelle.fr>",
      },
    });
    expect(result).toEqual({ providerMessageId: (request?.response.body as { id: string }).id, status: "accepted" });
    // The same message again (a retried job) is the same email at Resend.
    const again = await sender.send({ messageId: "msg_0001", channel: "email", from: "Boutique <bonjour@coccinelle.fr>", to: "julie@example.fr", body: "Bonjour Julie, la robe est réservée.", subject: "Re: Robe RF-2847", html: "<p>Bonjour Julie, la robe est réservée.</p>", inReplyTo: "<abc@mail.example.fr>", references: ["<first@coccinelle.fr>"], replyTo: "bonjour@coccinelle.fr" });
    expect(again.providerMessageId).toBe(result.providerMessageId);
  });

  it("sends a plain OutboundMessage with the default subject and no extra headers", async () => {
    await channel.send({ messageId: "msg_0002", channel: "email", from: "", to: "julie@example.fr", body: "Bonjour" });
    expect(fake.requests[0]?.json).toEqual({ from: "Boutique <bonjour@resend.dev>", to: ["julie@example.fr"], subject: "Votre message", text: "Bonjour" });
  });

  it("maps a wrong API key (403) to a non-retryable error and an unreachable API to a retryable one", async () => {
    const config = resendEmailConfigSchema.parse({ apiKey: "re_wrong", webhookSecret: SECRET, apiBaseUrl: fake.url, fromAddress: "a@b.c" });
    const wrongKey = createResendEmailChannel({ config, logger: silentLogger, clock });
    const refused = await wrongKey.send({ messageId: "m", channel: "email", from: "a@b.c", to: "d@e.f", body: "x" }).catch((e: unknown) => e);
    expect((refused as ProviderError).details).toMatchObject({ status: 403, code: "invalid_api_key", retryable: false });

    const url = fake.url;
    await fake.close();
    const down = createResendEmailChannel({ config: { ...config, apiBaseUrl: url }, logger: silentLogger, clock });
    const unreachable = await down.send({ messageId: "m", channel: "email", from: "a@b.c", to: "d@e.f", body: "x" }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ProviderError);
    expect((unreachable as ProviderError).details).toMatchObject({ provider: "resend", retryable: true });
    fake = await startFakeResendApi({ apiKey: API_KEY }); // afterEach closes it
  });

  it("maps a proxy's HTML 502 page to a retryable error", async () => {
    fake.failNext(502, "<html>Bad Gateway</html>");
    const error = await channel.send({ messageId: "m", channel: "email", from: "a@b.c", to: "d@e.f", body: "x" }).catch((e: unknown) => e);
    expect((error as ProviderError).details).toMatchObject({ status: 502, retryable: true });
  });
});

describe("resend-email parseStatuses", () => {
  const config = resendEmailConfigSchema.parse({ apiKey: API_KEY, webhookSecret: SECRET, fromAddress: "Boutique <bonjour@resend.dev>" });
  const channel = createResendEmailChannel({ config, logger: silentLogger, clock: createManualClock(NOW) });
  const EMAIL_ID = "56761188-7520-42d8-8898-ff6fc54ce618";
  const statuses = (rawBody: string) => channel.parseStatuses(signed(rawBody, NOW));
  /** The delivered fixture turned into another event, with extra `data` fields. */
  const event = (type: string, data: Record<string, unknown> = {}) => {
    const payload = JSON.parse(fixture("resend_email_delivered.json")) as { type: string; data: Record<string, unknown> };
    return JSON.stringify({ ...payload, type, data: { ...payload.data, ...data } });
  };

  it("reads the delivered fixture, with the event time", () => {
    const rawBody = fixture("resend_email_delivered.json");
    expect(statuses(rawBody)).toEqual([
      {
        providerMessageId: EMAIL_ID,
        state: "delivered",
        providerStatus: "email.delivered",
        errorCode: null,
        errorMessage: null,
        at: new Date("2024-02-22T23:41:12.126Z"),
        raw: { type: "email.delivered", email_id: EMAIL_ID, created_at: "2024-02-22T23:41:12.126Z", to: "delivered@resend.dev", payload: rawBody },
      },
    ]);
  });

  it("reads the bounced fixture as failed, the code from bounce type and subType, the message from Resend", () => {
    const [update] = statuses(fixture("resend_email_bounced.json"));
    expect(update).toMatchObject({
      providerMessageId: EMAIL_ID,
      state: "failed",
      providerStatus: "email.bounced",
      errorCode: "bounce:Permanent:Suppressed",
      errorMessage: "The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.",
      at: new Date("2024-11-22T23:41:12.126Z"),
    });
    expect(update?.raw).toMatchObject({ bounce_type: "Permanent", bounce_sub_type: "Suppressed" });
  });

  it.each([
    ["email.scheduled", "queued"],
    ["email.sent", "sent"],
    ["email.delivery_delayed", "sent"],
    ["email.delivered", "delivered"],
    ["email.complained", "delivered"],
    ["email.opened", "read"],
    ["email.clicked", "read"],
  ])("maps %s to %s, without an error", (type, state) => {
    expect(statuses(event(type))).toMatchObject([{ providerMessageId: EMAIL_ID, state, providerStatus: type, errorCode: null, errorMessage: null }]);
  });

  it("reads email.failed and email.suppressed as failed, with Resend's reason", () => {
    expect(statuses(event("email.failed", { failed: { reason: "reached_daily_quota" } }))).toMatchObject([
      { state: "failed", errorCode: "failed:reached_daily_quota", errorMessage: "Resend could not send the email: reached daily quota" },
    ]);
    const message = "Resend has suppressed sending to this address because it is on the account-level suppression list.";
    expect(statuses(event("email.suppressed", { suppressed: { type: "OnAccountSuppressionList", message } }))).toMatchObject([
      { state: "failed", errorCode: "suppressed:OnAccountSuppressionList", errorMessage: message },
    ]);
    expect(statuses(event("email.bounced", { bounce: { type: "Transient" } }))).toMatchObject([{ errorCode: "bounce:Transient", errorMessage: null }]);
  });

  it("finds no delivery report in an inbound email or an event about something else", () => {
    expect(statuses(fixture("resend_email_received.json"))).toEqual([]);
    expect(statuses(JSON.stringify({ type: "contact.created", created_at: "2024-11-17T19:32:22.980Z", data: { id: "e169aa45" } }))).toEqual([]);
  });

  it("acknowledges other events rather than refusing them, and points delivery events to parseStatuses", () => {
    const domainEvent = JSON.stringify({ type: "domain.updated", data: { id: "d91cd9bd" } });
    expect(() => channel.parseInbound(signed(domainEvent, NOW))).toThrow(NothingToReadError);
    const delivered = (() => {
      try {
        channel.parseInbound(signed(fixture("resend_email_delivered.json"), NOW));
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(delivered).toBeInstanceOf(InvalidPayloadError);
    expect(delivered).not.toBeInstanceOf(NothingToReadError);
    expect(String(delivered)).toContain("parseStatuses");
  });

  it("refuses malformed delivery events", () => {
    expect(() => statuses("not json")).toThrow(InvalidPayloadError);
    expect(() => statuses(JSON.stringify({ type: "email.delivered", data: { to: ["a@b.c"] } }))).toThrow(/data.email_id/);
    expect(() => statuses(JSON.stringify({ type: "email.bounced" }))).toThrow(/without data/);
  });

  it("gives no time for a created_at that is not a date", () => {
    const payload = JSON.parse(event("email.opened")) as Record<string, unknown>;
    expect(statuses(JSON.stringify({ ...payload, created_at: "yesterday" }))).toMatchObject([{ state: "read", at: null }]);
  });

  it("verifies delivery events like inbound ones: a changed event or another secret is refused", () => {
    const rawBody = fixture("resend_email_bounced.json");
    const request = signed(rawBody, NOW);
    expect(channel.verify(request)).toEqual({ ok: true });
    const forged = rawBody.replace('"email.bounced"', '"email.delivered"');
    expect(forged).not.toBe(rawBody);
    expect(channel.verify({ ...request, rawBody: forged }).ok).toBe(false);
    expect(channel.verify(signed(rawBody, NOW, "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0wMDAwMDA=")).ok).toBe(false);
  });
});

describe("helpers and config", () => {
  it("reads addresses and HTML", () => {
    expect(emailAddress("Julie <Julie@Example.FR>")).toBe("julie@example.fr");
    expect(emailAddress(" Bob@X.io ")).toBe("bob@x.io");
    expect(htmlToText("<p>A &amp; B</p><div>C<br>D</div><blockquote>old</blockquote>").trim()).toBe("A & B\nC\nD");
  });

  it("validates settings", () => {
    const parsed = resendEmailConfigSchema.parse({ apiKey: "re_1", webhookSecret: SECRET, fromAddress: "a@b.c" });
    expect(parsed.apiBaseUrl).toBe(RESEND_API_BASE_URL);
    expect(resendEmailConfigSchema.safeParse({ apiKey: "re_1", webhookSecret: "not-a-secret", fromAddress: "a@b.c" }).success).toBe(false);
    expect(resendEmailConfigSchema.safeParse({ apiKey: "re_1", webhookSecret: SECRET, fromAddress: "a@b.c", apiBaseUrl: "http://api.example.com" }).success).toBe(false);
    expect(resendEmailConfigSchema.safeParse({ apiKey: " re_1", webhookSecret: SECRET, fromAddress: "a@b.c" }).success).toBe(false);
  });

  it("declares the plugin", () => {
    expect(resendEmailPlugin).toMatchObject({ id: "resend-email", provider: "resend", channel: "email" });
    const config = resendEmailPlugin.configSchema.parse({ apiKey: "re_1", webhookSecret: SECRET, fromAddress: "a@b.c" });
    const created = resendEmailPlugin.create({ config, logger: silentLogger, clock: createManualClock(NOW) });
    expect(created.capabilities).toEqual({ maxLength: 100_000, media: true });
  });
});
