/**
 * What every admin-page browser test needs: the sandbox shop's identity, a session token and the
 * URL admin loads in its iframe, a page whose network is closed (Shopify's CDN routed to local
 * stand-ins, anything else that leaves 127.0.0.1 recorded and aborted), signed inbound SMS, and
 * screenshots kept as artifacts (and, with UPDATE_SCREENSHOTS=1, for the README).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import twilio from "twilio";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET } from "../../app/shopify.server";
import { APP_BRIDGE_STUB } from "./app-bridge-stub";
import { createSessionToken, embeddedAppUrl } from "./session-token";

export const SHOP = "elegance-paris.myshopify.com";
export const SHOP_NAME = "Élégance Paris";
export const SHOP_SMS_NUMBER = "+33939035761";
/** The auth token tests/e2e/serve.ts configures: inbound webhooks are verified with it. */
export const TWILIO_AUTH_TOKEN = "e2e_twilio_auth_token";

export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
const POLARIS_FONTS_URL = "https://cdn.shopify.com/static/fonts/inter/v4/styles.css";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Requests made outside the page (Playwright's `request` fixture) are not bots to the app. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/** What a page tried that it should not have: requests leaving the machine, console errors. */
export interface PageWatch {
  outsideRequests: string[];
  consoleErrors: string[];
}

/**
 * Routes Shopify's CDN to the stand-ins and aborts every other request to a non-local host,
 * recording it; records console errors and uncaught page errors. Call before the first goto.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const watch: PageWatch = { outsideRequests: [], consoleErrors: [] };
  await page.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (LOCAL_HOSTS.has(url.hostname)) return route.continue();
    const resource = `${url.origin}${url.pathname}`;
    if (resource === APP_BRIDGE_URL) {
      return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: APP_BRIDGE_STUB });
    }
    if (resource === POLARIS_FONTS_URL) {
      // The Inter font faces; without them Polaris falls back to the system sans-serif.
      return route.fulfill({ status: 200, contentType: "text/css; charset=utf-8", body: "" });
    }
    watch.outsideRequests.push(`${request.method()} ${request.url()} (${request.resourceType()})`);
    return route.abort("blockedbyclient");
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // An aborted outside request logs "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT"; it is
    // already reported, with its URL, by the outside-request check.
    if (text.includes("net::ERR_BLOCKED_BY_CLIENT")) return;
    const where = message.location();
    watch.consoleErrors.push(`${text}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
  });
  page.on("pageerror", (error) => watch.consoleErrors.push(`uncaught: ${error.stack ?? error.message}`));
  return watch;
}

/** Nothing left the machine and nothing was logged as an error. */
export function expectCleanPage(watch: PageWatch) {
  expect(watch.outsideRequests, "requests that tried to leave 127.0.0.1").toEqual([]);
  expect(watch.consoleErrors, "console errors").toEqual([]);
}

export function sessionToken(secret = SANDBOX_API_SECRET) {
  return createSessionToken({ shop: SHOP, apiKey: SANDBOX_API_KEY, apiSecret: secret });
}

/** The URL admin loads in its iframe for an app page (`path` like "/app/inbox"), in `locale`. */
export function adminUrl(baseURL: string, options: { path?: string; locale?: "en" | "fr"; secret?: string } = {}) {
  return embeddedAppUrl({ baseUrl: baseURL, shop: SHOP, idToken: sessionToken(options.secret), locale: options.locale ?? "en", ...(options.path ? { path: options.path } : {}) });
}

/** Sends an SMS to the webhook route as Twilio would: form-encoded, with X-Twilio-Signature. */
export async function sendSignedSms(request: APIRequestContext, baseURL: string, sms: { from: string; text: string; to?: string }) {
  const url = `${baseURL}/webhooks/channels/twilio`;
  const messageSid = `SM${randomBytes(16).toString("hex")}`;
  const params: Record<string, string> = {
    ToCountry: "FR",
    SmsMessageSid: messageSid,
    NumMedia: "0",
    SmsSid: messageSid,
    SmsStatus: "received",
    Body: sms.text,
    FromCountry: "FR",
    To: sms.to ?? SHOP_SMS_NUMBER,
    NumSegments: "1",
    MessageSid: messageSid,
    AccountSid: "AC" + "e2e00".repeat(6) + "00",
    From: sms.from,
    ApiVersion: "2010-04-01",
  };
  const response = await request.post(url, {
    form: params,
    headers: {
      "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params),
      "User-Agent": "TwilioProxy/1.1",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return messageSid;
}

/** The page's text as a person reads it (tags and React's text separators removed). */
export function visibleText(html: string) {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

/**
 * A full-page screenshot attached to the test as `name` (an artifact in test-results); with
 * UPDATE_SCREENSHOTS=1 also written to docs/screenshots/<name>.png for the README (its copy changes
 * with every run — times, latencies — so it is refreshed on demand only).
 */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const screenshot = await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await testInfo.attach(name, { body: screenshot, contentType: "image/png" });
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    const target = fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));
    fs.mkdirSync(target.replace(/[^/]+$/, ""), { recursive: true });
    fs.writeFileSync(target, screenshot);
  }
  return screenshot;
}

/** `npm run sandbox`'s process, started by a test on its own port and data folder. */
export interface SandboxApp {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `scripts/sandbox.ts` (the production build, web + worker on Redis) with `env` added to a
 * minimal environment, and resolves once it listens. Its own process group: stopping it stops the app.
 * With `dataDir` the caller owns the data folder (kept on stop: a later start with another
 * SANDBOX_NOW finds the same conversations); without, a fresh one is made and removed on stop.
 */
export async function startSandboxApp(options: { port: number; env: Record<string, string>; dataDir?: string }): Promise<SandboxApp> {
  const url = `http://127.0.0.1:${options.port}`;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "coccinelle-sandbox-"));
  // tsx itself (not through npx), so that the process group is the app's.
  const app = spawn("node_modules/.bin/tsx", ["scripts/sandbox.ts"], {
    detached: true,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(options.port),
      SHOPIFY_APP_URL: url,
      DATA_DIR: dataDir,
      REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      QUEUE_PREFIX: `e2e-sandbox-${options.port}-${process.pid}`,
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  app.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 60_000);
    app.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    app.once("exit", (code) => reject(new Error(`sandbox exited with ${code}:\n${output}`)));
  });
  return {
    url,
    async stop() {
      if (app.pid && app.exitCode === null) {
        const exited = new Promise((r) => app.once("exit", r));
        process.kill(-app.pid, "SIGTERM");
        await exited;
      }
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A figure of today's row on the home page, as served (`data-stat` marks each value): what
 * browser tests sharing one server compare before and after their own messages.
 */
export async function todayFigure(request: APIRequestContext, baseURL: string, key: "received" | "answered" | "escalated" | "response" | "revenue"): Promise<string> {
  const response = await request.get(adminUrl(baseURL, { locale: "en" }), { headers: { "User-Agent": BROWSER_UA }, maxRedirects: 0 });
  expect(response.status()).toBe(200);
  const match = new RegExp(`data-testid="today"[\\s\\S]*?data-stat="${key}"[^>]*>(?:<[^>]+>)*([^<]*)<`).exec(await response.text());
  expect(match, `figure ${key} on the home page`).not.toBeNull();
  return match![1]!.replace(/&nbsp;|\u00a0|\u202f/g, " ").trim();
}
