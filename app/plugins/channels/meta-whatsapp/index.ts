/**
 * meta-whatsapp: WhatsApp through Meta's Cloud API (DESIGN §4: one folder per plugin, one line in
 * the registry). Besides the `Channel` methods, the channel answers Meta's GET handshake with
 * `verifySubscription(url)` and reads delivery reports with `parseStatuses` (messages and statuses
 * arrive on the same callback URL).
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { ChannelKind } from "~/plugins/types";
import { createMetaWhatsappChannel, metaShopAddresses, type MetaWhatsappChannel, type MetaWhatsappChannelDeps } from "./channel.server";
import { metaWhatsappConfigSchema, type MetaWhatsappConfig, type MetaWhatsappConfigInput } from "./config";

export const metaWhatsappPlugin = {
  id: "meta-whatsapp",
  provider: "meta",
  channel: "whatsapp",
  /** Settings stored encrypted per shop (app/plugins/installations.server.ts). */
  secretKeys: ["accessToken", "appSecret", "verifyToken"],
  configSchema: metaWhatsappConfigSchema,
  create: createMetaWhatsappChannel,
  /** The shop's numbers/addresses an unverified webhook names: they pick whose secret verifies it. */
  shopAddresses: metaShopAddresses,
} as const satisfies {
  id: string;
  provider: string;
  channel: ChannelKind;
  secretKeys: readonly string[];
  configSchema: ZodType<MetaWhatsappConfig, ZodTypeDef, MetaWhatsappConfigInput>;
  shopAddresses: (rawBody: string) => string[];
  create: (deps: MetaWhatsappChannelDeps) => MetaWhatsappChannel;
};

export { verifyMetaSignature } from "./channel.server";
export { META_GRAPH_BASE_URL, META_GRAPH_VERSION } from "./config";
export type { MetaWhatsappChannel, MetaWhatsappChannelDeps, SubscriptionResult } from "./channel.server";
export type { MetaWhatsappConfig, MetaWhatsappConfigInput } from "./config";
