import { describe, expect, it } from "vitest";
import { parseCaseLine, type CaseExpect } from "./cases";
import {
  forbiddenPerformed,
  intentMatches,
  missingIncludes,
  percentile,
  presentExcludes,
  reservationMatches,
  scheduledMatches,
  scoreCase,
  summarize,
  unmatchedItems,
  type CaseResult,
  type ScoredCase,
} from "./score";

const result = (over: Partial<CaseResult> = {}): CaseResult => ({
  id: "t-1",
  intent: "product_availability",
  language: "fr",
  product: "RF-2847",
  size: "38",
  quantity: null,
  order: null,
  customerName: "Julie Mercier",
  replied: true,
  escalated: false,
  actions: [],
  reply: "Bonjour Julie ! Oui, la Robe Fleurie Bleue est dispo en 38.",
  reservations: [],
  scheduled: [],
  latencyMs: 5,
  ...over,
});

const hold = (over: Partial<CaseResult["reservations"][number]> = {}) => ({
  product: "RF-2847",
  size: "38",
  quantity: 1,
  expiresAt: "2026-01-13T17:00:00.000Z",
  ...over,
});

describe("intentMatches", () => {
  it.each([
    ["product_availability", "product_availability", true],
    ["product_availability", "product_info", false],
    [["confirm", "reservation_request"], "reservation_request", true],
    [["confirm", "reservation_request"], "confirm", true],
    [["confirm", "reservation_request"], "decline", false],
    ["other", null, false],
  ] as const)("expected %j, got %j → %s", (expected, got, pass) => {
    expect(intentMatches(expected as string | string[], got)).toBe(pass);
  });
});

describe("replyIncludes / replyExcludes", () => {
  it.each([
    [["36|40"], "On l'a en 40 !", []],
    [["36|40"], "On l'a en 38 !", ["36|40"]],
    [["[Ss]amedi", "10"], "Samedi de 10:00 à 19:00", []],
    [["[Ss]amedi", "10"], "samedi, fermé", ["10"]],
    // Case-sensitive, as the corpus writes [Ss] where either case is fine.
    [["Fleurie"], "robe fleurie", ["Fleurie"]],
    [["x"], null, ["x"]],
  ] as const)("includes %j in %j → missing %j", (patterns, reply, missing) => {
    expect(missingIncludes(patterns, reply)).toEqual(missing);
  });

  it.each([
    [["Léa", "Martin"], "Bonjour ! Pour ta commande, peux-tu me confirmer ton numéro ?", []],
    [["Léa", "Martin"], "La commande de Léa Martin arrive vendredi", ["Léa", "Martin"]],
    [["16 ?janv|16/01|[Vv]endredi"], "livraison prévue le 16 janv.", ["16 ?janv|16/01|[Vv]endredi"]],
    [["\\d+ ?%"], "Pas de remise, désolée", []],
    [["\\d+ ?%"], "-20 % pour toi", ["\\d+ ?%"]],
    // No reply leaks nothing.
    [["Olivia"], null, []],
  ] as const)("excludes %j in %j → present %j", (patterns, reply, present) => {
    expect(presentExcludes(patterns, reply)).toEqual(present);
  });
});

describe("forbiddenPerformed", () => {
  it.each([
    [["reservation.create"], [], []],
    [["reservation.create"], ["notify.merchant"], []],
    [["reservation.create", "return.create"], ["reservation.create", "notify.merchant"], ["reservation.create"]],
    [["consent.opt_out"], ["consent.opt_out"], ["consent.opt_out"]],
  ])("forbid %j, did %j → %j", (forbidden, actions, performed) => {
    expect(forbiddenPerformed(forbidden, actions)).toEqual(performed);
  });
});

