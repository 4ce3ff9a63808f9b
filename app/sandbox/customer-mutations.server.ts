/**
 * Customer writes in the sandbox shop: `customerCreate`, `customerUpdate`, `tagsAdd` on customers,
 * and metafields (`metafieldsSet`, `Customer.metafield`, `Customer.metafields`).
 *
 * - Phone numbers are stored in E.164 (parsed in the shop's country); email and phone are unique
 *   in the shop, and a customer needs a name, an email or a phone, as on Shopify. Problems come
 *   back as `userErrors` and nothing is written.
 * - Metafield namespaces: `$app` and `$app:sub` stand for the app's reserved namespace,
 *   `app--{app id}` and `app--{app id}--sub` (https://shopify.dev/docs/apps/build/custom-data/ownership),
 *   both when writing and reading; a namespace reserved by another app is refused. `metafieldsSet`
 *   is atomic (every entry checked before any is written), takes at most 25 entries, and checks
 *   values against their type. Metafield definitions are not modelled, so `type` is required
 *   unless the metafield exists.
 * Input fields and types the sandbox does not model are refused with a named error.
 */
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { connection, type ConnectionArgs } from "./connections.server";
import type { FieldArgs, ObjectView, SandboxContext } from "./resolvers.server";
import { findRecord, parseGid, type CustomerRecord, type SandboxStore } from "./store.server";

// ───────────────────────────────── Records ─────────────────────────────────

export interface MetafieldRecord {
  id: string;
  legacyId: number;
  ownerId: string;
  /** Resolved: `app--7654321`, never `$app`. */
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The app's API client id in the sandbox, behind `$app` (any number works; Shopify's are numeric). */
export const SANDBOX_APP_ID = "7654321";
const APP_NAMESPACE = `app--${SANDBOX_APP_ID}`;
const METAFIELD_BASE = 15000;
const CUSTOMER_BASE = 6000;
const MAX_METAFIELDS_PER_SET = 25;

/** The views of `resolvers.server.ts` this module shows records with. */
export interface CustomerViews {
  customer(customer: CustomerRecord): ObjectView;
}

interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
  elementIndex?: number | null;
}

// ───────────────────────────────── Helpers ─────────────────────────────────

function formatDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function nextLegacyId(ids: Iterable<number>, base: number): number {
  let max = base;
  for (const id of ids) if (id > max) max = id;
  return max + 1;
}

function refuseInput(input: Readonly<Record<string, unknown>>, path: string, names: readonly string[]): void {
  for (const name of names) {
    if (input[name] !== undefined && input[name] !== null) {
      throw new GraphQLError(`Input field ${path}.${name} is not implemented by the sandbox shop`);
    }
  }
}

