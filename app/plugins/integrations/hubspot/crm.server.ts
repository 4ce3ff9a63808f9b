/**
 * The HubSpot `Crm`: contacts through the CRM v3 objects API, interactions as notes associated
 * with the contact. Plain `fetch` with a Bearer token (no SDK: five JSON endpoints).
 *
 * - find:   POST /crm/v3/objects/contacts/search, one filter group per identity (groups are ORed)
 *           https://developers.hubspot.com/docs/guides/api/crm/search
 * - create: POST /crm/v3/objects/contacts; update: PATCH /crm/v3/objects/contacts/{id}
 *           https://developers.hubspot.com/docs/guides/api/crm/objects/contacts
 * - note:   POST /crm/v3/objects/notes with `hs_timestamp`, `hs_note_body` and an association of
 *           HUBSPOT_DEFINED type 202 (note → contact)
 *           https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 *
 * Errors: 429 and 5xx are retryable `ProviderError`s carrying `retryAfterMs` from `Retry-After`
 * (the job queue owns retries: one place decides when to try again); 401/403 and other 4xx are not.
 * The token never reaches a log line or an error message (`createRedactingLogger`, `redact`).
 */
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { toE164 } from "~/lib/phone";
import { createRedactingLogger, redact } from "~/lib/secrets.server";
import { InvalidPayloadError, NotFoundError, ProviderError, type Crm, type CrmContact } from "~/plugins/types";
import type { HubSpotConfig } from "./config";
import { normalizeEmail, normalizePhone, phoneOf } from "../contact-fields";

const PROVIDER = "hubspot";
const DEFAULT_TIMEOUT_MS = 10_000;
/** note → contact, HUBSPOT_DEFINED (constant across portals; contact → note is 201). */
export const NOTE_TO_CONTACT_ASSOCIATION_TYPE_ID = 202;
/** `hs_note_body` is limited to 65,536 characters. */
const MAX_NOTE_LENGTH = 65_536;
const CONTACT_PROPERTIES = ["email", "phone", "mobilephone", "firstname", "lastname"] as const;
/** "Contact already exists. Existing ID: 12345" (409, category CONFLICT). */
const EXISTING_ID = /Existing ID:\s*(\d+)/;
const CONTACT_ID = /^\d{1,20}$/;

export interface HubSpotCrmDeps {
  config: HubSpotConfig;
  logger: Logger;
  clock: Clock;
  /** The fetch to use (default: the global one). */
  http?: typeof fetch;
  /** Per-request timeout (connect + answer). Default 10 s. */
  timeoutMs?: number;
}

/** A HubSpot refusal. `retryAfterMs`: how long HubSpot asked us to wait (`Retry-After`), when it said. */
export class HubSpotApiError extends ProviderError {
  override name = "HubSpotApiError";
  constructor(
    message: string,
    details: ProviderError["details"],
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, details);
  }
}

interface HubSpotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
}

type Properties = Partial<Record<(typeof CONTACT_PROPERTIES)[number], string>>;