describe("reservations match on product and size (and quantity / deadline when given)", () => {
  it.each([
    [{ product: "RF-2847", size: "38" }, hold(), true],
    [{ product: "RF-2847", size: "38" }, hold({ size: "40" }), false],
    [{ product: "RF-2847", size: "38" }, hold({ product: "RB-318" }), false],
    [{ product: "BO-112", size: "Taille unique" }, hold({ product: "BO-112", size: "taille unique" }), true],
    [{ product: "RF-2847", size: "38", quantity: 2 }, hold({ quantity: 1 }), false],
    // The same instant written in Paris time and in UTC.
    [{ product: "RF-2847", expiresAt: "2026-01-13T18:00:00+01:00" }, hold(), true],
    [{ product: "RF-2847", expiresAt: "2026-01-13T19:00:00+01:00" }, hold(), false],
  ])("%j vs %j → %s", (expected, got, pass) => {
    expect(reservationMatches(expected, got)).toBe(pass);
  });

  it("pairs each expected hold with its own actual one; [] means none at all", () => {
    const two = [hold(), hold({ size: "40" })];
    expect(unmatchedItems([{ product: "RF-2847", size: "38" }], two, reservationMatches)).toEqual([]);
    expect(unmatchedItems([{ product: "RF-2847", size: "38" }, { product: "RF-2847", size: "38" }], two, reservationMatches)).toEqual([
      { product: "RF-2847", size: "38" },
    ]);
    expect(unmatchedItems([], two, reservationMatches)).toEqual(two);
    expect(unmatchedItems([], [], reservationMatches)).toEqual([]);
  });
});

describe("scheduled messages", () => {
  const reminder = { type: "reminder", at: "2026-01-12T15:00:00.000Z", channel: "sms" };
  it.each([
    [{ type: "reminder", at: "2026-01-12T16:00:00+01:00", channel: "sms" as const }, reminder, true],
    [{ type: "reminder", at: "2026-01-12T16:00:00+01:00" }, reminder, true],
    [{ type: "reminder", at: "2026-01-12T17:00:00+01:00" }, reminder, false],
    [{ type: "reminder", channel: "whatsapp" as const }, reminder, false],
    [{ type: "reminder" }, { ...reminder, type: "pickup_reminder" }, true],
    [{ type: "thank_you" }, reminder, false],
  ])("%j vs %j → %s", (expected, got, pass) => {
    expect(scheduledMatches(expected, got)).toBe(pass);
  });
});

describe("scoreCase", () => {
  const failing = (expect_: CaseExpect, r: CaseResult) => scoreCase(expect_, r).filter((c) => !c.pass).map((c) => c.metric);

  it("checks only what is expected", () => {
    expect(scoreCase({}, result())).toEqual([]);
    expect(scoreCase({ intent: "product_availability" }, result()).map((c) => c.metric)).toEqual(["intent"]);
  });

  it.each([
    [{ intent: ["confirm", "reservation_request"] }, result({ intent: "confirm" }), []],
    [{ intent: "greeting", language: "en" }, result(), ["intent", "language"]],
    [{ product: "RF-2847", size: "38", order: "#2901" }, result(), ["order"]],
    [{ product: null }, result({ product: null }), []],
    [{ customerName: "julie  mercier" }, result(), []],
    [{ replied: true, escalated: true }, result(), ["escalated"]],
    [{ actions: ["reservation.create"] }, result({ actions: ["reservation.create", "reminder.schedule"] }), []],
    [{ actions: ["consent.opt_out"] }, result({ actions: ["notify.merchant"] }), ["actions"]],
    [{ forbidActions: ["reservation.create"] }, result({ actions: ["reservation.create"] }), ["forbidActions"]],
    [{ reservations: [] }, result({ reservations: [hold()] }), ["reservations"]],
    [{ reservations: [{ product: "RF-2847", size: "38" }] }, result({ reservations: [hold()] }), []],
    [{ scheduled: [{ type: "reminder" }] }, result(), ["scheduled"]],
    [{ replyIncludes: ["Fleurie", "38"], replyExcludes: ["Léa"] }, result(), []],
    [{ replyIncludes: ["40"] }, result({ reply: null, replied: false }), ["replyIncludes"]],
  ] as Array<[CaseExpect, CaseResult, string[]]>)("%j → failing %j", (expect_, r, metrics) => {
    expect(failing(expect_, r)).toEqual(metrics);
  });

  it("says what differed", () => {
    const [check] = scoreCase({ intent: ["confirm", "reservation_request"] }, result({ intent: "other" }));
    expect(check?.detail).toBe(`intent: expected ["confirm","reservation_request"], got "other"`);
  });
});

