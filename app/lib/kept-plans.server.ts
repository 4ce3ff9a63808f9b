/**
 * Kept plans: statements of the hot paths (every webhook, every message the engine answers) run
 * as named statements, so that PostgreSQL plans them once per connection, under names that change
 * as the tables grow (`createKeptPlans`).
 */
import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { rowsOf, type Database } from "~/db.server";

/** Names under which PostgreSQL keeps the plans of a family of statements (`createKeptPlans`). */
export interface KeptPlans {
  /** The name to run the statement `key` under now. */
  statementName(key: string): string;
  /** Told how many messages (or statements) a run took care of. */
  ran(count: number): void;
}

/**
 * Lets PostgreSQL keep a statement's plan, and choose it again as the tables grow. Planning a
 * statement of the hot paths costs as much as running it, or more: 1.5 ms against 1.3 ms for a
 * batch of eight on the webhook's store statement; 0.1–0.2 ms against 0.01–0.5 ms for each of the
 * engine's reads and writes (measured with pg_stat_statements). So they run as named statements,
 * whose plan each connection keeps. But a plan kept from nearly empty tables reads them in full
 * once they are not (measured: 11–17 ms a batch instead of 1.3 ms, after growing from 64 messages
 * to 20,000), and PostgreSQL only plans it again after an ANALYZE, which autovacuum runs at most
 * once a minute, or never where it is turned off. So the names change each time the count told
 * to `ran` doubles, from 64 on: a new name is planned anew on the tables as they are. That is
 * fifteen names per statement for a million messages, each kept by a connection until the pool
 * closes it (idle for ten seconds, node-postgres's default). PGlite ignores the names.
 */
export function createKeptPlans(prefix: string): KeptPlans {
  let count = 0;
  return {
    statementName: (key) => `${prefix}_${key}_${Math.max(0, Math.floor(Math.log2(count / 64)))}`,
    ran: (n) => {
      count += n;
    },
  };
}

const POSTGRES_DIALECT = new PgDialect();
/** The kept plans of `executeKept`, per database: the engine runs the same few statements for every message. */
const enginePlans = new WeakMap<Database, KeptPlans>();

/** Runs a statement the engine runs for every message under a kept plan (`createKeptPlans`), named after its text. */
export async function executeKept(db: Database, statement: SQL): Promise<Array<Record<string, unknown>>> {
  let plans = enginePlans.get(db);
  if (!plans) {
    plans = createKeptPlans("engine");
    enginePlans.set(db, plans);
  }
  const query = POSTGRES_DIALECT.sqlToQuery(statement);
  const key = createHash("sha1").update(query.sql).digest("hex").slice(0, 16);
  const result = await db._.session.prepareQuery(query, undefined, plans.statementName(key), false).execute();
  plans.ran(1);
  return rowsOf(result);
}
