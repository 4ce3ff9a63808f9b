import type { ActionFunctionArgs } from "@remix-run/node";

// Handles Shopify's `app/uninstalled` (subscribed in shopify.app.toml).
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.shopify(request);
