/**
 * twilio-whatsapp: WhatsApp through Twilio Programmable Messaging (DESIGN §4: one folder per
 * plugin, one line in the registry). The registry parses the shop's stored settings with
 * `configSchema` and hands the result to `create` with the dependencies.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { Channel, ChannelKind } from "~/plugins/types";
import { twilioShopAddresses } from "../twilio-sms/channel.server";
import { createTwilioWhatsappChannel, type TwilioWhatsappChannelDeps } from "./channel.server";
import { twilioWhatsappConfigSchema, type TwilioWhatsappConfig, type TwilioWhatsappConfigInput } from "./config";

export const twilioWhatsappPlugin = {
  id: "twilio-whatsapp",
  provider: "twilio",
  channel: "whatsapp",
  /** Settings stored encrypted per shop (app/plugins/installations.server.ts). */
  secretKeys: ["authToken"],
  configSchema: twilioWhatsappConfigSchema,
  create: createTwilioWhatsappChannel,
  /** The shop's numbers an unverified webhook names (Twilio's fields, as on SMS): they pick whose auth token verifies it. */
  shopAddresses: twilioShopAddresses,
} as const satisfies {
  id: string;
  provider: string;
  channel: ChannelKind;
  secretKeys: readonly string[];
  configSchema: ZodType<TwilioWhatsappConfig, ZodTypeDef, TwilioWhatsappConfigInput>;
  shopAddresses: (rawBody: string) => string[];
  create: (deps: TwilioWhatsappChannelDeps) => Channel;
};

export type { TwilioWhatsappChannelDeps } from "./channel.server";
export type { TwilioWhatsappConfig, TwilioWhatsappConfigInput } from "./config";
