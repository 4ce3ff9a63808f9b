/**
 * Resolvers of the sandbox shop: the store's records shown as Shopify Admin GraphQL objects.
 *
 * Every object handed to graphql-js is a "view" whose own properties are exactly the fields the
 * sandbox implements (a value, or a function of the field's arguments). `sandboxFieldResolver`
 * reads those properties and raises a named error for any other field, so a document that asks
 * for something the sandbox does not model fails loudly instead of reading a silent null.
 */
import { GraphQLError, type GraphQLFieldResolver, type GraphQLResolveInfo } from "graphql";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { Clock } from "~/lib/clock";
import { connection, type ConnectionArgs } from "./connections.server";
import { customerMetafieldFields } from "./customer-mutations.server";
import { fulfillmentReturnFields, orderReturnFields, returnNode } from "./orders-returns.server";
import {
  compileSearch,
  matchesExact,
  matchesText,
  normalizeText,
  SearchQueryError,
  type SearchSpec,
  type SearchTerm,
} from "./search-query.server";
import {
  availableQuantity,
  findRecord,
  parseGid,
  type CustomerRecord,
  type FulfillmentRecord,
  type InventoryItemRecord,
  type InventoryLevelRecord,
  type LineItemRecord,
  type LocationRecord,
  type OrderRecord,
  type ProductRecord,
  type SandboxStore,
  type VariantRecord,
} from "./store.server";

export interface SandboxContext {
  store: SandboxStore;
  clock: Clock;
}

/** Field arguments as graphql-js hands them over, already coerced to the schema's types. */
export type FieldArgs = Readonly<Record<string, unknown>>;
export type FieldFunction = (args: FieldArgs, context: SandboxContext, info: GraphQLResolveInfo) => unknown;
/** An object as graphql-js sees it: one own property per implemented field. */
export type ObjectView = { readonly [field: string]: unknown };

export function notImplementedMessage(typeName: string, fieldName: string): string {
  return `${typeName}.${fieldName} is not implemented by the sandbox shop`;
}

/**
 * Field resolver for the whole schema: the source's own property when present (an explicit null
 * counts as present), called with the arguments when it is a function; otherwise a GraphQL error
 * naming `Type.field`.
 */
export const sandboxFieldResolver: GraphQLFieldResolver<unknown, SandboxContext> = (source, args, context, info) => {
  if (typeof source === "object" && source !== null && Object.hasOwn(source, info.fieldName)) {
    const value: unknown = (source as ObjectView)[info.fieldName];
    return typeof value === "function" ? (value as FieldFunction)(args as FieldArgs, context, info) : value;
  }
  throw new GraphQLError(notImplementedMessage(info.parentType.name, info.fieldName));
};

// ───────────────────────────────── Arguments ─────────────────────────────────

export function intArg(args: FieldArgs, name: string): number | null {
  const value = args[name];
  return typeof value === "number" ? value : null;
}

export function stringArg(args: FieldArgs, name: string): string | null {
  const value = args[name];
  return typeof value === "string" ? value : null;
}

export function connectionArgs(args: FieldArgs): ConnectionArgs {
  return {
    first: intArg(args, "first"),
    last: intArg(args, "last"),
    after: stringArg(args, "after"),
    before: stringArg(args, "before"),
    reverse: args["reverse"] === true,
  };
}

/** Arguments that would change the answer but that the sandbox does not model are refused. */
export function refuseArgs(args: FieldArgs, info: GraphQLResolveInfo, names: readonly string[]): void {
  for (const name of names) {
    if (args[name] !== undefined && args[name] !== null) {
      throw new GraphQLError(
        `Argument "${name}" of ${info.parentType.name}.${info.fieldName} is not implemented by the sandbox shop`,
      );
    }
  }
}

