/**
 * Evaluation cases (../shared/eval/FORMAT.md): one JSON object per line. Parsing is strict so a
 * typo in a case is an error naming `file:line`, never a silently ignored expectation.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export type CaseChannel = "sms" | "whatsapp" | "email";

export interface ExpectedReservation {
  product?: string;
  size?: string | null;
  quantity?: number;
  expiresAt?: string;
}

export interface ExpectedScheduled {
  type?: string;
  at?: string;
  channel?: CaseChannel;
}

/** What a case insists on: the result fields, plus the scorer's own keys. */
export interface CaseExpect {
  intent?: string | string[];
  language?: string;
  product?: string | null;
  size?: string | null;
  quantity?: number | null;
  order?: string | null;
  customerName?: string | null;
  replied?: boolean;
  escalated?: boolean;
  /** Action types that must happen while handling `text`. */
  actions?: string[];
  /** Action types that must not happen while handling `text`. */
  forbidActions?: string[];
  reservations?: ExpectedReservation[];
  scheduled?: ExpectedScheduled[];
  /** Regular expressions the reply must match (every one). */
  replyIncludes?: string[];
  /** Regular expressions the reply must not match (any one fails). */
  replyExcludes?: string[];
}

export interface EvalCase {
  id: string;
  now: string;
  channel: CaseChannel;
  from: string;
  subject?: string;
  before: Array<{ text: string }>;
  text: string;
  expect: CaseExpect;
  /** Where the case was read: the file's base name and 1-based line. */
  source: { file: string; line: number };
}

export class CaseFormatError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "CaseFormatError";
  }
}

const CHANNELS: readonly CaseChannel[] = ["sms", "whatsapp", "email"];
const CASE_KEYS = new Set(["id", "now", "channel", "from", "subject", "before", "text", "expect"]);
const EXPECT_KEYS = new Set([
  "intent", "language", "product", "size", "quantity", "order", "customerName", "replied", "escalated", "actions",
  "forbidActions", "reservations", "scheduled", "replyIncludes", "replyExcludes",
]);
const RESERVATION_KEYS = new Set(["product", "size", "quantity", "expiresAt"]);
const SCHEDULED_KEYS = new Set(["type", "at", "channel"]);
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isInstant = (v: unknown): v is string => typeof v === "string" && INSTANT.test(v) && !Number.isNaN(Date.parse(v));
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** Parse one line of a cases file. Throws CaseFormatError naming `where` on anything malformed. */
export function parseCaseLine(line: string, where: { file: string; line: number }): EvalCase {
  const at = `${where.file}:${where.line}`;
  const fail = (message: string): never => {
    throw new CaseFormatError(at, message);
  };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(value)) return fail("a case is a JSON object");
  for (const key of Object.keys(value)) if (!CASE_KEYS.has(key)) fail(`unknown key "${key}"`);
  const { id, now, channel, from, subject, before, text } = value;
  if (typeof id !== "string" || id.length === 0) fail(`"id" must be a non-empty string`);
  if (!isInstant(now)) fail(`"now" must be an ISO 8601 time with an offset, got ${JSON.stringify(now)}`);
  if (typeof channel !== "string" || !CHANNELS.includes(channel as CaseChannel)) fail(`"channel" must be one of ${CHANNELS.join(", ")}`);
  if (typeof from !== "string") return fail(`"from" must be a string`);
  if (channel === "email" ? !EMAIL.test(from) : !E164.test(from)) {
    fail(channel === "email" ? `"from" must be an email address on email` : `"from" must be an E.164 phone number on ${String(channel)}`);
  }
  if (subject !== undefined && (typeof subject !== "string" || channel !== "email")) fail(`"subject" is a string, on email only`);
  if (typeof text !== "string" || text.trim().length === 0) fail(`"text" must be a non-empty string`);
  const earlier: Array<{ text: string }> = [];
  if (before !== undefined) {
    if (!Array.isArray(before)) fail(`"before" must be a list of { "text": … }`);
    for (const [i, message] of (before as unknown[]).entries()) {
      if (!isObject(message) || typeof message.text !== "string" || Object.keys(message).some((k) => k !== "text")) {
        fail(`"before"[${i}] must be { "text": "…" }`);
      }
      earlier.push({ text: (message as { text: string }).text });
    }
  }
  const expect = parseExpect(value.expect ?? {}, fail);
  return {
    id: id as string,
    now: now as string,
    channel: channel as CaseChannel,
    from,
    ...(typeof subject === "string" ? { subject } : {}),
    before: earlier,
    text: text as string,
    expect,
    source: { ...where },
  };
}

