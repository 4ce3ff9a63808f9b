/**
 * The extensions' data routes as Shopify calls them, on the sandbox app with two shops (PostgreSQL
 * and PGlite): app/routes/api.pos.holds.tsx (POS session token) and
 * app/routes/api.admin.customer-summary.tsx (admin session token).
 *
 * A missing, forged (wrong secret, alg none), expired or foreign (other app) token gets a 401 and
 * changes nothing; a valid token names its shop, which sees only its own holds and customers.
 * "Picked up" from POS releases the sandbox's reservation: the dress is available again.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customers, holds } from "../../db/schema";
import { placeHold } from "~/holds/holds.server";
import { loadEnv } from "~/env.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { createServices, type AppServices } from "~/services.server";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET } from "~/shopify.server";
import { findShopByDomain } from "~/shops/install.server";
import { action as customerSummaryAction, loader as customerSummaryLoader } from "~/routes/api.admin.customer-summary";
import { action as posHoldsAction, loader as posHoldsLoader } from "~/routes/api.pos.holds";
import { createSessionToken, sessionTokenPayload, signJwt } from "../e2e/session-token";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "./support/databases";

const SHOP_A = { domain: "elegance-paris.myshopify.com", name: "Élégance Paris", smsNumber: "+33939035761" };
const SHOP_B = { domain: "atelier-lyon.myshopify.com", name: "Atelier Lyon", smsNumber: "+33939035762" };
const PUBLIC_URL = "https://coccinelle.example.test";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const JULIE = "gid://shopify/Customer/6001";
const DRESS_38 = "gid://shopify/ProductVariant/2002";

const validToken = (shop: string) => createSessionToken({ shop, apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET });

/** Tokens that must all be refused. */
function forgedTokens(shop: string): Record<string, string> {
  const payload = sessionTokenPayload({ shop, apiKey: SANDBOX_API_KEY });
  const unsigned = (header: object) => `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
  return {
    "signed with another secret": signJwt(payload, "not-the-app-secret"),
    "alg none": unsigned({ alg: "none", typ: "JWT" }),
    "payload changed after signing": (() => {
      const [header, , signature] = validToken(SHOP_B.domain).split(".");
      return `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
    })(),
    expired: createSessionToken({ shop, apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET, now: new Date(Date.now() - 3_600_000) }),
    "not a JWT": "forged",
  };
}

