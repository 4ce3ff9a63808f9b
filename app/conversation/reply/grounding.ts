/**
 * The grounding check: a reply may state a number (quantity, size, price, date, order or tracking
 * number) only if a tool returned it or the shop's own settings contain it. A reply that fails is
 * not sent; the conversation goes to the merchant instead.
 */
export interface GroundingResult {
  ok: boolean;
  /** Numbers in the reply that no tool produced. */
  ungrounded: string[];
}

const NUMBER = /\d+(?:[.,]\d+)?/g;

function collectNumbers(value: unknown, into: Set<string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === "number") {
    into.add(String(value));
    return;
  }
  if (typeof value === "string") {
    for (const n of value.match(NUMBER) ?? []) into.add(n.replace(",", "."));
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectNumbers(v, into);
    return;
  }
  if (typeof value === "object") {
    for (const v of Object.values(value)) collectNumbers(v, into);
  }
}

export function checkGrounding(reply: string, sources: unknown[]): GroundingResult {
  const allowed = new Set<string>();
  for (const source of sources) collectNumbers(source, allowed);
  const ungrounded = (reply.match(NUMBER) ?? []).map((n) => n.replace(",", ".")).filter((n) => !allowed.has(n));
  return { ok: ungrounded.length === 0, ungrounded };
}
