/**
 * Returns in the sandbox shop, through raw documents: fulfilment line items, `returnCreate` and
 * `returnRequest` with their checks, `Order.returns`, `return(id)` and `node`.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { createSandboxShop, type SandboxShop } from "./sandbox-shop.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");

let shop: SandboxShop;
beforeEach(() => {
  shop = createSandboxShop({ clock: createManualClock(DEMO_NOW) });
});

async function run<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await shop.execute(document, variables);
  expect(result.errors ?? []).toEqual([]);
  return JSON.parse(JSON.stringify(result.data)) as T;
}

interface Payload {
  return: { id: string; name: string; status: string; totalQuantity: number } | null;
  userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
}

const RETURN_CREATE = `mutation($input: ReturnInput!) {
  returnCreate(returnInput: $input) { return { id name status totalQuantity } userErrors { field message code } }
}`;
const RETURN_REQUEST = `mutation($input: ReturnRequestInput!) {
  returnRequest(input: $input) { return { id name status totalQuantity } userErrors { field message code } }
}`;

/** Fulfilment line item of the only line of a seed order. */
function shippedLine(name: string): string {
  const id = shop.store.orders.find((o) => o.name === name)?.fulfillments[0]?.lineItems[0]?.id;
  if (!id) throw new Error(`seed changed: ${name} not shipped`);
  return id;
}

function orderId(name: string): string {
  const id = shop.store.orders.find((o) => o.name === name)?.id;
  if (!id) throw new Error(`seed changed: no ${name}`);
  return id;
}

describe("fulfilment line items", () => {
  it("tell what each fulfilment shipped, line by line", async () => {
    const data = await run<{ order: { fulfillments: Array<{ totalQuantity: number; fulfillmentLineItems: { nodes: Array<{ id: string; quantity: number; lineItem: { sku: string } }> } }> } }>(
      `{ order(id: "gid://shopify/Order/7001") { fulfillments(first: 5) { totalQuantity fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { sku } } } } } }`,
    );
    expect(data.order.fulfillments).toEqual([
      { totalQuantity: 1, fulfillmentLineItems: { nodes: [{ id: "gid://shopify/FulfillmentLineItem/11001", quantity: 1, lineItem: { sku: "PT-2847-40" } }] } },
    ]);
    const node = await run<{ node: { __typename: string; quantity: number } }>(`{ node(id: "gid://shopify/FulfillmentLineItem/11001") { __typename ... on FulfillmentLineItem { quantity } } }`);
    expect(node.node).toEqual({ __typename: "FulfillmentLineItem", quantity: 1 });
  });
});

