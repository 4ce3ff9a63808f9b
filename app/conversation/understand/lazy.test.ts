import { describe, expect, it } from "vitest";
import type { UnderstandContext } from "../contracts";
import type { Understander } from "./index";
import { createLazyUnderstander } from "./lazy";

const CTX: UnderstandContext = { catalogue: [], shopLanguage: "en", now: new Date("2026-03-10T09:00:00Z"), timeZone: "Europe/Paris", channel: "sms" };

/** An understander at our interface that answers with the text it was given (as `keyword`), to tell the answers apart. */
function fakeUnderstander(): Understander {
  return {
    understand: (text) => ({ language: "fr", intent: "other", confidence: 1, entities: {}, keyword: text }) as unknown as ReturnType<Understander["understand"]>,
    model: () => ({}) as ReturnType<Understander["model"]>,
    features: () => [],
  };
}

describe("the lazy understander", () => {
  it("creates the models on the first message only, once for messages that arrive together", async () => {
    let created = 0;
    const lazy = createLazyUnderstander(async () => {
      created++;
      return fakeUnderstander();
    });
    expect(created).toBe(0);
    const [a, b] = await Promise.all([lazy.understand("un", CTX), lazy.understand("deux", CTX)]);
    expect(created).toBe(1);
    expect([a, b].map((u) => (u as unknown as { keyword: string }).keyword)).toEqual(["un", "deux"]);
    await lazy.load();
    expect(created).toBe(1);
  });

  it("tries again after a load that failed, and the failure reaches the message that asked", async () => {
    let attempts = 0;
    const lazy = createLazyUnderstander(async () => {
      attempts++;
      if (attempts === 1) throw new Error("out of memory");
      return fakeUnderstander();
    });
    await expect(lazy.understand("un", CTX)).rejects.toThrow("out of memory");
    await expect(lazy.understand("deux", CTX)).resolves.toMatchObject({ keyword: "deux" });
    expect(attempts).toBe(2);
  });

  it("loads the real models by default: a French question is understood as French", async () => {
    const lazy = createLazyUnderstander();
    const understanding = await lazy.understand("Bonjour, vous avez la robe fleurie en 38 ?", CTX);
    expect(understanding.language).toBe("fr");
    expect(understanding.intent).toBe("product_availability");
  }, 30_000);
});