/** Shopify takes tags as a list, each entry possibly a comma-separated list; duplicates (any case) go. */
export function normalizeTags(existing: readonly string[], added: unknown): string[] {
  const values = Array.isArray(added) ? added.filter((t): t is string => typeof t === "string") : typeof added === "string" ? [added] : [];
  const result = [...existing];
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  for (const raw of values.flatMap((t) => t.split(","))) {
    const tag = raw.trim();
    if (tag === "" || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    result.push(tag);
  }
  return result;
}

/** `$app` → `app--{id}`, `$app:sub` → `app--{id}--sub`, none → the app's namespace; null when malformed. */
export function resolveNamespace(namespace: string | null): string | null {
  if (namespace === null || namespace === "$app") return APP_NAMESPACE;
  if (namespace.startsWith("$app:")) {
    const sub = namespace.slice("$app:".length);
    return /^[A-Za-z0-9_-]+$/.test(sub) ? `${APP_NAMESPACE}--${sub}` : null;
  }
  return /^[A-Za-z0-9_-]{3,255}$/.test(namespace) ? namespace : null;
}

function ownedByAnotherApp(namespace: string): boolean {
  return namespace.startsWith("app--") && namespace !== APP_NAMESPACE && !namespace.startsWith(`${APP_NAMESPACE}--`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ───────────────────────────────── Metafields ─────────────────────────────────

type TypeCheck = (value: string) => boolean;

/** The metafield types the sandbox checks (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types). */
const METAFIELD_TYPES: Readonly<Record<string, TypeCheck>> = {
  single_line_text_field: (v) => !/[\r\n]/.test(v),
  multi_line_text_field: () => true,
  boolean: (v) => v === "true" || v === "false",
  number_integer: (v) => /^-?\d+$/.test(v),
  number_decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  json: (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
};

function jsonValueOf(record: MetafieldRecord): unknown {
  switch (record.type) {
    case "boolean":
      return record.value === "true";
    case "number_integer":
      return Number(record.value);
    case "json":
      return JSON.parse(record.value) as unknown;
    default:
      return record.value;
  }
}

export function metafieldView(record: MetafieldRecord): ObjectView {
  return {
    __typename: "Metafield",
    id: record.id,
    legacyResourceId: String(record.legacyId),
    namespace: record.namespace,
    key: record.key,
    type: record.type,
    value: record.value,
    jsonValue: jsonValueOf(record),
    ownerType: "CUSTOMER",
    compareDigest: createHash("sha256").update(record.value).digest("base64"),
    definition: null,
    createdAt: formatDateTime(record.createdAt),
    updatedAt: formatDateTime(record.updatedAt),
  };
}

/** Fields added to the `Customer` view. */
export function customerMetafieldFields(store: SandboxStore, customer: CustomerRecord): ObjectView {
  const own = () => store.metafields.filter((m) => m.ownerId === customer.id);
  return {
    metafield: (args: FieldArgs) => {
      const namespace = resolveNamespace(stringOrNull(args["namespace"]));
      const key = stringOrNull(args["key"]);
      const found = own().find((m) => m.namespace === namespace && m.key === key);
      return found ? metafieldView(found) : null;
    },
    metafields: (args: FieldArgs) => {
      const namespaceArg = stringOrNull(args["namespace"]);
      const namespace = namespaceArg === null ? null : resolveNamespace(namespaceArg);
      // `keys` are written `namespace.key`, the namespace possibly `$app`.
      const keys = Array.isArray(args["keys"])
        ? args["keys"].filter((k): k is string => typeof k === "string").map((k) => {
            const dot = k.lastIndexOf(".");
            return { namespace: resolveNamespace(dot > 0 ? k.slice(0, dot) : null), key: k.slice(dot + 1) };
          })
        : null;
      const selected = own()
        .filter((m) => namespace === null || m.namespace === namespace)
        .filter((m) => keys === null || keys.some((k) => k.namespace === m.namespace && k.key === m.key));
      const connectionArguments: ConnectionArgs = {
        first: typeof args["first"] === "number" ? args["first"] : null,
        last: typeof args["last"] === "number" ? args["last"] : null,
        after: stringOrNull(args["after"]),
        before: stringOrNull(args["before"]),
        reverse: args["reverse"] === true,
      };
      return connection(selected, connectionArguments, metafieldView);
    },
  };
}

interface MetafieldWrite {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

function checkMetafields(store: SandboxStore, entries: ReadonlyArray<Readonly<Record<string, unknown>>>): { writes: MetafieldWrite[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const writes: MetafieldWrite[] = [];
  if (entries.length > MAX_METAFIELDS_PER_SET) {
    errors.push({ field: ["metafields"], message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null });
    return { writes, errors };
  }
  entries.forEach((entry, index) => {
    refuseInput(entry, `MetafieldsSetInput[${index}]`, ["compareDigest"]);
    const fail = (field: string, message: string, code: string) =>
      errors.push({ field: ["metafields", String(index), field], message, code, elementIndex: index });
    const ownerId = String(entry["ownerId"]);
    const ownerType = parseGid(ownerId)?.type;
    if (ownerType !== undefined && ownerType !== "Customer") {
      throw new GraphQLError(`metafieldsSet on a ${ownerType} is not implemented by the sandbox shop (customers only)`);
    }
    if (!findRecord(store.customers, ownerId)) return fail("ownerId", "Owner does not exist.", "INVALID");
    const namespace = resolveNamespace(stringOrNull(entry["namespace"]));
    if (namespace === null) return fail("namespace", "Namespace is invalid.", "INVALID");
    if (ownedByAnotherApp(namespace)) return fail("namespace", "Access denied: the namespace is reserved by another app.", "APP_NOT_AUTHORIZED");
    const key = String(entry["key"]);
    if (!/^[A-Za-z0-9_-]{2,64}$/.test(key)) return fail("key", "Key must be 2 to 64 letters, digits, hyphens or underscores.", "INVALID");
    const existing = store.metafields.find((m) => m.ownerId === ownerId && m.namespace === namespace && m.key === key);
    const type = stringOrNull(entry["type"]) ?? existing?.type ?? null;
    if (type === null) return fail("type", "Type can't be blank.", "BLANK");
    if (existing && existing.type !== type) return fail("type", `Type must be ${existing.type}, the type of the existing metafield.`, "INVALID_TYPE");
    const check = METAFIELD_TYPES[type];
    if (!check) throw new GraphQLError(`Metafield type "${type}" is not implemented by the sandbox shop (${Object.keys(METAFIELD_TYPES).join(", ")})`);
    const value = String(entry["value"]);
    if (!check(value)) return fail("value", `Value is not a valid ${type}.`, "INVALID_VALUE");
    writes.push({ ownerId, namespace, key, type, value });
  });
  return { writes, errors };
}

function applyMetafields(store: SandboxStore, writes: readonly MetafieldWrite[], now: Date): MetafieldRecord[] {
  return writes.map((write) => {
    const existing = store.metafields.find((m) => m.ownerId === write.ownerId && m.namespace === write.namespace && m.key === write.key);
    if (existing) {
      existing.value = write.value;
      existing.updatedAt = now;
      return existing;
    }
    const legacyId = nextLegacyId(store.metafields.map((m) => m.legacyId), METAFIELD_BASE);
    const record: MetafieldRecord = { id: `gid://shopify/Metafield/${legacyId}`, legacyId, ...write, createdAt: now, updatedAt: now };
    store.metafields.push(record);
    return record;
  });
}

// ───────────────────────────────── Customers ─────────────────────────────────

interface ContactCheck {
  email?: string | null;
  phone?: string | null;
}

function checkContact(store: SandboxStore, input: Readonly<Record<string, unknown>>, self: CustomerRecord | null): { value: ContactCheck; errors: UserError[] } {
  const errors: UserError[] = [];
  const value: ContactCheck = {};
  const others = store.customers.filter((c) => c !== self);
  if (Object.hasOwn(input, "email")) {
    const email = stringOrNull(input["email"])?.trim().toLowerCase() || null;
    if (email !== null && !EMAIL.test(email)) errors.push({ field: ["email"], message: "Email is invalid" });
    else if (email !== null && others.some((c) => c.email === email)) errors.push({ field: ["email"], message: "Email has already been taken" });
    value.email = email;
  }
  if (Object.hasOwn(input, "phone")) {
    const raw = stringOrNull(input["phone"])?.trim() || null;
    const parsed = raw === null ? null : parsePhoneNumberFromString(raw, store.shop.address.countryCode ?? undefined);
    if (raw !== null && !parsed?.isValid()) errors.push({ field: ["phone"], message: "Phone is invalid" });
    else if (parsed && others.some((c) => c.phone === parsed.number)) errors.push({ field: ["phone"], message: "Phone has already been taken" });
    value.phone = parsed?.number ?? null;
  }
  return { value, errors };
}

function marketingState(consent: unknown, path: string): "SUBSCRIBED" | "NOT_SUBSCRIBED" | undefined {
  if (!isRecord(consent)) return undefined;
  refuseInput(consent, path, ["consentUpdatedAt", "marketingOptInLevel", "sourceLocationId"]);
  const state = consent["marketingState"];
  if (state === "SUBSCRIBED" || state === "NOT_SUBSCRIBED") return state;
  throw new GraphQLError(`${path}.marketingState ${String(state)} is not implemented by the sandbox shop (SUBSCRIBED, NOT_SUBSCRIBED)`);
}

const UNMODELLED_CUSTOMER_INPUT = ["metafields", "multipassIdentifier", "taxExempt", "taxExemptions", "addresses"] as const;

export function createCustomerMutationRoot(store: SandboxStore, views: CustomerViews): ObjectView {
  const customerPayload = (typename: string, customer: CustomerRecord | null, userErrors: UserError[]): ObjectView => ({
    __typename: typename,
    customer: customer ? views.customer(customer) : null,
    userErrors: userErrors.map((e) => ({ __typename: "UserError", field: e.field, message: e.message })),
  });

  return {
    customerCreate: (args: FieldArgs, context: SandboxContext) => {
      const input = isRecord(args["input"]) ? args["input"] : {};
      refuseInput(input, "CustomerInput", ["id", ...UNMODELLED_CUSTOMER_INPUT]);
      const { value, errors } = checkContact(store, input, null);
      const firstName = stringOrNull(input["firstName"])?.trim() || null;
      const lastName = stringOrNull(input["lastName"])?.trim() || null;
      if (!firstName && !lastName && !value.email && !value.phone) {
        errors.push({ field: null, message: "A name, phone number, or email address must be present" });
      }
      const emailState = marketingState(input["emailMarketingConsent"], "CustomerInput.emailMarketingConsent");
      const smsState = marketingState(input["smsMarketingConsent"], "CustomerInput.smsMarketingConsent");
      if (errors.length > 0) return customerPayload("CustomerCreatePayload", null, errors);
      const now = context.clock.now();
      const legacyId = nextLegacyId(store.customers.map((c) => c.legacyId), CUSTOMER_BASE);
      const customer: CustomerRecord = {
        id: `gid://shopify/Customer/${legacyId}`,
        legacyId,
        firstName: firstName ?? "",
        lastName: lastName ?? "",
        email: value.email ?? null,
        phone: value.phone ?? null,
        tags: normalizeTags([], input["tags"]),
        numberOfOrders: 0,
        amountSpent: "0.00",
        locale: stringOrNull(input["locale"]) ?? store.shop.primaryLocale,
        note: stringOrNull(input["note"]),
        emailMarketingState: emailState ?? "NOT_SUBSCRIBED",
        smsMarketingState: smsState ?? "NOT_SUBSCRIBED",
        createdAt: now,
        updatedAt: now,
      };
      store.customers.push(customer);
      return customerPayload("CustomerCreatePayload", customer, []);
    },

    customerUpdate: (args: FieldArgs, context: SandboxContext) => {
      const input = isRecord(args["input"]) ? args["input"] : {};
      refuseInput(input, "CustomerInput", UNMODELLED_CUSTOMER_INPUT);
      const customer = findRecord(store.customers, String(input["id"] ?? ""));
      if (!customer) return customerPayload("CustomerUpdatePayload", null, [{ field: ["id"], message: "Customer does not exist" }]);
      const { value, errors } = checkContact(store, input, customer);
      const emailState = marketingState(input["emailMarketingConsent"], "CustomerInput.emailMarketingConsent");
      const smsState = marketingState(input["smsMarketingConsent"], "CustomerInput.smsMarketingConsent");
      if (errors.length > 0) return customerPayload("CustomerUpdatePayload", null, errors);
      if (value.email !== undefined) customer.email = value.email;
      if (value.phone !== undefined) customer.phone = value.phone;
      if (Object.hasOwn(input, "firstName")) customer.firstName = stringOrNull(input["firstName"])?.trim() ?? "";
      if (Object.hasOwn(input, "lastName")) customer.lastName = stringOrNull(input["lastName"])?.trim() ?? "";
      if (Object.hasOwn(input, "note")) customer.note = stringOrNull(input["note"]);
      if (Object.hasOwn(input, "locale") && typeof input["locale"] === "string") customer.locale = input["locale"];
      // `tags` on an update replaces the customer's tags (tagsAdd adds).
      if (Object.hasOwn(input, "tags")) customer.tags = normalizeTags([], input["tags"]);
      if (emailState) customer.emailMarketingState = emailState;
      if (smsState) customer.smsMarketingState = smsState;
      customer.updatedAt = context.clock.now();
      return customerPayload("CustomerUpdatePayload", customer, []);
    },

    tagsAdd: (args: FieldArgs, context: SandboxContext) => {
      const id = String(args["id"]);
      const type = parseGid(id)?.type;
      if (type !== undefined && type !== "Customer") {
        throw new GraphQLError(`tagsAdd on a ${type} is not implemented by the sandbox shop (customers only)`);
      }
      const customer = findRecord(store.customers, id);
      if (!customer) return { __typename: "TagsAddPayload", node: null, userErrors: [{ __typename: "UserError", field: ["id"], message: "Resource not found" }] };
      customer.tags = normalizeTags(customer.tags, args["tags"]);
      customer.updatedAt = context.clock.now();
      return { __typename: "TagsAddPayload", node: views.customer(customer), userErrors: [] };
    },

    metafieldsSet: (args: FieldArgs, context: SandboxContext) => {
      const entries = Array.isArray(args["metafields"]) ? args["metafields"].filter(isRecord) : [];
      const { writes, errors } = checkMetafields(store, entries);
      const userErrors = errors.map((e) => ({ __typename: "MetafieldsSetUserError", field: e.field, message: e.message, code: e.code ?? null, elementIndex: e.elementIndex ?? null }));
      if (errors.length > 0) return { __typename: "MetafieldsSetPayload", metafields: [], userErrors };
      const now = context.clock.now();
      const written = applyMetafields(store, writes, now);
      for (const ownerId of new Set(writes.map((w) => w.ownerId))) {
        const owner = findRecord(store.customers, ownerId);
        if (owner) owner.updatedAt = now;
      }
      return { __typename: "MetafieldsSetPayload", metafields: written.map(metafieldView), userErrors: [] };
    },
  };
}
