/**
 * `npm run bench` (after the build the npm script runs): the channel layer under load, on
 * PostgreSQL + Redis, as deployed — the web process (`server/main.ts`, RUN_WORKER=0) and a worker
 * process (`jobs/worker.ts`) side by side, Twilio replaced by a local fake in its own process (scripts/bench/fake-twilio.ts).
 * The worker runs at idle priority (--worker-priority): on one machine the edge comes first, since the
 * provider waits on its answer while replies wait in the queue.
 *   1. signed inbound SMS webhooks, the most per second (closed loop, --concurrency at a time), and
 *      the latency at a steady --rate per second (open loop), with the worker answering them;
 *   2. then the same loads on a bare insert + enqueue server (scripts/bench/bare-server.ts), running
 *      only for them: the ratio is our overhead;
 *   3. message → reply handed to the provider, p50/p95, at a steady 50 messages/s;
 *   4. 10,000 scheduled messages armed as delayed jobs: lateness of their handling (max, p99).
 * Requests are signed and serialised beforehand and sent on raw keep-alive sockets
 * (scripts/bench/http-load.ts): the load generator shares the cores with what it measures.
 * Prints a Markdown table and writes it to BENCHMARKS.md.
 * Options: --webhooks N (5000) --concurrency C (32) --rate R (1000) --rate-seconds S (10) --rate-warmup-seconds S (2)
 * --steady-seconds S (20) --scheduled N (10000) --scheduled-rate R (100 due per second)
 * --worker-priority idle|N (idle) --no-write
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { freePort } from "./support/free-port";
import { writeBenchmarkSection } from "./support/benchmarks-file";
import os from "node:os";
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import twilio from "twilio";
import { percentile } from "./eval/score";
import { runLoad, runRate, serialise, slowestWindows, type LoadResult } from "./bench/http-load";
import { createTestDatabase } from "../tests/integration/support/databases";

const { values: args } = parseArgs({
  options: {
    webhooks: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "32" },
    "steady-seconds": { type: "string", default: "20" },
    scheduled: { type: "string", default: "10000" },
    /** Scheduled messages falling due per second. */
    "scheduled-rate": { type: "string", default: "100" },
    /** Webhooks per second of the latency run, and its length. */
    rate: { type: "string", default: "1000" },
    "rate-seconds": { type: "string", default: "10" },
    /** Seconds at that rate before the measured ones (sent, timed apart): the step from idle is not the steady state. */
    "rate-warmup-seconds": { type: "string", default: "2" },
    "no-write": { type: "boolean", default: false },
    /** Diagnosis: write the web and worker processes' CPU profiles (node --cpu-prof) into this folder. */
    profile: { type: "string" },
    /**
     * The worker's CPU priority, for all its threads: "idle" (Linux SCHED_IDLE, `chrt --idle`: it
     * runs when nothing else wants the CPU) or a nice level (0 = the web's priority). On a machine
     * shared by web and worker the edge comes first: the provider waits on its answer, while
     * replies are queued to be drained. The database's and Redis's work for the worker is not
     * lowered by this: they serve every client alike.
     */
    "worker-priority": { type: "string", default: "idle" },
    /** Diagnosis: the webhook phases without a worker process. */
    "no-worker": { type: "boolean", default: false },
    /** Diagnosis: stop after the webhook phases (the worker still runs during them). */
    "webhooks-only": { type: "boolean", default: false },
  },
});
const WEBHOOKS = Number(args.webhooks);
const CONCURRENCY = Number(args.concurrency);
const STEADY_SECONDS = Number(args["steady-seconds"]);
const SCHEDULED = Number(args.scheduled);
const SCHEDULED_RATE = Number(args["scheduled-rate"]);
const WORKER_PRIORITY = args["worker-priority"] === "idle" ? "idle" : Number(args["worker-priority"]);
if (WORKER_PRIORITY !== "idle" && !Number.isInteger(WORKER_PRIORITY)) throw new Error(`--worker-priority: "idle" or a nice level, got ${args["worker-priority"]}`);
const RATE = Number(args.rate);
const RATE_SECONDS = Number(args["rate-seconds"]);
const RATE_WARMUP_SECONDS = Number(args["rate-warmup-seconds"]);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const SHOP_NUMBER = "+33939035761";
const SMS_PATH = "/webhooks/channels/twilio";
const TWILIO = { sid: "AC" + "be".repeat(16), token: "bench_twilio_auth_token" };
const PREFIX = `coccinelle-bench-${process.pid}`;
const TEXTS = [
  "Bonjour, vous avez la robe fleurie bleue en 38 ?",
  "Vous ouvrez à quelle heure samedi ?",
  "Le blazer beige existe en 40 ?",
  "Merci beaucoup !",
  "Vous êtes où exactement ?",
];


