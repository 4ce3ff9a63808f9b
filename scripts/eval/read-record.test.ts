import { describe, expect, it } from "vitest";
import type { MessageRecord } from "../../app/conversation/record";
import { engineRecord, performedActions, readUnderstood, type RefLookup } from "./read-record";

const refs: RefLookup = {
  productRef: (id) => ({ "gid://shopify/Product/1001": "RF-2847" })[id] ?? null,
  variantRef: (id) => ({ "gid://shopify/ProductVariant/2002": { ref: "RF-2847", size: "38" } })[id] ?? null,
};

const record = (entities: Record<string, unknown>, over: Partial<MessageRecord> = {}): MessageRecord => ({
  understanding: { language: "fr", intent: "product_availability", confidence: 0.9, entities },
  lookups: [],
  decision: { kind: "answer", reason: "test" },
  actions: [],
  reply: null,
  timings: { understandMs: 1, decideMs: 1, actMs: 1, replyMs: 1, totalMs: 4 },
  ...over,
});

describe("readUnderstood", () => {
  it("reads nothing from no record", () => {
    expect(readUnderstood(null, refs)).toEqual({ intent: null, language: null, product: null, size: null, quantity: null, order: null });
  });

  it.each([
    ["a product mention with its ref", { product: { id: "gid://shopify/Product/1001", ref: "RF-2847" } }, { product: "RF-2847" }],
    ["a product mention without a ref", { product: { id: "gid://shopify/Product/1001", ref: null } }, { product: "RF-2847" }],
    ["a product given as an id", { product: "gid://shopify/Product/1001" }, { product: "RF-2847" }],
    ["only a variant", { variant: { id: "gid://shopify/ProductVariant/2002", size: "38", sku: "RF-2847-38" } }, { product: "RF-2847", size: "38" }],
    ["a size the product does not have", { product: { ref: "RF-2847" }, requestedSize: "42", variant: null }, { product: "RF-2847", size: "42" }],
    ["a quantity and an order name", { quantity: 2, orderName: "#2901" }, { quantity: 2, order: "#2901" }],
    ["an order as an object", { order: { name: "#2847" } }, { order: "#2847" }],
  ])("%s", (_what, entities, expected) => {
    expect(readUnderstood(record(entities), refs)).toMatchObject(expected);
  });

  it("takes what the message does not name from the conversation's focus", () => {
    const focus = { productId: "gid://shopify/Product/1001", variantId: "gid://shopify/ProductVariant/2002" };
    // "oui garde-la moi": neither product nor size in the words.
    expect(readUnderstood(record({ product: null, variant: null }), refs, focus)).toMatchObject({ product: "RF-2847", size: "38" });
    // The same product named without a size: the focus gives the size.
    expect(readUnderstood(record({ product: { ref: "RF-2847" } }), refs, focus)).toMatchObject({ product: "RF-2847", size: "38" });
    // The message's own words win: another product, or another size.
    expect(readUnderstood(record({ product: { ref: "TC-733" } }), refs, focus)).toMatchObject({ product: "TC-733", size: null });
    expect(readUnderstood(record({ product: { ref: "RF-2847" }, requestedSize: "40" }), refs, focus)).toMatchObject({ size: "40" });
    // A focus on a product without a chosen size.
    expect(readUnderstood(record({}), refs, { productId: "gid://shopify/Product/1001", variantId: null })).toMatchObject({ product: "RF-2847", size: null });
  });

  it("takes the order the engine looked up when the message names none", () => {
    const lookups = [
      { tool: "inventory.listCatalogue", input: {}, output: { products: 12 }, ms: 1 },
      { tool: "orders.byCustomer", input: { customerId: "gid://shopify/Customer/6003" }, output: { orders: ["#2901", "#2790"] }, ms: 1 },
    ];
    expect(readUnderstood(record({ orderName: null }, { lookups }), refs).order).toBe("#2901");
    const byName = [{ tool: "orders.byName", input: { name: "#2847" }, output: { name: "#2847", status: "FULFILLED" }, ms: 1 }];
    expect(readUnderstood(record({}, { lookups: byName }), refs).order).toBe("#2847");
    // The message's own order number wins, and an order not found names nothing.
    expect(readUnderstood(record({ orderName: "#2988" }, { lookups }), refs).order).toBe("#2988");
    expect(readUnderstood(record({}, { lookups: [{ tool: "orders.byName", input: {}, output: { found: false }, ms: 1 }] }), refs).order).toBeNull();
  });
});

describe("engineRecord / performedActions", () => {
  it("tells the engine's record from what an edge left on the message", () => {
    expect(engineRecord({ subject: "Commande #2847" })).toBeNull();
    expect(engineRecord(null)).toBeNull();
    const full = record({});
    expect(engineRecord(full)).toBe(full);
  });

  it("counts only the actions that were done", () => {
    const actions: MessageRecord["actions"] = [
      { type: "reservation.create", status: "done", details: {} },
      { type: "reminder.schedule", status: "failed", details: {} },
      { type: "notify.merchant", status: "skipped", details: {} },
    ];
    expect(performedActions(record({}, { actions }))).toEqual(["reservation.create"]);
    expect(performedActions(null)).toEqual([]);
  });
});
