/**
 * How often this machine stops a busy core, with nothing of ours running: `npm run bench:machine`.
 * Each thread spins for --seconds, reading the clock, and counts the gaps between two readings
 * longer than --gap-ms (the thread was not running). `npm run bench`'s long tails are measured
 * against this: on a shared 2-core machine, with both cores busy, each thread lost about 100 ms
 * about once a second (17 and 23 such gaps in 20 s), and none with one thread busy.
 * Options: --threads N (the machine's cores) --seconds S (20) --gap-ms G (5).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

interface Spin {
  seconds: number;
  gapMs: number;
}

/** The gaps (ms) longer than `gapMs` while spinning for `seconds`. */
function spin({ seconds, gapMs }: Spin): number[] {
  const gaps: number[] = [];
  const end = performance.now() + seconds * 1000;
  let last = performance.now();
  for (let now = last; now < end; now = performance.now()) {
    if (now - last > gapMs) gaps.push(now - last);
    last = now;
  }
  return gaps;
}

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: String(os.availableParallelism()) },
    seconds: { type: "string", default: "20" },
    "gap-ms": { type: "string", default: "5" },
  },
});
const threads = Number(args.threads);
const options: Spin = { seconds: Number(args.seconds), gapMs: Number(args["gap-ms"]) };
if (!Number.isInteger(threads) || threads < 1 || !(options.seconds > 0) || !(options.gapMs > 0)) throw new Error("--threads: a whole number ≥ 1; --seconds and --gap-ms: positive numbers");
const results = await Promise.all(
  Array.from(
    { length: threads },
    () =>
      new Promise<number[]>((resolve, reject) => {
        // The thread runs `spin` as plain JavaScript: a thread does not inherit tsx, which loads this file.
        const worker = new Worker(`require("node:worker_threads").parentPort.postMessage((${spin.toString()})(require("node:worker_threads").workerData))`, { eval: true, workerData: options });
        worker.once("message", resolve);
        worker.once("error", reject);
      }),
  ),
);
console.log(`${threads} busy thread(s) for ${options.seconds} s on ${os.availableParallelism()} cores; gaps over ${options.gapMs} ms:`);
results.forEach((gaps, i) => {
  const lost = gaps.reduce((a, b) => a + b, 0);
  const longest = [...gaps].sort((a, b) => b - a).slice(0, 5).map((g) => `${g.toFixed(1)} ms`);
  console.log(`  thread ${i + 1}: ${gaps.length} gaps, ${(lost / 1000).toFixed(2)} s lost${longest.length > 0 ? `, longest ${longest.join(", ")}` : ""}`);
});
