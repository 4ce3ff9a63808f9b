/**
 * Admin GraphQL documents the Shopify plugin sends, with the shape of their `data`.
 *
 * Each document is a static template literal starting with `#graphql` (no interpolation), so that
 * `tests/graphql-documents.test.ts` finds it and validates it against the 2026-04 schema, and the
 * sandbox shop runs it unchanged. The result types follow the selections field for field; the
 * sandbox tests execute every document here and check the answers against these shapes.
 */

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

// ───────────────────────────────── Catalogue ─────────────────────────────────

/** One page of the active catalogue; pass `endCursor` as `after` while `hasNextPage`. */
export const CATALOGUE_QUERY = `#graphql
  query Catalogue($after: String) {
    products(first: 20, after: $after, query: "status:active") {
      nodes {
        id
        title
        handle
        productType
        tags
        onlineStoreUrl
        options {
          name
          values
        }
        variants(first: 20) {
          nodes {
            id
            title
            sku
            price
            selectedOptions {
              name
              value
            }
          }
          pageInfo {
            hasNextPage
            endCursor
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

/** The rest of a product's variants when it has more than the catalogue page carries. */
export const PRODUCT_VARIANTS_PAGE_QUERY = `#graphql
  query ProductVariantsPage($id: ID!, $after: String) {
    product(id: $id) {
      variants(first: 50, after: $after) {
        nodes {
          id
          title
          sku
          price
          selectedOptions {
            name
            value
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface ProductVariantsPageQueryData {
  product: { variants: { nodes: CatalogueVariantNode[]; pageInfo: PageInfo } } | null;
}

export interface CatalogueQueryVariables {
  after?: string | null;
}

export interface CatalogueVariantNode {
  id: string;
  title: string;
  sku: string | null;
  /** Decimal string ("89.00"). */
  price: string;
  selectedOptions: Array<{ name: string; value: string }>;
}

export interface CatalogueProductNode {
  id: string;
  title: string;
  handle: string;
  productType: string;
  tags: string[];
  onlineStoreUrl: string | null;
  options: Array<{ name: string; values: string[] }>;
  variants: { nodes: CatalogueVariantNode[]; pageInfo: PageInfo };
}

export interface CatalogueQueryData {
  products: { nodes: CatalogueProductNode[]; pageInfo: PageInfo };
}

// ───────────────────────────────── Availability ─────────────────────────────────

/** Quantities per location for one variant. `available` = on hand − reserved − committed. */
export const VARIANT_AVAILABILITY_QUERY = `#graphql
  query VariantAvailability($id: ID!) {
    productVariant(id: $id) {
      id
      inventoryItem {
        id
        inventoryLevels(first: 20) {
          nodes {
            location {
              id
              name
            }
            quantities(names: ["available", "on_hand", "reserved"]) {
              name
              quantity
            }
          }
        }
      }
    }
  }
`;

export interface VariantAvailabilityQueryVariables {
  id: string;
}

export type AvailabilityQuantityName = "available" | "on_hand" | "reserved";

export interface VariantAvailabilityQueryData {
  /** Null when the shop has no variant with this id. */
  productVariant: {
    id: string;
    inventoryItem: {
      id: string;
      inventoryLevels: {
        nodes: Array<{
          location: { id: string; name: string };
          quantities: Array<{ name: AvailabilityQuantityName; quantity: number }>;
        }>;
      };
    };
  } | null;
}

// ───────────────────────────────── Customers ─────────────────────────────────

/**
 * The first customer matching a search query, e.g. `phone:+33645789012` or `email:"a@b.fr"`.
 * Email and phone come from `defaultEmailAddress` / `defaultPhoneNumber`: `Customer.email` and
 * `Customer.phone` are deprecated in 2026-04.
 */
export const CUSTOMER_BY_QUERY = `#graphql
  query CustomerByQuery($query: String!) {
    customers(first: 1, query: $query) {
      nodes {
        id
        firstName
        lastName
        defaultEmailAddress {
          emailAddress
        }
        defaultPhoneNumber {
          phoneNumber
        }
        tags
        numberOfOrders
        locale
      }
    }
  }
`;

export interface CustomerByQueryVariables {
  query: string;
}

export interface CustomerNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  defaultEmailAddress: { emailAddress: string } | null;
  defaultPhoneNumber: { phoneNumber: string } | null;
  tags: string[];
  /** `UnsignedInt64`, which Shopify serialises as a string ("8"). */
  numberOfOrders: string;
  locale: string;
}

export interface CustomerByQueryData {
  customers: { nodes: CustomerNode[] };
}

// ───────────────────────────────── Shop ─────────────────────────────────

export const SHOP_QUERY = `#graphql
  query Shop {
    shop {
      id
      name
      myshopifyDomain
      ianaTimezone
      currencyCode
      email
    }
  }
`;

export interface ShopQueryData {
  shop: {
    id: string;
    name: string;
    myshopifyDomain: string;
    ianaTimezone: string;
    currencyCode: string;
    email: string;
  };
}
