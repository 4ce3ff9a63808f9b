/**
 * `npm run eval -- [--cases FILE.jsonl …] [--out RESULT.json] [--failing N]`: runs quality-evaluation
 * cases (../shared/eval/FORMAT.md) through the real engine on embedded defaults — one in-memory
 * PGlite database, a fresh sandbox shop per case, replies captured and never sent — and prints the
 * summary. With no `--cases`, runs every `eval/corpus/*.jsonl`.
 *
 * Exit codes: 0 after a run (scores are information, not a verdict), 2 on bad input (a malformed
 * case names its file:line).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CaseFormatError, corpusFiles, loadCaseFiles, type EvalCase } from "./eval/cases";
import { formatSummary } from "./eval/print";
import { runCases } from "./eval/run";

const CORPUS_DIR = fileURLToPath(new URL("../eval/corpus", import.meta.url));
const USAGE = "usage: npm run eval -- [--cases FILE.jsonl]… [--out RESULT.json] [--failing N]";

function badInput(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}

let args: { cases?: string[]; out?: string; failing?: string; help?: boolean };
try {
  ({ values: args } = parseArgs({
    options: {
      cases: { type: "string", multiple: true },
      out: { type: "string" },
      failing: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  badInput(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const maxFailing = args.failing === undefined ? 30 : Number(args.failing);
if (!Number.isInteger(maxFailing) || maxFailing < 0) badInput(`--failing takes a number, got ${args.failing}`);

const files = args.cases?.map((file) => path.resolve(file)) ?? corpusFiles(CORPUS_DIR);
let cases: EvalCase[];
try {
  cases = loadCaseFiles(files);
} catch (error) {
  if (error instanceof CaseFormatError) badInput(error.message);
  throw error;
}
if (cases.length === 0) badInput(`no cases in ${files.join(", ")}`);

const progress = process.stderr.isTTY
  ? (i: number, total: number) => process.stderr.write(`\r${i + 1}/${total} cases`)
  : () => undefined;
const output = await runCases(cases, { onCase: (_scored, i, total) => progress(i, total) });
if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");

console.log(formatSummary(output.summary, { maxFailing }));
if (args.out) {
  const out = path.resolve(args.out);
  writeFileSync(out, JSON.stringify({ cases: output.cases, summary: output.summary }, null, 2) + "\n");
  console.log(`\nresults: ${out}`);
}
