/**
 * Answering a WhatsApp customer after the 24-hour window, on PostgreSQL and on PGlite, with two
 * shops: free text is refused before the provider, the shop's approved templates in the customer's
 * language are offered (with what we know prefilled) and go out through the delivery port with
 * their Content SID and values, an unknown template or an empty value is refused, without a
 * template the other channels are offered — and shop B's templates and conversations are never A's.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consents, customers, messages, shops } from "../../db/schema";
import type { DeliveryResult } from "~/conversation/engine.server";
import { storeInboundMessage } from "~/conversation/messages.server";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import type { ChannelKind, OutboundMessage } from "~/plugins/types";
import { connectChannelAccount, upsertShop } from "~/shops/install.server";
import { defaultShopSettings, type ShopSettings } from "~/shops/settings";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import { createInboxService, type InboxService } from "./inbox.server";
import { createWhatsappTemplateService, type WhatsappTemplateService } from "./whatsapp-templates.server";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", sms: "+33939035761", email: "bonjour@elegance-paris.fr" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", sms: "+33939035762" };
const OLIVIA = { phone: "+447700900123", email: "olivia.brown@example.co.uk" };
const LEA = "+33677889900";
const HELP_SID = "HX" + "a1".repeat(16);
const STOCK_SID = "HX" + "b2".repeat(16);
const B_HELP_SID = "HX" + "c3".repeat(16);
const MONDAY = new Date("2026-01-12T10:00:00+01:00");
const DAY = 24 * 3600_000;

function fakeDelivery() {
  const sent: Array<{ provider: string; message: OutboundMessage }> = [];
  return {
    sent,
    deliver: async (provider: string, message: OutboundMessage): Promise<DeliveryResult> => {
      sent.push({ provider, message });
      return { kind: "sent", providerMessageId: `SM${randomBytes(8).toString("hex")}`, status: "queued" };
    },
  };
}

function settingsWith(name: string, whatsappTemplates: NonNullable<ShopSettings["messaging"]>["whatsappTemplates"]): ShopSettings {
  return { ...defaultShopSettings({ name }), messaging: { whatsappTemplates } };
}

describe.each(DATABASE_KINDS)("WhatsApp templates from the inbox on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  const clock = createManualClock(MONDAY);
  const delivery = fakeDelivery();
  let inbox: InboxService;
  let templates: WhatsappTemplateService;
  let shopA = "";
  let shopB = "";
  const ids = { olivia: "", lea: "", oliviaSms: "", bOlivia: "" };

  async function inbound(shopId: string, channel: ChannelKind, from: string, to: string, body: string) {
    clock.advance(60_000);
    const stored = await storeInboundMessage(db, {
      shopId,
      provider: "twilio",
      inbound: { providerMessageId: `in-${randomBytes(8).toString("hex")}`, channel, from, to, body, mediaUrls: [], raw: {} },
      now: clock.now(),
    });
    return stored.message;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    inbox = createInboxService({ db, clock, logger: silentLogger, deliver: delivery.deliver });
    templates = createWhatsappTemplateService({ db, clock, logger: silentLogger, deliver: delivery.deliver });
    // Shop A approved two English templates (Twilio Content SIDs) and none in French.
    const settingsA = settingsWith(SHOP_A.name, [
      { purpose: "help", language: "en", name: HELP_SID },
      { purpose: "back_in_stock", language: "en_GB", name: STOCK_SID },
    ]);
    shopA = (await upsertShop(db, { domain: SHOP_A.domain, name: SHOP_A.name, timezone: "Europe/Paris", locale: "fr", settings: settingsA, now: clock.now() })).id;
    // Shop B approved the help template in French and English under its own SID.
    const settingsB = settingsWith(SHOP_B.name, [
      { purpose: "help", language: "en", name: B_HELP_SID },
      { purpose: "help", language: "fr", name: B_HELP_SID },
    ]);
    shopB = (await upsertShop(db, { domain: SHOP_B.domain, name: SHOP_B.name, timezone: "Europe/Paris", locale: "fr", settings: settingsB, now: clock.now() })).id;
    await connectChannelAccount(db, { shopId: shopA, provider: "twilio", channel: "sms", address: SHOP_A.sms, now: clock.now() });
    await connectChannelAccount(db, { shopId: shopA, provider: "resend", channel: "email", address: SHOP_A.email, now: clock.now() });
    await connectChannelAccount(db, { shopId: shopB, provider: "twilio", channel: "sms", address: SHOP_B.sms, now: clock.now() });

    // Olivia (English) wrote to shop A on WhatsApp, and by SMS; Léa (French) on WhatsApp.
    const olivia = await inbound(shopA, "whatsapp", OLIVIA.phone, SHOP_A.sms, "Hello, is the linen jacket back in M?");
    await db.update(customers).set({ firstName: "Olivia", lastName: "Brown", email: OLIVIA.email, locale: "en-GB" }).where(eq(customers.id, olivia.customerId));
    ids.olivia = olivia.conversationId;
    ids.oliviaSms = (await inbound(shopA, "sms", OLIVIA.phone, SHOP_A.sms, "Also by SMS")).conversationId;
    const lea = await inbound(shopA, "whatsapp", LEA, SHOP_A.sms, "Bonjour, la robe fleurie existe en 40 ?");
    await db.update(customers).set({ firstName: "Léa", locale: "fr" }).where(eq(customers.id, lea.customerId));
    ids.lea = lea.conversationId;
    // Olivia wrote to shop B too, the same day.
    ids.bOlivia = (await inbound(shopB, "whatsapp", OLIVIA.phone, SHOP_B.sms, "Hello Lyon")).conversationId;
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("sends free text while the window is open, and refuses it once closed, before the provider and storing nothing", async () => {
    expect(await inbox.reply(shopA, ids.olivia, "Yes, it is back in M!")).toMatchObject({ ok: true, status: "sent" });
    expect(delivery.sent.at(-1)?.message).toMatchObject({ channel: "whatsapp", to: OLIVIA.phone, body: "Yes, it is back in M!" });
    expect(delivery.sent.at(-1)?.message.template).toBeUndefined();

    clock.advance(DAY + 60_000);
    const before = delivery.sent.length;
    const stored = (await db.select().from(messages).where(eq(messages.conversationId, ids.olivia))).length;
    expect(await inbox.reply(shopA, ids.olivia, "Are you still interested?")).toEqual({ ok: false, reason: "window_closed" });
    expect(delivery.sent.length).toBe(before);
    expect(await db.select().from(messages).where(eq(messages.conversationId, ids.olivia))).toHaveLength(stored);
    // SMS has no window.
    expect(await inbox.reply(shopA, ids.oliviaSms, "Are you still interested?")).toMatchObject({ ok: true, status: "sent" });
  });

  it("offers the shop's approved templates in the customer's language, prefilled with what we know", async () => {
    const options = await templates.options(shopA, ids.olivia);
    expect(options?.language).toBe("en");
    expect(options?.optedOut).toBe(false);
    expect(options?.templates.map((t) => [t.template, t.name, t.language])).toEqual([
      ["help", HELP_SID, "en"],
      ["back_in_stock.available", STOCK_SID, "en_GB"],
    ]);
    expect(options?.templates[1]?.body).toBe("Hello from {{1}}! Good news: the item you were waiting for is back ({{2}}). Just reply and I'll hold it for you!");
    expect(options?.templates[1]?.variables).toEqual([
      { name: "shopName", value: SHOP_A.name },
      { name: "itemLabel", value: "" },
    ]);
    // Not a WhatsApp conversation, or another shop's: nothing.
    expect(await templates.options(shopA, ids.oliviaSms)).toBeNull();
    expect(await templates.options(shopB, ids.olivia)).toBeNull();
  });

  it("sends a template through the delivery port with its Content SID and values, stored with the text she reads", async () => {
    const before = delivery.sent.length;
    const result = await templates.send(shopA, ids.olivia, "back_in_stock.available", { shopName: SHOP_A.name, itemLabel: " Linen jacket,\n size M " });
    expect(result).toMatchObject({ ok: true, status: "sent" });
    expect(delivery.sent.slice(before)).toHaveLength(1);
    const text = "Hello from Élégance Paris! Good news: the item you were waiting for is back (Linen jacket, size M). Just reply and I'll hold it for you!";
    expect(delivery.sent.at(-1)).toEqual({
      provider: "twilio",
      message: expect.objectContaining({
        channel: "whatsapp",
        from: SHOP_A.sms,
        to: OLIVIA.phone,
        body: text,
        template: { name: STOCK_SID, language: "en_GB", variables: [SHOP_A.name, "Linen jacket, size M"] },
      }),
    });
    const thread = await inbox.thread(shopA, ids.olivia);
    expect(thread?.messages.at(-1)).toMatchObject({ author: "merchant", direction: "outbound", channel: "whatsapp", body: text, status: "sent" });
    // The window stays closed until she answers.
    expect(thread?.whatsappWindow?.open).toBe(false);
  });

  it("refuses an unknown or unapproved template, an empty value, and another shop's conversation, sending nothing", async () => {
    const before = delivery.sent.length;
    expect(await templates.send(shopA, ids.olivia, "reminder.pickup", { shopName: SHOP_A.name })).toEqual({ ok: false, reason: "unknown_template" });
    expect(await templates.send(shopA, ids.olivia, "no.such.template", {})).toEqual({ ok: false, reason: "unknown_template" });
    expect(await templates.send(shopA, ids.olivia, "back_in_stock.available", { shopName: SHOP_A.name, itemLabel: "  " })).toEqual({
      ok: false,
      reason: "missing_variables",
      missing: ["itemLabel"],
    });
    expect(await templates.send(shopA, ids.oliviaSms, "help", { shopName: SHOP_A.name })).toEqual({ ok: false, reason: "not_whatsapp" });
    // Shop B cannot send on A's conversation, even with a template B approved.
    expect(await templates.send(shopB, ids.olivia, "help", { shopName: SHOP_B.name })).toEqual({ ok: false, reason: "not_found" });
    expect(await templates.send(shopA, "not-a-uuid", "help", { shopName: SHOP_A.name })).toEqual({ ok: false, reason: "not_found" });
    expect(delivery.sent.length).toBe(before);
  });

  it("without a template in her language, offers the channels she can be reached on; B's French template is not A's", async () => {
    const options = await templates.options(shopA, ids.lea);
    expect(options).toEqual({ language: "fr", optedOut: false, templates: [], otherChannels: [{ channel: "sms", address: LEA }] });
    expect(await templates.send(shopA, ids.lea, "help", { shopName: SHOP_A.name })).toEqual({ ok: false, reason: "unknown_template" });

    // Olivia: SMS and email, until she opts out of SMS (STOP).
    expect((await templates.options(shopA, ids.olivia))?.otherChannels).toEqual([
      { channel: "sms", address: OLIVIA.phone },
      { channel: "email", address: OLIVIA.email },
    ]);
    const [oliviaA] = await db.select().from(customers).where(and(eq(customers.shopId, shopA), eq(customers.phone, OLIVIA.phone)));
    await db.insert(consents).values({ shopId: shopA, customerId: oliviaA!.id, channel: "sms", address: OLIVIA.phone, sender: SHOP_A.sms, status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    expect((await templates.options(shopA, ids.olivia))?.otherChannels).toEqual([{ channel: "email", address: OLIVIA.email }]);

    // Shop B's own conversation with Olivia uses B's template and SID, never A's.
    clock.advance(DAY);
    const b = await templates.options(shopB, ids.bOlivia);
    expect(b?.templates.map((t) => [t.template, t.name])).toEqual([["help", B_HELP_SID]]);
    expect(b?.templates[0]?.variables).toEqual([{ name: "shopName", value: SHOP_B.name }]);
    expect(b?.otherChannels).toEqual([{ channel: "sms", address: OLIVIA.phone }]);
  });

  it("sends nothing on WhatsApp to a customer who opted out there", async () => {
    const [lea] = await db.select().from(customers).where(eq(customers.phone, LEA)).limit(1);
    await db.insert(consents).values({ shopId: shopA, customerId: lea!.id, channel: "whatsapp", address: LEA, sender: "*", status: "opted_out", source: "keyword:STOP", updatedAt: clock.now() });
    await db
      .update(shops)
      .set({ settings: settingsWith(SHOP_A.name, [{ purpose: "help", language: "fr", name: HELP_SID }]) })
      .where(eq(shops.id, shopA));
    const before = delivery.sent.length;
    expect((await templates.options(shopA, ids.lea))?.templates).toEqual([]);
    expect((await templates.options(shopA, ids.lea))?.optedOut).toBe(true);
    expect(await templates.send(shopA, ids.lea, "help", { shopName: SHOP_A.name })).toEqual({ ok: false, reason: "opted_out" });
    expect(delivery.sent.length).toBe(before);
  });
});
