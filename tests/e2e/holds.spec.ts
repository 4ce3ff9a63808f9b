/**
 * The holds page, end to end, in French and in English: Julie asks for the dress in 38 by SMS
 * (signed like Twilio signs it), says "Oui merci ! Je passe ce soir vers 17h !", and the engine
 * puts it aside in the sandbox shop (a draft order reserving the unit). The merchant's holds page
 * lists it with its deadline in the shop's time zone and its draft order; a deadline in the past
 * is refused with a clear error and the typed value kept; an extension within the policy is
 * accepted; cancelling (French) or marking it picked up (English) moves it out of the active tab
 * and gives the unit back to Shopify's stock (read back from the sandbox shop and shown).
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { BROWSER_UA, adminUrl, expectCleanPage, saveScreenshot, sendSignedSms, todayFigure, visibleText, watchPage } from "./support";

const JULIE = "+33645789012";

const TEXT = {
  fr: {
    tabActive: /^En cours/,
    tabCancelled: /^Annulées/,
    tabCompleted: /^Récupérées/,
    item: "1 × Robe Fleurie Bleue — taille 38",
    deadline: "demain 18:00",
    extend: "Prolonger",
    extendSave: "Prolonger",
    pastError: "La nouvelle échéance doit être dans le futur.",
    tooLate: "Votre règle permet au plus tard",
    extended: "Mise de côté prolongée jusqu'à",
    cancel: "Annuler",
    cancelConfirm: "Annuler la mise de côté",
    cancelled: "Mise de côté annulée : les articles sont remis en vente.",
    stockBack: "Robe Fleurie Bleue (38) : 2 disponible(s) maintenant.",
    status: "Annulée",
  },
  en: {
    tabActive: /^Active/,
    tabCancelled: /^Cancelled/,
    tabCompleted: /^Picked up/,
    item: "1 × Robe Fleurie Bleue — size 38",
    deadline: "tomorrow 18:00",
    extend: "Extend",
    extendSave: "Extend the hold",
    pastError: "The new deadline must be in the future.",
    tooLate: "Your policy allows up to",
    extended: "Hold extended until",
    pickUp: "Picked up",
    pickedUp: "Marked as picked up",
    stockBack: "Robe Fleurie Bleue (38): 2 available now.",
    status: "Picked up",
  },
} as const;

async function pageText(request: APIRequestContext, url: string): Promise<string> {
  const response = await request.get(url, { headers: { "User-Agent": BROWSER_UA }, maxRedirects: 0 });
  return response.status() === 200 ? visibleText(await response.text()) : "";
}

/** Julie's two SMS; the hold exists once the active tab lists one more hold of hers. */
async function julieHoldsTheDress(request: APIRequestContext, base: string) {
  const holds = adminUrl(base, { locale: "en", path: "/app/holds" });
  const replies = async () => Number(await todayFigure(request, base, "answered"));
  const before = await replies();
  await sendSignedSms(request, base, { from: JULIE, text: "Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍" });
  // QUEUE=inline: the engine answers in the server process; the next message waits for this answer.
  await expect.poll(replies, { message: "Coccinelle answers Julie", timeout: 30_000, intervals: [100, 250, 500, 1000] }).toBeGreaterThan(before);
  const heldBefore = (await pageText(request, holds)).split("Robe Fleurie Bleue").length;
  await sendSignedSms(request, base, { from: JULIE, text: "Oui merci ! Je passe ce soir vers 17h !" });
  await expect
    .poll(async () => (await pageText(request, holds)).split("Robe Fleurie Bleue").length, { message: "the hold is listed", timeout: 30_000, intervals: [100, 250, 500, 1000] })
    .toBeGreaterThan(heldBefore);
}

async function openHolds(page: Page, base: string, locale: "en" | "fr") {
  const response = await page.goto(adminUrl(base, { locale, path: "/app/holds" }));
  expect(response?.status()).toBe(200);
  await page.waitForLoadState("networkidle");
}

function julieRow(page: Page) {
  return page.getByTestId("holds-list").locator("tr").filter({ hasText: "Julie Mercier" });
}