/** Run a search-query compilation, turning a syntax or unsupported-field error into a GraphQL error. */
export function searchPredicate<T>(query: string | null, spec: SearchSpec<T>): (item: T) => boolean {
  try {
    return compileSearch(query, spec);
  } catch (error) {
    if (error instanceof SearchQueryError) throw new GraphQLError(error.message);
    throw error;
  }
}

export type SortValue = string | number;

/** Sort by a key, ties broken by creation order (the numeric id) so that pages are stable. */
export function sortRecords<T extends { legacyId: number }>(
  items: readonly T[],
  sortKey: string,
  keys: Readonly<Record<string, ((item: T) => SortValue) | null>>,
  info: GraphQLResolveInfo,
): T[] {
  if (!Object.hasOwn(keys, sortKey)) {
    throw new GraphQLError(`sortKey ${sortKey} of ${info.parentType.name}.${info.fieldName} is not implemented by the sandbox shop`);
  }
  const keyOf = keys[sortKey] ?? null;
  return [...items].sort((a, b) => {
    if (keyOf) {
      const ka = keyOf(a);
      const kb = keyOf(b);
      const order = typeof ka === "number" && typeof kb === "number" ? ka - kb : String(ka).localeCompare(String(kb), "fr");
      if (order !== 0) return order;
    }
    return a.legacyId - b.legacyId;
  });
}

export function sortKeyArg(args: FieldArgs, fallback: string): string {
  return stringArg(args, "sortKey") ?? fallback;
}

// ───────────────────────────────── Scalars ─────────────────────────────────

/** Shopify's `DateTime`: ISO 8601 in UTC, whole seconds. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function optionalDateTime(date: Date | null): string | null {
  return date ? formatDateTime(date) : null;
}

/** Numeric part of a gid or a bare number, for `id:` / `product_id:` / `customer_id:` filters. */
export function matchesLegacyId(legacyId: number, term: SearchTerm): boolean {
  const parsed = parseGid(term.value);
  const wanted = parsed ? parsed.legacyId : Number(term.value);
  return Number.isInteger(wanted) && wanted === legacyId;
}

// ───────────────────────────────── Views ─────────────────────────────────

const QUANTITY_NAMES = [
  "available",
  "on_hand",
  "committed",
  "reserved",
  "incoming",
  "damaged",
  "quality_control",
  "safety_stock",
] as const;
type QuantityName = (typeof QUANTITY_NAMES)[number];

function isQuantityName(name: string): name is QuantityName {
  return (QUANTITY_NAMES as readonly string[]).includes(name);
}

function quantityOf(level: InventoryLevelRecord, name: QuantityName): number {
  switch (name) {
    case "available":
      return availableQuantity(level);
    case "on_hand":
      return level.onHand;
    case "committed":
      return level.committed;
    case "reserved":
      return level.reserved;
    case "incoming":
      return level.incoming;
    // The demo boutique has no damaged, quality-control or safety stock.
    default:
      return 0;
  }
}

const TRACKING_URLS: Readonly<Record<string, (number: string) => string>> = {
  colissimo: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${encodeURIComponent(n)}`,
  "la poste": (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${encodeURIComponent(n)}`,
  chronopost: (n) => `https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=${encodeURIComponent(n)}`,
};

