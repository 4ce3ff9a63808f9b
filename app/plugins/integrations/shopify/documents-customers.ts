/**
 * Admin GraphQL documents of the customer writes (`CustomerWriter` in customers.server.ts), with
 * the shape of their `data`. Static `#graphql` template literals, validated against the 2026-04
 * schema by `tests/graphql-documents.test.ts` and run unchanged by the sandbox shop.
 *
 * The app's own customer data lives in app-owned metafields: the `$app` namespace stands for the
 * app's reserved namespace `app--{client id}` (https://shopify.dev/docs/apps/build/custom-data/ownership),
 * which only this app can write. Merchants see them in the Shopify admin once their definitions
 * are declared in shopify.app.toml (`[customer.metafields.app.<key>]`, access.admin = "merchant_read").
 */
import type { CustomerNode } from "./documents";

/** App-owned customer metafields: key → Shopify metafield type. */
export const CUSTOMER_METAFIELDS = {
  preferred_channel: "single_line_text_field",
  usual_size: "single_line_text_field",
  sms_consent: "json",
  whatsapp_consent: "json",
  email_consent: "json",
} as const;

export type CustomerMetafieldKey = keyof typeof CUSTOMER_METAFIELDS;

export const APP_NAMESPACE = "$app";

export interface UserErrorNode {
  field: string[] | null;
  message: string;
}

/** Same customer fields as `CUSTOMER_BY_QUERY`, so both give a `CustomerNode`. */
export const CUSTOMER_CREATE_MUTATION = `#graphql
  mutation CustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer {
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
      userErrors {
        field
        message
      }
    }
  }
`;

export interface CustomerCreateMutationVariables {
  input: {
    firstName?: string;
    lastName?: string;
    email?: string;
    /** E.164. */
    phone?: string;
    locale?: string;
    tags?: string[];
    note?: string;
  };
}

export interface CustomerCreateMutationData {
  customerCreate: { customer: CustomerNode | null; userErrors: UserErrorNode[] } | null;
}

/** Replace the customer's note (null clears it). */
export const CUSTOMER_NOTE_UPDATE_MUTATION = `#graphql
  mutation CustomerNoteUpdate($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer {
        id
        note
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface CustomerNoteUpdateMutationVariables {
  input: { id: string; note: string | null };
}

export interface CustomerNoteUpdateMutationData {
  customerUpdate: { customer: { id: string; note: string | null } | null; userErrors: UserErrorNode[] } | null;
}

/** Add tags, keeping the ones the customer has (`customerUpdate` with `tags` would replace them). */
export const CUSTOMER_TAGS_ADD_MUTATION = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface CustomerTagsAddMutationVariables {
  id: string;
  tags: string[];
}

export interface CustomerTagsAddMutationData {
  tagsAdd: { node: { id: string } | null; userErrors: UserErrorNode[] } | null;
}

/** Set app-owned metafields (at most 25 per call; atomic: all or none). */
export const CUSTOMER_METAFIELDS_SET_MUTATION = `#graphql
  mutation CustomerMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
        type
        value
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

export interface CustomerMetafieldsSetMutationVariables {
  metafields: Array<{ ownerId: string; namespace: string; key: CustomerMetafieldKey; type: string; value: string }>;
}

export interface CustomerMetafieldsSetMutationData {
  metafieldsSet: {
    metafields: Array<{ key: string; namespace: string; type: string; value: string }> | null;
    userErrors: Array<UserErrorNode & { code: string | null; elementIndex: number | null }>;
  } | null;
}

/** The app's view of one customer: her record's figures, note, tags and the app-owned metafields. */
export const CUSTOMER_PROFILE_QUERY = `#graphql
  query CustomerProfile($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      defaultEmailAddress {
        emailAddress
      }
      defaultPhoneNumber {
        phoneNumber
      }
      numberOfOrders
      amountSpent {
        amount
        currencyCode
      }
      createdAt
      note
      tags
      preferredChannel: metafield(namespace: "$app", key: "preferred_channel") {
        value
      }
      usualSize: metafield(namespace: "$app", key: "usual_size") {
        value
      }
      smsConsent: metafield(namespace: "$app", key: "sms_consent") {
        jsonValue
      }
      whatsappConsent: metafield(namespace: "$app", key: "whatsapp_consent") {
        jsonValue
      }
      emailConsent: metafield(namespace: "$app", key: "email_consent") {
        jsonValue
      }
    }
  }
`;

export interface CustomerProfileQueryVariables {
  id: string;
}

export interface CustomerProfileQueryData {
  customer: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    defaultEmailAddress: { emailAddress: string } | null;
    defaultPhoneNumber: { phoneNumber: string } | null;
    /** `UnsignedInt64`, which Shopify serialises as a string ("8"). */
    numberOfOrders: string;
    amountSpent: { amount: string; currencyCode: string };
    createdAt: string;
    note: string | null;
    tags: string[];
    preferredChannel: { value: string } | null;
    usualSize: { value: string } | null;
    /** `JSON` scalar: whatever the app stored, checked when read. */
    smsConsent: { jsonValue: unknown } | null;
    whatsappConsent: { jsonValue: unknown } | null;
    emailConsent: { jsonValue: unknown } | null;
  } | null;
}
