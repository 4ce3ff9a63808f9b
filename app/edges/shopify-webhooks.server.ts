/**
 * Shopify webhooks (edge, DESIGN §2): `authenticate.webhook` verifies the HMAC on the raw body
 * (401 otherwise), malformed JSON is a 400, we dedupe on `X-Shopify-Event-Id`, enqueue the work
 * and answer 200. Nothing is stored for a delivery we refuse. app/uninstalled is handled here: it
 * is small, idempotent, and must stop the shop's work at once.
 */
import { and, eq } from "drizzle-orm";
import { scheduledMessages, sessionTable, shops, webhookEvents } from "../../db/schema";
import { shopifyWebhookJob } from "../../jobs/shopify-webhook.server";
import { QueueUnavailableError, type JobQueue } from "../../jobs/queues.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { parseJsonLossless } from "~/lib/json";
import type { Logger } from "~/lib/logger.server";
import { markUninstalled } from "~/shops/install.server";
import type { ShopifyApp } from "~/shopify.server";

export interface ShopifyWebhookDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  shopify: ShopifyApp;
  queue: JobQueue;
}

/** Topics whose work runs in the `shopify.webhook` job. */
export const QUEUED_TOPICS = new Set([
  "orders/create",
  "fulfillments/create",
  "fulfillments/update",
  "inventory_levels/update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

export async function receiveShopifyWebhook(deps: ShopifyWebhookDeps, request: Request): Promise<Response> {
  const raw = await request.clone().text();
  let context: Awaited<ReturnType<ShopifyApp["authenticate"]["webhook"]>>;
  try {
    context = await deps.shopify.authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error; // 401 bad HMAC, 400 missing headers, 405
    if (error instanceof SyntaxError) return new Response("malformed JSON", { status: 400 });
    throw error;
  }
  const topic = (request.headers.get("x-shopify-topic") ?? "").toLowerCase();
  const eventId = request.headers.get("x-shopify-event-id") ?? context.webhookId;
  const shop = context.shop;
  const log = deps.logger.child({ edge: "shopify-webhook", topic, shop, eventId });

  const [seen] = await deps.db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.source, "shopify"), eq(webhookEvents.eventId, eventId)))
    .limit(1);
  if (seen) {
    log.info("duplicate Shopify webhook acknowledged");
    return new Response(null, { status: 200 });
  }

  if (topic === "app/uninstalled") {
    await handleAppUninstalled(deps, shop);
  } else if (QUEUED_TOPICS.has(topic)) {
    try {
      await deps.queue.enqueue(shopifyWebhookJob, { shopDomain: shop, topic, eventId, payload: parseJsonLossless(raw) }, { jobId: `shopify-${eventId}` });
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        log.error("queue unavailable: asking Shopify to retry", { error: error.message });
        return new Response("temporarily unavailable", { status: 503, headers: { "Retry-After": "5" } });
      }
      throw error;
    }
  } else {
    log.warn("webhook topic without a handler acknowledged");
  }
  // Recorded only once the work is done or durably queued, so a refused delivery is retried.
  await deps.db
    .insert(webhookEvents)
    .values({ source: "shopify", eventId, shopDomain: shop, topic, receivedAt: deps.clock.now() })
    .onConflictDoNothing();
  return new Response(null, { status: 200 });
}

/**
 * app/uninstalled: the shop's sessions are deleted (its token is dead), its scheduled messages
 * cancelled, the shop marked uninstalled; its data is kept until `shop/redact`. Idempotent.
 */
async function handleAppUninstalled(deps: ShopifyWebhookDeps, shopDomain: string) {
  const now = deps.clock.now();
  await deps.db.delete(sessionTable).where(eq(sessionTable.shop, shopDomain));
  await markUninstalled(deps.db, shopDomain, now);
  const [shop] = await deps.db.select({ id: shops.id }).from(shops).where(eq(shops.domain, shopDomain)).limit(1);
  if (shop) {
    await deps.db
      .update(scheduledMessages)
      .set({ status: "cancelled", updatedAt: now })
      .where(and(eq(scheduledMessages.shopId, shop.id), eq(scheduledMessages.status, "scheduled")));
  }
  deps.logger.info("app uninstalled", { shop: shopDomain });
}
