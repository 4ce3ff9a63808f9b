/**
 * The customers list's query (segment, channel, search, page) and its URL form: shared by the
 * loader, which reads it, and the page, which writes it. Segments and channels are the inbox's
 * (app/inbox/query.ts); anything unknown in the URL is ignored, not an error.
 */
import { CHANNELS, CUSTOMER_SEGMENTS, oneOf, type CustomerSegment } from "~/inbox/query";
import type { ChannelKind } from "~/plugins/types";

export interface CustomerListQuery {
  segment?: CustomerSegment | null;
  /** She has written on this channel. */
  channel?: ChannelKind | null;
  /** Name, phone or email. */
  search?: string | null;
  /** The `nextCursor` of the previous page. */
  after?: string | null;
  limit?: number;
}

export function parseCustomerListQuery(params: URLSearchParams): CustomerListQuery {
  return {
    segment: oneOf(CUSTOMER_SEGMENTS, params.get("segment")),
    channel: oneOf(CHANNELS, params.get("channel")),
    search: params.get("q")?.trim().slice(0, 200) || null,
    after: params.get("after") || null,
  };
}

/** A Shopify customer note holds 5,000 characters; one line added from her page stays well under it. */
export const NOTE_MAX_LENGTH = 1000;
/** What the merchant writes by hand in one message: ten SMS segments. */
export const MESSAGE_MAX_LENGTH = 1600;
