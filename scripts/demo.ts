/**
 * `npm run demo`: the seeds' four stories, end to end on embedded defaults, through the real
 * webhook routes over HTTP, the queue and the engine against the sandbox shop:
 *   Monday 10:15  Julie's SMS (availability → "je passe ce soir vers 17h" → hold + reminder),
 *   Monday 14:30  Emma's exchange email for #2847 (the 38 reserved, two options),
 *   Thursday 18:45 Léa's urgent WhatsApp about #2901 (ETA, parcel watched, Sarah told),
 *   Friday 12:30  Marine's styling email (handed to Sarah with jackets in stock in her size).
 * SMS and WhatsApp replies go to the outbox (no Twilio credentials). Email needs an API to read
 * received emails from, so the demo starts a local Resend-compatible server (the one the tests
 * use) that serves the customers' emails and accepts the replies. Exits 0 when all four got an answer.
 */
import fs from "node:fs";
import { freePort } from "./support/free-port";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { conversations, messages, scheduledMessages } from "../db/schema";
import type { MessageRecord } from "../app/conversation/record";
import { loadEnv } from "../app/env.server";
import { createOffsetClock } from "../app/lib/clock";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { resendWebhookHeaders, startFakeResendApi, type FakeReceivedEmail } from "../tests/fakes/resend-api.server";
import { redisAnswers } from "../jobs/queues.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "../server/http";

/** The seeds' stories, message by message (DESIGN §1). */
const SHOP_NUMBER = "+33939035761";
const SHOP_EMAIL = "hello@elegance-paris.com";
const JULIE = "+33645789012";
const STORY: Array<{ at: string; who: string; from: string; channel: "sms" | "whatsapp" | "email"; subject?: string; text: string }> = [
  { at: "2026-01-12T10:15:00+01:00", who: "Julie", from: JULIE, channel: "sms", text: "Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍" },
  { at: "2026-01-12T10:17:00+01:00", who: "Julie", from: JULIE, channel: "sms", text: "Oui merci ! Je passe ce soir vers 17h !" },
  // Monday afternoon: Emma's trousers are too big; the 38 is reserved for her and she gets two options.
  {
    at: "2026-01-12T14:30:00+01:00",
    who: "Emma",
    from: "emma.rousseau@example.com",
    channel: "email",
    subject: "Échange pantalon noir - Commande #2847",
    text: "Bonjour,\n\nJ'ai reçu le pantalon noir mais la taille 40 est trop grande. Puis-je l'échanger contre un 38 ?\n\nMerci d'avance,\nEmma Rousseau\n\nEnvoyé de mon iPhone",
  },
  // Thursday evening: Léa's parcel and her wedding on Saturday (answer, watch the parcel, tell Sarah).
  {
    at: "2026-01-15T18:45:00+01:00",
    who: "Léa",
    from: "+33677889900",
    channel: "whatsapp",
    text: "Bonjour, ma commande #2901 n'est toujours pas arrivée et c'est pour mon mariage SAMEDI !! Vous pouvez vérifier ?",
  },
  // Friday lunchtime: Marine wants styling advice, which is Sarah's; she gets the context and products in stock.
  {
    at: "2026-01-16T12:30:00+01:00",
    who: "Marine",
    from: "marine.durand@example.com",
    channel: "email",
    subject: "Conseil veste",
    text: "Bonjour,\n\nJ'ai acheté la robe bordeaux. Quelle veste vous me conseillez pour un dîner chic ?\n\nMarine",
  },
];
const DEMO_RESEND_KEY = "re_demo_local_key";
const DEMO_RESEND_SECRET = `whsec_${Buffer.from("coccinelle-demo-webhook-secret!!").toString("base64")}`;
const DEMO_AUTH_TOKEN = "demo_twilio_auth_token";
const DEMO_ACCOUNT_SID = "AC" + "0d3e0".repeat(6) + "00";


const baseEnv = loadEnv({ ...process.env, SHOPIFY_SANDBOX: "1" });
const dataDir = path.resolve(baseEnv.DATA_DIR, "demo");
fs.rmSync(dataDir, { recursive: true, force: true }); // the story starts from a fresh shop every time
const port = await freePort();
// The local Resend-compatible API: it serves the customers' emails (webhooks carry only metadata) and takes the replies.
const resend = await startFakeResendApi({ apiKey: DEMO_RESEND_KEY });
const useRedis = baseEnv.QUEUE === "redis" && (await redisAnswers(baseEnv.REDIS_URL));
const env = loadEnv({
  SHOPIFY_SANDBOX: "1",
  PORT: String(port),
  SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
  DATA_DIR: dataDir,
  REDIS_URL: baseEnv.REDIS_URL,
  QUEUE: useRedis ? "redis" : "inline",
  // Its own queue prefix, so a running `npm run sandbox` on the same Redis never takes its jobs.
  QUEUE_PREFIX: `coccinelle-demo-${process.pid}`,
  // No Account SID: replies go to the outbox, never to a real phone.
  TWILIO_AUTH_TOKEN: DEMO_AUTH_TOKEN,
  RESEND_API_KEY: DEMO_RESEND_KEY,
  RESEND_WEBHOOK_SECRET: DEMO_RESEND_SECRET,
  RESEND_API_BASE_URL: resend.url,
  RESEND_FROM_ADDRESS: SHOP_EMAIL,
  LOG_LEVEL: "error",
});

