/**
 * Scheduled messages through Redis: a row stored while no worker ran is armed when the worker
 * starts and goes out once through the real orchestrator, templates and Twilio channel (local fake);
 * a row moved later is not sent at its old time. PostgreSQL and PGlite, two shops.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customers, scheduledMessages, shops } from "../../db/schema";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, sandboxAppEnv, type TestDatabase } from "./support/databases";

const TWILIO = { sid: "AC" + "d4".repeat(16), token: "scheduled_flow_token" };
const PUBLIC_URL = "https://coccinelle.example.test";
const SHOP = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const OTHER = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const JULIE = "+33645789012";

describe.each(DATABASE_KINDS)("scheduled messages on %s", (kind) => {
  let database: TestDatabase;
  let fake: FakeTwilioApi;
  let services: AppServices;
  let workers: { close(): Promise<void> } | undefined;
  const clock = createManualClock(new Date("2026-01-13T11:00:00+01:00"));

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeTwilioApi({ accountSid: TWILIO.sid, authToken: TWILIO.token });
    services = await createServices({
      env: sandboxAppEnv(database, PUBLIC_URL, {
        TWILIO_ACCOUNT_SID: TWILIO.sid,
        TWILIO_AUTH_TOKEN: TWILIO.token,
        TWILIO_API_BASE_URL: fake.url,
      }),
      logger: silentLogger,
      clock,
      sandboxShops: [SHOP, OTHER],
    });
  });

  afterAll(async () => {
    await workers?.close();
    await services?.close();
    await fake?.close();
    await database?.drop();
  });

  it("arms at worker start what was stored without a worker, and sends it once through the orchestrator", async () => {
    // Julie has written to the shop by SMS (the channel she uses), before any worker ran.
    const params = { MessageSid: `SM${randomBytes(16).toString("hex")}`, AccountSid: TWILIO.sid, From: JULIE, To: SHOP.smsNumber, Body: "Merci pour tout !", NumMedia: "0" };
    const path = "/webhooks/channels/twilio";
    const webhook = new Request(`http://127.0.0.1:3000${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TWILIO.token, `${PUBLIC_URL}${path}`, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect((await services.webhooks.twilio(webhook)).status).toBe(200);
    const [shop] = await services.db.select().from(shops).where(eq(shops.domain, SHOP.domain));
    const [julie] = await services.db.select().from(customers).where(and(eq(customers.shopId, shop?.id ?? ""), eq(customers.phone, JULIE)));
    const now = clock.now();
    const [due] = await services.db
      .insert(scheduledMessages)
      .values({
        shopId: shop?.id ?? "",
        customerId: julie?.id ?? "",
        type: "thank_you",
        channel: "sms",
        dueAt: now,
        status: "scheduled",
        causeType: "order",
        causeId: "gid://shopify/Order/7203",
        payload: { orderName: "#7203", lines: [{ title: "Robe Fleurie Bleue", variantTitle: "38", quantity: 1 }] },
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    // A row moved to tomorrow: its job is armed for tomorrow, not now.
    const [later] = await services.db
      .insert(scheduledMessages)
      .values({
        shopId: shop?.id ?? "",
        customerId: julie?.id ?? "",
        type: "follow_up",
        channel: "sms",
        dueAt: new Date(now.getTime() + 24 * 3600_000),
        status: "scheduled",
        causeType: "order",
        causeId: "gid://shopify/Order/7203",
        payload: { orderName: "#7203", lines: [] },
        createdAt: now,
        updatedAt: now,
      })
      .returning();

    workers = await startWorkers(services);
    const deadline = Date.now() + 15_000;
    let row = due;
    while (Date.now() < deadline) {
      [row] = await services.db.select().from(scheduledMessages).where(eq(scheduledMessages.id, due?.id ?? ""));
      if (row?.status === "sent") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row?.status).toBe("sent");
    const toJulie = fake.requests.filter((r) => r.form.To === JULIE);
    // One reply to her SMS, one thank-you.
    await new Promise((r) => setTimeout(r, 300));
    const thankYou = toJulie.filter((r) => (r.form.Body ?? "").includes("#7203"));
    expect(thankYou).toHaveLength(1);
    expect(thankYou[0]?.form.From).toBe(SHOP.smsNumber);
    const [stillLater] = await services.db.select().from(scheduledMessages).where(eq(scheduledMessages.id, later?.id ?? ""));
    expect(stillLater?.status).toBe("scheduled");
    // The other shop got nothing.
    const [other] = await services.db.select().from(shops).where(eq(shops.domain, OTHER.domain));
    expect(await services.db.select().from(scheduledMessages).where(eq(scheduledMessages.shopId, other?.id ?? ""))).toHaveLength(0);
  });
});
