/**
 * hubspot: the shop's contacts and interactions in HubSpot (DESIGN §4: one folder per plugin, one
 * line in the registry). `secretKeys` names the settings stored encrypted in `secrets`.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { Crm } from "~/plugins/types";
import { createHubSpotCrm, type HubSpotCrmDeps } from "./crm.server";
import { hubspotConfigSchema, type HubSpotConfig, type HubSpotConfigInput } from "./config";

export const hubspotPlugin = {
  id: "hubspot",
  capabilities: ["crm"],
  configSchema: hubspotConfigSchema,
  secretKeys: ["accessToken"],
  create: createHubSpotCrm,
} as const satisfies {
  id: string;
  capabilities: readonly ["crm"];
  configSchema: ZodType<HubSpotConfig, ZodTypeDef, HubSpotConfigInput>;
  secretKeys: ReadonlyArray<keyof HubSpotConfigInput>;
  create: (deps: HubSpotCrmDeps) => Crm;
};

export { HubSpotApiError, NOTE_TO_CONTACT_ASSOCIATION_TYPE_ID } from "./crm.server";
export type { HubSpotCrmDeps } from "./crm.server";
export type { HubSpotConfig, HubSpotConfigInput } from "./config";
