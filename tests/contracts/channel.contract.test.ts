/**
 * Every channel plugin passes the same `Channel` contract against its local fake provider.
 * A new channel adds one `runChannelContract(...)` call here (with its setup helper below).
 */
import { readFileSync } from "node:fs";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { metaWhatsappPlugin } from "~/plugins/channels/meta-whatsapp";
import { resendEmailPlugin } from "~/plugins/channels/resend-email";
import { twilioSmsPlugin } from "~/plugins/channels/twilio-sms";
import { twilioWhatsappPlugin } from "~/plugins/channels/twilio-whatsapp";
import type { InboundHttpRequest } from "~/plugins/types";
import { metaWebhookSignature, startFakeMetaGraphApi } from "../fakes/meta-graph-api.server";
import { resendWebhookHeaders, startFakeResendApi } from "../fakes/resend-api.server";
import { startFakeTwilioApi, twilioWebhookSignature } from "../fakes/twilio-api.server";
import { runChannelContract, type ChannelContractSubject } from "./channel.contract";

runChannelContract("twilio-sms", twilioSmsSubject);
runChannelContract("twilio-whatsapp", twilioWhatsappSubject);
runChannelContract("resend-email", resendEmailSubject);
runChannelContract("meta-whatsapp", metaWhatsappSubject);

