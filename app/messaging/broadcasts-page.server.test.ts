/**
 * The broadcasts page's data on PostgreSQL and PGlite with two shops: the list with each
 * broadcast's progress, the form's checks (each field's first problem, a send time in the past or
 * typed in the shop's time zone), a segment nobody can receive refused without leaving a draft,
 * preview then schedule for the consenting VIP, and cancel. Shop B never sees nor cancels shop A's
 * broadcasts. Shopify's customers and the renderer are test doubles at our interfaces.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { broadcasts, consents, customers, scheduledMessages } from "../../db/schema";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import type { ShopCustomer } from "~/plugins/types";
import { connectChannelAccount, upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../tests/integration/support/databases";
import type { BroadcastFormValues } from "./broadcast-form";
import { createBroadcastsPageService, type BroadcastsPageService } from "./broadcasts-page.server";
import type { ScheduledRef } from "./scheduling.server";

const MONDAY_MORNING = new Date("2026-01-12T10:15:00+01:00");
const SHOP_NUMBER = "+33939035761";
const VIP_PHONE = "+33645789012";
const PLAIN_PHONE = "+33611223344";

const FORM: BroadcastFormValues = { name: "Soldes VIP", segmentKind: "vip", segmentValue: "", text: "-20 % pour vous ce week-end !", sendAt: "" };

describe.each(DATABASE_KINDS)("broadcasts page on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const clock = createManualClock(MONDAY_MORNING);
  const armed: ScheduledRef[] = [];
  let service: BroadcastsPageService;
  let customersFail = false;
  const shops = { a: { id: "", domain: "elegance-paris.myshopify.com", timezone: "Europe/Paris" }, b: { id: "", domain: "atelier-lyon.myshopify.com", timezone: "Europe/Paris" } };

  const shopify = (phone: string): ShopCustomer | null =>
    phone === VIP_PHONE || phone === PLAIN_PHONE
      ? { id: `gid://shopify/Customer/${phone.slice(-4)}`, firstName: "Julie", lastName: null, email: null, phone, locale: "fr", numberOfOrders: 3, tags: phone === VIP_PHONE ? ["VIP"] : [] }
      : null;

  async function customer(shopId: string, phone: string) {
    const [row] = await handle.db.insert(customers).values({ shopId, phone, createdAt: MONDAY_MORNING, updatedAt: MONDAY_MORNING }).returning();
    if (!row) throw new Error("no customer");
    // She texted START to the shop's number: marketing by SMS is agreed.
    await handle.db.insert(consents).values({ shopId, customerId: row.id, channel: "sms", address: phone, sender: SHOP_NUMBER, status: "opted_in", source: "keyword:START", updatedAt: MONDAY_MORNING });
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    for (const key of ["a", "b"] as const) {
      const row = await upsertShop(handle.db, { domain: shops[key].domain, name: key, timezone: "Europe/Paris", locale: "fr", now: MONDAY_MORNING });
      shops[key].id = row.id;
      await connectChannelAccount(handle.db, { shopId: row.id, provider: "twilio", channel: "sms", address: key === "a" ? SHOP_NUMBER : "+33939035762", now: MONDAY_MORNING });
    }
    service = createBroadcastsPageService({
      db: handle.db,
      clock,
      logger: silentLogger,
      render: ({ facts }) => ({ body: facts.text ?? "" }),
      armScheduledMessage: async (row) => void armed.push(row),
      capabilities: async () => ({
        customers: {
          findByPhone: async (phone) => {
            if (customersFail) throw new Error("Shopify is down");
            return shopify(phone);
          },
          findByEmail: async () => null,
        },
      }),
    });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    clock.set(MONDAY_MORNING);
    armed.length = 0;
    customersFail = false;
    await handle.db.delete(scheduledMessages);
    await handle.db.delete(broadcasts);
    await handle.db.delete(consents);
    await handle.db.delete(customers);
    await customer(shops.a.id, VIP_PHONE);
    await customer(shops.a.id, PLAIN_PHONE);
    await customer(shops.b.id, VIP_PHONE);
  });

  it("says each field's first problem, a send time in the past included, and writes nothing", async () => {
    expect(await service.preview(shops.a, { ...FORM, name: " ", text: "", segmentKind: "tag" })).toEqual({
      ok: false,
      errors: { name: "name_missing", text: "text_missing", segment: "tag_missing" },
    });
    expect(await service.preview(shops.a, { ...FORM, text: "x".repeat(1001), segmentKind: "everyone" })).toEqual({
      ok: false,
      errors: { text: "text_too_long", segment: "segment_unknown" },
    });
    expect(await service.schedule(shops.a, { ...FORM, sendAt: "2026-01-12T09:00" })).toEqual({ ok: false, errors: { sendAt: "send_at_past" } });
    expect(await service.schedule(shops.a, { ...FORM, sendAt: "tomorrow" })).toEqual({ ok: false, errors: { sendAt: "send_at_invalid" } });
    expect(await handle.db.select().from(broadcasts)).toEqual([]);
  });

  it("previews the consenting VIP with channel and cost, then schedules her message at the shop's time", async () => {
    const preview = await service.preview(shops.a, { ...FORM, sendAt: "2026-01-13T11:00" });
    expect(preview).toMatchObject({
      ok: true,
      preview: { recipients: 1, byChannel: { sms: 1, whatsapp: 0, email: 0 }, excluded: { "not in the segment": 1 }, sendAt: "2026-01-13T10:00:00.000Z" },
    });
    expect(preview.ok && preview.preview.estimatedCost.amount).toBeGreaterThan(0);
    expect(await handle.db.select().from(broadcasts)).toEqual([]);

    const scheduled = await service.schedule(shops.a, { ...FORM, sendAt: "2026-01-13T11:00" });
    expect(scheduled).toMatchObject({ ok: true, scheduled: 1 });
    expect(armed.map((r) => r.dueAt.toISOString())).toEqual(["2026-01-13T10:00:00.000Z"]);

    const [listed] = await service.list(shops.a.id);
    expect(listed).toMatchObject({ name: "Soldes VIP", status: "scheduled", recipientCount: 1, sendAt: "2026-01-13T10:00:00.000Z", progress: { recipients: 1, queued: 1, sent: 0 } });
    expect(await service.list(shops.b.id)).toEqual([]);
  });

  it("refuses a segment nobody can receive without leaving a draft, and says when Shopify cannot be read", async () => {
    expect(await service.schedule(shops.a, { ...FORM, segmentKind: "tag", segmentValue: "mariage" })).toMatchObject({
      ok: false,
      errors: { segment: "no_recipients" },
      preview: { recipients: 0, excluded: { "not in the segment": 2 } },
    });
    expect(await handle.db.select().from(broadcasts)).toEqual([]);
    customersFail = true;
    expect(await service.preview(shops.a, FORM)).toEqual({ ok: false, errors: { form: "shopify_failed" } });
  });

  it("cancels what has not gone, for its own shop only", async () => {
    const scheduled = await service.schedule(shops.a, { ...FORM, sendAt: "2026-01-13T11:00" });
    if (!scheduled.ok || !scheduled.broadcastId) throw new Error("not scheduled");
    expect(await service.cancel(shops.b.id, scheduled.broadcastId)).toBe(false);
    expect((await service.list(shops.a.id))[0]).toMatchObject({ status: "scheduled", progress: { queued: 1, cancelled: 0 } });

    expect(await service.cancel(shops.a.id, scheduled.broadcastId)).toBe(true);
    expect((await service.list(shops.a.id))[0]).toMatchObject({ status: "cancelled", progress: { queued: 0, cancelled: 1 } });
    expect(await service.cancel(shops.a.id, scheduled.broadcastId)).toBe(false);
    const rows = await handle.db.select({ status: scheduledMessages.status }).from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shops.a.id), eq(scheduledMessages.type, "broadcast")));
    expect(rows).toEqual([{ status: "cancelled" }]);
  });
});
