/**
 * The admin customer summary route's JSON (app/routes/api.admin.customer-summary.tsx), shared with
 * the admin block (extensions/customer-conversations imports these types). No imports: the
 * extension type-checks this file on its own; app/customers/summary.server.ts checks that the
 * unions below match the app's own types.
 */

export type SummaryChannel = "sms" | "whatsapp" | "email";
/** Our STOP/START rows per channel: any STOP is "withdrawn", a START "granted", else "unknown". */
export type SummaryConsent = "granted" | "withdrawn" | "unknown";

export interface CustomerSummary {
  /** Null: no one with this Shopify customer id has written to the shop or been written to. */
  customer: { firstName: string | null; lastName: string | null; phone: string | null; email: string | null } | null;
  latestConversation: {
    id: string;
    channel: SummaryChannel;
    status: "open" | "needs_merchant" | "closed";
    /** The merchant took over: the AI does not answer in this conversation. */
    aiPaused: boolean;
    /** ISO 8601. */
    lastMessageAt: string;
    lastMessage: { direction: "inbound" | "outbound"; author: "customer" | "ai" | "merchant"; body: string; at: string } | null;
    /** The thread in the app (`/app/inbox/<conversationId>`). */
    inboxPath: string;
  } | null;
  activeHolds: Array<{
    id: string;
    draftOrderName: string | null;
    /** ISO 8601. */
    expiresAt: string;
    items: Array<{ productTitle: string; size: string | null; quantity: number }>;
  }>;
  consent: Record<SummaryChannel, SummaryConsent>;
}
