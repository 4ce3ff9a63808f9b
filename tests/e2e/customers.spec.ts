/**
 * The customers pages, end to end, in English and in French: Julie's SMS reaches the real Twilio
 * webhook route (signed like Twilio signs it), the inline queue answers her from the sandbox shop,
 * and the merchant finds her in the customers list (figures on top, search by phone), then opens
 * her page: her Shopify profile and figures from the sandbox shop, consent, her conversation in
 * the timeline with what Coccinelle did; she adds a note (a too long one is refused and kept) and
 * sends a message, which joins the timeline. The network is closed (support.ts).
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { BROWSER_UA, adminUrl, expectCleanPage, saveScreenshot, sendSignedSms, visibleText, watchPage } from "./support";

const JULIE = { phone: "+33645789012", email: "julie.mercier@gmail.com" };

const COPY = {
  en: {
    title: "Customers",
    customers: "Customers",
    search: "Search a name, phone or email",
    profile: "Shopify profile",
    orders: "Orders",
    spent: "€720.00",
    average: "€90.00",
    // Other browser tests share the server; the broadcasts test has Julie text START.
    consent: /No STOP or START received|Opted in\s*since/,
    vip: "VIP",
    noteLabel: "Add a note",
    addNote: "Add note",
    tooLong: "A note is at most 1000 characters (1001 now).",
    note: "Prefers to be called in the morning.",
    sendLabel: "Your message",
    send: "Send",
    message: "Hello Julie, the dress is waiting for you until tomorrow 6pm.",
    you: "You",
    sms: "+33645789012",
  },
  fr: {
    title: "Clients",
    customers: "Clients",
    search: "Rechercher un nom, un téléphone ou un e-mail",
    profile: "Profil Shopify",
    orders: "Commandes",
    spent: "720,00 €",
    average: "90,00 €",
    consent: /Aucun STOP ni START reçu|Abonné\s*depuis/,
    vip: "VIP",
    noteLabel: "Ajouter une note",
    addNote: "Ajouter la note",
    tooLong: "Une note fait au plus 1000 caractères (1001 actuellement).",
    note: "Préfère être appelée le matin.",
    sendLabel: "Votre message",
    send: "Envoyer",
    message: "Bonjour Julie, la robe vous attend jusqu'à demain 18h.",
    you: "Vous",
    sms: "+33645789012",
  },
} as const;

/** Julie writes; the engine answers her (outbox) and links her to her Shopify profile. */
async function julieWrites(request: APIRequestContext, base: string, text: string) {
  await sendSignedSms(request, base, { from: JULIE.phone, text });
  await expect
    .poll(
      async () => {
        const response = await request.get(adminUrl(base, { path: "/app/customers", locale: "en" }), { headers: { "User-Agent": BROWSER_UA }, maxRedirects: 0 });
        return response.status() === 200 ? visibleText(await response.text()).includes("Julie Mercier") : false;
      },
      { message: "Julie appears, named from her Shopify profile, in the customers list", timeout: 30_000, intervals: [100, 250, 500, 1000] },
    )
    .toBe(true);
}

