/**
 * Every CRM plugin passes the same `Crm` contract: the built-in CRM on PGlite and on PostgreSQL
 * (two shops each), HubSpot and Salesforce against local fake APIs seeded from the recorded
 * payloads (two accounts each). A new CRM adds one `runCrmContract(...)` call here.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, asc, eq } from "drizzle-orm";
import { afterAll } from "vitest";
import { crmNotes, customers } from "../../db/schema";
import { openDatabase, type DatabaseHandle } from "~/db.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { hubspotPlugin } from "~/plugins/integrations/hubspot";
import { nativeCrmPlugin } from "~/plugins/integrations/native-crm";
import { salesforcePlugin } from "~/plugins/integrations/salesforce";
import { upsertShop } from "~/shops/install.server";
import { startFakeHubSpotApi, type HubSpotSearchFixture } from "../fakes/hubspot-api.server";
import { startFakeSalesforceApi } from "../fakes/salesforce-api.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../integration/support/databases";
import { runCrmContract, type CrmContractSubject } from "./crm.contract";

const clock = createManualClock(new Date("2026-01-12T09:15:00Z"));

// ───────────────────────────── native-crm ────────────────────────────────────

for (const kind of DATABASE_KINDS) {
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  runCrmContract(
    `native-crm on ${kind}`,
    async (): Promise<CrmContractSubject> => {
      if (!handle) {
        database = await createTestDatabase(kind);
        handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
        await handle.migrate();
      }
      const db = handle.db;
      // Two fresh shops per test: nothing carries over from one test to the next.
      const suffix = randomBytes(4).toString("hex");
      const shopA = await upsertShop(db, { domain: `elegance-${suffix}.myshopify.com`, name: "Élégance Paris", timezone: "Europe/Paris", locale: "fr", now: clock.now() });
      const shopB = await upsertShop(db, { domain: `atelier-${suffix}.myshopify.com`, name: "Atelier Lyon", timezone: "Europe/Paris", locale: "fr", now: clock.now() });
      // A customer as the SMS/email edge records one (address as received, mixed case).
      await db.insert(customers).values({
        shopId: shopA.id,
        email: "Julie.Martin@Exemple.fr",
        phone: "+33645789012",
        firstName: "Julie",
        lastName: "Martin",
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
      const config = nativeCrmPlugin.configSchema.parse({});
      const crmFor = (shopId: string) => nativeCrmPlugin.create({ config, db, shopId, clock, logger: silentLogger });
      return {
        crm: crmFor(shopA.id),
        otherCrm: crmFor(shopB.id),
        existing: { email: "julie.martin@exemple.fr", firstName: "Julie", lastName: "Martin" },
        async notesOf(contactId) {
          const rows = await db
            .select({ body: crmNotes.body })
            .from(crmNotes)
            .where(and(eq(crmNotes.shopId, shopA.id), eq(crmNotes.customerId, contactId)))
            .orderBy(asc(crmNotes.createdAt));
          return rows.map((r) => r.body);
        },
        unknownContactId: "00000000-0000-4000-8000-000000000000",
        close: async () => {},
      };
    },
    { remote: false },
  );
}

// ─────────────────────────────── hubspot ─────────────────────────────────────

const HUBSPOT_SEARCH = JSON.parse(
  readFileSync(new URL("../../app/plugins/integrations/hubspot/fixtures/hubspot_crm_v3_contacts_search_200.json", import.meta.url), "utf8"),
) as HubSpotSearchFixture;

runCrmContract(
  "hubspot",
  async (): Promise<CrmContractSubject> => {
    const tokenA = "pat-eu1-aaaaaaaa-0000-4000-8000-000000000001";
    const tokenB = "pat-eu1-bbbbbbbb-0000-4000-8000-000000000002";
    const fake = await startFakeHubSpotApi({ accounts: [{ token: tokenA, seed: HUBSPOT_SEARCH }, { token: tokenB }], clock });
    const crmWith = (accessToken: string) =>
      hubspotPlugin.create({ config: hubspotPlugin.configSchema.parse({ accessToken, apiBaseUrl: fake.url }), logger: silentLogger, clock });
    return {
      crm: crmWith(tokenA),
      otherCrm: crmWith(tokenB),
      // The first contact of HubSpot's documented search example.
      existing: { email: "testperson@hubspot.com", firstName: "Test", lastName: "Person" },
      notesOf: async (contactId) =>
        fake
          .portal(tokenA)
          .notes.filter((n) => n.contactIds.includes(contactId))
          .map((n) => n.properties.hs_note_body ?? ""),
      unknownContactId: "999999999999",
      fakeProvider: {
        get requestCount() {
          return fake.requests.length;
        },
        get unexpected() {
          return fake.unexpected;
        },
        failNext: (status, options) => fake.failNext(status, options),
      },
      withBadCredentials: () => crmWith("pat-eu1-revoked-0000-4000-8000-000000000000"),
      close: () => fake.close(),
    };
  },
  { remote: true },
);

// ────────────────────────────── salesforce ───────────────────────────────────

const SALESFORCE_RECORD = (
  JSON.parse(
    readFileSync(new URL("../../app/plugins/integrations/salesforce/fixtures/salesforce_query_contact_200_done.json", import.meta.url), "utf8"),
  ) as { records: Array<{ Id: string; Name: string }> }
).records[0];

runCrmContract(
  "salesforce",
  async (): Promise<CrmContractSubject> => {
    if (!SALESFORCE_RECORD) throw new Error("the Salesforce fixture has no record");
    const tokenA = "00DFAKE000000001!AQ4AQFakeAccessTokenForOrgA.0000000000000000";
    const tokenB = "00DFAKE000000002!AQ4AQFakeAccessTokenForOrgB.0000000000000000";
    // The documented record ("John Smith"), its Name split and an email added (see fixtures/README.md).
    const [firstName = "", lastName = ""] = SALESFORCE_RECORD.Name.split(" ");
    const fake = await startFakeSalesforceApi({
      orgs: [{ token: tokenA, seed: [{ Id: SALESFORCE_RECORD.Id, FirstName: firstName, LastName: lastName, Email: "john.smith@example.com" }] }, { token: tokenB }],
      clock,
    });
    const crmWith = (accessToken: string) =>
      salesforcePlugin.create({
        config: salesforcePlugin.configSchema.parse({ instanceUrl: fake.url, accessToken }),
        logger: silentLogger,
        clock,
      });
    return {
      crm: crmWith(tokenA),
      otherCrm: crmWith(tokenB),
      existing: { email: "john.smith@example.com", firstName, lastName },
      notesOf: async (contactId) =>
        fake
          .org(tokenA)
          .tasks.filter((t) => t.WhoId === contactId)
          .map((t) => t.Description ?? ""),
      unknownContactId: "003000000000000AAA",
      fakeProvider: {
        get requestCount() {
          return fake.requests.length;
        },
        get unexpected() {
          return fake.unexpected;
        },
        failNext: (status, options) => fake.failNext(status, options),
      },
      withBadCredentials: () => crmWith("00DFAKE000000001!expired"),
      close: () => fake.close(),
    };
  },
  { remote: true },
);
