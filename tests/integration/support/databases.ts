/**
 * Databases for integration tests: a fresh PostgreSQL database per suite on the local server
 * (TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), and PGlite. Data tests
 * run on both, so the embedded default and production share one proven behaviour.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import pg from "pg";
import { openDatabase, type Database } from "../../../app/db.server";
import { loadEnv, type Env } from "../../../app/env.server";
import { upsertShop } from "../../../app/shops/install.server";

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  /** Environment entries that select this database for `loadEnv`. */
  env: { DATABASE_URL?: string; DATA_DIR: string };
  drop(): Promise<void>;
}

export type DatabaseKind = "postgres" | "pglite";
export const DATABASE_KINDS: DatabaseKind[] = ["postgres", "pglite"];

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "coccinelle-test-"));
  if (kind === "pglite") {
    return { env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `coccinelle_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * The environment of an app on the sandbox shop for an integration test: this database, Redis
 * with a queue prefix of its own, the given public URL, no logs; `extra` adds provider settings.
 */
export function sandboxAppEnv(database: TestDatabase, publicUrl: string, extra: Record<string, string> = {}): Env {
  return loadEnv({
    ...database.env,
    SHOPIFY_SANDBOX: "1",
    SHOPIFY_APP_URL: publicUrl,
    QUEUE: "redis",
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    LOG_LEVEL: "silent",
    ...extra,
  });
}

/** The two shops of every data test, in a migrated database of `kind`: one shop's rows must never reach the other. */
export async function openTwoShopDatabase(kind: DatabaseKind, now: Date): Promise<{ db: Database; shopA: string; shopB: string; close(): Promise<void> }> {
  const database = await createTestDatabase(kind);
  const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
  await handle.migrate();
  const shop = async (domain: string, name: string) => (await upsertShop(handle.db, { domain, name, timezone: "Europe/Paris", locale: "fr", now })).id;
  return {
    db: handle.db,
    shopA: await shop("elegance-paris.myshopify.com", "Élégance Paris"),
    shopB: await shop("atelier-lyon.myshopify.com", "Atelier Lyon"),
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
