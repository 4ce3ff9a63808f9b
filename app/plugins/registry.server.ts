/**
 * Every plugin the app knows, one line each (DESIGN §4). A plugin is one folder with fixed file
 * names; adding one touches its folder and this list.
 */
import { metaWhatsappPlugin } from "./channels/meta-whatsapp";
import { resendEmailPlugin } from "./channels/resend-email";
import { twilioSmsPlugin } from "./channels/twilio-sms";
import { twilioWhatsappPlugin } from "./channels/twilio-whatsapp";
import { colissimoPlugin } from "./integrations/colissimo";
import { hubspotPlugin } from "./integrations/hubspot";
import { nativeCrmPlugin } from "./integrations/native-crm";
import { salesforcePlugin } from "./integrations/salesforce";

export const CHANNEL_PLUGINS = [twilioSmsPlugin, twilioWhatsappPlugin, resendEmailPlugin, metaWhatsappPlugin] as const;

/** Integrations (tracking, CRM …), each declaring the capabilities it provides. */
export const INTEGRATION_PLUGINS = [
  colissimoPlugin,
  nativeCrmPlugin,
  hubspotPlugin,
  salesforcePlugin,
] as const;

export type ChannelPlugin = (typeof CHANNEL_PLUGINS)[number];
export type ChannelPluginId = ChannelPlugin["id"];
export type IntegrationPlugin = (typeof INTEGRATION_PLUGINS)[number];
export type IntegrationPluginId = IntegrationPlugin["id"];

/** The channel plugin with this id, if any (an id read from stored settings or a form). */
export function findChannelPlugin(id: string): ChannelPlugin | undefined {
  return CHANNEL_PLUGINS.find((p) => p.id === id);
}

/** The integration plugin with this id, if any (an id read from stored settings or a form). */
export function findIntegrationPlugin(id: string): IntegrationPlugin | undefined {
  return INTEGRATION_PLUGINS.find((p) => p.id === id);
}

/** The plugin that speaks `channel` through `provider`, as a stored message or channel account names them ("twilio", "whatsapp"). */
export function channelPluginFor(provider: string, channel: string): ChannelPlugin | undefined {
  return CHANNEL_PLUGINS.find((p) => p.provider === provider && p.channel === channel);
}

/** The plugin with this id, typed as that plugin (each one's `create` takes its own config). */
export function channelPlugin<Id extends ChannelPluginId>(id: Id): Extract<ChannelPlugin, { id: Id }> {
  const plugin = CHANNEL_PLUGINS.find((p): p is Extract<ChannelPlugin, { id: Id }> => p.id === id);
  if (!plugin) throw new Error(`unknown channel plugin ${id}`);
  return plugin;
}
