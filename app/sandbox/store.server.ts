/**
 * The sandbox shop's in-memory store: the Shopify records of one shop, seeded from the demo
 * boutique (`data/demo-shop.json`).
 *
 * Records hold what Shopify holds (ids, titles, quantities, statuses); the GraphQL shape lives in
 * `resolvers.server.ts`. Each store is built from fresh objects, so two sandbox shops never share
 * a record: changing one shop's stock cannot leak into another's.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { MetafieldRecord } from "./customer-mutations.server";
import type { DraftOrderRecord } from "./draft-orders.server";
import type { ReturnRecord } from "./orders-returns.server";

export const DEMO_SHOP_PATH = fileURLToPath(new URL("./data/demo-shop.json", import.meta.url));

// ───────────────────────────────── Seed (demo-shop.json) ─────────────────────────────────

const instant = z.string().datetime({ offset: true });
const amount = z.number().nonnegative();
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "phone numbers in the seed are written in E.164");

/** Fulfilment display statuses Shopify knows (`FulfillmentDisplayStatus`) that the seed may use. */
const shippedStatuses = [
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "FULFILLED",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "MARKED_AS_FULFILLED",
  "NOT_DELIVERED",
  "OUT_FOR_DELIVERY",
  "READY_FOR_PICKUP",
  "SUBMITTED",
] as const;

