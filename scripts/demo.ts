/**
 * `npm run demo`: the first moment of the seeds' story, end to end on embedded defaults.
 * Monday 2026-01-12 10:15, Julie texts Élégance Paris; the real webhook route receives the signed
 * SMS over HTTP, the queue runs the engine against the sandbox shop, and the reply goes to the
 * outbox. Prints the transcript and exits 0 when Julie got an answer.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import { conversations, messages, scheduledMessages } from "../db/schema";
import type { MessageRecord } from "../app/conversation/record";
import { loadEnv } from "../app/env.server";
import { createOffsetClock } from "../app/lib/clock";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { redisAnswers } from "../jobs/queues.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "../server/http";

/** The seeds' first story, message by message (DESIGN §1: Julie and the dress she saw on Instagram). */
const SHOP_NUMBER = "+33939035761";
const JULIE = "+33645789012";
const DRESS_38 = "gid://shopify/ProductVariant/2002";
const STORY: Array<{ at: string; who: string; from: string; channel: "sms" | "whatsapp"; text: string }> = [
  { at: "2026-01-12T10:15:00+01:00", who: "Julie", from: JULIE, channel: "sms", text: "Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍" },
  { at: "2026-01-12T10:17:00+01:00", who: "Julie", from: JULIE, channel: "sms", text: "Oui merci ! Je passe ce soir vers 17h !" },
  // Thursday evening: Léa's parcel and her wedding on Saturday (answer, watch the parcel, tell Sarah).
  {
    at: "2026-01-15T18:45:00+01:00",
    who: "Léa",
    from: "+33677889900",
    channel: "whatsapp",
    text: "Bonjour, ma commande #2901 n'est toujours pas arrivée et c'est pour mon mariage SAMEDI !! Vous pouvez vérifier ?",
  },
];
const DEMO_AUTH_TOKEN = "demo_twilio_auth_token";
const DEMO_ACCOUNT_SID = "AC" + "0d3e0".repeat(6) + "00";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const baseEnv = loadEnv({ ...process.env, SHOPIFY_SANDBOX: "1" });
const dataDir = path.resolve(baseEnv.DATA_DIR, "demo");
fs.rmSync(dataDir, { recursive: true, force: true }); // the story starts from a fresh shop every time
const port = await freePort();
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
const workers = startWorkers(services);
const server = await startHttpServer({ services, port, mode: "build" });
line(`  app:      ${server.url} (sandbox shop ${[...services.sandboxShops.keys()].join(", ")}, SMS number ${SHOP_NUMBER})`);
line("");

let exitCode = 1;
const hhmm = (iso: string) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
try {
  const urls = { sms: `${services.publicUrl}/webhooks/channels/twilio`, whatsapp: `${services.publicUrl}/webhooks/channels/twilio-whatsapp` };
  const url = urls.sms;
  const { db } = services;
  const [domain] = services.sandboxShops.keys();
  const caps = await services.engine.capabilities(domain ?? "");
  // Warm the HTTP path once (first use loads modules) so the timing below is the edge's own.
  await fetch(url, { method: "GET" });

  for (const step of STORY) {
    clock.set(new Date(step.at));
    const stockBefore = (await caps.inventory.availability(DRESS_38)).available;
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
    const stepUrl = urls[step.channel];
    const signature = twilio.getExpectedTwilioSignature(DEMO_AUTH_TOKEN, stepUrl, params);
    const sentAt = performance.now();
    const response = await fetch(stepUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: new URLSearchParams(params).toString(),
    });
    const ackMs = performance.now() - sentAt;
    const ack = await response.text();
    const day = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "long" }).format(new Date(step.at));
    const channelName = step.channel === "whatsapp" ? "WhatsApp" : "SMS";
    line(`${day} ${hhmm(step.at)}  ${step.who} (${step.from}) → ${SHOP_NUMBER}, ${channelName}`);
    line(`       « ${step.text} »`);
    line(`       webhook: HTTP ${response.status} in ${ackMs.toFixed(1)} ms, ${ack.includes("<Response></Response>") ? "empty TwiML" : ack}`);
    if (response.status !== 200) throw new Error(`the webhook refused the message (${response.status})`);

    const [inbound] = await db.select().from(messages).where(eq(messages.providerMessageId, messageSid)).limit(1);
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
      line("");
      line(
        `       understood: ${record.understanding.intent} (${record.understanding.language}, confidence ${record.understanding.confidence})` +
          (product ? `, product ${product.title} [${product.ref}]` : "") +
          (record.understanding.entities.requestedSize ? `, size ${String(record.understanding.entities.requestedSize)}` : "") +
          (visitAt ? `, visit at ${hhmm(visitAt)}` : ""),
      );
      for (const l of record.lookups.filter((x) => x.tool === "inventory.availability")) {
        line(`       looked up: ${String(l.output.sku)} → ${String(l.output.available)} available (${l.ms} ms)`);
      }
      line(`       decided:   ${record.decision.kind} — ${record.decision.reason}`);
      for (const a of record.actions) line(`       action:    ${a.type} ${a.status} ${JSON.stringify(a.details)}`);
    }
    const stockAfter = (await caps.inventory.availability(DRESS_38)).available;
    if (stockAfter !== stockBefore) line(`       stock:     Robe Fleurie Bleue 38, available ${stockBefore} → ${stockAfter} (held in Shopify)`);
    if (!reply || reply.status === "pending") throw new Error("no reply within 30 s");
    line("");
    line(`${day} ${hhmm(step.at)}  Coccinelle → ${step.who}, ${channelName} (${reply.status === "outbox" ? "outbox: no Twilio credentials, not sent" : reply.status})`);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, inbound.conversationId)).limit(1);
    if (conversation?.status === "needs_merchant" && conversation.escalation) {
      line(`       → Sarah: ${conversation.escalation.urgent ? "URGENT — " : ""}${conversation.escalation.summary}`);
      for (const c of conversation.escalation.checked) line(`         checked: ${c}`);
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
}
process.exit(exitCode);