/** Twilio form webhooks (SMS and WhatsApp alike) signed as Twilio signs them, with another secret on demand. */
function twilioSigner(authToken: string, webhookUrl: string) {
  return (params: Record<string, string>, options?: { secret?: string }): InboundHttpRequest => {
    const rawBody = new URLSearchParams(params).toString();
    const signature = twilioWebhookSignature(options?.secret ?? authToken, webhookUrl, rawBody);
    return {
      url: webhookUrl,
      headers: new Headers({ "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }),
      rawBody,
    };
  };
}

async function twilioSmsSubject(): Promise<ChannelContractSubject<Record<string, string>>> {
  const accountSid = "AC0123456789abcdef0123456789abcdef";
  const authToken = "test_twilio_auth_token_00000000";
  const webhookUrl = "https://app.example.test/webhooks/twilio/sms";
  const fake = await startFakeTwilioApi({ accountSid, authToken });
  const config = twilioSmsPlugin.configSchema.parse({ accountSid, authToken, apiBaseUrl: fake.url });
  const form = readFileSync(new URL("../../app/plugins/channels/twilio-sms/fixtures/twilio_sms_inbound.form", import.meta.url), "utf8");

  return {
    channel: twilioSmsPlugin.create({ config, logger: silentLogger }),
    inbound: {
      payload: Object.fromEntries(new URLSearchParams(form)),
      expected: {
        providerMessageId: "SM1f0e8b2c3d4a5b6c7d8e9f0a1b2c3d4e",
        from: "+14155550123",
        to: "+14155550100",
        body: "Bonjour, where is my order #1001?",
      },
    },
    signInbound: twilioSigner(authToken, webhookUrl),
    statuses: twilioStatusFixtures(),
    addresses: { from: "+14155550100", to: "+14155550123" },
    fakeProvider: {
      get requests() {
        return fake.requests.map((request) => ({
          to: request.form.To ?? "",
          from: request.form.From ?? "",
          body: request.form.Body ?? "",
          providerMessageId: sidOf(request.response.body),
        }));
      },
      failNext: (status) => fake.failNext(status),
    },
    close: () => fake.close(),
  };
}

/** Twilio's status callbacks (SMS and WhatsApp alike), from the twilio-sms fixtures. */
function twilioStatusFixtures(): NonNullable<ChannelContractSubject<Record<string, string>>["statuses"]> {
  const form = (name: string) =>
    Object.fromEntries(new URLSearchParams(readFileSync(new URL(`../../app/plugins/channels/twilio-sms/fixtures/${name}`, import.meta.url), "utf8")));
  return [
    { name: "delivered", payload: form("twilio_status_delivered.form"), expected: { providerMessageId: "SM3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f", state: "delivered", errorCode: null } },
    { name: "undelivered", payload: form("twilio_status_undelivered.form"), expected: { providerMessageId: "SM5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", state: "failed", errorCode: "30003" } },
  ];
}

function sidOf(body: unknown): string | null {
  return typeof body === "object" && body !== null && "sid" in body && typeof body.sid === "string" ? body.sid : null;
}

async function resendEmailSubject(): Promise<ChannelContractSubject<unknown>> {
  const apiKey = "re_contract_0123456789";
  const webhookSecret = "whsec_dGVzdC1yZXNlbmQtc2lnbmluZy1zZWNyZXQtMzJieXQ=";
  const clock = createManualClock(new Date("2026-01-12T10:20:00Z"));
  const fake = await startFakeResendApi({ apiKey });
  const config = resendEmailPlugin.configSchema.parse({ apiKey, webhookSecret, apiBaseUrl: fake.url, fromAddress: "Boutique <bonjour@resend.dev>" });
  const received = readFileSync(new URL("../../app/plugins/channels/resend-email/fixtures/resend_email_received.json", import.meta.url), "utf8");
  const at = Math.floor(clock.now().getTime() / 1000);

  return {
    channel: resendEmailPlugin.create({ config, logger: silentLogger, clock }),
    inbound: {
      payload: JSON.parse(received) as unknown,
      // `email.received` carries metadata only: the body comes from `fetchInbound` (tested with the plugin).
      expected: { providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618", from: "onboarding@resend.dev", to: "delivered@resend.dev", body: "" },
    },
    signInbound(payload, options): InboundHttpRequest {
      const rawBody = JSON.stringify(payload);
      return { url: "https://app.example.test/webhooks/resend/email", headers: new Headers(resendWebhookHeaders(options?.secret ?? webhookSecret, "msg_contract_1", at, rawBody)), rawBody };
    },
    statuses: [
      { name: "delivered", payload: resendFixture("resend_email_delivered.json"), expected: { providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618", state: "delivered", errorCode: null } },
      { name: "bounced", payload: resendFixture("resend_email_bounced.json"), expected: { providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618", state: "failed", errorCode: "bounce:Permanent:Suppressed" } },
    ],
    addresses: { from: "Boutique <bonjour@resend.dev>", to: "julie@example.fr" },
    fakeProvider: {
      get requests() {
        return fake.requests.map((request) => {
          const to = request.json?.to;
          const body = request.response.body;
          return {
            to: Array.isArray(to) && typeof to[0] === "string" ? to[0] : "",
            from: typeof request.json?.from === "string" ? request.json.from : "",
            body: typeof request.json?.text === "string" ? request.json.text : "",
            providerMessageId: typeof body === "object" && body !== null && "id" in body && typeof body.id === "string" ? body.id : null,
          };
        });
      },
      failNext: (status) => fake.failNext(status),
    },
    close: () => fake.close(),
  };
}

function resendFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../app/plugins/channels/resend-email/fixtures/${name}`, import.meta.url), "utf8")) as unknown;
}

async function twilioWhatsappSubject(): Promise<ChannelContractSubject<Record<string, string>>> {
  const accountSid = "AC0123456789abcdef0123456789abcdef";
  const authToken = "test_twilio_auth_token_00000000";
  const webhookUrl = "https://app.example.test/webhooks/twilio/whatsapp";
  const fake = await startFakeTwilioApi({ accountSid, authToken });
  const config = twilioWhatsappPlugin.configSchema.parse({ accountSid, authToken, apiBaseUrl: fake.url });
  const form = readFileSync(
    new URL("../../app/plugins/channels/twilio-whatsapp/fixtures/twilio_whatsapp_inbound.form", import.meta.url),
    "utf8",
  );
  // On the wire Twilio's WhatsApp addresses are `whatsapp:+E164`; the contract speaks plain E.164.
  // An address sent without the prefix is reported as it is, so the contract's match fails.
  const unprefixed = (address: string | undefined): string =>
    address?.startsWith("whatsapp:") ? address.slice("whatsapp:".length) : `(no whatsapp: prefix) ${address ?? ""}`;

  return {
    channel: twilioWhatsappPlugin.create({ config, logger: silentLogger }),
    inbound: {
      payload: Object.fromEntries(new URLSearchParams(form)),
      expected: {
        providerMessageId: "SM2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d",
        from: "+33639980001",
        to: "+14155238886",
        body: "Bonjour, je voudrais suivre ma commande #1001",
      },
    },
    signInbound: twilioSigner(authToken, webhookUrl),
    statuses: twilioStatusFixtures(),
    addresses: { from: "+14155238886", to: "+33639980001" },
    fakeProvider: {
      get requests() {
        return fake.requests.map((request) => ({
          to: unprefixed(request.form.To),
          from: unprefixed(request.form.From),
          body: request.form.Body ?? "",
          providerMessageId: sidOf(request.response.body),
        }));
      },
      failNext: (status) => fake.failNext(status),
    },
    close: () => fake.close(),
  };
}

async function metaWhatsappSubject(): Promise<ChannelContractSubject<unknown>> {
  const accessToken = "EAAG_contract_meta_token";
  const appSecret = "test_meta_app_secret";
  const phoneNumberId = "106540352242922";
  const fake = await startFakeMetaGraphApi({ accessToken, phoneNumbers: { [phoneNumberId]: "+15550783881" } });
  const config = metaWhatsappPlugin.configSchema.parse({ accessToken, appSecret, verifyToken: "contract-verify-token", phoneNumberId, graphBaseUrl: fake.url });
  const inbound = readFileSync(new URL("../../app/plugins/channels/meta-whatsapp/fixtures/meta_whatsapp_inbound_text.json", import.meta.url), "utf8");

  return {
    channel: metaWhatsappPlugin.create({ config, logger: silentLogger }),
    inbound: {
      payload: JSON.parse(inbound) as unknown,
      expected: {
        providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
        from: "+16505551234",
        to: "+15550783881",
        body: "Does it come in another color?",
      },
    },
    signInbound(payload, options): InboundHttpRequest {
      const rawBody = JSON.stringify(payload);
      const signature = metaWebhookSignature(options?.secret ?? appSecret, rawBody);
      return { url: "https://app.example.test/webhooks/meta/whatsapp", headers: new Headers({ "content-type": "application/json", "x-hub-signature-256": signature }), rawBody };
    },
    // The sender is the number behind the configured phone number id: the fake reports its display number.
    addresses: { from: "+15550783881", to: "+16505551234" },
    fakeProvider: {
      get requests() {
        return fake.requests.map((request) => {
          const text = request.json?.text;
          const body = request.response.body;
          const [sent] = typeof body === "object" && body !== null && "messages" in body && Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
          return {
            to: typeof request.json?.to === "string" ? request.json.to : "",
            from: request.from ?? "",
            body: typeof text === "object" && text !== null && "body" in text && typeof text.body === "string" ? text.body : "",
            providerMessageId: typeof sent === "object" && sent !== null && "id" in sent && typeof sent.id === "string" ? sent.id : null,
          };
        });
      },
      failNext: (status) => fake.failNext(status),
    },
    close: () => fake.close(),
  };
}
