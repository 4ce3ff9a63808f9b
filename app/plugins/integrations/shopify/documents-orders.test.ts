/**
 * The documents of the Orders, Returns and customer-write capabilities stay under Shopify's
 * single-query cost limit (1,000 points, https://shopify.dev/docs/api/usage/limits#rate-limits) at
 * the largest page sizes the capabilities ask for, as the sandbox shop computes the cost.
 */
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_THROTTLING, requestedQueryCost } from "~/sandbox/query-cost.server";
import { loadAdminSchema } from "~/sandbox/schema.server";
import * as customerDocuments from "./documents-customers";
import * as orderDocuments from "./documents-orders";

const LIMIT = DEFAULT_SANDBOX_THROTTLING.maxQueryCost;

/** The largest variables each paged document is sent with. */
const LARGEST_VARIABLES: Record<string, Record<string, unknown>> = {
  ORDERS_BY_CUSTOMER_QUERY: { query: "customer_id:1", first: orderDocuments.MAX_ORDERS_PER_CUSTOMER_PAGE },
};

const exported: Record<string, unknown> = { ...orderDocuments, ...customerDocuments };
const documents = Object.entries(exported).filter(
  (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].trimStart().startsWith("#graphql"),
);

describe("Orders, Returns and customer documents", () => {
  it("are all here", () => {
    expect(documents.map(([name]) => name).sort()).toEqual([
      "CUSTOMER_CREATE_MUTATION",
      "CUSTOMER_METAFIELDS_SET_MUTATION",
      "CUSTOMER_NOTE_UPDATE_MUTATION",
      "CUSTOMER_PROFILE_QUERY",
      "CUSTOMER_TAGS_ADD_MUTATION",
      "ORDERS_BY_CUSTOMER_QUERY",
      "ORDERS_BY_NAME_QUERY",
      "ORDER_FOR_RETURN_QUERY",
      "RETURN_CREATE_MUTATION",
    ]);
  });

  it.each(documents)("%s costs at most 1,000 points", (name, source) => {
    const cost = requestedQueryCost(loadAdminSchema(), parse(source), LARGEST_VARIABLES[name] ?? {});
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(LIMIT);
  });

  it("a customer page one order larger would not", () => {
    const source = orderDocuments.ORDERS_BY_CUSTOMER_QUERY;
    const cost = (first: number) => requestedQueryCost(loadAdminSchema(), parse(source), { query: "", first });
    expect(cost(orderDocuments.MAX_ORDERS_PER_CUSTOMER_PAGE + 2)).toBeGreaterThan(LIMIT);
  });
});
