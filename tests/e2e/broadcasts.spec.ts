/**
 * The broadcasts page, end to end, in French and in English, on the sandbox shop: Julie (a VIP in
 * Shopify) texts START to the shop, so she is among its customers and agreed to its SMS. A
 * form with missing or wrong fields is refused field by field and keeps what was typed; a segment
 * nobody in it can receive is refused; the preview shows the recipients after consent filtering,
 * the channel split and the cost before anything is sent; scheduling lists the broadcast with its
 * progress, which the inline queue moves to "sent" (Monday morning is within marketing hours); a
 * broadcast scheduled for later can be cancelled before it goes; one due a minute later is seen
 * going out on the open page, which reads its list again by itself.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { toLocalDateTime } from "../../app/lib/local-date-time";
import { BROWSER_UA, adminUrl, expectCleanPage, saveScreenshot, sendSignedSms, visibleText, watchPage } from "./support";

const JULIE = "+33645789012";

/** Julie opts in by SMS (START): a consent row the broadcast's consent filter reads. */
async function julieOptsIn(request: APIRequestContext, base: string) {
  const home = adminUrl(base, { locale: "en" });
  const replies = async () => {
    const response = await request.get(home, { headers: { "User-Agent": BROWSER_UA }, maxRedirects: 0 });
    return response.status() === 200 ? visibleText(await response.text()).split("· outbox").length : 0;
  };
  const before = await replies();
  await sendSignedSms(request, base, { from: JULIE, text: "START" });
  await expect.poll(replies, { message: "Coccinelle answers Julie", timeout: 30_000, intervals: [100, 250, 500, 1000] }).toBeGreaterThan(before);
}

async function openBroadcasts(page: Page, base: string, locale: "en" | "fr") {
  const response = await page.goto(adminUrl(base, { locale, path: "/app/broadcasts" }));
  expect(response?.status()).toBe(200);
  await page.waitForLoadState("networkidle");
}

function form(page: Page) {
  const root = page.getByTestId("broadcast-form");
  return {
    root,
    name: root.getByRole("textbox").first(),
    text: root.locator("textarea").first(),
    sendAt: root.locator('input[type="datetime-local"]'),
    segment: root.locator("select"),
  };
}

function listRow(page: Page, name: string) {
  return page.getByTestId("broadcast-list").locator("tr").filter({ hasText: name });
}

