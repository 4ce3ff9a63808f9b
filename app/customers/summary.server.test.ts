/**
 * The admin block's customer summary on PostgreSQL and PGlite with two shops: one Shopify customer
 * seen through her phone and her email identities, her latest conversation and its last message,
 * her really active holds, her consent per channel. Shop B's customer with the same Shopify id
 * (the id is what the block sends) never leaks into shop A's summary, nor the other way round.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consents, conversations, customers, holds, messages, type HoldItem, type HoldStatus } from "../../db/schema";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { customerSummary, inboxPath, isShopifyCustomerGid } from "./summary.server";

const NOW = new Date("2026-01-12T10:15:00+01:00");
const JULIE = "gid://shopify/Customer/6001";
const DRESS_38: HoldItem = { variantId: "gid://shopify/ProductVariant/2002", sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 };

describe.each(DATABASE_KINDS)("customer summary on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const clock = createManualClock(NOW);
  let shopA: string;
  let shopB: string;
  const ids = { email: "", active: "", shopBConversation: "", shopBHold: "" };

  const at = (iso: string) => new Date(iso);

  async function customer(shopId: string, values: Partial<typeof customers.$inferInsert>) {
    const [row] = await handle.db.insert(customers).values({ shopId, createdAt: NOW, updatedAt: NOW, ...values }).returning();
    if (!row) throw new Error("no customer");
    return row.id;
  }

  async function conversation(shopId: string, customerId: string, channel: "sms" | "email", lastMessageAt: string) {
    const [row] = await handle.db
      .insert(conversations)
      .values({ shopId, customerId, channel, status: "needs_merchant", lastMessageAt: at(lastMessageAt), createdAt: at(lastMessageAt) })
      .returning();
    if (!row) throw new Error("no conversation");
    return row.id;
  }

  async function message(shopId: string, conversationId: string, customerId: string, body: string, createdAt: string, author: "customer" | "ai" = "customer") {
    await handle.db.insert(messages).values({
      shopId,
      conversationId,
      customerId,
      direction: author === "customer" ? "inbound" : "outbound",
      author,
      channel: "email",
      provider: "resend",
      fromAddress: "a",
      toAddress: "b",
      body,
      status: author === "customer" ? "processed" : "sent",
      createdAt: at(createdAt),
    });
  }

  async function hold(shopId: string, customerId: string, n: number, expiresAt: string, status: HoldStatus = "active") {
    const [row] = await handle.db
      .insert(holds)
      .values({ shopId, customerId, draftOrderId: `gid://shopify/DraftOrder/${n}`, draftOrderName: `#D${n}`, status, items: [DRESS_38], totalQuantity: 1, expiresAt: at(expiresAt), idempotencyKey: `k${n}`, createdAt: NOW, updatedAt: NOW })
      .returning();
    if (!row) throw new Error("no hold");
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    shopA = (await upsertShop(handle.db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: NOW })).id;
    shopB = (await upsertShop(handle.db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: NOW })).id;

    // Shop A: Julie wrote by SMS last week and by email this morning (two identities, one Shopify customer).
    const byPhone = await customer(shopA, { phone: "+33645789012", firstName: "Julie", shopifyCustomerId: JULIE });
    const byEmail = await customer(shopA, { email: "julie.mercier@gmail.com", lastName: "Mercier", shopifyCustomerId: JULIE });
    const sms = await conversation(shopA, byPhone, "sms", "2026-01-05T15:00:00+01:00");
    await message(shopA, sms, byPhone, "vous l'avez en 38 ?", "2026-01-05T15:00:00+01:00");
    ids.email = await conversation(shopA, byEmail, "email", "2026-01-12T09:30:00+01:00");
    await message(shopA, ids.email, byEmail, "Bonjour, je passe ce soir.", "2026-01-12T09:00:00+01:00");
    await message(shopA, ids.email, byEmail, `Merci ! ${"x".repeat(400)}`, "2026-01-12T09:30:00+01:00", "ai");
    ids.active = await hold(shopA, byPhone, 11, "2026-01-12T18:00:00+01:00");
    await hold(shopA, byPhone, 12, "2026-01-12T09:00:00+01:00"); // deadline passed
    await hold(shopA, byEmail, 13, "2026-01-13T18:00:00+01:00", "cancelled");
    await handle.db.insert(consents).values([
      { shopId: shopA, customerId: byPhone, channel: "sms", address: "+33645789012", sender: "+33939035761", status: "opted_out", source: "keyword:STOP", updatedAt: NOW },
      { shopId: shopA, customerId: byEmail, channel: "email", address: "julie.mercier@gmail.com", sender: "*", status: "opted_in", source: "merchant", updatedAt: NOW },
    ]);
    // Shop A: someone else, whose data must not mix with Julie's.
    const other = await customer(shopA, { phone: "+33600000000", firstName: "Élodie", shopifyCustomerId: "gid://shopify/Customer/6002" });
    const otherConversation = await conversation(shopA, other, "sms", "2026-01-12T10:00:00+01:00");
    await message(shopA, otherConversation, other, "autre", "2026-01-12T10:00:00+01:00");
    await hold(shopA, other, 14, "2026-01-12T19:00:00+01:00");

    // Shop B: a customer carrying the same Shopify id, with a newer conversation and a hold.
    const inB = await customer(shopB, { phone: "+33611223344", firstName: "Julie B", shopifyCustomerId: JULIE });
    ids.shopBConversation = await conversation(shopB, inB, "sms", "2026-01-12T10:10:00+01:00");
    await message(shopB, ids.shopBConversation, inB, "boutique B", "2026-01-12T10:10:00+01:00");
    ids.shopBHold = await hold(shopB, inB, 21, "2026-01-12T20:00:00+01:00");
    await handle.db.insert(consents).values({ shopId: shopB, customerId: inB, channel: "whatsapp", address: "+33611223344", sender: "*", status: "opted_in", source: "keyword:START", updatedAt: NOW });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("gathers Julie's identities in shop A: latest conversation, its last message, active holds, consent", async () => {
    const summary = await customerSummary({ db: handle.db, clock }, shopA, JULIE);
    expect(summary.customer).toEqual({ firstName: "Julie", lastName: "Mercier", phone: "+33645789012", email: "julie.mercier@gmail.com" });
    expect(summary.latestConversation).toMatchObject({
      id: ids.email,
      channel: "email",
      status: "needs_merchant",
      aiPaused: false,
      lastMessageAt: "2026-01-12T08:30:00.000Z",
      inboxPath: `/app/inbox/${ids.email}`,
      lastMessage: { direction: "outbound", author: "ai", at: "2026-01-12T08:30:00.000Z" },
    });
    const body = summary.latestConversation?.lastMessage?.body ?? "";
    expect(body.startsWith("Merci ! xxx")).toBe(true);
    expect(body).toHaveLength(280);
    expect(body.endsWith("…")).toBe(true);
    expect(summary.activeHolds).toEqual([
      { id: ids.active, draftOrderName: "#D11", expiresAt: "2026-01-12T17:00:00.000Z", items: [{ productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }] },
    ]);
    expect(summary.consent).toEqual({ sms: "withdrawn", whatsapp: "unknown", email: "granted" });
  });

  it("shop B's summary of the same Shopify id is shop B's alone", async () => {
    const summary = await customerSummary({ db: handle.db, clock }, shopB, JULIE);
    expect(summary.customer?.firstName).toBe("Julie B");
    expect(summary.latestConversation?.id).toBe(ids.shopBConversation);
    expect(summary.activeHolds.map((h) => h.id)).toEqual([ids.shopBHold]);
    expect(summary.consent).toEqual({ sms: "unknown", whatsapp: "granted", email: "unknown" });
  });

  it("a Shopify customer who never wrote has an empty summary", async () => {
    expect(await customerSummary({ db: handle.db, clock }, shopA, "gid://shopify/Customer/9999")).toEqual({
      customer: null,
      latestConversation: null,
      activeHolds: [],
      consent: { sms: "unknown", whatsapp: "unknown", email: "unknown" },
    });
  });
});

describe("customer ids and thread links", () => {
  it("accepts only a Shopify customer gid", () => {
    expect(isShopifyCustomerGid(JULIE)).toBe(true);
    for (const bad of ["6001", "gid://shopify/Order/6001", "gid://shopify/Customer/", "gid://shopify/Customer/6001' OR 1=1", ""]) {
      expect(isShopifyCustomerGid(bad), bad).toBe(false);
    }
  });

  it("links to the inbox thread", () => {
    expect(inboxPath("3f1c")).toBe("/app/inbox/3f1c");
  });
});