const line = (s = "") => console.log(s);
line("Coccinelle demo — Élégance Paris, week of Monday 12 January 2026 (Europe/Paris)");
line(`  database: PGlite (embedded) in ${path.relative(process.cwd(), dataDir)}/, migrated`);
line(
  useRedis
    ? `  queue:    BullMQ on Redis ${env.REDIS_URL}`
    : `  queue:    QUEUE=inline — ${baseEnv.QUEUE === "inline" ? "as asked" : `no Redis answers at ${baseEnv.REDIS_URL}`}: jobs run in this process`,
);

const clock = createOffsetClock(new Date(STORY[0]?.at ?? "2026-01-12T10:15:00+01:00"));
const services = await createServices({ env, logger: createLogger({ level: env.LOG_LEVEL }), clock });
const workers = await startWorkers(services);
const server = await startHttpServer({ services, port, mode: "build" });
line(`  app:      ${server.url} (sandbox shop ${[...services.sandboxShops.keys()].join(", ")}, SMS/WhatsApp ${SHOP_NUMBER}, email ${SHOP_EMAIL})`);
line(`  email:    a local Resend-compatible API at ${resend.url} serves received emails and takes the replies`);
line("");

let exitCode = 1;
const hhmm = (iso: string) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
try {
  const urls = {
    sms: `${services.publicUrl}/webhooks/channels/twilio`,
    whatsapp: `${services.publicUrl}/webhooks/channels/twilio-whatsapp`,
    email: `${services.publicUrl}/webhooks/channels/resend`,
  };
  const { db } = services;
  const [domain] = services.sandboxShops.keys();
  const caps = await services.engine.capabilities(domain ?? "");
  const catalogue = await caps.inventory.listCatalogue();
  const variants = catalogue.flatMap((p) => p.variants.map((v) => ({ id: v.id, label: `${p.title} ${v.size ?? ""}`.trim() })));
  const stock = async () => new Map(await Promise.all(variants.map(async (v) => [v.id, (await caps.inventory.availability(v.id)).available] as const)));
  // Warm the HTTP path once (first use loads modules) so the timing below is the edge's own.
  await fetch(urls.sms, { method: "GET" });

  /** The provider's signed webhook for one customer message, as Twilio or Resend would send it. */
  function webhookFor(step: (typeof STORY)[number]): { id: string; init: RequestInit } {
    if (step.channel === "email") {
      const id = randomUUID();
      const email: FakeReceivedEmail = {
        object: "email",
        id,
        to: [SHOP_EMAIL],
        from: `${step.who} <${step.from}>`,
        created_at: new Date(step.at).toISOString(),
        subject: step.subject ?? "",
        text: step.text,
        html: null,
        headers: { "message-id": `<${id}@mail.example.com>` },
        bcc: [],
        cc: [],
        reply_to: [],
        message_id: `<${id}@mail.example.com>`,
        attachments: [],
      };
      resend.received.set(id, email);
      const rawBody = JSON.stringify({
        type: "email.received",
        created_at: email.created_at,
        data: { email_id: id, created_at: email.created_at, from: email.from, to: email.to, bcc: [], cc: [], message_id: email.message_id, subject: email.subject, attachments: [] },
      });
      const headers = resendWebhookHeaders(DEMO_RESEND_SECRET, `msg_${randomBytes(8).toString("hex")}`, Math.floor(new Date(step.at).getTime() / 1000), rawBody);
      return { id, init: { method: "POST", headers, body: rawBody } };
    }
    const messageSid = `SM${randomBytes(16).toString("hex")}`;
    const params: Record<string, string> = {
      ToCountry: "FR",
      SmsMessageSid: messageSid,
      NumMedia: "0",
      SmsSid: messageSid,
      SmsStatus: "received",
      Body: step.text,
      FromCountry: "FR",
      To: step.channel === "whatsapp" ? `whatsapp:${SHOP_NUMBER}` : SHOP_NUMBER,
      MessageSid: messageSid,
      AccountSid: DEMO_ACCOUNT_SID,
      From: step.channel === "whatsapp" ? `whatsapp:${step.from}` : step.from,
      ApiVersion: "2010-04-01",
    };
    const signature = twilio.getExpectedTwilioSignature(DEMO_AUTH_TOKEN, urls[step.channel], params);
    return {
      id: messageSid,
      init: {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
        body: new URLSearchParams(params).toString(),
      },
    };
  }

  const CHANNEL_NAMES = { sms: "SMS", whatsapp: "WhatsApp", email: "email" } as const;
  for (const step of STORY) {
    clock.set(new Date(step.at));
    const stockBefore = await stock();
    const { id: providerMessageId, init } = webhookFor(step);
    const sentAt = performance.now();
    const response = await fetch(urls[step.channel], init);
    const ackMs = performance.now() - sentAt;
    const ack = await response.text();
    const day = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "long" }).format(new Date(step.at));
    const channelName = CHANNEL_NAMES[step.channel];
    const shopAddress = step.channel === "email" ? SHOP_EMAIL : SHOP_NUMBER;
    line(`${day} ${hhmm(step.at)}  ${step.who} (${step.from}) → ${shopAddress}, ${channelName}`);
    if (step.subject) line(`       subject: ${step.subject}`);
    for (const l of step.text.split("\n").filter((x) => x.trim() !== "")) line(`       « ${l} »`);
    line(`       webhook: HTTP ${response.status} in ${ackMs.toFixed(1)} ms${ack.includes("<Response></Response>") ? ", empty TwiML" : ack === "" ? "" : `, ${ack}`}`);
    if (response.status !== 200) throw new Error(`the webhook refused the message (${response.status})`);

    const [inbound] = await db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId)).limit(1);
    if (!inbound) throw new Error("the message was not stored");
    const deadline = Date.now() + 30_000;
    let reply: typeof messages.$inferSelect | undefined;
    let handled: typeof messages.$inferSelect | undefined;
    while (Date.now() < deadline) {
      [handled] = await db.select().from(messages).where(eq(messages.id, inbound.id)).limit(1);
      [reply] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.shopId, inbound.shopId), eq(messages.inReplyTo, inbound.id)))
        .limit(1);
      if (handled?.status === "processed" && (!reply || reply.status !== "pending")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const record = handled?.record as MessageRecord | null | undefined;
    if (record) {
      const product = record.understanding.entities.product as { title?: string; ref?: string } | null;
      const visitAt = record.understanding.entities.visitAt as string | null;
      const orderName = record.understanding.entities.orderName as string | null;
      line("");
      line(
        `       understood: ${record.understanding.intent} (${record.understanding.language}, confidence ${record.understanding.confidence})` +
          (product ? `, product ${product.title} [${product.ref}]` : "") +
          (record.understanding.entities.requestedSize ? `, size ${String(record.understanding.entities.requestedSize)}` : "") +
          (orderName ? `, order ${orderName}` : "") +
          (visitAt ? `, visit at ${hhmm(visitAt)}` : ""),
      );
      for (const l of record.lookups.filter((x) => x.tool === "inventory.availability" && x.output.sku)) {
        line(`       looked up: ${String(l.output.sku)} → ${String(l.output.available)} available (${l.ms} ms)`);
      }
      for (const l of record.lookups.filter((x) => x.tool.startsWith("orders.") || x.tool.startsWith("tracking."))) {
        line(`       looked up: ${l.tool} ${JSON.stringify(l.output)} (${l.ms} ms)`);
      }
      line(`       decided:   ${record.decision.kind} — ${record.decision.reason}`);
      for (const a of record.actions) line(`       action:    ${a.type} ${a.status} ${JSON.stringify(a.details)}`);
    }
    const stockAfter = await stock();
    for (const v of variants) {
      const [before, after] = [stockBefore.get(v.id), stockAfter.get(v.id)];
      if (before !== after) line(`       stock:     ${v.label}, available ${before} → ${after} (held in Shopify)`);
    }
    if (!reply || reply.status === "pending") throw new Error("no reply within 30 s");
    line("");
    const how =
      reply.status === "outbox"
        ? "outbox: no Twilio credentials, not sent"
        : step.channel === "email"
          ? `${reply.status} to the local Resend-compatible API`
          : reply.status;
    line(`${day} ${hhmm(step.at)}  Coccinelle → ${step.who}, ${channelName} (${how})`);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, inbound.conversationId)).limit(1);
    if (conversation?.status === "needs_merchant" && conversation.escalation) {
      line(`       → Sarah: ${conversation.escalation.urgent ? "URGENT — " : ""}${conversation.escalation.summary}`);
      for (const c of conversation.escalation.checked) line(`         checked: ${c}`);
      if (conversation.escalation.suggestedReply && conversation.escalation.suggestedReply !== reply.body) {
        line(`         suggested reply: « ${conversation.escalation.suggestedReply} »`);
      }
    }
    if (reply.subject) {
      const sent = resend.requests.find((r) => r.path === "/emails" && r.headers["idempotency-key"] === reply.id);
      const threading = (sent?.json?.headers ?? {}) as Record<string, string>;
      line(`       subject: ${reply.subject}${threading["In-Reply-To"] ? ` (In-Reply-To ${threading["In-Reply-To"]}, HTML + text)` : ""}`);
    }
    for (const l of reply.body.split("\n")) line(`       « ${l} »`);
    line(`       latency: received → reply handed over in ${handled?.latencyMs ?? "?"} ms (engine ${record?.timings.totalMs ?? "?"} ms)`);
    line("");
  }
  const due = await db.select().from(scheduledMessages).where(eq(scheduledMessages.type, "pickup_reminder"));
  for (const r of due) line(`scheduled: pickup reminder to Julie at ${hhmm(r.dueAt.toISOString())} (${r.channel})`);
  exitCode = 0;
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
} finally {
  await server.close();
  await workers.close();
  await services.close();
  await resend.close();
}
process.exit(exitCode);
