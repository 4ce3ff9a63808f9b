/**
 * The Salesforce plugin against Salesforce's own answers: the recorded query pages in fixtures/
 * served verbatim at an instance URL through msw, and the local fake for writes. The shared
 * behaviour is in tests/contracts/crm.contract.ts.
 */
import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { createLogger, silentLogger, type Logger } from "~/lib/logger.server";
import { InvalidPayloadError, NotFoundError, type ProviderError } from "~/plugins/types";
import { startFakeSalesforceApi, type FakeSalesforceApi } from "../../../../tests/fakes/salesforce-api.server";
import { mswServer } from "../../../../tests/setup/no-network";
import { salesforceConfigSchema } from "./config";
import { SalesforceApiError, UNKNOWN_LAST_NAME, createSalesforceCrm } from "./crm.server";
import { salesforcePlugin } from "./index";

const INSTANCE = "https://elegance-paris.my.salesforce.com";
const TOKEN = "00D5g000004ABCD!AQ4AQH0dummyAccessToken.forTests_only";
const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

function crm(options: { logger?: Logger; maxPages?: number; instanceUrl?: string; apiVersion?: string } = {}) {
  const config = salesforceConfigSchema.parse({
    instanceUrl: options.instanceUrl ?? INSTANCE,
    accessToken: TOKEN,
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  return createSalesforceCrm({ config, logger: options.logger ?? silentLogger, clock, ...(options.maxPages ? { maxPages: options.maxPages } : {}) });
}

interface Seen {
  method: string;
  url: URL;
  authorization: string | null;
  body: unknown;
}

/** Answers every `method` request under the instance with `answer(url)` and records it. */
function serve(method: "get" | "post" | "patch", pathPattern: string, answer: (url: URL) => { status: number; body?: unknown; headers?: Record<string, string> }): Seen[] {
  const seen: Seen[] = [];
  mswServer.use(
    http[method](`${INSTANCE}${pathPattern}`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({ method: request.method, url, authorization: request.headers.get("authorization"), body: text ? JSON.parse(text) : undefined });
      const { status, body, headers } = answer(url);
      return body === undefined ? new HttpResponse(null, { status, headers }) : HttpResponse.json(body as Record<string, unknown>, { status, headers });
    }),
  );
  return seen;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (v) => new Error(`resolved with ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
}

describe("salesforce settings", () => {
  it("need the instance URL and the token; the API version defaults to 62.0", () => {
    expect(salesforceConfigSchema.parse({ instanceUrl: `${INSTANCE}/`, accessToken: TOKEN })).toEqual({
      instanceUrl: INSTANCE,
      accessToken: TOKEN,
      apiVersion: "62.0",
    });
    const result = salesforceConfigSchema.safeParse({ apiVersion: "v62" });
    expect(result.success).toBe(false);
    if (result.success) return;
    const byField = Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
    expect(byField.instanceUrl).toMatch(/instanceUrl is required/);
    expect(byField.accessToken).toMatch(/accessToken is required/);
    expect(byField.apiVersion).toMatch(/62\.0/);
  });

  it.each([
    [{ instanceUrl: "http://elegance.my.salesforce.com", accessToken: TOKEN }, "https"],
    [{ instanceUrl: `${INSTANCE}/services/data`, accessToken: TOKEN }, "origin only"],
    [{ instanceUrl: INSTANCE, accessToken: "abc def" }, "spaces"],
  ])("refuse %j", (input, text) => {
    const result = salesforceConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.message).join(" | ")).toContain(text);
  });

  it("accept a local fake over http and mark the token as the secret", () => {
    expect(salesforceConfigSchema.parse({ instanceUrl: "http://127.0.0.1:4010", accessToken: TOKEN }).instanceUrl).toBe("http://127.0.0.1:4010");
    expect(salesforcePlugin.secretKeys).toEqual(["accessToken"]);
  });
});

describe("salesforce queries (recorded pages)", () => {
  it("sends the documented SOQL with the Bearer token on the configured version", async () => {
    const seen = serve("get", "/services/data/:version/query", () => ({ status: 200, body: fixture("salesforce_query_contact_200_done.json") }));
    expect(await crm().findContact({ email: "Julie.Martin@Exemple.fr" })).toBeNull(); // the record has no Email
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url.pathname).toBe("/services/data/v62.0/query");
    expect(seen[0]?.url.searchParams.get("q")).toBe(
      "SELECT Id, FirstName, LastName, Email, Phone, MobilePhone FROM Contact WHERE Email = 'julie.martin@exemple.fr' ORDER BY CreatedDate ASC",
    );
    expect(seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("escapes the customer's value in the SOQL it sends", async () => {
    const seen = serve("get", "/services/data/:version/query", () => ({ status: 200, body: { totalSize: 0, done: true, records: [] } }));
    await crm().findContact({ email: "o'hara\\x@exemple.fr", phone: "+33645789012" });
    expect(seen[0]?.url.searchParams.get("q")).toBe(
      "SELECT Id, FirstName, LastName, Email, Phone, MobilePhone FROM Contact WHERE Email = 'o\\'hara\\\\x@exemple.fr' OR Phone = '+33645789012' OR MobilePhone = '+33645789012' ORDER BY CreatedDate ASC",
    );
  });

  it("follows nextRecordsUrl while done is false, on the same instance", async () => {
    const paged = fixture("salesforce_query_contact_200_paged.json") as { nextRecordsUrl: string };
    const first = serve("get", "/services/data/v62.0/query", () => ({ status: 200, body: paged }));
    const next = serve("get", "/services/data/v66.0/query/:locator", () => ({
      status: 200,
      body: { ...(fixture("salesforce_query_contact_200_done.json") as object), records: [{ attributes: { type: "Contact" }, Id: "003RO0000035WQhYAM", Name: "Jane Roe" }] },
    }));
    const records = await crm().queryAll("SELECT Id, Name FROM Contact");
    expect(first).toHaveLength(1);
    expect(next.map((s) => s.url.pathname)).toEqual([paged.nextRecordsUrl]);
    expect(next[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(records.map((r) => (r as { Id: string }).Id)).toEqual(["003RO0000035WQgYAM", "003RO0000035WQhYAM"]);
  });

  it("finds a contact that only the second page holds", async () => {
    serve("get", "/services/data/v62.0/query", () => ({ status: 200, body: fixture("salesforce_query_contact_200_paged.json") }));
    serve("get", "/services/data/v66.0/query/:locator", () => ({
      status: 200,
      body: { totalSize: 2, done: true, records: [{ Id: "003RO0000035WQhYAM", FirstName: "Julie", LastName: "Martin", Email: "Julie.Martin@exemple.fr", Phone: null, MobilePhone: "06 45 78 90 12" }] },
    }));
    expect(await crm().findContact({ email: "julie.martin@exemple.fr" })).toEqual({
      id: "003RO0000035WQhYAM",
      email: "Julie.Martin@exemple.fr",
      phone: "+33645789012",
      firstName: "Julie",
      lastName: "Martin",
      tags: [],
    });
  });

  it("stops after maxPages, and never follows a nextRecordsUrl to another host", async () => {
    const pages = serve("get", "/services/data/:version/query/:locator", () => ({ status: 200, body: fixture("salesforce_query_contact_200_paged.json") }));
    serve("get", "/services/data/v62.0/query", () => ({ status: 200, body: fixture("salesforce_query_contact_200_paged.json") }));
    expect(await crm({ maxPages: 3 }).queryAll("SELECT Id, Name FROM Contact")).toHaveLength(3);
    expect(pages).toHaveLength(2);
    mswServer.use(
      http.get(`${INSTANCE}/services/data/v62.0/query`, () =>
        HttpResponse.json({ totalSize: 2, done: false, nextRecordsUrl: "https://attacker.example/services/data/v62.0/query/x-1", records: [] }),
      ),
    );
    const error = await rejection(crm().queryAll("SELECT Id FROM Contact"));
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect((error as Error).message).toContain("unusable nextRecordsUrl");
  });
});

describe("salesforce errors", () => {
  it("401 INVALID_SESSION_ID: not retryable, and testConnection says to paste a new token", async () => {
    serve("get", "/services/data/:version/query", () => ({ status: 401, body: [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }] }));
    const error = await rejection(crm().findContact({ email: "a@exemple.fr" }));
    expect((error as ProviderError).details).toEqual({ provider: "salesforce", status: 401, code: "INVALID_SESSION_ID", retryable: false });
    const result = await crm().testConnection();
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("expired or revoked") });
  });

  it("403 REQUEST_LIMIT_EXCEEDED is retryable; other 403s are not", async () => {
    let code = "REQUEST_LIMIT_EXCEEDED";
    serve("get", "/services/data/:version/query", () => ({ status: 403, body: [{ message: "TotalRequests Limit exceeded.", errorCode: code }] }));
    expect(((await rejection(crm().findContact({ email: "a@exemple.fr" }))) as ProviderError).details.retryable).toBe(true);
    code = "INSUFFICIENT_ACCESS";
    expect(((await rejection(crm().findContact({ email: "a@exemple.fr" }))) as ProviderError).details.retryable).toBe(false);
  });

  it("an API version the org does not offer makes testConnection say so", async () => {
    serve("get", "/services/data/:version/query", () => ({ status: 404, body: [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }] }));
    const result = await crm({ apiVersion: "99.0" }).testConnection();
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("API version 99.0 is not available") });
  });

  it("keeps the token and the customer's email out of logs", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
    serve("get", "/services/data/:version/query", () => ({
      status: 500,
      body: [{ message: `upstream said Authorization: Bearer ${TOKEN} for julie.martin@exemple.fr`, errorCode: "UNKNOWN_EXCEPTION" }],
    }));
    const error = await rejection(crm({ logger }).findContact({ email: "julie.martin@exemple.fr" }));
    expect((error as ProviderError).details.retryable).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain("julie.martin@exemple.fr");
    expect((error as Error).message).not.toContain(TOKEN);
  });
});

describe("salesforce writes (local fake org)", () => {
  let fake: FakeSalesforceApi;

  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  const crmOn = (f: FakeSalesforceApi) =>
    createSalesforceCrm({ config: salesforceConfigSchema.parse({ instanceUrl: f.url, accessToken: TOKEN }), logger: silentLogger, clock });

  it("creates a Contact with a placeholder LastName when none is known, and replaces it later", async () => {
    fake = await startFakeSalesforceApi({ orgs: [{ token: TOKEN }], clock });
    const created = await crmOn(fake).upsertContact({ phone: "+33645789012" });
    expect(created).toMatchObject({ phone: "+33645789012", lastName: null });
    const post = fake.requests.find((r) => r.method === "POST");
    expect(post?.path).toBe("/services/data/v62.0/sobjects/Contact");
    expect(post?.body).toEqual({ LastName: UNKNOWN_LAST_NAME, Phone: "+33645789012" });
    const named = await crmOn(fake).upsertContact({ phone: "+33645789012", firstName: "Julie", lastName: "Martin" });
    expect(named).toMatchObject({ id: created.id, firstName: "Julie", lastName: "Martin" });
    const patch = fake.requests.find((r) => r.method === "PATCH");
    expect(patch?.path).toBe(`/services/data/v62.0/sobjects/Contact/${created.id}`);
    expect(patch?.body).toEqual({ FirstName: "Julie", LastName: "Martin" });
    expect(patch?.response.status).toBe(204);
  });

  it("records an interaction as a completed Task on the contact", async () => {
    fake = await startFakeSalesforceApi({ orgs: [{ token: TOKEN, seed: [{ Id: "003RO0000035WQgYAM", FirstName: "John", LastName: "Smith" }] }], clock });
    const body = `Robe fleurie bleue 38 mise de côté ${"✓".repeat(300)}\nRetrait demain avant 18h.`;
    await crmOn(fake).addNote("003RO0000035WQgYAM", body);
    const [task] = fake.org(TOKEN).tasks;
    expect(task).toMatchObject({ WhoId: "003RO0000035WQgYAM", Status: "Completed", Description: body, ActivityDate: "2026-01-12" });
    expect(Array.from(task?.Subject ?? "")).toHaveLength(255);
    expect(task?.Subject.startsWith("Coccinelle: Robe fleurie bleue 38")).toBe(true);
    expect(task?.Subject.endsWith("…")).toBe(true);
  });

  it("maps a Task refused for its WhoId to NotFoundError, and refuses an oversized description", async () => {
    fake = await startFakeSalesforceApi({ orgs: [{ token: TOKEN }], clock });
    expect(await rejection(crmOn(fake).addNote("003000000000000AAA", "x"))).toBeInstanceOf(NotFoundError);
    expect(await rejection(crmOn(fake).addNote("003000000000000AAA", "x".repeat(32_001)))).toBeInstanceOf(InvalidPayloadError);
    expect(fake.org(TOKEN).tasks).toEqual([]);
  });
});
