/**
 * The Salesforce `Crm`: Contacts through the REST API and SOQL, interactions as completed Tasks
 * on the contact. Plain `fetch` with the OAuth access token as a Bearer token.
 *
 * - find:   GET {instanceUrl}/services/data/v{version}/query?q=SELECT … FROM Contact WHERE …,
 *           following `nextRecordsUrl` while `done` is false
 *           https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query
 * - create: POST …/sobjects/Contact (LastName is required by Salesforce);
 *   update: PATCH …/sobjects/Contact/{Id} (204 No Content)
 *           https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 * - note:   POST …/sobjects/Task with WhoId (the contact), Subject, Description, Status Completed
 *           https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 *
 * Errors are Salesforce's JSON array `[{ message, errorCode, fields }]`. 401 INVALID_SESSION_ID
 * (expired token) and other 4xx are not retryable; 5xx, 429 and 403 REQUEST_LIMIT_EXCEEDED are,
 * with `retryAfterMs` when Salesforce sends `Retry-After`. The token never reaches a log or an error.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { toE164 } from "~/lib/phone";
import { createRedactingLogger, redact } from "~/lib/secrets.server";
import { InvalidPayloadError, NotFoundError, ProviderError, type Crm, type CrmContact } from "~/plugins/types";
import type { SalesforceConfig } from "./config";
import { soqlEquals } from "./soql";
import { normalizeEmail, normalizePhone, phoneOf } from "../contact-fields";

const PROVIDER = "salesforce";
const DEFAULT_TIMEOUT_MS = 10_000;
/** Pages of query results followed at most (2,000 records per page by default). */
const DEFAULT_MAX_PAGES = 10;
/**
 * Salesforce refuses a Contact without LastName (REQUIRED_FIELD_MISSING). A customer who gave no
 * name gets this one; it reads back as `lastName: null` and is replaced once a name is known.
 */
export const UNKNOWN_LAST_NAME = "(unknown)";
/** Task.Subject holds 255 characters; Task.Description 32,000. */
const MAX_SUBJECT_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 32_000;
/** 15- or 18-character record ids. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const CONTACT_FIELDS = ["Id", "FirstName", "LastName", "Email", "Phone", "MobilePhone"] as const;

export interface SalesforceCrmDeps {
  config: SalesforceConfig;
  logger: Logger;
  clock: Clock;
  /** The fetch to use (default: the global one). */
  http?: typeof fetch;
  /** Per-request timeout (connect + answer). Default 10 s. */
  timeoutMs?: number;
  /** Query pages followed at most. Default 10. */
  maxPages?: number;
}

/** A Salesforce refusal. `retryAfterMs`: how long Salesforce asked us to wait (`Retry-After`), when it said. */
export class SalesforceApiError extends ProviderError {
  override name = "SalesforceApiError";
  constructor(
    message: string,
    details: ProviderError["details"],
    readonly retryAfterMs: number | null = null,
    readonly fields: readonly string[] = [],
  ) {
    super(message, details);
  }
}

export interface SalesforceContactRecord {
  Id: string;
  FirstName: string | null;
  LastName: string | null;
  Email: string | null;
  Phone: string | null;
  MobilePhone: string | null;
}

/** A query result page: https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query */
interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

export interface SalesforceCrm extends Crm {
  /** Every record of a SOQL query, following `nextRecordsUrl` up to `maxPages` pages. */
  queryAll(soql: string): Promise<unknown[]>;
}

