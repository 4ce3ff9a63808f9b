/**
 * Secrets at rest (DESIGN §6: plugin installations keep their secrets encrypted) and out of logs.
 *
 * Encryption: AES-256-GCM with one 32-byte key (`SECRETS_KEY`, base64), a random 12-byte IV per
 * value (NIST SP 800-38D §8.2.2: with random IVs, one key stays safe for up to 2^32 values), and the
 * 16-byte authentication tag that makes any change to the stored text detectable. Stored text:
 *
 *     v1:<iv base64>:<tag base64>:<ciphertext base64>
 *
 * The version prefix lets a later format (or a rotated key) be told apart from this one. Optional
 * associated data binds a value to where it is stored (installations use shop id + plugin id), so
 * that secrets copied from one shop's row into another's fail to decrypt instead of working there.
 *
 * Logs: `redact()` and `createRedactingLogger()` replace every known secret value with
 * `[redacted]` in messages and fields, nested objects and errors included.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import type { LogFields, Logger } from "./logger.server";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The decoded key. A `KeyObject` prints as `KeyObject {}` and serialises to `{}`: it cannot leak into a log. */
export type SecretsKey = KeyObject;

export class SecretsError extends Error {
  override name = "SecretsError";
}

/** What is wrong with a `SECRETS_KEY` value, or null when it is a usable key. */
export function secretsKeyProblem(base64: string): string | null {
  const value = base64.trim();
  if (value.length === 0) return "SECRETS_KEY is empty";
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    return "SECRETS_KEY must be standard base64 (generate one with: openssl rand -base64 32)";
  }
  const bytes = Buffer.from(value, "base64").length;
  if (bytes !== KEY_BYTES) {
    return `SECRETS_KEY must decode to ${KEY_BYTES} bytes, it decodes to ${bytes} (generate one with: openssl rand -base64 32)`;
  }
  return null;
}

/** Decodes `SECRETS_KEY`; throws `SecretsError` (never quoting the value) when it is not 32 bytes of base64. */
export function parseSecretsKey(base64: string): SecretsKey {
  const problem = secretsKeyProblem(base64);
  if (problem) throw new SecretsError(problem);
  return createSecretKey(Buffer.from(base64.trim(), "base64"));
}

/** A fresh random key, base64 (tests, `openssl rand -base64 32` equivalent). */
export function generateSecretsKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

export interface SecretsContext {
  /** Bound to the ciphertext: decryption with other associated data fails like tampering. */
  associatedData?: string;
}

/** Encrypts a record of secret strings into the stored `v1:` text. */
export function encryptSecrets(key: SecretsKey, record: Record<string, string>, context: SecretsContext = {}): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (context.associatedData !== undefined) cipher.setAAD(Buffer.from(context.associatedData, "utf8"));
  const plaintext = Buffer.from(JSON.stringify(record), "utf8");
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64"), tag.toString("base64"), ciphertext.toString("base64")].join(":");
}

/**
 * Decrypts text written by `encryptSecrets`. Throws `SecretsError` for an unknown format, a wrong
 * key, other associated data, or any change to the text (GCM tag check).
 */
export function decryptSecrets(key: SecretsKey, text: string, context: SecretsContext = {}): Record<string, string> {
  const parts = text.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretsError(`stored secrets are not in the ${VERSION} format`);
  }
  const [, ivText = "", tagText = "", ciphertextText = ""] = parts;
  const iv = decodeBase64(ivText, "IV");
  const tag = decodeBase64(tagText, "tag");
  const ciphertext = decodeBase64(ciphertextText, "ciphertext", { allowEmpty: true });
  if (iv.length !== IV_BYTES) throw new SecretsError(`stored secrets have a ${iv.length}-byte IV, expected ${IV_BYTES}`);
  // A short tag would lower the forgery bound: only the full 16 bytes are accepted.
  if (tag.length !== TAG_BYTES) throw new SecretsError(`stored secrets have a ${tag.length}-byte tag, expected ${TAG_BYTES}`);

  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    if (context.associatedData !== undefined) decipher.setAAD(Buffer.from(context.associatedData, "utf8"));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SecretsError("stored secrets failed authentication: wrong SECRETS_KEY, or the value was changed or moved");
  }

  const parsed: unknown = JSON.parse(plaintext.toString("utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SecretsError("stored secrets do not hold a record");
  }
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw new SecretsError(`stored secret ${name} is not a string`);
    record[name] = value;
  }
  return record;
}

function decodeBase64(text: string, what: string, options: { allowEmpty?: boolean } = {}): Buffer {
  if (text === "" && options.allowEmpty) return Buffer.alloc(0);
  // Buffer.from(…, "base64") skips characters it does not know: check first so that an edit is an error.
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new SecretsError(`stored secrets have an invalid ${what}`);
  return Buffer.from(text, "base64");
}

// ───────────────────────────────── Logs ──────────────────────────────────────

export const REDACTED = "[redacted]";

/**
 * Shortest secret worth scrubbing: replacing every "a" of a log line because a test token is one
 * character long would hide everything and protect nothing.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * `value` with every occurrence of each secret replaced by `[redacted]`: strings, arrays, plain
 * objects and errors (name, message, stack, cause) at any depth. Other values pass unchanged.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const list = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (list.length === 0) return value;
  return scrub(value, list, new WeakSet()) as T;
}

function scrub(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === "string") return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, seen));
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: scrub(value.message, secrets, seen) };
    if (value.stack !== undefined) copy.stack = scrub(value.stack, secrets, seen);
    if (value.cause !== undefined) copy.cause = scrub(value.cause, secrets, seen);
    for (const [k, v] of Object.entries(value)) copy[k] = scrub(v, secrets, seen);
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets, seen)]));
}

/** A logger that scrubs `secrets` from every message and field before `logger` sees them. */
export function createRedactingLogger(logger: Logger, secrets: readonly string[]): Logger {
  const clean = (fields?: LogFields) => (fields === undefined ? undefined : redact(fields, secrets));
  return {
    debug: (msg, fields) => logger.debug(redact(msg, secrets), clean(fields)),
    info: (msg, fields) => logger.info(redact(msg, secrets), clean(fields)),
    warn: (msg, fields) => logger.warn(redact(msg, secrets), clean(fields)),
    error: (msg, fields) => logger.error(redact(msg, secrets), clean(fields)),
    child: (fields) => createRedactingLogger(logger.child(redact(fields, secrets)), secrets),
  };
}
