import { parse, validate } from "graphql";
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "~/lib/clock";
import { AdminGraphqlError } from "~/plugins/integrations/shopify/admin-client";
import {
  CATALOGUE_QUERY,
  CUSTOMER_BY_QUERY,
  SHOP_QUERY,
  VARIANT_AVAILABILITY_QUERY,
  type CatalogueProductNode,
  type CatalogueQueryData,
  type CatalogueQueryVariables,
  type CustomerByQueryData,
  type CustomerByQueryVariables,
  type ShopQueryData,
  type VariantAvailabilityQueryData,
  type VariantAvailabilityQueryVariables,
} from "~/plugins/integrations/shopify/documents";
import { createSandboxAdminClientFactory, createSandboxShop, type SandboxShop } from "./sandbox-shop.server";
import { loadAdminSchema } from "./schema.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");

function newShop(domain?: string): SandboxShop {
  return createSandboxShop({ clock: createManualClock(DEMO_NOW), domain });
}

/** Execute and fail the test on any GraphQL error, returning `data` typed by the caller. */
async function query<T>(shop: SandboxShop, document: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await shop.execute(document, variables);
  expect(result.errors ?? []).toEqual([]);
  return JSON.parse(JSON.stringify(result.data)) as T;
}

interface TitlesData {
  products: { nodes: Array<{ title: string }> };
}
async function productTitles(shop: SandboxShop, search: string): Promise<string[]> {
  const data = await query<TitlesData>(shop, `query($q: String) { products(first: 50, query: $q) { nodes { title } } }`, { q: search });
  return data.products.nodes.map((p) => p.title);
}

async function variantIdBySku(shop: SandboxShop, sku: string): Promise<string> {
  const data = await query<{ productVariants: { nodes: Array<{ id: string; sku: string }> } }>(
    shop,
    `query($q: String) { productVariants(first: 5, query: $q) { nodes { id sku } } }`,
    { q: `sku:${sku}` },
  );
  expect(data.productVariants.nodes.map((v) => v.sku)).toEqual([sku]);
  return data.productVariants.nodes[0]?.id ?? "";
}

let shop: SandboxShop;
beforeEach(() => {
  shop = newShop();
});

