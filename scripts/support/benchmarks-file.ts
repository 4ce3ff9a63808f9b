import fs from "node:fs";

/**
 * Writes `body` under `## heading` in BENCHMARKS.md, replacing that section when it is there (up to
 * the next `## `), adding it at the end otherwise: each benchmark script owns one section.
 */
export function writeBenchmarkSection(heading: string, body: string, file = "BENCHMARKS.md") {
  const section = `## ${heading}\n\n${body.trimEnd()}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const marker = `## ${heading}\n`;
  const start = current.indexOf(marker);
  if (start === -1) {
    fs.writeFileSync(file, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const next = current.indexOf("\n## ", start + marker.length);
  fs.writeFileSync(file, current.slice(0, start) + section + (next === -1 ? "" : current.slice(next)));
}
