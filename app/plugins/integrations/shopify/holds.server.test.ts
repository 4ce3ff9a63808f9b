/**
 * The Shopify `Holds` capability on the sandbox shop, for what the shared contract
 * (tests/contracts/holds.contract.ts) does not see: what the draft order carries, the
 * compensation for Shopify's overselling reservations, same-key races, and error mapping.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { InvalidPayloadError, NotFoundError, ProviderError, UnavailableError } from "~/plugins/types";
import { createSandboxShop, type SandboxShop } from "~/sandbox/sandbox-shop.server";
import type { AdminClient } from "./admin-client";
import { HOLD_CREATE_MUTATION, HOLDS_SEARCH_QUERY, type HoldsSearchQueryData } from "./documents-holds";
import { createShopifyHolds, HOLD_TAG, idempotencyTag } from "./holds.server";
import { createShopifyInventory } from "./inventory.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const HOUR = 3_600_000;
const JULIE = "gid://shopify/Customer/6001";

let clock: ManualClock;
let shop: SandboxShop;

beforeEach(() => {
  clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock });
});

function variantId(sku: string): string {
  const variant = shop.store.variants.find((v) => v.sku === sku);
  if (!variant) throw new Error(`no variant ${sku}`);
  return variant.id;
}

async function available(sku: string): Promise<number> {
  return (await createShopifyInventory({ admin: shop.adminClient() }).availability(variantId(sku))).available;
}

async function liveDrafts(): Promise<HoldsSearchQueryData["draftOrders"]["nodes"]> {
  return (await shop.adminClient().request<HoldsSearchQueryData>(HOLDS_SEARCH_QUERY, { query: "" })).draftOrders.nodes;
}

interface SentRequest {
  document: string;
  variables: Record<string, unknown> | undefined;
}

/** The sandbox shop's client, recording what is sent and letting a test act right after a request. */
function recordingClient(after?: (request: SentRequest) => void): { admin: AdminClient; sent: SentRequest[] } {
  const inner = shop.adminClient();
  const sent: SentRequest[] = [];
  return {
    sent,
    admin: {
      shopDomain: inner.shopDomain,
      async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
        const result = await inner.request<T>(document, variables);
        const request = { document, variables };
        sent.push(request);
        after?.(request);
        return result;
      },
    },
  };
}

const createInput = (overrides: Partial<Parameters<ReturnType<typeof createShopifyHolds>["create"]>[0]> = {}) => ({
  customerId: JULIE,
  lines: [{ variantId: variantId("RF-2847-38"), quantity: 1 }],
  expiresAt: new Date(DEMO_NOW.getTime() + 24 * HOUR),
  idempotencyKey: "conversation-1:message-7",
  ...overrides,
});

