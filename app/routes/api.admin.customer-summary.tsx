import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { customerSummary, isShopifyCustomerGid } from "~/customers/summary.server";
import { findShopByDomain } from "~/shops/install.server";

// The admin block's data (extensions/customer-conversations): GET ?customerId=gid://shopify/Customer/…
// Admin UI extensions' fetch() to the app's URL carries the admin session token (an OpenID Connect
// ID token) in `Authorization`, which `authenticate.admin` verifies; the shop comes from it.
// https://shopify.dev/docs/api/admin-extensions/latest/network-features#app-authentication
//
// Only a customer id is taken. On an order page the extension reads the order's customer itself
// with Direct API access (extensions/customer-conversations/src/order-customer.ts): the app has
// no Admin GraphQL document that goes from an order id to its customer, and this route stays one
// database read with no call to Shopify.

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { services } = context;
  // Without a bearer token `authenticate.admin` treats the request as an admin page load and
  // redirects to the login or bounce page; a data route answers 401 instead.
  if (request.method !== "OPTIONS" && !/^Bearer\s+\S+/.test(request.headers.get("Authorization") ?? "")) {
    const refused = new Response(undefined, { status: 401, statusText: "Unauthorized" });
    if (request.headers.get("Origin")) refused.headers.set("Access-Control-Allow-Origin", "*");
    return refused;
  }
  try {
    // Throws a 401 (with CORS headers) for a bad token and a 204 for a CORS preflight.
    const { session, cors } = await services.shopify.authenticate.admin(request);
    const shop = await findShopByDomain(services.db, session.shop);
    if (!shop || shop.uninstalledAt) return cors(Response.json({ error: "shop_not_installed" }, { status: 403 }));
    const customerId = new URL(request.url).searchParams.get("customerId") ?? "";
    if (!isShopifyCustomerGid(customerId)) return cors(Response.json({ error: "invalid_customer_id" }, { status: 400 }));
    const summary = await customerSummary({ db: services.db, clock: services.clock }, shop.id, customerId);
    return cors(Response.json(summary, { headers: { "Cache-Control": "no-store" } }));
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
};

// Remix sends OPTIONS (a CORS preflight) to the action of a resource route.
export const action = async (args: ActionFunctionArgs) =>
  args.request.method === "OPTIONS" ? loader(args) : new Response("Method Not Allowed", { status: 405, headers: { Allow: "GET" } });
