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
import { messages } from "../db/schema";
import type { MessageRecord } from "../app/conversation/record";
import { loadEnv } from "../app/env.server";
import { createOffsetClock } from "../app/lib/clock";
import { createLogger } from "../app/lib/logger.server";
import { createServices } from "../app/services.server";
import { redisAnswers } from "../jobs/queues.server";
import { startWorkers } from "../jobs/worker-runtime.server";
import { startHttpServer } from "../server/http";

const STORY = {
  at: "2026-01-12T10:15:00+01:00",
  from: "+33645789012",
  to: "+33939035761",
  text: "Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍",
};
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
  LOG_LEVEL: "warn",
});

const line = (s = "") => console.log(s);
line("Coccinelle demo — Élégance Paris, Monday 12 January 2026, 10:15 (Europe/Paris)");
line(`  database: PGlite (embedded) in ${path.relative(process.cwd(), dataDir)}/, migrated`);
line(
  useRedis
    ? `  queue:    BullMQ on Redis ${env.REDIS_URL}`
    : `  queue:    QUEUE=inline — ${baseEnv.QUEUE === "inline" ? "as asked" : `no Redis answers at ${baseEnv.REDIS_URL}`}: jobs run in this process`,
);

const clock = createOffsetClock(new Date(STORY.at));
const services = await createServices({ env, logger: createLogger({ level: env.LOG_LEVEL }), clock });
const workers = startWorkers(services);
const server = await startHttpServer({ services, port, mode: "build" });
line(`  app:      ${server.url} (sandbox shop ${[...services.sandboxShops.keys()].join(", ")}, SMS number ${STORY.to})`);
line("");

let exitCode = 1;
try {
  const url = `${services.publicUrl}/webhooks/channels/twilio`;
  const messageSid = `SM${randomBytes(16).toString("hex")}`;
  const params: Record<string, string> = {
    ToCountry: "FR",
    SmsMessageSid: messageSid,
    NumMedia: "0",
    SmsSid: messageSid,
    SmsStatus: "received",
    Body: STORY.text,
    FromCountry: "FR",
    To: STORY.to,
    NumSegments: "2",
    MessageSid: messageSid,
    AccountSid: DEMO_ACCOUNT_SID,
    From: STORY.from,
    ApiVersion: "2010-04-01",
  };
  const signature = twilio.getExpectedTwilioSignature(DEMO_AUTH_TOKEN, url, params);
  // Warm the HTTP path once (first use loads modules) so the timing below is the edge's own.
  await fetch(url, { method: "GET" });

  const sentAt = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
    body: new URLSearchParams(params).toString(),
  });
  const ackMs = performance.now() - sentAt;
  const ack = await response.text();
  line(`10:15  Julie (${STORY.from}) → ${STORY.to}, SMS`);
  line(`       « ${STORY.text} »`);
  line(`       webhook: HTTP ${response.status} in ${ackMs.toFixed(1)} ms, ${ack.includes("<Response></Response>") ? "empty TwiML" : ack}`);
  if (response.status !== 200) throw new Error(`the webhook refused the message (${response.status})`);

  const { db } = services;
  const [inbound] = await db.select().from(messages).where(eq(messages.providerMessageId, messageSid)).limit(1);
  if (!inbound) throw new Error("the message was not stored");
  const deadline = Date.now() + 30_000;
  let reply: typeof messages.$inferSelect | undefined;
  while (Date.now() < deadline) {
    [reply] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.shopId, inbound.shopId), eq(messages.inReplyTo, inbound.id)))
      .limit(1);
    if (reply && reply.status !== "pending") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const [handled] = await db.select().from(messages).where(eq(messages.id, inbound.id)).limit(1);
  const record = handled?.record as MessageRecord | null | undefined;
  if (record) {
    const product = record.understanding.entities.product as { title?: string; ref?: string } | null;
    line("");
    line(
      `       understood: ${record.understanding.intent} (${record.understanding.language}), ` +
        `product ${product ? `${product.title} [${product.ref}]` : "—"}, size ${String(record.understanding.entities.requestedSize ?? "—")}`,
    );
    for (const l of record.lookups) {
      line(`       looked up: ${l.tool} ${JSON.stringify(l.input)} → ${JSON.stringify(l.output)} (${l.ms} ms)`);
    }
    line(`       decided:   ${record.decision.kind} — ${record.decision.reason}`);
  }
  if (!reply || reply.status === "pending") throw new Error("no reply within 30 s");
  line("");
  line(`10:15  Coccinelle → Julie, SMS (${reply.status === "outbox" ? "outbox: no Twilio credentials, not sent" : reply.status})`);
  for (const l of reply.body.split("\n")) line(`       « ${l} »`);
  line("");
  line(
    `       latency: received → reply handed over in ${handled?.latencyMs ?? "?"} ms ` +
      `(engine ${record?.timings.totalMs ?? "?"} ms); webhook answered in ${ackMs.toFixed(1)} ms (a fresh process's first request)`,
  );
  exitCode = 0;
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
} finally {
  await server.close();
  await workers.close();
  await services.close();
}
process.exit(exitCode);