test("French: Julie's hold is listed, a past deadline is refused, an extension accepted, cancelling gives the dress back", async ({ page, request, baseURL }) => {
  const base = baseURL!;
  const text = TEXT.fr;
  const watch = await watchPage(page);
  await julieHoldsTheDress(request, base);
  await openHolds(page, base, "fr");

  await expect(page.getByRole("heading", { level: 1, name: "Mises de côté" })).toBeVisible();
  const activeTab = page.getByRole("tab", { name: text.tabActive });
  await expect(activeTab).toHaveAttribute("aria-selected", "true");
  await expect(activeTab).toContainText("1");
  const row = julieRow(page);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(text.item);
  // Placed Monday morning (the sandbox clock), held until the next day 18:00 in Paris.
  await expect(row).toContainText(text.deadline);
  await expect(row.locator('a[href^="shopify:admin/draft_orders/"]')).toHaveCount(1);

  // A deadline in the past: refused, said on the field, the typed value kept.
  await row.getByRole("button", { name: text.extend }).click();
  const panel = page.getByTestId("holds-panel");
  const field = panel.locator('input[type="datetime-local"]');
  await field.fill("2026-01-01T10:00");
  await panel.getByRole("button", { name: text.extendSave }).click();
  await expect(panel).toContainText(text.pastError);
  await expect(field).toHaveValue("2026-01-01T10:00");
  await expect(row).toContainText(text.deadline);

  // Beyond the policy (one more hold period after the current deadline): refused with the limit.
  await field.fill("2026-01-20T18:00");
  await panel.getByRole("button", { name: text.extendSave }).click();
  await expect(panel).toContainText(text.tooLate);

  // Within it: Wednesday 18:00.
  await field.fill("2026-01-14T18:00");
  await panel.getByRole("button", { name: text.extendSave }).click();
  await expect(page.getByTestId("holds-outcome")).toContainText(text.extended);
  await expect(row).toContainText("mer. 14 janv. 18:00");

  // Cancel: confirmed, the dress is back on sale in the sandbox shop, the hold leaves the active tab.
  await row.getByRole("button", { name: text.cancel, exact: true }).click();
  await page.getByTestId("holds-panel").getByRole("button", { name: text.cancelConfirm }).click();
  const outcome = page.getByTestId("holds-outcome");
  await expect(outcome).toContainText(text.cancelled);
  await expect(outcome).toContainText(text.stockBack);
  await expect(julieRow(page)).toHaveCount(0);
  await page.getByRole("tab", { name: text.tabCancelled }).click();
  await expect(page).toHaveURL(/tab=cancelled/);
  await expect(julieRow(page).first()).toContainText(text.status);

  // Search by product finds it; a search for nothing of hers finds nothing.
  await page.getByPlaceholder("Rechercher").fill("robe fleurie 38");
  await expect(page).toHaveURL(/q=robe/);
  await expect(julieRow(page).first()).toBeVisible();
  await page.getByPlaceholder("Rechercher").fill("pantalon");
  await expect(page.getByTestId("holds-list")).toContainText("Aucune mise de côté ne correspond à cette recherche.");

  expectCleanPage(watch);
});

test("English: Julie's hold is listed, then marked picked up, and the reservation is released", async ({ page, request, baseURL }, testInfo) => {
  const base = baseURL!;
  const text = TEXT.en;
  const watch = await watchPage(page);
  await julieHoldsTheDress(request, base);
  await openHolds(page, base, "en");

  await expect(page.getByRole("heading", { level: 1, name: "Holds" })).toBeVisible();
  const row = julieRow(page);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(text.item);
  await expect(row).toContainText(text.deadline);

  // An impossible date is refused in English too.
  await row.getByRole("button", { name: text.extend }).click();
  const field = page.getByTestId("holds-panel").locator('input[type="datetime-local"]');
  await field.fill("2026-01-01T10:00");
  await page.getByTestId("holds-panel").getByRole("button", { name: text.extendSave }).click();
  await expect(page.getByTestId("holds-panel")).toContainText(text.pastError);
  await page.getByTestId("holds-panel").getByRole("button", { name: "Close" }).click();

  await page.setViewportSize({ width: 1280, height: 500 });
  await saveScreenshot(page, testInfo, "admin-holds");

  await row.getByRole("button", { name: text.pickUp, exact: true }).click();
  const outcome = page.getByTestId("holds-outcome");
  await expect(outcome).toContainText(text.pickedUp);
  await expect(outcome).toContainText(text.stockBack);
  await expect(julieRow(page)).toHaveCount(0);
  await page.getByRole("tab", { name: text.tabCompleted }).click();
  await expect(julieRow(page).first()).toContainText(text.status);

  expectCleanPage(watch);
});
