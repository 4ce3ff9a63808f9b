/**
 * The credentials Sarah saves in Settings drive her shop's channel, end to end on PostgreSQL and
 * PGlite with two shops, real Redis/BullMQ and a local fake Twilio API that knows two accounts (the
 * deployment's and shop A's own):
 * - shop A saves its own Twilio credentials through the settings service: an SMS to A's number
 *   signed with A's token is accepted and its AI reply, Sarah's reply from the inbox and the
 *   status callbacks all go through A's account; signed with the deployment's token → 403;
 * - shop B (no installation) keeps the deployment's credentials; A's token cannot sign for B;
 * - A disconnects Twilio: A's number is no longer hers in the app, nothing is sent from it through
 *   the deployment's account (her reply stays in the outbox, with the reason).
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../db/schema";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { generateSecretsKey } from "~/lib/secrets.server";
import { createServices, type AppServices } from "~/services.server";
import { findShopByDomain } from "~/shops/install.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { startFakeTwilioApi, type FakeTwilioApi } from "../fakes/twilio-api.server";
import { createTestDatabase, DATABASE_KINDS, sandboxAppEnv, type TestDatabase } from "./support/databases";
import { waitFor } from "./support/wait";

const PUBLIC_URL = "https://coccinelle.example.test";
const WEBHOOK_PATH = "/webhooks/channels/twilio";
/** The deployment's Twilio account (environment variables). */
const DEPLOYMENT = { sid: "AC" + "d1".repeat(16), token: "deployment_auth_token" };
/** Shop A's own Twilio account, typed into Settings. */
const OWN = { sid: "AC" + "a7".repeat(16), token: "elegance_own_auth_token" };
const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const JULIE = "+33645789012";

function smsParams(to: string, body = "Bonjour, vous avez la robe fleurie bleue en 38 ?"): Record<string, string> {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  return { MessageSid: sid, SmsSid: sid, AccountSid: OWN.sid, From: JULIE, To: to, Body: body, NumMedia: "0", SmsStatus: "received", ApiVersion: "2010-04-01" };
}

