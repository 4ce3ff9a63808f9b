import { describe, expect, it } from "vitest";
import { nativeCrmConfigSchema } from "./config";
import { segmentFor, type SegmentInput } from "./segments";

const NOW = new Date("2026-01-12T09:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const base: SegmentInput = { amountSpent: "0.00", numberOfOrders: 0, lastOrderAt: null, now: NOW };

describe("segmentFor (defaults: VIP ≥ 500 or tag VIP, active within 180 days)", () => {
  it.each<[string, Partial<SegmentInput>, string]>([
    ["never ordered", {}, "prospect"],
    ["500.00 spent exactly", { amountSpent: "500.00", numberOfOrders: 3, lastOrderAt: daysAgo(400) }, "vip"],
    ["499.99 spent, ordered yesterday", { amountSpent: "499.99", numberOfOrders: 3, lastOrderAt: daysAgo(1) }, "active"],
    ["a number amount", { amountSpent: 812, numberOfOrders: 5, lastOrderAt: daysAgo(10) }, "vip"],
    ["tag vip (any case), little spent", { amountSpent: "20.00", numberOfOrders: 1, lastOrderAt: daysAgo(300), tags: ["fidèle", "vip"] }, "vip"],
    ["tag VIP, never ordered", { tags: [" VIP "] }, "vip"],
    ["ordered exactly 180 days ago", { amountSpent: "80", numberOfOrders: 1, lastOrderAt: daysAgo(180) }, "active"],
    ["ordered 180 days and a minute ago", { amountSpent: "80", numberOfOrders: 1, lastOrderAt: new Date(daysAgo(180).getTime() - 60_000) }, "lapsed"],
    ["orders but no known last order date", { amountSpent: "80", numberOfOrders: 2, lastOrderAt: null }, "lapsed"],
    ["last order in the future (clock skew)", { amountSpent: "80", numberOfOrders: 1, lastOrderAt: new Date(NOW.getTime() + 3_600_000) }, "active"],
  ])("%s", (_label, over, expected) => {
    expect(segmentFor({ ...base, ...over })).toBe(expected);
  });

  it("uses the shop's own thresholds when given", () => {
    const { segments } = nativeCrmConfigSchema.parse({ segments: { vipMinAmountSpent: 1000, vipTags: ["Ambassadrice"], activeWithinDays: 30 } });
    const regular = { amountSpent: "650.00", numberOfOrders: 4, lastOrderAt: daysAgo(45), now: NOW };
    expect(segmentFor(regular)).toBe("vip");
    expect(segmentFor(regular, segments)).toBe("lapsed");
    expect(segmentFor({ ...regular, lastOrderAt: daysAgo(20) }, segments)).toBe("active");
    expect(segmentFor({ ...regular, tags: ["ambassadrice"] }, segments)).toBe("vip");
    expect(segmentFor({ ...regular, tags: ["VIP"] }, segments)).toBe("lapsed");
  });

  it("is independent of the server's time zone", () => {
    // The unit tests run under Europe/Paris and Pacific/Auckland: the answer must not move.
    const input = { amountSpent: "10", numberOfOrders: 1, lastOrderAt: new Date("2025-07-16T09:00:00Z"), now: NOW };
    expect(segmentFor(input)).toBe("active");
    expect(segmentFor({ ...input, lastOrderAt: new Date("2025-07-16T08:59:59Z") })).toBe("lapsed");
  });

  it("refuses amounts and counts that are not numbers", () => {
    expect(() => segmentFor({ ...base, amountSpent: "abc" })).toThrow(RangeError);
    expect(() => segmentFor({ ...base, amountSpent: "" })).toThrow(RangeError);
    expect(() => segmentFor({ ...base, numberOfOrders: -1 })).toThrow(RangeError);
    expect(() => segmentFor({ ...base, numberOfOrders: 1.5 })).toThrow(RangeError);
  });
});

describe("native-crm settings", () => {
  it("need nothing and fill in the documented defaults", () => {
    expect(nativeCrmConfigSchema.parse({})).toEqual({ segments: { vipMinAmountSpent: 500, vipTags: ["VIP"], activeWithinDays: 180 } });
  });

  it("explain what is wrong, field by field", () => {
    const result = nativeCrmConfigSchema.safeParse({ segments: { vipMinAmountSpent: -5, activeWithinDays: 2.5 }, extra: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    const messages = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("segments.vipMinAmountSpent: vipMinAmountSpent cannot be negative");
    expect(messages).toContain("segments.activeWithinDays: activeWithinDays must be a whole number of days");
    expect(messages.some((m) => m.includes("extra"))).toBe(true);
  });
});
