/**
 * The app under end-to-end test (Playwright's webServer): started like production (`server/main.ts`:
 * createServices + the built app from ./build) on the embedded defaults — the sandbox shop, a fresh
 * PGlite database in a temporary folder, the inline queue, Twilio replies kept in the outbox.
 *
 * Usage: `tsx tests/e2e/serve.ts <port>`. The configuration is an explicit object: nothing is read
 * from the caller's environment.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnv } from "../../app/env.server";
import { createLogger } from "../../app/lib/logger.server";
import { createServices } from "../../app/services.server";
import { startHttpServer } from "../../server/http";

/** The Twilio auth token home.spec.ts signs inbound webhooks with (no Account SID: outbox only). */
const E2E_TWILIO_AUTH_TOKEN = "e2e_twilio_auth_token";
/** Encrypts the credentials saved on the settings page (a fixed test key, 32 bytes in base64). */
const E2E_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error("usage: tsx tests/e2e/serve.ts <port>");
  process.exit(2);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "coccinelle-e2e-"));
const env = loadEnv({
  SHOPIFY_SANDBOX: "1",
  PORT: String(port),
  SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
  DATA_DIR: dataDir,
  QUEUE: "inline",
  TWILIO_AUTH_TOKEN: E2E_TWILIO_AUTH_TOKEN,
  SECRETS_KEY: E2E_SECRETS_KEY,
  LOG_LEVEL: "warn",
});

const logger = createLogger({ level: env.LOG_LEVEL, bindings: { process: "e2e-web" } });
const services = await createServices({ env, logger });
// QUEUE=inline: jobs run in this process right after the webhook answers; no worker to start.
const server = await startHttpServer({ services, port: env.PORT, host: "127.0.0.1", mode: "build" });
console.log(`e2e app on ${server.url} (sandbox shop ${[...services.sandboxShops.keys()].join(", ")}, data in ${dataDir})`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await server.close();
    await services.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
