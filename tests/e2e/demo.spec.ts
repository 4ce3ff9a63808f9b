/** `npm run demo`'s script (after the build `test:e2e` made): exits 0 with Julie's answer. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("the demo plays Julie's question and prints a French answer with the live quantity", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "coccinelle-demo-"));
  try {
    const run = spawnSync("node_modules/.bin/tsx", ["scripts/demo.ts"], {
      env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 90_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toContain("« Bonjour, la robe fleurie bleue que vous avez postée hier, vous l'avez en taille 38 ? 😍 »");
    expect(output).toContain("« Bonjour Julie ! Oui, on a la Robe Fleurie Bleue en 38 ! Elle est à 89 €. Il nous en reste 2 en boutique.");
    expect(output).toMatch(/looked up: inventory\.availability .*"sku":"RF-2847-38","available":2/);
    expect(output).toMatch(/latency: received → reply handed over in \d+ ms/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
