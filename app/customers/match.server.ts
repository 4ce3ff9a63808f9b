/** Our customers in one shop that a Shopify customer id, a phone or an email point to. */
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { Database } from "~/db.server";
import { toE164 } from "~/lib/phone";

export type CustomerRow = typeof customers.$inferSelect;

export async function matchCustomers(
  db: Database,
  shopId: string,
  by: { shopifyCustomerId?: string | null; phones?: Array<string | null>; emails?: Array<string | null> },
): Promise<CustomerRow[]> {
  const phones = (by.phones ?? []).map((p) => (p ? toE164(p) : null)).filter((p): p is string => p !== null);
  const emails = (by.emails ?? []).map((e) => e?.trim().toLowerCase()).filter((e): e is string => Boolean(e));
  const conditions: SQL[] = [];
  if (by.shopifyCustomerId) conditions.push(eq(customers.shopifyCustomerId, by.shopifyCustomerId));
  if (phones.length) conditions.push(inArray(customers.phone, phones));
  if (emails.length) conditions.push(inArray(customers.email, emails));
  if (conditions.length === 0) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.shopId, shopId), or(...conditions)));
}
