/**
 * `app/sandbox/data/` holds copies of the shared fixtures so that a clone works on its own. When the
 * shared folder sits beside the repository (the team's workspace), the copies must not drift.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ADMIN_SCHEMA_PATH } from "./schema.server";
import { DEMO_SHOP_PATH } from "./store.server";

const SHARED_FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const sharedPresent = existsSync(SHARED_FIXTURES);

const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

const copies = [
  { copy: ADMIN_SCHEMA_PATH, original: `${SHARED_FIXTURES}shopify/admin-schema-2026-04.graphql` },
  { copy: DEMO_SHOP_PATH, original: `${SHARED_FIXTURES}demo-shop.json` },
];

describe("sandbox data copies", () => {
  it("are in the repository", () => {
    for (const { copy } of copies) expect(existsSync(copy), copy).toBe(true);
  });

  it("has the schema the fixtures README documents", () => {
    expect(sha256(ADMIN_SCHEMA_PATH)).toBe("edd0698e75b6d6f30d9ae1a290f5003807f5899583fe3d62e736592576c14640");
  });

  for (const { copy, original } of copies) {
    const name = copy.split("/").pop() ?? copy;
    it(`${name} is byte-identical to ../shared/fixtures`, ({ skip }) => {
      skip(!sharedPresent, `${SHARED_FIXTURES} is not beside the repository: nothing to compare the copy with`);
      expect(sha256(copy)).toBe(sha256(original));
    });
  }
});
