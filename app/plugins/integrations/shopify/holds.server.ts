/**
 * Holds capability on Shopify: a hold is a draft order for the customer, tagged `coccinelle-hold`,
 * with `reserveInventoryUntil` = the hold's deadline, so that Shopify itself reserves the units and
 * releases them at the deadline
 * (https://shopify.dev/docs/api/admin-graphql/2026-04/mutations/draftOrderCreate, "reserve inventory").
 *
 * Create, in order:
 * 1. Idempotency: `draftOrderCreate` takes no `@idempotent` key in 2026-04, so the key is written
 *    on the draft as a tag (`coccinelle-key-<hash>`, a hash so it fits Shopify's 40-character tag
 *    limit) and a draft already carrying it is returned instead of creating another.
 * 2. Availability first: a line asking for more than `available` throws `UnavailableError`.
 * 3. `draftOrderCreate`. The sandbox shop refuses, with a userError, a reservation for units that
 *    are not available (its check-and-reserve is atomic); that outcome is `UnavailableError` too.
 * 4. Two creates with the same key racing past step 1 both create: the oldest draft with the key
 *    wins and the other deletes its own and returns the winner.
 * 5. Compensation for real Shopify, which lets a reservation oversell: `available` is read again,
 *    and if a line's variant went negative the draft is deleted and `UnavailableError` thrown. When
 *    two holds race for the last unit there, both may back out; neither ever oversells.
 *
 * Step 1 and 4 rely on the draft-order search, which Shopify updates a moment after a write: on a
 * real shop they stop retries made seconds apart, and the app's own `holds` table (one row per
 * idempotency key) remains the first guard against a double hold.
 */
import { createHash } from "node:crypto";
import { AdminGraphqlError, type AdminClient } from "./admin-client";
import {
  HOLD_COMPLETE_MUTATION,
  HOLD_CREATE_MUTATION,
  HOLD_DELETE_MUTATION,
  HOLD_QUERY,
  HOLD_UPDATE_MUTATION,
  HOLDS_SEARCH_QUERY,
  RECEIPT_PAYMENT_TERMS_QUERY,
  type HoldCompleteMutationData,
  type HoldCompleteMutationVariables,
  type HoldCreateMutationData,
  type HoldCreateMutationVariables,
  type HoldDeleteMutationData,
  type HoldDeleteMutationVariables,
  type HoldNode,
  type HoldQueryData,
  type HoldQueryVariables,
  type HoldsSearchQueryData,
  type HoldsSearchQueryVariables,
  type HoldUpdateMutationData,
  type HoldUpdateMutationVariables,
  type ReceiptPaymentTermsQueryData,
  type UserErrorNode,
} from "./documents-holds";
import { createShopifyInventory } from "./inventory.server";
import {
  InvalidPayloadError,
  NotFoundError,
  ProviderError,
  UnavailableError,
  type HoldLine,
  type Holds,
  type ProviderHold,
} from "~/plugins/types";

/** The tag that marks the app's draft orders. */
export const HOLD_TAG = "coccinelle-hold";
const KEY_TAG_PREFIX = "coccinelle-key-";
/** At most this many search pages (50 drafts each) are read for one customer. */
const MAX_SEARCH_PAGES = 10;

/** Same size option names as the catalogue (`inventory.server.ts`). */
const SIZE_OPTION = /^(taille|size|pointure|talla|gr(ö|oe)sse)$/i;
/** userError messages about stock, from Shopify or the sandbox shop. */
const STOCK_MESSAGE = /inventory|stock|not available|unavailable/i;

/** The tag that carries a hold's idempotency key: 15 + 24 characters, within the 40 Shopify allows. */
export function idempotencyTag(key: string): string {
  return KEY_TAG_PREFIX + createHash("sha256").update(key, "utf8").digest("hex").slice(0, 24);
}

/** Shopify's search syntax takes the numeric id after `customer_id:`. */
function legacyIdOf(gid: string): string | null {
  return /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(gid)?.[1] ?? null;
}

export function toProviderHold(node: HoldNode): ProviderHold {
  const lines = node.lineItems.nodes.flatMap((line) => {
    // A line whose variant was deleted from the catalogue names nothing the customer can collect.
    if (!line.variant) return [];
    const size = line.variant.selectedOptions.find((o) => SIZE_OPTION.test(o.name))?.value ?? null;
    return [{ variantId: line.variant.id, quantity: line.quantity, sku: line.sku || null, title: line.title, size }];
  });
  return {
    id: node.id,
    name: node.name,
    customerId: node.customer?.id ?? null,
    lines,
    // A draft without a deadline reserves nothing: it is as good as expired since its creation.
    expiresAt: new Date(node.reserveInventoryUntil ?? node.createdAt),
    status: node.status === "COMPLETED" ? "completed" : "open",
    orderId: node.order?.id ?? null,
  };
}

