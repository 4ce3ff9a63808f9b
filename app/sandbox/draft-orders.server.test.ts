import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { VARIANT_AVAILABILITY_QUERY, type VariantAvailabilityQueryData } from "~/plugins/integrations/shopify/documents";
import {
  HOLD_COMPLETE_MUTATION,
  HOLD_CREATE_MUTATION,
  HOLD_DELETE_MUTATION,
  HOLD_QUERY,
  HOLD_UPDATE_MUTATION,
  HOLDS_SEARCH_QUERY,
  RECEIPT_PAYMENT_TERMS_QUERY,
  type HoldCompleteMutationData,
  type HoldCreateInput,
  type HoldCreateMutationData,
  type HoldDeleteMutationData,
  type HoldQueryData,
  type HoldsSearchQueryData,
  type HoldUpdateMutationData,
  type ReceiptPaymentTermsQueryData,
} from "~/plugins/integrations/shopify/documents-holds";
import { createSandboxShop, type SandboxShop } from "./sandbox-shop.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const HOUR = 3_600_000;
/** Julie Mercier, the demo boutique's first customer. */
const JULIE = "gid://shopify/Customer/6001";
const EMMA = "gid://shopify/Customer/6002";

let clock: ManualClock;
let shop: SandboxShop;

beforeEach(() => {
  clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock });
});

async function run<T>(target: SandboxShop, document: string, variables?: Record<string, unknown>): Promise<T> {
  return target.adminClient().request<T>(document, variables);
}

async function variantIdBySku(target: SandboxShop, sku: string): Promise<string> {
  const data = await run<{ productVariants: { nodes: Array<{ id: string }> } }>(
    target,
    `query($q: String) { productVariants(first: 2, query: $q) { nodes { id } } }`,
    { q: `sku:${sku}` },
  );
  const id = data.productVariants.nodes[0]?.id;
  if (!id || data.productVariants.nodes.length !== 1) throw new Error(`no single variant ${sku}`);
  return id;
}

/** available / on_hand / reserved at the demo boutique's one location. */
async function quantities(target: SandboxShop, variantId: string): Promise<Record<string, number>> {
  const data = await run<VariantAvailabilityQueryData>(target, VARIANT_AVAILABILITY_QUERY, { id: variantId });
  const level = data.productVariant?.inventoryItem.inventoryLevels.nodes[0];
  return Object.fromEntries((level?.quantities ?? []).map((q) => [q.name, q.quantity]));
}

function holdInput(variantId: string, overrides: Partial<HoldCreateInput> = {}): HoldCreateInput {
  return {
    purchasingEntity: { customerId: JULIE },
    lineItems: [{ variantId, quantity: 1 }],
    reserveInventoryUntil: new Date(DEMO_NOW.getTime() + 24 * HOUR).toISOString(),
    tags: ["coccinelle-hold"],
    ...overrides,
  };
}

async function create(target: SandboxShop, input: HoldCreateInput): Promise<NonNullable<HoldCreateMutationData["draftOrderCreate"]>> {
  const data = await run<HoldCreateMutationData>(target, HOLD_CREATE_MUTATION, { input });
  if (!data.draftOrderCreate) throw new Error("no payload");
  return data.draftOrderCreate;
}

async function createOk(target: SandboxShop, input: HoldCreateInput) {
  const payload = await create(target, input);
  expect(payload.userErrors).toEqual([]);
  if (!payload.draftOrder) throw new Error("no draft order");
  return payload.draftOrder;
}

