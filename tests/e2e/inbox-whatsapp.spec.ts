/**
 * Answering a WhatsApp customer after the 24-hour window, in the browser, against `npm run
 * sandbox`'s process whose Twilio calls go to a local fake Twilio API. Olivia (English) and Léa
 * (French) write on WhatsApp through the real signed webhook on Monday; the sandbox is stopped, the
 * shop's approved templates recorded (English only: the settings page has no editor for them yet),
 * and it starts again on the same data on Tuesday, 26 hours later. Olivia's thread offers the
 * templates instead of free text and the chosen one reaches Twilio as ContentSid + ContentVariables;
 * Léa's says there is no French template and how else to reach her. In English and in French.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, test, type Page } from "@playwright/test";
import twilio from "twilio";
import { shops } from "../../db/schema";
import { openDatabase } from "../../app/db.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { adminUrl, expectCleanPage, saveScreenshot, SHOP, SHOP_NAME, SHOP_SMS_NUMBER, startSandboxApp, watchPage, type SandboxApp } from "./support";

const PORT = Number(process.env.E2E_WHATSAPP_PORT ?? 3325);
const ACCOUNT_SID = "AC" + "2c".repeat(16);
const AUTH_TOKEN = "inbox_whatsapp_e2e_auth_token";
const OLIVIA = { phone: "+447700900123", name: "Olivia Brown" };
const LEA = { phone: "+33677889900", name: "Léa Martin" };
const HELP_SID = "HX" + "a1".repeat(16);
const STOCK_SID = "HX" + "b2".repeat(16);
const MONDAY = "2026-01-12T10:00:00+01:00";
const TUESDAY = "2026-01-13T12:00:00+01:00";

let fake: FakeTwilioApi;
let app: SandboxApp | undefined;
let dataDir: string;

const sandboxEnv = (now: string) => ({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: fake.url, SANDBOX_NOW: now });

/** A WhatsApp message from `from`, signed with this app's Twilio auth token, as Twilio posts it. */
async function whatsapp(baseUrl: string, from: string, text: string) {
  const url = `${baseUrl}/webhooks/channels/twilio-whatsapp`;
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: ACCOUNT_SID, From: `whatsapp:${from}`, To: `whatsapp:${SHOP_SMS_NUMBER}`, Body: text, NumMedia: "0", SmsStatus: "received" };
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
}

/** What the shop sent to `phone` on WhatsApp through Twilio's Messages API. */
const sentTo = (phone: string) => fake.requests.filter((r) => r.path === `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json` && r.form.To === `whatsapp:${phone}`);

