/**
 * Server-sent events for the inbox pages (see app/inbox/events.server.ts for why the server polls).
 * EventSource sends no Authorization header, so the page passes its session token as `token` and it
 * is handed to shopify-app-remix as the header it expects: an invalid or expired token gets the
 * library's 401, never a stream.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return new Response("session token required", { status: 401 });
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  const { session } = await context.services.shopify.authenticate.admin(new Request(request.url, { headers, signal: request.signal }));
  const shop = await context.services.inbox.shop(session.shop);
  if (!shop) return new Response("shop not installed", { status: 404 });
  return context.services.inbox.events(shop.id, request.signal);
};
