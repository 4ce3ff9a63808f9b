/**
 * The embedded admin home page, end to end: Julie's SMS reaches the real Twilio webhook route
 * (signed like Twilio signs it), the inline queue answers her from the sandbox shop, and the
 * merchant's page in Shopify admin — loaded the way admin loads it, with a session token in the
 * URL — shows the shop, its SMS channel and the conversation. The page runs with the network
 * closed: App Bridge and Polaris' font stylesheet are local stand-ins, anything else that leaves
 * 127.0.0.1 fails the test.
 */
import { expect, test } from "@playwright/test";
import { SANDBOX_API_KEY } from "../../app/shopify.server";
import { APP_BRIDGE_URL, BROWSER_UA, SHOP, SHOP_NAME, SHOP_SMS_NUMBER, adminUrl, expectCleanPage, saveScreenshot, sendSignedSms, sessionToken, todayFigure, watchPage } from "./support";

const JULIE = { phone: "+33645789012", text: "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?" };

function homeUrl(baseURL: string, secret?: string) {
  return adminUrl(baseURL, { locale: "en", ...(secret ? { secret } : {}) });
}

test("the embedded home page counts Julie's answered message today and shows the shop, its channels and the conversation", async ({ page, request, baseURL }, testInfo) => {
  const base = baseURL!;
  const watch = await watchPage(page);
  // Other browser tests share this server: the figures are read before and after her message.
  const receivedBefore = Number(await todayFigure(request, base, "received"));
  const answeredBefore = Number(await todayFigure(request, base, "answered"));

  await sendSignedSms(request, base, { from: JULIE.phone, text: JULIE.text });
  // QUEUE=inline: the engine runs in the server process right after the webhook answers. The reply
  // is counted once the home page's figure of answered messages has moved.
  await expect
    .poll(async () => Number(await todayFigure(request, base, "answered")), { message: "the AI's answer to Julie is counted today", timeout: 30_000, intervals: [100, 250, 500, 1000] })
    .toBe(answeredBefore + 1);
  expect(Number(await todayFigure(request, base, "received"))).toBe(receivedBefore + 1);
  expect(await todayFigure(request, base, "response")).toMatch(/^\d+ ms$|^\d+\.\d s$/);

  const response = await page.goto(homeUrl(base));
  expect(response?.status()).toBe(200);
  await page.waitForLoadState("networkidle");

  // The Polaris page, titled with the shop's name, today's figures first.
  await expect(page.locator(".Polaris-Page")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: SHOP_NAME })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Today" })).toBeVisible();
  await expect(page.getByTestId("today").locator('[data-stat="received"]')).toHaveText(String(receivedBefore + 1));
  await expect(page.getByRole("heading", { name: "Needs you" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();

  // The 30-day chart, drawn by polaris-viz once the page runs in the browser.
  const chart = page.getByTestId("activity-chart");
  await expect(chart.locator("svg").first()).toBeVisible();
  await expect(chart).toContainText("Messages received");
  await expect(chart).toContainText("Answered automatically (%)");

  // The channel card: the shop's SMS number, replies kept in the outbox.
  const channels = page.locator(".Polaris-ShadowBevel").filter({ has: page.getByRole("heading", { name: "Channels" }) });
  await expect(channels).toContainText(`SMS · ${SHOP_SMS_NUMBER}`);
  await expect(channels).toContainText("via twilio");
  // Polaris prefixes a toned badge with its tone for screen readers ("Attention"), visually hidden.
  // Both channels of the sandbox shop (SMS and email) keep replies in the outbox: no credentials.
  const badge = channels.locator(".Polaris-Badge");
  await expect(badge).toHaveCount(2);
  await expect(badge.getByText("Outbox only", { exact: true })).toHaveCount(2);
  await expect(channels).toContainText("Email · hello@elegance-paris.com");

  // The latest messages, newest first: Coccinelle's answer about size 38 (2 in stock), then Julie's SMS.
  const latest = page.locator(".Polaris-ShadowBevel").filter({ has: page.getByRole("heading", { name: "Latest messages" }) });
  const [reply, julie] = [latest.locator("[data-message]").nth(0), latest.locator("[data-message]").nth(1)];
  await expect(julie).toContainText(JULIE.text);
  await expect(julie).toContainText("Julie Mercier");
  await expect(reply).toContainText(/Coccinelle\s*SMS/);
  await expect(reply).toContainText("· outbox");
  await expect(reply.locator("p")).toContainText("38");
  await expect(reply.locator("p")).toContainText(/\b2\b/);
  testInfo.annotations.push({ type: "reply", description: (await reply.locator("p").innerText()).replace(/\s+/g, " ") });

  // The app's admin navigation, which App Bridge shows in admin's sidebar (hidden in the page).
  await expect(page.locator('ui-nav-menu a[rel="home"][href="/app"]')).toHaveText("Home");

  // A short viewport: the full-page screenshot then ends where the content does.
  await page.setViewportSize({ width: 1280, height: 420 });
  await saveScreenshot(page, testInfo, "admin-home");

  expectCleanPage(watch);
});

test("the home page speaks French when admin does", async ({ page, baseURL }, testInfo) => {
  const base = baseURL!;
  const watch = await watchPage(page);
  const response = await page.goto(adminUrl(base, { locale: "fr" }));
  expect(response?.status()).toBe(200);
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("heading", { level: 2, name: "Aujourd'hui" })).toBeVisible();
  for (const heading of ["À traiter", "Alertes", "30 derniers jours", "Canaux", "Derniers messages"]) {
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  }
  await expect(page.getByText("Messages reçus").first()).toBeVisible();
  await expect(page.getByTestId("activity-chart").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("activity-chart")).toContainText("Répondus automatiquement (%)");
  await expect(page.locator('ui-nav-menu a[rel="home"][href="/app"]')).toHaveText("Accueil");
  await page.setViewportSize({ width: 1280, height: 420 });
  await saveScreenshot(page, testInfo, "admin-home-fr");
  expectCleanPage(watch);
});

test("a session token signed with the wrong secret does not open the home page", async ({ page, request, baseURL }) => {
  const base = baseURL!;
  const watch = await watchPage(page);

  const response = await page.goto(homeUrl(base, "not-the-app-secret"));

  // authenticate.admin on a document request (no Authorization header) with an invalid id_token
  // redirects to the bounce page, which reloads the same URL without the token once App Bridge
  // has a fresh one (the stub has none to give, so the browser stays there).
  const first = response?.request().redirectedFrom();
  expect(first, "the /app request was redirected").toBeTruthy();
  const firstResponse = await first!.response();
  expect(firstResponse?.status()).toBe(302);
  const location = new URL(firstResponse!.headers()["location"]!, base);
  expect(location.pathname).toBe("/auth/session-token");
  expect(location.searchParams.get("id_token")).toBeNull();
  const reload = new URL(location.searchParams.get("shopify-reload")!);
  expect(`${reload.origin}${reload.pathname}`).toBe(`${base}/app`);
  expect(reload.searchParams.get("shop")).toBe(SHOP);
  expect(reload.searchParams.get("id_token")).toBeNull();

  // The bounce page: App Bridge alone, nothing of the app.
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe("/auth/session-token");
  await expect(page.locator(`script[src="${APP_BRIDGE_URL}"][data-api-key="${SANDBOX_API_KEY}"]`)).toHaveCount(1);
  await expect(page.locator(".Polaris-Page")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(SHOP_NAME);
  await expect(page.locator("body")).not.toContainText("Latest messages");

  // The app's own requests after the first document carry the token in Authorization (App Bridge
  // adds it): there the library answers 401 with the header asking App Bridge to retry with a fresh
  // token. The same request with a correctly signed token gets the data.
  const dataRequest = (secret?: string) =>
    request.get("/app.data", { headers: { Authorization: `Bearer ${sessionToken(secret)}`, "User-Agent": BROWSER_UA }, maxRedirects: 0 });
  const refused = await dataRequest("not-the-app-secret");
  expect(refused.status()).toBe(401);
  expect(refused.headers()["x-shopify-retry-invalid-session-request"]).toBe("1");
  expect(await refused.text()).not.toContain(SHOP_NAME);
  const accepted = await dataRequest();
  expect(accepted.status()).toBe(200);
  expect(await accepted.text()).toContain(SHOP_NAME);

  expectCleanPage(watch);
});