describe("create", () => {
  it("makes a draft order for the customer, tagged for the app and its key, reserving until the deadline", async () => {
    const { admin, sent } = recordingClient();
    const hold = await createShopifyHolds({ admin }).create(createInput({ note: "Passe samedi" }));

    expect(hold).toEqual({
      id: "gid://shopify/DraftOrder/20001",
      name: "#D1",
      customerId: JULIE,
      lines: [{ variantId: variantId("RF-2847-38"), quantity: 1, sku: "RF-2847-38", title: "Robe Fleurie Bleue", size: "38" }],
      expiresAt: new Date("2026-01-13T09:00:00Z"),
      status: "open",
      orderId: null,
    });
    const create = sent.find((r) => r.document === HOLD_CREATE_MUTATION);
    expect(create?.variables).toEqual({
      input: {
        purchasingEntity: { customerId: JULIE },
        lineItems: [{ variantId: variantId("RF-2847-38"), quantity: 1 }],
        reserveInventoryUntil: "2026-01-13T09:00:00.000Z",
        tags: [HOLD_TAG, idempotencyTag("conversation-1:message-7")],
        note: "Passe samedi",
      },
    });
    // draftOrderCreate takes no @idempotent key in 2026-04: sending one would be refused.
    expect(create?.document).not.toContain("@idempotent");
    expect(await available("RF-2847-38")).toBe(1);
  });

  it("sends one line per variant, with the quantities added up", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    const hold = await holds.create(
      createInput({
        lines: [
          { variantId: variantId("RF-2847-40"), quantity: 1 },
          { variantId: variantId("RF-2847-40"), quantity: 1 },
          { variantId: variantId("RF-2847-36"), quantity: 1 },
        ],
      }),
    );
    expect(hold.lines.map((l) => [l.sku, l.quantity])).toEqual([["RF-2847-40", 2], ["RF-2847-36", 1]]);
    expect(await available("RF-2847-40")).toBe(1);
    expect(await available("RF-2847-36")).toBe(0);
  });

  it("checks availability before creating anything", async () => {
    const { admin, sent } = recordingClient();
    await expect(createShopifyHolds({ admin }).create(createInput({ lines: [{ variantId: variantId("RF-2847-38"), quantity: 3 }] }))).rejects.toThrow(
      new UnavailableError(`variant ${variantId("RF-2847-38")}: 3 requested, 2 available in elegance-paris.myshopify.com`),
    );
    expect(sent.some((r) => r.document === HOLD_CREATE_MUTATION)).toBe(false);
  });

  it("backs out when the re-read shows the reservation oversold (Shopify does not refuse it): draft deleted, UnavailableError", async () => {
    // A sale at the till lands between Shopify accepting the draft and the app re-reading stock.
    const level = shop.store.inventoryLevels.find((l) => l.inventoryItemId === shop.store.variants.find((v) => v.sku === "RF-2847-38")?.inventoryItemId);
    if (!level) throw new Error("no level");
    const { admin } = recordingClient((request) => {
      if (request.document === HOLD_CREATE_MUTATION) level.onHand -= 2;
    });
    const outcome = await createShopifyHolds({ admin }).create(createInput()).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(UnavailableError);
    expect((outcome as Error).message).toBe(`variant ${variantId("RF-2847-38")} oversold by 1: hold gid://shopify/DraftOrder/20001 withdrawn`);
    expect(await liveDrafts()).toEqual([]);
    expect(level.reserved).toBe(0);
  });

  it("returns the same hold for the same key, even for calls racing past the first look-up", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    const input = createInput({ lines: [{ variantId: variantId("RF-2847-40"), quantity: 1 }] });
    const racing = await Promise.all([holds.create(input), holds.create(input), holds.create(input)]);
    expect(new Set(racing.map((h) => h.id)).size).toBe(1);
    expect((await liveDrafts()).map((d) => d.id)).toEqual([racing[0]?.id]);
    expect(await available("RF-2847-40")).toBe(2);
    expect((await holds.create(input)).id).toBe(racing[0]?.id);
  });

  it("keys the tag on a hash that fits Shopify's 40-character tags", () => {
    const long = idempotencyTag("x".repeat(500));
    expect(long).toMatch(/^coccinelle-key-[0-9a-f]{24}$/);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(idempotencyTag("a")).toBe(idempotencyTag("a"));
    expect(idempotencyTag("a")).not.toBe(idempotencyTag("b"));
  });

  it("refuses malformed input, an unknown customer and an unknown variant", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    await expect(holds.create(createInput({ lines: [] }))).rejects.toBeInstanceOf(InvalidPayloadError);
    await expect(holds.create(createInput({ lines: [{ variantId: variantId("RF-2847-38"), quantity: 0 }] }))).rejects.toBeInstanceOf(InvalidPayloadError);
    await expect(holds.create(createInput({ idempotencyKey: " " }))).rejects.toBeInstanceOf(InvalidPayloadError);
    await expect(holds.create(createInput({ customerId: "gid://shopify/Customer/6999" }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(holds.create(createInput({ lines: [{ variantId: "gid://shopify/ProductVariant/2999", quantity: 1 }] }))).rejects.toBeInstanceOf(NotFoundError);
    expect(await liveDrafts()).toEqual([]);
  });
});

describe("extend, cancel, complete, list", () => {
  it("extend of an expired hold whose units were taken meanwhile is UnavailableError", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    const first = await holds.create(createInput({ lines: [{ variantId: variantId("RF-2847-36"), quantity: 1 }], expiresAt: new Date(DEMO_NOW.getTime() + HOUR) }));
    clock.advance(2 * HOUR);
    await holds.create(createInput({ idempotencyKey: "other", lines: [{ variantId: variantId("RF-2847-36"), quantity: 1 }] }));
    await expect(holds.extend(first.id, new Date(clock.now().getTime() + HOUR))).rejects.toBeInstanceOf(UnavailableError);
  });

  it("completes with payment pending through 'due on receipt' payment terms", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    const hold = await holds.create(createInput());
    const completed = await holds.complete(hold.id, { paymentPending: true });
    const order = shop.store.orders.find((o) => o.id === completed.orderId);
    expect(order?.displayFinancialStatus).toBe("PENDING");
    const paid = await holds.complete((await holds.create(createInput({ idempotencyKey: "paid" }))).id);
    expect(shop.store.orders.find((o) => o.id === paid.orderId)?.displayFinancialStatus).toBe("PAID");
  });

  it("cancel of a completed hold is a ProviderError, and leaves the order alone", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    const hold = await holds.complete((await holds.create(createInput())).id);
    const outcome = await holds.cancel(hold.id).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ProviderError);
    expect((outcome as ProviderError).details).toEqual({ provider: "shopify", code: "COMPLETED", retryable: false });
    expect(await available("RF-2847-38")).toBe(1);
  });

  it("cancel of an unknown or malformed id is not an error either: there is no such hold", async () => {
    const holds = createShopifyHolds({ admin: shop.adminClient() });
    await expect(holds.cancel("gid://shopify/DraftOrder/20999")).resolves.toBeUndefined();
    await expect(holds.cancel("draft-order-1")).resolves.toBeUndefined();
  });

  it("lists by the customer's numeric id; a hold past its deadline is still an open draft until cancelled", async () => {
    const { admin, sent } = recordingClient();
    const holds = createShopifyHolds({ admin });
    const hold = await holds.create(createInput({ expiresAt: new Date(DEMO_NOW.getTime() + HOUR) }));
    clock.advance(2 * HOUR);
    expect((await holds.listByCustomer(JULIE)).map((h) => h.id)).toEqual([hold.id]);
    expect(sent.at(-1)?.variables).toEqual({ query: "customer_id:6001 tag:coccinelle-hold status:open", after: null });
    await expect(holds.listByCustomer("julie")).rejects.toBeInstanceOf(InvalidPayloadError);
  });
});
