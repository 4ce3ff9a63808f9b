/** `npm run demo`'s script (after the build `test:e2e` made): exits 0 with Julie's answer. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("the demo plays the four stories: Julie's hold, Emma's exchange email, Léa's urgent WhatsApp, Marine's styling email", () => {
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
    // Monday 14:30, Emma's exchange email: the 38 reserved for her, two options, threaded under her email.
    expect(output).toContain("Monday 14:30  Emma (emma.rousseau@example.com) → hello@elegance-paris.com, email");
    expect(output).toMatch(/understood: exchange_request .*size 38, order #2847/);
    expect(output).toContain("stock:     Pantalon Noir Taille Haute 38, available 3 → 2 (held in Shopify)");
    expect(output).toMatch(/subject: Re: Échange pantalon noir - Commande #2847 \(In-Reply-To <[^>]+>, HTML \+ text\)/);
    expect(output).toContain("« Option 1 - Échange en boutique (gratuit) »");
    expect(output).toContain("« Option 2 - Échange par courrier (4,90 €) »");
    // Thursday 18:45, Léa on WhatsApp before her wedding: ETA given, parcel watched, Sarah told.
    expect(output).toContain("Thursday 18:45  Léa (+33677889900) → +33939035761, WhatsApp");
    expect(output).toMatch(/action: {4}tracking\.watch done .*FR987654321/);
    expect(output).toMatch(/→ Sarah: URGENT — Léa Martin/);
    expect(output).toContain("Livraison prévue demain (vendredi) avant 12h");
    // Friday 12:30, Marine's styling question: handed to Sarah with jackets in stock in her size (36, from her last order).
    expect(output).toContain("Friday 12:30  Marine (marine.durand@example.com) → hello@elegance-paris.com, email");
    expect(output).toMatch(/decided: {3}escalate — styling advice/);
    expect(output).toContain("checked: in stock to suggest: Perfecto Noir (36), Trench Camel (36)");
    expect(output).toMatch(/→ Sarah: Marine Durand \(styling advice: Robe Bordeaux\)/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
