/**
 * Settings of the HubSpot CRM plugin. `accessToken` is a secret (stored encrypted, never logged):
 * a private app access token, or an OAuth access token, sent as `Authorization: Bearer …`.
 * The private app needs the scopes crm.objects.contacts.read and crm.objects.contacts.write
 * (notes are written under the contacts scopes).
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/intro-to-auth
 */
import { z } from "zod";

export const HUBSPOT_API_BASE_URL = "https://api.hubapi.com";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export const hubspotConfigSchema = z
  .object({
    accessToken: z
      .string({ required_error: "accessToken is required (HubSpot → Settings → Integrations → Private Apps → your app → Access token)" })
      .min(1, "accessToken is required (HubSpot → Settings → Integrations → Private Apps → your app → Access token)")
      // A pasted token with a space or a newline fails every call with 401, far from where it was typed.
      .refine((token) => !/\s/.test(token), "accessToken contains spaces or line breaks; paste it again"),
    apiBaseUrl: z
      .string()
      .url("apiBaseUrl must be an absolute URL such as https://api.hubapi.com")
      .superRefine((value, ctx) => {
        if (!URL.canParse(value)) return; // `.url()` already reported it
        const url = new URL(value);
        // The token travels in every request: plain http only for a fake on this machine.
        if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "apiBaseUrl must use https (plain http only for localhost / 127.0.0.1)" });
        }
        if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "apiBaseUrl must be an origin with an optional path, without query, fragment or credentials" });
        }
      })
      .transform((value) => value.replace(/\/+$/, ""))
      .default(HUBSPOT_API_BASE_URL),
  })
  .strict();

export type HubSpotConfig = z.output<typeof hubspotConfigSchema>;
export type HubSpotConfigInput = z.input<typeof hubspotConfigSchema>;