describe("the app's documents on the sandbox shop", () => {
  it("SHOP_QUERY describes the demo boutique", async () => {
    const data = await shop.adminClient().request<ShopQueryData>(SHOP_QUERY);
    expect(data).toEqual({
      shop: {
        id: "gid://shopify/Shop/1",
        name: "Élégance Paris",
        myshopifyDomain: "elegance-paris.myshopify.com",
        ianaTimezone: "Europe/Paris",
        currencyCode: "EUR",
        email: "hello@elegance-paris.com",
      },
    });
  });

  it("CATALOGUE_QUERY lists the active catalogue with sizes, SKUs and prices", async () => {
    const client = shop.adminClient();
    const products: CatalogueProductNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const variables: CatalogueQueryVariables = { after };
      const data: CatalogueQueryData = await client.request<CatalogueQueryData>(CATALOGUE_QUERY, { ...variables });
      products.push(...data.products.nodes);
      if (!data.products.pageInfo.hasNextPage) break;
      after = data.products.pageInfo.endCursor;
    }
    expect(products).toHaveLength(12);
    const robe = products.find((p) => p.title === "Robe Fleurie Bleue");
    expect(robe).toMatchObject({
      handle: "robe-fleurie-bleue",
      productType: "Robes",
      tags: expect.arrayContaining(["printemps", "instagram", "couleur:bleu"]) as unknown,
      onlineStoreUrl: "https://elegance-paris.myshopify.com/products/robe-fleurie-bleue",
      options: [{ name: "Taille", values: ["36", "38", "40"] }],
    });
    expect(robe?.variants.nodes.find((v) => v.title === "38")).toMatchObject({
      sku: "RF-2847-38",
      price: "89.00",
      selectedOptions: [{ name: "Taille", value: "38" }],
    });
    expect(products.find((p) => p.title === "Sac à main Beige")?.variants.nodes.map((v) => v.sku)).toEqual(["SB-077-TU"]);
  });

  it("CATALOGUE_QUERY leaves out products that are not active", async () => {
    const draft = shop.store.products.find((p) => p.ref === "PC-904");
    if (!draft) throw new Error("seed changed: PC-904 missing");
    draft.status = "DRAFT";
    const data = await shop.adminClient().request<CatalogueQueryData>(CATALOGUE_QUERY);
    expect(data.products.nodes.map((p) => p.title)).not.toContain("Pull Cachemire Gris");
    expect(data.products.nodes).toHaveLength(11);
  });

  it("VARIANT_AVAILABILITY_QUERY: RF-2847 in 38 has 2 available at Boutique Rivoli", async () => {
    const id = await variantIdBySku(shop, "RF-2847-38");
    const variables: VariantAvailabilityQueryVariables = { id };
    const data = await shop.adminClient().request<VariantAvailabilityQueryData>(VARIANT_AVAILABILITY_QUERY, { ...variables });
    expect(data.productVariant?.inventoryItem.inventoryLevels.nodes).toEqual([
      {
        location: { id: "gid://shopify/Location/5001", name: "Boutique Rivoli" },
        quantities: [
          { name: "available", quantity: 2 },
          { name: "on_hand", quantity: 2 },
          { name: "reserved", quantity: 0 },
        ],
      },
    ]);
  });

  it("VARIANT_AVAILABILITY_QUERY: reserving a unit lowers available, not on hand", async () => {
    const id = await variantIdBySku(shop, "RF-2847-38");
    const variant = shop.store.variants.find((v) => v.id === id);
    const level = shop.store.inventoryLevels.find((l) => l.inventoryItemId === variant?.inventoryItemId);
    if (!level) throw new Error("no inventory level");
    level.reserved = 1;
    const data = await shop.adminClient().request<VariantAvailabilityQueryData>(VARIANT_AVAILABILITY_QUERY, { id });
    expect(data.productVariant?.inventoryItem.inventoryLevels.nodes[0]?.quantities).toEqual([
      { name: "available", quantity: 1 },
      { name: "on_hand", quantity: 2 },
      { name: "reserved", quantity: 1 },
    ]);
  });

  it("VARIANT_AVAILABILITY_QUERY: an unknown variant is null", async () => {
    const data = await shop.adminClient().request<VariantAvailabilityQueryData>(VARIANT_AVAILABILITY_QUERY, {
      id: "gid://shopify/ProductVariant/999999",
    });
    expect(data.productVariant).toBeNull();
  });

  it("CUSTOMER_BY_QUERY: the customer with phone +33645789012 is Julie Mercier", async () => {
    const variables: CustomerByQueryVariables = { query: "phone:+33645789012" };
    const data = await shop.adminClient().request<CustomerByQueryData>(CUSTOMER_BY_QUERY, { ...variables });
    expect(data.customers.nodes).toEqual([
      {
        id: "gid://shopify/Customer/6001",
        firstName: "Julie",
        lastName: "Mercier",
        defaultEmailAddress: { emailAddress: "julie.mercier@gmail.com" },
        defaultPhoneNumber: { phoneNumber: "+33645789012" },
        tags: ["VIP"],
        numberOfOrders: "8",
        locale: "fr",
      },
    ]);
  });

  it("CUSTOMER_BY_QUERY: phone numbers compare in E.164, emails without case", async () => {
    const find = async (q: string) =>
      (await shop.adminClient().request<CustomerByQueryData>(CUSTOMER_BY_QUERY, { query: q })).customers.nodes.map((c) => c.lastName);
    expect(await find(`phone:"06 45 78 90 12"`)).toEqual(["Mercier"]);
    expect(await find("phone:+447700900123")).toEqual(["Brown"]);
    expect(await find("email:LEA.MARTIN@example.com")).toEqual(["Martin"]);
    expect(await find("phone:+33600000000")).toEqual([]);
  });
});

