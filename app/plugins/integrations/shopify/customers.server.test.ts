/**
 * The Shopify `Customers` capability and its writes (`CustomerWriter`) on the sandbox shop: lookups,
 * creation with the phone in E.164 (and twice is one customer), tags, the note, and the app-owned
 * metafields for preferences and consent — on two shops that never see each other's writes.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { InvalidPayloadError, NotFoundError, ProviderError } from "~/plugins/types";
import { SANDBOX_APP_ID } from "~/sandbox/customer-mutations.server";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import { createShopifyCustomers } from "./customers.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const JULIE = "gid://shopify/Customer/6001";
const UNKNOWN = "gid://shopify/Customer/99999";

let shop: SandboxShop;
let other: SandboxShop;
beforeEach(() => {
  const clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock });
  other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
});

const customersOf = (s: SandboxShop) => createShopifyCustomers({ admin: s.adminClient() });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe("lookups", () => {
  it("still find Julie by phone and by email, and nobody for unknown ones", async () => {
    const customers = customersOf(shop);
    expect(await customers.findByPhone("+33645789012")).toMatchObject({ id: JULIE, firstName: "Julie", tags: ["VIP"], numberOfOrders: 8 });
    expect((await customers.findByEmail("Julie.Mercier@gmail.com"))?.id).toBe(JULIE);
    expect(await customers.findByPhone("+33600000000")).toBeNull();
  });
});

describe("create", () => {
  it("creates a customer with the phone in E.164, found by it afterwards, in that shop only", async () => {
    const customers = customersOf(shop);
    const created = await customers.create({ firstName: " Camille ", lastName: "Durand", phone: "06 12 34 56 78", locale: "fr", tags: ["sms", "SMS", " "] });
    expect(created).toMatchObject({ firstName: "Camille", lastName: "Durand", phone: "+33612345678", email: null, tags: ["sms"], numberOfOrders: 0, locale: "fr" });
    expect((await customers.findByPhone("+33612345678"))?.id).toBe(created.id);
    expect(await customersOf(other).findByPhone("+33612345678")).toBeNull();
  });

  it("gives back the existing customer for a known phone or email: creating twice is one customer", async () => {
    const customers = customersOf(shop);
    const count = shop.store.customers.length;
    expect((await customers.create({ firstName: "Julie", phone: "06 45 78 90 12" })).id).toBe(JULIE);
    expect((await customers.create({ email: "JULIE.MERCIER@gmail.com" })).id).toBe(JULIE);
    const first = await customers.create({ email: "new@example.com", firstName: "Nina" });
    const second = await customers.create({ email: "new@example.com", firstName: "Nina" });
    expect(second.id).toBe(first.id);
    expect(shop.store.customers.length).toBe(count + 1);
  });

  it("refuses an invalid phone or email before asking Shopify, and passes Shopify's refusals on", async () => {
    const customers = customersOf(shop);
    expect(await failure(customers.create({ phone: "12" }))).toBeInstanceOf(InvalidPayloadError);
    expect(await failure(customers.create({ email: "not-an-email" }))).toBeInstanceOf(InvalidPayloadError);
    const empty = await failure(customers.create({ firstName: " " }));
    expect(empty).toBeInstanceOf(ProviderError);
    expect((empty as Error).message).toContain("A name, phone number, or email address must be present");
  });

  it("reads a phone in the shop's country unless told otherwise", async () => {
    const british = createShopifyCustomers({ admin: shop.adminClient(), defaultCountry: "GB" });
    expect((await british.create({ firstName: "Amelia", phone: "07911 123456" })).phone).toBe("+447911123456");
  });
});

describe("tags and note", () => {
  it("adds tags and keeps the others", async () => {
    const customers = customersOf(shop);
    await customers.addTags(JULIE, ["mariage-samedi", "vip", ""]);
    expect((await customers.findByPhone("+33645789012"))?.tags).toEqual(["VIP", "mariage-samedi"]);
    expect(await failure(customers.addTags(UNKNOWN, ["x"]))).toBeInstanceOf(NotFoundError);
    expect(other.store.customers[0]?.tags).toEqual(["VIP"]);
  });

  it("replaces, clears and appends to the note, one line once", async () => {
    const customers = customersOf(shop);
    await customers.updateNote(JULIE, "Cliente fidèle");
    await customers.appendNote(JULIE, "Préfère les SMS");
    await customers.appendNote(JULIE, "Préfère les SMS");
    expect((await customers.profile(JULIE))?.note).toBe("Cliente fidèle\nPréfère les SMS");
    await customers.updateNote(JULIE, null);
    await customers.appendNote(JULIE, "Mariage samedi");
    expect((await customers.profile(JULIE))?.note).toBe("Mariage samedi");
    expect(await failure(customers.updateNote(UNKNOWN, "x"))).toBeInstanceOf(NotFoundError);
    expect(await failure(customers.appendNote(UNKNOWN, "x"))).toBeInstanceOf(NotFoundError);
  });
});

describe("preferences and consent in app-owned metafields", () => {
  it("are stored under the app's reserved namespace with their types, and read back", async () => {
    const customers = customersOf(shop);
    expect((await customers.profile(JULIE))?.consent).toEqual({ sms: null, whatsapp: null, email: null });
    await customers.setPreferences(JULIE, { preferredChannel: "sms", usualSize: " 38 " });
    await customers.setConsent(JULIE, "sms", { granted: true, at: new Date("2026-01-12T09:15:00Z"), source: "sms:inbound" });
    await customers.setConsent(JULIE, "whatsapp", { granted: false, at: new Date("2026-01-12T09:20:00Z"), source: "whatsapp:STOP" });

    expect(shop.store.metafields.map((m) => [m.namespace, m.key, m.type])).toEqual([
      [`app--${SANDBOX_APP_ID}`, "preferred_channel", "single_line_text_field"],
      [`app--${SANDBOX_APP_ID}`, "usual_size", "single_line_text_field"],
      [`app--${SANDBOX_APP_ID}`, "sms_consent", "json"],
      [`app--${SANDBOX_APP_ID}`, "whatsapp_consent", "json"],
    ]);
    expect(await customers.profile(JULIE)).toEqual({
      customerId: JULIE,
      firstName: "Julie",
      lastName: "Mercier",
      email: "julie.mercier@gmail.com",
      phone: "+33645789012",
      numberOfOrders: 8,
      amountSpent: { amount: "720.00", currency: "EUR" },
      customerSince: expect.any(Date),
      note: null,
      tags: ["VIP"],
      preferredChannel: "sms",
      usualSize: "38",
      consent: {
        sms: { granted: true, at: new Date("2026-01-12T09:15:00Z"), source: "sms:inbound" },
        whatsapp: { granted: false, at: new Date("2026-01-12T09:20:00Z"), source: "whatsapp:STOP" },
        email: null,
      },
    });
    expect(await customersOf(other).profile(JULIE)).toMatchObject({ preferredChannel: null, usualSize: null });
  });

  it("changes one preference without touching the other, and ignores a consent value it did not write", async () => {
    const customers = customersOf(shop);
    await customers.setPreferences(JULIE, { preferredChannel: "email", usualSize: "38" });
    await customers.setPreferences(JULIE, { preferredChannel: "whatsapp" });
    await customers.setPreferences(JULIE, {});
    expect(await customers.profile(JULIE)).toMatchObject({ preferredChannel: "whatsapp", usualSize: "38" });
    await customers.setConsent(JULIE, "email", { granted: true, at: DEMO_NOW, source: "merchant" });
    const stored = shop.store.metafields.find((m) => m.key === "email_consent");
    if (!stored) throw new Error("email consent not stored");
    stored.value = JSON.stringify({ granted: "yes" });
    expect((await customers.profile(JULIE))?.consent.email).toBeNull();
  });

  it("answers NotFoundError for an unknown customer, and null for its profile", async () => {
    const customers = customersOf(shop);
    expect(await failure(customers.setPreferences(UNKNOWN, { usualSize: "40" }))).toBeInstanceOf(NotFoundError);
    expect(await failure(customers.setConsent(UNKNOWN, "sms", { granted: true, at: DEMO_NOW, source: "x" }))).toBeInstanceOf(NotFoundError);
    expect(await customers.profile(UNKNOWN)).toBeNull();
    expect(shop.store.metafields).toEqual([]);
  });
});
