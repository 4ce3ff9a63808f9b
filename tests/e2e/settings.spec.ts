/**
 * The settings page in Shopify admin, in English and in French, on the sandbox shop with the
 * network closed: a bad value is refused with its error under the field and what she typed still
 * there; a good one is saved and is still there after a reload; the template editor's SMS counter
 * switches to UCS-2 when she types an emoji. The test message goes through the app's delivery,
 * which the e2e server runs without Twilio credentials: it lands in the outbox (the page says so).
 * On the Channels tab she registers an approved WhatsApp template: a malformed Content SID is
 * refused under the field and kept; a valid one is listed as registered after a reload.
 * The tests share one server and database: English runs first, French changes other values.
 */
import { expect, test, type Page } from "@playwright/test";
import { adminUrl, expectCleanPage, saveScreenshot, watchPage } from "./support";

const WORDS = {
  en: {
    title: "Settings",
    holdMode: "A hold lasts",
    holdHours: "Hold duration (hours)",
    holdHoursError: "Enter a whole number of hours from 1 to 168.",
    fixFields: "Nothing was saved: correct the fields marked in red.",
    saved: "Settings saved.",
    save: "Save",
    accountSid: "Account SID",
    accountSidError: "The Account SID is AC followed by 32 hexadecimal characters",
    authToken: "Auth token",
    connected: "Connected",
    secretSaved: "Saved (••••6789)",
    text: "Your wording",
    unknownVariable: "Unknown variable {{prenom}}",
    languageOption: "en",
    templateText: "Yes! {{product}} is available {{size}}.",
    testTo: "Send to",
    sendTest: "Send the test",
    outbox: "the test message to +33645789012 was kept in the outbox",
    tabs: { policies: "Policies", templates: "Templates", channels: "Channels" },
    whatsapp: {
      purpose: "Template",
      language: "Language",
      name: "Content SID or template name",
      register: "Register",
      sidError: "A Content SID is HX followed by 32 characters from 0-9 and a-f",
      registered: "Template registered",
      registeredAs: "Registered: ",
      remove: "Remove",
      removed: "Template removed.",
    },
  },
  fr: {
    title: "Réglages",
    holdMode: "Une mise de côté dure",
    holdHours: "Durée de mise de côté (heures)",
    holdHoursError: "Saisissez un nombre entier d'heures entre 1 et 168.",
    fixFields: "Rien n'a été enregistré : corrigez les champs en rouge.",
    saved: "Réglages enregistrés.",
    save: "Enregistrer",
    accountSid: "Account SID",
    accountSidError: "L'Account SID commence par AC suivi de 32 caractères hexadécimaux",
    authToken: "Auth token",
    connected: "Connecté",
    secretSaved: "Enregistré (••••6789)",
    text: "Votre formulation",
    unknownVariable: "Variable inconnue {{prenom}}",
    languageOption: "fr",
    templateText: "Oui ! {{product}} est disponible {{size}}.",
    testTo: "Envoyer à",
    sendTest: "Envoyer le test",
    outbox: "",
    tabs: { policies: "Règles", templates: "Modèles", channels: "Canaux" },
    whatsapp: {
      purpose: "Modèle",
      language: "Langue",
      name: "Content SID ou nom du modèle",
      register: "Enregistrer le modèle",
      sidError: "Un Content SID commence par HX suivi de 32 caractères parmi 0-9 et a-f",
      registered: "Modèle enregistré",
      registeredAs: "Enregistré : ",
      remove: "Retirer",
      removed: "Modèle retiré.",
    },
  },
} as const;

function settingsUrl(base: string, locale: "en" | "fr", section: string) {
  const url = new URL(adminUrl(base, { path: "/app/settings", locale }));
  url.searchParams.set("section", section);
  return url.toString();
}

async function open(page: Page, base: string, locale: "en" | "fr", section: string) {
  const response = await page.goto(settingsUrl(base, locale, section));
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: WORDS[locale].title })).toBeVisible();
}