/** The views of one store. Views read the records when a field is resolved, so they see updates. */
export function createViews(store: SandboxStore) {
  const money = (amount: string): ObjectView => ({ amount, currencyCode: store.shop.currencyCode });
  // One currency: the shop's and the customer's (presentment) money are the same.
  const moneyBag = (amount: string): ObjectView => ({ shopMoney: money(amount), presentmentMoney: money(amount) });

  const levelsOfItem = (item: InventoryItemRecord): InventoryLevelRecord[] =>
    store.inventoryLevels.filter((level) => level.inventoryItemId === item.id);
  const availableOfVariant = (variant: VariantRecord): number => {
    const item = findRecord(store.inventoryItems, variant.inventoryItemId);
    return item ? levelsOfItem(item).reduce((sum, level) => sum + availableQuantity(level), 0) : 0;
  };
  const variantsOf = (product: ProductRecord): VariantRecord[] =>
    store.variants.filter((variant) => variant.productId === product.id).sort((a, b) => a.position - b.position);

  const views = {
    shop(): ObjectView {
      const { shop } = store;
      return {
        __typename: "Shop",
        id: shop.id,
        name: shop.name,
        myshopifyDomain: shop.myshopifyDomain,
        email: shop.email,
        contactEmail: shop.contactEmail,
        ianaTimezone: shop.ianaTimezone,
        currencyCode: shop.currencyCode,
        shopAddress: {
          __typename: "ShopAddress",
          id: shop.address.id,
          address1: shop.address.address1,
          address2: null,
          zip: shop.address.zip,
          city: shop.address.city,
          countryCodeV2: shop.address.countryCode,
          phone: shop.address.phone,
          formatted: () => [shop.address.address1, [shop.address.zip, shop.address.city].filter(Boolean).join(" ")].filter(Boolean),
        },
      };
    },

    location(location: LocationRecord): ObjectView {
      return {
        __typename: "Location",
        id: location.id,
        legacyResourceId: String(location.legacyId),
        name: location.name,
        isActive: location.isActive,
      };
    },

    product(product: ProductRecord): ObjectView {
      return {
        __typename: "Product",
        id: product.id,
        legacyResourceId: String(product.legacyId),
        title: product.title,
        handle: product.handle,
        productType: product.productType,
        tags: [...product.tags],
        status: product.status,
        vendor: product.vendor,
        onlineStoreUrl: product.status === "ACTIVE" ? `https://${store.shop.myshopifyDomain}/products/${product.handle}` : null,
        tracksInventory: true,
        totalInventory: () => variantsOf(product).reduce((sum, variant) => sum + availableOfVariant(variant), 0),
        createdAt: formatDateTime(product.createdAt),
        updatedAt: formatDateTime(product.updatedAt),
        options: (args: FieldArgs) => {
          const values = [...new Set(variantsOf(product).map((variant) => variant.size))];
          const options: ObjectView[] = [
            { __typename: "ProductOption", id: product.option.id, name: product.option.name, position: 1, values },
          ];
          const first = intArg(args, "first");
          return first === null ? options : options.slice(0, first);
        },
        variants: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
          const sorted = sortRecords(variantsOf(product), sortKeyArg(args, "POSITION"), VARIANT_SORT_KEYS, info);
          return connection(sorted, connectionArgs(args), (variant) => views.variant(variant));
        },
      };
    },

    variant(variant: VariantRecord): ObjectView {
      const product = (): ObjectView | null => {
        const record = findRecord(store.products, variant.productId);
        return record ? views.product(record) : null;
      };
      const productTitle = findRecord(store.products, variant.productId)?.title ?? "";
      return {
        __typename: "ProductVariant",
        id: variant.id,
        legacyResourceId: String(variant.legacyId),
        title: variant.title,
        displayName: `${productTitle} - ${variant.title}`,
        sku: variant.sku,
        barcode: null,
        price: variant.price,
        compareAtPrice: null,
        position: variant.position,
        selectedOptions: [{ __typename: "SelectedOption", name: "Taille", value: variant.size }],
        inventoryQuantity: () => availableOfVariant(variant),
        availableForSale: () => availableOfVariant(variant) > 0,
        createdAt: formatDateTime(variant.createdAt),
        updatedAt: formatDateTime(variant.updatedAt),
        product,
        inventoryItem: () => {
          const item = findRecord(store.inventoryItems, variant.inventoryItemId);
          return item ? views.inventoryItem(item) : null;
        },
      };
    },

    inventoryItem(item: InventoryItemRecord): ObjectView {
      return {
        __typename: "InventoryItem",
        id: item.id,
        legacyResourceId: String(item.legacyId),
        sku: item.sku,
        tracked: item.tracked,
        requiresShipping: true,
        createdAt: formatDateTime(item.createdAt),
        updatedAt: formatDateTime(item.updatedAt),
        variant: () => {
          const variant = findRecord(store.variants, item.variantId);
          return variant ? views.variant(variant) : null;
        },
        inventoryLevels: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
          refuseArgs(args, info, ["query"]);
          return connection(levelsOfItem(item), connectionArgs(args), (level) => views.inventoryLevel(level));
        },
        inventoryLevel: (args: FieldArgs) => {
          const locationId = stringArg(args, "locationId");
          const level = levelsOfItem(item).find((candidate) => candidate.locationId === locationId);
          return level ? views.inventoryLevel(level) : null;
        },
      };
    },

    inventoryLevel(level: InventoryLevelRecord): ObjectView {
      return {
        __typename: "InventoryLevel",
        id: level.id,
        isActive: true,
        createdAt: formatDateTime(level.createdAt),
        updatedAt: formatDateTime(level.updatedAt),
        location: () => {
          const location = findRecord(store.locations, level.locationId);
          return location ? views.location(location) : null;
        },
        item: () => {
          const item = findRecord(store.inventoryItems, level.inventoryItemId);
          return item ? views.inventoryItem(item) : null;
        },
        quantities: (args: FieldArgs) => {
          const names = Array.isArray(args["names"]) ? args["names"].filter((n): n is string => typeof n === "string") : [];
          return names.map((name) => {
            if (!isQuantityName(name)) {
              throw new GraphQLError(`"${name}" is not a valid inventory quantity name (${QUANTITY_NAMES.join(", ")})`);
            }
            return {
              __typename: "InventoryQuantity",
              id: `gid://shopify/InventoryQuantity/${level.legacyId}?name=${name}`,
              name,
              quantity: quantityOf(level, name),
              updatedAt: formatDateTime(level.updatedAt),
            };
          });
        },
      };
    },

    customer(customer: CustomerRecord): ObjectView {
      return {
        __typename: "Customer",
        id: customer.id,
        legacyResourceId: String(customer.legacyId),
        firstName: customer.firstName,
        lastName: customer.lastName,
        displayName: `${customer.firstName} ${customer.lastName}`.trim(),
        email: customer.email,
        phone: customer.phone,
        defaultEmailAddress: customer.email
          ? { emailAddress: customer.email, marketingState: customer.emailMarketingState }
          : null,
        defaultPhoneNumber: customer.phone
          ? { phoneNumber: customer.phone, marketingState: customer.smsMarketingState }
          : null,
        tags: [...customer.tags],
        // UnsignedInt64 travels as a string in Shopify's responses.
        numberOfOrders: String(customer.numberOfOrders),
        amountSpent: money(customer.amountSpent),
        locale: customer.locale,
        note: customer.note,
        verifiedEmail: customer.email !== null,
        createdAt: formatDateTime(customer.createdAt),
        updatedAt: formatDateTime(customer.updatedAt),
        orders: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) =>
          ordersConnection(
            store.orders.filter((order) => order.customerId === customer.id),
            args,
            info,
            "ID",
          ),
        ...customerMetafieldFields(store, customer),
      };
    },

    lineItem(line: LineItemRecord): ObjectView {
      return {
        __typename: "LineItem",
        id: line.id,
        title: line.title,
        name: `${line.title} - ${line.variantTitle}`,
        variantTitle: line.variantTitle,
        sku: line.sku,
        quantity: line.quantity,
        currentQuantity: line.quantity,
        originalUnitPriceSet: moneyBag(line.unitPrice),
        variant: () => {
          const variant = findRecord(store.variants, line.variantId);
          return variant ? views.variant(variant) : null;
        },
        product: () => {
          const product = findRecord(store.products, line.productId);
          return product ? views.product(product) : null;
        },
      };
    },

    fulfillment(fulfillment: FulfillmentRecord): ObjectView {
      const tracking =
        fulfillment.trackingNumber || fulfillment.trackingCompany
          ? [
              {
                company: fulfillment.trackingCompany,
                number: fulfillment.trackingNumber,
                url:
                  fulfillment.trackingNumber && fulfillment.trackingCompany
                    ? (TRACKING_URLS[normalizeText(fulfillment.trackingCompany)]?.(fulfillment.trackingNumber) ?? null)
                    : null,
              },
            ]
          : [];
      return {
        __typename: "Fulfillment",
        id: fulfillment.id,
        legacyResourceId: String(fulfillment.legacyId),
        name: fulfillment.name,
        status: fulfillment.status,
        displayStatus: fulfillment.displayStatus,
        createdAt: formatDateTime(fulfillment.createdAt),
        updatedAt: formatDateTime(fulfillment.updatedAt),
        deliveredAt: optionalDateTime(fulfillment.deliveredAt),
        estimatedDeliveryAt: optionalDateTime(fulfillment.estimatedDeliveryAt),
        ...fulfillmentReturnFields(store, views, fulfillment),
        trackingInfo: (args: FieldArgs) => {
          const first = intArg(args, "first");
          return first === null ? tracking : tracking.slice(0, first);
        },
        order: () => {
          const order = findRecord(store.orders, fulfillment.orderId);
          return order ? views.order(order) : null;
        },
      };
    },

    order(order: OrderRecord): ObjectView {
      const subtotal = order.lineItems.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0);
      return {
        __typename: "Order",
        id: order.id,
        legacyResourceId: String(order.legacyId),
        name: order.name,
        number: order.number,
        createdAt: formatDateTime(order.createdAt),
        processedAt: formatDateTime(order.createdAt),
        updatedAt: formatDateTime(order.updatedAt),
        closed: order.closedAt !== null,
        closedAt: optionalDateTime(order.closedAt),
        cancelledAt: optionalDateTime(order.cancelledAt),
        displayFinancialStatus: order.displayFinancialStatus,
        displayFulfillmentStatus: order.displayFulfillmentStatus,
        email: order.email,
        phone: order.phone,
        currencyCode: store.shop.currencyCode,
        note: null,
        tags: [],
        totalPriceSet: moneyBag(order.totalPrice),
        subtotalPriceSet: moneyBag((subtotal / 100).toFixed(2)),
        totalShippingPriceSet: moneyBag(order.shippingPrice),
        customer: () => {
          const customer = findRecord(store.customers, order.customerId);
          return customer ? views.customer(customer) : null;
        },
        lineItems: (args: FieldArgs) => connection(order.lineItems, connectionArgs(args), (line) => views.lineItem(line)),
        fulfillments: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
          refuseArgs(args, info, ["query"]);
          const first = intArg(args, "first");
          const list = first === null ? order.fulfillments : order.fulfillments.slice(0, first);
          return list.map((fulfillment) => views.fulfillment(fulfillment));
        },
        ...orderReturnFields(store, views, order),
      };
    },
  };

  const customerName = (order: OrderRecord): string => {
    const customer = findRecord(store.customers, order.customerId);
    return customer ? `${customer.firstName} ${customer.lastName}` : "";
  };

  const ordersConnection = (orders: readonly OrderRecord[], args: FieldArgs, info: GraphQLResolveInfo, defaultSortKey: string) => {
    refuseArgs(args, info, ["savedSearchId"]);
    const matches = searchPredicate(stringArg(args, "query"), orderSearch(customerName));
    const sorted = sortRecords(orders.filter(matches), sortKeyArg(args, defaultSortKey), {
      ID: null,
      RELEVANCE: null,
      CREATED_AT: (o) => o.createdAt.getTime(),
      PROCESSED_AT: (o) => o.createdAt.getTime(),
      UPDATED_AT: (o) => o.updatedAt.getTime(),
      ORDER_NUMBER: (o) => o.number,
      TOTAL_PRICE: (o) => Number(o.totalPrice),
      CUSTOMER_NAME: (o) => normalizeText(customerName(o)),
    }, info);
    return connection(sorted, connectionArgs(args), (order) => views.order(order));
  };

  return { ...views, ordersConnection };
}

