/**
 * JSON without losing digits: Shopify's REST-style webhook payloads carry ids above 2^53, which
 * `JSON.parse` rounds (820982911946154508 → 820982911946154500). Such numbers come back as
 * strings of their exact digits; every other number as a number.
 */
import { isSafeNumber, parse } from "lossless-json";

export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}
