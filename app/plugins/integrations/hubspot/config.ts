/**
 * Settings of the HubSpot CRM plugin. `accessToken` is a secret (stored encrypted, never logged):
 * a private app access token, or an OAuth access token, sent as `Authorization: Bearer …`.
 * The private app needs the scopes crm.objects.contacts.read and crm.objects.contacts.write
 * (notes are written under the contacts scopes).
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/intro-to-auth
 */
import { z } from "zod";
import { providerBaseUrl } from "~/plugins/config-fields";

export const HUBSPOT_API_BASE_URL = "https://api.hubapi.com";


export const hubspotConfigSchema = z
  .object({
    accessToken: z
      .string({ required_error: "accessToken is required (HubSpot → Settings → Integrations → Private Apps → your app → Access token)" })
      .min(1, "accessToken is required (HubSpot → Settings → Integrations → Private Apps → your app → Access token)")
      // A pasted token with a space or a newline fails every call with 401, far from where it was typed.
      .refine((token) => !/\s/.test(token), "accessToken contains spaces or line breaks; paste it again"),
    apiBaseUrl: providerBaseUrl("apiBaseUrl", "https://api.hubapi.com")
      .transform((value) => value.replace(/\/+$/, ""))
      .default(HUBSPOT_API_BASE_URL),
  })
  .strict();

export type HubSpotConfig = z.output<typeof hubspotConfigSchema>;
export type HubSpotConfigInput = z.input<typeof hubspotConfigSchema>;
