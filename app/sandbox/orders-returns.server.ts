/**
 * Returns and exchanges in the sandbox shop, and the fulfilment line items they are made of.
 *
 * - `Fulfillment.fulfillmentLineItems`: what each fulfilment shipped (the seed ships every line of
 *   an order in one fulfilment); a return names these, not the order's line items.
 * - `returnCreate` (ReturnInput: return lines and `exchangeLineItems`) makes an `OPEN` return, as
 *   for a request already approved; `returnRequest` makes a `REQUESTED` one, for the merchant to
 *   approve (https://shopify.dev/docs/apps/build/orders-fulfillment/returns-apps/build-return-management).
 *   Both check the order, that each fulfilment line item belongs to it, and that no more units are
 *   returned than were shipped minus those already in a return that is not cancelled or declined;
 *   exchange lines must name existing variants. Problems come back as `userErrors`, nothing made.
 * - `Order.returns`, `Order.returnStatus`, `QueryRoot.return` and `node` read them back.
 * Input fields the sandbox does not model (fees, reason definitions, discounts) are refused with a
 * named error, like unmodelled fields.
 *
 * Views come in as an argument (`OrderViews`) so that this module needs nothing at run time from
 * `resolvers.server.ts`, which calls into it.
 */
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { connection, type ConnectionArgs } from "./connections.server";
import type { FieldArgs, ObjectView, SandboxContext } from "./resolvers.server";
import {
  findRecord,
  parseGid,
  type FulfillmentLineItemRecord,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type SandboxStore,
  type VariantRecord,
} from "./store.server";

// ───────────────────────────────── Records ─────────────────────────────────

export type ReturnStatus = "REQUESTED" | "OPEN" | "CLOSED" | "CANCELED" | "DECLINED";

export interface ReturnLineItemRecord {
  id: string;
  legacyId: number;
  fulfillmentLineItemId: string;
  quantity: number;
  returnReasonNote: string;
  customerNote: string | null;
}

export interface ExchangeLineItemRecord {
  id: string;
  legacyId: number;
  variantId: string;
  quantity: number;
}

export interface ReturnRecord {
  id: string;
  legacyId: number;
  orderId: string;
  /** "#2847-R1". */
  name: string;
  status: ReturnStatus;
  createdAt: Date;
  /** When the customer asked, if the app said so (`ReturnInput.requestedAt`). */
  requestedAt: Date | null;
  requestApprovedAt: Date | null;
  closedAt: Date | null;
  returnLineItems: ReturnLineItemRecord[];
  exchangeLineItems: ExchangeLineItemRecord[];
}

/** The views of `resolvers.server.ts` this module shows records with. */
export interface OrderViews {
  order(order: OrderRecord): ObjectView;
  lineItem(line: LineItemRecord): ObjectView;
  variant(variant: VariantRecord): ObjectView;
  fulfillment(fulfillment: FulfillmentRecord): ObjectView;
}

const RETURN_BASE = 12000;
const RETURN_LINE_BASE = 13000;
const EXCHANGE_LINE_BASE = 14000;

/** Returns that still hold their units (a cancelled or declined one frees them). */
const HOLDING_STATUSES: ReadonlySet<ReturnStatus> = new Set(["REQUESTED", "OPEN", "CLOSED"]);

// ───────────────────────────────── Helpers ─────────────────────────────────

function formatDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function intArg(args: FieldArgs, name: string): number | null {
  const value = args[name];
  return typeof value === "number" ? value : null;
}

function stringArg(args: FieldArgs, name: string): string | null {
  const value = args[name];
  return typeof value === "string" ? value : null;
}

function connectionArgs(args: FieldArgs): ConnectionArgs {
  return {
    first: intArg(args, "first"),
    last: intArg(args, "last"),
    after: stringArg(args, "after"),
    before: stringArg(args, "before"),
    reverse: args["reverse"] === true,
  };
}

function refuse(args: FieldArgs, info: GraphQLResolveInfo, names: readonly string[]): void {
  for (const name of names) {
    if (args[name] !== undefined && args[name] !== null) {
      throw new GraphQLError(`Argument "${name}" of ${info.parentType.name}.${info.fieldName} is not implemented by the sandbox shop`);
    }
  }
}

function refuseInput(input: Readonly<Record<string, unknown>>, path: string, names: readonly string[]): void {
  for (const name of names) {
    if (input[name] !== undefined && input[name] !== null) {
      throw new GraphQLError(`Input field ${path}.${name} is not implemented by the sandbox shop`);
    }
  }
}

