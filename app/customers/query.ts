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