function parseExpect(value: unknown, fail: (message: string) => never): CaseExpect {
  if (!isObject(value)) return fail(`"expect" must be an object`);
  for (const key of Object.keys(value)) if (!EXPECT_KEYS.has(key)) fail(`unknown expect key "${key}"`);
  const e = value;
  const optional = (key: string, ok: (v: unknown) => boolean, what: string) => {
    if (e[key] !== undefined && !ok(e[key])) fail(`expect.${key} must be ${what}`);
  };
  const stringOrNull = (v: unknown) => v === null || typeof v === "string";
  optional("intent", (v) => typeof v === "string" || (isStringList(v) && v.length > 0), "an intent or a non-empty list of intents");
  optional("language", (v) => typeof v === "string", "a language code");
  for (const key of ["product", "size", "order", "customerName"]) optional(key, stringOrNull, "a string or null");
  optional("quantity", (v) => v === null || (typeof v === "number" && Number.isInteger(v) && v > 0), "a positive integer or null");
  optional("replied", (v) => typeof v === "boolean", "true or false");
  optional("escalated", (v) => typeof v === "boolean", "true or false");
  for (const key of ["actions", "forbidActions", "replyIncludes", "replyExcludes"]) optional(key, isStringList, "a list of strings");
  for (const key of ["replyIncludes", "replyExcludes"]) {
    for (const source of (e[key] as string[] | undefined) ?? []) {
      try {
        new RegExp(source, "u");
      } catch (error) {
        fail(`expect.${key} has an invalid regular expression ${JSON.stringify(source)} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }
  optional(
    "reservations",
    (v) =>
      Array.isArray(v) &&
      v.every(
        (r) =>
          isObject(r) &&
          Object.keys(r).every((k) => RESERVATION_KEYS.has(k)) &&
          (r.product === undefined || typeof r.product === "string") &&
          (r.size === undefined || stringOrNull(r.size)) &&
          (r.quantity === undefined || typeof r.quantity === "number") &&
          (r.expiresAt === undefined || isInstant(r.expiresAt)),
      ),
    `a list of { product, size, quantity, expiresAt }`,
  );
  optional(
    "scheduled",
    (v) =>
      Array.isArray(v) &&
      v.every(
        (s) =>
          isObject(s) &&
          Object.keys(s).every((k) => SCHEDULED_KEYS.has(k)) &&
          (s.type === undefined || typeof s.type === "string") &&
          (s.at === undefined || isInstant(s.at)) &&
          (s.channel === undefined || CHANNELS.includes(s.channel as CaseChannel)),
      ),
    `a list of { type, at, channel }`,
  );
  return e as CaseExpect;
}

/** Parse a whole cases file's text. Blank lines are skipped; ids must be unique within it. */
export function parseCases(text: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    cases.push(parseCaseLine(line, { file, line: i + 1 }));
  }
  return cases;
}

/** Read case files, in order. Throws CaseFormatError on a malformed line or a duplicated id. */
export function loadCaseFiles(files: readonly string[]): EvalCase[] {
  const all: EvalCase[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CaseFormatError(file, `cannot read (${error instanceof Error ? error.message : String(error)})`);
    }
    for (const c of parseCases(text, path.basename(file))) {
      const where = `${c.source.file}:${c.source.line}`;
      const first = seen.get(c.id);
      if (first) throw new CaseFormatError(where, `duplicate id "${c.id}" (first at ${first})`);
      seen.set(c.id, where);
      all.push(c);
    }
  }
  return all;
}

/** Every `*.jsonl` of a corpus folder, sorted by name. */
export function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => path.join(dir, name));
}