export function createSalesforceCrm({
  config,
  logger,
  clock,
  http,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  maxPages = DEFAULT_MAX_PAGES,
}: SalesforceCrmDeps): SalesforceCrm {
  const secrets = [config.accessToken];
  const log = createRedactingLogger(logger.child({ plugin: PROVIDER }), secrets);
  const doFetch: typeof fetch = http ?? ((input, init) => fetch(input, init));
  const dataPath = `/services/data/v${config.apiVersion}`;

  async function request(
    method: "GET" | "POST" | "PATCH",
    path: string,
    options: { body?: unknown; pii?: Array<string | null> } = {},
  ): Promise<unknown> {
    const scrub = [...secrets, ...(options.pii ?? []).filter((v): v is string => Boolean(v))];
    // Paths only (never a query string in logs: SOQL carries the customer's email or phone).
    const logPath = redact(path.split("?")[0] ?? path, scrub);
    let response: Response;
    try {
      response = await doFetch(`${config.instanceUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${config.accessToken}`,
          Accept: "application/json",
          ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const failure = new SalesforceApiError(redact(`Salesforce could not be reached (${method} ${logPath}): ${reason}`, scrub), {
        provider: PROVIDER,
        code: error instanceof Error && error.name === "TimeoutError" ? "TIMEOUT" : "NETWORK",
        retryable: true,
      });
      log.warn("Salesforce unreachable", { method, path: logPath, error: failure.message });
      throw failure;
    }

    const text = await response.text();
    if (response.ok) {
      if (text === "") return null; // 204 of a PATCH
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new SalesforceApiError(`Salesforce answered ${method} ${logPath} with a body that is not JSON`, {
          provider: PROVIDER,
          status: response.status,
          retryable: false,
        });
      }
    }

    const status = response.status;
    const first = parseErrorBody(text);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), clock.now());
    // 403 REQUEST_LIMIT_EXCEEDED: the org's API allowance is spent for now; it comes back.
    const retryable = status >= 500 || status === 429 || status === 408 || first.errorCode === "REQUEST_LIMIT_EXCEEDED";
    const message = redact(
      `Salesforce refused ${method} ${logPath} (HTTP ${status}${first.errorCode ? `, ${first.errorCode}` : ""})${first.message ? `: ${first.message}` : ""}`,
      scrub,
    );
    log.warn("Salesforce refused a request", { method, path: logPath, status, errorCode: first.errorCode, fields: first.fields, retryAfterMs, error: message });
    throw new SalesforceApiError(
      message,
      { provider: PROVIDER, status, ...(first.errorCode ? { code: first.errorCode } : {}), retryable },
      retryAfterMs,
      first.fields,
    );
  }

  async function queryAll(soql: string, pii: Array<string | null> = []): Promise<unknown[]> {
    const records: unknown[] = [];
    let page = readPage(await request("GET", `${dataPath}/query?q=${encodeURIComponent(soql)}`, { pii }));
    records.push(...page.records);
    for (let pages = 1; !page.done; pages++) {
      const next = page.nextRecordsUrl;
      // A relative path on the same instance; anything else would send our token elsewhere.
      if (!next || !next.startsWith("/services/data/") || next.includes("..") || next.includes("//")) {
        throw new SalesforceApiError(`Salesforce returned an unusable nextRecordsUrl (${String(next)})`, { provider: PROVIDER, retryable: false });
      }
      if (pages >= maxPages) {
        log.warn("query stopped after the page limit", { pages, records: records.length });
        break;
      }
      page = readPage(await request("GET", next, { pii }));
      records.push(...page.records);
    }
    return records;
  }

  /** The contact for these identities (email first), and every record the query returned. */
  async function findRecord(
    email: string | null,
    phone: string | null,
  ): Promise<{ match: SalesforceContactRecord | null; records: SalesforceContactRecord[] }> {
    const conditions: string[] = [];
    try {
      if (email) conditions.push(soqlEquals("Email", email));
      if (phone) conditions.push(soqlEquals("Phone", phone), soqlEquals("MobilePhone", phone));
    } catch (error) {
      // A control character SOQL cannot escape: no email address holds one.
      throw new InvalidPayloadError(error instanceof Error ? error.message : String(error));
    }
    // Oldest first: with duplicates, the original record is the one the shop knows.
    const soql = `SELECT ${CONTACT_FIELDS.join(", ")} FROM Contact WHERE ${conditions.join(" OR ")} ORDER BY CreatedDate ASC`;
    const records = (await queryAll(soql, [email, phone])).map(readContact);
    // The email is the stronger identity: a shared family phone must not merge two people.
    const byEmail = email ? records.find((r) => r.Email?.toLowerCase() === email) : undefined;
    const byPhone = phone ? records.find((r) => phoneOf(r.Phone) === phone || phoneOf(r.MobilePhone) === phone) : undefined;
    return { match: byEmail ?? byPhone ?? null, records };
  }

  return {
    queryAll: (soql) => queryAll(soql),

    async findContact(by) {
      const email = normalizeEmail(by.email);
      const phone = by.phone ? toE164(by.phone) : null;
      if (!email && !phone) return null;
      const { match } = await findRecord(email, phone);
      return match ? toContact(match) : null;
    },

    async upsertContact(input) {
      const email = normalizeEmail(input.email);
      const phone = normalizePhone(input.phone);
      if (!email && !phone) throw new InvalidPayloadError("upsertContact needs an email or a phone number");
      const firstName = input.firstName?.trim() || null;
      const lastName = input.lastName?.trim() || null;

      const { match: existing, records } = await findRecord(email, phone);
      if (existing) {
        const changes: Partial<Omit<SalesforceContactRecord, "Id">> = {};
        if (firstName && firstName !== existing.FirstName) changes.FirstName = firstName;
        if (lastName && lastName !== existing.LastName) changes.LastName = lastName;
        // Fill a missing identity, never overwrite one, never copy one another contact holds (the
        // same rules as the built-in CRM, where email and phone are messaging identities).
        if (email && !existing.Email) changes.Email = email;
        const phoneHeldByOther = records.some((r) => r.Id !== existing.Id && (phoneOf(r.Phone) === phone || phoneOf(r.MobilePhone) === phone));
        if (phone && !existing.Phone && !existing.MobilePhone && !phoneHeldByOther) changes.Phone = phone;
        if (Object.keys(changes).length > 0) {
          await request("PATCH", `${dataPath}/sobjects/Contact/${existing.Id}`, { body: changes, pii: [email, phone] });
        }
        return toContact({ ...existing, ...changes });
      }

      const fields = {
        ...(firstName ? { FirstName: firstName } : {}),
        LastName: lastName ?? UNKNOWN_LAST_NAME,
        ...(email ? { Email: email } : {}),
        ...(phone ? { Phone: phone } : {}),
      };
      const created = await request("POST", `${dataPath}/sobjects/Contact`, { body: fields, pii: [email, phone] });
      const id = createdId(created);
      log.info("contact created", { contactId: id });
      return toContact({ Id: id, FirstName: firstName, LastName: fields.LastName, Email: email, Phone: phone, MobilePhone: null });
    },

    async addNote(contactId, body) {
      const text = body.trim();
      if (!text) throw new InvalidPayloadError("a note cannot be empty");
      if (text.length > MAX_DESCRIPTION_LENGTH) throw new InvalidPayloadError(`a Salesforce task description is limited to ${MAX_DESCRIPTION_LENGTH} characters`);
      if (!RECORD_ID.test(contactId)) throw new NotFoundError(`no Salesforce contact ${contactId}`);
      const firstLine = text.split("\n", 1)[0] ?? text;
      const subject = truncate(`Coccinelle: ${firstLine}`, MAX_SUBJECT_LENGTH);
      try {
        await request("POST", `${dataPath}/sobjects/Task`, {
          body: {
            WhoId: contactId,
            Subject: subject,
            Description: text,
            Status: "Completed",
            // The day it happened, as a date (Task.ActivityDate is a date field, UTC here).
            ActivityDate: clock.now().toISOString().slice(0, 10),
          },
        });
      } catch (error) {
        // A WhoId that names no live contact is refused with a 400 about that field
        // (INVALID_CROSS_REFERENCE_KEY, ENTITY_IS_DELETED, MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION).
        if (
          error instanceof SalesforceApiError &&
          error.details.status === 400 &&
          (error.fields.includes("WhoId") || error.details.code === "ENTITY_IS_DELETED")
        ) {
          throw new NotFoundError(`no Salesforce contact ${contactId}: ${error.message}`);
        }
        throw error;
      }
    },

    async testConnection() {
      try {
        // An authenticated read of the object we use, on the configured API version.
        await request("GET", `${dataPath}/query?q=${encodeURIComponent("SELECT Id FROM Contact LIMIT 1")}`);
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: describeFailure(error, config, secrets) };
      }
    },
  };
}

