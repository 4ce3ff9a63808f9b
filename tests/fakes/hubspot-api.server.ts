/**
 * A local fake of HubSpot's CRM v3 API, just what the hubspot CRM plugin uses, answering with the
 * shapes of the recorded payloads (app/plugins/integrations/hubspot/fixtures/):
 *
 * - `POST /crm/v3/objects/contacts/search` (filterGroups ORed, filters ANDed; EQ only), sorted;
 * - `GET /crm/v3/objects/contacts?limit=` and `GET /crm/v3/objects/contacts/{id}`;
 * - `POST /crm/v3/objects/contacts` (409 CONFLICT "Contact already exists. Existing ID: …" on a
 *   known email) and `PATCH /crm/v3/objects/contacts/{id}`;
 * - `POST /crm/v3/objects/notes` (hs_timestamp required, association type 202 to a live contact).
 *
 * Each Bearer token is one HubSpot account (portal) with its own records, so two shops' tokens
 * never see each other's contacts. Every request is recorded; one the fake does not know (or a
 * search / note it cannot read) is answered 404 / 400 and listed in `unexpected`, which the
 * tests require to stay empty.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "~/lib/clock";

export interface HubSpotFakeObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface HubSpotFakeNote extends HubSpotFakeObject {
  /** Contact ids the note is associated with (type 202). */
  contactIds: string[];
}

export interface HubSpotRecordedRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  response: { status: number; body: unknown };
}

interface Portal {
  contacts: Map<string, HubSpotFakeObject>;
  notes: HubSpotFakeNote[];
  /** Contacts created but not yet visible to search (HubSpot indexes with a delay). */
  unindexed: Set<string>;
}

export interface FakeHubSpotApi {
  url: string;
  requests: HubSpotRecordedRequest[];
  /** Requests the fake does not implement (method + path). */
  unexpected: string[];
  /** The account behind a token (contacts and notes as HubSpot holds them). */
  portal(token: string): { contacts: HubSpotFakeObject[]; notes: HubSpotFakeNote[] };
  /**
   * The next request gets this status; the body defaults to HubSpot's error JSON for it (429:
   * the RATE_LIMIT shape). `retryAfterSeconds` adds a `Retry-After` header.
   */
  failNext(status: number, options?: { body?: unknown; retryAfterSeconds?: number }): void;
  /** Newly created contacts stay out of search results until `indexNow()` (HubSpot's indexing delay). */
  deferIndexing(on: boolean): void;
  indexNow(): void;
  close(): Promise<void>;
}

export interface HubSpotSearchFixture {
  results: Array<{ id: string; properties: Record<string, string | null>; createdAt: string; updatedAt: string; archived: boolean }>;
}

const DEFAULT_PROPERTIES = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"];
const CONTACT_PATH = /^\/crm\/v3\/objects\/contacts\/(\d+)$/;