function userErrorText(errors: readonly UserErrorNode[]): string {
  return errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");
}

function providerError(operation: string, errors: readonly UserErrorNode[]): ProviderError {
  return new ProviderError(`Shopify ${operation} refused: ${userErrorText(errors)}`, {
    provider: "shopify",
    code: "USER_ERROR",
    retryable: false,
  });
}

function checkInput(input: { lines: HoldLine[]; expiresAt: Date; idempotencyKey: string }): void {
  if (input.lines.length === 0) throw new InvalidPayloadError("a hold needs at least one line");
  for (const line of input.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new InvalidPayloadError(`hold line ${line.variantId}: quantity must be a positive integer, got ${line.quantity}`);
    }
  }
  if (Number.isNaN(input.expiresAt.getTime())) throw new InvalidPayloadError("a hold needs a valid expiresAt");
  if (input.idempotencyKey.trim() === "") throw new InvalidPayloadError("a hold needs an idempotency key");
}

function quantitiesByVariant(lines: readonly HoldLine[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
  return wanted;
}

export function createShopifyHolds(deps: { admin: AdminClient }): Holds {
  const { admin } = deps;
  const inventory = createShopifyInventory(deps);

  const search = async (query: string, maxPages = MAX_SEARCH_PAGES): Promise<HoldNode[]> => {
    const nodes: HoldNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const variables: HoldsSearchQueryVariables = { query, after };
      const data: HoldsSearchQueryData = await admin.request<HoldsSearchQueryData>(HOLDS_SEARCH_QUERY, { ...variables });
      nodes.push(...data.draftOrders.nodes);
      if (!data.draftOrders.pageInfo.hasNextPage) break;
      after = data.draftOrders.pageInfo.endCursor;
    }
    return nodes;
  };

  /** The oldest draft carrying the key (drafts are sorted by id, which grows with time). */
  const findByKey = async (keyTag: string): Promise<HoldNode | null> => (await search(`tag:${keyTag}`, 1))[0] ?? null;

  const read = async (holdId: string): Promise<HoldNode | null> => {
    const variables: HoldQueryVariables = { id: holdId };
    try {
      return (await admin.request<HoldQueryData>(HOLD_QUERY, { ...variables })).draftOrder;
    } catch (error) {
      // A malformed id is an error in Shopify's answer, not a null; for the caller it is the same.
      if (error instanceof AdminGraphqlError && error.errors.some((e) => /invalid.*id/i.test(e.message))) return null;
      throw error;
    }
  };

  const remove = async (holdId: string): Promise<HoldDeleteMutationData["draftOrderDelete"]> => {
    const variables: HoldDeleteMutationVariables = { input: { id: holdId } };
    return (await admin.request<HoldDeleteMutationData>(HOLD_DELETE_MUTATION, { ...variables })).draftOrderDelete;
  };

  /** Units available now for each variant, summed over locations without clamping (negative = oversold). */
  const availableNow = async (variantIds: Iterable<string>): Promise<Map<string, number>> => {
    const entries = await Promise.all(
      [...variantIds].map(async (variantId) => {
        const availability = await inventory.availability(variantId);
        return [variantId, availability.locations.reduce((sum, l) => sum + l.available, 0)] as const;
      }),
    );
    return new Map(entries);
  };

  /** What a refused mutation on an existing hold means: gone, out of stock, or a real refusal. */
  const explain = async (operation: string, holdId: string, errors: readonly UserErrorNode[]): Promise<Error> => {
    if (errors.some((e) => STOCK_MESSAGE.test(e.message))) return new UnavailableError(`hold ${holdId}: ${userErrorText(errors)}`);
    const current = await read(holdId);
    if (!current) return new NotFoundError(`no hold ${holdId} in ${admin.shopDomain}`);
    return providerError(operation, errors);
  };

  const update = async (holdId: string, input: HoldUpdateMutationVariables["input"]): Promise<HoldNode> => {
    const variables: HoldUpdateMutationVariables = { id: holdId, input };
    const result = (await admin.request<HoldUpdateMutationData>(HOLD_UPDATE_MUTATION, { ...variables })).draftOrderUpdate;
    const errors = result?.userErrors ?? [];
    if (errors.length > 0 || !result?.draftOrder) throw await explain("draftOrderUpdate", holdId, errors);
    return result.draftOrder;
  };

  return {
    async create(input) {
      checkInput(input);
      const keyTag = idempotencyTag(input.idempotencyKey);
      const existing = await findByKey(keyTag);
      if (existing) return toProviderHold(existing);
      // A call with the same key may have taken the units a moment ago: then its hold is the answer.
      const unavailable = async (message: string): Promise<ProviderHold> => {
        const sameKey = await findByKey(keyTag);
        if (sameKey) return toProviderHold(sameKey);
        throw new UnavailableError(message);
      };

      const wanted = quantitiesByVariant(input.lines);
      const before = await availableNow(wanted.keys());
      for (const [variantId, quantity] of wanted) {
        const available = Math.max(0, before.get(variantId) ?? 0);
        if (available < quantity) {
          return unavailable(`variant ${variantId}: ${quantity} requested, ${available} available in ${admin.shopDomain}`);
        }
      }

      const variables: HoldCreateMutationVariables = {
        input: {
          purchasingEntity: { customerId: input.customerId },
          lineItems: [...wanted].map(([variantId, quantity]) => ({ variantId, quantity })),
          reserveInventoryUntil: input.expiresAt.toISOString(),
          tags: [HOLD_TAG, keyTag],
          ...(input.note ? { note: input.note } : {}),
        },
      };
      const result = (await admin.request<HoldCreateMutationData>(HOLD_CREATE_MUTATION, { ...variables })).draftOrderCreate;
      const errors = result?.userErrors ?? [];
      if (errors.some((e) => e.field?.includes("customerId"))) {
        throw new NotFoundError(`no customer ${input.customerId} in ${admin.shopDomain}: ${userErrorText(errors)}`);
      }
      if (errors.some((e) => STOCK_MESSAGE.test(e.message))) return unavailable(userErrorText(errors));
      if (errors.length > 0 || !result?.draftOrder) throw providerError("draftOrderCreate", errors);
      const created = result.draftOrder;

      // Same key, created twice by racing calls: the oldest draft is the hold.
      const winner = await findByKey(keyTag);
      if (winner && winner.id !== created.id) {
        await remove(created.id);
        return toProviderHold(winner);
      }

      // Real Shopify lets a reservation oversell: back out if this one did.
      const after = await availableNow(wanted.keys());
      const oversold = [...after].filter(([, available]) => available < 0);
      if (oversold.length > 0) {
        await remove(created.id);
        throw new UnavailableError(
          `${oversold.map(([variantId, available]) => `variant ${variantId} oversold by ${-available}`).join(", ")}: hold ${created.id} withdrawn`,
        );
      }
      return toProviderHold(created);
    },

    async extend(holdId, expiresAt) {
      if (Number.isNaN(expiresAt.getTime())) throw new InvalidPayloadError("extend needs a valid expiresAt");
      return toProviderHold(await update(holdId, { reserveInventoryUntil: expiresAt.toISOString() }));
    },

    async cancel(holdId) {
      const result = await remove(holdId);
      const errors = result?.userErrors ?? [];
      if (errors.length === 0 && result?.deletedId) return;
      // Cancelling a hold that is already gone is not an error; any other refusal is.
      const current = await read(holdId);
      if (!current) return;
      if (current.status === "COMPLETED") {
        throw new ProviderError(`hold ${holdId} was completed (order ${current.order?.id ?? "?"}): it can no longer be cancelled`, {
          provider: "shopify",
          code: "COMPLETED",
          retryable: false,
        });
      }
      throw providerError("draftOrderDelete", errors);
    },

    async complete(holdId, options) {
      if (options?.paymentPending) {
        // 2026-04 has no `paymentPending` argument: "Due on receipt" payment terms on the draft
        // leave the order's payment pending when it is completed.
        const templates = await admin.request<ReceiptPaymentTermsQueryData>(RECEIPT_PAYMENT_TERMS_QUERY);
        const receipt = templates.paymentTermsTemplates.find((t) => t.paymentTermsType === "RECEIPT");
        if (!receipt) {
          throw new ProviderError(`${admin.shopDomain} offers no "due on receipt" payment terms`, { provider: "shopify", retryable: false });
        }
        const current = await read(holdId);
        if (!current) throw new NotFoundError(`no hold ${holdId} in ${admin.shopDomain}`);
        if (current.status === "COMPLETED") return toProviderHold(current);
        await update(holdId, { paymentTerms: { paymentTermsTemplateId: receipt.id } });
      }
      const variables: HoldCompleteMutationVariables = { id: holdId };
      const result = (await admin.request<HoldCompleteMutationData>(HOLD_COMPLETE_MUTATION, { ...variables })).draftOrderComplete;
      const errors = result?.userErrors ?? [];
      if (errors.length === 0 && result?.draftOrder) return toProviderHold(result.draftOrder);
      // Completing twice answers the order of the first completion.
      const current = await read(holdId);
      if (current?.status === "COMPLETED") return toProviderHold(current);
      throw await explain("draftOrderComplete", holdId, errors);
    },

    async listByCustomer(customerId) {
      const legacyId = legacyIdOf(customerId);
      if (!legacyId) throw new InvalidPayloadError(`not a Shopify customer id: ${customerId}`);
      const nodes = await search(`customer_id:${legacyId} tag:${HOLD_TAG} status:open`);
      return nodes.map(toProviderHold);
    },
  };
}
