/** The logger's default output: lines of one turn of the event loop leave in one write, in order, and nothing is left behind. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createLogger, stderrByTurn } from "./logger.server";

describe("stderrByTurn", () => {
  it("writes the lines of one turn together, in order, after the turn", async () => {
    const writes: string[] = [];
    const exitListeners = process.listenerCount("exit");
    const logger = createLogger({ level: "info", bindings: { process: "web" }, write: stderrByTurn({ write: (chunk: string) => writes.push(chunk) > 0 }) });
    logger.info("first", { n: 1 });
    logger.child({ edge: "channel-webhook" }).warn("second");
    logger.debug("below the level");
    expect(writes).toEqual([]);
    expect(process.listenerCount("exit")).toBe(exitListeners + 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    // Nothing pending, nothing left listening: many loggers do not pile up exit listeners.
    expect(process.listenerCount("exit")).toBe(exitListeners);
    const lines = writes[0]?.split("\n") ?? [];
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: "info", msg: "first", n: 1, process: "web" }),
      expect.objectContaining({ level: "warn", msg: "second", edge: "channel-webhook", process: "web" }),
    ]);
    logger.error("next turn");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[1] ?? "")).toMatchObject({ msg: "next turn" });
  });

  it("writes what is left when the process exits in the same turn (a crash's last lines)", () => {
    const script = `import { createLogger } from "./app/lib/logger.server.ts";
      const logger = createLogger({ level: "info" });
      logger.info("before exit", { n: 1 });
      logger.error("fatal");
      process.exit(3);`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(3);
    expect(run.stderr.trim().split("\n").map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["before exit", "fatal"]);
  });
});
