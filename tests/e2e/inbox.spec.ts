/**
 * Sarah's inbox in the browser, against `npm run sandbox`'s process (web + worker on Redis) whose
 * Twilio calls go to a local fake Twilio API: a signed SMS appears in the open inbox without a
 * reload (server-sent events); the thread shows what the AI did and why it needs her; she takes
 * over (the AI stays silent on the next message, which appears live), writes her own reply and it
 * reaches Twilio's Messages API; she hands back. In English and in French.
 */
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import twilio from "twilio";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { adminUrl, expectCleanPage, saveScreenshot, SHOP_SMS_NUMBER, startSandboxApp, watchPage, type SandboxApp } from "./support";

const PORT = Number(process.env.E2E_INBOX_PORT ?? 3319);
const ACCOUNT_SID = "AC" + "1b".repeat(16);
const AUTH_TOKEN = "inbox_e2e_auth_token";
const MARINE = { phone: "+33655443322", name: "Marine Durand" };

let fake: FakeTwilioApi;
let app: SandboxApp;

test.beforeAll(async () => {
  fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  app = await startSandboxApp({ port: PORT, env: { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: fake.url } });
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

/** An SMS from `from`, signed with this app's Twilio auth token, as Twilio posts it. */
async function sms(from: string, text: string) {
  const url = `${app.url}/webhooks/channels/twilio`;
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: ACCOUNT_SID, From: from, To: SHOP_SMS_NUMBER, Body: text, NumMedia: "0", SmsStatus: "received" };
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
}

/** What the shop sent to `to` through Twilio's Messages API. */
const sentTo = (to: string) => fake.requests.filter((r) => r.path === `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json` && r.form.To === to);

/** Marks the document: still marked later means the page was never reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => document.documentElement.setAttribute("data-e2e-document", "kept"));
}
async function expectSameDocument(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-e2e-document", "kept");
}

test("a new SMS appears live; she takes over, the AI stays silent, her reply reaches Twilio, she hands back", async ({ page }, testInfo) => {
  const watch = await watchPage(page);
  await page.goto(adminUrl(app.url, { path: "/app/inbox", locale: "en" }) + "&tab=all");
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await markDocument(page);

  // Marine asks for a person: the AI answers her and hands the conversation to Sarah.
  await sms(MARINE.phone, "Bonjour, je voudrais parler à quelqu'un svp");
  const row = page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: MARINE.name });
  await expect(row, "her conversation appears without a reload").toHaveCount(1, { timeout: 20_000 });
  await expect(row).toContainText("Needs you", { timeout: 20_000 });
  await expectSameDocument(page);
  await expect.poll(() => sentTo(MARINE.phone).length, { message: "the AI's answer to Marine went to Twilio", timeout: 15_000 }).toBe(1);
  await page.setViewportSize({ width: 1280, height: 500 });
  await saveScreenshot(page, testInfo, "admin-inbox");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The thread: why she is needed, what the AI did, a reply to start from.
  await row.getByRole("link", { name: MARINE.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: MARINE.name })).toBeVisible();
  await expect(page.getByTestId("thread-escalation")).toContainText("Coccinelle needs you");
  const messages = page.getByTestId("thread-messages");
  await expect(messages).toContainText("je voudrais parler à quelqu'un");
  await expect(messages).toContainText(sentTo(MARINE.phone)[0]!.form.Body!.slice(0, 30));

  // Take over: the AI stays silent on her next message, which appears in the thread live.
  await page.getByRole("button", { name: "Take over" }).click();
  await expect(page.getByText("You are answering: the AI stays silent")).toBeVisible();
  await markDocument(page);
  await sms(MARINE.phone, "Vous êtes là ? C'est pour un cadeau");
  await expect(messages).toContainText("C'est pour un cadeau", { timeout: 20_000 });
  await expectSameDocument(page);
  // Long enough for the worker to have answered had the AI not been paused.
  await page.waitForTimeout(1_500);
  expect(sentTo(MARINE.phone), "the AI did not answer while she had taken over").toHaveLength(1);

  // Her own reply, through Twilio's Messages API.
  const reply = "Bonjour Marine, c'est Sarah ! Je vous appelle dans 5 minutes.";
  const box = page.getByTestId("thread-reply").getByRole("textbox");
  await box.fill(reply);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect.poll(() => sentTo(MARINE.phone).length, { message: "her reply reached Twilio", timeout: 15_000 }).toBe(2);
  const sent = sentTo(MARINE.phone)[1]!;
  expect(sent.form.Body).toBe(reply);
  expect(sent.form.From).toBe(SHOP_SMS_NUMBER);
  await expect(messages).toContainText(reply);
  await expect(box).toHaveValue("");
  await saveScreenshot(page, testInfo, "admin-inbox-thread");

  // Hand back: the AI answers again.
  await page.getByRole("button", { name: "Hand back to the AI" }).click();
  await expect(page.getByText("You are answering: the AI stays silent")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Take over" })).toBeVisible();
  expectCleanPage(watch);
});

test("the inbox and a thread in French", async ({ page }) => {
  const watch = await watchPage(page);
  await page.goto(adminUrl(app.url, { path: "/app/inbox", locale: "fr" }) + "&tab=all");
  await expect(page.getByRole("heading", { level: 1, name: "Messages" })).toBeVisible();
  for (const tab of ["À traiter", "Gérées par l'IA", "Toutes"]) await expect(page.getByRole("tab", { name: new RegExp(tab) })).toBeVisible();
  await page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: MARINE.name }).getByRole("link", { name: MARINE.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: MARINE.name })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reprendre la main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Envoyer", exact: true })).toBeVisible();
  expectCleanPage(watch);
});