function signed(params: Record<string, string>, token: string): Request {
  return new Request(`http://10.0.0.12:3000${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${WEBHOOK_PATH}`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

describe.each(DATABASE_KINDS)("a shop's own channel credentials on %s", (kind) => {
  let database: TestDatabase;
  let fake: FakeTwilioApi;
  let services: AppServices;
  let workers: { close(): Promise<void> };
  let shopA: string;
  let shopB: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeTwilioApi({ accountSid: DEPLOYMENT.sid, authToken: DEPLOYMENT.token, otherAccounts: [{ accountSid: OWN.sid, authToken: OWN.token }] });
    const env = sandboxAppEnv(database, PUBLIC_URL, {
      TWILIO_ACCOUNT_SID: DEPLOYMENT.sid,
      TWILIO_AUTH_TOKEN: DEPLOYMENT.token,
      TWILIO_API_BASE_URL: fake.url,
      SECRETS_KEY: generateSecretsKey(),
    });
    services = await createServices({ env, logger: silentLogger, clock: createManualClock(new Date("2026-01-12T10:15:00+01:00")), sandboxShops: [SHOP_A, SHOP_B] });
    workers = await startWorkers(services);
    shopA = (await findShopByDomain(services.db, SHOP_A.domain))?.id ?? "";
    shopB = (await findShopByDomain(services.db, SHOP_B.domain))?.id ?? "";
  });

  afterAll(async () => {
    await workers?.close();
    await services?.close();
    await fake?.close();
    await database?.drop();
  });

  const bySid = async (sid: string) => (await services.db.select().from(messages).where(eq(messages.providerMessageId, sid)).limit(1))[0];
  const replyTo = (inboundId: string) =>
    waitFor(async () => {
      const [reply] = await services.db.select().from(messages).where(eq(messages.inReplyTo, inboundId));
      return reply && reply.status !== "pending" ? reply : null;
    });
  const sentSince = (before: number) => fake.requests.slice(before).filter((r) => r.method === "POST");

  it("before Sarah saves anything, both shops answer through the deployment's account", async () => {
    const params = smsParams(SHOP_A.smsNumber);
    const before = fake.requests.length;
    expect((await services.webhooks.twilio(signed(params, DEPLOYMENT.token))).status).toBe(200);
    const inbound = await bySid(params.MessageSid ?? "");
    const reply = await replyTo(inbound?.id ?? "");
    expect(reply.status).toBe("sent");
    expect(sentSince(before).map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${DEPLOYMENT.sid}/Messages.json`]);
    // A token nobody configured is refused already.
    expect((await services.webhooks.twilio(signed(smsParams(SHOP_A.smsNumber), OWN.token))).status).toBe(403);
  });

  it("once shop A saves its own Twilio account, A's SMS are verified with A's token and answered through A's account", async () => {
    const saved = await services.settings.saveChannel(shopA, "twilio", { accountSid: OWN.sid, authToken: OWN.token, smsNumber: SHOP_A.smsNumber, whatsappNumber: "" });
    expect(saved).toMatchObject({ ok: true });

    // Signed with the deployment's token (what B's number uses): refused, nothing stored.
    const forged = smsParams(SHOP_A.smsNumber);
    const refused = await services.webhooks.twilio(signed(forged, DEPLOYMENT.token));
    expect(refused.status).toBe(403);
    expect(await bySid(forged.MessageSid ?? "")).toBeUndefined();

    const params = smsParams(SHOP_A.smsNumber);
    const before = fake.requests.length;
    expect((await services.webhooks.twilio(signed(params, OWN.token))).status).toBe(200);
    const inbound = await bySid(params.MessageSid ?? "");
    expect(inbound?.shopId).toBe(shopA);
    const reply = await replyTo(inbound?.id ?? "");
    expect(reply.status).toBe("sent");
    const sent = sentSince(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe(`/2010-04-01/Accounts/${OWN.sid}/Messages.json`);
    expect(Buffer.from(String(sent[0]?.headers.authorization).replace("Basic ", ""), "base64").toString()).toBe(`${OWN.sid}:${OWN.token}`);
    expect(sent[0]?.form).toMatchObject({ From: SHOP_A.smsNumber, To: JULIE });

    // Twilio's status callback for that reply comes signed with A's token: it moves the reply on;
    // the same report signed with the deployment's token is refused and changes nothing.
    const status = { MessageSid: reply.providerMessageId ?? "", MessageStatus: "delivered", AccountSid: OWN.sid, From: SHOP_A.smsNumber, To: JULIE, ApiVersion: "2010-04-01" };
    expect((await services.webhooks.twilio(signed({ ...status, MessageStatus: "read" }, DEPLOYMENT.token))).status).toBe(403);
    expect((await services.webhooks.twilio(signed(status, OWN.token))).status).toBe(200);
    expect((await services.db.select().from(messages).where(eq(messages.id, reply.id)))[0]?.status).toBe("delivered");

    // Sarah's own reply from the inbox goes through her account too.
    const beforeMerchant = fake.requests.length;
    const merchant = await services.inbox.reply(shopA, inbound?.conversationId ?? "", "Oui, je vous la garde jusqu'à 18h.");
    expect(merchant).toMatchObject({ ok: true, status: "sent" });
    expect(sentSince(beforeMerchant).map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${OWN.sid}/Messages.json`]);
  });

  it("shop B, without an installation, keeps the deployment's credentials, and A's token cannot sign for B", async () => {
    const stolen = smsParams(SHOP_B.smsNumber);
    expect((await services.webhooks.twilio(signed(stolen, OWN.token))).status).toBe(403);
    expect(await bySid(stolen.MessageSid ?? "")).toBeUndefined();

    const params = smsParams(SHOP_B.smsNumber);
    const before = fake.requests.length;
    expect((await services.webhooks.twilio(signed(params, DEPLOYMENT.token))).status).toBe(200);
    const inbound = await bySid(params.MessageSid ?? "");
    expect(inbound?.shopId).toBe(shopB);
    expect((await replyTo(inbound?.id ?? "")).status).toBe("sent");
    expect(sentSince(before).map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${DEPLOYMENT.sid}/Messages.json`]);
  });

  it("the home page says Sending for both: A through its own account, B through the deployment's", async () => {
    expect((await services.home.load(SHOP_A.domain)).channels).toEqual([expect.objectContaining({ address: SHOP_A.smsNumber, sending: "live" })]);
    expect((await services.home.load(SHOP_B.domain)).channels).toEqual([expect.objectContaining({ address: SHOP_B.smsNumber, sending: "live" })]);
  });

  it("after A disconnects Twilio, nothing goes out from A's number through the deployment's account", async () => {
    const [conversation] = await services.db
      .select({ id: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.shopId, shopA), eq(messages.direction, "inbound")))
      .limit(1);
    expect(await services.settings.disconnectChannel(shopA, "twilio")).toMatchObject({ ok: true });

    // Her number is no longer routed to her: A's old token no longer verifies anything, and the
    // deployment's verifies but the number is unknown.
    expect((await services.webhooks.twilio(signed(smsParams(SHOP_A.smsNumber), OWN.token))).status).toBe(403);
    expect((await services.webhooks.twilio(signed(smsParams(SHOP_A.smsNumber), DEPLOYMENT.token))).status).toBe(404);

    const before = fake.requests.length;
    const reply = await services.inbox.reply(shopA, conversation?.id ?? "", "Elle vous attend en boutique.");
    expect(reply).toMatchObject({ ok: true, status: "outbox" });
    expect(sentSince(before)).toEqual([]);
    const [stored] = await services.db
      .select()
      .from(messages)
      .where(and(eq(messages.shopId, shopA), eq(messages.author, "merchant"), eq(messages.status, "outbox")));
    expect(stored?.error).toContain("no longer connected to this shop");

    // B is untouched.
    const params = smsParams(SHOP_B.smsNumber);
    expect((await services.webhooks.twilio(signed(params, DEPLOYMENT.token))).status).toBe(200);
    expect((await replyTo((await bySid(params.MessageSid ?? ""))?.id ?? "")).status).toBe("sent");
  });
});