export type SandboxViews = ReturnType<typeof createViews>;

// ───────────────────────────────── Search specs ─────────────────────────────────

const VARIANT_SORT_KEYS: Readonly<Record<string, ((v: VariantRecord) => SortValue) | null>> = {
  ID: null,
  RELEVANCE: null,
  POSITION: (v) => v.position,
  SKU: (v) => v.sku,
  TITLE: (v) => normalizeText(v.title),
};

function productSearch(store: SandboxStore): SearchSpec<ProductRecord> {
  const skus = (p: ProductRecord): string[] => store.variants.filter((v) => v.productId === p.id).map((v) => v.sku);
  return {
    resource: "products",
    fields: {
      id: (p, t) => matchesLegacyId(p.legacyId, t),
      title: (p, t) => matchesText(p.title, t),
      handle: (p, t) => matchesExact(p.handle, t),
      sku: (p, t) => skus(p).some((sku) => matchesExact(sku, t)),
      product_type: (p, t) => matchesExact(p.productType, t),
      tag: (p, t) => p.tags.some((tag) => matchesExact(tag, t)),
      vendor: (p, t) => matchesExact(p.vendor, t),
      // Shopify accepts a comma-separated list here ("status:active,draft").
      status: (p, t) => t.value.split(",").some((value) => matchesExact(p.status, { ...t, value })),
    },
    bare: (p, t) =>
      matchesText(p.title, t) ||
      p.tags.some((tag) => matchesText(tag, t)) ||
      matchesText(p.productType, t) ||
      skus(p).some((sku) => matchesExact(sku, t)),
  };
}

