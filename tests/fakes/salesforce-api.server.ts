/**
 * A local fake of a Salesforce org's REST API, just what the salesforce CRM plugin uses:
 *
 * - `GET /services/data/` (the API versions, no authentication, as on a real org);
 * - `GET /services/data/v{version}/query?q=…` for Contacts: a real little SOQL reader for
 *   `SELECT fields FROM Contact [WHERE Field = '…' [OR …]] [ORDER BY CreatedDate ASC|DESC] [LIMIT n]`,
 *   string literals decoded with SOQL's escape sequences (an unescaped quote is MALFORMED_QUERY),
 *   comparisons without case; results paged by `batchSize` with `nextRecordsUrl`
 *   (`GET /services/data/v{version}/query/{cursor}`), pages shaped like the recorded fixtures;
 * - `POST /services/data/v{version}/sobjects/Contact` (LastName required),
 *   `PATCH …/sobjects/Contact/{Id}` (204), `POST …/sobjects/Task` (WhoId must name a Contact).
 *
 * Each Bearer token is one org with its own records. Errors use Salesforce's
 * `[{ message, errorCode, fields }]`. A request the fake does not know (or SOQL it cannot read) is
 * listed in `unexpected`, which the tests require to stay empty.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "~/lib/clock";

export interface SalesforceFakeContact {
  Id: string;
  FirstName: string | null;
  LastName: string;
  Email: string | null;
  Phone: string | null;
  MobilePhone: string | null;
  CreatedDate: string;
}

export interface SalesforceFakeTask {
  Id: string;
  WhoId: string;
  Subject: string;
  Description: string | null;
  Status: string;
  ActivityDate: string | null;
}

export interface SalesforceRecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The SOQL of a query request, decoded. */
  soql: string | null;
  response: { status: number; body: unknown };
}

export interface FakeSalesforceApi {
  /** The instance URL to configure (`http://127.0.0.1:<port>`). */
  url: string;
  requests: SalesforceRecordedRequest[];
  unexpected: string[];
  org(token: string): { contacts: SalesforceFakeContact[]; tasks: SalesforceFakeTask[] };
  /** The next request gets this status, with Salesforce's error array (or `body`). */
  failNext(status: number, options?: { body?: unknown; retryAfterSeconds?: number }): void;
  close(): Promise<void>;
}

type SeedContact = Partial<Omit<SalesforceFakeContact, "Id" | "LastName">> & { Id: string; LastName: string };

const CONTACT_FIELDS = new Set(["Id", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "CreatedDate", "Name"]);
const WRITABLE_CONTACT_FIELDS = new Set(["FirstName", "LastName", "Email", "Phone", "MobilePhone"]);
const WRITABLE_TASK_FIELDS = new Set(["WhoId", "Subject", "Description", "Status", "ActivityDate"]);

interface Org {
  contacts: Map<string, SalesforceFakeContact>;
  tasks: SalesforceFakeTask[];
}

