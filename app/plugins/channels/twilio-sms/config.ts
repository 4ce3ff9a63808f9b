/**
 * Settings of the twilio-sms channel plugin (one installation per shop). `authToken` is a secret:
 * it signs inbound webhooks and authenticates the REST calls.
 */
import { z } from "zod";
import { providerBaseUrl } from "~/plugins/config-fields";

/** Twilio's REST API origin; the SDK builds every request URI on it. */
export const TWILIO_API_BASE_URL = "https://api.twilio.com";


export const twilioSmsConfigSchema = z.object({
  accountSid: z
    .string({ required_error: "accountSid is required (Twilio Console → Account Info → Account SID)" })
    .regex(
      /^AC[0-9a-fA-F]{32}$/,
      "accountSid must be 'AC' followed by 32 hexadecimal characters (Twilio Console → Account Info → Account SID)",
    ),
  authToken: z
    .string({ required_error: "authToken is required (Twilio Console → Account Info → Auth Token)" })
    .min(1, "authToken is required (Twilio Console → Account Info → Auth Token)")
    // A pasted token with a stray space or newline fails every signature check, silently from Twilio's side.
    .refine((token) => token === token.trim(), "authToken has leading or trailing whitespace; paste it again"),
  apiBaseUrl: providerBaseUrl("apiBaseUrl", "https://api.twilio.com")
    .default(TWILIO_API_BASE_URL),
  /**
   * Where Twilio posts the delivery reports of the messages we send (`StatusCallback` on every
   * create-message call); none are asked for when absent. It must be the exact public URL that
   * Twilio will call: the reports are signed over it. Twilio refuses a host with an underscore.
   * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
   */
  statusCallbackUrl: z
    .string()
    .url("statusCallbackUrl must be an absolute URL such as https://app.example.com/webhooks/channels/twilio/status")
    .refine((value) => {
      if (!URL.canParse(value)) return true; // zod runs refinements after `.url()` failed; already reported
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.hostname.includes("_");
    }, "statusCallbackUrl must be an http(s) URL whose host has no underscore (Twilio refuses those)")
    .optional(),
});

/** Parsed settings (`apiBaseUrl` filled in; `statusCallbackUrl` optional). */
export type TwilioSmsConfig = z.output<typeof twilioSmsConfigSchema>;
/** Settings as stored or typed by the merchant (`apiBaseUrl` optional). */
export type TwilioSmsConfigInput = z.input<typeof twilioSmsConfigSchema>;