export function createHubSpotCrm({ config, logger, clock, http, timeoutMs = DEFAULT_TIMEOUT_MS }: HubSpotCrmDeps): Crm {
  const secrets = [config.accessToken];
  const log = createRedactingLogger(logger.child({ plugin: PROVIDER }), secrets);
  const doFetch: typeof fetch = http ?? ((input, init) => fetch(input, init));

  async function request(
    method: "GET" | "POST" | "PATCH",
    path: string,
    options: { body?: unknown; pii?: Array<string | null>; notFound?: "null" } = {},
  ): Promise<unknown> {
    const url = `${config.apiBaseUrl}${path}`;
    const scrub = [...secrets, ...(options.pii ?? []).filter((v): v is string => Boolean(v))];
    let response: Response;
    try {
      response = await doFetch(url, {
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
      const failure = new HubSpotApiError(redact(`HubSpot could not be reached (${method} ${path}): ${reason}`, scrub), {
        provider: PROVIDER,
        code: error instanceof Error && error.name === "TimeoutError" ? "TIMEOUT" : "NETWORK",
        retryable: true,
      });
      log.warn("HubSpot unreachable", { method, path: redact(path, scrub), error: failure.message });
      throw failure;
    }

    const text = await response.text();
    if (response.ok) {
      if (text === "") return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new HubSpotApiError(`HubSpot answered ${method} ${path} with a body that is not JSON`, {
          provider: PROVIDER,
          status: response.status,
          retryable: false,
        });
      }
    }
    if (response.status === 404 && options.notFound === "null") return null;

    const body = parseErrorBody(text);
    const status = response.status;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), clock.now());
    // 429: rate limited (per 10 s or daily); 5xx and 408: HubSpot's side. Everything else is a
    // request HubSpot will refuse the same way next time (bad token 401, missing scope 403, 400…).
    const retryable = status === 429 || status === 408 || status >= 500;
    const category = body.category ?? (status === 401 ? "INVALID_AUTHENTICATION" : undefined);
    const message = redact(
      `HubSpot refused ${method} ${path} (HTTP ${status}${category ? `, ${category}` : ""})${body.message ? `: ${body.message}` : ""}`,
      scrub,
    );
    const failure = new HubSpotApiError(
      message,
      { provider: PROVIDER, status, ...(category ? { code: category } : {}), retryable },
      retryAfterMs,
    );
    log.warn("HubSpot refused a request", {
      method,
      path: redact(path, scrub),
      status,
      category,
      policyName: body.policyName,
      correlationId: body.correlationId,
      retryAfterMs,
      error: message,
    });
    throw failure;
  }

  /** The contact for these identities (email first), and every record the search returned. */
  async function search(email: string | null, phone: string | null): Promise<{ match: HubSpotObject | null; results: HubSpotObject[] }> {
    const filterGroups: Array<{ filters: Array<{ propertyName: string; operator: "EQ"; value: string }> }> = [];
    if (email) filterGroups.push({ filters: [{ propertyName: "email", operator: "EQ", value: email }] });
    if (phone) {
      // HubSpot keeps phone numbers as typed; we store and search the E.164 form in both fields.
      filterGroups.push({ filters: [{ propertyName: "phone", operator: "EQ", value: phone }] });
      filterGroups.push({ filters: [{ propertyName: "mobilephone", operator: "EQ", value: phone }] });
    }
    const answer = await request("POST", "/crm/v3/objects/contacts/search", {
      body: {
        filterGroups,
        properties: [...CONTACT_PROPERTIES],
        // Oldest first: with duplicates, the original record is the one the shop knows.
        sorts: [{ propertyName: "createdate", direction: "ASCENDING" }],
        limit: 10,
      },
      pii: [email, phone],
    });
    const results = readResults(answer);
    // The email is the stronger identity: a shared family phone must not merge two people.
    const byEmail = email ? results.find((r) => r.properties.email?.toLowerCase() === email) : undefined;
    const byPhone = phone
      ? results.find((r) => phoneOf(r.properties.phone) === phone || phoneOf(r.properties.mobilephone) === phone)
      : undefined;
    return { match: byEmail ?? byPhone ?? null, results };
  }

  async function getContact(id: string): Promise<HubSpotObject | null> {
    if (!CONTACT_ID.test(id)) return null;
    const query = new URLSearchParams({ properties: CONTACT_PROPERTIES.join(",") });
    const answer = await request("GET", `/crm/v3/objects/contacts/${id}?${query}`, { notFound: "null" });
    return answer === null ? null : readObject(answer);
  }

  /** `others`: records of the same search, to avoid giving this contact another one's phone. */
  async function update(existing: HubSpotObject, wanted: Properties, others: HubSpotObject[]): Promise<CrmContact> {
    const changes: Properties = {};
    const current = existing.properties;
    if (wanted.firstname && wanted.firstname !== current.firstname) changes.firstname = wanted.firstname;
    if (wanted.lastname && wanted.lastname !== current.lastname) changes.lastname = wanted.lastname;
    // Fill a missing identity, never overwrite one, never copy one another contact holds (the
    // same rules as the built-in CRM, where email and phone are messaging identities).
    if (wanted.email && !current.email) changes.email = wanted.email;
    const phoneHeldByOther = others.some(
      (o) => o.id !== existing.id && (phoneOf(o.properties.phone) === wanted.phone || phoneOf(o.properties.mobilephone) === wanted.phone),
    );
    if (wanted.phone && !current.phone && !current.mobilephone && !phoneHeldByOther) changes.phone = wanted.phone;
    if (Object.keys(changes).length === 0) return toContact(existing);
    const answer = await request("PATCH", `/crm/v3/objects/contacts/${existing.id}`, {
      body: { properties: changes },
      pii: [wanted.email ?? null, wanted.phone ?? null],
    });
    const updated = readObject(answer);
    return toContact({ id: updated.id, properties: { ...current, ...changes, ...definedOnly(updated.properties) } });
  }

  return {
    async findContact(by) {
      const email = normalizeEmail(by.email);
      const phone = by.phone ? toE164(by.phone) : null;
      if (!email && !phone) return null;
      const { match } = await search(email, phone);
      return match ? toContact(match) : null;
    },

    async upsertContact(input) {
      const email = normalizeEmail(input.email);
      const phone = normalizePhone(input.phone);
      if (!email && !phone) throw new InvalidPayloadError("upsertContact needs an email or a phone number");
      const wanted: Properties = {};
      if (email) wanted.email = email;
      if (phone) wanted.phone = phone;
      const firstName = input.firstName?.trim();
      const lastName = input.lastName?.trim();
      if (firstName) wanted.firstname = firstName;
      if (lastName) wanted.lastname = lastName;

      const { match, results } = await search(email, phone);
      if (match) return update(match, wanted, results);
      try {
        const created = readObject(
          await request("POST", "/crm/v3/objects/contacts", { body: { properties: wanted }, pii: [email, phone] }),
        );
        log.info("contact created", { contactId: created.id });
        return toContact({ id: created.id, properties: { ...wanted, ...definedOnly(created.properties) } });
      } catch (error) {
        // Search is eventually consistent (a contact created seconds ago may not be indexed yet);
        // the create then fails with 409 and names the existing record: update that one.
        const existingId = error instanceof HubSpotApiError && error.details.status === 409 ? EXISTING_ID.exec(error.message)?.[1] : undefined;
        if (!existingId) throw error;
        const record = await getContact(existingId);
        if (!record) throw error;
        return update(record, wanted, []);
      }
    },

    async addNote(contactId, body) {
      const text = body.trim();
      if (!text) throw new InvalidPayloadError("a note cannot be empty");
      if (text.length > MAX_NOTE_LENGTH) throw new InvalidPayloadError(`a HubSpot note is limited to ${MAX_NOTE_LENGTH} characters`);
      // HubSpot does not document its answer to an association with a record that does not exist:
      // read the contact first so that "no such contact" is a NotFoundError, not a guess.
      const contact = await getContact(contactId);
      if (!contact) throw new NotFoundError(`no HubSpot contact ${contactId}`);
      await request("POST", "/crm/v3/objects/notes", {
        body: {
          properties: { hs_timestamp: clock.now().toISOString(), hs_note_body: text },
          associations: [
            {
              to: { id: contact.id },
              types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: NOTE_TO_CONTACT_ASSOCIATION_TYPE_ID }],
            },
          ],
        },
      });
    },

    async testConnection() {
      try {
        // The cheapest authenticated read that needs the scope we use.
        await request("GET", "/crm/v3/objects/contacts?limit=1");
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: describeFailure(error, secrets) };
      }
    },
  };
}