describe("returnCreate", () => {
  it("opens a return with an exchange, shown on the order and by id", async () => {
    const replacement = shop.store.variants.find((v) => v.sku === "PT-2847-38")?.id;
    const data = await run<{ returnCreate: Payload }>(RETURN_CREATE, {
      input: {
        orderId: orderId("#2847"),
        requestedAt: "2026-01-12T08:30:00Z",
        returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1, returnReasonNote: "Trop grand" }],
        exchangeLineItems: [{ variantId: replacement, quantity: 1 }],
      },
    });
    expect(data.returnCreate).toEqual({
      return: { id: "gid://shopify/Return/12001", name: "#2847-R1", status: "OPEN", totalQuantity: 1 },
      userErrors: [],
    });
    const read = await run<{ order: { returnStatus: string; returns: { nodes: unknown[] } }; return: { createdAt: string; requestApprovedAt: string; order: { name: string } } }>(
      `{
        order(id: "${orderId("#2847")}") {
          returnStatus
          returns(first: 5) { nodes {
            name status
            returnLineItems(first: 5) { nodes { quantity returnReasonNote ... on ReturnLineItem { fulfillmentLineItem { lineItem { sku } } } } }
            exchangeLineItems(first: 5) { nodes { variantId quantity } }
          } }
        }
        return(id: "gid://shopify/Return/12001") { createdAt requestApprovedAt order { name } }
      }`,
    );
    expect(read.order).toEqual({
      returnStatus: "IN_PROGRESS",
      returns: {
        nodes: [
          {
            name: "#2847-R1",
            status: "OPEN",
            returnLineItems: { nodes: [{ quantity: 1, returnReasonNote: "Trop grand", fulfillmentLineItem: { lineItem: { sku: "PT-2847-40" } } }] },
            exchangeLineItems: { nodes: [{ variantId: replacement, quantity: 1 }] },
          },
        ],
      },
    });
    expect(read.return).toEqual({ createdAt: "2026-01-12T09:00:00Z", requestApprovedAt: "2026-01-12T09:00:00Z", order: { name: "#2847" } });
  });

  it("refuses, with user errors and nothing made: an unknown order, a line of another order, more than shipped, an unknown variant", async () => {
    const cases: Array<[Record<string, unknown>, Array<{ field: string[]; code: string }>]> = [
      [{ orderId: "gid://shopify/Order/99999", returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }] }, [{ field: ["returnInput", "orderId"], code: "NOT_FOUND" }]],
      [{ orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2901"), quantity: 1 }] }, [{ field: ["returnInput", "returnLineItems", "0", "fulfillmentLineItemId"], code: "NOT_FOUND" }]],
      [{ orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 2 }] }, [{ field: ["returnInput", "returnLineItems", "0", "quantity"], code: "LESS_THAN_OR_EQUAL_TO" }]],
      [
        { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }, { fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }] },
        [{ field: ["returnInput", "returnLineItems", "1", "quantity"], code: "LESS_THAN_OR_EQUAL_TO" }],
      ],
      [{ orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 0 }] }, [{ field: ["returnInput", "returnLineItems", "0", "quantity"], code: "GREATER_THAN" }]],
      [{ orderId: orderId("#2847"), returnLineItems: [] }, [{ field: ["returnInput", "returnLineItems"], code: "BLANK" }]],
      [
        { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }], exchangeLineItems: [{ variantId: "gid://shopify/ProductVariant/99999", quantity: 1 }] },
        [{ field: ["returnInput", "exchangeLineItems", "0", "variantId"], code: "NOT_FOUND" }],
      ],
      [
        { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1, returnReasonNote: "x".repeat(256) }] },
        [{ field: ["returnInput", "returnLineItems", "0", "returnReasonNote"], code: "TOO_LONG" }],
      ],
    ];
    for (const [input, expected] of cases) {
      const data = await run<{ returnCreate: Payload }>(RETURN_CREATE, { input });
      expect(data.returnCreate.return, JSON.stringify(input)).toBeNull();
      expect(data.returnCreate.userErrors.map((e) => ({ field: e.field, code: e.code }))).toEqual(expected);
    }
    expect(shop.store.returns).toEqual([]);
  });

  it("counts units already in a return, until that return is declined", async () => {
    const input = { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }] };
    expect((await run<{ returnCreate: Payload }>(RETURN_CREATE, { input })).returnCreate.return?.name).toBe("#2847-R1");
    const again = await run<{ returnCreate: Payload }>(RETURN_CREATE, { input });
    expect(again.returnCreate.userErrors.map((e) => e.message)).toEqual(["Quantity 1 is more than the 0 returnable for this fulfillment line item"]);
    shop.store.returns[0]!.status = "DECLINED";
    expect((await run<{ returnCreate: Payload }>(RETURN_CREATE, { input })).returnCreate.return?.name).toBe("#2847-R2");
  });

  it("refuses input fields it does not model, by name", async () => {
    const result = await shop.execute(RETURN_CREATE, {
      input: { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1, returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/1" }] },
    });
    expect(result.errors?.map((e) => e.message)).toEqual(["Input field ReturnInput.returnLineItems[0].returnReasonDefinitionId is not implemented by the sandbox shop"]);
  });
});

describe("returnRequest", () => {
  it("makes a REQUESTED return, with the customer's note, that the merchant has not approved", async () => {
    const data = await run<{ returnRequest: Payload }>(RETURN_REQUEST, {
      input: { orderId: orderId("#2901"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2901"), quantity: 1, customerNote: "La couleur ne me va pas" }] },
    });
    expect(data.returnRequest.return).toMatchObject({ name: "#2901-R1", status: "REQUESTED" });
    const read = await run<{ order: { returnStatus: string; returns: { nodes: Array<{ returnLineItems: { nodes: Array<{ customerNote: string }> } }> } }; return: { requestApprovedAt: string | null } }>(
      `{ order(id: "${orderId("#2901")}") { returnStatus returns(first: 1) { nodes { returnLineItems(first: 1) { nodes { customerNote } } } } } return(id: "${data.returnRequest.return?.id}") { requestApprovedAt } }`,
    );
    expect(read).toEqual({
      order: { returnStatus: "RETURN_REQUESTED", returns: { nodes: [{ returnLineItems: { nodes: [{ customerNote: "La couleur ne me va pas" }] } }] } },
      return: { requestApprovedAt: null },
    });
  });
});

describe("two sandbox shops", () => {
  it("keep their returns apart", async () => {
    const other = createSandboxShop({ clock: createManualClock(DEMO_NOW), domain: "autre-boutique.myshopify.com" });
    await run(RETURN_CREATE, { input: { orderId: orderId("#2847"), returnLineItems: [{ fulfillmentLineItemId: shippedLine("#2847"), quantity: 1 }] } });
    const data = await other.execute(`{ order(id: "${orderId("#2847")}") { returnStatus returns(first: 5) { nodes { id } } } return(id: "gid://shopify/Return/12001") { id } }`);
    expect(data.errors ?? []).toEqual([]);
    expect(JSON.parse(JSON.stringify(data.data))).toEqual({ order: { returnStatus: "NO_RETURN", returns: { nodes: [] } }, return: null });
  });
});
