/** fulfillments/create and /update: remember the tracking for "où est ma commande ?". */
import { shipmentTrackings } from "../../../../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { gid, type FulfillmentWebhook } from "./payloads";

export async function handleFulfillment(deps: { db: Database; clock: Clock }, shop: { id: string }, f: FulfillmentWebhook) {
  const fulfillmentId = f.admin_graphql_api_id ?? gid("Fulfillment", f.id);
  const status = f.shipment_status ?? f.status;
  const values = {
    orderId: gid("Order", f.order_id),
    // A fulfilment is named after its order: "#2901.1" belongs to "#2901".
    orderName: f.name ? f.name.replace(/\.\d+$/, "") : null,
    company: f.tracking_company,
    trackingNumber: f.tracking_number,
    trackingUrl: f.tracking_url,
    status,
    deliveredAt: f.shipment_status === "delivered" ? new Date(f.updated_at) : null,
    updatedAt: deps.clock.now(),
  };
  const [row] = await deps.db
    .insert(shipmentTrackings)
    .values({ shopId: shop.id, fulfillmentId, ...values })
    .onConflictDoUpdate({ target: [shipmentTrackings.shopId, shipmentTrackings.fulfillmentId], set: values })
    .returning();
  return row;
}
