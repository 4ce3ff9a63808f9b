/** `npm run demo`'s script (after the build `test:e2e` made): exits 0 with Julie's answer. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("the demo plays Julie's story (availability, hold, pickup reminder) and Léa's urgent WhatsApp", () => {
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
    expect(output).toMatch(/looked up: RF-2847-38 → 2 available/);
    expect(output).toMatch(/latency: received → reply handed over in \d+ ms/);
    // Julie says yes and will come at 17:00: the dress is held in Shopify until tomorrow 18:00, reminder at 16:00.
    expect(output).toContain("« Oui merci ! Je passe ce soir vers 17h ! »");
    expect(output).toContain("stock:     Robe Fleurie Bleue 38, available 2 → 1 (held in Shopify)");
    expect(output).toContain("t'attend en boutique jusqu'à demain 18h");
    expect(output).toContain("scheduled: pickup reminder to Julie at 16:00 (sms)");
    // Thursday 18:45, Léa on WhatsApp before her wedding: ETA given, parcel watched, Sarah told.
    expect(output).toContain("Thursday 18:45  Léa (+33677889900) → +33939035761, WhatsApp");
    expect(output).toMatch(/action: {4}tracking\.watch done .*FR987654321/);
    expect(output).toMatch(/→ Sarah: URGENT — Léa Martin/);
    expect(output).toContain("Livraison prévue demain (vendredi) avant 12h");
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
