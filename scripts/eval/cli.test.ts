/**
 * `npm run eval` and `npm run chat` as a user runs them: separate processes, stdin piped, exit codes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

function run(script: string, args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, script), ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const tmp = mkdtempSync(path.join(tmpdir(), "eval-cli-"));
const write = (name: string, lines: unknown[]) => {
  const file = path.join(tmp, name);
  writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
};
const base = { now: "2026-01-12T10:15:00+01:00", channel: "sms", from: "+33645789012" };

describe("npm run eval", () => {
  it("runs a cases file, prints the summary and writes the results", async () => {
    const cases = write("two.jsonl", [
      { id: "cli-001", ...base, text: "Vous avez le trench camel en 40 ?", expect: { intent: "product_availability", replied: true } },
      { id: "cli-002", ...base, channel: "email", from: "julie.mercier@gmail.com", subject: "Horaires", text: "Vous ouvrez à quelle heure samedi ?", expect: {} },
    ]);
    const out = path.join(tmp, "result.json");
    const { code, stdout, stderr } = await run("scripts/eval.ts", ["--cases", cases, "--out", out]);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2 cases in /);
    expect(stdout).toMatch(/^intent\s+\d+%\s+\d\s+1$/m);
    expect(stdout).toMatch(/^two\s+2\s/m);
    const written = JSON.parse(readFileSync(out, "utf8")) as { cases: Array<{ id: string }>; summary: { cases: number; intentAccuracy: number | null } };
    expect(written.cases.map((c) => c.id)).toEqual(["cli-001", "cli-002"]);
    expect(written.summary.cases).toBe(2);
    expect(written.summary.intentAccuracy === 0 || written.summary.intentAccuracy === 1).toBe(true);
  });

  it("exits 2 and names file:line on a malformed case", async () => {
    const cases = write("bad.jsonl", [{ id: "cli-101", ...base, text: "ok" }, `{"id": "cli-102", "now": "demain", "channel": "sms"}`]);
    const { code, stdout, stderr } = await run("scripts/eval.ts", ["--cases", cases]);
    expect(code).toBe(2);
    expect(stderr).toContain(`bad.jsonl:2: "now" must be an ISO 8601 time`);
    expect(stdout).toBe("");
  });

  it("exits 2 on an unknown flag", async () => {
    const { code, stderr } = await run("scripts/eval.ts", ["--case", "x.jsonl"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: npm run eval/);
  });
});

describe("npm run chat", () => {
  it("converses with stdin piped: replies, what was understood, the clock and the holds", async () => {
    const input = ["Bonjour, le trench camel vous l'avez en 40 ?", "/now 2026-01-13T09:30:00+01:00", "/holds", "/quit", "never read"].join("\n");
    const { code, stdout, stderr } = await run("scripts/chat.ts", ["--from", "+33645789012", "--channel", "sms", "--now", "2026-01-12T10:15:00+01:00"], input);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toContain("Élégance Paris sandbox — sms from +33645789012");
    expect(stdout).toContain("you> Bonjour, le trench camel vous l'avez en 40 ?");
    expect(stdout).toMatch(/^shop> \S/m);
    expect(stdout).toMatch(/^ {2}understood: [a-z_]+ \([\d.]+\) · (fr|en)/m);
    expect(stdout).toMatch(/^ {2}lookup: inventory\.listCatalogue/m);
    expect(stdout).toMatch(/^ {2}clock: mar\. 13 janv\., 09:30/m);
    expect(stdout).toMatch(/^ {2}(no active holds|hold: )/m);
    expect(stdout).not.toContain("never read");
  });

  it("exits 2 on a bad --from", async () => {
    const { code, stderr } = await run("scripts/chat.ts", ["--from", "julie", "--channel", "sms"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--from must be an E.164 phone number on sms");
  });
});