describe("search", () => {
  it("title:robe* finds the dresses", async () => {
    expect(await productTitles(shop, "title:robe*")).toEqual(["Robe Fleurie Bleue", "Robe Bordeaux"]);
    expect(await productTitles(shop, "title:rob")).toEqual([]);
  });

  it("is accent- and case-insensitive on bare terms", async () => {
    expect(await productTitles(shop, "boucles d'oreilles dorees")).toEqual(["Boucles d'oreilles dorées"]);
    expect(await productTitles(shop, "ÉLÉGANT")).toEqual(["Blazer Beige Élégant"]);
  });

  it("finds a product and a variant by SKU", async () => {
    expect(await productTitles(shop, "sku:RF-2847-38")).toEqual(["Robe Fleurie Bleue"]);
    await variantIdBySku(shop, "RF-2847-38");
    const data = await query<{ productVariants: { nodes: Array<{ sku: string }> } }>(
      shop,
      `{ productVariants(first: 10, query: "sku:EN-501*") { nodes { sku } } }`,
    );
    expect(data.productVariants.nodes.map((v) => v.sku)).toEqual(["EN-501-37", "EN-501-38", "EN-501-39", "EN-501-40"]);
  });

  it("combines tags, types, OR and negation", async () => {
    expect(await productTitles(shop, "tag:chic -product_type:Vestes")).toEqual(["Pantalon Noir Taille Haute", "Robe Bordeaux"]);
    expect(await productTitles(shop, "title:perfecto OR title:trench")).toEqual(["Perfecto Noir", "Trench Camel"]);
    expect(await productTitles(shop, "tag:couleur:noir")).toEqual(["Pantalon Noir Taille Haute", "Perfecto Noir"]);
  });

  it("filters variants by product_id and title", async () => {
    const data = await query<{ productVariants: { nodes: Array<{ sku: string }> } }>(
      shop,
      `{ productVariants(first: 10, query: "product_id:1001 title:38") { nodes { sku } } }`,
    );
    expect(data.productVariants.nodes.map((v) => v.sku)).toEqual(["RF-2847-38"]);
  });

  it("reports a search field the sandbox does not know, naming it", async () => {
    const result = await shop.execute(`{ products(first: 5, query: "colour:bleu") { nodes { id } } }`);
    expect(result.errors?.map((e) => e.message)).toEqual([
      expect.stringContaining(`Search field "colour" is not supported by the sandbox shop for products`),
    ]);
  });

  it("finds customers by tag and by name", async () => {
    const names = async (q: string) =>
      (await query<{ customers: { nodes: Array<{ displayName: string }> } }>(shop, `query($q: String) { customers(first: 10, query: $q) { nodes { displayName } } }`, { q })).customers.nodes.map((c) => c.displayName);
    expect(await names("tag:VIP")).toEqual(["Julie Mercier", "Léa Martin"]);
    expect(await names("lea")).toEqual(["Léa Martin"]);
    expect(await names("-tag:vip -email:olivia*")).toEqual(["Emma Rousseau", "Marine Durand"]);
  });
});

describe("orders", () => {
  const ORDER_BY_NAME = `#graphql
    query($q: String!) {
      orders(first: 5, query: $q) {
        nodes {
          id name createdAt displayFinancialStatus displayFulfillmentStatus email phone
          customer { displayName defaultPhoneNumber { phoneNumber } }
          totalPriceSet { shopMoney { amount currencyCode } }
          lineItems(first: 10) { nodes { title quantity sku variant { sku } product { title } originalUnitPriceSet { shopMoney { amount currencyCode } } } }
          fulfillments(first: 5) { status displayStatus createdAt deliveredAt estimatedDeliveryAt trackingInfo(first: 3) { company number url } }
        }
      }
    }
  `;

  it("#2901 is in transit with Colissimo FR987654321 and an estimated delivery", async () => {
    for (const q of ["name:#2901", "name:2901"]) {
      const data = await query<{ orders: { nodes: unknown[] } }>(shop, ORDER_BY_NAME, { q });
      expect(data.orders.nodes).toEqual([
        {
          id: "gid://shopify/Order/7002",
          name: "#2901",
          createdAt: "2026-01-12T08:40:00Z",
          displayFinancialStatus: "PAID",
          displayFulfillmentStatus: "FULFILLED",
          email: "lea.martin@example.com",
          phone: "+33677889900",
          customer: { displayName: "Léa Martin", defaultPhoneNumber: { phoneNumber: "+33677889900" } },
          totalPriceSet: { shopMoney: { amount: "89.00", currencyCode: "EUR" } },
          lineItems: {
            nodes: [
              {
                title: "Robe Fleurie Bleue",
                quantity: 1,
                sku: "RF-2847-40",
                variant: { sku: "RF-2847-40" },
                product: { title: "Robe Fleurie Bleue" },
                originalUnitPriceSet: { shopMoney: { amount: "89.00", currencyCode: "EUR" } },
              },
            ],
          },
          fulfillments: [
            {
              status: "SUCCESS",
              displayStatus: "IN_TRANSIT",
              createdAt: "2026-01-12T08:40:00Z",
              deliveredAt: null,
              estimatedDeliveryAt: "2026-01-16T11:00:00Z",
              trackingInfo: [
                { company: "Colissimo", number: "FR987654321", url: "https://www.laposte.fr/outils/suivre-vos-envois?code=FR987654321" },
              ],
            },
          ],
        },
      ]);
    }
  });

  it("finds orders by customer, email and status", async () => {
    const names = async (q: string) =>
      (await query<{ orders: { nodes: Array<{ name: string }> } }>(shop, `query($q: String) { orders(first: 10, query: $q, sortKey: ORDER_NUMBER) { nodes { name } } }`, { q })).orders.nodes.map((o) => o.name);
    expect(await names("customer_id:6002")).toEqual(["#2847"]);
    expect(await names("email:olivia.brown@example.co.uk")).toEqual(["#2988"]);
    expect(await names("status:open")).toEqual(["#2847", "#2901", "#2950", "#2988"]);
    expect(await names("status:closed")).toEqual([]);
    expect(await names("fulfillment_status:unshipped")).toEqual(["#2988"]);
  });

  it("sorts by processing date by default and reaches orders from their customer", async () => {
    const data = await query<{ orders: { nodes: Array<{ name: string }> }; customer: { orders: { nodes: Array<{ name: string }> } } }>(
      shop,
      `{ orders(first: 10) { nodes { name } } customer(id: "gid://shopify/Customer/6003") { orders(first: 5) { nodes { name } } } }`,
    );
    expect(data.orders.nodes.map((o) => o.name)).toEqual(["#2847", "#2988", "#2950", "#2901"]);
    expect(data.customer.orders.nodes.map((o) => o.name)).toEqual(["#2901"]);
  });
});

