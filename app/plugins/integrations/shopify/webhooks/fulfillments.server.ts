/** fulfillments/create and /update: remember the tracking for "où est ma commande ?". */
import { sql } from "drizzle-orm";
import { shipmentTrackings } from "../../../../../db/schema";
import type { ShipmentStatus } from "~/plugins/types";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { gid, type FulfillmentWebhook } from "./payloads";

/**
 * Shopify's shipment_status words mapped to ours (the tracking job writes the same column):
 * https://shopify.dev/docs/api/admin-rest/latest/resources/fulfillment#resource-object
 */
const SHIPMENT_STATUS: Record<string, ShipmentStatus> = {
  label_printed: "pending",
  label_purchased: "pending",
  confirmed: "pending",
  ready_for_pickup: "out_for_delivery",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  attempted_delivery: "exception",
  failure: "exception",
  delivered: "delivered",
};

export async function handleFulfillment(deps: { db: Database; clock: Clock }, shop: { id: string }, f: FulfillmentWebhook) {
  const fulfillmentId = f.admin_graphql_api_id ?? gid("Fulfillment", f.id);
  const status: ShipmentStatus = f.shipment_status ? (SHIPMENT_STATUS[f.shipment_status] ?? "unknown") : "pending";
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
    .onConflictDoUpdate({
      target: [shipmentTrackings.shopId, shipmentTrackings.fulfillmentId],
      // A later update without a delivery must not erase one the carrier already reported.
      set: { ...values, deliveredAt: sql`coalesce(excluded.delivered_at, ${shipmentTrackings.deliveredAt})` },
    })
    .returning();
  return row;
}