function nextLegacyId(ids: Iterable<number>, base: number): number {
  let max = base;
  for (const id of ids) if (id > max) max = id;
  return max + 1;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function recordsOf(value: unknown): Array<Readonly<Record<string, unknown>>> {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function fulfillmentLineItemsOf(order: OrderRecord): FulfillmentLineItemRecord[] {
  return order.fulfillments.flatMap((f) => f.lineItems);
}

function findFulfillmentLineItem(store: SandboxStore, id: string): { order: OrderRecord; item: FulfillmentLineItemRecord } | null {
  for (const order of store.orders) {
    const item = fulfillmentLineItemsOf(order).find((candidate) => candidate.id === id);
    if (item) return { order, item };
  }
  return null;
}

/** Units of a fulfilment line item already in a return that holds them. */
function unitsInReturns(store: SandboxStore, fulfillmentLineItemId: string): number {
  return store.returns
    .filter((r) => HOLDING_STATUSES.has(r.status))
    .flatMap((r) => r.returnLineItems)
    .filter((line) => line.fulfillmentLineItemId === fulfillmentLineItemId)
    .reduce((sum, line) => sum + line.quantity, 0);
}

function returnStatusOf(store: SandboxStore, order: OrderRecord): string {
  const returns = store.returns.filter((r) => r.orderId === order.id);
  if (returns.some((r) => r.status === "OPEN")) return "IN_PROGRESS";
  if (returns.some((r) => r.status === "REQUESTED")) return "RETURN_REQUESTED";
  if (returns.some((r) => r.status === "CLOSED")) return "RETURNED";
  return "NO_RETURN";
}

// ───────────────────────────────── Views ─────────────────────────────────

export function fulfillmentLineItemView(store: SandboxStore, views: OrderViews, item: FulfillmentLineItemRecord): ObjectView {
  const line = store.orders.flatMap((o) => o.lineItems).find((candidate) => candidate.id === item.lineItemId);
  const total = line ? (Math.round(Number(line.unitPrice) * 100) * item.quantity) / 100 : 0;
  const money = { amount: total.toFixed(2), currencyCode: store.shop.currencyCode };
  return {
    __typename: "FulfillmentLineItem",
    id: item.id,
    quantity: item.quantity,
    lineItem: () => (line ? views.lineItem(line) : null),
    originalTotalSet: { shopMoney: money, presentmentMoney: money },
    discountedTotalSet: { shopMoney: money, presentmentMoney: money },
  };
}

/** Fields added to the `Fulfillment` view. */
export function fulfillmentReturnFields(store: SandboxStore, views: OrderViews, fulfillment: FulfillmentRecord): ObjectView {
  return {
    totalQuantity: fulfillment.lineItems.reduce((sum, item) => sum + item.quantity, 0),
    fulfillmentLineItems: (args: FieldArgs) =>
      connection(fulfillment.lineItems, connectionArgs(args), (item) => fulfillmentLineItemView(store, views, item)),
  };
}

export function returnView(store: SandboxStore, views: OrderViews, record: ReturnRecord): ObjectView {
  const lineView = (line: ReturnLineItemRecord): ObjectView => {
    const found = findFulfillmentLineItem(store, line.fulfillmentLineItemId);
    return {
      __typename: "ReturnLineItem",
      id: line.id,
      quantity: line.quantity,
      returnReasonNote: line.returnReasonNote,
      customerNote: line.customerNote,
      returnReasonDefinition: null,
      processedQuantity: 0,
      unprocessedQuantity: line.quantity,
      processableQuantity: line.quantity,
      refundedQuantity: 0,
      refundableQuantity: 0,
      fulfillmentLineItem: () => (found ? fulfillmentLineItemView(store, views, found.item) : null),
    };
  };
  const exchangeView = (line: ExchangeLineItemRecord): ObjectView => ({
    __typename: "ExchangeLineItem",
    id: line.id,
    variantId: line.variantId,
    quantity: line.quantity,
    processedQuantity: 0,
    unprocessedQuantity: line.quantity,
    processableQuantity: line.quantity,
    // The exchange is added to the order once the return is processed, which the sandbox does not model.
    lineItems: null,
  });
  return {
    __typename: "Return",
    id: record.id,
    name: record.name,
    status: record.status,
    createdAt: formatDateTime(record.createdAt),
    requestApprovedAt: record.requestApprovedAt ? formatDateTime(record.requestApprovedAt) : null,
    closedAt: record.closedAt ? formatDateTime(record.closedAt) : null,
    decline: null,
    totalQuantity: record.returnLineItems.reduce((sum, line) => sum + line.quantity, 0),
    order: () => {
      const order = findRecord(store.orders, record.orderId);
      return order ? views.order(order) : null;
    },
    returnLineItems: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuse(args, info, ["processingStatus"]);
      return connection(record.returnLineItems, connectionArgs(args), lineView);
    },
    exchangeLineItems: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuse(args, info, ["processingStatus"]);
      return connection(record.exchangeLineItems, connectionArgs(args), exchangeView);
    },
  };
}

