/**
 * Settings of the meta-whatsapp channel plugin: WhatsApp through Meta's own Cloud API (Graph API).
 * `accessToken` authenticates the sends, `appSecret` signs the webhooks (X-Hub-Signature-256),
 * `verifyToken` is the string we chose in the App Dashboard that Meta sends back on the GET
 * handshake, `phoneNumberId` is the sending number's id in Graph (not the phone number itself).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/get-started
 */
import { z } from "zod";
import { providerBaseUrl } from "~/plugins/config-fields";

/** Graph API origin. */
export const META_GRAPH_BASE_URL = "https://graph.facebook.com";
/** Graph API version the plugin was written against; a shop can move it forward in its settings. */
export const META_GRAPH_VERSION = "v23.0";

function secret(name: string, where: string) {
  const required = `${name} is required (${where})`;
  return z
    .string({ required_error: required, invalid_type_error: required })
    .min(1, required)
    .refine((value) => value === value.trim(), `${name} has leading or trailing whitespace; paste it again`);
}

export const metaWhatsappConfigSchema = z.object({
  accessToken: secret(
    "accessToken",
    "a System User access token with whatsapp_business_messaging: Business Settings → Users → System users → Generate new token",
  ),
  appSecret: secret("appSecret", "App Dashboard → App settings → Basic → App secret; Meta signs every webhook with it"),
  verifyToken: secret(
    "verifyToken",
    "the Verify token typed in App Dashboard → WhatsApp → Configuration → Webhook; Meta sends it back when it checks the callback URL",
  ),
  phoneNumberId: z
    .string({ required_error: "phoneNumberId is required (WhatsApp Manager → API Setup → Phone number ID)" })
    .regex(/^\d{5,32}$/, "phoneNumberId must be the Phone number ID shown in WhatsApp Manager → API Setup (digits only), not the phone number"),
  graphBaseUrl: providerBaseUrl("graphBaseUrl", META_GRAPH_BASE_URL).default(META_GRAPH_BASE_URL),
  graphVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d{1,2}$/, `graphVersion must be a Graph API version such as ${META_GRAPH_VERSION}`)
    .default(META_GRAPH_VERSION),
});

/** Parsed settings (defaults filled in). */
export type MetaWhatsappConfig = z.output<typeof metaWhatsappConfigSchema>;
/** Settings as stored or typed by the merchant (`graphBaseUrl` / `graphVersion` optional). */
export type MetaWhatsappConfigInput = z.input<typeof metaWhatsappConfigSchema>;
