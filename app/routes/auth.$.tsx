import type { LoaderFunctionArgs } from "@remix-run/node";

/** Shopify's auth paths (session-token bounce, exit-iframe): handled by the library. */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  await context.services.shopify.authenticate.admin(request);
  return null;
};