/** Fields added to the `Order` view. */
export function orderReturnFields(store: SandboxStore, views: OrderViews, order: OrderRecord): ObjectView {
  return {
    returnStatus: () => returnStatusOf(store, order),
    returns: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuse(args, info, ["query"]);
      const returns = store.returns.filter((r) => r.orderId === order.id);
      return connection(returns, connectionArgs(args), (r) => returnView(store, views, r));
    },
  };
}

/** `node(id:)` for the records of this module; null when the id names none of them. */
export function returnNode(store: SandboxStore, views: OrderViews, id: string): ObjectView | null {
  const type = parseGid(id)?.type;
  if (type === "Return") {
    const record = findRecord(store.returns, id);
    return record ? returnView(store, views, record) : null;
  }
  if (type === "FulfillmentLineItem") {
    const found = findFulfillmentLineItem(store, id);
    return found ? fulfillmentLineItemView(store, views, found.item) : null;
  }
  return null;
}

export function createReturnQueryRoot(store: SandboxStore, views: OrderViews): ObjectView {
  return {
    return: (args: FieldArgs) => {
      const id = stringArg(args, "id") ?? "";
      if (!parseGid(id)) throw new GraphQLError(`Invalid global id '${id}'`);
      return parseGid(id)?.type === "Return" ? returnNode(store, views, id) : null;
    },
  };
}

// ───────────────────────────────── Mutations ─────────────────────────────────

interface UserError {
  field: string[];
  message: string;
  code: string;
}

interface ReturnLineInput {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReasonNote: string;
  customerNote: string | null;
}

const MAX_REASON_NOTE = 255;
const MAX_CUSTOMER_NOTE = 300;

function validateReturn(
  store: SandboxStore,
  inputName: string,
  orderId: string,
  lines: ReturnLineInput[],
  exchange: Array<{ variantId: string | null; quantity: number }>,
): { order: OrderRecord | null; errors: UserError[] } {
  const errors: UserError[] = [];
  const order = findRecord(store.orders, orderId) ?? null;
  if (!order) {
    errors.push({ field: [inputName, "orderId"], message: "Order does not exist", code: "NOT_FOUND" });
    return { order, errors };
  }
  if (lines.length === 0) errors.push({ field: [inputName, "returnLineItems"], message: "Return line items can't be blank", code: "BLANK" });
  const asked = new Map<string, number>();
  lines.forEach((line, index) => {
    const field = [inputName, "returnLineItems", String(index)];
    const item = fulfillmentLineItemsOf(order).find((candidate) => candidate.id === line.fulfillmentLineItemId);
    if (!item) {
      errors.push({ field: [...field, "fulfillmentLineItemId"], message: "Fulfillment line item does not exist on this order", code: "NOT_FOUND" });
      return;
    }
    if (line.quantity < 1) {
      errors.push({ field: [...field, "quantity"], message: "Quantity must be greater than 0", code: "GREATER_THAN" });
      return;
    }
    if (line.returnReasonNote.length > MAX_REASON_NOTE) {
      errors.push({ field: [...field, "returnReasonNote"], message: `Return reason note is too long (maximum is ${MAX_REASON_NOTE} characters)`, code: "TOO_LONG" });
    }
    if (line.customerNote !== null && line.customerNote.length > MAX_CUSTOMER_NOTE) {
      errors.push({ field: [...field, "customerNote"], message: `Customer note is too long (maximum is ${MAX_CUSTOMER_NOTE} characters)`, code: "TOO_LONG" });
    }
    const total = (asked.get(item.id) ?? 0) + line.quantity;
    asked.set(item.id, total);
    const returnable = item.quantity - unitsInReturns(store, item.id);
    if (total > returnable) {
      errors.push({
        field: [...field, "quantity"],
        message: `Quantity ${total} is more than the ${Math.max(0, returnable)} returnable for this fulfillment line item`,
        code: "LESS_THAN_OR_EQUAL_TO",
      });
    }
  });
  exchange.forEach((line, index) => {
    const field = [inputName, "exchangeLineItems", String(index)];
    if (!line.variantId) errors.push({ field: [...field, "variantId"], message: "Variant can't be blank", code: "BLANK" });
    else if (!findRecord(store.variants, line.variantId)) errors.push({ field: [...field, "variantId"], message: "Variant does not exist", code: "NOT_FOUND" });
    if (line.quantity < 1) errors.push({ field: [...field, "quantity"], message: "Quantity must be greater than 0", code: "GREATER_THAN" });
  });
  return { order, errors };
}

