import type { ActionFunctionArgs } from "@remix-run/node";

// Handles Shopify's `fulfillments/update` (subscribed in shopify.app.toml): verified, deduped, queued.
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.shopify(request);