describe("nodes and ids", () => {
  it("resolves node and nodes by gid, null for unknown ones", async () => {
    const data = await query<{ node: unknown; nodes: unknown[] }>(
      shop,
      `{
        node(id: "gid://shopify/ProductVariant/2002") { id ... on ProductVariant { sku displayName product { title } } }
        nodes(ids: ["gid://shopify/Location/5001", "gid://shopify/Product/424242", "gid://shopify/Customer/6005"]) {
          __typename ... on Location { name isActive } ... on Customer { displayName locale }
        }
      }`,
    );
    expect(data.node).toEqual({
      id: "gid://shopify/ProductVariant/2002",
      sku: "RF-2847-38",
      displayName: "Robe Fleurie Bleue - 38",
      product: { title: "Robe Fleurie Bleue" },
    });
    expect(data.nodes).toEqual([
      { __typename: "Location", name: "Boutique Rivoli", isActive: true },
      null,
      { __typename: "Customer", displayName: "Olivia Brown", locale: "en" },
    ]);
  });

  it("answers an id of another type with null and a malformed id with an error", async () => {
    const data = await query<{ product: unknown }>(shop, `{ product(id: "gid://shopify/ProductVariant/2002") { id } }`);
    expect(data.product).toBeNull();
    const result = await shop.execute(`{ product(id: "1001") { id } }`);
    expect(result.errors?.map((e) => e.message)).toEqual(["Invalid global id '1001'"]);
  });

  it("resolves inventory items, levels and locations both ways", async () => {
    const data = await query<{
      inventoryItem: { sku: string; tracked: boolean; inventoryLevel: { item: { id: string }; location: { name: string } } | null };
      location: { id: string };
    }>(
      shop,
      `{
        inventoryItem(id: "gid://shopify/InventoryItem/3002") {
          sku tracked inventoryLevel(locationId: "gid://shopify/Location/5001") { item { id } location { name } }
        }
        location { id }
      }`,
    );
    expect(data).toEqual({
      inventoryItem: {
        sku: "RF-2847-38",
        tracked: true,
        inventoryLevel: { item: { id: "gid://shopify/InventoryItem/3002" }, location: { name: "Boutique Rivoli" } },
      },
      location: { id: "gid://shopify/Location/5001" },
    });
  });
});

describe("product fields", () => {
  it("totals inventory and reports variant quantities", async () => {
    const data = await query<{ product: { totalInventory: number; status: string; vendor: string; variants: { nodes: Array<{ title: string; inventoryQuantity: number; availableForSale: boolean }> } } }>(
      shop,
      `{ product(id: "gid://shopify/Product/1002") { totalInventory status vendor variants(first: 10) { nodes { title inventoryQuantity availableForSale } } } }`,
    );
    expect(data.product).toEqual({
      totalInventory: 9,
      status: "ACTIVE",
      vendor: "Élégance Paris",
      variants: {
        nodes: [
          { title: "36", inventoryQuantity: 0, availableForSale: false },
          { title: "38", inventoryQuantity: 4, availableForSale: true },
          { title: "40", inventoryQuantity: 5, availableForSale: true },
        ],
      },
    });
  });

  it("refuses an unknown inventory quantity name", async () => {
    const result = await shop.execute(
      `{ inventoryLevel(id: "gid://shopify/InventoryLevel/4001") { quantities(names: ["available", "sold"]) { quantity } } }`,
    );
    expect(result.errors?.[0]?.message).toMatch(/"sold" is not a valid inventory quantity name/);
  });
});

