import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_SCHEMA_PATH, loadAdminSchema, parseAdminDocument, validateAdminDocument } from "./schema.server";

describe("loadAdminSchema", () => {
  it("builds Shopify's 2026-04 Admin schema from the copy in app/sandbox/data", () => {
    expect(ADMIN_SCHEMA_PATH.endsWith("app/sandbox/data/admin-schema-2026-04.graphql")).toBe(true);
    const schema = loadAdminSchema();
    expect(schema.getQueryType()?.name).toBe("QueryRoot");
    expect(schema.getMutationType()?.name).toBe("Mutation");
    const customer = schema.getType("Customer");
    expect(isObjectType(customer) && customer.getFields()["phone"]?.deprecationReason).toMatch(/defaultPhoneNumber/);
  });

  it("is built once per process", () => {
    expect(loadAdminSchema()).toBe(loadAdminSchema());
  });
});

describe("validateAdminDocument", () => {
  it("accepts a valid document and names the problems of an invalid one", () => {
    expect(validateAdminDocument(`query { productVariant(id: "gid://shopify/ProductVariant/1") { sku } }`)).toEqual([]);
    expect(validateAdminDocument(`query { productVariant { skus } }`).map((e) => e.message)).toEqual([
      `Cannot query field "skus" on type "ProductVariant". Did you mean "sku"?`,
      `Field "productVariant" argument "id" of type "ID!" is required, but it was not provided.`,
    ]);
  });

  it("returns the parsed document when valid", () => {
    const parsed = parseAdminDocument(`{ shop { name } }`);
    expect(parsed.ok && parsed.document.definitions).toHaveLength(1);
  });
});
