/**
 * twilio-sms: SMS through Twilio Programmable Messaging (DESIGN §4: one folder per plugin, one
 * line in the registry). The registry parses the shop's stored settings with `configSchema` and
 * hands the result to `create` with the dependencies.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { Channel, ChannelKind } from "~/plugins/types";
import { createTwilioSmsChannel, twilioShopAddresses, type TwilioSmsChannelDeps } from "./channel.server";
import { twilioSmsConfigSchema, type TwilioSmsConfig, type TwilioSmsConfigInput } from "./config";

export const twilioSmsPlugin = {
  id: "twilio-sms",
  provider: "twilio",
  channel: "sms",
  /** Settings stored encrypted per shop (app/plugins/installations.server.ts). */
  secretKeys: ["authToken"],
  configSchema: twilioSmsConfigSchema,
  create: createTwilioSmsChannel,
  /** The shop's numbers/addresses an unverified webhook names: they pick whose secret verifies it. */
  shopAddresses: twilioShopAddresses,
} as const satisfies {
  id: string;
  provider: string;
  channel: ChannelKind;
  secretKeys: readonly string[];
  configSchema: ZodType<TwilioSmsConfig, ZodTypeDef, TwilioSmsConfigInput>;
  shopAddresses: (rawBody: string) => string[];
  create: (deps: TwilioSmsChannelDeps) => Channel;
};

export type { TwilioSmsChannelDeps } from "./channel.server";
export type { TwilioSmsConfig, TwilioSmsConfigInput } from "./config";
