/**
 * The database: PGlite (PostgreSQL compiled to WebAssembly, in-process, file-backed) when
 * `DATABASE_URL` is unset, PostgreSQL when it is set. Same Drizzle schema, same migrations.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "../db/schema";

export type Schema = typeof schema;
/** The driver-independent Drizzle database every module receives. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Where the data lives, for logs: a folder (PGlite) or the URL without its password. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../db/migrations", import.meta.url));

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  /** Told when an idle pooled connection dies (server restart, admin termination). */
  onIdleError?: (error: Error) => void;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle client's error is emitted on the pool; unhandled, it would crash the process. The
    // pool has already dropped that client and the next query opens a new one.
    // https://node-postgres.com/apis/pool#events
    pool.on("error", (error) => options.onIdleError?.(error));
    const db = drizzlePostgres({ client: pool, schema });
    return {
      db: db as Database,
      kind: "postgres",
      location: redactUrl(options.databaseUrl),
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => pool.end(),
    };
  }
  const dir = path.resolve(options.dataDir, "pglite");
  fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite({ client, schema });
  return {
    db: db as Database,
    kind: "pglite",
    location: dir,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/** An in-memory PGlite database, migrated: for unit tests that need SQL but no server. */
export async function openMemoryDatabase(): Promise<DatabaseHandle> {
  const client = await PGlite.create();
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: db as Database,
    kind: "pglite",
    location: "memory",
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