function variantSearch(store: SandboxStore): SearchSpec<VariantRecord> {
  const productOf = (v: VariantRecord): ProductRecord | undefined => findRecord(store.products, v.productId);
  return {
    resource: "productVariants",
    fields: {
      id: (v, t) => matchesLegacyId(v.legacyId, t),
      sku: (v, t) => matchesExact(v.sku, t),
      product_id: (v, t) => {
        const product = productOf(v);
        return product ? matchesLegacyId(product.legacyId, t) : false;
      },
      title: (v, t) => matchesText(v.title, t),
    },
    bare: (v, t) => matchesText(v.title, t) || matchesExact(v.sku, t) || matchesText(productOf(v)?.title, t),
  };
}

function customerSearch(store: SandboxStore): SearchSpec<CustomerRecord> {
  const defaultCountry = store.shop.address.countryCode ?? undefined;
  // Phone numbers are compared in E.164, so "06 45 78 90 12" finds "+33645789012" in a French shop.
  const e164 = (value: string): string => parsePhoneNumberFromString(value, defaultCountry)?.number ?? value.replace(/[^\d+]/g, "");
  const phoneMatches = (c: CustomerRecord, t: SearchTerm): boolean => {
    if (!c.phone) return false;
    if (t.prefix) return matchesExact(c.phone, { ...t, value: t.value === "" ? "" : e164(t.value) });
    return e164(c.phone) === e164(t.value);
  };
  return {
    resource: "customers",
    fields: {
      id: (c, t) => matchesLegacyId(c.legacyId, t),
      phone: phoneMatches,
      email: (c, t) => matchesExact(c.email, t),
      tag: (c, t) => c.tags.some((tag) => matchesExact(tag, t)),
      first_name: (c, t) => matchesText(c.firstName, t),
      last_name: (c, t) => matchesText(c.lastName, t),
    },
    bare: (c, t) =>
      matchesText(`${c.firstName} ${c.lastName}`, t) ||
      matchesExact(c.email, t) ||
      (/^\+?[\d\s.()-]{6,}$/.test(t.value) && phoneMatches(c, t)),
  };
}