export async function startFakeSalesforceApi(options: {
  orgs: Array<{ token: string; seed?: SeedContact[] }>;
  /** API versions the org offers. Default 62.0 and 66.0 (the fixtures' version). */
  versions?: string[];
  /** Records per query page (Salesforce's default is 2,000). */
  batchSize?: number;
  clock?: Clock;
}): Promise<FakeSalesforceApi> {
  const clock = options.clock ?? systemClock;
  const versions = options.versions ?? ["62.0", "66.0"];
  const batchSize = options.batchSize ?? 2000;
  const orgs = new Map<string, Org>();
  let counter = 1;
  const newId = (prefix: string) => `${prefix}FAKE${String(counter++).padStart(11, "0")}`;
  for (const { token, seed } of options.orgs) {
    const org: Org = { contacts: new Map(), tasks: [] };
    for (const c of seed ?? []) {
      org.contacts.set(c.Id, {
        FirstName: null,
        Email: null,
        Phone: null,
        MobilePhone: null,
        CreatedDate: "2024-01-01T00:00:00.000+0000",
        ...c,
      });
    }
    orgs.set(token, org);
  }
  const cursors = new Map<string, { token: string; version: string; rows: Array<Record<string, unknown>> }>();
  const requests: SalesforceRecordedRequest[] = [];
  const unexpected: string[] = [];
  const planned: Array<{ status: number; body?: unknown; retryAfterSeconds?: number }> = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const method = req.method ?? "";
      const path = req.url ?? "/";
      const url = new URL(path, "http://fake.local");
      let body: unknown = undefined;
      try {
        body = rawBody === "" ? undefined : (JSON.parse(rawBody) as unknown);
      } catch {
        body = rawBody;
      }
      const record: SalesforceRecordedRequest = {
        method,
        path,
        headers: req.headers,
        body,
        soql: url.searchParams.get("q"),
        response: { status: 0, body: undefined },
      };
      requests.push(record);
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        record.response = { status, body: payload };
        res.writeHead(status, payload === undefined ? headers : { "Content-Type": "application/json;charset=UTF-8", ...headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
      };
      const error = (status: number, errorCode: string, message: string, fields?: string[]) =>
        reply(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
      const refuse = (status: number, errorCode: string, message: string, fields?: string[]) => {
        unexpected.push(`${method} ${path}: ${message}`);
        error(status, errorCode, message, fields);
      };

      const next = planned.shift();
      if (next) {
        const headers: Record<string, string> = next.retryAfterSeconds === undefined ? {} : { "Retry-After": String(next.retryAfterSeconds) };
        reply(next.status, next.body ?? defaultErrorBody(next.status), headers);
        return;
      }

      if (method === "GET" && (url.pathname === "/services/data/" || url.pathname === "/services/data")) {
        reply(
          200,
          versions.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })),
        );
        return;
      }

      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const org = token === undefined ? undefined : orgs.get(token);
      if (!token || !org) {
        error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        return;
      }
      const versioned = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(url.pathname);
      if (!versioned) {
        unexpected.push(`${method} ${path}`);
        error(404, "NOT_FOUND", "The requested resource does not exist");
        return;
      }
      const version = versioned[1] ?? "";
      const rest = versioned[2] ?? "";
      if (!versions.includes(version)) {
        error(404, "NOT_FOUND", "The requested resource does not exist");
        return;
      }
      const now = clock.now().toISOString().replace("Z", "+0000");

      if (method === "GET" && rest === "/query") {
        const soql = url.searchParams.get("q") ?? "";
        const query = parseSoql(soql);
        if (typeof query === "string") {
          refuse(400, "MALFORMED_QUERY", query);
          return;
        }
        const rows = [...org.contacts.values()]
          .filter((c) => query.where.length === 0 || query.where.some(({ field, value }) => equalsIgnoringCase(c, field, value)))
          .sort((a, b) => (query.descending ? -1 : 1) * a.CreatedDate.localeCompare(b.CreatedDate))
          .slice(0, query.limit ?? undefined)
          .map((c) => project(c, query.fields, version));
        reply(200, page(rows, 0, token, version));
        return;
      }

      const cursorMatch = /^\/query\/([A-Za-z0-9]+)-(\d+)$/.exec(rest);
      if (method === "GET" && cursorMatch) {
        const cursor = cursors.get(cursorMatch[1] ?? "");
        if (!cursor || cursor.token !== token) {
          error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
          return;
        }
        reply(200, page(cursor.rows, Number(cursorMatch[2]), token, cursor.version, cursorMatch[1]));
        return;
      }

      if (method === "POST" && rest === "/sobjects/Contact") {
        const fields = readFields(body, WRITABLE_CONTACT_FIELDS);
        if (typeof fields === "string") {
          refuse(400, "INVALID_FIELD", fields);
          return;
        }
        if (!fields.LastName) {
          error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ["LastName"]);
          return;
        }
        const id = newId("003");
        org.contacts.set(id, {
          Id: id,
          FirstName: fields.FirstName ?? null,
          LastName: fields.LastName,
          Email: fields.Email ?? null,
          Phone: fields.Phone ?? null,
          MobilePhone: fields.MobilePhone ?? null,
          CreatedDate: now,
        });
        reply(201, { id, success: true, errors: [] });
        return;
      }

      const contactMatch = /^\/sobjects\/Contact\/([A-Za-z0-9]+)$/.exec(rest);
      if (method === "PATCH" && contactMatch) {
        const contact = org.contacts.get(contactMatch[1] ?? "");
        if (!contact) {
          error(404, "NOT_FOUND", "The requested resource does not exist");
          return;
        }
        const fields = readFields(body, WRITABLE_CONTACT_FIELDS);
        if (typeof fields === "string") {
          refuse(400, "INVALID_FIELD", fields);
          return;
        }
        if (fields.LastName === "") {
          error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ["LastName"]);
          return;
        }
        Object.assign(contact, fields);
        reply(204, undefined);
        return;
      }

      if (method === "POST" && rest === "/sobjects/Task") {
        const fields = readFields(body, WRITABLE_TASK_FIELDS);
        if (typeof fields === "string") {
          refuse(400, "INVALID_FIELD", fields);
          return;
        }
        if (!fields.Subject || !fields.Status) {
          refuse(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Subject, Status]", ["Subject", "Status"]);
          return;
        }
        if (!fields.WhoId || !/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(fields.WhoId)) {
          error(400, "MALFORMED_ID", `Name ID: id value of incorrect type: ${fields.WhoId ?? ""}`, ["WhoId"]);
          return;
        }
        if (!org.contacts.has(fields.WhoId)) {
          error(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["WhoId"]);
          return;
        }
        const id = newId("00T");
        org.tasks.push({
          Id: id,
          WhoId: fields.WhoId,
          Subject: fields.Subject,
          Description: fields.Description ?? null,
          Status: fields.Status,
          ActivityDate: fields.ActivityDate ?? null,
        });
        reply(201, { id, success: true, errors: [] });
        return;
      }

      unexpected.push(`${method} ${path}`);
      error(404, "NOT_FOUND", "The requested resource does not exist");
    });
  });

  /** One page of `rows` from `offset`, registering a cursor when more remain. */
  function page(rows: Array<Record<string, unknown>>, offset: number, token: string, version: string, cursorId?: string) {
    const slice = rows.slice(offset, offset + batchSize);
    const nextOffset = offset + batchSize;
    const done = nextOffset >= rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const id = cursorId ?? `01gFAKE${String(counter++).padStart(8, "0")}`;
      cursors.set(id, { token, version, rows });
      nextRecordsUrl = `/services/data/v${version}/query/${id}-${nextOffset}`;
    }
    return { totalSize: rows.length, done, ...(nextRecordsUrl ? { nextRecordsUrl } : {}), records: slice };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    org(token) {
      const org = orgs.get(token);
      if (!org) throw new Error("fake Salesforce API: unknown token");
      return { contacts: [...org.contacts.values()], tasks: [...org.tasks] };
    },
    failNext: (status, opts = {}) => {
      planned.push({ status, ...opts });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function defaultErrorBody(status: number): unknown {
  if (status === 401) return [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }];
  if (status === 403) return [{ message: "insufficient access rights on object id", errorCode: "INSUFFICIENT_ACCESS" }];
  if (status >= 500) return [{ message: "An unexpected error occurred. Please include this ErrorId if you contact support", errorCode: "UNKNOWN_EXCEPTION" }];
  return [{ message: http.STATUS_CODES[status] ?? "error", errorCode: "BAD_REQUEST" }];
}