// Keys the store does not use (opening hours, tone, policies, messaging preferences…) belong to
// other parts of the app; zod's default `strip` drops them here instead of failing.
export const demoShopSeedSchema = z.object({
  now: instant,
  shop: z.object({
    domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
    name: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
    timezone: z.string().min(1),
    locale: z.string().min(2),
    address: z.string().min(1),
    phone: e164,
    email: z.string().email(),
  }),
  location: z.object({ id: z.string().min(1), name: z.string().min(1) }),
  products: z.array(
    z.object({
      ref: z.string().min(1),
      title: z.string().min(1),
      type: z.string(),
      price: amount,
      tags: z.array(z.string()).default([]),
      color: z.string().min(1).optional(),
      variants: z.array(z.object({ size: z.string().min(1), stock: z.number().int().nonnegative() })).min(1),
    }),
  ),
  customers: z.array(
    z.object({
      firstName: z.string().min(1),
      lastName: z.string().min(1),
      phone: e164.optional(),
      email: z.string().email().optional(),
      tags: z.array(z.string()).default([]),
      ordersCount: z.number().int().nonnegative(),
      totalSpent: amount,
      locale: z.string().min(2),
      smsConsent: z.boolean().default(false),
      emailConsent: z.boolean().default(false),
    }),
  ),
  orders: z.array(
    z.object({
      name: z.string().regex(/^#\d+$/),
      customerEmail: z.string().email(),
      createdAt: instant,
      deliveredAt: instant.optional(),
      lines: z
        .array(z.object({ ref: z.string(), size: z.string(), quantity: z.number().int().positive(), price: amount }))
        .min(1),
      shipping: amount,
      total: amount,
      financialStatus: z.enum(["PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "VOIDED", "PAID", "REFUNDED", "EXPIRED"]),
      fulfillment: z.object({
        status: z.enum(["UNFULFILLED", "PICKED_UP_IN_STORE", ...shippedStatuses]),
        carrier: z.string().min(1).optional(),
        trackingNumber: z.string().min(1).optional(),
        estimatedDeliveryAt: instant.optional(),
        deliveredAt: instant.optional(),
      }),
    }),
  ),
  shipments: z
    .array(
      z.object({
        trackingNumber: z.string().min(1),
        carrier: z.string().min(1),
        status: z.string(),
        estimatedDeliveryAt: instant.optional(),
        deliveredAt: instant.optional(),
      }),
    )
    .default([]),
});

export type DemoShopSeed = z.infer<typeof demoShopSeedSchema>;

/** Read and check the demo boutique. A malformed seed fails loudly here, not as a wrong answer later. */
export function loadDemoShopSeed(path: string = DEMO_SHOP_PATH): DemoShopSeed {
  return demoShopSeedSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

// ───────────────────────────────── Global ids ─────────────────────────────────

export type GidType =
  | "Shop"
  | "ShopAddress"
  | "Location"
  | "Product"
  | "ProductOption"
  | "ProductVariant"
  | "InventoryItem"
  | "InventoryLevel"
  | "Customer"
  | "Order"
  | "LineItem"
  | "Fulfillment"
  | "FulfillmentLineItem";

export function toGid(type: GidType, legacyId: number): string {
  return `gid://shopify/${type}/${legacyId}`;
}

/** `gid://shopify/Product/1001` → `{ type: "Product", legacyId: 1001 }`; null when not a Shopify gid. */
export function parseGid(gid: string): { type: string; legacyId: number } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match?.[1] || !match[2]) return null;
  return { type: match[1], legacyId: Number(match[2]) };
}

// Each type numbers its records from its own base, so that an id of the wrong type never finds a
// record by accident (a test passing a variant id where a product id is expected fails loudly).
const ID_BASE: Record<Exclude<GidType, "Shop" | "ShopAddress">, number> = {
  Product: 1000,
  ProductVariant: 2000,
  InventoryItem: 3000,
  InventoryLevel: 4000,
  Location: 5000,
  Customer: 6000,
  Order: 7000,
  LineItem: 8000,
  Fulfillment: 9000,
  ProductOption: 10000,
  FulfillmentLineItem: 11000,
};

// ───────────────────────────────── Records ─────────────────────────────────

export interface ShopRecord {
  id: string;
  name: string;
  myshopifyDomain: string;
  email: string;
  contactEmail: string;
  ianaTimezone: string;
  currencyCode: string;
  primaryLocale: string;
  address: { id: string; address1: string; zip: string | null; city: string | null; countryCode: CountryCode | null; phone: string };
}

export interface LocationRecord {
  id: string;
  legacyId: number;
  /** The seed's own key for the location (`paris-rivoli`). */
  key: string;
  name: string;
  isActive: boolean;
}

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";

export interface ProductRecord {
  id: string;
  legacyId: number;
  ref: string;
  title: string;
  handle: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  vendor: string;
  /** Single product option of the demo boutique ("Taille"); its values come from the variants. */
  option: { id: string; name: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface VariantRecord {
  id: string;
  legacyId: number;
  productId: string;
  inventoryItemId: string;
  /** 1-based order within the product, as Shopify's `position`. */
  position: number;
  title: string;
  size: string;
  sku: string;
  /** Decimal string, as Shopify's `Money` scalar ("89.00"). */
  price: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface InventoryItemRecord {
  id: string;
  legacyId: number;
  variantId: string;
  sku: string;
  tracked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Quantities as Shopify names them. `available` is not stored: it is always
 * `onHand - reserved - committed`, so a hold that reserves units lowers `available` by itself.
 */
export interface InventoryLevelRecord {
  id: string;
  legacyId: number;
  inventoryItemId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  committed: number;
  incoming: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerRecord {
  id: string;
  legacyId: number;
  firstName: string;
  lastName: string;
  email: string | null;
  /** E.164. */
  phone: string | null;
  tags: string[];
  numberOfOrders: number;
  /** Decimal string in the shop's currency. */
  amountSpent: string;
  locale: string;
  note: string | null;
  emailMarketingState: "SUBSCRIBED" | "NOT_SUBSCRIBED";
  smsMarketingState: "SUBSCRIBED" | "NOT_SUBSCRIBED";
  createdAt: Date;
  updatedAt: Date;
}

export interface LineItemRecord {
  id: string;
  legacyId: number;
  productId: string;
  variantId: string;
  title: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  /** Decimal string. */
  unitPrice: string;
}

export type FulfillmentStatus = "PENDING" | "OPEN" | "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE";

export interface FulfillmentRecord {
  id: string;
  legacyId: number;
  orderId: string;
  name: string;
  status: FulfillmentStatus;
  displayStatus: string;
  trackingCompany: string | null;
  trackingNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  /** What this fulfilment shipped: the lines a return names (see `orders-returns.server.ts`). */
  lineItems: FulfillmentLineItemRecord[];
}

export interface FulfillmentLineItemRecord {
  id: string;
  legacyId: number;
  lineItemId: string;
  quantity: number;
}

export interface OrderRecord {
  id: string;
  legacyId: number;
  name: string;
  number: number;
  customerId: string;
  email: string | null;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  cancelledAt: Date | null;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  /** Decimal strings. */
  shippingPrice: string;
  totalPrice: string;
  lineItems: LineItemRecord[];
  fulfillments: FulfillmentRecord[];
}

export interface SandboxStore {
  shop: ShopRecord;
  locations: LocationRecord[];
  products: ProductRecord[];
  variants: VariantRecord[];
  inventoryItems: InventoryItemRecord[];
  inventoryLevels: InventoryLevelRecord[];
  customers: CustomerRecord[];
  orders: OrderRecord[];
  /** Draft orders made through the Admin API (none in the seed); see `draft-orders.server.ts`. */
  draftOrders: DraftOrderRecord[];
  /** Returns and exchanges (none in the seed); see `orders-returns.server.ts`. */
  returns: ReturnRecord[];
  /** Metafields set through the Admin API (none in the seed); see `customer-mutations.server.ts`. */
  metafields: MetafieldRecord[];
}

// ───────────────────────────────── Helpers ─────────────────────────────────

/** Units that can be sold now, Shopify's `available` quantity. */
export function availableQuantity(level: InventoryLevelRecord): number {
  return level.onHand - level.reserved - level.committed;
}

/** Shopify `Money`/`Decimal` strings carry two decimals ("84.90"). */
export function formatDecimal(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Shopify-like handle: lower case, accents dropped, apostrophes removed, words joined by dashes. */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The SKU of a size: `RF-2847-38`, and `BO-112-TU` for "Taille unique". */
export function skuFor(ref: string, size: string): string {
  return `${ref}-${size.trim().toLowerCase() === "taille unique" ? "TU" : size}`;
}

export function findRecord<T extends { id: string }>(records: readonly T[], id: string): T | undefined {
  return records.find((record) => record.id === id);
}

/** "24 Rue de Rivoli, 75004 Paris" → street, postcode, city (the seed writes French addresses). */
function splitAddress(address: string): { address1: string; zip: string | null; city: string | null } {
  const match = /^(.*?),\s*(\d{4,5})\s+(.+)$/.exec(address.trim());
  if (!match?.[1] || !match[2] || !match[3]) return { address1: address.trim(), zip: null, city: null };
  return { address1: match[1], zip: match[2], city: match[3] };
}

// ───────────────────────────────── Seeding ─────────────────────────────────

export interface CreateSandboxStoreOptions {
  /** Overrides `shop.domain`, so a second sandbox shop can live beside the demo boutique. */
  domain?: string;
}

export function createSandboxStore(seed: DemoShopSeed, options: CreateSandboxStoreOptions = {}): SandboxStore {
  const domain = (options.domain ?? seed.shop.domain).toLowerCase();
  const currency = seed.shop.currency;
  // The seed has no creation dates for products and customers; they are dated at the earliest
  // instant the seed mentions, so that every record exists before any order that refers to it.
  const seededAt = new Date(Math.min(...[seed.now, ...seed.orders.map((o) => o.createdAt)].map((t) => Date.parse(t))));

  const shop: ShopRecord = {
    id: toGid("Shop", 1),
    name: seed.shop.name,
    myshopifyDomain: domain,
    email: seed.shop.email,
    contactEmail: seed.shop.email,
    ianaTimezone: seed.shop.timezone,
    currencyCode: currency,
    primaryLocale: seed.shop.locale,
    address: {
      id: toGid("ShopAddress", 1),
      ...splitAddress(seed.shop.address),
      countryCode: parsePhoneNumberFromString(seed.shop.phone)?.country ?? null,
      phone: seed.shop.phone,
    },
  };

  const location: LocationRecord = {
    id: toGid("Location", ID_BASE.Location + 1),
    legacyId: ID_BASE.Location + 1,
    key: seed.location.id,
    name: seed.location.name,
    isActive: true,
  };

  const products: ProductRecord[] = [];
  const variants: VariantRecord[] = [];
  const inventoryItems: InventoryItemRecord[] = [];
  const inventoryLevels: InventoryLevelRecord[] = [];
  const handles = new Set<string>();

  seed.products.forEach((seedProduct, productIndex) => {
    const productLegacyId = ID_BASE.Product + productIndex + 1;
    let handle = slugify(seedProduct.title);
    for (let n = 1; handles.has(handle); n += 1) handle = `${slugify(seedProduct.title)}-${n}`;
    handles.add(handle);
    const product: ProductRecord = {
      id: toGid("Product", productLegacyId),
      legacyId: productLegacyId,
      ref: seedProduct.ref,
      title: seedProduct.title,
      handle,
      productType: seedProduct.type,
      tags: [...seedProduct.tags, ...(seedProduct.color ? [`couleur:${seedProduct.color}`] : [])],
      status: "ACTIVE",
      vendor: seed.shop.name,
      option: { id: toGid("ProductOption", ID_BASE.ProductOption + productIndex + 1), name: "Taille" },
      createdAt: seededAt,
      updatedAt: seededAt,
    };
    products.push(product);

    seedProduct.variants.forEach((seedVariant, variantIndex) => {
      // Variants, inventory items and levels are one-to-one here (one location), so they share
      // their running number: variant 2007 has inventory item 3007 and level 4007.
      const n = variants.length + 1;
      const sku = skuFor(seedProduct.ref, seedVariant.size);
      const variant: VariantRecord = {
        id: toGid("ProductVariant", ID_BASE.ProductVariant + n),
        legacyId: ID_BASE.ProductVariant + n,
        productId: product.id,
        inventoryItemId: toGid("InventoryItem", ID_BASE.InventoryItem + n),
        position: variantIndex + 1,
        title: seedVariant.size,
        size: seedVariant.size,
        sku,
        price: formatDecimal(seedProduct.price),
        createdAt: seededAt,
        updatedAt: seededAt,
      };
      variants.push(variant);
      inventoryItems.push({
        id: variant.inventoryItemId,
        legacyId: ID_BASE.InventoryItem + n,
        variantId: variant.id,
        sku,
        tracked: true,
        createdAt: seededAt,
        updatedAt: seededAt,
      });
      inventoryLevels.push({
        id: toGid("InventoryLevel", ID_BASE.InventoryLevel + n),
        legacyId: ID_BASE.InventoryLevel + n,
        inventoryItemId: variant.inventoryItemId,
        locationId: location.id,
        onHand: seedVariant.stock,
        reserved: 0,
        committed: 0,
        incoming: 0,
        createdAt: seededAt,
        updatedAt: seededAt,
      });
    });
  });

  const customers: CustomerRecord[] = seed.customers.map((c, index) => ({
    id: toGid("Customer", ID_BASE.Customer + index + 1),
    legacyId: ID_BASE.Customer + index + 1,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email?.toLowerCase() ?? null,
    phone: c.phone ?? null,
    tags: [...c.tags],
    numberOfOrders: c.ordersCount,
    amountSpent: formatDecimal(c.totalSpent),
    locale: c.locale,
    note: null,
    emailMarketingState: c.emailConsent ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    smsMarketingState: c.smsConsent ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    createdAt: seededAt,
    updatedAt: seededAt,
  }));

  let lineItemCount = 0;
  let fulfillmentCount = 0;
  const orders: OrderRecord[] = seed.orders.map((o, index) => {
    const legacyId = ID_BASE.Order + index + 1;
    const id = toGid("Order", legacyId);
    const customer = customers.find((c) => c.email === o.customerEmail.toLowerCase());
    if (!customer) throw new Error(`Seed order ${o.name}: no customer with email ${o.customerEmail}`);
    const createdAt = new Date(o.createdAt);

    const lineItems = o.lines.map((line): LineItemRecord => {
      const product = products.find((p) => p.ref === line.ref);
      const variant = product && variants.find((v) => v.productId === product.id && v.size === line.size);
      if (!product || !variant) throw new Error(`Seed order ${o.name}: no variant ${line.ref} size ${line.size}`);
      lineItemCount += 1;
      return {
        id: toGid("LineItem", ID_BASE.LineItem + lineItemCount),
        legacyId: ID_BASE.LineItem + lineItemCount,
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        quantity: line.quantity,
        unitPrice: formatDecimal(line.price),
      };
    });

    const f = o.fulfillment;
    const fulfillments: FulfillmentRecord[] = [];
    if (f.status !== "UNFULFILLED") {
      fulfillmentCount += 1;
      const shipment = f.trackingNumber ? seed.shipments.find((s) => s.trackingNumber === f.trackingNumber) : undefined;
      const delivered = f.deliveredAt ?? o.deliveredAt ?? shipment?.deliveredAt;
      const estimated = f.estimatedDeliveryAt ?? shipment?.estimatedDeliveryAt;
      fulfillments.push({
        id: toGid("Fulfillment", ID_BASE.Fulfillment + fulfillmentCount),
        legacyId: ID_BASE.Fulfillment + fulfillmentCount,
        orderId: id,
        name: `${o.name}.1`,
        status: "SUCCESS",
        displayStatus: f.status === "PICKED_UP_IN_STORE" ? "PICKED_UP" : f.status,
        trackingCompany: f.carrier ?? shipment?.carrier ?? null,
        trackingNumber: f.trackingNumber ?? null,
        // The seed does not date the fulfilment and its carrier events run ahead of the demo
        // clock; the order's creation is the one date known to be in the past.
        createdAt,
        updatedAt: createdAt,
        estimatedDeliveryAt: estimated ? new Date(estimated) : null,
        deliveredAt: delivered ? new Date(delivered) : null,
        // The seed ships every line in one fulfilment; fulfilment line 11001 ships line item 8001.
        lineItems: lineItems.map((line) => {
          const legacyId = ID_BASE.FulfillmentLineItem + (line.legacyId - ID_BASE.LineItem);
          return { id: toGid("FulfillmentLineItem", legacyId), legacyId, lineItemId: line.id, quantity: line.quantity };
        }),
      });
    }

    return {
      id,
      legacyId,
      name: o.name,
      number: Number(o.name.slice(1)),
      customerId: customer.id,
      email: customer.email,
      phone: customer.phone,
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      cancelledAt: null,
      displayFinancialStatus: o.financialStatus,
      displayFulfillmentStatus: fulfillments.length > 0 ? "FULFILLED" : "UNFULFILLED",
      shippingPrice: formatDecimal(o.shipping),
      totalPrice: formatDecimal(o.total),
      lineItems,
      fulfillments,
    };
  });

  return { shop, locations: [location], products, variants, inventoryItems, inventoryLevels, customers, orders, draftOrders: [], returns: [], metafields: [] };
}
