/**
 * The "new broadcast" form's fields, their limits and their checks, shared by the page (live
 * counter, field names) and the server (which checks again and decides). No server imports.
 */
import type { BroadcastSegment } from "../../db/schema/broadcasts";

export const SEGMENT_KINDS = ["all", "vip", "active", "prospect", "tag", "bought"] as const satisfies ReadonlyArray<BroadcastSegment["kind"]>;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

export const BROADCAST_LIMITS = {
  name: 80,
  /** What prepareBroadcast accepts (broadcasts.server.ts). */
  text: 1000,
  /** A Shopify tag is at most 40 characters. */
  tag: 40,
  product: 100,
} as const;

/** The form as posted: every value a string, as the browser sends it. */
export interface BroadcastFormValues {
  name: string;
  segmentKind: string;
  /** The tag, or the product, for those two segments. */
  segmentValue: string;
  text: string;
  /** Empty: as soon as possible; else the date-and-time field's value in the shop's time zone. */
  sendAt: string;
}

export type BroadcastFormField = "name" | "segment" | "text" | "sendAt";
export type BroadcastFormError =
  | "name_missing"
  | "name_too_long"
  | "segment_unknown"
  | "tag_missing"
  | "product_missing"
  | "segment_value_too_long"
  | "text_missing"
  | "text_too_long"
  | "send_at_invalid"
  | "send_at_past";

export function readBroadcastForm(form: { get(name: string): unknown }): BroadcastFormValues {
  const value = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { name: value("name"), segmentKind: value("segmentKind"), segmentValue: value("segmentValue"), text: value("text"), sendAt: value("sendAt") };
}

/** The segment the form names, or the error on its field. */
export function segmentOf(values: BroadcastFormValues): { segment: BroadcastSegment } | { error: BroadcastFormError } {
  const kind = SEGMENT_KINDS.find((k) => k === values.segmentKind);
  if (!kind) return { error: "segment_unknown" };
  const value = values.segmentValue.trim();
  if (kind === "tag" || kind === "bought") {
    if (value === "") return { error: kind === "tag" ? "tag_missing" : "product_missing" };
    if (value.length > (kind === "tag" ? BROADCAST_LIMITS.tag : BROADCAST_LIMITS.product)) return { error: "segment_value_too_long" };
    return { segment: kind === "tag" ? { kind, tag: value } : { kind, product: value } };
  }
  return { segment: { kind } };
}

/** The checks that need no clock nor database: each field's first problem. */
export function checkBroadcastFields(values: BroadcastFormValues): Partial<Record<BroadcastFormField, BroadcastFormError>> {
  const errors: Partial<Record<BroadcastFormField, BroadcastFormError>> = {};
  const name = values.name.trim();
  if (name === "") errors.name = "name_missing";
  else if (name.length > BROADCAST_LIMITS.name) errors.name = "name_too_long";
  const segment = segmentOf(values);
  if ("error" in segment) errors.segment = segment.error;
  const text = values.text.trim();
  if (text === "") errors.text = "text_missing";
  else if (text.length > BROADCAST_LIMITS.text) errors.text = "text_too_long";
  return errors;
}
