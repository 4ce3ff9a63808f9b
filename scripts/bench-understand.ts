/**
 * `npm run bench:understand [rounds]`: how long understanding one message takes. Every text of the
 * evaluation corpus (492, single- and multi-turn) goes through one understander against the demo
 * shop's catalogue, `rounds` times (default 5) after one warm-up round; prints the classifier's
 * training time and p50 / p95 / max per message. Exits non-zero when p95 reaches 5 ms.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChannelKind } from "../app/conversation/contracts";
import { createUnderstander } from "../app/conversation/understand";
import { createManualClock } from "../app/lib/clock";
import { createShopifyInventory } from "../app/plugins/integrations/shopify/inventory.server";
import { createSandboxShop } from "../app/sandbox/sandbox-shop.server";
import { loadDemoShopSeed } from "../app/sandbox/store.server";

const rounds = Number(process.argv[2] ?? 5);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${process.argv[2]}`);

interface Case {
  now: string;
  channel: ChannelKind;
  subject?: string;
  text: string;
}
const dir = join(process.cwd(), "eval/corpus");
const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Case));

const seed = loadDemoShopSeed();
const shop = createSandboxShop({ seed, clock: createManualClock(new Date(seed.now)) });
const catalogue = await createShopifyInventory({ admin: shop.adminClient() }).listCatalogue();

const t0 = performance.now();
const understander = createUnderstander();
const trainMs = performance.now() - t0;

const times: number[] = [];
for (let round = 0; round <= rounds; round++) {
  for (const c of cases) {
    const start = performance.now();
    understander.understand(c.text, { catalogue, shopLanguage: "fr", now: new Date(c.now), timeZone: "Europe/Paris", channel: c.channel, subject: c.subject ?? null });
    const ms = performance.now() - start;
    if (round > 0) times.push(ms);
  }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
console.log(`createUnderstander (classifier training): ${trainMs.toFixed(0)} ms`);
console.log(`understand: ${cases.length} texts × ${rounds} rounds = ${times.length} messages`);
console.log(`p50 ${at(0.5).toFixed(3)} ms   p95 ${at(0.95).toFixed(3)} ms   max ${(times[times.length - 1] ?? 0).toFixed(3)} ms`);
if (at(0.95) >= 5) {
  console.error("p95 is 5 ms or more");
  process.exit(1);
}
