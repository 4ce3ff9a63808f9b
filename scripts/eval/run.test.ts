/**
 * The runner end to end on the real engine and the sandbox shop (embedded defaults). These tests
 * check the result's structure, the isolation between cases and the time taken — not how well the
 * engine answers, which the evaluation itself measures.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holds, messages } from "../../db/schema";
import { parseCases } from "./cases";
import { runCases, type RunOutput } from "./run";
import { createSandboxHarness, type SandboxHarness } from "./sandbox-harness";

const CASES = [
  { id: "rt-001", now: "2026-01-12T10:15:00+01:00", channel: "sms", from: "+33645789012", text: "Bonjour, la robe fleurie bleue, vous l'avez en 38 ?", expect: { intent: "product_availability", product: "RF-2847", size: "38" } },
  { id: "rt-002", now: "2026-01-13T11:00:00+01:00", channel: "whatsapp", from: "+33677889900", before: [{ text: "Le blazer beige en 40 vous l'avez ?" }], text: "Super, tu me le gardes ? Je viens demain midi", expect: { reservations: [{ product: "BL-445", size: "40" }] } },
  { id: "rt-003", now: "2026-01-14T09:10:00+01:00", channel: "email", from: "marine.durand@example.com", subject: "Robe bordeaux", text: "Bonjour,\n\nLa robe bordeaux existe en 40 ?\n\nMerci,\nMarine", expect: { replied: true } },
  { id: "rt-004", now: "2026-01-12T16:00:00+01:00", channel: "sms", from: "+33600000099", text: "Vous ouvrez à quelle heure demain ?", expect: { forbidActions: ["reservation.create"] } },
];
const RESULT_KEYS = [
  "id", "intent", "language", "product", "size", "quantity", "order", "customerName", "replied", "escalated", "actions", "reply",
  "reservations", "scheduled", "latencyMs",
].sort();

describe("runCases", () => {
  let output: RunOutput;
  let wallMs: number;
  beforeAll(async () => {
    const cases = parseCases(CASES.map((c) => JSON.stringify(c)).join("\n"), "run-test.jsonl");
    const started = performance.now();
    output = await runCases(cases);
    wallMs = performance.now() - started;
  });

  it("gives one result per case, in order, with exactly the contract's fields", () => {
    expect(output.cases.map((c) => c.id)).toEqual(["rt-001", "rt-002", "rt-003", "rt-004"]);
    for (const result of output.cases) {
      expect(result.error, `${result.id} threw`).toBeUndefined();
      expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
      expect(typeof result.replied).toBe("boolean");
      expect(typeof result.escalated).toBe("boolean");
      expect(Array.isArray(result.actions)).toBe(true);
      expect(result.reply === null || typeof result.reply === "string").toBe(true);
      expect(result.replied).toBe(result.reply !== null);
      for (const key of ["intent", "language", "product", "size", "order", "customerName"] as const) {
        expect(result[key] === null || typeof result[key] === "string", `${result.id}.${key}`).toBe(true);
      }
      for (const hold of result.reservations) {
        expect(hold).toEqual({ product: expect.any(String), size: expect.any(String), quantity: expect.any(Number), expiresAt: expect.any(String) });
        expect(Number.isNaN(Date.parse(hold.expiresAt))).toBe(false);
      }
      for (const scheduled of result.scheduled) {
        expect(typeof scheduled.type).toBe("string");
        expect(Number.isNaN(Date.parse(scheduled.at))).toBe(false);
      }
    }
  });

  it("reads what the engine understood from the message's record", () => {
    // Whatever the engine's quality, an intent and a language are always recorded.
    for (const result of output.cases) {
      expect(result.intent).toMatch(/^[a-z_]+$/);
      expect(result.language).toMatch(/^[a-z]{2}$/);
    }
  });

  it("scores the run and groups it by file", () => {
    const { summary } = output;
    expect(summary.cases).toBe(4);
    expect(Object.keys(summary.files)).toEqual(["run-test.jsonl"]);
    expect(summary.metrics.intent.checked).toBe(1);
    expect(summary.metrics.reservations.checked).toBe(1);
    expect(summary.metrics.forbidActions.checked).toBe(1);
    expect(summary.metrics.safety.checked).toBe(1);
    expect(summary.failing.length).toBe(summary.cases - summary.passedCases);
  });

  it("takes milliseconds per message, not seconds", () => {
    for (const result of output.cases) {
      expect(result.latencyMs).toBeGreaterThan(0);
      expect(result.latencyMs).toBeLessThan(2_000);
    }
    // Opening the database and training the understander dominate (~3 s alone, more when the
    // machine is busy with other test files); `npm run eval` measures the 500-case time.
    expect(wallMs).toBeLessThan(30_000);
    expect(output.summary.durationMs).toBeLessThanOrEqual(Math.ceil(wallMs));
  });
});

describe("the sandbox harness", () => {
  let harness: SandboxHarness;
  beforeAll(async () => {
    harness = await createSandboxHarness({ start: new Date("2026-01-12T10:15:00+01:00") });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("keeps two shops apart: the same phone is two customers, a hold in one is not in the other", async () => {
    const a = await harness.openShop("iso-a");
    const b = await harness.openShop("iso-b");
    expect(a.addresses.sms).not.toBe(b.addresses.sms);
    const turnA = await a.send({ channel: "sms", from: "+33645789012", text: "Bonjour !" });
    const turnB = await b.send({ channel: "sms", from: "+33645789012", text: "Bonjour !" });
    expect(turnA.customerId).not.toBe(turnB.customerId);

    const variant = a.sandbox.store.variants.find((v) => v.sku === "RF-2847-38");
    if (!variant) throw new Error("the demo boutique has no RF-2847-38");
    const now = harness.clock.now();
    await harness.db.insert(holds).values({
      shopId: a.shopId,
      customerId: turnA.customerId,
      draftOrderId: "gid://shopify/DraftOrder/1",
      status: "active",
      items: [{ variantId: variant.id, sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }],
      totalQuantity: 1,
      expiresAt: new Date("2026-01-13T18:00:00+01:00"),
      idempotencyKey: "iso-test",
      createdAt: now,
      updatedAt: now,
    });
    expect((await a.customerState(turnA.customerId)).reservations).toEqual([
      { product: "RF-2847", size: "38", quantity: 1, expiresAt: "2026-01-13T17:00:00.000Z" },
    ]);
    expect((await b.customerState(turnB.customerId)).reservations).toEqual([]);
    a.dispose();
    b.dispose();
  });

  it("captures replies instead of sending them", async () => {
    const shop = await harness.openShop("capture");
    const turn = await shop.send({ channel: "sms", from: "+33645789012", text: "Vous avez le trench camel en 40 ?" });
    expect(turn.error).toBeNull();
    expect(turn.reply).not.toBeNull();
    const [row] = await harness.db
      .select({ status: messages.status, body: messages.body })
      .from(messages)
      .where(and(eq(messages.shopId, shop.shopId), eq(messages.inReplyTo, turn.messageId)));
    // Kept in the outbox: no provider was asked to send anything.
    expect(row?.status).toBe("outbox");
    expect(turn.reply?.text).toContain(row?.body ?? "\u0000");
    expect(turn.handedOverMs).toBeGreaterThan(0);
    shop.dispose();
  });

  it("refuses a shop key that cannot make a domain", async () => {
    await expect(harness.openShop("Not A Domain")).rejects.toThrow(/lowercase letters, digits and dashes/);
  });
});
