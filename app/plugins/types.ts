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
  /** The stock-keeping item behind the variant (inventory webhooks name items, not variants). */
  inventoryItemId?: string;
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

/** A customer's say on being messaged on one channel, with when and how it was given or withdrawn. */
export interface ChannelConsent {
  granted: boolean;
  at: Date;
  /** How: "sms:STOP", "whatsapp:opt-in", "merchant", … */
  source: string;
}

/** What the app keeps on a Shopify customer, with the shop's own record of her. */
export interface CustomerProfile {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
  /** The shop's figures on her (Shopify counts every order, not only the latest page of them). */
  numberOfOrders: number;
  amountSpent: { amount: string; currency: string };
  /** When she became the shop's customer. */
  customerSince: Date;
  note: string | null;
  tags: string[];
  preferredChannel: ChannelKind | null;
  usualSize: string | null;
  consent: Record<ChannelKind, ChannelConsent | null>;
}

export interface NewCustomer {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  /** Any common form ("06 45 78 90 12", "+33645789012"); sent in E.164. */
  phone?: string | null;
  locale?: string | null;
  tags?: string[];
  note?: string | null;
}

/**
 * The customer writes the app needs (Shopify customer + app metafields; CRMs sync separately). Methods
 * throw `NotFoundError` for an unknown customer id, `InvalidPayloadError` for input Shopify would
 * refuse (an invalid phone number), `ProviderError` for other refusals.
 */
export interface CustomerWriter {
  /**
   * Create a customer, or give back the one that already has this phone (else this email), so
   * that creating twice is one customer.
   */
  create(input: NewCustomer): Promise<ShopCustomer>;
  /** Add tags; the customer's other tags stay. */
  addTags(customerId: string, tags: string[]): Promise<void>;
  /** Replace the note (null clears it). */
  updateNote(customerId: string, note: string | null): Promise<void>;
  /** Add a line to the note unless it is already there. */
  appendNote(customerId: string, line: string): Promise<void>;
  /** Set the given preferences; the others stay as they are. */
  setPreferences(customerId: string, preferences: { preferredChannel?: ChannelKind; usualSize?: string }): Promise<void>;
  setConsent(customerId: string, channel: ChannelKind, consent: ChannelConsent): Promise<void>;
  /** Null when the shop has no such customer. */
  profile(customerId: string): Promise<CustomerProfile | null>;
}

// ───────────────────────────────── Holds ─────────────────────────────────────

export interface HoldLine {
  variantId: string;
  quantity: number;
}

/** A hold as the provider knows it (Shopify: a draft order reserving inventory until `expiresAt`). */
export interface ProviderHold {
  /** Shopify: `gid://shopify/DraftOrder/…`. */
  id: string;
  name: string | null;
  customerId: string | null;
  lines: Array<HoldLine & { sku: string | null; title: string; size: string | null }>;
  expiresAt: Date;
  status: "open" | "completed";
  /** The order created when the hold was completed. */
  orderId: string | null;
}

export interface Holds {
  /**
   * Reserve `lines` for the customer until `expiresAt`. The same `idempotencyKey` twice is one
   * hold. Throws `UnavailableError` when a unit is no longer available (another hold or a sale
   * took it): exactly one of two racing holds for the last unit wins.
   */
  create(input: { customerId: string; lines: HoldLine[]; expiresAt: Date; idempotencyKey: string; note?: string }): Promise<ProviderHold>;
  /** Move the deadline. */
  extend(holdId: string, expiresAt: Date): Promise<ProviderHold>;
  /** Release the units now (Shopify: delete the draft order). Cancelling twice is not an error. */
  cancel(holdId: string): Promise<void>;
  /** Turn the hold into an order (paid in store or online). */
  complete(holdId: string, input?: { paymentPending?: boolean }): Promise<ProviderHold>;
  /** The customer's open holds made by this app. */
  listByCustomer(customerId: string): Promise<ProviderHold[]>;
}

// ───────────────────────────────── Orders ────────────────────────────────────

export interface OrderLine {
  /** The provider's line item id (a return names the lines it gives back). */
  id: string;
  title: string;
  sku: string | null;
  variantId: string | null;
  size: string | null;
  quantity: number;
  unitPrice: string;
}

export interface OrderFulfillment {
  id: string;
  status: string;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
}

export interface ShopOrder {
  id: string;
  /** "#2847". */
  name: string;
  createdAt: Date;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  total: { amount: string; currency: string };
  lines: OrderLine[];
  fulfillments: OrderFulfillment[];
}

export interface Orders {
  /** By name, with or without "#". Null when the shop has no such order. */
  byName(name: string): Promise<ShopOrder | null>;
  /** The customer's latest orders, newest first. */
  byCustomer(customerId: string, limit?: number): Promise<ShopOrder[]>;
}

// ───────────────────────────────── Returns ───────────────────────────────────

export interface ReturnRequest {
  orderId: string;
  lines: Array<{ lineItemId: string; quantity: number; reason: string }>;
  /** For an exchange: the replacement variants. */
  exchange?: Array<{ variantId: string; quantity: number }>;
}

export interface ReturnResult {
  id: string;
  name: string | null;
  status: string;
}

export interface Returns {
  request(input: ReturnRequest & { idempotencyKey: string }): Promise<ReturnResult>;
}

