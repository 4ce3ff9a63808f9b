/**
 * The inbox list's query (tab, filters, search, page) and its URL form: shared by the loader, which
 * reads it, and the page, which writes it. Anything unknown in the URL is ignored, not an error.
 */
import type { ConversationStatus } from "../../db/schema/conversations";
import type { ChannelKind } from "~/plugins/types";

export const INBOX_TABS = ["needs_you", "ai_handled", "all"] as const;
export type InboxTab = (typeof INBOX_TABS)[number];
export const CUSTOMER_SEGMENTS = ["vip", "new", "returning"] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];
export const CHANNELS = ["sms", "whatsapp", "email"] as const satisfies readonly ChannelKind[];
export const CONVERSATION_STATUSES = ["open", "needs_merchant", "closed"] as const satisfies readonly ConversationStatus[];

export interface InboxQuery {
  tab: InboxTab;
  channel?: ChannelKind | null;
  status?: ConversationStatus | null;
  segment?: CustomerSegment | null;
  /** Customer name, phone, email or message text. */
  search?: string | null;
  /** The `nextCursor` of the previous page. */
  after?: string | null;
  limit?: number;
}

/** The URL parameters the list page uses (others, such as admin's `locale`, are left alone). */
export const INBOX_PARAMS = ["tab", "channel", "status", "segment", "q", "after"] as const;

/** `value` when it is one of `allowed`, else null. */
export function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return allowed.find((a) => a === value) ?? null;
}

/** The query in the URL; `tab` is null when the URL names none (the page then picks one). */
export function parseInboxQuery(params: URLSearchParams): Omit<InboxQuery, "tab"> & { tab: InboxTab | null } {
  return {
    tab: oneOf(INBOX_TABS, params.get("tab")),
    channel: oneOf(CHANNELS, params.get("channel")),
    status: oneOf(CONVERSATION_STATUSES, params.get("status")),
    segment: oneOf(CUSTOMER_SEGMENTS, params.get("segment")),
    search: params.get("q")?.trim().slice(0, 200) || null,
    after: params.get("after") || null,
  };
}

/** With no tab in the URL: what needs her when something does, else everything. */
export function defaultTab(needsYou: number): InboxTab {
  return needsYou > 0 ? "needs_you" : "all";
}
