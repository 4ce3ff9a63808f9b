import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { listPosHolds, markHoldPickedUp } from "~/pos/pos.server";
import { findShopByDomain } from "~/shops/install.server";

// The POS holds extension's data (extensions/pos-holds). Every request carries the POS session
// token (`Authorization: Bearer …`, an HS256 JWT signed with the app's secret), which
// `authenticate.public.pos` verifies; the shop is the token's `dest`, never a parameter.
// GET ?q=… lists the active holds; POST {action: "picked_up", holdId} completes one.
// https://shopify.dev/docs/api/shopify-app-remix/v4/authenticate/public/pos

type Services = AppLoadContext["services"];

const pickUpInput = z.object({ action: z.literal("picked_up"), holdId: z.string().uuid() });

/**
 * The extension runs on Shopify's CDN origins, so every answer needs CORS headers to be readable,
 * a refusal too: the library adds them to what `cors` wraps but not to the 401 it throws. Same
 * headers as its own helper (`ensureCORSHeadersFactory`).
 */
function withCors(request: Request, response: Response): Response {
  if (request.headers.get("Origin")) {
    response.headers.set("Access-Control-Allow-Origin", "*");
    response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  }
  return response;
}

async function handle(request: Request, services: Services, answer: (shop: { id: string; domain: string }) => Promise<Response>): Promise<Response> {
  try {
    const { sessionToken, cors } = await services.shopify.authenticate.public.pos(request);
    const shop = await findShopByDomain(services.db, new URL(sessionToken.dest).hostname);
    if (!shop || shop.uninstalledAt) return withCors(request, Response.json({ error: "shop_not_installed" }, { status: 403 }));
    const response = await answer(shop);
    response.headers.set("Cache-Control", "no-store");
    return cors(response);
  } catch (error) {
    // The library throws its answers (401 for a missing or bad token, 204 for a CORS preflight).
    if (error instanceof Response) return withCors(request, error);
    throw error;
  }
}

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { services } = context;
  return handle(request, services, async (shop) => {
    const search = new URL(request.url).searchParams.get("q") ?? undefined;
    return Response.json(await listPosHolds({ db: services.db, clock: services.clock }, shop.id, { search }));
  });
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const { services } = context;
  if (request.method !== "POST" && request.method !== "OPTIONS") {
    return withCors(request, new Response("Method Not Allowed", { status: 405, headers: { Allow: "GET, POST" } }));
  }
  return handle(request, services, async (shop) => {
    const isJson = (request.headers.get("Content-Type") ?? "").includes("application/json");
    const body: unknown = isJson
      ? await request.json().catch(() => null)
      : await request
          .formData()
          .then((form) => Object.fromEntries(form))
          .catch(() => null);
    const input = pickUpInput.safeParse(body);
    if (!input.success) return Response.json({ error: "invalid_request" }, { status: 400 });
    const result = await markHoldPickedUp(
      { db: services.db, clock: services.clock, holds: (await services.engine.capabilities(shop.domain)).holds },
      shop.id,
      input.data.holdId,
    );
    switch (result.outcome) {
      case "picked_up":
        return Response.json(result);
      case "not_found":
        return Response.json(result, { status: 404 });
      case "not_active":
        return Response.json(result, { status: 409 });
    }
  });
};