for (const [locale, hours, sid] of [
  ["en", "48", "AC0123456789abcdef0123456789abcdef"],
  ["fr", "72", "ACfedcba9876543210fedcba9876543210"],
] as const) {
  const w = WORDS[locale];

  test(`settings in ${locale}: errors next to the field, nothing lost, valid changes survive a reload`, async ({ page, baseURL }, testInfo) => {
    const base = baseURL!;
    const watch = await watchPage(page);

    // Policies: a hold of 0 hours is refused under the field, with 0 still typed.
    await open(page, base, locale, "policies");
    await expect(page.getByRole("tab", { name: w.tabs.policies })).toHaveAttribute("aria-selected", "true");
    const policies = page.getByTestId("policies-form");
    await page.getByLabel(w.holdMode).selectOption("hours");
    const holdHours = page.getByLabel(w.holdHours);
    await holdHours.fill("0");
    await policies.getByRole("button", { name: w.save }).click();
    await expect(policies.getByText(w.fixFields)).toBeVisible();
    await expect(holdHours).toHaveAccessibleDescription(new RegExp(w.holdHoursError.replace(/[.()]/g, "\\$&")));
    await expect(holdHours).toHaveValue("0");
    await holdHours.fill(hours);
    await policies.getByRole("button", { name: w.save }).click();
    await expect(policies.getByText(w.saved)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(w.holdMode)).toHaveValue("hours");
    await expect(page.getByLabel(w.holdHours)).toHaveValue(hours);

    // Templates: an unknown variable is a field error, live and on save; an emoji makes the SMS UCS-2.
    await page.getByRole("tab", { name: w.tabs.templates }).click();
    const templates = page.getByTestId("template-form");
    const wording = page.getByLabel(w.text);
    await wording.fill("Bonjour {{prenom}} !");
    await expect(templates.getByText(w.unknownVariable)).toBeVisible();
    await templates.getByRole("button", { name: w.save }).click();
    await expect(templates.getByText(w.fixFields)).toBeVisible();
    await expect(wording).toHaveAccessibleDescription(new RegExp(w.unknownVariable.replace(/[{}]/g, "\\$&")));
    await expect(wording).toHaveValue("Bonjour {{prenom}} !");
    await wording.fill(w.templateText);
    const counter = page.getByTestId("segment-counter");
    await expect(counter).toContainText("GSM-7");
    await expect(page.getByTestId("template-preview")).toContainText("Robe Fleurie Bleue");
    await wording.pressSequentially(" 😍");
    await expect(counter).toContainText("UCS-2");
    await templates.getByRole("button", { name: w.save }).click();
    await expect(templates.getByText(w.saved)).toBeVisible();
    if (locale === "en") {
      await page.setViewportSize({ width: 1280, height: 600 });
      await saveScreenshot(page, testInfo, "admin-settings");
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.reload();
    await expect(page.getByLabel(w.text)).toHaveValue(`${w.templateText} 😍`);

    // Channels: a malformed Account SID is refused under the field and kept as typed.
    await page.getByRole("tab", { name: w.tabs.channels }).click();
    const twilio = page.getByTestId("channel-twilio");
    if (locale === "en") {
      // Before any Twilio credentials are saved: the app's delivery keeps the message in the outbox.
      const testForm = page.getByTestId("test-message");
      await testForm.getByRole("combobox").selectOption("sms");
      await testForm.getByLabel(w.testTo).fill("+33645789012");
      await testForm.getByRole("button", { name: w.sendTest }).click();
      await expect(testForm).toContainText(w.outbox);
    }
    const accountSid = twilio.getByLabel(w.accountSid);
    await accountSid.fill("AC123");
    await twilio.getByLabel(w.authToken).fill("e2e_auth_token_6789");
    await twilio.getByRole("button", { name: w.save }).click();
    await expect(twilio.getByText(w.fixFields)).toBeVisible();
    await expect(accountSid).toHaveAccessibleDescription(new RegExp(w.accountSidError));
    await expect(accountSid).toHaveValue("AC123");
    await accountSid.fill(sid);
    await twilio.getByRole("button", { name: w.save }).click();
    await expect(twilio.getByText(w.saved)).toBeVisible();
    await page.reload();
    const reloaded = page.getByTestId("channel-twilio");
    await expect(reloaded.getByLabel(w.accountSid)).toHaveValue(sid);
    await expect(reloaded.getByText(w.connected, { exact: true })).toBeVisible();
    // The token is never sent back: an empty field and its last 4 characters.
    await expect(reloaded.getByLabel(w.authToken)).toHaveValue("");
    await expect(reloaded).toContainText(w.secretSaved);
    expect(await page.content()).not.toContain("e2e_auth_token_6789");

    expectCleanPage(watch);
  });
}

for (const [locale, purpose, language, contentSid] of [
  ["en", "order.thank_you", "en", "HX0123456789abcdef0123456789abcdef"],
  ["fr", "hold.expiring", "fr", "HXfedcba9876543210fedcba9876543210"],
] as const) {
  const w = WORDS[locale];

  test(`approved WhatsApp templates in ${locale}: a malformed Content SID is refused and kept, a valid one is registered`, async ({ page, baseURL }, testInfo) => {
    const base = baseURL!;
    const watch = await watchPage(page);
    await open(page, base, locale, "channels");
    const catalogueRow = () => page.getByTestId(`whatsapp-catalogue-${purpose}-${language}`);
    // The app's template to submit: the name to give it, not registered yet.
    await expect(catalogueRow()).toContainText(`coccinelle_${purpose.replace(".", "_")}`);
    await expect(catalogueRow()).not.toContainText(w.whatsapp.registeredAs);

    const form = page.getByTestId("whatsapp-template-form");
    await form.getByLabel(w.whatsapp.purpose, { exact: true }).selectOption(purpose);
    await form.getByLabel(w.whatsapp.language).selectOption(language);
    const name = form.getByLabel(w.whatsapp.name);
    await name.fill("HX12345");
    await form.getByRole("button", { name: w.whatsapp.register }).click();
    await expect(form.getByText(w.fixFields)).toBeVisible();
    await expect(name).toHaveAccessibleDescription(new RegExp(w.whatsapp.sidError));
    await expect(name).toHaveValue("HX12345");
    await expect(form.getByLabel(w.whatsapp.purpose, { exact: true })).toHaveValue(purpose);
    await expect(form.getByLabel(w.whatsapp.language)).toHaveValue(language);

    await name.fill(contentSid);
    await form.getByRole("button", { name: w.whatsapp.register }).click();
    await expect(form.getByText(w.whatsapp.registered)).toBeVisible();
    await page.reload();
    await expect(catalogueRow()).toContainText(`${w.whatsapp.registeredAs}${contentSid}`);
    const registration = page.getByTestId("whatsapp-registration").filter({ hasText: contentSid });
    await expect(registration).toBeVisible();
    if (locale === "en") await saveScreenshot(page, testInfo, "admin-settings-whatsapp");

    // Removed: no longer registered, after a reload too.
    await registration.getByRole("button", { name: new RegExp(`^${w.whatsapp.remove} `) }).click();
    await expect(page.getByTestId("whatsapp-templates").getByText(w.whatsapp.removed)).toBeVisible();
    await page.reload();
    await expect(catalogueRow()).not.toContainText(w.whatsapp.registeredAs);

    expectCleanPage(watch);
  });
}