function project(contact: SalesforceFakeContact, fields: string[], version: string): Record<string, unknown> {
  const row: Record<string, unknown> = { attributes: { type: "Contact", url: `/services/data/v${version}/sobjects/Contact/${contact.Id}` } };
  for (const field of fields) {
    row[field] = field === "Name" ? [contact.FirstName, contact.LastName].filter(Boolean).join(" ") : contact[field as keyof SalesforceFakeContact];
  }
  return row;
}

function equalsIgnoringCase(contact: SalesforceFakeContact, field: string, value: string): boolean {
  const stored = contact[field as keyof SalesforceFakeContact];
  return typeof stored === "string" && stored.toLowerCase() === value.toLowerCase();
}

function readFields(body: unknown, allowed: Set<string>): Record<string, string | undefined> | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "the body must be a JSON object";
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!allowed.has(k)) return `No such column '${k}' on sobject (or not writable by the fake)`;
    if (typeof v !== "string") return `${k}: expected a string`;
    out[k] = v;
  }
  return out;
}

// ─────────────────────────────── SOQL subset ─────────────────────────────────

interface ParsedQuery {
  fields: string[];
  where: Array<{ field: string; value: string }>;
  descending: boolean;
  limit: number | null;
}

const SOQL_ESCAPES: Record<string, string> = { n: "\n", N: "\n", r: "\r", R: "\r", t: "\t", T: "\t", b: "\b", B: "\b", f: "\f", F: "\f", '"': '"', "'": "'", "\\": "\\" };