describe("draftOrderCreate with reserveInventoryUntil", () => {
  it("reserves the units: Robe Fleurie Bleue T38 goes from 2 available to 1, on hand unchanged", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    expect(await quantities(shop, variantId)).toEqual({ available: 2, on_hand: 2, reserved: 0 });

    const draft = await createOk(shop, holdInput(variantId, { note: "Taille 38, passe samedi" }));
    expect(draft).toMatchObject({
      id: "gid://shopify/DraftOrder/20001",
      name: "#D1",
      status: "OPEN",
      reserveInventoryUntil: "2026-01-13T09:00:00Z",
      tags: ["coccinelle-hold"],
      customer: { id: JULIE },
      order: null,
      lineItems: { nodes: [{ quantity: 1, sku: "RF-2847-38", title: "Robe Fleurie Bleue", variantTitle: "38", variant: { id: variantId } }] },
    });
    expect(await quantities(shop, variantId)).toEqual({ available: 1, on_hand: 2, reserved: 1 });
  });

  it("gives the units back once the shop's clock passes the deadline, on the next read", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    await createOk(shop, holdInput(variantId, { reserveInventoryUntil: new Date(DEMO_NOW.getTime() + 2 * HOUR).toISOString() }));
    clock.advance(2 * HOUR - 1000);
    expect((await quantities(shop, variantId)).available).toBe(1);
    clock.advance(1000);
    expect(await quantities(shop, variantId)).toEqual({ available: 2, on_hand: 2, reserved: 0 });
    // The draft itself stays open, as on Shopify: only the reservation ended.
    const listed = await run<HoldsSearchQueryData>(shop, HOLDS_SEARCH_QUERY, { query: "tag:coccinelle-hold status:open" });
    expect(listed.draftOrders.nodes).toHaveLength(1);
  });

  it("reserves nothing without a deadline, or with one already past", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const { reserveInventoryUntil: _none, ...withoutDeadline } = holdInput(variantId);
    await createOk(shop, withoutDeadline as HoldCreateInput);
    await createOk(shop, holdInput(variantId, { reserveInventoryUntil: new Date(DEMO_NOW.getTime() - HOUR).toISOString() }));
    expect((await quantities(shop, variantId)).available).toBe(2);
  });

  it("refuses, atomically, a reservation for units that are not available: 3 racing creates for 2 units give 2 drafts", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const payloads = await Promise.all([0, 1, 2].map(() => create(shop, holdInput(variantId))));
    const refused = payloads.filter((p) => p.userErrors.length > 0);
    expect(payloads.filter((p) => p.draftOrder !== null)).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.draftOrder).toBeNull();
    expect(refused[0]?.userErrors).toEqual([
      { field: ["reserveInventoryUntil"], message: "Not enough inventory available to reserve RF-2847-38: 1 requested, 0 available" },
    ]);
    expect(await quantities(shop, variantId)).toEqual({ available: 0, on_hand: 2, reserved: 2 });
  });

  it("counts the lines of one variant together, all or nothing", async () => {
    const size38 = await variantIdBySku(shop, "RF-2847-38");
    const size36 = await variantIdBySku(shop, "RF-2847-36");
    const payload = await create(shop, holdInput(size38, { lineItems: [{ variantId: size36, quantity: 1 }, { variantId: size38, quantity: 2 }, { variantId: size38, quantity: 1 }] }));
    expect(payload.userErrors.map((e) => e.message)).toEqual(["Not enough inventory available to reserve RF-2847-38: 3 requested, 2 available"]);
    expect((await quantities(shop, size36)).available).toBe(1);
    expect((await quantities(shop, size38)).available).toBe(2);
  });

  it("answers userErrors for an unknown customer or variant, no line, a bad deadline or a tag over 40 characters", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const cases: Array<[HoldCreateInput, string[]]> = [
      [holdInput(variantId, { purchasingEntity: { customerId: "gid://shopify/Customer/6999" } }), ["purchasingEntity.customerId"]],
      [holdInput(variantId, { lineItems: [] }), ["lineItems"]],
      [holdInput(variantId, { lineItems: [{ variantId: "gid://shopify/ProductVariant/2999", quantity: 1 }] }), ["lineItems.0.variantId"]],
      [holdInput(variantId, { lineItems: [{ variantId, quantity: 0 }] }), ["lineItems.0.quantity"]],
      [holdInput(variantId, { reserveInventoryUntil: "demain" }), ["reserveInventoryUntil"]],
      [holdInput(variantId, { tags: ["x".repeat(41)] }), ["tags"]],
    ];
    for (const [input, fields] of cases) {
      const payload = await create(shop, input);
      expect(payload.draftOrder).toBeNull();
      expect(payload.userErrors.map((e) => e.field?.join("."))).toEqual(fields);
    }
    expect((await quantities(shop, variantId)).available).toBe(2);
    expect((await run<HoldsSearchQueryData>(shop, HOLDS_SEARCH_QUERY, { query: "" })).draftOrders.nodes).toEqual([]);
  });

  it("refuses input it does not model instead of ignoring it", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const result = await shop.execute(HOLD_CREATE_MUTATION, { input: { ...holdInput(variantId), shippingLine: { title: "Colissimo", priceWithCurrency: { amount: "5.00", currencyCode: "EUR" } } } });
    expect(result.errors?.map((e) => e.message)).toEqual(['Input field "shippingLine" of DraftOrderInput is not implemented by the sandbox shop']);
    expect((await quantities(shop, variantId)).available).toBe(2);
  });
});

