/**
 * Shopify's mandatory compliance topics (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance):
 * customers/data_request → an export of everything we hold on the customer, for the merchant;
 * customers/redact → that customer's identity and message bodies erased, anonymous counts kept;
 * shop/redact → everything of the shop erased.
 */
import { and, eq, inArray } from "drizzle-orm";
import {
  backInStockSubscriptions,
  crmNotes,
  crmTags,
  customers,
  dataExports,
  holds,
  messages,
  notifications,
  orderAttributions,
  scheduledMessages,
  sessionTable,
  shops,
  webhookEvents,
} from "../../../../../db/schema";
import { matchCustomers } from "~/customers/match.server";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import { gid } from "./payloads";

export const REDACTED = "[redacted]";

type ComplianceCustomer = { id: string; email: string | null; phone: string | null };

function findTheCustomer(db: Database, shopId: string, c: ComplianceCustomer) {
  return matchCustomers(db, shopId, { shopifyCustomerId: gid("Customer", c.id), phones: [c.phone], emails: [c.email] });
}

export async function handleCustomersDataRequest(
  deps: { db: Database; clock: Clock },
  shop: { id: string },
  input: { customer: ComplianceCustomer; requestId: string },
) {
  const { db } = deps;
  const found = await findTheCustomer(db, shop.id, input.customer);
  const ids = found.map((c) => c.id);
  const [msgs, heldItems, notes, tags, subs, scheduled, orders] = ids.length
    ? await Promise.all([
        db.select().from(messages).where(and(eq(messages.shopId, shop.id), inArray(messages.customerId, ids))),
        db.select().from(holds).where(and(eq(holds.shopId, shop.id), inArray(holds.customerId, ids))),
        db.select().from(crmNotes).where(and(eq(crmNotes.shopId, shop.id), inArray(crmNotes.customerId, ids))),
        db.select().from(crmTags).where(and(eq(crmTags.shopId, shop.id), inArray(crmTags.customerId, ids))),
        db.select().from(backInStockSubscriptions).where(and(eq(backInStockSubscriptions.shopId, shop.id), inArray(backInStockSubscriptions.customerId, ids))),
        db.select().from(scheduledMessages).where(and(eq(scheduledMessages.shopId, shop.id), inArray(scheduledMessages.customerId, ids))),
        db.select().from(orderAttributions).where(and(eq(orderAttributions.shopId, shop.id), inArray(orderAttributions.customerId, ids))),
      ])
    : [[], [], [], [], [], [], []];
  const data = {
    requestId: input.requestId,
    shopifyCustomerId: gid("Customer", input.customer.id),
    generatedAt: deps.clock.now().toISOString(),
    profiles: found.map((c) => ({
      id: c.id,
      phone: c.phone,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      locale: c.locale,
      createdAt: c.createdAt.toISOString(),
    })),
    messages: msgs.map((m) => ({
      at: m.createdAt.toISOString(),
      direction: m.direction,
      author: m.author,
      channel: m.channel,
      from: m.fromAddress,
      to: m.toAddress,
      body: m.body,
      status: m.status,
    })),
    holds: heldItems.map((h) => ({ status: h.status, items: h.items, expiresAt: h.expiresAt.toISOString(), draftOrder: h.draftOrderName ?? h.draftOrderId })),
    notes: notes.map((n) => ({ at: n.createdAt.toISOString(), author: n.author, body: n.body })),
    tags: tags.map((t) => t.tag),
    backInStock: subs.map((s) => ({ product: s.productTitle, size: s.size, status: s.status })),
    scheduledMessages: scheduled.map((s) => ({ type: s.type, dueAt: s.dueAt.toISOString(), status: s.status })),
    orders: orders.map((o) => ({ order: o.orderName, amount: o.amount, currency: o.currency, aiAttributed: o.aiAttributed })),
  };
  const [row] = await db
    .insert(dataExports)
    .values({ shopId: shop.id, requestId: input.requestId, shopifyCustomerId: data.shopifyCustomerId, data, createdAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning({ id: dataExports.id });
  if (row) {
    await db
      .insert(notifications)
      .values({
        shopId: shop.id,
        kind: "escalation",
        title: "Customer data request",
        body: `A customer asked for their data (request ${input.requestId}): the export is ready to download.`,
        data: { dataExportId: row.id },
        dedupeKey: `data-request:${input.requestId}`,
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing();
  }
  return { exportId: row?.id ?? null, profiles: found.length, messages: msgs.length };
}

export async function handleCustomersRedact(deps: { db: Database; clock: Clock }, shop: { id: string }, input: { customer: ComplianceCustomer }) {
  const { db } = deps;
  const found = await findTheCustomer(db, shop.id, input.customer);
  const ids = found.map((c) => c.id);
  if (ids.length === 0) return { customers: 0, messages: 0 };
  return db.transaction(async (tx) => {
    const inbound = await tx
      .update(messages)
      .set({ body: REDACTED, fromAddress: REDACTED, record: null, error: null })
      .where(and(eq(messages.shopId, shop.id), inArray(messages.customerId, ids), eq(messages.direction, "inbound")))
      .returning({ id: messages.id });
    const outbound = await tx
      .update(messages)
      .set({ body: REDACTED, toAddress: REDACTED, record: null, error: null })
      .where(and(eq(messages.shopId, shop.id), inArray(messages.customerId, ids), eq(messages.direction, "outbound")))
      .returning({ id: messages.id });
    await tx.delete(crmNotes).where(and(eq(crmNotes.shopId, shop.id), inArray(crmNotes.customerId, ids)));
    await tx.delete(crmTags).where(and(eq(crmTags.shopId, shop.id), inArray(crmTags.customerId, ids)));
    await tx.delete(backInStockSubscriptions).where(and(eq(backInStockSubscriptions.shopId, shop.id), inArray(backInStockSubscriptions.customerId, ids)));
    await tx.delete(scheduledMessages).where(and(eq(scheduledMessages.shopId, shop.id), inArray(scheduledMessages.customerId, ids)));
    await tx.delete(dataExports).where(and(eq(dataExports.shopId, shop.id), eq(dataExports.shopifyCustomerId, gid("Customer", input.customer.id))));
    await tx
      .update(customers)
      .set({ phone: null, email: null, firstName: null, lastName: null, locale: null, shopifyCustomerId: null, redactedAt: deps.clock.now(), updatedAt: deps.clock.now() })
      .where(and(eq(customers.shopId, shop.id), inArray(customers.id, ids)));
    // Conversations, holds and order attributions stay as anonymous counts: they carry no identity.
    return { customers: ids.length, messages: inbound.length + outbound.length };
  });
}

export async function handleShopRedact(deps: { db: Database }, shopDomain: string) {
  const { db } = deps;
  // Every shop table references shops with ON DELETE CASCADE.
  const deleted = await db.delete(shops).where(eq(shops.domain, shopDomain)).returning({ id: shops.id });
  await db.delete(sessionTable).where(eq(sessionTable.shop, shopDomain));
  await db.delete(webhookEvents).where(eq(webhookEvents.shopDomain, shopDomain));
  return { deleted: deleted.length };
}