// ───────────────────────────────── Tracking ──────────────────────────────────

export type ShipmentStatus = "pending" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "returned" | "unknown";

export interface ShipmentEvent {
  at: Date;
  code: string | null;
  label: string;
}

export interface Shipment {
  trackingNumber: string;
  carrier: string;
  status: ShipmentStatus;
  events: ShipmentEvent[];
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  url: string | null;
}

export interface ReturnLabel {
  trackingNumber: string;
  /** The label itself, ready to send or print. */
  pdf: Uint8Array;
}

export interface Tracking {
  /** Null when the carrier does not know the number yet. Throws `InvalidPayloadError` for a malformed number. */
  status(trackingNumber: string): Promise<Shipment | null>;
  returnLabel?(input: { orderName: string; sender: { name: string; address: string; postalCode: string; city: string; country: string } }): Promise<ReturnLabel>;
}

// ───────────────────────────────── CRM ───────────────────────────────────────

export interface CrmContact {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
}

/** Where the shop keeps its customer relationship: built-in CRM, HubSpot or Salesforce. */
export interface Crm {
  findContact(by: { email?: string; phone?: string }): Promise<CrmContact | null>;
  upsertContact(input: { email?: string | null; phone?: string | null; firstName?: string | null; lastName?: string | null }): Promise<CrmContact>;
  /** Record an interaction (a conversation summary, a hold) on the contact. */
  addNote(contactId: string, body: string): Promise<void>;
  /** A cheap real call that proves the credentials work. */
  testConnection(): Promise<{ ok: true } | { ok: false; reason: string }>;
}

// ───────────────────────────────── Channels ──────────────────────────────────

export type ChannelKind = "sms" | "whatsapp" | "email";

/** What the edge received, before anything was trusted. */
export interface InboundHttpRequest {
  /** The public URL the provider called (built from the app's public URL, never the Host header). */
  url: string;
  /** A Fetch `Headers`, or anything that reads a header the same way (server/channel-webhooks.ts). */
  headers: Pick<Headers, "get">;
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
  /** Email: the subject line. */
  subject?: string;
  /** Email: the RFC 5322 Message-ID, so that the reply threads under it. */
  emailMessageId?: string;
  /** The provider's whole payload, kept for support and audits. */
  raw: Record<string, string>;
}

export interface OutboundMessage {
  /** Our message id: providers that support it use it for idempotency and status callbacks. */
  messageId: string;
  channel: ChannelKind;
  from: string;
  to: string;
  /** The text (email: the text part). */
  body: string;
  /** Public URLs of images/documents to attach (channels with `capabilities.media`). */
  mediaUrls?: string[];
  /** Email: subject line (the channel's default subject when absent). */
  subject?: string;
  /** Email: HTML part, sent alongside `body`. */
  html?: string;
  /** Email: Message-ID of the customer's email being answered (`In-Reply-To` and `References`). */
  inReplyTo?: string;
  /** Email: earlier Message-IDs of the thread, oldest first. */
  references?: string[];
  /** Email: where the customer's reply goes, when not to `from`. */
  replyTo?: string;
  /**
   * WhatsApp outside the 24-hour customer-service window: an approved template instead of free
   * text (`body` stays as the readable version kept in our history).
   */
  template?: WhatsappTemplateRef;
}

/**
 * An approved WhatsApp template. `name` is what the provider identifies it by: Twilio's Content
 * SID (`HX…`), Meta's template name. Variables are positional ({{1}}, {{2}} …).
 */
export interface WhatsappTemplateRef {
  name: string;
  /** BCP-47-ish language code as approved ("fr", "en_GB"). */
  language: string;
  variables: string[];
}

/**
 * Where a sent message stands with the provider. Ordered: a later report never moves a message
 * back (a late "sent" after "delivered" is ignored), except that "failed" is final from any state.
 */
export type DeliveryState = "queued" | "sent" | "delivered" | "read" | "failed";

/** One delivery report from a provider's status webhook (Twilio `MessageStatus`, Meta `statuses`, Resend `email.*`). */
export interface DeliveryStatusUpdate {
  /** The provider's id of the message we sent (what `send` returned). */
  providerMessageId: string;
  state: DeliveryState;
  /** The provider's own word ("undelivered", "email.bounced", "failed"). */
  providerStatus: string;
  /** The provider's error code when it failed ("30007", "131047", "bounce:Permanent"), else null. */
  errorCode: string | null;
  errorMessage: string | null;
  /** When the provider says it happened, when it says so. */
  at: Date | null;
  raw: Record<string, string>;
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
  /**
   * Delivery reports in a verified request, or [] when the request carries none (a customer
   * message). Providers that post statuses and messages to one URL (Meta, Resend) are told apart here.
   * Throws `InvalidPayloadError` for a malformed status payload.
   */
  parseStatuses?(request: InboundHttpRequest): DeliveryStatusUpdate[];
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

/** The thing asked for is no longer available (stock taken by another hold or a sale). */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}

export class InvalidPayloadError extends Error {
  override name = "InvalidPayloadError";
}

/**
 * A well-formed, verified webhook that carries nothing for us (Meta `account_update`, a field the
 * app is subscribed to by accident): the edge acknowledges it, so the provider stops retrying.
 */
export class NothingToReadError extends InvalidPayloadError {
  override name = "NothingToReadError";
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