export async function startFakeHubSpotApi(options: {
  /** Tokens the fake accepts, each its own account; `seed` fills the account's contacts. */
  accounts: Array<{ token: string; seed?: HubSpotSearchFixture }>;
  clock?: Clock;
}): Promise<FakeHubSpotApi> {
  const clock = options.clock ?? systemClock;
  const portals = new Map<string, Portal>();
  let nextId = 900_000_001;
  for (const account of options.accounts) {
    const portal: Portal = { contacts: new Map(), notes: [], unindexed: new Set() };
    for (const result of account.seed?.results ?? []) {
      portal.contacts.set(result.id, structuredClone(result));
      nextId = Math.max(nextId, Number(result.id) + 1);
    }
    portals.set(account.token, portal);
  }
  const requests: HubSpotRecordedRequest[] = [];
  const unexpected: string[] = [];
  const planned: Array<{ status: number; body?: unknown; retryAfterSeconds?: number }> = [];
  let deferIndexing = false;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const method = req.method ?? "";
      const path = req.url ?? "/";
      let body: unknown = undefined;
      try {
        body = rawBody === "" ? undefined : (JSON.parse(rawBody) as unknown);
      } catch {
        body = rawBody;
      }
      const record: HubSpotRecordedRequest = { method, path, headers: req.headers, body, response: { status: 0, body: undefined } };
      requests.push(record);
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        record.response = { status, body: payload };
        res.writeHead(status, { "Content-Type": "application/json;charset=utf-8", ...headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
      };
      const error = (status: number, category: string, message: string) =>
        reply(status, { status: "error", message, correlationId: `fake-${requests.length}`, category });

      const next = planned.shift();
      if (next) {
        const headers: Record<string, string> = next.retryAfterSeconds === undefined ? {} : { "Retry-After": String(next.retryAfterSeconds) };
        reply(next.status, next.body ?? defaultErrorBody(next.status, requests.length), headers);
        return;
      }

      // HubSpot authenticates before anything else.
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const portal = token === undefined ? undefined : portals.get(token);
      if (!portal) {
        error(
          401,
          "INVALID_AUTHENTICATION",
          "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        );
        return;
      }
      const url = new URL(path, "http://fake.local");
      const now = clock.now().toISOString();
      const contactMatch = CONTACT_PATH.exec(url.pathname);

      if (method === "POST" && url.pathname === "/crm/v3/objects/contacts/search") {
        const search = parseSearch(body);
        if (typeof search === "string") {
          unexpected.push(`${method} ${path}: ${search}`);
          error(400, "VALIDATION_ERROR", search);
          return;
        }
        const matches = [...portal.contacts.values()]
          .filter((c) => !c.archived && !portal.unindexed.has(c.id))
          .filter((c) => search.filterGroups.length === 0 || search.filterGroups.some((group) => group.every((f) => matchesEq(c, f.propertyName, f.value))))
          .sort((a, b) => (search.descending ? -1 : 1) * a.createdAt.localeCompare(b.createdAt));
        reply(200, {
          total: matches.length,
          results: matches.slice(0, search.limit).map((c) => view(c, search.properties)),
          ...(matches.length > search.limit ? { paging: { next: { after: String(search.limit) } } } : {}),
        });
        return;
      }

      if (method === "GET" && url.pathname === "/crm/v3/objects/contacts") {
        const limit = Number(url.searchParams.get("limit") ?? "10");
        const live = [...portal.contacts.values()].filter((c) => !c.archived);
        reply(200, { results: live.slice(0, limit).map((c) => view(c, [])) });
        return;
      }

      if (method === "GET" && contactMatch) {
        const contact = portal.contacts.get(contactMatch[1] ?? "");
        if (!contact || contact.archived) {
          error(404, "OBJECT_NOT_FOUND", "resource not found");
          return;
        }
        const properties = (url.searchParams.get("properties") ?? "").split(",").filter(Boolean);
        reply(200, view(contact, properties));
        return;
      }

      if (method === "POST" && url.pathname === "/crm/v3/objects/contacts") {
        const properties = readProperties(body);
        if (!properties) {
          error(400, "VALIDATION_ERROR", "Invalid input JSON: properties must be an object of strings");
          return;
        }
        const email = properties.email?.toLowerCase();
        const existing = email ? [...portal.contacts.values()].find((c) => c.properties.email?.toLowerCase() === email) : undefined;
        if (existing) {
          error(409, "CONFLICT", `Contact already exists. Existing ID: ${existing.id}`);
          return;
        }
        const id = String(nextId++);
        const contact: HubSpotFakeObject = {
          id,
          properties: { ...properties, ...(email ? { email } : {}), hs_object_id: id, createdate: now, lastmodifieddate: now },
          createdAt: now,
          updatedAt: now,
          archived: false,
        };
        portal.contacts.set(id, contact);
        if (deferIndexing) portal.unindexed.add(id);
        reply(201, view(contact, Object.keys(contact.properties)));
        return;
      }

      if (method === "PATCH" && contactMatch) {
        const contact = portal.contacts.get(contactMatch[1] ?? "");
        if (!contact || contact.archived) {
          error(404, "OBJECT_NOT_FOUND", "resource not found");
          return;
        }
        const properties = readProperties(body);
        if (!properties) {
          error(400, "VALIDATION_ERROR", "Invalid input JSON: properties must be an object of strings");
          return;
        }
        const email = properties.email?.toLowerCase();
        const other = email ? [...portal.contacts.values()].find((c) => c.id !== contact.id && c.properties.email?.toLowerCase() === email) : undefined;
        if (other) {
          error(409, "CONFLICT", `Contact already exists. Existing ID: ${other.id}`);
          return;
        }
        contact.properties = { ...contact.properties, ...properties, ...(email ? { email } : {}), lastmodifieddate: now };
        contact.updatedAt = now;
        reply(200, view(contact, Object.keys(contact.properties)));
        return;
      }

      if (method === "POST" && url.pathname === "/crm/v3/objects/notes") {
        const note = parseNote(body);
        if (typeof note === "string") {
          unexpected.push(`${method} ${path}: ${note}`);
          error(400, "VALIDATION_ERROR", note);
          return;
        }
        const missing = note.contactIds.find((id) => !portal.contacts.get(id) || portal.contacts.get(id)?.archived);
        if (missing) {
          // HubSpot's exact answer here is undocumented; the plugin reads the contact first.
          error(400, "VALIDATION_ERROR", `One or more associations are invalid: contact ${missing} does not exist`);
          return;
        }
        const id = String(nextId++);
        const created: HubSpotFakeNote = {
          id,
          properties: { ...note.properties, hs_object_id: id, hs_createdate: now, hs_lastmodifieddate: now },
          createdAt: now,
          updatedAt: now,
          archived: false,
          contactIds: note.contactIds,
        };
        portal.notes.push(created);
        reply(201, view(created, Object.keys(created.properties)));
        return;
      }

      unexpected.push(`${method} ${path}`);
      error(404, "OBJECT_NOT_FOUND", `fake HubSpot API: no route for ${method} ${url.pathname}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    portal(token) {
      const portal = portals.get(token);
      if (!portal) throw new Error(`fake HubSpot API: unknown token`);
      return { contacts: [...portal.contacts.values()], notes: [...portal.notes] };
    },
    failNext: (status, opts = {}) => {
      planned.push({ status, ...opts });
    },
    deferIndexing: (on) => {
      deferIndexing = on;
    },
    indexNow: () => {
      for (const portal of portals.values()) portal.unindexed.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function defaultErrorBody(status: number, n: number): unknown {
  if (status === 429) {
    return {
      status: "error",
      message: "You have reached your secondly limit.",
      errorType: "RATE_LIMIT",
      correlationId: `fake-${n}`,
      policyName: "TEN_SECONDLY_ROLLING",
      requestId: `fake-request-${n}`,
    };
  }
  const category = status === 401 ? "INVALID_AUTHENTICATION" : status === 403 ? "MISSING_SCOPES" : status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR";
  return { status: "error", message: http.STATUS_CODES[status] ?? "error", correlationId: `fake-${n}`, category };
}

/** A contact as HubSpot returns it: the asked properties plus the defaults, values as strings or null. */
function view(object: HubSpotFakeObject, asked: string[]): HubSpotFakeObject {
  const names = new Set([...DEFAULT_PROPERTIES, ...asked]);
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = object.properties[name] ?? null;
  return { id: object.id, properties, createdAt: object.createdAt, updatedAt: object.updatedAt, archived: object.archived };
}

function matchesEq(contact: HubSpotFakeObject, property: string, value: string): boolean {
  const stored = contact.properties[property];
  if (stored === null || stored === undefined) return false;
  // HubSpot compares string values without case.
  return stored.toLowerCase() === value.toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readProperties(body: unknown): Record<string, string> | null {
  if (!isRecord(body) || !isRecord(body.properties)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.properties)) {
    if (typeof v !== "string") return null;
    out[k] = v;
  }
  return out;
}

function parseSearch(
  body: unknown,
): { filterGroups: Array<Array<{ propertyName: string; value: string }>>; properties: string[]; limit: number; descending: boolean } | string {
  if (!isRecord(body)) return "Invalid input JSON: a request body was expected";
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups) || groups.length > 5) return "filterGroups must be an array of at most 5 groups";
  const filterGroups: Array<Array<{ propertyName: string; value: string }>> = [];
  for (const group of groups) {
    if (!isRecord(group) || !Array.isArray(group.filters)) return "each filter group needs filters";
    const filters: Array<{ propertyName: string; value: string }> = [];
    for (const filter of group.filters) {
      if (!isRecord(filter) || typeof filter.propertyName !== "string" || typeof filter.value !== "string") return "each filter needs propertyName and value";
      if (filter.operator !== "EQ") return `the fake HubSpot API supports the EQ operator only (got ${String(filter.operator)})`;
      filters.push({ propertyName: filter.propertyName, value: filter.value });
    }
    filterGroups.push(filters);
  }
  const properties = Array.isArray(body.properties) ? body.properties.filter((p): p is string => typeof p === "string") : [];
  const limit = typeof body.limit === "number" ? Math.min(Math.max(body.limit, 1), 200) : 10;
  const sort = Array.isArray(body.sorts) ? body.sorts[0] : undefined;
  if (sort !== undefined && !(isRecord(sort) && sort.propertyName === "createdate")) return "the fake HubSpot API sorts on createdate only";
  return { filterGroups, properties, limit, descending: isRecord(sort) && sort.direction === "DESCENDING" };
}

function parseNote(body: unknown): { properties: Record<string, string>; contactIds: string[] } | string {
  const properties = readProperties(body);
  if (!properties) return "Invalid input JSON: properties must be an object of strings";
  if (!properties.hs_timestamp || Number.isNaN(Date.parse(properties.hs_timestamp))) return "hs_timestamp is required (ISO 8601 or epoch ms)";
  if (!isRecord(body) || !Array.isArray(body.associations)) return "associations must be an array";
  const contactIds: string[] = [];
  for (const association of body.associations) {
    if (!isRecord(association) || !isRecord(association.to) || typeof association.to.id !== "string" || !Array.isArray(association.types)) {
      return "each association needs to.id and types";
    }
    const type = association.types[0];
    if (!isRecord(type) || type.associationCategory !== "HUBSPOT_DEFINED" || type.associationTypeId !== 202) {
      return `the fake HubSpot API knows the note → contact association (HUBSPOT_DEFINED 202) only`;
    }
    contactIds.push(association.to.id);
  }
  return { properties, contactIds };
}