function orderSearch(customerName: (o: OrderRecord) => string): SearchSpec<OrderRecord> {
  const withoutHash = (value: string): string => value.replace(/^#/, "");
  const nameMatches = (o: OrderRecord, t: SearchTerm): boolean => matchesExact(withoutHash(o.name), { ...t, value: withoutHash(t.value) });
  return {
    resource: "orders",
    fields: {
      id: (o, t) => matchesLegacyId(o.legacyId, t),
      name: nameMatches,
      email: (o, t) => matchesExact(o.email, t),
      customer_id: (o, t) => {
        const parsed = parseGid(o.customerId);
        return parsed ? matchesLegacyId(parsed.legacyId, t) : false;
      },
      status: (o, t) => {
        const status = normalizeText(t.value);
        const closed = o.closedAt !== null;
        const cancelled = o.cancelledAt !== null;
        if (status === "any") return true;
        if (status === "open") return !closed && !cancelled;
        if (status === "closed") return closed;
        if (status === "cancelled") return cancelled;
        if (status === "not_closed") return !closed;
        throw new SearchQueryError(`Order status "${t.value}" is not supported by the sandbox shop (any, open, closed, cancelled, not_closed)`);
      },
      financial_status: (o, t) => matchesExact(o.displayFinancialStatus, t),
      fulfillment_status: (o, t) => {
        const wanted = normalizeText(t.value);
        const fulfilled = o.displayFulfillmentStatus === "FULFILLED";
        if (wanted === "shipped" || wanted === "fulfilled") return fulfilled;
        if (wanted === "unshipped" || wanted === "unfulfilled") return o.displayFulfillmentStatus === "UNFULFILLED";
        return matchesExact(o.displayFulfillmentStatus, t);
      },
    },
    bare: (o, t) => nameMatches(o, t) || matchesExact(o.email, t) || matchesText(customerName(o), t),
  };
}

// ───────────────────────────────── Query root ─────────────────────────────────

const NODE_LOOKUPS = {
  Product: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.products, id), v.product),
  ProductVariant: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.variants, id), v.variant),
  InventoryItem: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.inventoryItems, id), v.inventoryItem),
  InventoryLevel: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.inventoryLevels, id), v.inventoryLevel),
  Location: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.locations, id), v.location),
  Customer: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.customers, id), v.customer),
  Order: (s: SandboxStore, v: SandboxViews, id: string) => mapFound(findRecord(s.orders, id), v.order),
  LineItem: (s: SandboxStore, v: SandboxViews, id: string) =>
    mapFound(s.orders.flatMap((o) => o.lineItems).find((line) => line.id === id), v.lineItem),
  Fulfillment: (s: SandboxStore, v: SandboxViews, id: string) =>
    mapFound(s.orders.flatMap((o) => o.fulfillments).find((f) => f.id === id), v.fulfillment),
  Shop: (s: SandboxStore, v: SandboxViews, id: string) => (s.shop.id === id ? v.shop() : null),
  Return: (s: SandboxStore, v: SandboxViews, id: string) => returnNode(s, v, id),
  FulfillmentLineItem: (s: SandboxStore, v: SandboxViews, id: string) => returnNode(s, v, id),
} as const satisfies Record<string, (s: SandboxStore, v: SandboxViews, id: string) => ObjectView | null>;

