/**
 * Capability contracts (DESIGN §4). Each plugin implements one or more of these; the engine only
 * ever talks to these interfaces, never to a vendor. Every method is scoped to one shop: a
 * capability instance is created for a shop and cannot see another one.
 */

// ───────────────────────────────── Inventory ─────────────────────────────────

/** A sellable variant as the catalogue describes it. `size` is written as in the catalogue. */
export interface CatalogueVariant {
  /** Provider id (Shopify: `gid://shopify/ProductVariant/…`). */
  id: string;
  sku: string | null;
  title: string;
  /** Value of the size option ("38", "S", "Taille unique"), or null when the product has none. */
  size: string | null;
  /** Value of the colour option, when the product has one. */
  color: string | null;
  price: string;
}

export interface CatalogueProduct {
  id: string;
  title: string;
  /** The shop's reference, the SKU prefix before the size (`RF-2847` for `RF-2847-38`). */
  ref: string | null;
  productType: string;
  tags: string[];
  /** Colour as a word, from the colour option or the shop's `color` tag/metafield. */
  color: string | null;
  url: string | null;
  variants: CatalogueVariant[];
}

export interface LocationAvailability {
  locationId: string;
  locationName: string;
  /** Units that can be sold now (on hand minus reserved and committed). */
  available: number;
  onHand: number;
  reserved: number;
}

export interface VariantAvailability {
  variantId: string;
  /** Sum of `available` over the locations. */
  available: number;
  locations: LocationAvailability[];
}

export interface Inventory {
  /** The active catalogue, every product with its variants (small shops: a few hundred products). */
  listCatalogue(): Promise<CatalogueProduct[]>;
  /** Live quantities per location for one variant. Throws `NotFoundError` for an unknown id. */
  availability(variantId: string): Promise<VariantAvailability>;
}

// ───────────────────────────────── Customers ─────────────────────────────────

export interface ShopCustomer {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
  tags: string[];
  locale: string | null;
  numberOfOrders: number;
}

export interface Customers {
  /** `phone` in E.164. Returns null when the shop has no such customer. */
  findByPhone(phone: string): Promise<ShopCustomer | null>;
  findByEmail(email: string): Promise<ShopCustomer | null>;
}

// ───────────────────────────────── Channels ──────────────────────────────────

export type ChannelKind = "sms" | "whatsapp" | "email";

/** What the edge received, before anything was trusted. */
export interface InboundHttpRequest {
  /** The public URL the provider called (built from the app's public URL, never the Host header). */
  url: string;
  headers: Headers;
  rawBody: string;
}

/** One customer message, normalised. */
export interface InboundMessage {
  providerMessageId: string;
  channel: ChannelKind;
  /** Customer address: E.164 phone or email address. */
  from: string;
  /** The shop's receiving number or address, which resolves the shop. */
  to: string;
  body: string;
  mediaUrls: string[];
  /** The provider's whole payload, kept for support and audits. */
  raw: Record<string, string>;
}

export interface OutboundMessage {
  /** Our message id: providers that support it use it for idempotency and status callbacks. */
  messageId: string;
  channel: ChannelKind;
  from: string;
  to: string;
  body: string;
}

export interface SendResult {
  providerMessageId: string;
  /** The provider's status right after accepting the message ("queued", "accepted", …). */
  status: string;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface Channel {
  readonly provider: string;
  readonly channel: ChannelKind;
  /** Verify the provider's signature on the raw request. Never throws for a bad signature. */
  verify(request: InboundHttpRequest): VerifyResult;
  /** Parse a verified request. Throws `InvalidPayloadError` when required fields are missing. */
  parseInbound(request: InboundHttpRequest): InboundMessage;
  /** Hand one message to the provider. Throws `ProviderError` when the provider refuses it. */
  send(message: OutboundMessage): Promise<SendResult>;
  readonly capabilities: {
    /** Characters the channel accepts in one message (SMS: concatenated segments). */
    maxLength: number;
    media: boolean;
  };
}

// ───────────────────────────────── Errors ────────────────────────────────────

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export class InvalidPayloadError extends Error {
  override name = "InvalidPayloadError";
}

export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly details: { provider: string; status?: number; code?: string | number; retryable: boolean },
  ) {
    super(message);
  }
}
