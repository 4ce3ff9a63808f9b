/**
 * Settings of the Salesforce CRM plugin: the org's instance URL and an OAuth access token (a
 * secret: stored encrypted, never logged), plus the REST API version.
 *
 * The token comes from the org's OAuth flow (a connected app); Salesforce answers 401
 * INVALID_SESSION_ID once it expires (session timeout, two hours by default), and the merchant
 * pastes a new one. A refresh-token flow is not part of this plugin yet.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_oauth_and_connected_apps.htm
 */
import { z } from "zod";

export const SALESFORCE_DEFAULT_API_VERSION = "62.0";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export const salesforceConfigSchema = z
  .object({
    instanceUrl: z
      .string({ required_error: "instanceUrl is required (the org's My Domain URL, e.g. https://yourcompany.my.salesforce.com)" })
      .url("instanceUrl must be an absolute URL such as https://yourcompany.my.salesforce.com")
      .superRefine((value, ctx) => {
        if (!URL.canParse(value)) return; // `.url()` already reported it
        const url = new URL(value);
        // The token travels in every request: plain http only for a fake on this machine.
        if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "instanceUrl must use https (plain http only for localhost / 127.0.0.1)" });
        }
        // Record URLs and `nextRecordsUrl` are paths from the instance root: an origin, nothing more.
        if (url.pathname.replace(/\/+$/, "") !== "" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: "instanceUrl must be the org's origin only (https://yourcompany.my.salesforce.com), without path, query or credentials",
          });
        }
      })
      .transform((value) => new URL(value).origin),
    accessToken: z
      .string({ required_error: "accessToken is required (an OAuth access token of the org)" })
      .min(1, "accessToken is required (an OAuth access token of the org)")
      .refine((token) => !/\s/.test(token), "accessToken contains spaces or line breaks; paste it again"),
    apiVersion: z
      .string()
      .trim()
      .regex(/^\d{2,3}\.0$/, "apiVersion must look like 62.0 (see GET /services/data/ on your org for the versions it offers)")
      .default(SALESFORCE_DEFAULT_API_VERSION),
  })
  .strict();

export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;
export type SalesforceConfigInput = z.input<typeof salesforceConfigSchema>;
