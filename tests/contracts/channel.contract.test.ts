/**
 * Every channel plugin passes the same `Channel` contract against its local fake provider.
 * A new channel adds one `runChannelContract(...)` call here (with its setup helper below).
 */
import { readFileSync } from "node:fs";
import { silentLogger } from "~/lib/logger.server";
import { twilioSmsPlugin } from "~/plugins/channels/twilio-sms";
import type { InboundHttpRequest } from "~/plugins/types";
import { startFakeTwilioApi, twilioWebhookSignature } from "../fakes/twilio-api.server";
import { runChannelContract, type ChannelContractSubject } from "./channel.contract";

runChannelContract("twilio-sms", twilioSmsSubject);

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
    signInbound(params, options): InboundHttpRequest {
      const rawBody = new URLSearchParams(params).toString();
      const signature = twilioWebhookSignature(options?.secret ?? authToken, webhookUrl, rawBody);
      return {
        url: webhookUrl,
        headers: new Headers({ "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }),
        rawBody,
      };
    },
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

function sidOf(body: unknown): string | null {
  return typeof body === "object" && body !== null && "sid" in body && typeof body.sid === "string" ? body.sid : null;
}