describe("draftOrderUpdate", () => {
  it("moves the deadline: the units stay reserved until the new one", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const draft = await createOk(shop, holdInput(variantId, { reserveInventoryUntil: new Date(DEMO_NOW.getTime() + HOUR).toISOString() }));
    const data = await run<HoldUpdateMutationData>(shop, HOLD_UPDATE_MUTATION, {
      id: draft.id,
      input: { reserveInventoryUntil: new Date(DEMO_NOW.getTime() + 3 * HOUR).toISOString() },
    });
    expect(data.draftOrderUpdate?.userErrors).toEqual([]);
    expect(data.draftOrderUpdate?.draftOrder?.reserveInventoryUntil).toBe("2026-01-12T12:00:00Z");
    expect((await quantities(shop, variantId)).reserved).toBe(1);
    clock.advance(2 * HOUR);
    expect((await quantities(shop, variantId)).available).toBe(1);
    clock.advance(HOUR);
    expect((await quantities(shop, variantId)).available).toBe(2);
  });

  it("revives an expired reservation only if the units are still free", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-36"); // one unit
    const first = await createOk(shop, holdInput(variantId, { reserveInventoryUntil: new Date(DEMO_NOW.getTime() + HOUR).toISOString() }));
    clock.advance(2 * HOUR);
    await createOk(shop, holdInput(variantId, { purchasingEntity: { customerId: EMMA }, reserveInventoryUntil: new Date(clock.now().getTime() + HOUR).toISOString() }));
    const data = await run<HoldUpdateMutationData>(shop, HOLD_UPDATE_MUTATION, {
      id: first.id,
      input: { reserveInventoryUntil: new Date(clock.now().getTime() + 5 * HOUR).toISOString() },
    });
    expect(data.draftOrderUpdate?.draftOrder).toBeNull();
    expect(data.draftOrderUpdate?.userErrors.map((e) => e.message)).toEqual(["Not enough inventory available to reserve RF-2847-36: 1 requested, 0 available"]);
    const unchanged = await run<HoldQueryData>(shop, HOLD_QUERY, { id: first.id });
    expect(unchanged.draftOrder?.reserveInventoryUntil).toBe("2026-01-12T10:00:00Z");
    expect(await quantities(shop, variantId)).toEqual({ available: 0, on_hand: 1, reserved: 1 });
  });

  it("answers a userError for an unknown draft", async () => {
    const data = await run<HoldUpdateMutationData>(shop, HOLD_UPDATE_MUTATION, {
      id: "gid://shopify/DraftOrder/20999",
      input: { reserveInventoryUntil: DEMO_NOW.toISOString() },
    });
    expect(data.draftOrderUpdate).toEqual({ draftOrder: null, userErrors: [{ field: ["id"], message: "Draft order does not exist" }] });
  });
});

describe("draftOrderDelete", () => {
  it("releases the units at once; the draft is gone and its id is never reused", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const draft = await createOk(shop, holdInput(variantId));
    const deleted = await run<HoldDeleteMutationData>(shop, HOLD_DELETE_MUTATION, { input: { id: draft.id } });
    expect(deleted.draftOrderDelete).toEqual({ deletedId: draft.id, userErrors: [] });
    expect(await quantities(shop, variantId)).toEqual({ available: 2, on_hand: 2, reserved: 0 });
    expect((await run<HoldQueryData>(shop, HOLD_QUERY, { id: draft.id })).draftOrder).toBeNull();

    const again = await run<HoldDeleteMutationData>(shop, HOLD_DELETE_MUTATION, { input: { id: draft.id } });
    expect(again.draftOrderDelete?.deletedId).toBeNull();
    expect(again.draftOrderDelete?.userErrors.map((e) => e.message)).toEqual(["Draft order does not exist"]);
    const next = await createOk(shop, holdInput(variantId));
    expect(next.id).not.toBe(draft.id);
    expect(next.name).toBe("#D2");
  });
});

