import { describe, expect, it } from "vitest";
import { decide } from "./decide.server";
import type { Understanding } from "./understand";

const base: Understanding = {
  language: "fr",
  intent: "product_availability",
  confidence: 0.9,
  product: { id: "p1", ref: "RF-2847", title: "Robe Fleurie Bleue", matchedBy: "title", score: 1 },
  requestedSize: "38",
  variant: { id: "v38", size: "38", sku: "RF-2847-38" },
};
const ctx = { productVariantIds: (id: string) => (id === "p1" ? ["v36", "v38", "v40"] : []) };

describe("decide", () => {
  it.each<[string, Partial<Understanding>, { kind: string; template: string; escalate: boolean; lookups: string[] }]>([
    ["variant known", {}, { kind: "answer", template: "availability.variant", escalate: false, lookups: ["v36", "v38", "v40"] }],
    ["product, no size", { requestedSize: null, variant: null }, { kind: "answer", template: "availability.product", escalate: false, lookups: ["v36", "v38", "v40"] }],
    ["size not offered", { requestedSize: "44", variant: null }, { kind: "answer", template: "availability.size_not_offered", escalate: false, lookups: ["v36", "v38", "v40"] }],
    ["no product", { product: null, variant: null }, { kind: "ask", template: "ask.product", escalate: false, lookups: [] }],
    ["low confidence", { confidence: 0.3 }, { kind: "escalate", template: "handoff", escalate: true, lookups: [] }],
    ["greeting", { intent: "greeting", product: null, variant: null }, { kind: "answer", template: "greeting", escalate: false, lookups: [] }],
    ["complaint", { intent: "complaint", product: null, variant: null }, { kind: "escalate", template: "handoff", escalate: true, lookups: [] }],
    ["other", { intent: "other", product: null, variant: null }, { kind: "escalate", template: "handoff", escalate: true, lookups: [] }],
  ])("%s", (_name, patch, expected) => {
    const d = decide({ ...base, ...patch }, ctx);
    expect({ kind: d.kind, template: d.template, escalate: d.escalate, lookups: d.lookups.flatMap((l) => l.variantIds) }).toEqual(expected);
  });
});
