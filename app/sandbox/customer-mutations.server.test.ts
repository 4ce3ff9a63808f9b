/**
 * Customer writes in the sandbox shop, through raw documents: customerCreate / customerUpdate with
 * their checks, tagsAdd, and metafieldsSet with `$app` namespaces, types and atomicity.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "~/lib/clock";
import { resolveNamespace, SANDBOX_APP_ID } from "./customer-mutations.server";
import { createSandboxShop, type SandboxShop } from "./sandbox-shop.server";

const DEMO_NOW = new Date("2026-01-12T10:00:00+01:00");
const JULIE = "gid://shopify/Customer/6001";
const APP = `app--${SANDBOX_APP_ID}`;

let clock: ManualClock;
let shop: SandboxShop;
beforeEach(() => {
  clock = createManualClock(DEMO_NOW);
  shop = createSandboxShop({ clock });
});

async function run<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await shop.execute(document, variables);
  expect(result.errors ?? []).toEqual([]);
  return JSON.parse(JSON.stringify(result.data)) as T;
}

interface CustomerPayload {
  customer: { id: string; firstName: string; defaultPhoneNumber: { phoneNumber: string } | null; defaultEmailAddress: { emailAddress: string } | null; tags: string[]; note: string | null; createdAt: string } | null;
  userErrors: Array<{ field: string[] | null; message: string }>;
}

const CREATE = `mutation($input: CustomerInput!) {
  customerCreate(input: $input) {
    customer { id firstName defaultPhoneNumber { phoneNumber } defaultEmailAddress { emailAddress } tags note createdAt }
    userErrors { field message }
  }
}`;
const UPDATE = `mutation($input: CustomerInput!) {
  customerUpdate(input: $input) {
    customer { id firstName defaultPhoneNumber { phoneNumber } defaultEmailAddress { emailAddress } tags note createdAt }
    userErrors { field message }
  }
}`;
const SET = `mutation($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { namespace key type value jsonValue } userErrors { field message code elementIndex } }
}`;

describe("customerCreate", () => {
  it("creates a customer dated by the shop's clock, the phone read in the shop's country and stored in E.164", async () => {
    clock.advance(60_000);
    const data = await run<{ customerCreate: CustomerPayload }>(CREATE, { input: { firstName: "Camille", phone: "06 12 34 56 78", email: "Camille@Example.com", tags: ["a, b", "A"], note: "Nouvelle" } });
    expect(data.customerCreate).toEqual({
      customer: {
        id: "gid://shopify/Customer/6006",
        firstName: "Camille",
        defaultPhoneNumber: { phoneNumber: "+33612345678" },
        defaultEmailAddress: { emailAddress: "camille@example.com" },
        tags: ["a", "b"],
        note: "Nouvelle",
        createdAt: "2026-01-12T09:01:00Z",
      },
      userErrors: [],
    });
    const found = await run<{ customers: { nodes: Array<{ id: string }> } }>(`{ customers(first: 2, query: "phone:+33612345678") { nodes { id } } }`);
    expect(found.customers.nodes).toEqual([{ id: "gid://shopify/Customer/6006" }]);
  });

  it("refuses a taken phone or email, an invalid one, and a customer with nothing to name them", async () => {
    const cases: Array<[Record<string, unknown>, Array<{ field: string[] | null; message: string }>]> = [
      [{ phone: "+33645789012" }, [{ field: ["phone"], message: "Phone has already been taken" }]],
      [{ email: "JULIE.MERCIER@gmail.com" }, [{ field: ["email"], message: "Email has already been taken" }]],
      [{ phone: "12345" }, [{ field: ["phone"], message: "Phone is invalid" }]],
      [{ email: "julie@" }, [{ field: ["email"], message: "Email is invalid" }]],
      [{ note: "rien" }, [{ field: null, message: "A name, phone number, or email address must be present" }]],
    ];
    for (const [input, errors] of cases) {
      const data = await run<{ customerCreate: CustomerPayload }>(CREATE, { input });
      expect(data.customerCreate, JSON.stringify(input)).toEqual({ customer: null, userErrors: errors });
    }
    expect(shop.store.customers).toHaveLength(5);
  });
});

describe("customerUpdate and tagsAdd", () => {
  it("changes only the fields given; tags on an update replace, tagsAdd adds", async () => {
    const updated = await run<{ customerUpdate: CustomerPayload }>(UPDATE, { input: { id: JULIE, note: "Mariage samedi" } });
    expect(updated.customerUpdate.customer).toMatchObject({ firstName: "Julie", note: "Mariage samedi", tags: ["VIP"], defaultPhoneNumber: { phoneNumber: "+33645789012" } });
    const added = await run<{ tagsAdd: { node: { tags: string[] }; userErrors: unknown[] } }>(
      `mutation { tagsAdd(id: "${JULIE}", tags: ["vip", "mariage"]) { node { ... on Customer { tags } } userErrors { field message } } }`,
    );
    expect(added.tagsAdd).toEqual({ node: { tags: ["VIP", "mariage"] }, userErrors: [] });
    const replaced = await run<{ customerUpdate: CustomerPayload }>(UPDATE, { input: { id: JULIE, tags: ["fidèle"], note: null } });
    expect(replaced.customerUpdate.customer).toMatchObject({ tags: ["fidèle"], note: null });
  });

  it("answers an unknown customer with a user error, and a phone taken by someone else too", async () => {
    expect((await run<{ customerUpdate: CustomerPayload }>(UPDATE, { input: { id: "gid://shopify/Customer/99999", note: "x" } })).customerUpdate).toEqual({
      customer: null,
      userErrors: [{ field: ["id"], message: "Customer does not exist" }],
    });
    expect((await run<{ customerUpdate: CustomerPayload }>(UPDATE, { input: { id: JULIE, phone: "+33611223344" } })).customerUpdate.userErrors).toEqual([
      { field: ["phone"], message: "Phone has already been taken" },
    ]);
    const tags = await run<{ tagsAdd: { node: null; userErrors: unknown[] } }>(`mutation { tagsAdd(id: "gid://shopify/Customer/99999", tags: ["x"]) { node { id } userErrors { field message } } }`);
    expect(tags.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] });
  });
});

describe("metafields", () => {
  it("resolves $app to the app's reserved namespace", () => {
    expect([resolveNamespace(null), resolveNamespace("$app"), resolveNamespace("$app:prefs"), resolveNamespace("custom"), resolveNamespace("$app:bad space"), resolveNamespace("ab")]).toEqual([
      APP,
      APP,
      `${APP}--prefs`,
      "custom",
      null,
      null,
    ]);
  });

  it("sets and reads app-owned metafields, typed, on a customer", async () => {
    const data = await run<{ metafieldsSet: { metafields: unknown[]; userErrors: unknown[] } }>(SET, {
      metafields: [
        { ownerId: JULIE, namespace: "$app", key: "usual_size", type: "single_line_text_field", value: "38" },
        { ownerId: JULIE, namespace: "$app", key: "sms_consent", type: "json", value: '{"granted":true}' },
        { ownerId: JULIE, namespace: "$app", key: "vip", type: "boolean", value: "true" },
      ],
    });
    expect(data.metafieldsSet).toEqual({
      metafields: [
        { namespace: APP, key: "usual_size", type: "single_line_text_field", value: "38", jsonValue: "38" },
        { namespace: APP, key: "sms_consent", type: "json", value: '{"granted":true}', jsonValue: { granted: true } },
        { namespace: APP, key: "vip", type: "boolean", value: "true", jsonValue: true },
      ],
      userErrors: [],
    });
    // Setting again updates in place; the type may be left out once the metafield exists.
    await run(SET, { metafields: [{ ownerId: JULIE, namespace: "$app", key: "usual_size", value: "40" }] });
    const read = await run<{ customer: { size: { value: string }; byFullName: { value: string }; none: null; metafields: { nodes: Array<{ key: string }> } } }>(
      `{ customer(id: "${JULIE}") {
          size: metafield(namespace: "$app", key: "usual_size") { value }
          byFullName: metafield(namespace: "${APP}", key: "usual_size") { value }
          none: metafield(namespace: "custom", key: "usual_size") { value }
          metafields(first: 10, keys: ["$app.vip", "$app.usual_size"]) { nodes { key } }
      } }`,
    );
    expect(read.customer).toEqual({ size: { value: "40" }, byFullName: { value: "40" }, none: null, metafields: { nodes: [{ key: "usual_size" }, { key: "vip" }] } });
    expect(shop.store.metafields).toHaveLength(3);
  });

  it("writes nothing when one entry is wrong, and says which", async () => {
    const data = await run<{ metafieldsSet: { metafields: unknown[]; userErrors: Array<{ field: string[]; code: string; elementIndex: number }> } }>(SET, {
      metafields: [
        { ownerId: JULIE, namespace: "$app", key: "usual_size", type: "single_line_text_field", value: "38" },
        { ownerId: JULIE, namespace: "$app", key: "vip", type: "boolean", value: "oui" },
        { ownerId: JULIE, namespace: "$app", key: "sms_consent", type: "json", value: "{" },
        { ownerId: JULIE, namespace: "$app", key: "no_type", value: "x" },
        { ownerId: "gid://shopify/Customer/99999", namespace: "$app", key: "usual_size", type: "single_line_text_field", value: "38" },
        { ownerId: JULIE, namespace: "app--1234--other", key: "usual_size", type: "single_line_text_field", value: "38" },
      ],
    });
    expect(data.metafieldsSet.userErrors.map((e) => [e.elementIndex, e.field.at(-1), e.code])).toEqual([
      [1, "value", "INVALID_VALUE"],
      [2, "value", "INVALID_VALUE"],
      [3, "type", "BLANK"],
      [4, "ownerId", "INVALID"],
      [5, "namespace", "APP_NOT_AUTHORIZED"],
    ]);
    expect(shop.store.metafields).toEqual([]);
  });

  it("refuses more than 25 entries and a type change", async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ ownerId: JULIE, namespace: "$app", key: `k${i}`, type: "number_integer", value: String(i) }));
    const tooMany = await run<{ metafieldsSet: { userErrors: Array<{ code: string }> } }>(SET, { metafields: many });
    expect(tooMany.metafieldsSet.userErrors.map((e) => e.code)).toEqual(["LESS_THAN_OR_EQUAL_TO"]);
    await run(SET, { metafields: [{ ownerId: JULIE, namespace: "$app", key: "usual_size", type: "single_line_text_field", value: "38" }] });
    const changed = await run<{ metafieldsSet: { userErrors: Array<{ code: string }> } }>(SET, {
      metafields: [{ ownerId: JULIE, namespace: "$app", key: "usual_size", type: "number_integer", value: "38" }],
    });
    expect(changed.metafieldsSet.userErrors.map((e) => e.code)).toEqual(["INVALID_TYPE"]);
  });
});