describe("draftOrderComplete", () => {
  it("turns the draft into a paid order: listed by orders, on hand down by the units, reservation gone", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    const draft = await createOk(shop, holdInput(variantId));
    const data = await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: draft.id });
    expect(data.draftOrderComplete?.userErrors).toEqual([]);
    const completed = data.draftOrderComplete?.draftOrder;
    expect(completed?.status).toBe("COMPLETED");
    expect(completed?.order?.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(await quantities(shop, variantId)).toEqual({ available: 1, on_hand: 1, reserved: 0 });

    const orders = await run<{ orders: { nodes: Array<{ id: string; name: string; displayFinancialStatus: string; customer: { id: string }; lineItems: { nodes: Array<{ sku: string; quantity: number }> } }> } }>(
      shop,
      `query($q: String) { orders(first: 1, query: $q, sortKey: CREATED_AT, reverse: true) { nodes { id name displayFinancialStatus customer { id } lineItems(first: 5) { nodes { sku quantity } } } } }`,
      { q: "customer_id:6001" },
    );
    expect(orders.orders.nodes[0]).toMatchObject({
      id: completed?.order?.id,
      displayFinancialStatus: "PAID",
      customer: { id: JULIE },
      lineItems: { nodes: [{ sku: "RF-2847-38", quantity: 1 }] },
    });

    // Completed is final: no second completion, no delete, no update; the deadline no longer matters.
    const twice = await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: draft.id });
    expect(twice.draftOrderComplete?.userErrors.map((e) => e.message)).toEqual(["This draft order has already been completed"]);
    const deleted = await run<HoldDeleteMutationData>(shop, HOLD_DELETE_MUTATION, { input: { id: draft.id } });
    expect(deleted.draftOrderDelete?.userErrors.map((e) => e.message)).toEqual(["A completed draft order cannot be deleted"]);
    clock.advance(48 * HOUR);
    expect(await quantities(shop, variantId)).toEqual({ available: 1, on_hand: 1, reserved: 0 });
    const open = await run<HoldsSearchQueryData>(shop, HOLDS_SEARCH_QUERY, { query: "status:open" });
    expect(open.draftOrders.nodes).toEqual([]);
  });

  it("leaves the payment pending when the draft has 'due on receipt' payment terms", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-40");
    const draft = await createOk(shop, holdInput(variantId));
    const templates = await run<ReceiptPaymentTermsQueryData>(shop, RECEIPT_PAYMENT_TERMS_QUERY);
    expect(templates.paymentTermsTemplates).toEqual([{ id: "gid://shopify/PaymentTermsTemplate/1", name: "Due on receipt", paymentTermsType: "RECEIPT" }]);
    const updated = await run<HoldUpdateMutationData>(shop, HOLD_UPDATE_MUTATION, {
      id: draft.id,
      input: { paymentTerms: { paymentTermsTemplateId: "gid://shopify/PaymentTermsTemplate/1" } },
    });
    expect(updated.draftOrderUpdate?.userErrors).toEqual([]);
    const done = await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: draft.id });
    const orderId = done.draftOrderComplete?.draftOrder?.order?.id;
    const order = await run<{ order: { displayFinancialStatus: string } | null }>(shop, `query($id: ID!) { order(id: $id) { displayFinancialStatus } }`, { id: orderId });
    expect(order.order?.displayFinancialStatus).toBe("PENDING");
  });

  it("refuses to complete an expired draft whose units were sold meanwhile", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-36"); // one unit
    const first = await createOk(shop, holdInput(variantId, { reserveInventoryUntil: new Date(DEMO_NOW.getTime() + HOUR).toISOString() }));
    clock.advance(2 * HOUR);
    const second = await createOk(shop, holdInput(variantId, { purchasingEntity: { customerId: EMMA }, reserveInventoryUntil: new Date(clock.now().getTime() + HOUR).toISOString() }));
    await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: second.id });
    const late = await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: first.id });
    expect(late.draftOrderComplete?.draftOrder).toBeNull();
    expect(late.draftOrderComplete?.userErrors.map((e) => e.message)).toEqual(["Not enough inventory available for RF-2847-36: 1 requested, 0 available"]);
    expect(await quantities(shop, variantId)).toEqual({ available: 0, on_hand: 0, reserved: 0 });
  });
});

describe("draftOrders search", () => {
  it("finds a customer's open app holds by customer_id, tag and status", async () => {
    const variantId = await variantIdBySku(shop, "RF-2847-40");
    const julie = await createOk(shop, holdInput(variantId));
    await createOk(shop, holdInput(variantId, { purchasingEntity: { customerId: EMMA } }));
    await createOk(shop, holdInput(variantId, { tags: ["other-app"] }));
    const completed = await createOk(shop, holdInput(variantId, { lineItems: [{ variantId: await variantIdBySku(shop, "RF-2847-38"), quantity: 1 }] }));
    await run<HoldCompleteMutationData>(shop, HOLD_COMPLETE_MUTATION, { id: completed.id });

    const found = await run<HoldsSearchQueryData>(shop, HOLDS_SEARCH_QUERY, { query: "customer_id:6001 tag:coccinelle-hold status:open" });
    expect(found.draftOrders.nodes.map((d) => d.id)).toEqual([julie.id]);
    const byName = await run<HoldsSearchQueryData>(shop, HOLDS_SEARCH_QUERY, { query: `name:${julie.name}` });
    expect(byName.draftOrders.nodes.map((d) => d.id)).toEqual([julie.id]);
    const error = await shop.execute(HOLDS_SEARCH_QUERY, { query: "source:pos" });
    expect(error.errors?.[0]?.message).toMatch(/Search field "source" is not supported/);
  });
});

describe("two sandbox shops", () => {
  it("keep their drafts and reservations apart", async () => {
    const other = createSandboxShop({ clock, domain: "autre-boutique.myshopify.com" });
    const variantId = await variantIdBySku(shop, "RF-2847-38");
    expect(await variantIdBySku(other, "RF-2847-38")).toBe(variantId);
    await createOk(shop, holdInput(variantId));
    expect((await quantities(shop, variantId)).available).toBe(1);
    expect((await quantities(other, variantId)).available).toBe(2);
    expect((await run<HoldsSearchQueryData>(other, HOLDS_SEARCH_QUERY, { query: "" })).draftOrders.nodes).toEqual([]);
  });
});
