import type { ActionFunctionArgs } from "@remix-run/node";

// Handles Shopify's mandatory compliance topics (customers/data_request, customers/redact,
// shop/redact), which shopify.app.toml sends to this one URI; the topic header tells them apart.
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.shopify(request);
