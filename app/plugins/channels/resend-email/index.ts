/**
 * resend-email: email through Resend (DESIGN §4: one folder per plugin, one line in the registry).
 * Inbound `email.received` webhooks carry only metadata: the edge verifies with `verify`, then calls
 * `fetchInbound` (async, fetches the content) rather than the synchronous `parseInbound`.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { ChannelKind } from "~/plugins/types";
import { createResendEmailChannel, resendShopAddresses, type ResendEmailChannel, type ResendEmailChannelDeps } from "./channel.server";
import { resendEmailConfigSchema, type ResendEmailConfig, type ResendEmailConfigInput } from "./config";

export const resendEmailPlugin = {
  id: "resend-email",
  provider: "resend",
  channel: "email",
  /** Settings stored encrypted per shop (app/plugins/installations.server.ts). */
  secretKeys: ["apiKey", "webhookSecret"],
  configSchema: resendEmailConfigSchema,
  create: createResendEmailChannel,
  /** The shop's numbers/addresses an unverified webhook names: they pick whose secret verifies it. */
  shopAddresses: resendShopAddresses,
} as const satisfies {
  id: string;
  provider: string;
  channel: ChannelKind;
  secretKeys: readonly string[];
  configSchema: ZodType<ResendEmailConfig, ZodTypeDef, ResendEmailConfigInput>;
  shopAddresses: (rawBody: string) => string[];
  create: (deps: ResendEmailChannelDeps) => ResendEmailChannel;
};

export { verifySvixSignature } from "./channel.server";
export { stripQuotes } from "./strip-quotes";
export type { EmailOutbound, ResendEmailChannel, ResendEmailChannelDeps } from "./channel.server";
export type { ResendEmailConfig, ResendEmailConfigInput } from "./config";
