/**
 * What only the built-in CRM does (tags, notes with authors, segments with the shop's thresholds,
 * erased customers, races), on PostgreSQL and on PGlite, with two shops. The `Crm` contract
 * itself runs in tests/contracts/crm.contract.test.ts.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crmNotes, crmTags, customers } from "../../../../db/schema";
import { openDatabase, type Database, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, NotFoundError } from "~/plugins/types";
import { upsertShop } from "~/shops/install.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../../../../tests/integration/support/databases";
import { nativeCrmConfigSchema } from "./config";
import { createNativeCrm, type NativeCrm } from "./crm.server";
import { nativeCrmPlugin } from "./index";

const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));

describe.each(DATABASE_KINDS)("native-crm on %s", (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let db: Database;
  let shopA: string;
  let shopB: string;
  let crmA: NativeCrm;
  let crmB: NativeCrm;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await handle.migrate();
    db = handle.db;
    shopA = (await upsertShop(db, { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    shopB = (await upsertShop(db, { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: clock.now() })).id;
    const config = nativeCrmConfigSchema.parse({ segments: { vipMinAmountSpent: 300 } });
    crmA = createNativeCrm({ config, db, shopId: shopA, clock, logger: silentLogger });
    crmB = nativeCrmPlugin.create({ config: nativeCrmConfigSchema.parse({}), db, shopId: shopB, clock, logger: silentLogger });
  });

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("keeps tags per contact and per shop, sorted, without duplicates", async () => {
    const julie = await crmA.upsertContact({ email: "julie@exemple.fr" });
    await crmA.addTag(julie.id, "VIP");
    await crmA.addTag(julie.id, " mariage ");
    await crmA.addTag(julie.id, "VIP");
    expect((await crmA.findContact({ email: "julie@exemple.fr" }))?.tags).toEqual(["VIP", "mariage"]);
    await crmA.removeTag(julie.id, "VIP");
    expect((await crmA.findContact({ email: "julie@exemple.fr" }))?.tags).toEqual(["mariage"]);
    // Shop B knows neither the contact nor its tags.
    await expect(crmB.addTag(julie.id, "spam")).rejects.toBeInstanceOf(NotFoundError);
    await expect(crmB.removeTag(julie.id, "mariage")).rejects.toBeInstanceOf(NotFoundError);
    const rows = await db.select().from(crmTags).where(eq(crmTags.customerId, julie.id));
    expect(rows.map((r) => [r.shopId, r.tag])).toEqual([[shopA, "mariage"]]);
    await expect(crmA.addTag(julie.id, "  ")).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it("records notes with their author and time, listed oldest first, in the right shop", async () => {
    clock.set(new Date("2026-01-12T09:15:00Z"));
    const paul = await crmA.upsertContact({ phone: "+33611223344", firstName: "Paul" });
    await crmA.addNote(paul.id, "Conversation : demande de retouche");
    clock.advance(60_000);
    await crmA.addNote(paul.id, "Sarah a rappelé", "merchant");
    const notes = await crmA.listNotes(paul.id);
    expect(notes.map((n) => [n.body, n.author, n.createdAt.toISOString()])).toEqual([
      ["Conversation : demande de retouche", "system", "2026-01-12T09:15:00.000Z"],
      ["Sarah a rappelé", "merchant", "2026-01-12T09:16:00.000Z"],
    ]);
    await expect(crmB.listNotes(paul.id)).rejects.toBeInstanceOf(NotFoundError);
    const stored = await db.select().from(crmNotes).where(eq(crmNotes.customerId, paul.id));
    expect(new Set(stored.map((n) => n.shopId))).toEqual(new Set([shopA]));
  });

  it("finds customers the messaging edge recorded, whatever the case of their email", async () => {
    await db.insert(customers).values({ shopId: shopA, email: "Claire.Dupont@Exemple.FR", createdAt: clock.now(), updatedAt: clock.now() });
    const found = await crmA.findContact({ email: "claire.dupont@exemple.fr" });
    expect(found?.email).toBe("Claire.Dupont@Exemple.FR");
    // The upsert updates that row instead of creating a second "claire".
    const updated = await crmA.upsertContact({ email: "CLAIRE.DUPONT@exemple.fr", firstName: "Claire" });
    expect(updated.id).toBe(found?.id);
    const [{ count } = { count: -1 }] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(customers)
      .where(and(eq(customers.shopId, shopA), sql`lower(${customers.email}) = 'claire.dupont@exemple.fr'`));
    expect(count).toBe(1);
  });

  it("stores new emails lower-case and phones in E.164", async () => {
    const created = await crmA.upsertContact({ email: " Lea.Moreau@Exemple.fr ", phone: "06 98 76 54 32" });
    const [row] = await db.select().from(customers).where(eq(customers.id, created.id));
    expect(row).toMatchObject({ email: "lea.moreau@exemple.fr", phone: "+33698765432", shopId: shopA });
    expect((await crmA.findContact({ phone: "+33 6 98 76 54 32" }))?.id).toBe(created.id);
  });

  it("treats a customer erased by customers/redact as gone", async () => {
    const gone = await crmA.upsertContact({ email: "gone@exemple.fr", phone: "+33699887766" });
    await db.update(customers).set({ redactedAt: clock.now() }).where(eq(customers.id, gone.id));
    expect(await crmA.findContact({ email: "gone@exemple.fr" })).toBeNull();
    expect(await crmA.findContact({ phone: "+33699887766" })).toBeNull();
    await expect(crmA.addNote(gone.id, "should not be kept")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("creates one contact when two upserts for the same new customer race", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => crmA.upsertContact({ email: "race@exemple.fr", firstName: i === 0 ? "Inès" : null })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const rows = await db.select().from(customers).where(and(eq(customers.shopId, shopA), eq(customers.email, "race@exemple.fr")));
    expect(rows).toHaveLength(1);
  });

  it("computes segments with the shop's thresholds", () => {
    const stats = { amountSpent: "350.00", numberOfOrders: 2, lastOrderAt: new Date("2025-12-01T10:00:00Z"), now: clock.now() };
    expect(crmA.segmentOf(stats)).toBe("vip"); // shop A: VIP from 300
    expect(crmB.segmentOf(stats)).toBe("active"); // shop B: the default 500
  });

  it("passes its connection test", async () => {
    expect(await crmA.testConnection()).toEqual({ ok: true });
  });
});