/** The shop's approved WhatsApp templates (settings.messaging.whatsappTemplates), written while the app is stopped. */
async function approveTemplates(templates: Array<{ purpose: string; language: string; name: string }>) {
  const handle = await openDatabase({ dataDir });
  try {
    const [shop] = await handle.db.select().from(shops).where(eq(shops.domain, SHOP)).limit(1);
    if (!shop) throw new Error("the sandbox shop is not installed");
    await handle.db
      .update(shops)
      .set({ settings: { ...shop.settings, messaging: { ...shop.settings.messaging, whatsappTemplates: templates } } })
      .where(eq(shops.id, shop.id));
  } finally {
    await handle.close();
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "coccinelle-whatsapp-e2e-"));
  // Monday: both write on WhatsApp and the AI answers them in the window.
  app = await startSandboxApp({ port: PORT, dataDir, env: sandboxEnv(MONDAY) });
  await whatsapp(app.url, OLIVIA.phone, "Hello, is the linen jacket back in size M?");
  await whatsapp(app.url, LEA.phone, "Bonjour, vous avez la robe fleurie bleue en 40 ?");
  for (const customer of [OLIVIA, LEA]) {
    await expect.poll(() => sentTo(customer.phone).length, { message: `the AI answered ${customer.name} on WhatsApp`, timeout: 30_000 }).toBeGreaterThan(0);
  }
  await app.stop();
  app = undefined;
  await approveTemplates([
    { purpose: "help", language: "en", name: HELP_SID },
    { purpose: "back_in_stock", language: "en", name: STOCK_SID },
  ]);
  // Tuesday, 26 hours later: the window has closed for both.
  app = await startSandboxApp({ port: PORT, dataDir, env: sandboxEnv(TUESDAY) });
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function openThread(page: Page, locale: "en" | "fr", name: string) {
  await page.goto(adminUrl(app!.url, { path: "/app/inbox", locale }) + "&tab=all");
  await page.locator(".Polaris-IndexTable__TableRow").filter({ hasText: name }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("after the window, she sends an approved template with its values and it reaches Twilio as ContentSid + ContentVariables", async ({ page }, testInfo) => {
  const watch = await watchPage(page);
  await openThread(page, "en", OLIVIA.name);
  const form = page.getByTestId("whatsapp-template");
  await expect(form.getByRole("heading", { name: "Send an approved WhatsApp template" })).toBeVisible();
  await expect(form).toContainText("approved templates in English");
  await expect(page.getByRole("button", { name: "Send", exact: true }), "no free-text send to fail with").toHaveCount(0);

  const template = form.getByLabel("Approved template");
  await expect(template.locator("option")).toHaveText(["Help: write to us", "Back in stock"]);
  await template.selectOption({ label: "Back in stock" });
  await expect(form.getByLabel("Shop name")).toHaveValue(SHOP_NAME);
  const item = form.getByLabel("Item and size (e.g. Robe Fleurie Bleue, size 38)");
  await expect(item).toHaveValue("");
  const preview = page.getByTestId("whatsapp-template-preview");
  await expect(preview).toHaveText(`Hello from ${SHOP_NAME}! Good news: the item you were waiting for is back ([itemLabel]). Just reply and I'll hold it for you!`);

  // An empty value: a clear error, nothing sent, nothing lost.
  const before = sentTo(OLIVIA.phone).length;
  await form.getByRole("button", { name: "Send the template" }).click();
  await expect(form).toContainText("Fill this in: WhatsApp refuses a template with an empty value.");
  await expect(form.getByLabel("Shop name")).toHaveValue(SHOP_NAME);
  expect(sentTo(OLIVIA.phone)).toHaveLength(before);

  await item.fill("Linen jacket, size M");
  const text = `Hello from ${SHOP_NAME}! Good news: the item you were waiting for is back (Linen jacket, size M). Just reply and I'll hold it for you!`;
  await expect(preview).toHaveText(text);
  await saveScreenshot(page, testInfo, "admin-inbox-whatsapp-template");

  await form.getByRole("button", { name: "Send the template" }).click();
  await expect.poll(() => sentTo(OLIVIA.phone).length, { message: "the template reached Twilio", timeout: 15_000 }).toBe(before + 1);
  const sent = sentTo(OLIVIA.phone).at(-1)!;
  expect(sent.form.ContentSid).toBe(STOCK_SID);
  expect(JSON.parse(sent.form.ContentVariables ?? "{}")).toEqual({ "1": SHOP_NAME, "2": "Linen jacket, size M" });
  expect(sent.form.Body, "a template goes without free text").toBeUndefined();
  expect(sent.form.From).toBe(`whatsapp:${SHOP_SMS_NUMBER}`);
  expect(sent.response.status).toBe(201);
  await expect(page.getByTestId("thread-messages").locator('[data-author="merchant"]').last()).toContainText(text);
  expectCleanPage(watch);
});

test("in French: the template choice, a send, and a customer with no template in her language", async ({ page }) => {
  const watch = await watchPage(page);
  await openThread(page, "fr", OLIVIA.name);
  const form = page.getByTestId("whatsapp-template");
  await expect(form.getByRole("heading", { name: "Envoyer un modèle WhatsApp approuvé" })).toBeVisible();
  await expect(form).toContainText("modèles approuvés en Anglais");
  await expect(form.getByLabel("Modèle approuvé")).toHaveValue("help");
  await expect(form.getByLabel("Nom de la boutique")).toHaveValue(SHOP_NAME);
  await expect(page.getByTestId("whatsapp-template-preview")).toHaveText(
    `Hello from ${SHOP_NAME}! Write to us here about an item, a hold or an order. Reply STOP to stop receiving messages.`,
  );
  const before = sentTo(OLIVIA.phone).length;
  await form.getByRole("button", { name: "Envoyer le modèle" }).click();
  await expect.poll(() => sentTo(OLIVIA.phone).length, { message: "the template reached Twilio", timeout: 15_000 }).toBe(before + 1);
  const sent = sentTo(OLIVIA.phone).at(-1)!;
  expect(sent.form.ContentSid).toBe(HELP_SID);
  expect(JSON.parse(sent.form.ContentVariables ?? "{}")).toEqual({ "1": SHOP_NAME });

  // Léa writes in French and the shop approved no French template: said, with the other way to reach her.
  await openThread(page, "fr", LEA.name);
  const none = page.getByTestId("whatsapp-no-template");
  await expect(none).toContainText("Aucun modèle WhatsApp approuvé en Français");
  await expect(none).toContainText(`Vous pouvez joindre ${LEA.name} autrement :`);
  await expect(none).toContainText(`SMS : ${LEA.phone}`);
  await expect(page.getByTestId("whatsapp-template")).toHaveCount(0);
  expectCleanPage(watch);
});