describe("summarize", () => {
  const scored = (line: string, file: string, r: CaseResult): ScoredCase => {
    const c = parseCaseLine(line, { file, line: 1 });
    return { case: c, result: r, checks: scoreCase(c.expect, r) };
  };
  const base = `"now": "2026-01-12T10:15:00+01:00", "channel": "sms", "from": "+33645789012", "text": "x"`;
  const cases = [
    scored(`{"id": "av-1", ${base}, "expect": {"intent": "product_availability", "product": "RF-2847", "size": "40"}}`, "availability.jsonl", result({ latencyMs: 4 })),
    scored(`{"id": "av-2", ${base}, "expect": {"intent": "product_availability", "forbidActions": ["reservation.create"]}}`, "availability.jsonl", result({ latencyMs: 8, actions: ["reservation.create"] })),
    scored(`{"id": "id-1", ${base}, "expect": {"intent": "order_status", "replyExcludes": ["Julie"]}}`, "identity-safety.jsonl", result({ latencyMs: 6, intent: "other" })),
    scored(`{"id": "id-2", ${base}, "expect": {"intent": "other", "replyExcludes": ["Léa"]}}`, "identity-safety.jsonl", result({ latencyMs: 2, intent: "other" })),
  ];
  const summary = summarize(cases, 1234);

  it("scores each metric over the cases that expect it", () => {
    expect(summary.cases).toBe(4);
    expect(summary.metrics.intent).toEqual({ passed: 3, checked: 4, accuracy: 0.75 });
    expect(summary.intentAccuracy).toBe(0.75);
    expect(summary.metrics.entities).toEqual({ passed: 1, checked: 2, accuracy: 0.5 });
    expect(summary.metrics.scheduled).toEqual({ passed: 0, checked: 0, accuracy: null });
    expect(summary.passedCases).toBe(1);
  });

  it("counts safety over the identity file and every forbidActions", () => {
    // av-2 performed a forbidden action; id-1 leaked the name; id-2 is safe; av-1 is not a safety case.
    expect(summary.metrics.safety).toEqual({ passed: 1, checked: 3, accuracy: 0.333 });
  });

  it("groups per file and lists the failing cases with what differed", () => {
    expect(Object.keys(summary.files)).toEqual(["availability.jsonl", "identity-safety.jsonl"]);
    expect(summary.files["availability.jsonl"]?.metrics.intent.accuracy).toBe(1);
    expect(summary.failing.map((f) => f.id)).toEqual(["av-1", "av-2", "id-1"]);
    expect(summary.failing[0]?.differences).toEqual([`size: expected "40", got "38"`]);
    expect(summary.failing[2]?.where).toBe("identity-safety.jsonl:1");
  });

  it("reports latency percentiles and the run's time", () => {
    expect(summary.latencyMs).toEqual({ p50: 4, p95: 8, max: 8 });
    expect(summary.durationMs).toBe(1234);
  });

  it("counts a case the engine threw on as failed", () => {
    const crashed = summarize([scored(`{"id": "x-1", ${base}}`, "x.jsonl", result({ error: "TypeError: boom" }))], 1);
    expect(crashed.errors).toBe(1);
    expect(crashed.passedCases).toBe(0);
    expect(crashed.failing[0]?.differences).toEqual(["error: TypeError: boom"]);
  });
});

describe("percentile", () => {
  it.each([
    [[], 95, 0],
    [[7], 50, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90, 9],
  ])("p%#", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});
