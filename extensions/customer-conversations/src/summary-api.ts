/**
 * The app's customer summary route (app/routes/api.admin.customer-summary.tsx). Admin UI
 * extensions resolve a relative URL against the app's `application_url` and add the admin session
 * token to the request themselves.
 * https://shopify.dev/docs/api/admin-extensions/latest/network-features#app-authentication
 */
import type { CustomerSummary } from "../../../app/customers/summary-types";

export type { CustomerSummary, SummaryChannel, SummaryConsent } from "../../../app/customers/summary-types";

export async function fetchCustomerSummary(customerId: string): Promise<CustomerSummary> {
  const response = await fetch(`/api/admin/customer-summary?customerId=${encodeURIComponent(customerId)}`);
  if (!response.ok) throw new Error(`customer summary: HTTP ${response.status}`);
  return (await response.json()) as CustomerSummary;
}

/** The app page of a thread, for the `app:` protocol (relative to the app's URL). */
export function threadHref(inboxPath: string): string {
  return `app:${inboxPath.replace(/^\//, "")}`;
}
