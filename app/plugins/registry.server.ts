/**
 * Every plugin the app knows, one line each (DESIGN §4). A plugin is one folder with fixed file
 * names; adding one touches its folder and this list.
 */
import { twilioSmsPlugin } from "./channels/twilio-sms";
import { colissimoPlugin } from "./integrations/colissimo";
import { hubspotPlugin } from "./integrations/hubspot";
import { nativeCrmPlugin } from "./integrations/native-crm";
import { salesforcePlugin } from "./integrations/salesforce";

export const CHANNEL_PLUGINS = [twilioSmsPlugin] as const;

/** Integrations (tracking, CRM …), each declaring the capabilities it provides. */
export const INTEGRATION_PLUGINS = [
  colissimoPlugin,
  nativeCrmPlugin,
  hubspotPlugin,
  salesforcePlugin,
] as const;

export type ChannelPlugin = (typeof CHANNEL_PLUGINS)[number];
export type ChannelPluginId = ChannelPlugin["id"];

export function channelPlugin(id: ChannelPluginId): ChannelPlugin {
  const plugin = CHANNEL_PLUGINS.find((p) => p.id === id);
  if (!plugin) throw new Error(`unknown channel plugin ${id}`);
  return plugin;
}
