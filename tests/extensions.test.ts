/**
 * The Shopify UI extensions (extensions/pos-holds, extensions/customer-conversations), checked
 * without Shopify: every key the code translates exists in English and French with the same
 * plural forms, no locale carries a key the other lacks, and the admin block's Direct API query
 * is valid against the Admin schema of the version it is sent as.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, validateAdminDocument } from "~/sandbox/schema.server";
import { ORDER_CUSTOMER_API_VERSION, ORDER_CUSTOMER_QUERY, orderCustomerId, type AdminQuery } from "../extensions/customer-conversations/src/order-customer";
import { threadHref } from "../extensions/customer-conversations/src/summary-api";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXTENSIONS = ["pos-holds", "customer-conversations"];

type Messages = { [key: string]: string | Messages };

/** "a.b" → text; plural forms are leaves under their key ("a.b.one", "a.b.other"). */
function flatten(messages: Messages, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** A key `translate` can resolve: a text, or a plural entry (`{{count}}` picks the form). */
const resolvable = (keys: Map<string, string>, key: string) => keys.has(key) || keys.has(`${key}.other`);

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe.each(EXTENSIONS)("extension %s", (name) => {
  const dir = join(ROOT, "extensions", name);
  const read = (file: string) => JSON.parse(readFileSync(join(dir, "locales", file), "utf8")) as Messages;
  const en = read("en.default.json");
  const fr = read("fr.json");
  const source = readdirSync(join(dir, "src"))
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => readFileSync(join(dir, "src", f), "utf8"))
    .join("\n");

  it("has the same keys, plural forms and placeholders in English and French", () => {
    const enKeys = flatten(en);
    const frKeys = flatten(fr);
    expect([...frKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
    for (const [key, value] of enKeys) {
      expect(placeholders(frKeys.get(key) ?? ""), key).toEqual(placeholders(value));
      expect(frKeys.get(key), key).not.toBe("");
    }
  });

  it("translates only keys that exist (literal keys, and the prefix of computed ones)", () => {
    const keys = flatten(en);
    const literal = [...source.matchAll(/\b(?:t|translate)\(\s*"([^"]+)"/g)].map((m) => m[1] ?? "");
    const computed = [...source.matchAll(/\b(?:t|translate)\(\s*`([\w.]+)\.\$\{/g)].map((m) => m[1] ?? "");
    expect(literal.length).toBeGreaterThan(3);
    expect(literal.filter((key) => !resolvable(keys, key))).toEqual([]);
    expect(computed.filter((prefix) => ![...keys.keys()].some((k) => k.startsWith(`${prefix}.`)))).toEqual([]);
    // The extension's name and description in Shopify's lists ("t:name" in shopify.extension.toml).
    expect(resolvable(keys, "name") && resolvable(keys, "description")).toBe(true);
  });
});

describe("customer-conversations: the order's customer by Direct API access", () => {
  it("is a valid Admin query, sent as the version it is validated against", () => {
    expect(ORDER_CUSTOMER_API_VERSION).toBe(ADMIN_API_VERSION);
    expect(validateAdminDocument(ORDER_CUSTOMER_QUERY)).toEqual([]);
  });

  it("reads the customer, null for a guest order, and fails on errors", async () => {
    const asked: unknown[] = [];
    const answering =
      (answer: Awaited<ReturnType<AdminQuery>>): AdminQuery =>
      async <Data,>(query: string, options: Parameters<AdminQuery>[1]) => {
        asked.push({ query, options });
        return answer as { data?: Data };
      };
    expect(await orderCustomerId(answering({ data: { order: { customer: { id: "gid://shopify/Customer/6001" } } } }), "gid://shopify/Order/7203")).toBe(
      "gid://shopify/Customer/6001",
    );
    expect(asked[0]).toEqual({ query: ORDER_CUSTOMER_QUERY, options: { variables: { id: "gid://shopify/Order/7203" }, version: "2026-04" } });
    expect(await orderCustomerId(answering({ data: { order: { customer: null } } }), "gid://shopify/Order/1")).toBeNull();
    await expect(orderCustomerId(answering({ errors: [{ message: "Access denied" }] }), "gid://shopify/Order/1")).rejects.toThrow("Access denied");
  });

  it("links to the thread with the app: protocol", () => {
    expect(threadHref("/app/inbox/3f1c")).toBe("app:app/inbox/3f1c");
  });
});
