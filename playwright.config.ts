/**
 * End-to-end tests (`npm run test:e2e`, which builds first): the production build served by
 * tests/e2e/serve.ts on the embedded defaults, driven with Debian's Chromium (no Playwright
 * browser download). The pages run with the network closed: tests route Shopify's CDN to local
 * stand-ins and fail on any other outside request.
 */
import { defineConfig } from "@playwright/test";

// E2E_PORT lets two checkouts on one machine run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 3317);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  use: {
    baseURL: BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    // Headless Chromium says "HeadlessChrome" in its user agent, which isbot flags, and
    // shopify-app-remix's authenticate.admin answers bots with 410 Gone: present as desktop Chrome.
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            // Without these Chromium reaches for Google's services, which the closed network refuses.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx tsx tests/e2e/serve.ts ${PORT}`,
    port: PORT,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets serve.ts close the database and remove its temporary data folder.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
