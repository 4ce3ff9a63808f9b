import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations from db/schema; they are applied by
// `npm run db:migrate` and at every start (app/db.server.ts), on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
