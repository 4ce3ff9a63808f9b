/**
 * Reading what the engine understood from a message's `record`. The engine's steps are being
 * improved; the record's entities are read defensively here, in one place, so the runner keeps
 * working when they move (a product given by ref or by id, an order as `orderName` or `order`).
 */
import type { MessageRecord } from "../../app/conversation/record";

export interface Understood {
  intent: string | null;
  language: string | null;
  product: string | null;
  size: string | null;
  quantity: number | null;
  order: string | null;
}

/** How to turn a provider id into the shop's product ref (the SKU prefix). */
export interface RefLookup {
  productRef(productId: string): string | null;
  variantRef(variantId: string): { ref: string | null; size: string | null } | null;
}

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);

/** The first of `keys` present (not undefined) in the entities, then in the understanding itself. */
function pick(sources: readonly Bag[], keys: readonly string[]): unknown {
  for (const source of sources) for (const key of keys) if (source[key] !== undefined && source[key] !== null) return source[key];
  return null;
}

/** The product (and size) the conversation is about after the message (`conversations.focus`). */
export interface Focus {
  productId: string;
  variantId: string | null;
}

/**
 * What a message was understood to be about. Its own words first; then, for what it does not name
 * ("oui garde-la moi"), the conversation's focus after it, as the engine resolves it.
 */
export function readUnderstood(record: MessageRecord | null, refs: RefLookup, focus: Focus | null = null): Understood {
  if (!record) return { intent: null, language: null, product: null, size: null, quantity: null, order: null };
  const understanding = record.understanding as unknown as Bag;
  const entities = isBag(understanding.entities) ? understanding.entities : {};
  const sources = [entities, understanding];

  const variant = pick(sources, ["variant"]);
  const variantId = isBag(variant) ? str(variant.id) : str(variant);
  const fromVariant = variantId ? refs.variantRef(variantId) : null;

  const productValue = pick(sources, ["product"]);
  let product: string | null = null;
  if (isBag(productValue)) product = str(productValue.ref) ?? (str(productValue.id) ? refs.productRef(productValue.id as string) : null);
  else if (typeof productValue === "string") product = productValue.startsWith("gid://") ? refs.productRef(productValue) : productValue;
  product ??= fromVariant?.ref ?? null;

  let size = (isBag(variant) ? str(variant.size) : null) ?? fromVariant?.size ?? str(pick(sources, ["requestedSize", "size"]));
  const focused = focus ? refs.productRef(focus.productId) : null;
  if (focus && focused && (product === null || product === focused)) {
    product = focused;
    size ??= focus.variantId ? (refs.variantRef(focus.variantId)?.size ?? null) : null;
  }
  const quantityValue = pick(sources, ["quantity"]);
  const orderValue = pick(sources, ["orderName", "order"]);
  return {
    intent: str(understanding.intent),
    language: str(understanding.language),
    product,
    size,
    quantity: typeof quantityValue === "number" ? quantityValue : null,
    order: (isBag(orderValue) ? str(orderValue.name) : str(orderValue)) ?? lookedUpOrder(record),
  };
}

/**
 * The order a message is about when it names none ("des nouvelles de mon colis ?"): the one the
 * engine looked up, by name or as the sender's latest (DESIGN §5: orders by number, by customer).
 */
function lookedUpOrder(record: MessageRecord): string | null {
  for (const lookup of [...record.lookups].reverse()) {
    if (lookup.tool === "orders.byName" && str(lookup.output.name)) return lookup.output.name as string;
    if (lookup.tool === "orders.byCustomer" && Array.isArray(lookup.output.orders)) {
      const [latest] = lookup.output.orders as unknown[];
      if (str(latest)) return latest as string;
    }
  }
  return null;
}

/**
 * The engine's record, or null: before the engine writes it a message's record may hold only what
 * the edge left there (an email's subject).
 */
export function engineRecord(value: unknown): MessageRecord | null {
  if (!isBag(value) || !isBag(value.understanding) || !isBag(value.decision) || !Array.isArray(value.actions)) return null;
  return value as unknown as MessageRecord;
}

/** The action types the engine performed (status "done") while handling one message. */
export function performedActions(record: MessageRecord | null): string[] {
  return (record?.actions ?? []).filter((a) => a.status === "done").map((a) => a.type);
}
