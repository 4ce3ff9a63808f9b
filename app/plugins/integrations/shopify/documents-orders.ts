/**
 * Admin GraphQL documents of the `Orders` and `Returns` capabilities, with the shape of their `data`.
 *
 * Static `#graphql` template literals (no interpolation): `tests/graphql-documents.test.ts`
 * validates each against the 2026-04 schema and the sandbox shop runs them unchanged. Page sizes
 * keep every document under Shopify's single-query cost limit of 1,000 points
 * (https://shopify.dev/docs/api/usage/limits#rate-limits); `documents-orders.test.ts` checks it.
 *
 * Orders older than 60 days are only visible to apps granted `read_all_orders`
 * (https://shopify.dev/docs/api/usage/access-scopes#orders-permissions); without it Shopify
 * answers as if they did not exist.
 */

export interface MoneyNode {
  amount: string;
  currencyCode: string;
}

export interface OrderLineNode {
  id: string;
  title: string;
  sku: string | null;
  /** The variant's title when the order was placed ("38", "38 / Bleu"); kept when the variant is deleted. */
  variantTitle: string | null;
  quantity: number;
  originalUnitPriceSet: { shopMoney: MoneyNode };
  /** Null when the variant was deleted since. */
  variant: { id: string; selectedOptions: Array<{ name: string; value: string }> } | null;
}

export interface OrderFulfillmentNode {
  id: string;
  /** `FulfillmentStatus`: SUCCESS, CANCELLED, … */
  status: string;
  /** `FulfillmentDisplayStatus`: IN_TRANSIT, DELIVERED, … (null for some legacy fulfilments). */
  displayStatus: string | null;
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
  trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
}

export interface OrderNode {
  id: string;
  name: string;
  createdAt: string;
  email: string | null;
  phone: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  customer: { id: string } | null;
  totalPriceSet: { shopMoney: MoneyNode };
  lineItems: { nodes: OrderLineNode[]; pageInfo: { hasNextPage: boolean } };
  fulfillments: OrderFulfillmentNode[];
}

export interface OrdersQueryData {
  orders: { nodes: OrderNode[] };
}

/**
 * Orders matching a search on the order name (`name:2847`), newest first. Three at most: Shopify's
 * name search can match more than the exact name, and the caller keeps the exact one. Up to 50
 * lines per order: 3 × (≈6 + 50 × 5) ≈ 770 points.
 */
export const ORDERS_BY_NAME_QUERY = `#graphql
  query OrdersByName($query: String!) {
    orders(first: 3, query: $query, sortKey: PROCESSED_AT, reverse: true) {
      nodes {
        id
        name
        createdAt
        email
        phone
        displayFinancialStatus
        displayFulfillmentStatus
        customer {
          id
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        lineItems(first: 50) {
          nodes {
            id
            title
            sku
            variantTitle
            quantity
            originalUnitPriceSet {
              shopMoney {
                amount
                currencyCode
              }
            }
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        fulfillments(first: 10) {
          id
          status
          displayStatus
          estimatedDeliveryAt
          deliveredAt
          trackingInfo(first: 5) {
            company
            number
            url
          }
        }
      }
    }
  }
`;

export interface OrdersByNameQueryVariables {
  query: string;
}

/** Largest `first` of `ORDERS_BY_CUSTOMER_QUERY` that stays under 1,000 points (≈ 110 per order). */
export const MAX_ORDERS_PER_CUSTOMER_PAGE = 8;

/**
 * A customer's latest orders (`customer_id:6002`), newest first, up to 20 lines each (a boutique
 * order rarely has more; `lineItems.pageInfo.hasNextPage` says when it does).
 */
export const ORDERS_BY_CUSTOMER_QUERY = `#graphql
  query OrdersByCustomer($query: String!, $first: Int!) {
    orders(first: $first, query: $query, sortKey: PROCESSED_AT, reverse: true) {
      nodes {
        id
        name
        createdAt
        email
        phone
        displayFinancialStatus
        displayFulfillmentStatus
        customer {
          id
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        lineItems(first: 20) {
          nodes {
            id
            title
            sku
            variantTitle
            quantity
            originalUnitPriceSet {
              shopMoney {
                amount
                currencyCode
              }
            }
            variant {
              id
              selectedOptions {
                name
                value
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        fulfillments(first: 10) {
          id
          status
          displayStatus
          estimatedDeliveryAt
          deliveredAt
          trackingInfo(first: 5) {
            company
            number
            url
          }
        }
      }
    }
  }
`;

export interface OrdersByCustomerQueryVariables {
  query: string;
  first: number;
}

// ───────────────────────────────── Returns ─────────────────────────────────

export type ReturnStatusValue = "REQUESTED" | "OPEN" | "CLOSED" | "CANCELED" | "DECLINED";

export interface ExistingReturnNode {
  id: string;
  name: string;
  status: ReturnStatusValue;
  returnLineItems: {
    /** `ReturnLineItemType`: only a `ReturnLineItem` names its fulfilment line item. */
    nodes: Array<{ quantity: number; fulfillmentLineItem?: { id: string; lineItem: { id: string } } }>;
  };
  exchangeLineItems: { nodes: Array<{ variantId: string | null; quantity: number }> };
}

/**
 * What a return on an order needs: the fulfilment line items (a return names those, not the
 * order's line items) and the latest returns, to find the same request made before.
 */
export const ORDER_FOR_RETURN_QUERY = `#graphql
  query OrderForReturn($id: ID!) {
    order(id: $id) {
      id
      name
      fulfillments(first: 5) {
        id
        fulfillmentLineItems(first: 50) {
          nodes {
            id
            quantity
            lineItem {
              id
            }
          }
        }
      }
      returns(first: 10, reverse: true) {
        nodes {
          id
          name
          status
          returnLineItems(first: 10) {
            nodes {
              quantity
              ... on ReturnLineItem {
                fulfillmentLineItem {
                  id
                  lineItem {
                    id
                  }
                }
              }
            }
          }
          exchangeLineItems(first: 10) {
            nodes {
              variantId
              quantity
            }
          }
        }
      }
    }
  }
`;

export interface OrderForReturnQueryVariables {
  id: string;
}

export interface OrderForReturnQueryData {
  order: {
    id: string;
    name: string;
    fulfillments: Array<{
      id: string;
      fulfillmentLineItems: { nodes: Array<{ id: string; quantity: number | null; lineItem: { id: string } }> };
    }>;
    returns: { nodes: ExistingReturnNode[] };
  } | null;
}

/**
 * Start a return, with replacement variants for an exchange. `returnCreate`, not `returnRequest`:
 * the app acts for the merchant, who approves through the app's own rules and confirmation
 * ("approving or declining requested returns outside of the Shopify platform", in the mutation's
 * description), and only `ReturnInput` takes `exchangeLineItems` in 2026-04. The return opens
 * directly (status OPEN). `returnCreate` declares no `@idempotent` support, so the capability
 * looks for the same open return before creating one.
 */
export const RETURN_CREATE_MUTATION = `#graphql
  mutation ReturnCreate($returnInput: ReturnInput!) {
    returnCreate(returnInput: $returnInput) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface ReturnCreateMutationVariables {
  returnInput: {
    orderId: string;
    returnLineItems: Array<{ fulfillmentLineItemId: string; quantity: number; returnReasonNote?: string }>;
    exchangeLineItems?: Array<{ variantId: string; quantity: number }>;
  };
}

export interface ReturnCreateMutationData {
  returnCreate: {
    return: { id: string; name: string; status: ReturnStatusValue } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
}
