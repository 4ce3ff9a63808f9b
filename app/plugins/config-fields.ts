/** Settings fields every provider plugin validates the same way. */
import { z } from "zod";

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * A provider's base URL: an https origin with an optional path prefix. Credentials travel in a
 * header of every call, so plain http is accepted only for a fake on this machine (tests, sandbox).
 */
export function providerBaseUrl(name: string, example: string) {
  return z
    .string()
    .url(`${name} must be an absolute URL such as ${example}`)
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) return; // zod runs refinements after `.url()` failed; already reported
      const url = new URL(value);
      if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must use https (plain http is accepted only for localhost / 127.0.0.1)` });
      }
      if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${name} must be an origin with an optional path prefix, without query, fragment or credentials`,
        });
      }
    });
}
