/**
 * The HubSpot plugin against HubSpot's own answers: the recorded payloads in fixtures/ served
 * verbatim at the real base URL through msw (the no-network guard's server), and the local fake
 * for the stateful paths. The shared behaviour is in tests/contracts/crm.contract.ts.
 */
import { readFileSync } from "node:fs";
import { delay, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { createLogger, silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, NotFoundError, ProviderError } from "~/plugins/types";
import { startFakeHubSpotApi, type FakeHubSpotApi, type HubSpotSearchFixture } from "../../../../tests/fakes/hubspot-api.server";
import { mswServer } from "../../../../tests/setup/no-network";
import { hubspotConfigSchema } from "./config";
import { HubSpotApiError, createHubSpotCrm, parseRetryAfter } from "./crm.server";
import { hubspotPlugin } from "./index";

const TOKEN = "pat-eu1-0a1b2c3d-4e5f-4789-abcd-ef0123456789";
const API = "https://api.hubapi.com";
const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

function crm(options: { logger?: ReturnType<typeof createLogger>; timeoutMs?: number; apiBaseUrl?: string } = {}) {
  const config = hubspotConfigSchema.parse({ accessToken: TOKEN, ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) });
  return createHubSpotCrm({ config, logger: options.logger ?? silentLogger, clock, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}

/** Answers `path` with `status` + `body` at the real base URL and records what the plugin sent. */
function serve(method: "get" | "post" | "patch", path: string, status: number, body: unknown, headers: Record<string, string> = {}): Seen[] {
  const seen: Seen[] = [];
  mswServer.use(
    http[method](`${API}${path}`, async ({ request }) => {
      const text = await request.text();
      seen.push({ method: request.method, url: request.url, authorization: request.headers.get("authorization"), body: text ? JSON.parse(text) : undefined });
      return HttpResponse.json(body as Record<string, unknown>, { status, headers });
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

describe("hubspot settings", () => {
  it("default to HubSpot's API and need a token", () => {
    expect(hubspotConfigSchema.parse({ accessToken: TOKEN })).toEqual({ accessToken: TOKEN, apiBaseUrl: API });
    expect(hubspotConfigSchema.parse({ accessToken: TOKEN, apiBaseUrl: "https://proxy.example/hubspot/" }).apiBaseUrl).toBe("https://proxy.example/hubspot");
    const missing = hubspotConfigSchema.safeParse({});
    expect(missing.success).toBe(false);
    if (!missing.success) expect(missing.error.issues[0]).toMatchObject({ path: ["accessToken"], message: expect.stringContaining("Private Apps") });
  });

  it.each([
    [{ accessToken: "pat-eu1 abc" }, "accessToken", "spaces"],
    [{ accessToken: TOKEN, apiBaseUrl: "http://api.hubapi.com" }, "apiBaseUrl", "https"],
    [{ accessToken: TOKEN, apiBaseUrl: "not a url" }, "apiBaseUrl", "absolute URL"],
    [{ accessToken: TOKEN, apiBaseUrl: "https://u:p@api.hubapi.com" }, "apiBaseUrl", "credentials"],
    [{ accessToken: TOKEN, portalId: 1 }, "", "Unrecognized key"],
  ])("refuse %j with a message on %s", (input, field, text) => {
    const result = hubspotConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    const issue = result.error.issues.find((i) => i.path.join(".") === field);
    expect(issue?.message).toContain(text);
  });

  it("mark the token as the secret", () => {
    expect(hubspotPlugin.secretKeys).toEqual(["accessToken"]);
    expect(hubspotPlugin.capabilities).toEqual(["crm"]);
  });
});

describe("hubspot findContact (recorded search answers)", () => {
  it("searches contacts by email with a Bearer token and maps the documented answer", async () => {
    const seen = serve("post", "/crm/v3/objects/contacts/search", 200, fixture("hubspot_crm_v3_contacts_search_200.json"));
    const contact = await crm().findContact({ email: " TestPerson@HubSpot.com " });
    expect(contact).toEqual({ id: "100451", email: "testperson@hubspot.com", phone: null, firstName: "Test", lastName: "Person", tags: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.body).toEqual({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "testperson@hubspot.com" }] }],
      properties: ["email", "phone", "mobilephone", "firstname", "lastname"],
      sorts: [{ propertyName: "createdate", direction: "ASCENDING" }],
      limit: 10,
    });
  });

  it("takes the result whose email matches, not merely the first one", async () => {
    serve("post", "/crm/v3/objects/contacts/search", 200, fixture("hubspot_crm_v3_contacts_search_200.json"));
    const contact = await crm().findContact({ email: "emailmaria@hubspot.com" });
    expect(contact).toMatchObject({ id: "57156923994", firstName: "Maria", lastName: "Johnson (Sample Contact)" });
  });

  it("searches a phone in E.164 in both phone fields, one filter group each (groups are ORed)", async () => {
    const seen = serve("post", "/crm/v3/objects/contacts/search", 200, fixture("hubspot_crm_v3_contacts_search_200_empty.json"));
    expect(await crm().findContact({ phone: "06 45 78 90 12" })).toBeNull();
    expect(seen[0]?.body).toMatchObject({
      filterGroups: [
        { filters: [{ propertyName: "phone", operator: "EQ", value: "+33645789012" }] },
        { filters: [{ propertyName: "mobilephone", operator: "EQ", value: "+33645789012" }] },
      ],
    });
  });

  it("returns null on the documented empty answer", async () => {
    serve("post", "/crm/v3/objects/contacts/search", 200, fixture("hubspot_crm_v3_contacts_search_200_empty.json"));
    expect(await crm().findContact({ email: "nobody@exemple.fr" })).toBeNull();
  });
});

describe("hubspot errors", () => {
  it("turns 429 into a retryable error carrying Retry-After (seconds)", async () => {
    serve("post", "/crm/v3/objects/contacts/search", 429, fixture("hubspot_error_429_rate_limit.json"), { "Retry-After": "3" });
    const error = await rejection(crm().findContact({ email: "a@exemple.fr" }));
    expect(error).toBeInstanceOf(HubSpotApiError);
    const e = error as HubSpotApiError;
    expect(e.details).toEqual({ provider: "hubspot", status: 429, code: "RATE_LIMIT", retryable: true });
    expect(e.retryAfterMs).toBe(3000);
    expect(e.message).toContain("secondly limit");
  });

  it("reads an HTTP-date Retry-After against the injected clock", () => {
    expect(parseRetryAfter("Mon, 12 Jan 2026 09:15:30 GMT", clock.now())).toBe(30_000);
    expect(parseRetryAfter("Mon, 12 Jan 2026 09:00:00 GMT", clock.now())).toBe(0);
    expect(parseRetryAfter("soon", clock.now())).toBeNull();
    expect(parseRetryAfter(null, clock.now())).toBeNull();
  });

  it("turns 401 into a non-retryable error, and testConnection into a readable refusal", async () => {
    const seen = serve("get", "/crm/v3/objects/contacts", 401, fixture("hubspot_error_401_invalid_authentication.json"));
    const result = await crm().testConnection();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/refused the access token \(HTTP 401\)/);
    expect(new URL(seen[0]?.url ?? "").search).toBe("?limit=1");
    serve("post", "/crm/v3/objects/contacts/search", 401, fixture("hubspot_error_401_invalid_authentication.json"));
    const error = await rejection(crm().findContact({ email: "a@exemple.fr" }));
    expect((error as ProviderError).details).toEqual({ provider: "hubspot", status: 401, code: "INVALID_AUTHENTICATION", retryable: false });
  });

  it("reports an unreachable API and a timeout as retryable", async () => {
    // A port nobody listens on: connection refused.
    const refused = await rejection(crm({ apiBaseUrl: "http://127.0.0.1:9" }).findContact({ email: "a@exemple.fr" }));
    expect((refused as ProviderError).details).toMatchObject({ code: "NETWORK", retryable: true });
    mswServer.use(http.post(`${API}/crm/v3/objects/contacts/search`, async () => delay("infinite")));
    const slow = await rejection(crm({ timeoutMs: 50 }).findContact({ email: "a@exemple.fr" }));
    expect((slow as ProviderError).details).toMatchObject({ code: "TIMEOUT", retryable: true });
  });

  it("keeps the token out of logs and errors, even when the answer echoes it", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
    // A misbehaving proxy that quotes the request's Authorization header back.
    serve("post", "/crm/v3/objects/contacts/search", 401, { status: "error", message: `bad header: Bearer ${TOKEN}`, category: "INVALID_AUTHENTICATION" });
    const error = await rejection(crm({ logger }).findContact({ email: "julie.martin@exemple.fr" }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join("\n");
    expect(logged).toContain("[redacted]");
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain("julie.martin@exemple.fr");
    expect(String((error as Error).message)).not.toContain(TOKEN);
    serve("get", "/crm/v3/objects/contacts", 401, { status: "error", message: `token ${TOKEN} revoked`, category: "INVALID_AUTHENTICATION" });
    const connection = await crm({ logger }).testConnection();
    expect(connection.ok).toBe(false);
    expect(JSON.stringify(connection)).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});

describe("hubspot writes (local fake API)", () => {
  let fake: FakeHubSpotApi;
  const seed = fixture("hubspot_crm_v3_contacts_search_200.json") as HubSpotSearchFixture;

  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  const crmOn = (f: FakeHubSpotApi) =>
    createHubSpotCrm({ config: hubspotConfigSchema.parse({ accessToken: TOKEN, apiBaseUrl: f.url }), logger: silentLogger, clock });

  it("creates with POST and the HubSpot property names", async () => {
    fake = await startFakeHubSpotApi({ accounts: [{ token: TOKEN, seed }], clock });
    const contact = await crmOn(fake).upsertContact({ email: "Julie.Martin@Exemple.fr", phone: "+33 6 45 78 90 12", firstName: " Julie ", lastName: "Martin" });
    const create = fake.requests.find((r) => r.method === "POST" && r.path === "/crm/v3/objects/contacts");
    expect(create?.body).toEqual({ properties: { email: "julie.martin@exemple.fr", phone: "+33645789012", firstname: "Julie", lastname: "Martin" } });
    expect(contact).toMatchObject({ email: "julie.martin@exemple.fr", phone: "+33645789012", firstName: "Julie", lastName: "Martin" });
    expect(fake.portal(TOKEN).contacts.find((c) => c.id === contact.id)?.properties.email).toBe("julie.martin@exemple.fr");
  });

  it("updates with PATCH only what changed", async () => {
    fake = await startFakeHubSpotApi({ accounts: [{ token: TOKEN, seed }], clock });
    const contact = await crmOn(fake).upsertContact({ email: "testperson@hubspot.com", firstName: "Test", lastName: "Personne", phone: "+33645789012" });
    expect(contact.id).toBe("100451");
    const patch = fake.requests.find((r) => r.method === "PATCH");
    expect(patch?.path).toBe("/crm/v3/objects/contacts/100451");
    expect(patch?.body).toEqual({ properties: { lastname: "Personne", phone: "+33645789012" } });
    const before = fake.requests.length;
    await crmOn(fake).upsertContact({ email: "testperson@hubspot.com", lastName: "Personne" });
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(["POST"]); // the search only
  });

  it("updates the existing contact when search has not indexed it yet (409 names it)", async () => {
    fake = await startFakeHubSpotApi({ accounts: [{ token: TOKEN }], clock });
    fake.deferIndexing(true);
    const first = await crmOn(fake).upsertContact({ email: "julie@exemple.fr", firstName: "Julie" });
    const second = await crmOn(fake).upsertContact({ email: "julie@exemple.fr", lastName: "Martin" });
    expect(second).toMatchObject({ id: first.id, firstName: "Julie", lastName: "Martin" });
    expect(fake.portal(TOKEN).contacts).toHaveLength(1);
    expect(fake.requests.map((r) => [r.method, r.response.status])).toEqual([
      ["POST", 200],
      ["POST", 201],
      ["POST", 200],
      ["POST", 409],
      ["GET", 200],
      ["PATCH", 200],
    ]);
  });

  it("records a note with hs_timestamp from the clock and the note → contact association 202", async () => {
    fake = await startFakeHubSpotApi({ accounts: [{ token: TOKEN, seed }], clock });
    await crmOn(fake).addNote("100451", "  Robe fleurie bleue 38 mise de côté  ");
    const post = fake.requests.find((r) => r.path === "/crm/v3/objects/notes");
    expect(post?.body).toEqual({
      properties: { hs_timestamp: "2026-01-12T09:15:00.000Z", hs_note_body: "Robe fleurie bleue 38 mise de côté" },
      associations: [{ to: { id: "100451" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] }],
    });
    expect(fake.portal(TOKEN).notes.map((n) => n.contactIds)).toEqual([["100451"]]);
  });

  it("refuses a note for a missing contact without creating anything, and a note too long", async () => {
    fake = await startFakeHubSpotApi({ accounts: [{ token: TOKEN, seed }], clock });
    expect(await rejection(crmOn(fake).addNote("424242", "x"))).toBeInstanceOf(NotFoundError);
    expect(await rejection(crmOn(fake).addNote("abc", "x"))).toBeInstanceOf(NotFoundError);
    expect(await rejection(crmOn(fake).addNote("100451", "x".repeat(65_537)))).toBeInstanceOf(InvalidPayloadError);
    expect(fake.portal(TOKEN).notes).toEqual([]);
    expect(fake.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual(["GET /crm/v3/objects/contacts/424242"]);
  });
});
