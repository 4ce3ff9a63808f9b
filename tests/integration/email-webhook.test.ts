/**
 * Emma's exchange email (seeds, scenario 2): through the real Resend edge (Svix signature, the
 * email's content fetched from the Received-emails API), Redis/BullMQ and the engine on the
 * sandbox: the 38 is reserved for her, the reply offers two options, threads under her email and
 * is handed to Resend once. Delivery events update the reply's status. Two shops on one database.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holds, messages } from "../../db/schema";
import type { MessageRecord } from "~/conversation/record";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { startWorkers } from "../../jobs/worker-runtime.server";
import { resendWebhookHeaders, startFakeResendApi, type FakeReceivedEmail, type FakeResendApi } from "../fakes/resend-api.server";
import { createTestDatabase, DATABASE_KINDS, sandboxAppEnv, type TestDatabase } from "./support/databases";

const API_KEY = "re_test_email_flow";
const SECRET = `whsec_${Buffer.from("email-flow-signing-secret-32byte").toString("base64")}`;
const PUBLIC_URL = "https://coccinelle.example.test";
const SHOP = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761", emailAddress: "hello@elegance-paris.com" };
const OTHER = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762", emailAddress: "bonjour@atelier-lyon.fr" };
const EMMA = "emma.rousseau@example.com";
const NOW = new Date("2026-01-12T14:30:00+01:00");

function emmasEmail(id: string, to = SHOP.emailAddress): FakeReceivedEmail {
  return {
    object: "email",
    id,
    to: [to],
    from: `Emma Rousseau <${EMMA}>`,
    created_at: NOW.toISOString(),
    subject: "Échange pantalon noir - Commande #2847",
    text:
      "Bonjour,\n\nJ'ai reçu le pantalon noir mais la taille 40 est trop grande. Puis-je l'échanger contre un 38 ?\n\nMerci,\nEmma\n\n" +
      "Le ven. 9 janv. 2026 à 11:05, Élégance Paris <hello@elegance-paris.com> a écrit :\n> Votre commande #2847 a été livrée.\n",
    html: null,
    headers: { "message-id": `<${id}@mail.example.com>` },
    bcc: [],
    cc: [],
    reply_to: [],
    message_id: `<${id}@mail.example.com>`,
    attachments: [],
  };
}

function webhook(payload: unknown, options: { secret?: string; at?: Date } = {}) {
  const rawBody = JSON.stringify(payload);
  const headers = resendWebhookHeaders(options.secret ?? SECRET, `msg_${randomBytes(8).toString("hex")}`, Math.floor((options.at ?? NOW).getTime() / 1000), rawBody);
  return new Request("http://127.0.0.1:3000/webhooks/channels/resend", { method: "POST", headers, body: rawBody });
}

const received = (email: FakeReceivedEmail) => ({
  type: "email.received",
  created_at: email.created_at,
  data: { email_id: email.id, created_at: email.created_at, from: email.from, to: email.to, bcc: [], cc: [], message_id: email.message_id, subject: email.subject, attachments: [] },
});

describe.each(DATABASE_KINDS)("inbound email on %s", (kind) => {
  let database: TestDatabase;
  let fake: FakeResendApi;
  let services: AppServices;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeResendApi({ apiKey: API_KEY });
    services = await createServices({
      env: sandboxAppEnv(database, PUBLIC_URL, {
        RESEND_API_KEY: API_KEY,
        RESEND_WEBHOOK_SECRET: SECRET,
        RESEND_API_BASE_URL: fake.url,
      }),
      logger: silentLogger,
      clock: createManualClock(NOW),
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

  const sentTo = (address: string) => fake.requests.filter((r) => r.method === "POST" && r.path === "/emails" && JSON.stringify(r.json?.to) === JSON.stringify([address]));

  async function waitForSend(address: string, count: number) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && sentTo(address).length < count) await new Promise((r) => setTimeout(r, 25));
  }

  it("refuses a bad signature, a stale timestamp and a malformed body, storing nothing", async () => {
    const email = emmasEmail(randomUUID());
    fake.received.set(email.id, email);
    expect((await services.webhooks.resend(webhook(received(email), { secret: `whsec_${Buffer.from("another-secret").toString("base64")}` }))).status).toBe(403);
    expect((await services.webhooks.resend(webhook(received(email), { at: new Date(NOW.getTime() - 10 * 60_000) }))).status).toBe(403);
    expect((await services.webhooks.resend(webhook({ type: "email.received", data: {} }))).status).toBe(400);
    expect(await services.db.select().from(messages).where(eq(messages.providerMessageId, email.id))).toHaveLength(0);
    expect(fake.requests.filter((r) => r.path.startsWith("/emails/receiving/"))).toHaveLength(0);
  });

  it("answers Emma's exchange email once, threaded, with two options and the 38 reserved for her", async () => {
    const email = emmasEmail(randomUUID());
    fake.received.set(email.id, email);
    // The provider's retries (Svix retries until a 2xx): three deliveries, one message, one reply.
    for (let i = 0; i < 3; i++) expect((await services.webhooks.resend(webhook(received(email)))).status).toBe(200);
    await waitForSend(EMMA, 1);
    await new Promise((r) => setTimeout(r, 200));

    const stored = await services.db.select().from(messages).where(eq(messages.providerMessageId, email.id));
    expect(stored).toHaveLength(1);
    const inbound = stored[0];
    expect(inbound?.subject).toBe("Échange pantalon noir - Commande #2847");
    expect(inbound?.body).not.toMatch(/a écrit|livrée/); // the quoted conversation is stripped
    const record = inbound?.record as MessageRecord;
    expect(record.understanding).toMatchObject({ intent: "exchange_request" });
    expect(record.understanding.entities).toMatchObject({ orderName: "#2847", requestedSize: "38" });

    const sends = sentTo(EMMA);
    expect(sends).toHaveLength(1);
    const sent = sends[0]?.json ?? {};
    expect(sent.from).toBe(SHOP.emailAddress);
    expect(sent.subject).toBe("Re: Échange pantalon noir - Commande #2847");
    expect(sent.headers).toMatchObject({ "In-Reply-To": email.message_id, References: email.message_id });
    expect(String(sent.text)).toMatch(/Option 1[\s\S]*Option 2/);
    expect(String(sent.html)).toMatch(/<strong>Option 1 - Échange en boutique/);
    expect(sends[0]?.headers["idempotency-key"]).toBeTruthy();

    const [reserved] = await services.db.select().from(holds).where(and(eq(holds.shopId, inbound?.shopId ?? ""), eq(holds.status, "active")));
    expect(reserved).toBeDefined();

    // Resend reports delivery on the same endpoint: the reply moves to delivered; a late "sent" is ignored.
    const [reply] = await services.db.select().from(messages).where(eq(messages.inReplyTo, inbound?.id ?? ""));
    expect(reply?.status).toBe("sent");
    const providerId = reply?.providerMessageId ?? "";
    const event = (type: string, extra: Record<string, unknown> = {}) => ({
      type,
      created_at: NOW.toISOString(),
      data: { email_id: providerId, created_at: NOW.toISOString(), from: SHOP.emailAddress, to: [EMMA], subject: "Re: …", ...extra },
    });
    expect((await services.webhooks.resend(webhook(event("email.delivered")))).status).toBe(200);
    expect((await services.webhooks.resend(webhook(event("email.sent")))).status).toBe(200);
    const [delivered] = await services.db.select().from(messages).where(eq(messages.id, reply?.id ?? ""));
    expect(delivered?.status).toBe("delivered");
  });

  it("keeps the two shops apart: an email to the other shop's address is that shop's", async () => {
    const email = { ...emmasEmail(randomUUID(), OTHER.emailAddress), subject: "Question" };
    fake.received.set(email.id, email);
    expect((await services.webhooks.resend(webhook(received(email)))).status).toBe(200);
    const [stored] = await services.db.select().from(messages).where(eq(messages.providerMessageId, email.id));
    const [elegance] = await services.db.select().from(messages).where(and(eq(messages.direction, "inbound"), eq(messages.fromAddress, EMMA), eq(messages.subject, "Échange pantalon noir - Commande #2847")));
    expect(stored?.shopId).toBeDefined();
    expect(stored?.shopId).not.toBe(elegance?.shopId);
  });

  it("asks Resend to retry when the email's content cannot be fetched, and stores nothing", async () => {
    const email = emmasEmail(randomUUID());
    fake.received.set(email.id, email);
    fake.failNext(503);
    const response = await services.webhooks.resend(webhook(received(email)));
    expect(response.status).toBe(503);
    expect(await services.db.select().from(messages).where(eq(messages.providerMessageId, email.id))).toHaveLength(0);
    expect((await services.webhooks.resend(webhook(received(email)))).status).toBe(200);
    expect(await services.db.select().from(messages).where(eq(messages.providerMessageId, email.id))).toHaveLength(1);
  });
});
