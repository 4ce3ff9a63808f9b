/** The work behind a Shopify webhook the edge accepted (app/edges/shopify-webhooks.server.ts). */
import type { EngineDeps } from "~/conversation/engine.server";
import {
  handleCustomersDataRequest,
  handleCustomersRedact,
  handleShopRedact,
} from "~/plugins/integrations/shopify/webhooks/compliance.server";
import { handleFulfillment } from "~/plugins/integrations/shopify/webhooks/fulfillments.server";
import { handleInventoryLevel } from "~/plugins/integrations/shopify/webhooks/inventory-levels.server";
import { handleOrderCreated } from "~/plugins/integrations/shopify/webhooks/orders-create.server";
import {
  customersDataRequestSchema,
  customersRedactSchema,
  fulfillmentWebhookSchema,
  inventoryLevelWebhookSchema,
  orderWebhookSchema,
  shopRedactSchema,
} from "~/plugins/integrations/shopify/webhooks/payloads";
import { findShopByDomain } from "~/shops/install.server";
import { QUEUE_NAMES, type JobDefinition } from "./queues.server";

export interface ShopifyWebhookData {
  shopDomain: string;
  topic: string;
  eventId: string;
  /** Parsed without losing digits (ids above 2^53 are digit strings). */
  payload: unknown;
}

export const shopifyWebhookJob: JobDefinition<ShopifyWebhookData, EngineDeps> = {
  name: "shopify.webhook",
  queue: QUEUE_NAMES.conversation,
  options: {
    attempts: 8,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  },
  async handle(data, deps) {
    const { db, clock, logger } = deps;
    if (data.topic === "shop/redact") {
      await handleShopRedact({ db }, shopRedactSchema.parse(data.payload).shop_domain);
      return;
    }
    const shop = await findShopByDomain(db, data.shopDomain);
    if (!shop) {
      logger.warn("webhook for a shop we do not know", { shop: data.shopDomain, topic: data.topic });
      return;
    }
    switch (data.topic) {
      case "orders/create": {
        const { holds } = await deps.capabilities(shop.domain);
        await handleOrderCreated({ db, clock, logger, holds, armScheduledMessage: deps.armScheduledMessage }, shop, orderWebhookSchema.parse(data.payload));
        return;
      }
      case "fulfillments/create":
      case "fulfillments/update":
        await handleFulfillment({ db, clock }, shop, fulfillmentWebhookSchema.parse(data.payload));
        return;
      case "inventory_levels/update":
        await handleInventoryLevel({ db, clock, logger, armScheduledMessage: deps.armScheduledMessage }, shop, inventoryLevelWebhookSchema.parse(data.payload));
        return;
      case "customers/data_request": {
        const p = customersDataRequestSchema.parse(data.payload);
        await handleCustomersDataRequest({ db, clock }, shop, { customer: p.customer, requestId: p.data_request.id });
        return;
      }
      case "customers/redact":
        await handleCustomersRedact({ db, clock }, shop, { customer: customersRedactSchema.parse(data.payload).customer });
        return;
      default:
        logger.warn("no handler for Shopify topic", { topic: data.topic });
    }
  },
};