for (const locale of ["en", "fr"] as const) {
  const copy = COPY[locale];

  test(`[${locale}] the customers list finds Julie and her page shows her profile, consent, timeline and figures`, async ({ page, request, baseURL }, testInfo) => {
    const base = baseURL!;
    const watch = await watchPage(page);
    const asked = locale === "fr" ? "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?" : "Hello, do you have the blue floral dress in 38?";
    await julieWrites(request, base, asked);

    // The list, with the shop's figures on top.
    expect((await page.goto(adminUrl(base, { path: "/app/customers", locale })))?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    await expect(page.getByRole("heading", { level: 1, name: copy.title })).toBeVisible();
    const stats = page.getByTestId("customer-stats");
    await expect(stats.locator('[data-stat="customers"]')).toHaveText(/^[1-9]\d*$/);
    await expect(stats).toContainText(copy.customers);
    const list = page.getByTestId("customer-list");
    await expect(list.getByRole("link", { name: "Julie Mercier" })).toBeVisible();
    // The README's pictures are the English pages.
    await page.setViewportSize({ width: 1280, height: 600 });
    if (locale === "en") await saveScreenshot(page, testInfo, "admin-customers");

    // Search her the French way; nobody else is left.
    await page.getByPlaceholder(copy.search).fill("06 45 78 90 12");
    await expect(page).toHaveURL(/[?&]q=06/);
    await expect(list.locator(".Polaris-IndexTable__TableRow")).toHaveCount(1);
    await expect(list).toContainText("Julie Mercier");
    await expect(list).toContainText(copy.vip);

    // Her page.
    await list.getByRole("link", { name: "Julie Mercier" }).click();
    await expect(page).toHaveURL(/\/app\/customers\/[0-9a-f-]{36}/);
    await expect(page.getByRole("heading", { level: 1, name: "Julie Mercier" })).toBeVisible();
    const profile = page.getByTestId("customer-profile");
    await expect(profile).toContainText(copy.profile);
    await expect(profile).toContainText(JULIE.email);
    await expect(profile).toContainText(copy.vip);
    const figures = page.getByTestId("customer-stats");
    await expect(figures.locator('[data-stat="orders"]')).toHaveText("8");
    await expect(figures.locator('[data-stat="spent"]')).toHaveText(copy.spent);
    await expect(figures.locator('[data-stat="averageBasket"]')).toHaveText(copy.average);
    await expect(figures).toContainText(copy.orders);
    await expect(page.getByTestId("customer-consent")).toContainText(copy.consent);
    await expect(page.getByTestId("customer-channels")).toContainText(JULIE.phone);
    const timeline = page.getByTestId("customer-timeline");
    await expect(timeline.locator('[data-author="customer"]', { hasText: asked })).toHaveCount(1);
    await expect(timeline.locator('[data-author="ai"]').first()).toContainText("Coccinelle");

    // A note too long is refused with the reason, and what she wrote stays in the field.
    const noteField = page.getByLabel(copy.noteLabel);
    const tooLong = "x".repeat(1001);
    await noteField.fill(tooLong);
    await expect(page.getByTestId("customer-notes")).toContainText(copy.tooLong);
    await expect(page.getByRole("button", { name: copy.addNote })).toBeDisabled();
    await expect(noteField).toHaveValue(tooLong);
    // A good one is saved in Shopify and shown.
    await noteField.fill(copy.note);
    await page.getByRole("button", { name: copy.addNote }).click();
    await expect(page.getByTestId("customer-note")).toContainText(copy.note);
    await expect(noteField).toHaveValue("");

    // Her message goes in her latest conversation and joins the timeline.
    await page.getByLabel(copy.sendLabel).fill(copy.message);
    await page.getByRole("button", { name: copy.send, exact: true }).click();
    await expect(timeline.locator('[data-author="merchant"]', { hasText: copy.message })).toHaveCount(1);
    await expect(timeline.locator('[data-author="merchant"]').first()).toContainText(copy.you);
    await expect(page.getByLabel(copy.sendLabel)).toHaveValue("");

    await page.setViewportSize({ width: 1280, height: 600 });
    if (locale === "en") await saveScreenshot(page, testInfo, "admin-customer-detail");
    expectCleanPage(watch);
  });
}

test("an unknown customer id shows a clear page, not an error", async ({ page, baseURL }) => {
  const base = baseURL!;
  const watch = await watchPage(page);
  const response = await page.goto(adminUrl(base, { path: "/app/customers/00000000-0000-4000-8000-000000000000", locale: "en" }));
  expect(response?.status()).toBe(200);
  await expect(page.getByText("This customer does not exist.")).toBeVisible();
  expectCleanPage(watch);
});
