/**
 * The parts of Shopify's webhook payloads we use (https://shopify.dev/docs/api/webhooks/2026-07),
 * validated with zod. Ids arrive as numbers or, above 2^53, as exact digit strings
 * (app/lib/json.ts); both become strings here, and gids are built from them when absent.
 */
import { z } from "zod";

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const nullableString = z.string().nullable().optional().transform((v) => v ?? null);

export const orderWebhookSchema = z.object({
  id,
  admin_graphql_api_id: z.string().optional(),
  name: z.string(),
  created_at: z.string(),
  email: nullableString,
  contact_email: nullableString,
  phone: nullableString,
  total_price: z.string(),
  currency: z.string(),
  customer: z
    .object({
      id,
      admin_graphql_api_id: z.string().optional(),
      email: nullableString,
      phone: nullableString,
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  line_items: z.array(
    z.object({
      variant_id: id.nullable().optional().transform((v) => v ?? null),
      sku: nullableString,
      title: z.string(),
      variant_title: nullableString,
      quantity: z.number().int(),
    }),
  ),
});
export type OrderWebhook = z.output<typeof orderWebhookSchema>;

export const fulfillmentWebhookSchema = z.object({
  id,
  admin_graphql_api_id: z.string().optional(),
  order_id: id,
  name: nullableString,
  status: nullableString,
  shipment_status: nullableString,
  tracking_company: nullableString,
  tracking_number: nullableString,
  tracking_url: nullableString,
  updated_at: z.string(),
});
export type FulfillmentWebhook = z.output<typeof fulfillmentWebhookSchema>;

export const inventoryLevelWebhookSchema = z.object({
  inventory_item_id: id,
  location_id: id,
  available: z.number().int().nullable(),
  updated_at: z.string(),
});
export type InventoryLevelWebhook = z.output<typeof inventoryLevelWebhookSchema>;

const complianceCustomer = z.object({ id, email: nullableString, phone: nullableString });

export const customersDataRequestSchema = z.object({
  shop_domain: z.string(),
  customer: complianceCustomer,
  orders_requested: z.array(id).default([]),
  data_request: z.object({ id }),
});
export const customersRedactSchema = z.object({
  shop_domain: z.string(),
  customer: complianceCustomer,
  orders_to_redact: z.array(id).default([]),
});
export const shopRedactSchema = z.object({ shop_domain: z.string() });

export function gid(type: string, legacyId: string): string {
  return `gid://shopify/${type}/${legacyId}`;
}