test("French: errors on each field, a preview with recipients and cost, then scheduled and sent", async ({ page, request, baseURL }) => {
  const base = baseURL!;
  const watch = await watchPage(page);
  await julieOptsIn(request, base);
  await openBroadcasts(page, base, "fr");
  await expect(page.getByRole("heading", { level: 1, name: "Campagnes" })).toBeVisible();
  const f = form(page);

  // Nothing filled in: each missing field says so, nothing is sent.
  await f.root.getByRole("button", { name: "Aperçu" }).click();
  await expect(f.root).toContainText("Vérifiez le formulaire : rien n'a été envoyé.");
  await expect(f.root).toContainText("Donnez un nom à la campagne.");
  await expect(f.root).toContainText("Rédigez le message.");
  await expect(f.root.getByRole("button", { name: "Programmer la campagne" })).toBeDisabled();

  // A send time in the past: refused on its field, the rest of the form kept.
  await f.name.fill("Soldes VIP");
  await f.text.fill("-20 % pour vous ce week-end, Julie !");
  await f.sendAt.fill("2026-01-01T10:00");
  await f.root.getByRole("button", { name: "Aperçu" }).click();
  await expect(f.root).toContainText("Cette heure est déjà passée.");
  await expect(f.name).toHaveValue("Soldes VIP");
  await expect(f.text).toHaveValue("-20 % pour vous ce week-end, Julie !");

  // As soon as possible: the preview, before anything is sent.
  await f.sendAt.fill("");
  await f.root.getByRole("button", { name: "Aperçu" }).click();
  const preview = page.getByTestId("broadcast-preview");
  await expect(preview).toContainText("1 destinataire(s) ayant donné leur accord marketing");
  await expect(preview).toContainText("SMS 1 · WhatsApp 0 · E-mail 0");
  await expect(preview).toContainText(/Coût estimé : 0,\d+\s€/);
  await expect(listRow(page, "Soldes VIP")).toHaveCount(0);

  await f.root.getByRole("button", { name: "Programmer la campagne" }).click();
  await expect(listRow(page, "Soldes VIP")).toHaveCount(1);
  await expect(f.name).toHaveValue("");
  const row = listRow(page, "Soldes VIP");
  await expect(row).toContainText("Clients VIP");
  await expect(row.getByTestId("broadcast-progress").locator(".Polaris-ProgressBar")).toHaveCount(1);
  // The inline queue sends it at once (Monday morning, marketing hours): kept in the outbox, sent.
  await expect(async () => {
    await page.reload();
    await expect(listRow(page, "Soldes VIP")).toContainText("0 en attente · 1 envoyés · 0 reçus · 0 échecs", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(listRow(page, "Soldes VIP")).toContainText("Envoyée");

  expectCleanPage(watch);
});

test("English: a segment nobody can receive and a too long text are refused; a later broadcast is cancelled", async ({ page, request, baseURL }, testInfo) => {
  const base = baseURL!;
  const watch = await watchPage(page);
  await julieOptsIn(request, base);
  await openBroadcasts(page, base, "en");
  await expect(page.getByRole("heading", { level: 1, name: "Broadcasts" })).toBeVisible();
  const f = form(page);

  // Tagged with a tag nobody has: nobody to send to, said before anything is saved.
  await f.name.fill("Nobody");
  await f.segment.selectOption("tag");
  await f.root.getByLabel("Tag").fill("no-such-tag");
  await f.text.fill("Hello!");
  await f.root.getByRole("button", { name: "Preview" }).click();
  await expect(f.root).toContainText("Nobody in this segment has agreed to receive marketing messages: nothing to send.");
  await expect(page.getByTestId("broadcast-preview")).toContainText("0 recipient(s)");
  await expect(f.root.getByRole("button", { name: "Schedule the broadcast" })).toBeDisabled();

  // Longer than 1,000 characters.
  await f.segment.selectOption("vip");
  await f.text.fill("x".repeat(1001));
  await f.root.getByRole("button", { name: "Preview" }).click();
  await expect(f.root).toContainText("The message is too long (1,000 characters at most).");

  // Tomorrow 11:00 in the shop's time zone: scheduled, queued, cancelled before it goes.
  await f.name.fill("New collection");
  await f.text.fill("Our spring collection is in the shop from tomorrow.");
  await f.sendAt.fill("2026-01-13T11:00");
  await f.root.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("broadcast-preview")).toContainText("1 recipient(s) with marketing consent");
  await expect(page.getByTestId("broadcast-preview")).toContainText(/Estimated cost: €\d+\.\d+/);
  // A change after the preview needs a new one.
  await f.text.fill("Our spring collection is in the shop from tomorrow!");
  await expect(f.root.getByRole("button", { name: "Schedule the broadcast" })).toBeDisabled();
  await f.root.getByRole("button", { name: "Preview" }).click();
  await expect(f.root.getByRole("button", { name: "Schedule the broadcast" })).toBeEnabled();
  await saveScreenshot(page, testInfo, "admin-broadcasts");
  await f.root.getByRole("button", { name: "Schedule the broadcast" }).click();
  const row = listRow(page, "New collection");
  await expect(row).toContainText("tomorrow 11:00");
  await expect(row).toContainText("Scheduled");
  await expect(row).toContainText("1 queued · 0 sent · 0 delivered · 0 failed");

  await row.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toContainText("Cancelled");
  await expect(row).toContainText("1 not sent (cancelled)");
  await expect(row.getByRole("button", { name: "Cancel" })).toHaveCount(0);

  expectCleanPage(watch);
});

test("A broadcast due in a minute: the open page shows it going out, without a reload", async ({ page, request, baseURL }) => {
  test.setTimeout(150_000);
  const base = baseURL!;
  const watch = await watchPage(page);
  await julieOptsIn(request, base);
  await openBroadcasts(page, base, "en");
  // The shop's clock (the sandbox's, which runs from the demo's Monday) as the page was loaded.
  const loaded = await page.evaluate(() => {
    const context = (window as unknown as { __remixContext?: { state: { loaderData: Record<string, { now?: string; timeZone?: string } | undefined> } } }).__remixContext;
    return { data: context?.state.loaderData["routes/app.broadcasts"], at: Date.now() };
  });
  if (!loaded.data?.now || !loaded.data.timeZone) throw new Error("the broadcasts page's loader data is not on the page");
  // The next whole minute at least 20 s away (the field counts minutes): time to preview and schedule.
  const loadedNow = Date.parse(loaded.data.now);
  const shopNow = () => loadedNow + (Date.now() - loaded.at);
  const due = new Date(Math.ceil((shopNow() + 20_000) / 60_000) * 60_000);
  const f = form(page);
  await f.name.fill("Flash sale");
  await f.text.fill("Flash sale this afternoon, Julie!");
  await f.sendAt.fill(toLocalDateTime(due, loaded.data.timeZone));
  await f.root.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("broadcast-preview")).toContainText("1 recipient(s) with marketing consent");
  await f.root.getByRole("button", { name: "Schedule the broadcast" }).click();
  const row = listRow(page, "Flash sale");
  await expect(row).toContainText("Scheduled");
  await expect(row).toContainText("1 queued · 0 sent · 0 delivered · 0 failed");

  // Nothing is done on the page from here: the queue sends it when due, and the list reads itself again.
  await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  const wait = due.getTime() - shopNow() + 30_000;
  await expect(row).toContainText("0 queued · 1 sent · 0 delivered · 0 failed", { timeout: wait });
  await expect(row).toContainText("Sent");
  expect(await page.evaluate(() => "notReloaded" in window), "the same page, not reloaded").toBe(true);

  expectCleanPage(watch);
});
