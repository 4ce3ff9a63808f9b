/**
 * What the admin block on a Shopify customer's page (and an order's, through its customer) shows
 * of her life with Coccinelle (extensions/customer-conversations, through
 * app/routes/api.admin.customer-summary.tsx): her latest conversation and a link to its thread,
 * her active holds, her messaging consent per channel. Reads one shop's rows only.
 */
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { consents, conversations, customers, holds, messages, type ConversationStatus } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { ConsentState } from "~/messaging/orchestrator";
import type { ChannelKind } from "~/plugins/types";
import type { CustomerSummary, SummaryChannel, SummaryConsent } from "./summary-types";

export type { CustomerSummary } from "./summary-types";

// The extension's copy of the unions must stay the app's: a difference fails the type-check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameUnions: [Same<SummaryChannel, ChannelKind>, Same<SummaryConsent, ConsentState>, Same<NonNullable<CustomerSummary["latestConversation"]>["status"], ConversationStatus>] = [true, true, true];

export interface SummaryDeps {
  db: Database;
  clock: Clock;
}

/** A block shows a glimpse: the thread has the whole message. */
const BODY_PREVIEW_CHARS = 280;
const CHANNELS: readonly ChannelKind[] = ["sms", "whatsapp", "email"];

export function inboxPath(conversationId: string): string {
  return `/app/inbox/${conversationId}`;
}

/** `gid://shopify/Customer/6001` and nothing else (the route refuses the rest before any query). */
export function isShopifyCustomerGid(value: string): boolean {
  return /^gid:\/\/shopify\/Customer\/\d+$/.test(value);
}

export async function customerSummary(deps: SummaryDeps, shopId: string, shopifyCustomerId: string): Promise<CustomerSummary> {
  const { db, clock } = deps;
  // One Shopify customer may be several messaging identities of ours (her phone, her email).
  const identities = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shopId, shopId), eq(customers.shopifyCustomerId, shopifyCustomerId)))
    .orderBy(desc(customers.updatedAt));
  const consent: Record<ChannelKind, ConsentState> = { sms: "unknown", whatsapp: "unknown", email: "unknown" };
  if (identities.length === 0) return { customer: null, latestConversation: null, activeHolds: [], consent };
  const ids = identities.map((c) => c.id);
  const pick = <K extends "firstName" | "lastName" | "phone" | "email">(key: K) => identities.find((c) => c[key])?.[key] ?? null;

  const [conversation] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.shopId, shopId), inArray(conversations.customerId, ids)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  const [last] = conversation
    ? await db
        .select()
        .from(messages)
        .where(and(eq(messages.shopId, shopId), eq(messages.conversationId, conversation.id)))
        .orderBy(desc(messages.createdAt))
        .limit(1)
    : [];

  const held = await db
    .select()
    .from(holds)
    .where(and(eq(holds.shopId, shopId), inArray(holds.customerId, ids), eq(holds.status, "active"), gt(holds.expiresAt, clock.now())))
    .orderBy(asc(holds.expiresAt));

  // A STOP on any of the shop's numbers shows as withdrawn: the merchant should not push that
  // channel (the sender decides per number, app/messaging/proactive.server.ts).
  const rows = await db.select().from(consents).where(and(eq(consents.shopId, shopId), inArray(consents.customerId, ids)));
  for (const channel of CHANNELS) {
    const mine = rows.filter((r) => r.channel === channel);
    consent[channel] = mine.some((r) => r.status === "opted_out") ? "withdrawn" : mine.some((r) => r.status === "opted_in") ? "granted" : "unknown";
  }

  return {
    customer: { firstName: pick("firstName"), lastName: pick("lastName"), phone: pick("phone"), email: pick("email") },
    latestConversation: conversation
      ? {
          id: conversation.id,
          channel: conversation.channel,
          status: conversation.status,
          aiPaused: conversation.aiPaused,
          lastMessageAt: conversation.lastMessageAt.toISOString(),
          lastMessage: last
            ? {
                direction: last.direction,
                author: last.author,
                body: last.body.length > BODY_PREVIEW_CHARS ? `${last.body.slice(0, BODY_PREVIEW_CHARS - 1)}…` : last.body,
                at: last.createdAt.toISOString(),
              }
            : null,
          inboxPath: inboxPath(conversation.id),
        }
      : null,
    activeHolds: held.map((h) => ({
      id: h.id,
      draftOrderName: h.draftOrderName,
      expiresAt: h.expiresAt.toISOString(),
      items: h.items.map((i) => ({ productTitle: i.productTitle, size: i.size, quantity: i.quantity })),
    })),
    consent,
  };
}
