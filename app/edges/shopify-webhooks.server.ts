/**
 * Shopify webhooks (edge): `authenticate.webhook` verifies the HMAC on the raw body, then we
 * dedupe on the event id and do the (small, idempotent) work or enqueue it.
 */
import { and, eq } from "drizzle-orm";
import { sessionTable, webhookEvents } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { markUninstalled } from "~/shops/install.server";
import type { ShopifyApp } from "~/shopify.server";

export interface ShopifyWebhookDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  shopify: ShopifyApp;
}

/** Records the delivery; false when this event was already received (a Shopify retry). */
async function firstDelivery(db: Database, input: { eventId: string; shop: string; topic: string; now: Date }) {
  const inserted = await db
    .insert(webhookEvents)
    .values({ source: "shopify", eventId: input.eventId, shopDomain: input.shop, topic: input.topic, receivedAt: input.now })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  return inserted.length > 0;
}

/**
 * app/uninstalled: the shop's sessions are deleted (its token is dead anyway) and the shop is
 * marked uninstalled; its data is kept until `shop/redact`. Idempotent: a retry deletes nothing more.
 */
export async function receiveAppUninstalled(deps: ShopifyWebhookDeps, request: Request): Promise<Response> {
  const { shop, topic, webhookId, payload } = await deps.shopify.authenticate.webhook(request);
  const eventId = request.headers.get("x-shopify-event-id") ?? webhookId;
  const now = deps.clock.now();
  if (!(await firstDelivery(deps.db, { eventId, shop, topic, now }))) {
    deps.logger.info("duplicate Shopify webhook acknowledged", { topic, shop, eventId });
    return new Response(null, { status: 200 });
  }
  await deps.db.delete(sessionTable).where(and(eq(sessionTable.shop, shop)));
  await markUninstalled(deps.db, shop, now);
  deps.logger.info("app uninstalled", { shop, eventId, shopId: (payload as { id?: unknown } | undefined)?.id });
  return new Response(null, { status: 200 });
}
