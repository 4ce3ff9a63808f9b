/**
 * The twilio-whatsapp `Channel`: verifies and parses Twilio's inbound WhatsApp webhooks and status
 * callbacks, and sends WhatsApp messages (free text, media, approved templates) through the twilio
 * SDK. Twilio carries WhatsApp on the same Programmable Messaging API as SMS
 * (`POST /2010-04-01/Accounts/{sid}/Messages.json`, same webhook signature); the difference is the
 * address: `whatsapp:+E164` on the wire, in both directions.
 * https://www.twilio.com/docs/whatsapp/api#sending-messages
 */
import type { Logger } from "~/lib/logger.server";
import {
  InvalidPayloadError,
  type DeliveryStatusUpdate,
  type InboundHttpRequest,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
  type VerifyResult,
} from "~/plugins/types";
import {
  createTwilioRestClient,
  mediaUrls,
  parseTwilioStatusCallback,
  readTwilioInbound,
  sendTwilioMessage,
  verifyTwilioSignature,
  type TwilioChannel,
} from "../twilio-sms/channel.server";
import type { TwilioWhatsappConfig } from "./config";

const PROVIDER = "twilio";
const DEFAULT_TIMEOUT_MS = 10_000;

/** Twilio's address prefix for the WhatsApp channel (`From=whatsapp:+33639980001`). */
export const WHATSAPP_ADDRESS_PREFIX = "whatsapp:";

const E164 = /^\+[1-9]\d{1,14}$/;

/** `+33639980001` → `whatsapp:+33639980001`; an address already prefixed is left as it is. */
export function toWhatsappAddress(address: string): string {
  return address.startsWith(WHATSAPP_ADDRESS_PREFIX) ? address : `${WHATSAPP_ADDRESS_PREFIX}${address}`;
}

/**
 * `whatsapp:+33639980001` → `+33639980001`, so that channel accounts and customers use the same
 * E.164 numbers as on SMS. Throws `InvalidPayloadError` for anything else (an SMS-shaped `+E164`,
 * another channel's `messenger:…`, a malformed number).
 */
export function fromWhatsappAddress(address: string, field: string): string {
  if (!address.startsWith(WHATSAPP_ADDRESS_PREFIX)) {
    throw new InvalidPayloadError(
      `Twilio webhook whose ${field} is not a WhatsApp address (no "whatsapp:" prefix): it belongs to another channel (SMS: twilio-sms)`,
    );
  }
  const number = address.slice(WHATSAPP_ADDRESS_PREFIX.length);
  if (!E164.test(number)) throw new InvalidPayloadError(`Twilio WhatsApp webhook whose ${field} is not an E.164 number`);
  return number;
}

export interface TwilioWhatsappChannelDeps {
  config: TwilioWhatsappConfig;
  logger: Logger;
  /** Per-request timeout of the REST calls (connect + response). Default 10 s. */
  timeoutMs?: number;
}

export function createTwilioWhatsappChannel({
  config,
  logger,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: TwilioWhatsappChannelDeps): TwilioChannel {
  const log = logger.child({ plugin: "twilio-whatsapp" });
  // Same transport as twilio-sms.
  const client = createTwilioRestClient(config, timeoutMs);

  return {
    provider: PROVIDER,
    channel: "whatsapp",
    // WhatsApp itself takes 4096 characters of text, but through Twilio a message is a Message
    // resource whose Body is capped at 1600 characters on every channel (error 21617 / 21658,
    // not retryable): declaring more would let a reply be written that Twilio then refuses.
    // https://www.twilio.com/docs/api/errors/21658
    // https://www.twilio.com/docs/api/errors/21617
    // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#text-object (4096)
    capabilities: { maxLength: 1600, media: true },

    verify(request: InboundHttpRequest): VerifyResult {
      // Twilio signs WhatsApp webhooks exactly like SMS ones (X-Twilio-Signature over URL + params).
      return verifyTwilioSignature(config.authToken, request);
    },

    parseInbound(request: InboundHttpRequest): InboundMessage {
      const { raw, providerMessageId, from: fromAddress, to: toAddress } = readTwilioInbound(request, "WhatsApp");
      // `ProfileName` (the customer's WhatsApp display name) and `WaId` stay in `raw` only: the
      // customer is identified by number, like on SMS.
      // https://www.twilio.com/docs/messaging/guides/webhook-request
      return {
        providerMessageId,
        channel: "whatsapp",
        from: fromWhatsappAddress(fromAddress, "From"),
        to: fromWhatsappAddress(toAddress, "To"),
        body: raw.Body ?? "",
        // Media arrive as on MMS: NumMedia + MediaUrl{N} / MediaContentType{N}.
        mediaUrls: mediaUrls(raw, log),
        raw,
      };
    },

    parseStatuses(request: InboundHttpRequest): DeliveryStatusUpdate[] {
      // WhatsApp messages report like SMS ones, plus "read" (blue ticks) when the customer allows it.
      return parseTwilioStatusCallback(request.rawBody);
    },

    send(message: OutboundMessage): Promise<SendResult> {
      // Outside the 24-hour window only an approved template goes (`message.template`);
      // free text there fails with 63016, surfaced as a non-retryable ProviderError.
      return sendTwilioMessage(client, log, "whatsapp message", message, {
        to: toWhatsappAddress(message.to),
        from: toWhatsappAddress(message.from),
        body: message.body,
        mediaUrls: message.mediaUrls,
        maxMedia: 1,
        template: message.template,
        statusCallbackUrl: config.statusCallbackUrl,
      });
    },
  };
}