function createReturn(
  store: SandboxStore,
  order: OrderRecord,
  status: ReturnStatus,
  now: Date,
  requestedAt: Date | null,
  lines: ReturnLineInput[],
  exchange: Array<{ variantId: string; quantity: number }>,
): ReturnRecord {
  const legacyId = nextLegacyId(store.returns.map((r) => r.legacyId), RETURN_BASE);
  let lineId = nextLegacyId(store.returns.flatMap((r) => r.returnLineItems.map((l) => l.legacyId)), RETURN_LINE_BASE);
  let exchangeId = nextLegacyId(store.returns.flatMap((r) => r.exchangeLineItems.map((l) => l.legacyId)), EXCHANGE_LINE_BASE);
  const record: ReturnRecord = {
    id: `gid://shopify/Return/${legacyId}`,
    legacyId,
    orderId: order.id,
    name: `${order.name}-R${store.returns.filter((r) => r.orderId === order.id).length + 1}`,
    status,
    createdAt: now,
    requestedAt,
    requestApprovedAt: status === "OPEN" ? now : null,
    closedAt: null,
    returnLineItems: lines.map((line) => {
      const id = lineId++;
      return { id: `gid://shopify/ReturnLineItem/${id}`, legacyId: id, ...line };
    }),
    exchangeLineItems: exchange.map((line) => {
      const id = exchangeId++;
      return { id: `gid://shopify/ExchangeLineItem/${id}`, legacyId: id, variantId: line.variantId, quantity: line.quantity };
    }),
  };
  store.returns.push(record);
  order.updatedAt = now;
  return record;
}

export function createReturnMutationRoot(store: SandboxStore, views: OrderViews): ObjectView {
  const payload = (typename: string, record: ReturnRecord | null, userErrors: UserError[]): ObjectView => ({
    __typename: typename,
    return: record ? returnView(store, views, record) : null,
    userErrors: userErrors.map((e) => ({ __typename: "ReturnUserError", ...e })),
  });

  return {
    returnCreate: (args: FieldArgs, context: SandboxContext) => {
      const input = isRecord(args["returnInput"]) ? args["returnInput"] : {};
      refuseInput(input, "ReturnInput", ["returnShippingFee", "notifyCustomer", "unprocessed"]);
      const lines = recordsOf(input["returnLineItems"]).map((line, index): ReturnLineInput => {
        refuseInput(line, `ReturnInput.returnLineItems[${index}]`, ["restockingFee", "returnReasonDefinitionId", "returnReason"]);
        return {
          fulfillmentLineItemId: String(line["fulfillmentLineItemId"]),
          quantity: Number(line["quantity"]),
          returnReasonNote: typeof line["returnReasonNote"] === "string" ? line["returnReasonNote"] : "",
          customerNote: null,
        };
      });
      const exchange = recordsOf(input["exchangeLineItems"]).map((line, index) => {
        refuseInput(line, `ReturnInput.exchangeLineItems[${index}]`, ["appliedDiscount", "giftCardCodes"]);
        return { variantId: typeof line["variantId"] === "string" ? line["variantId"] : null, quantity: Number(line["quantity"]) };
      });
      const { order, errors } = validateReturn(store, "returnInput", String(input["orderId"]), lines, exchange);
      if (!order || errors.length > 0) return payload("ReturnCreatePayload", null, errors);
      const requestedAt = typeof input["requestedAt"] === "string" ? new Date(input["requestedAt"]) : null;
      const kept = exchange.flatMap((line) => (line.variantId ? [{ variantId: line.variantId, quantity: line.quantity }] : []));
      return payload("ReturnCreatePayload", createReturn(store, order, "OPEN", context.clock.now(), requestedAt, lines, kept), []);
    },

    returnRequest: (args: FieldArgs, context: SandboxContext) => {
      const input = isRecord(args["input"]) ? args["input"] : {};
      refuseInput(input, "ReturnRequestInput", ["returnShippingFee"]);
      const lines = recordsOf(input["returnLineItems"]).map((line, index): ReturnLineInput => {
        refuseInput(line, `ReturnRequestInput.returnLineItems[${index}]`, ["restockingFee", "returnReasonDefinitionId", "returnReason"]);
        return {
          fulfillmentLineItemId: String(line["fulfillmentLineItemId"]),
          quantity: Number(line["quantity"]),
          returnReasonNote: "",
          customerNote: typeof line["customerNote"] === "string" ? line["customerNote"] : null,
        };
      });
      const { order, errors } = validateReturn(store, "input", String(input["orderId"]), lines, []);
      if (!order || errors.length > 0) return payload("ReturnRequestPayload", null, errors);
      return payload("ReturnRequestPayload", createReturn(store, order, "REQUESTED", context.clock.now(), null, lines, []), []);
    },
  };
}
