/**
 * The baseline for `npm run bench`: the least an inbound webhook can do — read the body, insert one
 * row in PostgreSQL, add one BullMQ job, answer 200 — on plain node:http, with the same database,
 * Redis and pool size as the app. No signature, no parsing, no dedupe, no shop lookup: the ratio
 * app/bare is what our edge costs on top of the unavoidable I/O.
 * Env: DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PORT.
 */
import http from "node:http";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";

const { DATABASE_URL, REDIS_URL = "redis://127.0.0.1:6379", QUEUE_PREFIX = "bench", PORT = "0" } = process.env;
if (!DATABASE_URL) throw new Error("bare-server needs DATABASE_URL");

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
await pool.query("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
const connection = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
const queue = new Queue("bench-bare", { connection, prefix: QUEUE_PREFIX });
await queue.waitUntilReady();

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    pool
      .query<{ id: string }>("INSERT INTO bench_bare (body) VALUES ($1) RETURNING id", [body])
      .then(({ rows }) => queue.add("bare", { id: rows[0]?.id }, { jobId: `bare-${rows[0]?.id}`, removeOnComplete: true }))
      .then(() => {
        res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "2" });
        res.end("ok");
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
});
server.listen(Number(PORT), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : PORT}`);
});
process.on("SIGTERM", () => {
  server.close();
  void Promise.all([queue.obliterate({ force: true }).catch(() => undefined)]).finally(() => {
    void queue.close().then(() => connection.disconnect());
    void pool.end();
  });
});