function request(path: string, init: { token?: string; method?: string; body?: unknown } = {}): Request {
  const headers = new Headers({ Origin: EXTENSION_ORIGIN });
  if (init.token !== undefined) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`${PUBLIC_URL}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

/** What a route answers, returned or thrown (Remix treats both alike). */
async function answer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

describe.each(DATABASE_KINDS)("extension data routes on %s", (kind) => {
  let database: TestDatabase;
  let services: AppServices;
  const clock = createManualClock(new Date("2026-01-12T10:15:00+01:00"));
  let holdA: string;
  let holdB: string;

  const pos = {
    get: (req: Request) => answer(() => posHoldsLoader({ request: req, context: { services }, params: {} })),
    post: (req: Request) => answer(() => posHoldsAction({ request: req, context: { services }, params: {} })),
  };
  const summary = (req: Request) => answer(() => customerSummaryLoader({ request: req, context: { services }, params: {} }));
  const statusOf = async (id: string) => (await services.db.select({ status: holds.status }).from(holds).where(eq(holds.id, id)))[0]?.status;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await createServices({
      env: loadEnv({ ...database.env, SHOPIFY_SANDBOX: "1", SHOPIFY_APP_URL: PUBLIC_URL, QUEUE: "inline", LOG_LEVEL: "silent" }),
      logger: silentLogger,
      clock,
      sandboxShops: [SHOP_A, SHOP_B],
    });
    // Julie holds the dress in each shop (each sandbox shop has its own stock: 2 in 38).
    for (const [spec, key] of [
      [SHOP_A, "a"],
      [SHOP_B, "b"],
    ] as const) {
      const shop = await findShopByDomain(services.db, spec.domain);
      if (!shop) throw new Error(`no shop ${spec.domain}`);
      const now = clock.now();
      const [julie] = await services.db
        .insert(customers)
        .values({ shopId: shop.id, phone: "+33645789012", firstName: key === "a" ? "Julie" : "Julie B", shopifyCustomerId: JULIE, createdAt: now, updatedAt: now })
        .returning();
      if (!julie) throw new Error("no customer");
      const caps = await services.engine.capabilities(spec.domain);
      const hold = await placeHold(
        { db: services.db, clock, holds: caps.holds },
        {
          shopId: shop.id,
          customerId: julie.id,
          providerCustomerId: JULIE,
          items: [{ variantId: DRESS_38, sku: "RF-2847-38", productTitle: "Robe Fleurie Bleue", size: "38", quantity: 1 }],
          expiresAt: new Date("2026-01-13T18:00:00+01:00"),
          idempotencyKey: `julie-${key}`,
        },
      );
      if (key === "a") holdA = hold.id;
      else holdB = hold.id;
    }
  });

  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  describe("POS holds (api.pos.holds)", () => {
    it("refuses a missing or forged session token with 401, readable by the extension (CORS)", async () => {
      const missing = await pos.get(request("/api/pos/holds"));
      expect(missing.status).toBe(401);
      expect(missing.headers.get("Access-Control-Allow-Origin")).toBe("*");
      for (const [name, token] of Object.entries(forgedTokens(SHOP_A.domain))) {
        const response = await pos.get(request("/api/pos/holds", { token }));
        expect(response.status, name).toBe(401);
        expect(await response.text(), name).not.toContain(holdA);
      }
    });

    it("a forged token cannot mark a hold picked up", async () => {
      for (const [name, token] of Object.entries(forgedTokens(SHOP_A.domain))) {
        const response = await pos.post(request("/api/pos/holds", { token, method: "POST", body: { action: "picked_up", holdId: holdA } }));
        expect(response.status, name).toBe(401);
      }
      expect(await statusOf(holdA)).toBe("active");
    });

    it("answers a CORS preflight without a token", async () => {
      const preflight = await pos.post(request("/api/pos/holds", { method: "OPTIONS" }));
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    });

    it("a valid token lists its own shop's holds only", async () => {
      const a = await pos.get(request("/api/pos/holds", { token: validToken(SHOP_A.domain) }));
      expect(a.status).toBe(200);
      expect(a.headers.get("Access-Control-Allow-Origin")).toBe("*");
      const listA = (await a.json()) as { activeCount: number; holds: Array<{ id: string; customer: { firstName: string } }> };
      expect(listA.holds.map((h) => [h.id, h.customer.firstName])).toEqual([[holdA, "Julie"]]);
      expect(listA.activeCount).toBe(1);

      const b = await pos.get(request("/api/pos/holds?q=julie", { token: validToken(SHOP_B.domain) }));
      const listB = (await b.json()) as { holds: Array<{ id: string }> };
      expect(listB.holds.map((h) => h.id)).toEqual([holdB]);
    });

    it("shop B's token cannot pick up shop A's hold; shop A's can, and the dress is on sale again", async () => {
      const capsA = await services.engine.capabilities(SHOP_A.domain);
      expect((await capsA.inventory.availability(DRESS_38)).available).toBe(1);

      const fromB = await pos.post(request("/api/pos/holds", { token: validToken(SHOP_B.domain), method: "POST", body: { action: "picked_up", holdId: holdA } }));
      expect(fromB.status).toBe(404);
      expect(await statusOf(holdA)).toBe("active");

      const invalid = await pos.post(request("/api/pos/holds", { token: validToken(SHOP_A.domain), method: "POST", body: { action: "picked_up", holdId: "not-a-uuid" } }));
      expect(invalid.status).toBe(400);

      const fromA = await pos.post(request("/api/pos/holds", { token: validToken(SHOP_A.domain), method: "POST", body: { action: "picked_up", holdId: holdA } }));
      expect(fromA.status).toBe(200);
      expect(await fromA.json()).toMatchObject({ outcome: "picked_up", hold: { id: holdA } });
      expect(await statusOf(holdA)).toBe("completed");
      expect(await statusOf(holdB)).toBe("active");
      expect((await capsA.inventory.availability(DRESS_38)).available).toBe(2);

      const again = await pos.post(request("/api/pos/holds", { token: validToken(SHOP_A.domain), method: "POST", body: { action: "picked_up", holdId: holdA } }));
      expect(again.status).toBe(409);
    });
  });

  describe("admin customer summary (api.admin.customer-summary)", () => {
    const path = `/api/admin/customer-summary?customerId=${encodeURIComponent(JULIE)}`;

    it("refuses a missing, forged or other app's token with 401", async () => {
      expect((await summary(request(path))).status).toBe(401);
      for (const [name, token] of Object.entries(forgedTokens(SHOP_A.domain))) {
        const response = await summary(request(path, { token }));
        expect(response.status, name).toBe(401);
        expect(response.headers.get("Access-Control-Allow-Origin"), name).toBe("*");
      }
      // Signed with our secret but meant for another app: the admin token's audience is checked.
      const otherApp = createSessionToken({ shop: SHOP_A.domain, apiKey: "another-app", apiSecret: SANDBOX_API_SECRET });
      expect((await summary(request(path, { token: otherApp }))).status).toBe(401);
    });

    it("a valid token reads its own shop's customer only", async () => {
      const a = await summary(request(path, { token: validToken(SHOP_A.domain) }));
      expect(a.status).toBe(200);
      const bodyA = (await a.json()) as { customer: { firstName: string }; activeHolds: Array<{ id: string }> };
      expect(bodyA.customer.firstName).toBe("Julie");
      expect(bodyA.activeHolds.map((h) => h.id)).not.toContain(holdB);

      const b = await summary(request(path, { token: validToken(SHOP_B.domain) }));
      const bodyB = (await b.json()) as { customer: { firstName: string }; activeHolds: Array<{ id: string }> };
      expect(bodyB.customer.firstName).toBe("Julie B");
      expect(bodyB.activeHolds.map((h) => h.id)).toEqual([holdB]);
    });

    it("refuses what is not a customer gid, and anything but GET", async () => {
      const token = validToken(SHOP_A.domain);
      expect((await summary(request("/api/admin/customer-summary?customerId=gid://shopify/Order/1", { token }))).status).toBe(400);
      expect((await summary(request("/api/admin/customer-summary", { token }))).status).toBe(400);
      const post = await answer(() => customerSummaryAction({ request: request(path, { token, method: "POST", body: {} }), context: { services }, params: {} }));
      expect(post.status).toBe(405);
    });
  });

  it("leaves the other shop's hold and customer rows alone", async () => {
    const shopB = await findShopByDomain(services.db, SHOP_B.domain);
    const rows = await services.db.select().from(holds).where(and(eq(holds.shopId, shopB?.id ?? ""), eq(holds.status, "active")));
    expect(rows.map((r) => r.id)).toEqual([holdB]);
  });
});
