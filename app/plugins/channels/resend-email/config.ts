/**
 * Settings of the resend-email channel plugin (one installation per shop). `apiKey` authenticates
 * the REST calls; `webhookSecret` (Resend dashboard → Webhooks → signing secret, `whsec_…`) signs
 * the inbound webhooks (Svix).
 */
import { z } from "zod";
import { providerBaseUrl } from "~/plugins/config-fields";

/** Resend's REST API origin. https://resend.com/docs/api-reference/introduction */
export const RESEND_API_BASE_URL = "https://api.resend.com";


export const resendEmailConfigSchema = z.object({
  apiKey: z
    .string({ required_error: "apiKey is required (Resend dashboard → API Keys)" })
    .min(1, "apiKey is required (Resend dashboard → API Keys)")
    .refine((key) => key === key.trim(), "apiKey has leading or trailing whitespace; paste it again"),
  webhookSecret: z
    .string({ required_error: "webhookSecret is required (Resend dashboard → Webhooks → Signing secret)" })
    // Standard Webhooks: "base64 encoded, prefixed with whsec_".
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "webhookSecret must be the signing secret as shown by Resend: whsec_ followed by base64"),
  apiBaseUrl: providerBaseUrl("apiBaseUrl", "https://api.resend.com")
    .default(RESEND_API_BASE_URL),
  /** The shop's sender, `Boutique <bonjour@boutique.fr>` or a bare address, on a domain verified in Resend. */
  fromAddress: z.string({ required_error: "fromAddress is required (an address on a domain verified in Resend)" }).min(3),
  /** `List-Unsubscribe` value for outgoing mail (`<mailto:…>, <https://…>`), when the shop has one. */
  listUnsubscribe: z.string().min(1).optional(),
  /** Subject of an outgoing email that names none (the first message of a conversation). */
  defaultSubject: z.string().min(1).default("Votre message"),
});

/** Parsed settings (defaults filled in). */
export type ResendEmailConfig = z.output<typeof resendEmailConfigSchema>;
/** Settings as stored or typed by the merchant. */
export type ResendEmailConfigInput = z.input<typeof resendEmailConfigSchema>;