function mapFound<T>(record: T | undefined, view: (record: T) => ObjectView): ObjectView | null {
  return record === undefined ? null : view(record);
}

/** Shopify answers a malformed id with an error, and an id of another shop's or type with null. */
function lookupNode(store: SandboxStore, views: SandboxViews, id: string, expectedType?: keyof typeof NODE_LOOKUPS): ObjectView | null {
  const parsed = parseGid(id);
  if (!parsed) throw new GraphQLError(`Invalid global id '${id}'`);
  if (expectedType && parsed.type !== expectedType) return null;
  if (!Object.hasOwn(NODE_LOOKUPS, parsed.type)) return null;
  return NODE_LOOKUPS[parsed.type as keyof typeof NODE_LOOKUPS](store, views, id);
}

/** Root value for query operations: one function per implemented `QueryRoot` field. */
export function createQueryRoot(store: SandboxStore): ObjectView {
  const views = createViews(store);
  const byId =
    (type: keyof typeof NODE_LOOKUPS): FieldFunction =>
    (args) =>
      lookupNode(store, views, stringArg(args, "id") ?? "", type);

  return {
    shop: () => views.shop(),

    products: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuseArgs(args, info, ["savedSearchId"]);
      const matches = searchPredicate(stringArg(args, "query"), productSearch(store));
      const totalOf = (p: ProductRecord): number =>
        store.variants
          .filter((v) => v.productId === p.id)
          .flatMap((v) => store.inventoryLevels.filter((l) => l.inventoryItemId === v.inventoryItemId))
          .reduce((sum, level) => sum + availableQuantity(level), 0);
      const sorted = sortRecords(store.products.filter(matches), sortKeyArg(args, "ID"), {
        ID: null,
        RELEVANCE: null,
        TITLE: (p) => normalizeText(p.title),
        PRODUCT_TYPE: (p) => normalizeText(p.productType),
        VENDOR: (p) => normalizeText(p.vendor),
        CREATED_AT: (p) => p.createdAt.getTime(),
        UPDATED_AT: (p) => p.updatedAt.getTime(),
        INVENTORY_TOTAL: totalOf,
      }, info);
      return connection(sorted, connectionArgs(args), (product) => views.product(product));
    },
    product: byId("Product"),

    productVariants: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuseArgs(args, info, ["savedSearchId"]);
      const matches = searchPredicate(stringArg(args, "query"), variantSearch(store));
      const sorted = sortRecords(store.variants.filter(matches), sortKeyArg(args, "ID"), VARIANT_SORT_KEYS, info);
      return connection(sorted, connectionArgs(args), (variant) => views.variant(variant));
    },
    productVariant: byId("ProductVariant"),

    inventoryItem: byId("InventoryItem"),
    inventoryLevel: byId("InventoryLevel"),

    locations: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuseArgs(args, info, ["query"]);
      const sorted = sortRecords(store.locations, sortKeyArg(args, "NAME"), {
        ID: null,
        RELEVANCE: null,
        NAME: (l) => normalizeText(l.name),
      }, info);
      return connection(sorted, connectionArgs(args), (location) => views.location(location));
    },
    // Without an id, Shopify answers with the shop's primary location.
    location: (args: FieldArgs) => {
      const id = stringArg(args, "id");
      if (id === null) {
        const primary = store.locations[0];
        return primary ? views.location(primary) : null;
      }
      return lookupNode(store, views, id, "Location");
    },

    customers: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      const matches = searchPredicate(stringArg(args, "query"), customerSearch(store));
      const sorted = sortRecords(store.customers.filter(matches), sortKeyArg(args, "ID"), {
        ID: null,
        RELEVANCE: null,
        NAME: (c) => normalizeText(`${c.firstName} ${c.lastName}`),
        CREATED_AT: (c) => c.createdAt.getTime(),
        UPDATED_AT: (c) => c.updatedAt.getTime(),
      }, info);
      return connection(sorted, connectionArgs(args), (customer) => views.customer(customer));
    },
    customer: byId("Customer"),

    orders: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) =>
      views.ordersConnection(store.orders, args, info, "PROCESSED_AT"),
    order: byId("Order"),
    fulfillment: byId("Fulfillment"),

    node: (args: FieldArgs) => lookupNode(store, views, stringArg(args, "id") ?? ""),
    nodes: (args: FieldArgs) => {
      const ids = Array.isArray(args["ids"]) ? args["ids"] : [];
      return ids.map((id) => lookupNode(store, views, String(id)));
    },
  };
}