/** Starts `script` in its own Node process (one process: its priority is the one set here). */
function start(name: string, script: string, env: Record<string, string>, ready: RegExp, options: { profileDir?: string; priority?: "idle" | number } = {}): Promise<ChildProcess & { ready: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] : [];
    // Set by the command that starts it, so that every thread of the process has it (setpriority
    // on a running process's pid changes its main thread only, on Linux).
    const priority = options.priority === undefined ? [] : options.priority === "idle" ? ["chrt", "--idle", "0"] : ["nice", "-n", String(options.priority)];
    const [command = process.execPath, ...rest] = [...priority, process.execPath, "--import", "tsx", ...profile, script];
    const child = spawn(command, rest, { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const matched = ready.exec(output);
      if (matched) {
        clearTimeout(timer);
        // From here on the output is drained unread: matching a growing log on every line would
        // spend the load generator's CPU, on the same cores as the processes it measures.
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Object.assign(child, { ready: matched }));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

const phone = (i: number) => `+336${String(10_000_000 + i).padStart(8, "0")}`;

function signedSms(url: string, from: string, body: string): { headers: Record<string, string>; body: string } {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: TWILIO.sid, From: from, To: SHOP_NUMBER, Body: body, NumMedia: "0", ApiVersion: "2010-04-01" };
  return {
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio.getExpectedTwilioSignature(TWILIO.token, url, params) },
    body: new URLSearchParams(params).toString(),
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const database = await createTestDatabase("postgres");
const [appPort, barePort] = [await freePort(), await freePort()];
const appUrl = `http://127.0.0.1:${appPort}`;
// The URL Twilio is given and signs, as deployed: https on the default port, behind which the
// requests reach our local port. With a port in it, the SDK's check (twilio.validateRequest) first
// tries the URL without its port, so every webhook cost two HMACs instead of the one it costs a
// deployed app (about 4% of the web's busy time in a CPU profile of this bench).
const publicUrl = "https://coccinelle-bench.example";
const children: ChildProcess[] = [];
// Twilio's servers are not on our machine: their stand-in runs off the load generator's event loop.
const fakeTwilio = await start("fake twilio", "scripts/bench/fake-twilio.ts", { TWILIO_ACCOUNT_SID: TWILIO.sid, TWILIO_AUTH_TOKEN: TWILIO.token }, /listening (\S+)/);
children.push(fakeTwilio);
const env = {
  DATABASE_URL: database.env.DATABASE_URL ?? "",
  DATA_DIR: database.env.DATA_DIR,
  REDIS_URL,
  QUEUE: "redis",
  QUEUE_PREFIX: PREFIX,
  SHOPIFY_SANDBOX: "1",
  // Both processes on the machine's clock, so that due times mean the same thing to each.
  SANDBOX_NOW: "now",
  PORT: String(appPort),
  SHOPIFY_APP_URL: publicUrl,
  TWILIO_ACCOUNT_SID: TWILIO.sid,
  TWILIO_AUTH_TOKEN: TWILIO.token,
  TWILIO_API_BASE_URL: fakeTwilio.ready[1] ?? "",
  LOG_LEVEL: "warn",
};
// Open until the end (idleTimeoutMillis 0): closed when idle, its connections would exit during a measured run (see the baseline below).
const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4, idleTimeoutMillis: 0 });
let exitCode = 1;
/** Thrown to skip the phases after the webhook ones (--no-worker, --webhooks-only), cleaning up as usual. */
const STOP_AFTER_WEBHOOKS = new Error("stop after the webhook phases");
try {
  children.push(await start("web", "server/main.ts", { ...env, RUN_WORKER: "0", LOG_LEVEL: "info" }, /"listening"/, { profileDir: args.profile }));
  if (!args["no-worker"]) children.push(await start("worker", "jobs/worker.ts", { ...env, LOG_LEVEL: "info" }, /"worker started"/, { profileDir: args.profile, priority: WORKER_PRIORITY }));
  const smsUrl = `${appUrl}${SMS_PATH}`;
  const signedUrl = `${publicUrl}${SMS_PATH}`;
  console.log(`bench: ${os.cpus().length} cores, PostgreSQL ${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//")}, Redis ${REDIS_URL}, web + worker + bare server as separate processes`);

  // Requests are signed and serialised before the clock starts: the load generator shares the cores with what it measures.
  const smsRequests = (count: number, from: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => serialise(`127.0.0.1:${appPort}`, { method: "POST", path: SMS_PATH, ...signedSms(signedUrl, from(i), TEXTS[i % TEXTS.length] ?? "") }));
  const bareRequests = (signed: Buffer[]) => signed.map((request) => serialise(`127.0.0.1:${barePort}`, { method: "POST", path: "/bare", headers: {}, body: request.subarray(request.indexOf("\r\n\r\n") + 4).toString("utf8") }));
  const summary = (result: LoadResult) => {
    const failures = Object.values(result.statuses).reduce((a, b) => a + b, 0);
    const warmup = result.warmupLatencies ?? [];
    const slowest = slowestWindows(result.timeline ?? []).map((w) => `${round(w.fromMs / 1000)} s: ${round(w.maxMs, 0)} ms`).join(", ");
    return { perSecond: result.perSecond, p50: percentile(result.latencies, 50), p99: percentile(result.latencies, 99), warmupP99: warmup.length > 0 ? percentile(warmup, 99) : null, failures, statuses: result.statuses, slowest };
  };
  const most = async (port: number, requests: Buffer[]) => summary(await runLoad({ host: "127.0.0.1", port, requests, concurrency: CONCURRENCY }));
  const atRate = async (port: number, requests: Buffer[]) => summary(await runRate({ host: "127.0.0.1", port, requests, ratePerSecond: RATE, connections: 64, warmupMs: RATE_WARMUP_SECONDS * 1000 }));

  // Our edge first. Warm it (module loading, JIT, pools): new customers and known ones, as measured.
  const warm = smsRequests(2000, (i) => phone(900_000 + (i % 1000)));
  await most(appPort, warm);
  // 1: the most webhooks per second, CONCURRENCY at a time.
  const signed = smsRequests(WEBHOOKS, (i) => phone(i % 2000));
  const ours = await most(appPort, signed);
  // 2: latency at a steady RATE per second (open loop), customers known and new.
  const paced = smsRequests(RATE * (RATE_WARMUP_SECONDS + RATE_SECONDS), (i) => phone(i % 4000));
  const oursAtRate = await atRate(appPort, paced);

  // Then the same loads on the bare baseline, in a process started for them and stopped after
  // them. A process's pool closes the connections it has left idle for 10 s (node-postgres's
  // default) all at once, and the ten PostgreSQL backends the baseline's closed-loop run opens,
  // exiting together, stalled the machine: run between ours, they put a stall 9.7 s into every
  // steady run of ours, whatever the load before it (the backends' exits and the web's event loop
  // lagging 70-110 ms at the same moment; gone once the baseline's connections stayed open).
  const bareServer = await start("bare", "scripts/bench/bare-server.ts", { DATABASE_URL: env.DATABASE_URL, REDIS_URL, QUEUE_PREFIX: PREFIX, PORT: String(barePort) }, /listening/);
  children.push(bareServer);
  await most(barePort, bareRequests(warm));
  const bare = await most(barePort, bareRequests(signed));
  const bareAtRate = await atRate(barePort, bareRequests(paced));
  await stop(bareServer);
  for (const [what, result] of [["most", ours], ["at rate", oursAtRate]] as const) {
    if (result.failures > 0) throw new Error(`the edge answered ${JSON.stringify(result.statuses)} to signed webhooks (${what})`);
  }
  console.log(`webhooks: ours ${round(ours.perSecond, 0)}/s, at ${RATE}/s p50 ${round(oursAtRate.p50)} ms p99 ${round(oursAtRate.p99)} ms (warm-up p99 ${round(oursAtRate.warmupP99 ?? 0)}); bare ${round(bare.perSecond, 0)}/s, at ${RATE}/s p50 ${round(bareAtRate.p50)} p99 ${round(bareAtRate.p99)} (warm-up p99 ${round(bareAtRate.warmupP99 ?? 0)})`);
  // Where the tail comes from (a stall shows as neighbouring windows): printed, not written to BENCHMARKS.md.
  console.log(`slowest 100 ms windows at ${RATE}/s, from the start of the run: ours ${oursAtRate.slowest}; bare ${bareAtRate.slowest}`);
  if (args["no-worker"] || args["webhooks-only"]) throw STOP_AFTER_WEBHOOKS;

  // Let the worker answer the backlog before the steady run.
  for (;;) {
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE direction = 'inbound' AND status <> 'processed'");
    if (Number(rows[0]?.n ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }

  // 3: 50 messages/s from new customers; latency = reply handed to Twilio − webhook sent.
  const steady: Array<{ from: string; sentAt: number }> = [];
  const total = 50 * STEADY_SECONDS;
  const t0 = Date.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + i * 20;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const from = phone(500_000 + i);
    steady.push({ from, sentAt: Date.now() });
    inflight.push(fetch(smsUrl, { method: "POST", ...signedSms(signedUrl, from, TEXTS[i % TEXTS.length] ?? "") }).then((r) => r.arrayBuffer()));
  }
  await Promise.all(inflight);
  const handed: number[] = [];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ to_address: string; sent_at: Date }>(
      "SELECT to_address, sent_at FROM messages WHERE direction = 'outbound' AND sent_at IS NOT NULL AND to_address = ANY($1)",
      [steady.map((s) => s.from)],
    );
    if (rows.length >= total) {
      const sentAt = new Map(steady.map((s) => [s.from, s.sentAt]));
      for (const row of rows) handed.push(row.sent_at.getTime() - (sentAt.get(row.to_address) ?? 0));
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`steady 50/s: ${handed.length}/${total} replies, p50 ${round(percentile(handed, 50))} ms p95 ${round(percentile(handed, 95))} ms`);

  // 4: scheduled messages, stored and armed the way the app does (row, then a delayed job per row).
  const lateness = await scheduledLateness(db, SCHEDULED, SCHEDULED_RATE);
  console.log(`scheduled: ${lateness.handled}/${SCHEDULED} handled, lateness p50 ${lateness.p50} ms p99 ${lateness.p99} ms max ${lateness.max} ms`);

  const table = [
    "| measure | result | target |",
    "|---|---|---|",
    `| signed inbound SMS webhooks, the most per second (${WEBHOOKS}, ${CONCURRENCY} at a time) | ${round(ours.perSecond, 0)}/s | ≥ 1,000/s |`,
    `| the same at a steady ${RATE}/s for ${RATE_SECONDS} s, after ${RATE_WARMUP_SECONDS} s at that rate (open loop; latency from when each was due) | p50 ${round(oursAtRate.p50)} ms, p99 ${round(oursAtRate.p99)} ms, ${round(oursAtRate.perSecond, 0)}/s achieved; the first ${RATE_WARMUP_SECONDS} s p99 ${round(oursAtRate.warmupP99 ?? 0)} ms | p99 < 50 ms |`,
    `| bare insert + enqueue, same loads | ${round(bare.perSecond, 0)}/s; at ${RATE}/s p50 ${round(bareAtRate.p50)} ms, p99 ${round(bareAtRate.p99)} ms; the first ${RATE_WARMUP_SECONDS} s p99 ${round(bareAtRate.warmupP99 ?? 0)} ms | — |`,
    `| ours / bare | p99 at ${RATE}/s ${round(oursAtRate.p99 / bareAtRate.p99, 2)}×; throughput ${round(bare.perSecond / ours.perSecond, 2)}× | ≤ 3× |`,
    `| message → reply handed to Twilio at 50 msg/s for ${STEADY_SECONDS} s | p50 ${round(percentile(handed, 50))} ms, p95 ${round(percentile(handed, 95))} ms (${handed.length}/${total}) | p95 < 300 ms |`,
    `| ${SCHEDULED} scheduled messages due at ${SCHEDULED_RATE}/s, lateness of their sending (sent or deferred by quiet hours) | p50 ${lateness.p50} ms, p99 ${lateness.p99} ms, max ${lateness.max} ms (${lateness.handled} handled) | p99 < 1 s |`,
  ].join("\n");
  console.log(`\n${table}`);
  if (!args["no-write"]) writeBenchmarks(table);
  exitCode = 0;
} catch (error) {
  if (error === STOP_AFTER_WEBHOOKS) exitCode = 0;
  else console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await Promise.all(children.map(stop));
  const cleanup = new Redis(REDIS_URL);
  for (const name of ["conversation", "tracking", "scheduled", "bench-bare"]) {
    await new Queue(name, { connection: cleanup, prefix: PREFIX }).obliterate({ force: true }).catch(() => undefined);
  }
  cleanup.disconnect();
  await db.end();
  await database.drop();
}
process.exit(exitCode);

