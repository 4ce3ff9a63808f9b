/**
 * The evaluation summary as text: accuracy per metric, then per corpus file, then the failing
 * cases with what differed.
 */
import type { MetricScore, Summary, SummaryMetric } from "./score";

const METRIC_ROWS: Array<[SummaryMetric, string]> = [
  ["intent", "intent"],
  ["language", "language"],
  ["entities", "entities (all)"],
  ["product", "  product"],
  ["size", "  size"],
  ["quantity", "  quantity"],
  ["order", "  order"],
  ["customerName", "  customerName"],
  ["replied", "replied"],
  ["escalated", "escalated"],
  ["actions", "actions"],
  ["reservations", "reservations"],
  ["scheduled", "scheduled"],
  ["replyIncludes", "replyIncludes"],
  ["replyExcludes", "replyExcludes"],
  ["forbidActions", "forbidActions"],
  ["safety", "safety"],
  ["all", "cases fully right"],
];

const FILE_COLUMNS: Array<[SummaryMetric, string]> = [
  ["all", "all ok"],
  ["intent", "intent"],
  ["entities", "entities"],
  ["replied", "replied"],
  ["escalated", "escal."],
  ["actions", "actions"],
  ["replyIncludes", "incl."],
  ["replyExcludes", "excl."],
  ["safety", "safety"],
];

const pct = (s: MetricScore) => (s.accuracy === null ? "—" : `${Math.round(s.accuracy * 100)}%`);

function table(header: string[], rows: string[][], alignLeft = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < alignLeft ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
}

export function formatSummary(summary: Summary, options: { maxFailing?: number } = {}): string {
  const maxFailing = options.maxFailing ?? 30;
  const out: string[] = [];
  out.push(
    `${summary.cases} cases in ${(summary.durationMs / 1000).toFixed(1)} s — engine latency p50 ${summary.latencyMs.p50} ms, ` +
      `p95 ${summary.latencyMs.p95} ms, max ${summary.latencyMs.max} ms${summary.errors ? ` — ${summary.errors} engine errors` : ""}`,
    "",
  );
  out.push(
    ...table(
      ["metric", "accuracy", "passed", "checked"],
      METRIC_ROWS.map(([metric, label]) => {
        const s = summary.metrics[metric];
        return [label, pct(s), String(s.passed), String(s.checked)];
      }),
    ),
  );
  out.push("");
  const files = Object.entries(summary.files);
  out.push(
    ...table(
      ["file", "cases", ...FILE_COLUMNS.map(([, label]) => label)],
      [
        ...files.map(([file, group]) => [file.replace(/\.jsonl$/, ""), String(group.cases), ...FILE_COLUMNS.map(([m]) => pct(group.metrics[m]))]),
        ["all", String(summary.cases), ...FILE_COLUMNS.map(([m]) => pct(summary.metrics[m]))],
      ],
    ),
  );
  if (summary.failing.length > 0) {
    out.push("", `failing cases: ${summary.failing.length}${summary.failing.length > maxFailing ? ` (first ${maxFailing})` : ""}`);
    for (const failure of summary.failing.slice(0, maxFailing)) {
      out.push(`  ${failure.id} (${failure.where})`);
      for (const difference of failure.differences) out.push(`      ${difference}`);
    }
  }
  return out.join("\n");
}