function describeFailure(error: unknown, config: SalesforceConfig, secrets: string[]): string {
  if (error instanceof ProviderError) {
    const { status, code } = error.details;
    if (status === 401) return redact(`Salesforce refused the access token (expired or revoked): paste a new one. ${error.message}`, secrets);
    if (status === 404) return `API version ${config.apiVersion} is not available on ${config.instanceUrl} (GET /services/data/ lists the versions). ${error.message}`;
    if (status === 403 && code !== "REQUEST_LIMIT_EXCEEDED") return `The user behind the token cannot read Contacts or use the API. ${error.message}`;
    return error.message;
  }
  return redact(error instanceof Error ? error.message : String(error), secrets);
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function toContact(record: SalesforceContactRecord): CrmContact {
  return {
    id: record.Id,
    email: record.Email,
    phone: phoneOf(record.Phone) ?? phoneOf(record.MobilePhone),
    firstName: record.FirstName,
    lastName: record.LastName === UNKNOWN_LAST_NAME ? null : record.LastName,
    // Salesforce Contacts have no free tags (topics and campaigns play that part).
    tags: [],
  };
}

function fieldsOf(value: unknown): Map<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? new Map(Object.entries(value)) : new Map();
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function readContact(value: unknown): SalesforceContactRecord {
  const fields = fieldsOf(value);
  const id = fields.get("Id");
  if (typeof id !== "string") throw new SalesforceApiError("Salesforce returned a Contact without Id", { provider: PROVIDER, retryable: false });
  return {
    Id: id,
    FirstName: stringOrNull(fields.get("FirstName")),
    LastName: stringOrNull(fields.get("LastName")),
    Email: stringOrNull(fields.get("Email")),
    Phone: stringOrNull(fields.get("Phone")),
    MobilePhone: stringOrNull(fields.get("MobilePhone")),
  };
}

function readPage(value: unknown): QueryPage {
  const fields = fieldsOf(value);
  const done = fields.get("done");
  const records = fields.get("records");
  const next = fields.get("nextRecordsUrl");
  if (typeof done !== "boolean" || !Array.isArray(records)) {
    throw new SalesforceApiError("Salesforce answered a query without `done` and `records`", { provider: PROVIDER, retryable: false });
  }
  return { done, records, ...(typeof next === "string" ? { nextRecordsUrl: next } : {}) };
}

/** `{ id, success, errors }` of a create. */
function createdId(value: unknown): string {
  const fields = fieldsOf(value);
  const id = fields.get("id");
  if (typeof id !== "string" || fields.get("success") === false) {
    throw new SalesforceApiError("Salesforce did not return the new record's id", { provider: PROVIDER, retryable: false });
  }
  return id;
}

/** The first error of Salesforce's `[{ message, errorCode, fields }]` (or a proxy's text). */
function parseErrorBody(text: string): { message?: string; errorCode?: string; fields: string[] } {
  try {
    const value: unknown = JSON.parse(text);
    const first = fieldsOf(Array.isArray(value) ? value[0] : value);
    const message = first.get("message");
    const errorCode = first.get("errorCode");
    const fields = first.get("fields");
    return {
      ...(typeof message === "string" ? { message } : {}),
      ...(typeof errorCode === "string" ? { errorCode } : {}),
      fields: Array.isArray(fields) ? fields.filter((f): f is string => typeof f === "string") : [],
    };
  } catch {
    return text.trim() === "" ? { fields: [] } : { message: text.trim().slice(0, 200), fields: [] };
  }
}

/** `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; null when absent or unreadable. */
function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === "") return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