describe("pagination", () => {
  interface Page {
    products: {
      edges: Array<{ cursor: string; node: { title: string } }>;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    };
  }
  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
    products(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { title } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  it("walks the catalogue five by five without gaps or repeats", async () => {
    const all = await productTitles(shop, "");
    expect(all).toHaveLength(12);
    const seen: string[] = [];
    const pages: Array<Page["products"]["pageInfo"]> = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const data: Page = await query<Page>(shop, PAGE, { first: 5, after });
      seen.push(...data.products.edges.map((e) => e.node.title));
      pages.push(data.products.pageInfo);
      expect(data.products.pageInfo.startCursor).toBe(data.products.edges[0]?.cursor);
      if (!data.products.pageInfo.hasNextPage) break;
      after = data.products.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(pages.map((p) => [p.hasPreviousPage, p.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
  });

  it("pages backwards with last and before", async () => {
    const tail = await query<Page>(shop, PAGE, { last: 2 });
    expect(tail.products.edges.map((e) => e.node.title)).toEqual(["Pull Cachemire Gris", "Trench Camel"]);
    expect(tail.products.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await query<Page>(shop, PAGE, { last: 1, before: tail.products.pageInfo.startCursor });
    expect(before.products.edges.map((e) => e.node.title)).toEqual(["Jean Droit Brut"]);
  });

  it("refuses a page without size, too large, or an unknown cursor", async () => {
    const messages = async (variables: Record<string, unknown>) => (await shop.execute(PAGE, variables)).errors?.map((e) => e.message);
    expect(await messages({})).toEqual(["You must provide one of first or last"]);
    expect(await messages({ first: 251 })).toEqual([expect.stringContaining("maximum page size is 250")]);
    expect(await messages({ first: 2, after: "not-a-cursor" })).toEqual(["Invalid cursor: not-a-cursor"]);
  });
});

describe("invalid documents", () => {
  const schema = loadAdminSchema();
  const cases = {
    "unknown field": `{ shop { name doesNotExist } }`,
    "missing required argument": `{ product { id } }`,
    "wrong variable type": `query($id: Int!) { product(id: $id) { id } }`,
    "unknown type in a fragment": `{ node(id: "x") { ... on Produit { id } } }`,
  };

  for (const [name, document] of Object.entries(cases)) {
    it(`${name}: same errors as graphql-js validate, and no data`, async () => {
      const expected = validate(schema, parse(document)).map((e) => e.toJSON());
      expect(expected.length).toBeGreaterThan(0);
      const result = await shop.execute(document, { id: 1 });
      expect(result).not.toHaveProperty("data");
      expect(result.errors?.map((e) => e.toJSON())).toEqual(expected);
    });
  }

  it("a syntax error is the single error, and no data", async () => {
    const result = await shop.execute(`{ shop { name }`);
    expect(result).not.toHaveProperty("data");
    expect(result.errors?.map((e) => e.message)).toEqual(["Syntax Error: Expected Name, found <EOF>."]);
  });

  it("the admin client rejects with AdminGraphqlError carrying the errors", async () => {
    const client = shop.adminClient();
    const failure = await client.request(`{ shop { doesNotExist } }`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminGraphqlError);
    expect(failure).toMatchObject({
      shopDomain: "elegance-paris.myshopify.com",
      errors: [{ message: `Cannot query field "doesNotExist" on type "Shop".` }],
    });
  });
});

describe("fields the sandbox does not implement", () => {
  it("raise an error naming Type.field, never a silent null", async () => {
    const result = await shop.execute(`{ product(id: "gid://shopify/Product/1001") { title description } }`);
    expect(result.errors?.map((e) => ({ message: e.message, path: e.path }))).toEqual([
      { message: "Product.description is not implemented by the sandbox shop", path: ["product", "description"] },
    ]);
    // `description` is non-null, so the whole product is nulled rather than half-answered.
    expect(result.data).toEqual({ product: null });
  });

  it("include mutations", async () => {
    const result = await shop.execute(`mutation { tagsRemove(id: "gid://shopify/Customer/6001", tags: ["VIP"]) { node { id } } }`);
    expect(result.errors?.map((e) => e.message)).toEqual(["Mutation.tagsRemove is not implemented by the sandbox shop"]);
    expect(shop.store.customers[0]?.tags).toEqual(["VIP"]);
  });

  it("reject arguments that would change the answer", async () => {
    const result = await shop.execute(`{ locations(first: 5, query: "name:x") { nodes { id } } }`);
    expect(result.errors?.[0]?.message).toBe(`Argument "query" of QueryRoot.locations is not implemented by the sandbox shop`);
  });

  it("an explicit null counts as implemented", async () => {
    const data = await query<{ product: { variants: { nodes: Array<{ barcode: string | null; compareAtPrice: string | null }> } } }>(
      shop,
      `{ product(id: "gid://shopify/Product/1001") { variants(first: 1) { nodes { barcode compareAtPrice } } } }`,
    );
    expect(data.product.variants.nodes).toEqual([{ barcode: null, compareAtPrice: null }]);
  });
});

describe("several sandbox shops", () => {
  it("are independent: a change in one does not show in the other", async () => {
    const other = newShop("atelier-lyon.myshopify.com");
    const robe = shop.store.products.find((p) => p.ref === "RF-2847");
    if (!robe) throw new Error("seed changed: RF-2847 missing");
    robe.title = "Robe Fleurie Bleu Nuit";
    const level = shop.store.inventoryLevels[1];
    if (!level) throw new Error("no level");
    level.onHand = 0;

    expect(await productTitles(shop, "title:robe*")).toEqual(["Robe Fleurie Bleu Nuit", "Robe Bordeaux"]);
    expect(await productTitles(other, "title:robe*")).toEqual(["Robe Fleurie Bleue", "Robe Bordeaux"]);
    const availability = (s: SandboxShop) =>
      s.adminClient().request<VariantAvailabilityQueryData>(VARIANT_AVAILABILITY_QUERY, { id: "gid://shopify/ProductVariant/2002" });
    expect((await availability(shop)).productVariant?.inventoryItem.inventoryLevels.nodes[0]?.quantities[0]?.quantity).toBe(0);
    expect((await availability(other)).productVariant?.inventoryItem.inventoryLevels.nodes[0]?.quantities[0]?.quantity).toBe(2);
    expect((await other.adminClient().request<ShopQueryData>(SHOP_QUERY)).shop.myshopifyDomain).toBe("atelier-lyon.myshopify.com");
  });

  it("are reached through the admin client factory by domain", async () => {
    const other = newShop("atelier-lyon.myshopify.com");
    const factory = createSandboxAdminClientFactory([shop, other]);
    const client = await factory("atelier-lyon.myshopify.com");
    expect(client.shopDomain).toBe("atelier-lyon.myshopify.com");
    expect((await client.request<ShopQueryData>(SHOP_QUERY)).shop.myshopifyDomain).toBe("atelier-lyon.myshopify.com");
    expect((await (await factory("elegance-paris.myshopify.com")).request<ShopQueryData>(SHOP_QUERY)).shop.myshopifyDomain).toBe(
      "elegance-paris.myshopify.com",
    );
    await expect(factory("inconnue.myshopify.com")).rejects.toThrow(/No sandbox shop for domain "inconnue.myshopify.com"/);
    expect(() => createSandboxAdminClientFactory([shop, newShop()])).toThrow(/share the domain/);
  });

  it("each keep the clock they were given", () => {
    const clock = createManualClock(new Date("2026-03-01T09:00:00Z"));
    const s = createSandboxShop({ clock });
    expect(s.clock).toBe(clock);
    expect(s.clock.now().toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });

  it("build the Admin schema at their first document, not when created (the web process may never ask one)", async () => {
    let asked = 0;
    const s = createSandboxShop({ clock: createManualClock(DEMO_NOW), schema: () => (asked++, loadAdminSchema()) });
    expect(asked).toBe(0);
    const answer = await query<{ shop: { myshopifyDomain: string } }>(s, "{ shop { myshopifyDomain } }");
    expect(answer.shop.myshopifyDomain).toBe("elegance-paris.myshopify.com");
    expect(asked).toBe(1);
  });
});
