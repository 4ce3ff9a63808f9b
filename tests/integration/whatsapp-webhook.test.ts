/**
 * Léa's urgent WhatsApp (seeds): Thursday 18:45, her order #2901 must arrive before her wedding on
 * Saturday. Through the real Twilio WhatsApp edge, Redis/BullMQ and the engine on the sandbox: the
 * order is checked for its own customer, the ETA is given, the parcel is watched and Sarah is told.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, messages, shipmentTrackings } from "../../db/schema";
import type { MessageRecord } from "~/conversation/record";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, sandboxAppEnv, type TestDatabase } from "./support/databases";

const ACCOUNT_SID = "AC" + "b2".repeat(16);
const TOKEN = "whatsapp_flow_token";
const PUBLIC_URL = "https://coccinelle.example.test";
const PATH = "/webhooks/channels/twilio-whatsapp";
const SHOP = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const OTHER = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const LEA = "+33677889900";

function whatsapp(params: Record<string, string>, token = TOKEN) {
  return new Request(`http://127.0.0.1:3000${PATH}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${PATH}`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

describe.each(DATABASE_KINDS)("inbound WhatsApp on %s", (kind) => {
  let database: TestDatabase;
  let fake: FakeTwilioApi;
  let services: AppServices;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: TOKEN });
    services = await createServices({
      env: sandboxAppEnv(database, PUBLIC_URL, {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_API_BASE_URL: fake.url,
      }),
      logger: silentLogger,
      clock: createManualClock(new Date("2026-01-15T18:45:00+01:00")),
      sandboxShops: [SHOP, OTHER],
    });
    workers = await startWorkers(services);
  });

  afterAll(async () => {
    await workers?.close();
    await services?.close();
    await fake?.close();
    await database?.drop();
  });

  it("answers Léa with her parcel's ETA on WhatsApp, watches the parcel and hands the conversation to Sarah", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const params = {
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: `whatsapp:${LEA}`,
      To: `whatsapp:${SHOP.smsNumber}`,
      Body: "Bonjour, ma commande #2901 n'est toujours pas arrivée et c'est pour mon mariage SAMEDI !! Vous pouvez vérifier ?",
      NumMedia: "0",
      ProfileName: "Léa",
      WaId: LEA.slice(1),
      SmsStatus: "received",
    };
    expect((await services.webhooks.twilioWhatsapp(whatsapp(params, "wrong-token"))).status).toBe(403);
    const response = await services.webhooks.twilioWhatsapp(whatsapp(params));
    expect(response.status).toBe(200);

    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !fake.requests.some((r) => r.form.To === `whatsapp:${LEA}`)) await new Promise((r) => setTimeout(r, 25));
    const sent = fake.requests.filter((r) => r.form.To === `whatsapp:${LEA}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.form.From).toBe(`whatsapp:${SHOP.smsNumber}`);
    expect(sent[0]?.form.Body).toMatch(/#2901/);
    expect(sent[0]?.form.Body).toMatch(/vendredi|demain/i); // ETA Friday 16 January before noon

    const [inbound] = await services.db.select().from(messages).where(eq(messages.providerMessageId, sid));
    const record = inbound?.record as MessageRecord;
    expect(record.understanding).toMatchObject({ intent: "order_status" });
    expect(record.understanding.entities).toMatchObject({ orderName: "#2901", urgency: "urgent" });
    expect(record.actions.map((a) => [a.type, a.status])).toEqual(expect.arrayContaining([["tracking.watch", "done"], ["notify.merchant", "done"]]));
    const [conversation] = await services.db.select().from(conversations).where(eq(conversations.id, inbound?.conversationId ?? ""));
    expect(conversation?.status).toBe("needs_merchant");
    expect(conversation?.escalation?.urgent).toBe(true);
    const watched = await services.db.select().from(shipmentTrackings).where(and(eq(shipmentTrackings.shopId, inbound?.shopId ?? ""), eq(shipmentTrackings.trackingNumber, "FR987654321")));
    expect(watched).toHaveLength(1);
    expect(watched[0]?.watchUntil).toBeInstanceOf(Date);
  });
});
