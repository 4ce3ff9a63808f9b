/**
 * Admin GraphQL documents of the `Holds` capability: a hold is a draft order that reserves
 * inventory until `reserveInventoryUntil`, so that Shopify itself holds the units and gives them
 * back at the deadline (https://shopify.dev/docs/api/admin-graphql/2026-04/input-objects/DraftOrderInput).
 *
 * Checked against the 2026-04 schema (`tests/graphql-documents.test.ts` validates each one):
 * - `DraftOrderInput` has no `customerId` in 2026-04: the customer is `purchasingEntity.customerId`.
 * - `draftOrderCreate` does not support the `@idempotent` directive (only the mutations whose
 *   description says so do: inventory adjustments, refunds…), so the hold's idempotency key travels
 *   as a tag on the draft, and `holds.server.ts` looks it up before creating.
 * - `draftOrderComplete` has no `paymentPending` argument any more (`id`, `paymentGatewayId`,
 *   `sourceName` only): a payment-pending order comes from payment terms set on the draft first
 *   ("Due on receipt", from `paymentTermsTemplates`).
 * - `DraftOrder.note` is `note2`; `DraftOrderDeletePayload` answers `deletedId` only.
 *
 * Each document is a static template literal starting with `#graphql` (no interpolation), so the
 * draft-order selection is written out in each of them.
 */

export interface UserErrorNode {
  field: string[] | null;
  message: string;
}

export interface HoldLineNode {
  quantity: number;
  sku: string | null;
  /** The product's title. */
  title: string;
  variantTitle: string | null;
  /** Null when the variant was deleted from the catalogue after the hold was made. */
  variant: { id: string; selectedOptions: Array<{ name: string; value: string }> } | null;
}

export type DraftOrderStatus = "OPEN" | "INVOICE_SENT" | "COMPLETED";

/** The draft-order selection every document below makes. */
export interface HoldNode {
  id: string;
  /** "#D12". */
  name: string;
  status: DraftOrderStatus;
  /** `DateTime` (ISO 8601, UTC); null when the draft reserves nothing. */
  reserveInventoryUntil: string | null;
  createdAt: string;
  tags: string[];
  customer: { id: string } | null;
  order: { id: string } | null;
  lineItems: { nodes: HoldLineNode[] };
}

// ───────────────────────────────── Create ─────────────────────────────────

/** Create the draft order that reserves the units. */
export const HOLD_CREATE_MUTATION = `#graphql
  mutation HoldCreate($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        id
        name
        status
        reserveInventoryUntil
        createdAt
        tags
        customer {
          id
        }
        order {
          id
        }
        lineItems(first: 50) {
          nodes {
            quantity
            sku
            title
            variantTitle
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** The part of `DraftOrderInput` a hold uses. */
export interface HoldCreateInput {
  purchasingEntity: { customerId: string };
  lineItems: Array<{ variantId: string; quantity: number }>;
  /** ISO 8601. */
  reserveInventoryUntil: string;
  tags: string[];
  note?: string;
}

export interface HoldCreateMutationVariables {
  input: HoldCreateInput;
}

export interface HoldCreateMutationData {
  draftOrderCreate: { draftOrder: HoldNode | null; userErrors: UserErrorNode[] } | null;
}

// ───────────────────────────────── Update (extend, payment terms) ─────────────────────────────────

/** Move the deadline (`reserveInventoryUntil`) or set payment terms before completing. */
export const HOLD_UPDATE_MUTATION = `#graphql
  mutation HoldUpdate($id: ID!, $input: DraftOrderInput!) {
    draftOrderUpdate(id: $id, input: $input) {
      draftOrder {
        id
        name
        status
        reserveInventoryUntil
        createdAt
        tags
        customer {
          id
        }
        order {
          id
        }
        lineItems(first: 50) {
          nodes {
            quantity
            sku
            title
            variantTitle
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface HoldUpdateMutationVariables {
  id: string;
  input: { reserveInventoryUntil: string } | { paymentTerms: { paymentTermsTemplateId: string } };
}

export interface HoldUpdateMutationData {
  draftOrderUpdate: { draftOrder: HoldNode | null; userErrors: UserErrorNode[] } | null;
}

// ───────────────────────────────── Delete (cancel) ─────────────────────────────────

/** Delete the draft: Shopify releases its reserved units. */
export const HOLD_DELETE_MUTATION = `#graphql
  mutation HoldDelete($input: DraftOrderDeleteInput!) {
    draftOrderDelete(input: $input) {
      deletedId
      userErrors {
        field
        message
      }
    }
  }
`;

export interface HoldDeleteMutationVariables {
  input: { id: string };
}

export interface HoldDeleteMutationData {
  draftOrderDelete: { deletedId: string | null; userErrors: UserErrorNode[] } | null;
}

// ───────────────────────────────── Complete ─────────────────────────────────

/** Turn the draft into an order: paid, unless payment terms were set on the draft first. */
export const HOLD_COMPLETE_MUTATION = `#graphql
  mutation HoldComplete($id: ID!) {
    draftOrderComplete(id: $id) {
      draftOrder {
        id
        name
        status
        reserveInventoryUntil
        createdAt
        tags
        customer {
          id
        }
        order {
          id
        }
        lineItems(first: 50) {
          nodes {
            quantity
            sku
            title
            variantTitle
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface HoldCompleteMutationVariables {
  id: string;
}

export interface HoldCompleteMutationData {
  draftOrderComplete: { draftOrder: HoldNode | null; userErrors: UserErrorNode[] } | null;
}

/** "Due on receipt": the payment terms that leave a completed order's payment pending. */
export const RECEIPT_PAYMENT_TERMS_QUERY = `#graphql
  query ReceiptPaymentTerms {
    paymentTermsTemplates(paymentTermsType: RECEIPT) {
      id
      name
      paymentTermsType
    }
  }
`;

export interface ReceiptPaymentTermsQueryData {
  paymentTermsTemplates: Array<{ id: string; name: string; paymentTermsType: string }>;
}

// ───────────────────────────────── Read ─────────────────────────────────

/** One draft order by id; null when it does not exist (or was deleted). */
export const HOLD_QUERY = `#graphql
  query Hold($id: ID!) {
    draftOrder(id: $id) {
      id
      name
      status
      reserveInventoryUntil
      createdAt
      tags
      customer {
        id
      }
      order {
        id
      }
      lineItems(first: 50) {
        nodes {
          quantity
          sku
          title
          variantTitle
          variant {
            id
            selectedOptions {
              name
              value
            }
          }
        }
      }
    }
  }
`;

export interface HoldQueryVariables {
  id: string;
}

export interface HoldQueryData {
  draftOrder: HoldNode | null;
}

/**
 * Draft orders matching a search, oldest first: `customer_id:… tag:coccinelle-hold status:open`
 * for a customer's holds, `tag:<key tag>` to find a hold by its idempotency key.
 */
export const HOLDS_SEARCH_QUERY = `#graphql
  query HoldsSearch($query: String!, $after: String) {
    draftOrders(first: 10, after: $after, query: $query, sortKey: ID) {
      nodes {
        id
        name
        status
        reserveInventoryUntil
        createdAt
        tags
        customer {
          id
        }
        order {
          id
        }
        lineItems(first: 8) {
          nodes {
            quantity
            sku
            title
            variantTitle
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface HoldsSearchQueryVariables {
  query: string;
  after?: string | null;
}

export interface HoldsSearchQueryData {
  draftOrders: { nodes: HoldNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
