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
import {
  APP_BRIDGE_URL,
  BROWSER_UA,
  SHOP,
  SHOP_NAME,
  SHOP_SMS_NUMBER,
  adminUrl,
  expectCleanPage,
  saveScreenshot,
  sendSignedSms,
  sessionToken,
  visibleText,
  watchPage,
} from "./support";

const JULIE = { phone: "+33645789012", text: "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?" };

function homeUrl(baseURL: string, secret?: string) {
  return adminUrl(baseURL, { locale: "en", ...(secret ? { secret } : {}) });
}

test("the embedded home page shows the shop, its SMS channel and Julie's answered message", async ({ page, request, baseURL }, testInfo) => {
  const base = baseURL!;
  const watch = await watchPage(page);

  await sendSignedSms(request, base, { from: JULIE.phone, text: JULIE.text });
  // QUEUE=inline: the engine runs in the server process right after the webhook answers. The reply
  // is there once the home page lists it with its final status (outbox: no Twilio Account SID).
  await expect
    .poll(
      async () => {
        const response = await request.get(homeUrl(base), { headers: { "User-Agent": BROWSER_UA }, maxRedirects: 0 });
        return response.status() === 200 ? /Coccinelle SMS .*· outbox/.test(visibleText(await response.text())) : false;
      },
      { message: "Coccinelle's reply to Julie appears on the home page", timeout: 30_000, intervals: [100, 250, 500, 1000] },
    )
    .toBe(true);

  const response = await page.goto(homeUrl(base));
  expect(response?.status()).toBe(200);
  await page.waitForLoadState("networkidle");

  // The Polaris page, titled with the shop's name.
  await expect(page.locator(".Polaris-Page")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: SHOP_NAME })).toBeVisible();

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

  // The conversation: Julie's SMS, then Coccinelle's answer about size 38 (2 in stock).
  const latest = page.locator(".Polaris-ShadowBevel").filter({ has: page.getByRole("heading", { name: "Latest messages" }) });
  const julie = latest.locator("p", { hasText: JULIE.text });
  await expect(julie).toHaveCount(1);
  await expect(latest).toContainText("Julie Mercier");
  const replies = latest.locator("p").filter({ hasNotText: JULIE.text });
  await expect(replies).toHaveCount(1);
  const reply = replies.first();
  await expect(reply).toContainText("38");
  await expect(reply).toContainText(/\b2\b/);
  await expect(latest).toContainText(/Coccinelle\s*SMS/);
  await expect(latest).toContainText("· outbox");
  testInfo.annotations.push({ type: "reply", description: (await reply.innerText()).replace(/\s+/g, " ") });

  // The app's admin navigation, which App Bridge shows in admin's sidebar (hidden in the page).
  await expect(page.locator('ui-nav-menu a[rel="home"][href="/app"]')).toHaveText("Home");

  // A short viewport: the full-page screenshot then ends where the content does.
  await page.setViewportSize({ width: 1280, height: 420 });
  await saveScreenshot(page, testInfo, "admin-home");

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