/**
 * `count` scheduled messages (thank-you notes to as many customers) falling due at `perSecond`, each armed as a `scheduled.send` delayed job; lateness = when the worker
 * handled it (sent, or deferred by quiet hours: a decision taken on time) − when it was due.
 */
async function scheduledLateness(pool: pg.Pool, count: number, perSecond: number) {
  const { rows: shopRows } = await pool.query<{ id: string }>("SELECT id FROM shops WHERE domain = 'elegance-paris.myshopify.com'");
  const shopId = shopRows[0]?.id;
  if (!shopId) throw new Error("no shop installed");
  const now = Date.now();
  const spreadMs = (count / perSecond) * 1000;
  const startIn = 5_000;
  const ids: Array<{ id: string; dueAt: Date }> = [];
  for (let offset = 0; offset < count; offset += 1000) {
    const batch = Math.min(1000, count - offset);
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = 0; i < batch; i++) {
      const n = offset + i;
      params.push(shopId, phone(700_000 + n), new Date(now));
      values.push(`($${params.length - 2}, $${params.length - 1}, $${params.length}, $${params.length})`);
    }
    const { rows: customerRows } = await pool.query<{ id: string }>(`INSERT INTO customers (shop_id, phone, created_at, updated_at) VALUES ${values.join(", ")} RETURNING id`, params);
    const rowValues: string[] = [];
    const rowParams: unknown[] = [];
    customerRows.forEach((customer, i) => {
      const n = offset + i;
      const dueAt = new Date(now + startIn + (n / count) * spreadMs);
      rowParams.push(shopId, customer.id, dueAt, `bench-order-${n}`, JSON.stringify({ orderName: `#B${n}`, lines: [{ title: "Robe Fleurie Bleue", variantTitle: "38", quantity: 1 }] }), new Date(now));
      const p = rowParams.length;
      rowValues.push(`($${p - 5}, $${p - 4}, 'thank_you', 'sms', $${p - 3}, 'scheduled', 'order', $${p - 2}, $${p - 1}::jsonb, $${p}, $${p})`);
    });
    const { rows } = await pool.query<{ id: string; due_at: Date }>(
      `INSERT INTO scheduled_messages (shop_id, customer_id, type, channel, due_at, status, cause_type, cause_id, payload, created_at, updated_at) VALUES ${rowValues.join(", ")} RETURNING id, due_at`,
      rowParams,
    );
    for (const row of rows) ids.push({ id: row.id, dueAt: row.due_at });
  }
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("scheduled", { connection, prefix: PREFIX });
  for (let i = 0; i < ids.length; i += 500) {
    await queue.addBulk(
      ids.slice(i, i + 500).map((row) => ({
        name: "scheduled.send",
        data: { shopId, scheduledMessageId: row.id, dueAt: row.dueAt.toISOString() },
        opts: { jobId: `scheduled:${row.id}:${row.dueAt.getTime()}`, delay: Math.max(0, row.dueAt.getTime() - Date.now()), removeOnComplete: true },
      })),
    );
  }
  await queue.close();
  connection.disconnect();
  const until = now + startIn + spreadMs + 30_000;
  // Lateness from the time each was armed for: a message deferred by quiet hours has a new due_at (the next morning).
  const armedFor = new Map(ids.map((row) => [row.id, row.dueAt.getTime()]));
  let handled: Array<{ late: number }> = [];
  while (Date.now() < until) {
    const { rows } = await pool.query<{ id: string; decided: string | null }>(
      "SELECT id, payload->'decision'->>'at' AS decided FROM scheduled_messages WHERE cause_id LIKE 'bench-order-%' AND payload ? 'decision'",
    );
    handled = rows.map((r) => ({ late: Date.parse(r.decided ?? "") - (armedFor.get(r.id) ?? Number.NaN) }));
    if (handled.length >= count) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const late = handled.map((h) => h.late);
  return { handled: handled.length, p50: round(percentile(late, 50), 0), p99: round(percentile(late, 99), 0), max: round(Math.max(0, ...late), 0) };
}

function writeBenchmarks(table: string) {
  writeBenchmarkSection(
    "Channels (`npm run bench`)",
    `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${os.cpus().length} cores), PostgreSQL + Redis, web and worker as separate processes (the worker at ${WORKER_PRIORITY === "idle" ? "idle priority, SCHED_IDLE" : `nice ${WORKER_PRIORITY}`}):\n\n${table}\n\nReproduce: \`npm run bench\` (options: \`--webhooks N --concurrency C --rate R --rate-seconds S --rate-warmup-seconds S --steady-seconds S --scheduled N --scheduled-rate R --worker-priority idle|N --no-write\`).`,
  );
}
