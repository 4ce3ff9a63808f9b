/**
 * Returns capability on Shopify: a return, or an exchange (return lines plus replacement variants),
 * through `returnCreate` (see `RETURN_CREATE_MUTATION` for why not `returnRequest`).
 *
 * - A return names fulfilment line items, not order line items: each requested line is spread over
 *   the fulfilment line items that shipped it, minus the units already in a return that holds them
 *   (requested, open or closed).
 * - Idempotency: `returnCreate` declares no `@idempotent` support in 2026-04, so before creating,
 *   the order's latest returns are read and an open one (REQUESTED or OPEN) with the same lines and
 *   the same replacement variants is returned instead of a second one. The same request twice is one
 *   return; a different request on the same order is a new one.
 */
import type { AdminClient } from "./admin-client";
import {
  ORDER_FOR_RETURN_QUERY,
  RETURN_CREATE_MUTATION,
  type ExistingReturnNode,
  type OrderForReturnQueryData,
  type OrderForReturnQueryVariables,
  type ReturnCreateMutationData,
  type ReturnCreateMutationVariables,
} from "./documents-orders";
import { InvalidPayloadError, NotFoundError, ProviderError, type ReturnRequest, type ReturnResult, type Returns } from "~/plugins/types";

/** `ReturnLineItemInput.returnReasonNote` holds at most 255 characters. */
const MAX_REASON_NOTE = 255;
const OPEN_STATUSES: ReadonlySet<string> = new Set(["REQUESTED", "OPEN"]);

type Order = NonNullable<OrderForReturnQueryData["order"]>;

function sumBy<T>(items: readonly T[], key: (item: T) => string | null, quantity: (item: T) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) totals.set(k, (totals.get(k) ?? 0) + quantity(item));
  }
  return totals;
}

function sameTotals(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The open return on the order asking for exactly these lines and replacements, if any. */
function findSameOpenReturn(order: Order, input: ReturnRequest): ExistingReturnNode | null {
  const wantedLines = sumBy(input.lines, (l) => l.lineItemId, (l) => l.quantity);
  const wantedExchange = sumBy(input.exchange ?? [], (l) => l.variantId, (l) => l.quantity);
  return (
    order.returns.nodes.find((existing) => {
      if (!OPEN_STATUSES.has(existing.status)) return false;
      const lines = sumBy(existing.returnLineItems.nodes, (l) => l.fulfillmentLineItem?.lineItem.id ?? null, (l) => l.quantity);
      const exchange = sumBy(existing.exchangeLineItems.nodes, (l) => l.variantId, (l) => l.quantity);
      return sameTotals(lines, wantedLines) && sameTotals(exchange, wantedExchange);
    }) ?? null
  );
}

/** Spread each requested line over the fulfilment line items that shipped it and are not returned yet. */
function allocate(order: Order, input: ReturnRequest): ReturnCreateMutationVariables["returnInput"]["returnLineItems"] {
  const inReturns = sumBy(
    order.returns.nodes.filter((r) => r.status !== "CANCELED" && r.status !== "DECLINED").flatMap((r) => r.returnLineItems.nodes),
    (l) => l.fulfillmentLineItem?.id ?? null,
    (l) => l.quantity,
  );
  const shipped = order.fulfillments.flatMap((f) => f.fulfillmentLineItems.nodes);
  const result: ReturnCreateMutationVariables["returnInput"]["returnLineItems"] = [];
  for (const line of input.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new InvalidPayloadError(`return of ${line.lineItemId}: quantity must be a positive whole number`);
    }
    const candidates = shipped.filter((item) => item.lineItem.id === line.lineItemId);
    if (candidates.length === 0) {
      throw new InvalidPayloadError(`line ${line.lineItemId} of order ${order.name} has not been shipped (or is not on the order)`);
    }
    let missing = line.quantity;
    const note = line.reason.trim().slice(0, MAX_REASON_NOTE);
    for (const item of candidates) {
      const free = (item.quantity ?? 0) - (inReturns.get(item.id) ?? 0);
      const take = Math.min(missing, free);
      if (take <= 0) continue;
      result.push({ fulfillmentLineItemId: item.id, quantity: take, ...(note ? { returnReasonNote: note } : {}) });
      inReturns.set(item.id, (inReturns.get(item.id) ?? 0) + take);
      missing -= take;
      if (missing === 0) break;
    }
    if (missing > 0) {
      throw new InvalidPayloadError(`line ${line.lineItemId} of order ${order.name}: ${line.quantity - missing} of ${line.quantity} units can still be returned`);
    }
  }
  return result;
}

export function createShopifyReturns(deps: { admin: AdminClient }): Returns {
  const { admin } = deps;
  return {
    async request(input): Promise<ReturnResult> {
      if (input.lines.length === 0) throw new InvalidPayloadError("a return needs at least one line");
      const variables: OrderForReturnQueryVariables = { id: input.orderId };
      const { order } = await admin.request<OrderForReturnQueryData>(ORDER_FOR_RETURN_QUERY, { ...variables });
      if (!order) throw new NotFoundError(`no order ${input.orderId} in ${admin.shopDomain}`);

      const same = findSameOpenReturn(order, input);
      if (same) return { id: same.id, name: same.name, status: same.status };

      const exchange = (input.exchange ?? []).map((l) => {
        if (!Number.isInteger(l.quantity) || l.quantity < 1) throw new InvalidPayloadError(`exchange for ${l.variantId}: quantity must be a positive whole number`);
        return { variantId: l.variantId, quantity: l.quantity };
      });
      const mutation: ReturnCreateMutationVariables = {
        returnInput: {
          orderId: order.id,
          returnLineItems: allocate(order, input),
          ...(exchange.length > 0 ? { exchangeLineItems: exchange } : {}),
        },
      };
      const data = await admin.request<ReturnCreateMutationData>(RETURN_CREATE_MUTATION, { ...mutation });
      const payload = data.returnCreate;
      const errors = payload?.userErrors ?? [];
      if (errors.length > 0 || !payload?.return) {
        const first = errors[0];
        const message = errors.map((e) => `${(e.field ?? []).join(".")}: ${e.message}`).join("; ") || "returnCreate gave no return";
        if (first?.code === "NOT_FOUND") throw new NotFoundError(`returnCreate on ${order.name}: ${message}`);
        throw new ProviderError(`returnCreate on ${order.name}: ${message}`, { provider: "shopify", code: first?.code ?? undefined, retryable: false });
      }
      return { id: payload.return.id, name: payload.return.name, status: payload.return.status };
    },
  };
}