/** Reads the SOQL subset above; returns a MALFORMED_QUERY message for anything else. */
export function parseSoql(soql: string): ParsedQuery | string {
  let i = 0;
  const skipSpaces = () => {
    while (i < soql.length && /\s/.test(soql[i] ?? "")) i++;
  };
  const word = (): string => {
    skipSpaces();
    const start = i;
    while (i < soql.length && /[A-Za-z0-9_]/.test(soql[i] ?? "")) i++;
    return soql.slice(start, i);
  };
  const keyword = (expected: string): boolean => {
    const save = i;
    if (word().toUpperCase() === expected) return true;
    i = save;
    return false;
  };
  const literal = (): string | null => {
    skipSpaces();
    if (soql[i] !== "'") return null;
    i++;
    let out = "";
    while (i < soql.length) {
      const char = soql[i] ?? "";
      if (char === "'") {
        i++;
        return out;
      }
      if (char === "\\") {
        const next = soql[i + 1] ?? "";
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(soql.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(soql.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const decoded = SOQL_ESCAPES[next];
        if (decoded === undefined) return null; // "If you use a backslash character in any other context, an error occurs."
        out += decoded;
        i += 2;
        continue;
      }
      out += char;
      i++;
    }
    return null; // unterminated
  };

  if (!keyword("SELECT")) return "expected SELECT";
  const fields: string[] = [];
  for (;;) {
    const field = word();
    if (!CONTACT_FIELDS.has(field)) return `No such column '${field}' on entity 'Contact'`;
    fields.push(field);
    skipSpaces();
    if (soql[i] === ",") {
      i++;
      continue;
    }
    break;
  }
  if (!keyword("FROM") || word() !== "Contact") return "the fake reads FROM Contact only";
  const where: Array<{ field: string; value: string }> = [];
  if (keyword("WHERE")) {
    for (;;) {
      const field = word();
      if (!CONTACT_FIELDS.has(field)) return `No such column '${field}' on entity 'Contact'`;
      skipSpaces();
      if (soql[i] !== "=") return `unexpected token near '${soql.slice(i, i + 10)}' (the fake compares with = only)`;
      i++;
      const value = literal();
      if (value === null) return `malformed string literal near '${soql.slice(i, i + 20)}'`;
      where.push({ field, value });
      if (keyword("OR")) continue;
      break;
    }
  }
  let descending = false;
  if (keyword("ORDER")) {
    if (!keyword("BY") || word() !== "CreatedDate") return "the fake orders BY CreatedDate only";
    if (keyword("DESC")) descending = true;
    else keyword("ASC");
  }
  let limit: number | null = null;
  if (keyword("LIMIT")) {
    const n = word();
    if (!/^\d+$/.test(n)) return "LIMIT needs a number";
    limit = Number(n);
  }
  skipSpaces();
  if (i !== soql.length) return `unexpected token: '${soql.slice(i, i + 20)}'`;
  return { fields, where, descending, limit };
}