function describeFailure(error: unknown, secrets: string[]): string {
  if (error instanceof ProviderError) {
    const { status } = error.details;
    if (status === 401) return redact(`HubSpot refused the access token (HTTP 401). Check or regenerate the private app token. ${error.message}`, secrets);
    if (status === 403) {
      return redact(`The token lacks a scope (HTTP 403): the app needs crm.objects.contacts.read and crm.objects.contacts.write. ${error.message}`, secrets);
    }
    return error.message;
  }
  return redact(error instanceof Error ? error.message : String(error), secrets);
}

function toContact(object: HubSpotObject): CrmContact {
  const p = object.properties;
  return {
    id: object.id,
    email: p.email ?? null,
    phone: phoneOf(p.phone) ?? phoneOf(p.mobilephone),
    firstName: p.firstname ?? null,
    lastName: p.lastname ?? null,
    // HubSpot contacts have no tags of their own (lists and properties play that part).
    tags: [],
  };
}

function definedOnly(properties: Record<string, string | null | undefined>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(properties)) if (v !== undefined) out[k] = v;
  return out;
}

function readObject(value: unknown): HubSpotObject {
  if (typeof value !== "object" || value === null || !("id" in value) || typeof value.id !== "string") {
    throw new HubSpotApiError("HubSpot answered without an object id", { provider: PROVIDER, retryable: false });
  }
  const raw = "properties" in value && typeof value.properties === "object" && value.properties !== null ? value.properties : {};
  const properties: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" || v === null) properties[k] = v;
  }
  return { id: value.id, properties };
}

function readResults(value: unknown): HubSpotObject[] {
  if (typeof value !== "object" || value === null || !("results" in value) || !Array.isArray(value.results)) {
    throw new HubSpotApiError("HubSpot search answered without results", { provider: PROVIDER, retryable: false });
  }
  return value.results.map(readObject);
}

/**
 * HubSpot's error JSON: `{ status: "error", message, correlationId, category, errors? }`; on 429
 * `{ status, message, errorType: "RATE_LIMIT", correlationId, policyName, requestId }`.
 * https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
 */
function parseErrorBody(text: string): { message?: string; category?: string; correlationId?: string; policyName?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    const fields = new Map<string, unknown>(Object.entries(value));
    const pick = (key: string) => {
      const field = fields.get(key);
      return typeof field === "string" ? field : undefined;
    };
    // 429 bodies say `errorType` ("RATE_LIMIT") and `policyName` instead of `category`.
    return {
      message: pick("message"),
      category: pick("category") ?? pick("errorType"),
      correlationId: pick("correlationId"),
      policyName: pick("policyName"),
    };
  } catch {
    // A proxy's HTML page: keep a short excerpt.
    return text.trim() === "" ? {} : { message: text.trim().slice(0, 200) };
  }
}

/** `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === "") return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
