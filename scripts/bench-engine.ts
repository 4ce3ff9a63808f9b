/**
 * `npm run bench:engine [messages]`: message received → reply handed to the channel, on embedded
 * defaults (in-memory PGlite, the sandbox shop, replies captured), over `messages` (default 300)
 * varied customer messages from the evaluation corpus — taken in turn from each theme file, each
 * on a fresh demo shop at the case's time, its earlier messages processed first and not timed.
 * Prints p50/p95/max for the whole path, the engine call and each step the engine records
 * (understand, decide, act, reply), and the understander alone on the same texts (its catalogue
 * index built once, as in a running process), as a Markdown table for the README.
 */
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { UnderstandContext } from "../app/conversation/contracts";
import { corpusFiles, loadCaseFiles, type EvalCase } from "./eval/cases";
import { createSandboxHarness, type Turn } from "./eval/sandbox-harness";
import { percentile } from "./eval/score";

const CORPUS_DIR = fileURLToPath(new URL("../eval/corpus", import.meta.url));
const WARMUP = 20;

const wanted = Number(process.argv[2] ?? 300);
if (!Number.isInteger(wanted) || wanted < 1) {
  console.error(`bench:engine: the number of messages must be a positive integer, got ${process.argv[2]}`);
  process.exit(2);
}

/** Round-robin over the theme files so every kind of message is in the sample. */
function sample(cases: readonly EvalCase[], n: number): EvalCase[] {
  const byFile = new Map<string, EvalCase[]>();
  for (const c of cases) byFile.set(c.source.file, [...(byFile.get(c.source.file) ?? []), c]);
  const queues = [...byFile.values()];
  const picked: EvalCase[] = [];
  for (let round = 0; picked.length < n && queues.some((q) => round < q.length); round++) {
    for (const queue of queues) {
      const c = queue[round];
      if (c && picked.length < n) picked.push(c);
    }
  }
  // Fewer cases than asked: go round again (each run is on a fresh shop, so repeats are independent).
  for (let i = 0; picked.length < n && picked.length > 0; i++) picked.push(picked[i] as EvalCase);
  return picked;
}

const cases = sample(loadCaseFiles(corpusFiles(CORPUS_DIR)), WARMUP + wanted);
const harness = await createSandboxHarness();
const turns: Turn[] = [];
const started = performance.now();
for (const [i, c] of cases.entries()) {
  const shop = await harness.openShop(`bench-${i + 1}`);
  const now = new Date(c.now);
  const send = (text: string) => shop.send({ channel: c.channel, from: c.from, text, ...(c.subject !== undefined ? { subject: c.subject } : {}) });
  for (const [j, earlier] of c.before.entries()) {
    harness.clock.set(new Date(now.getTime() - (c.before.length - j)));
    await send(earlier.text);
  }
  harness.clock.set(now);
  const turn = await send(c.text);
  if (i >= WARMUP) turns.push(turn);
  shop.dispose();
}
const elapsed = performance.now() - started;

// The understander alone, on the same texts: one catalogue, so its search index is built once.
const probe = await harness.openShop("bench-understand");
const catalogue = await probe.capabilities.inventory.listCatalogue();
const measured = cases.slice(WARMUP);
const understandOnly: number[] = [];
for (const [i, c] of [...cases.slice(0, WARMUP), ...measured].entries()) {
  const ctx: UnderstandContext = {
    catalogue,
    shopLanguage: "fr",
    now: new Date(c.now),
    timeZone: probe.timezone,
    channel: c.channel,
    subject: c.subject ?? null,
    pending: null,
  };
  const t0 = performance.now();
  harness.understander.understand(c.text, ctx);
  if (i >= WARMUP) understandOnly.push(performance.now() - t0);
}
probe.dispose();
await harness.close();

const errors = turns.filter((t) => t.error);
const handed = turns.flatMap((t) => (t.handedOverMs === null ? [] : [t.handedOverMs]));
const step = (key: "understandMs" | "decideMs" | "actMs" | "replyMs" | "totalMs") =>
  turns.flatMap((t) => (t.record ? [t.record.timings[key]] : []));
const rows: Array<[string, number[]]> = [
  ["received → reply handed to the channel", handed],
  ["handleInboundMessage (whole engine call)", turns.map((t) => t.latencyMs)],
  ["  understand (as the engine records it)", step("understandMs")],
  ["  decide (as the engine records it)", step("decideMs")],
  ["  act (as the engine records it)", step("actMs")],
  ["  reply (as the engine records it)", step("replyMs")],
  ["understander.understand alone (warm catalogue index)", understandOnly],
];
const ms = (n: number) => `${n.toFixed(1)} ms`;

console.log(
  `bench:engine — ${turns.length} messages from the corpus (after ${WARMUP} warm-up), embedded defaults ` +
    `(PGlite in memory, sandbox shop, no LLM), ${(elapsed / 1000).toFixed(1)} s in all\n`,
);
console.log("| measure | n | p50 | p95 | max |");
console.log("|---|---:|---:|---:|---:|");
for (const [label, values] of rows) {
  if (values.length === 0) continue;
  console.log(`| ${label.trim()} | ${values.length} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(Math.max(...values))} |`);
}
const noReply = turns.length - handed.length;
console.log(`\n${noReply} of ${turns.length} messages got no reply (opted out, handed over silently, or an error).`);
if (errors.length > 0) {
  console.log(`${errors.length} engine errors, e.g. ${errors[0]?.error}`);
  process.exitCode = 1;
}
