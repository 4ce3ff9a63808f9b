/**
 * The POS holds route's JSON (app/routes/api.pos.holds.tsx), shared with the POS extension
 * (extensions/pos-holds imports these types), so that both sides change together. No imports:
 * the extension type-checks this file on its own.
 */

export interface PosHoldItem {
  /** `gid://shopify/ProductVariant/…`. */
  variantId: string;
  /** The numeric id POS's cart API takes (`cart.addLineItem(variantId: number, …)`). */
  variantNumericId: number | null;
  productTitle: string;
  size: string | null;
  sku: string | null;
  quantity: number;
}

export interface PosHold {
  id: string;
  /** The Shopify draft order's name ("#D12"), what staff find in Shopify admin. */
  draftOrderName: string | null;
  /** ISO 8601. */
  expiresAt: string;
  /** The deadline falls before midnight in the shop's time zone. */
  endsToday: boolean;
  customer: {
    firstName: string | null;
    lastName: string | null;
    phone: string | null;
    email: string | null;
    /** `gid://shopify/Customer/…`, when the messaging identity is linked to a Shopify customer. */
    shopifyCustomerId: string | null;
    /** The numeric id POS's cart API takes (`cart.setCustomer({ id })`). */
    shopifyCustomerNumericId: number | null;
  };
  items: PosHoldItem[];
}

/** GET /api/pos/holds?q=… */
export interface PosHoldList {
  /** Active holds, whatever the search. */
  activeCount: number;
  /** Active holds whose deadline is today, whatever the search. */
  endingTodayCount: number;
  /** The active holds matching the search, soonest deadline first. */
  holds: PosHold[];
}

/** POST /api/pos/holds {action: "picked_up", holdId}: 200, 404 or 409 with this body. */
export type PickUpOutcome =
  | { outcome: "picked_up"; hold: PosHold }
  | { outcome: "not_found" }
  | { outcome: "not_active"; status: "completed" | "cancelled" | "expired" };
