import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "~/env.server";
import { createLogger } from "./logger.server";
import {
  REDACTED,
  SecretsError,
  createRedactingLogger,
  decryptSecrets,
  encryptSecrets,
  generateSecretsKey,
  parseSecretsKey,
  redact,
  secretsKeyProblem,
} from "./secrets.server";

const KEY_TEXT = Buffer.alloc(32, 7).toString("base64");
const key = parseSecretsKey(KEY_TEXT);
const TOKEN = "pat-eu1-0a1b2c3d-4e5f-6789-abcd-ef0123456789";

/** Flips one bit of the base64 segment `index` (1 IV, 2 tag, 3 ciphertext) of a stored value. */
function flipBit(stored: string, index: 1 | 2 | 3): string {
  const parts = stored.split(":");
  const bytes = Buffer.from(parts[index] ?? "", "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString("base64");
  return parts.join(":");
}

describe("SECRETS_KEY", () => {
  it("accepts 32 bytes of base64 and rejects anything else with a message that never quotes the value", () => {
    expect(secretsKeyProblem(generateSecretsKey())).toBeNull();
    expect(secretsKeyProblem(` ${KEY_TEXT}\n`)).toBeNull();
    const short = Buffer.alloc(16, 1).toString("base64");
    expect(secretsKeyProblem(short)).toMatch(/32 bytes, it decodes to 16/);
    expect(secretsKeyProblem("not base64 at all!")).toMatch(/base64/);
    expect(secretsKeyProblem("")).toMatch(/empty/);
    expect(() => parseSecretsKey(short)).toThrow(SecretsError);
    try {
      parseSecretsKey(short);
    } catch (error) {
      expect(String(error)).not.toContain(short);
    }
  });

  it("keeps the key out of JSON and string forms", () => {
    expect(JSON.stringify({ key })).toBe('{"key":{}}');
    expect(String(key)).not.toContain(KEY_TEXT);
  });
});

describe("encryptSecrets / decryptSecrets", () => {
  it("round-trips a record in the v1:<iv>:<tag>:<ciphertext> format, without the plaintext in it", () => {
    const stored = encryptSecrets(key, { accessToken: TOKEN, other: "é ✓ ' \" \\" });
    const parts = stored.split(":");
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("v1");
    expect(Buffer.from(parts[1] ?? "", "base64")).toHaveLength(12);
    expect(Buffer.from(parts[2] ?? "", "base64")).toHaveLength(16);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(Buffer.from(TOKEN).toString("base64").slice(0, 12));
    expect(decryptSecrets(key, stored)).toEqual({ accessToken: TOKEN, other: "é ✓ ' \" \\" });
  });

  it("uses a fresh IV for every value", () => {
    const a = encryptSecrets(key, { accessToken: TOKEN });
    const b = encryptSecrets(key, { accessToken: TOKEN });
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
    expect(a.split(":")[3]).not.toBe(b.split(":")[3]);
  });

  it.each([1, 2, 3] as const)("detects one flipped bit in segment %i", (segment) => {
    const stored = encryptSecrets(key, { accessToken: TOKEN });
    expect(() => decryptSecrets(key, flipBit(stored, segment))).toThrow(SecretsError);
  });

  it("detects a truncated tag, a swapped ciphertext, an unknown version and garbage", () => {
    const stored = encryptSecrets(key, { accessToken: TOKEN });
    const other = encryptSecrets(key, { accessToken: "another-token-value" });
    const [v, iv, tag, ct] = stored.split(":");
    const otherCt = other.split(":")[3];
    expect(() => decryptSecrets(key, [v, iv, Buffer.from(tag ?? "", "base64").subarray(0, 12).toString("base64"), ct].join(":"))).toThrow(
      /12-byte tag/,
    );
    expect(() => decryptSecrets(key, [v, iv, tag, otherCt].join(":"))).toThrow(SecretsError);
    expect(() => decryptSecrets(key, ["v2", iv, tag, ct].join(":"))).toThrow(/v1 format/);
    expect(() => decryptSecrets(key, "plain text")).toThrow(SecretsError);
    expect(() => decryptSecrets(key, `${stored}:extra`)).toThrow(SecretsError);
    expect(() => decryptSecrets(key, [v, iv, tag, `${ct}!`].join(":"))).toThrow(/invalid ciphertext/);
  });

  it("fails with another key", () => {
    const stored = encryptSecrets(key, { accessToken: TOKEN });
    const otherKey = parseSecretsKey(randomBytes(32).toString("base64"));
    expect(() => decryptSecrets(otherKey, stored)).toThrow(/failed authentication/);
  });

  it("binds the value to its associated data (a row copied to another shop does not decrypt)", () => {
    const stored = encryptSecrets(key, { accessToken: TOKEN }, { associatedData: "shop-a:hubspot" });
    expect(decryptSecrets(key, stored, { associatedData: "shop-a:hubspot" })).toEqual({ accessToken: TOKEN });
    expect(() => decryptSecrets(key, stored, { associatedData: "shop-b:hubspot" })).toThrow(SecretsError);
    expect(() => decryptSecrets(key, stored)).toThrow(SecretsError);
  });
});

describe("redact", () => {
  it("scrubs secrets from strings, nested fields, arrays and errors, and leaves the rest alone", () => {
    const error = new Error(`401 for Bearer ${TOKEN}`, { cause: new Error(`inner ${TOKEN}`) });
    const out = redact(
      { msg: `token=${TOKEN}`, nested: { list: [TOKEN, 3, null], ok: "fine" }, error, when: new Date(0) },
      [TOKEN],
    );
    const text = JSON.stringify(out);
    expect(text).not.toContain(TOKEN);
    expect(out.msg).toBe(`token=${REDACTED}`);
    expect(out.nested).toEqual({ list: [REDACTED, 3, null], ok: "fine" });
    expect(out.when).toEqual(new Date(0));
    expect(text).toContain(`inner ${REDACTED}`);
  });

  it("ignores empty and very short secrets instead of shredding the text", () => {
    expect(redact("a plain message", ["", "a"])).toBe("a plain message");
  });

  it("replaces the longest secret first when secrets overlap", () => {
    expect(redact("abcdef-long", ["abcd", "abcdef-long"])).toBe(REDACTED);
  });
});

describe("createRedactingLogger", () => {
  it("never writes a secret, through children too", () => {
    const lines: string[] = [];
    const base = createLogger({ level: "debug", write: (line) => lines.push(line) });
    const log = createRedactingLogger(base, [TOKEN]).child({ plugin: "x", header: `Bearer ${TOKEN}` });
    log.warn(`request failed with ${TOKEN}`, { error: new Error(TOKEN), body: { echoed: TOKEN } });
    log.info("ok", { status: 200 });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(TOKEN);
    expect(lines[0]).toContain(REDACTED);
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({ msg: "ok", status: 200, plugin: "x" });
  });
});

describe("SECRETS_KEY in the environment", () => {
  it("is optional, accepted when valid, and refused with a message that does not quote it", () => {
    const base = { SHOPIFY_SANDBOX: "1" };
    expect(loadEnv(base).SECRETS_KEY).toBeUndefined();
    expect(loadEnv({ ...base, SECRETS_KEY: ` ${KEY_TEXT} ` }).SECRETS_KEY).toBe(KEY_TEXT);
    const bad = Buffer.alloc(24, 3).toString("base64");
    expect(() => loadEnv({ ...base, SECRETS_KEY: bad })).toThrow(EnvError);
    try {
      loadEnv({ ...base, SECRETS_KEY: bad });
    } catch (error) {
      expect(String(error)).toContain("SECRETS_KEY must decode to 32 bytes, it decodes to 24");
      expect(String(error)).not.toContain(bad);
    }
  });
});
