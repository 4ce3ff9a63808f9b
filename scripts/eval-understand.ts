/**
 * `npx tsx scripts/eval-understand.ts [--failures]`: the understand step alone on the evaluation
 * corpus's single-turn cases (no `before`), against the demo shop's catalogue as the Shopify plugin
 * reads it from the sandbox shop. Prints accuracy per field where the case expects it; the whole
 * engine's evaluation is `npm run eval`. Orders are scored where the message or subject states the
 * order (its digits appear); where the expected order comes from the sender's orders, which only the
 * engine knows, understand must answer null ("order not in text → null").
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChannelKind, Understanding } from "../app/conversation/contracts";
import { createUnderstander } from "../app/conversation/understand";
import { createManualClock } from "../app/lib/clock";
import { createShopifyInventory } from "../app/plugins/integrations/shopify/inventory.server";
import { createSandboxShop } from "../app/sandbox/sandbox-shop.server";
import { loadDemoShopSeed } from "../app/sandbox/store.server";

interface Case {
  id: string;
  now: string;
  channel: ChannelKind;
  subject?: string;
  before?: unknown[];
  text: string;
  expect: { intent?: string | string[]; language?: string; product?: string | null; size?: string | null; order?: string | null; quantity?: number | null };
}

const showFailures = process.argv.includes("--failures");
const dir = join(process.cwd(), "eval/corpus");
const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()
  .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Case))
  .filter((c) => !c.before);

const seed = loadDemoShopSeed();
const shop = createSandboxShop({ seed, clock: createManualClock(new Date(seed.now)) });
const catalogue = await createShopifyInventory({ admin: shop.adminClient() }).listCatalogue();
const started = performance.now();
const understander = createUnderstander();
const trainMs = performance.now() - started;

type Field = "intent" | "language" | "product" | "size" | "order" | "order not in text → null" | "quantity";
const tally = new Map<Field, { ok: number; total: number; failures: string[] }>();
function score(field: Field, ok: boolean, detail: string) {
  const t = tally.get(field) ?? { ok: 0, total: 0, failures: [] };
  t.total++;
  if (ok) t.ok++;
  else t.failures.push(detail);
  tally.set(field, t);
}

for (const c of cases) {
  const u: Understanding = understander.understand(c.text, {
    catalogue,
    shopLanguage: "fr",
    now: new Date(c.now),
    timeZone: "Europe/Paris",
    channel: c.channel,
    subject: c.subject ?? null,
  });
  const e = c.expect;
  const show = (got: unknown, want: unknown) => `${c.id}: got ${JSON.stringify(got)} want ${JSON.stringify(want)} — ${JSON.stringify(c.text.slice(0, 90))}`;
  if (e.intent !== undefined) {
    const accepted = Array.isArray(e.intent) ? e.intent : [e.intent];
    score("intent", accepted.includes(u.intent), show(`${u.intent} ${u.confidence}`, accepted));
  }
  if (e.language !== undefined) score("language", u.language === e.language, show(u.language, e.language));
  if ("product" in e) score("product", (u.product?.ref ?? null) === e.product, show(u.product?.ref ?? null, e.product));
  if ("size" in e) {
    const got = u.variant?.size ?? u.requestedSize;
    score("size", got === e.size, show(got, e.size));
  }
  if ("order" in e) {
    const digits = e.order?.replace("#", "") ?? null;
    const stated = digits === null || c.text.includes(digits) || (c.subject ?? "").includes(digits);
    score(stated ? "order" : "order not in text → null", u.orderName === (stated ? e.order : null), show(u.orderName, stated ? e.order : null));
  }
  if ("quantity" in e) score("quantity", u.quantity === e.quantity, show(u.quantity, e.quantity));
}

console.log(`understand on ${cases.length} single-turn cases (classifier trained in ${trainMs.toFixed(0)} ms)\n`);
console.log("field                      accuracy    ok/total");
for (const [field, t] of tally) {
  console.log(`${field.padEnd(26)} ${((100 * t.ok) / t.total).toFixed(1).padStart(6)} %   ${t.ok}/${t.total}`);
}
if (showFailures) {
  for (const [field, t] of tally) {
    if (t.failures.length === 0) continue;
    console.log(`\n${field}:`);
    for (const f of t.failures) console.log(`  ${f}`);
  }
}
