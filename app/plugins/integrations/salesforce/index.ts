/**
 * salesforce: the shop's contacts and interactions in Salesforce (DESIGN §4: one folder per
 * plugin, one line in the registry). `secretKeys` names the settings stored encrypted in `secrets`.
 */
import type { ZodType, ZodTypeDef } from "zod";
import { createSalesforceCrm, type SalesforceCrm, type SalesforceCrmDeps } from "./crm.server";
import { salesforceConfigSchema, type SalesforceConfig, type SalesforceConfigInput } from "./config";

export const salesforcePlugin = {
  id: "salesforce",
  capabilities: ["crm"],
  configSchema: salesforceConfigSchema,
  secretKeys: ["accessToken"],
  create: createSalesforceCrm,
} as const satisfies {
  id: string;
  capabilities: readonly ["crm"];
  configSchema: ZodType<SalesforceConfig, ZodTypeDef, SalesforceConfigInput>;
  secretKeys: ReadonlyArray<keyof SalesforceConfigInput>;
  create: (deps: SalesforceCrmDeps) => SalesforceCrm;
};

export { SalesforceApiError, UNKNOWN_LAST_NAME } from "./crm.server";
export type { SalesforceCrm, SalesforceCrmDeps } from "./crm.server";
export type { SalesforceConfig, SalesforceConfigInput } from "./config";
export { soqlEquals, soqlString } from "./soql";
