/** A data suite's database with its two shops (tests/integration/support/databases.ts), opened and closed with the suite. */
import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../../app/db.server";
import { openTwoShopDatabase, type DatabaseKind } from "./databases";

/** `openTwoShopDatabase` for the suite it is called in: opened before its tests, closed after them. */
export function useTwoShopDatabase(kind: DatabaseKind, now: Date): { db: Database; shopA: string; shopB: string } {
  let opened: Awaited<ReturnType<typeof openTwoShopDatabase>> | undefined;
  const suite = {} as { db: Database; shopA: string; shopB: string };
  beforeAll(async () => {
    opened = await openTwoShopDatabase(kind, now);
    Object.assign(suite, { db: opened.db, shopA: opened.shopA, shopB: opened.shopB });
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });
  return suite;
}
