/**
 * Settings of the twilio-sms channel plugin (one installation per shop). `authToken` is a secret:
 * it signs inbound webhooks and authenticates the REST calls.
 */
import { z } from "zod";

/** Twilio's REST API origin; the SDK builds every request URI on it. */
export const TWILIO_API_BASE_URL = "https://api.twilio.com";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

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
  apiBaseUrl: z
    .string()
    .url("apiBaseUrl must be an absolute URL such as https://api.twilio.com")
    .superRefine((value, ctx) => {
      // zod runs refinements even after `.url()` failed; that issue is already reported.
      if (!URL.canParse(value)) return;
      const url = new URL(value);
      // The auth token travels in the Authorization header of every REST call: plain http only
      // for a fake on this machine (tests, sandbox).
      if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "apiBaseUrl must use https (plain http is accepted only for localhost / 127.0.0.1)",
        });
      }
      if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "apiBaseUrl must be an origin with an optional path prefix, without query, fragment or credentials",
        });
      }
    })
    .default(TWILIO_API_BASE_URL),
});

/** Parsed settings (`apiBaseUrl` filled in). */
export type TwilioSmsConfig = z.output<typeof twilioSmsConfigSchema>;
/** Settings as stored or typed by the merchant (`apiBaseUrl` optional). */
export type TwilioSmsConfigInput = z.input<typeof twilioSmsConfigSchema>;
