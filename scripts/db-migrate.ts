/** `npm run db:migrate`: apply db/migrations to PGlite (./data) or to DATABASE_URL. */
import { openDatabase } from "../app/db.server";
import { loadEnv } from "../app/env.server";

const env = loadEnv({ ...process.env, SHOPIFY_SANDBOX: process.env.SHOPIFY_SANDBOX ?? "1" });
const handle = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await handle.migrate();
console.log(`Migrations applied (${handle.kind}: ${handle.location}).`);
await handle.close();
