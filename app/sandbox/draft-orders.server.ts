/**
 * Draft orders in the sandbox shop, with the inventory reservation that `reserveInventoryUntil`
 * gives them (https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states):
 * while a draft is open and its deadline is ahead of the shop's clock, its units count as
 * `reserved` at the location, so `available = on_hand − reserved − committed` drops by them.
 *
 * - The deadline is checked lazily, never with a timer: `releaseExpiredReservations` runs before
 *   every document the shop executes, so any read of quantities sees the reservation gone once the
 *   (manual) clock has passed the deadline.
 * - `draftOrderDelete` releases the units; `draftOrderComplete` turns the draft into an `Order`
 *   (listed by `orders`) and, to keep one simple model, takes its units off `on_hand` at once (the
 *   demo boutique's seed counts past orders the same way: its stock is what is left on hand).
 * - Reserving is check-and-reserve in one synchronous step: see `reserve`.
 *
 * Mutations: draftOrderCreate, draftOrderUpdate, draftOrderDelete, draftOrderComplete. Queries:
 * draftOrder, draftOrders (search on id, customer_id, tag, status, name), paymentTermsTemplates.
 * Input fields the sandbox does not model are refused with a named error, like unmodelled fields.
 */
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { connection } from "./connections.server";
import {
  connectionArgs,
  createViews,
  formatDateTime,
  matchesLegacyId,
  refuseArgs,
  searchPredicate,
  sortKeyArg,
  sortRecords,
  stringArg,
  type FieldArgs,
  type ObjectView,
  type SandboxContext,
} from "./resolvers.server";
import { matchesExact, matchesText, normalizeText, type SearchSpec } from "./search-query.server";
import {
  availableQuantity,
  findRecord,
  formatDecimal,
  parseGid,
  type InventoryLevelRecord,
  type LineItemRecord,
  type OrderRecord,
  type SandboxStore,
} from "./store.server";

// ───────────────────────────────── Records ─────────────────────────────────

export type DraftOrderStatus = "OPEN" | "INVOICE_SENT" | "COMPLETED";

export interface DraftOrderLineItemRecord {
  id: string;
  legacyId: number;
  uuid: string;
  productId: string;
  variantId: string;
  title: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  /** Decimal string, the variant's price when the line was added. */
  unitPrice: string;
}

/** Units one draft holds at one inventory level. */
export interface ReservationRecord {
  levelId: string;
  variantId: string;
  quantity: number;
}

export interface DraftOrderRecord {
  id: string;
  legacyId: number;
  /** "#D1". */
  name: string;
  status: DraftOrderStatus;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  lineItems: DraftOrderLineItemRecord[];
  reserveInventoryUntil: Date | null;
  /** What the draft reserves right now; empty once released (deadline, delete, completion). */
  reservations: ReservationRecord[];
  paymentTermsTemplateId: string | null;
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** Deleted drafts stay as tombstones, so that their ids and names are never handed out again. */
  deletedAt: Date | null;
}

// Shopify numbers draft orders apart from orders (`#D1`, `#D2`…); the sandbox gives them their own
// id ranges, away from the seed's, so that a gid of one type never finds a record of another.
const DRAFT_ORDER_BASE = 20000;
const DRAFT_LINE_BASE = 21000;
/** Shopify's documented tag limit for orders and draft orders is 40 characters per tag. */
export const MAX_TAG_LENGTH = 40;

/** Payment terms templates as Shopify lists them (`paymentTermsTemplates`); ids are Shopify's. */
export const PAYMENT_TERMS_TEMPLATES = [
  { id: "gid://shopify/PaymentTermsTemplate/1", name: "Due on receipt", type: "RECEIPT", dueInDays: null },
  { id: "gid://shopify/PaymentTermsTemplate/9", name: "Due on fulfillment", type: "FULFILLMENT", dueInDays: null },
  { id: "gid://shopify/PaymentTermsTemplate/2", name: "Net 7", type: "NET", dueInDays: 7 },
  { id: "gid://shopify/PaymentTermsTemplate/3", name: "Net 15", type: "NET", dueInDays: 15 },
  { id: "gid://shopify/PaymentTermsTemplate/4", name: "Net 30", type: "NET", dueInDays: 30 },
  { id: "gid://shopify/PaymentTermsTemplate/7", name: "Fixed", type: "FIXED", dueInDays: null },
] as const;

// ───────────────────────────────── Inventory ─────────────────────────────────

function levelsOfVariant(store: SandboxStore, variantId: string): InventoryLevelRecord[] {
  const variant = findRecord(store.variants, variantId);
  if (!variant) return [];
  return store.inventoryLevels.filter((level) => level.inventoryItemId === variant.inventoryItemId);
}

/** Units of a variant that can be sold now, over every location. */
export function variantAvailable(store: SandboxStore, variantId: string): number {
  return levelsOfVariant(store, variantId).reduce((sum, level) => sum + availableQuantity(level), 0);
}

function quantitiesByVariant(lines: readonly DraftOrderLineItemRecord[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
  return wanted;
}

interface Shortage {
  variantId: string;
  sku: string;
  requested: number;
  available: number;
}

function shortagesOf(store: SandboxStore, lines: readonly DraftOrderLineItemRecord[]): Shortage[] {
  const shortages: Shortage[] = [];
  for (const [variantId, requested] of quantitiesByVariant(lines)) {
    const available = variantAvailable(store, variantId);
    if (available < requested) {
      shortages.push({ variantId, sku: findRecord(store.variants, variantId)?.sku ?? variantId, requested, available });
    }
  }
  return shortages;
}

/** Take `quantity` units from the levels that have them, first location first. */
function allocate(store: SandboxStore, variantId: string, quantity: number): Array<{ level: InventoryLevelRecord; quantity: number }> {
  const taken: Array<{ level: InventoryLevelRecord; quantity: number }> = [];
  let remaining = quantity;
  for (const level of levelsOfVariant(store, variantId)) {
    if (remaining === 0) break;
    const take = Math.min(remaining, Math.max(0, availableQuantity(level)));
    if (take > 0) {
      taken.push({ level, quantity: take });
      remaining -= take;
    }
  }
  return taken;
}

/**
 * Reserve the draft's units, all or nothing. Check and reserve happen in one synchronous step (no
 * `await` in between, and graphql-js runs these resolvers synchronously), so two racing
 * `draftOrderCreate`s for the last unit cannot both reserve it: the second sees the first's
 * reservation and gets a userError. That is the race outcome the app must handle. Real Shopify does
 * not refuse: it lets a reservation oversell, and the app re-reads `available` after creating and
 * deletes its draft if it went negative (`holds.server.ts`); the sandbox answers that case up front.
 */
function reserve(store: SandboxStore, draft: DraftOrderRecord, now: Date): Shortage[] {
  const shortages = shortagesOf(store, draft.lineItems);
  if (shortages.length > 0) return shortages;
  for (const [variantId, quantity] of quantitiesByVariant(draft.lineItems)) {
    for (const { level, quantity: taken } of allocate(store, variantId, quantity)) {
      level.reserved += taken;
      level.updatedAt = now;
      draft.reservations.push({ levelId: level.id, variantId, quantity: taken });
    }
  }
  return [];
}

function release(store: SandboxStore, draft: DraftOrderRecord, at: Date): void {
  for (const reservation of draft.reservations) {
    const level = findRecord(store.inventoryLevels, reservation.levelId);
    if (!level) continue;
    level.reserved -= reservation.quantity;
    level.updatedAt = at;
  }
  draft.reservations = [];
}

function reservesAt(draft: DraftOrderRecord, now: Date): boolean {
  return draft.status !== "COMPLETED" && draft.deletedAt === null && draft.reserveInventoryUntil !== null && draft.reserveInventoryUntil > now;
}

/**
 * Give back the units of every draft whose deadline has passed on the shop's clock. Called before
 * each document the shop executes, so quantities are always read after it.
 */
export function releaseExpiredReservations(store: SandboxStore, now: Date): void {
  for (const draft of store.draftOrders) {
    if (draft.reservations.length > 0 && !reservesAt(draft, now)) release(store, draft, draft.reserveInventoryUntil ?? now);
  }
}

// ───────────────────────────────── Input ─────────────────────────────────

interface UserErrorShape {
  field: string[] | null;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Input fields that would change the result but that the sandbox does not model are refused. */
function refuseInputFields(input: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const [name, value] of Object.entries(input)) {
    if (!allowed.includes(name) && value !== undefined && value !== null) {
      throw new GraphQLError(`Input field "${name}" of ${where} is not implemented by the sandbox shop`);
    }
  }
}

const DRAFT_INPUT_FIELDS = ["purchasingEntity", "lineItems", "reserveInventoryUntil", "tags", "note", "email", "phone", "paymentTerms"] as const;
const LINE_INPUT_FIELDS = ["variantId", "quantity", "uuid"] as const;

function parseDateTime(value: unknown): Date | null | "invalid" {
  if (value === null) return null;
  if (typeof value !== "string") return "invalid";
  const time = Date.parse(value);
  return Number.isNaN(time) ? "invalid" : new Date(time);
}

function normalizeTags(value: unknown): string[] {
  const tags = Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of tags.flatMap((t) => t.split(","))) {
    const tag = raw.trim();
    if (tag === "" || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    result.push(tag);
  }
  return result;
}

function nextLegacyId(ids: Iterable<number>, base: number): number {
  let max = base;
  for (const id of ids) if (id > max) max = id;
  return max + 1;
}

// ───────────────────────────────── Views ─────────────────────────────────

function customerName(store: SandboxStore, draft: DraftOrderRecord): string {
  const customer = draft.customerId ? findRecord(store.customers, draft.customerId) : undefined;
  return customer ? `${customer.firstName} ${customer.lastName}` : "";
}

function subtotalCents(lines: readonly { unitPrice: string; quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0);
}

function createDraftOrderViews(store: SandboxStore) {
  const views = createViews(store);
  const money = (amount: string): ObjectView => ({ amount, currencyCode: store.shop.currencyCode });
  const moneyBag = (amount: string): ObjectView => ({ shopMoney: money(amount), presentmentMoney: money(amount) });

  const lineItem = (line: DraftOrderLineItemRecord): ObjectView => {
    const total = formatDecimal(Number(line.unitPrice) * line.quantity);
    return {
      __typename: "DraftOrderLineItem",
      id: line.id,
      uuid: line.uuid,
      name: `${line.title} - ${line.variantTitle}`,
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      custom: false,
      isGiftCard: false,
      requiresShipping: true,
      taxable: true,
      vendor: store.shop.name,
      originalUnitPriceSet: moneyBag(line.unitPrice),
      approximateDiscountedUnitPriceSet: moneyBag(line.unitPrice),
      originalTotalSet: moneyBag(total),
      discountedTotalSet: moneyBag(total),
      totalDiscountSet: moneyBag("0.00"),
      variant: () => {
        const variant = findRecord(store.variants, line.variantId);
        return variant ? views.variant(variant) : null;
      },
      product: () => {
        const product = findRecord(store.products, line.productId);
        return product ? views.product(product) : null;
      },
    };
  };

  const draftOrder = (draft: DraftOrderRecord): ObjectView => {
    const subtotal = (subtotalCents(draft.lineItems) / 100).toFixed(2);
    const template = PAYMENT_TERMS_TEMPLATES.find((t) => t.id === draft.paymentTermsTemplateId);
    return {
      __typename: "DraftOrder",
      id: draft.id,
      legacyResourceId: String(draft.legacyId),
      name: draft.name,
      status: draft.status,
      ready: true,
      reserveInventoryUntil: draft.reserveInventoryUntil ? formatDateTime(draft.reserveInventoryUntil) : null,
      tags: [...draft.tags],
      note2: draft.note,
      email: draft.email,
      phone: draft.phone,
      currencyCode: store.shop.currencyCode,
      presentmentCurrencyCode: store.shop.currencyCode,
      taxesIncluded: true,
      taxExempt: false,
      visibleToCustomer: false,
      invoiceUrl: null,
      invoiceSentAt: null,
      createdAt: formatDateTime(draft.createdAt),
      updatedAt: formatDateTime(draft.updatedAt),
      completedAt: draft.completedAt ? formatDateTime(draft.completedAt) : null,
      totalQuantityOfLineItems: draft.lineItems.reduce((sum, line) => sum + line.quantity, 0),
      subtotalPriceSet: moneyBag(subtotal),
      totalLineItemsPriceSet: moneyBag(subtotal),
      totalPriceSet: moneyBag(subtotal),
      totalShippingPriceSet: moneyBag("0.00"),
      totalDiscountsSet: moneyBag("0.00"),
      customer: () => {
        const customer = draft.customerId ? findRecord(store.customers, draft.customerId) : undefined;
        return customer ? views.customer(customer) : null;
      },
      lineItems: (args: FieldArgs) => connection(draft.lineItems, connectionArgs(args), lineItem),
      order: () => {
        const order = draft.orderId ? findRecord(store.orders, draft.orderId) : undefined;
        return order ? views.order(order) : null;
      },
      paymentTerms: template
        ? {
            __typename: "PaymentTerms",
            id: `gid://shopify/PaymentTerms/${draft.legacyId}`,
            paymentTermsName: template.name,
            paymentTermsType: template.type,
            translatedName: template.name,
            dueInDays: template.dueInDays,
            due: false,
            overdue: false,
          }
        : null,
    };
  };

  return { draftOrder, lineItem };
}

function paymentTermsTemplateView(template: (typeof PAYMENT_TERMS_TEMPLATES)[number]): ObjectView {
  return {
    __typename: "PaymentTermsTemplate",
    id: template.id,
    name: template.name,
    translatedName: template.name,
    description: template.dueInDays === null ? template.name : `Within ${template.dueInDays} days`,
    paymentTermsType: template.type,
    dueInDays: template.dueInDays,
  };
}

// ───────────────────────────────── Search ─────────────────────────────────

function draftOrderSearch(store: SandboxStore): SearchSpec<DraftOrderRecord> {
  const withoutHash = (value: string): string => value.replace(/^#/, "");
  return {
    resource: "draftOrders",
    fields: {
      id: (d, t) => matchesLegacyId(d.legacyId, t),
      customer_id: (d, t) => {
        const parsed = d.customerId ? parseGid(d.customerId) : null;
        return parsed ? matchesLegacyId(parsed.legacyId, t) : false;
      },
      tag: (d, t) => d.tags.some((tag) => matchesExact(tag, t)),
      status: (d, t) => matchesExact(d.status, t),
      name: (d, t) => matchesExact(withoutHash(d.name), { ...t, value: withoutHash(t.value) }),
    },
    bare: (d, t) => matchesExact(withoutHash(d.name), { ...t, value: withoutHash(t.value) }) || matchesText(customerName(store, d), t),
  };
}

// ───────────────────────────────── Roots ─────────────────────────────────

function liveDraft(store: SandboxStore, id: string | null): DraftOrderRecord | undefined {
  const draft = id ? findRecord(store.draftOrders, id) : undefined;
  return draft && draft.deletedAt === null ? draft : undefined;
}

/** `draftOrder`, `draftOrders` and `paymentTermsTemplates`, to merge into the query root. */
export function createDraftOrderQueryRoot(store: SandboxStore): ObjectView {
  const views = createDraftOrderViews(store);
  return {
    draftOrder: (args: FieldArgs) => {
      const id = stringArg(args, "id") ?? "";
      if (!parseGid(id)) throw new GraphQLError(`Invalid global id '${id}'`);
      const draft = liveDraft(store, id);
      return draft ? views.draftOrder(draft) : null;
    },
    draftOrders: (args: FieldArgs, _context: SandboxContext, info: GraphQLResolveInfo) => {
      refuseArgs(args, info, ["savedSearchId"]);
      const matches = searchPredicate(stringArg(args, "query"), draftOrderSearch(store));
      const live = store.draftOrders.filter((d) => d.deletedAt === null && matches(d));
      const sorted = sortRecords(live, sortKeyArg(args, "ID"), {
        ID: null,
        RELEVANCE: null,
        NUMBER: (d) => d.legacyId,
        STATUS: (d) => d.status,
        UPDATED_AT: (d) => d.updatedAt.getTime(),
        TOTAL_PRICE: (d) => subtotalCents(d.lineItems),
        CUSTOMER_NAME: (d) => normalizeText(customerName(store, d)),
      }, info);
      return connection(sorted, connectionArgs(args), (draft) => views.draftOrder(draft));
    },
    paymentTermsTemplates: (args: FieldArgs) => {
      const type = stringArg(args, "paymentTermsType");
      return PAYMENT_TERMS_TEMPLATES.filter((t) => type === null || t.type === type).map(paymentTermsTemplateView);
    },
  };
}

/** `draftOrderCreate`, `draftOrderUpdate`, `draftOrderDelete`, `draftOrderComplete`, to merge into the mutation root. */
export function createDraftOrderMutationRoot(store: SandboxStore): ObjectView {
  const views = createDraftOrderViews(store);
  const payload = (typename: string, draft: DraftOrderRecord | null, userErrors: UserErrorShape[]): ObjectView => ({
    __typename: typename,
    draftOrder: draft && userErrors.length === 0 ? views.draftOrder(draft) : null,
    userErrors: userErrors.map((e) => ({ __typename: "UserError", field: e.field, message: e.message })),
  });
  const notFound = (field: string[]): UserErrorShape => ({ field, message: "Draft order does not exist" });
  const shortageErrors = (shortages: readonly Shortage[], field: string[]): UserErrorShape[] =>
    shortages.map((s) => ({
      field,
      message: `Not enough inventory available to reserve ${s.sku}: ${s.requested} requested, ${Math.max(0, s.available)} available`,
    }));

  /** Line items from the input, or the userErrors that refuse them. */
  const buildLines = (value: unknown, startLegacyId: number): { lines: DraftOrderLineItemRecord[]; errors: UserErrorShape[] } => {
    const inputs = Array.isArray(value) ? value : [];
    const errors: UserErrorShape[] = [];
    const lines: DraftOrderLineItemRecord[] = [];
    if (inputs.length === 0) errors.push({ field: ["lineItems"], message: "Add at least 1 product" });
    inputs.forEach((input: unknown, index) => {
      if (!isRecord(input)) return;
      refuseInputFields(input, LINE_INPUT_FIELDS, "DraftOrderLineItemInput");
      const field = ["lineItems", String(index)];
      const variantId = typeof input["variantId"] === "string" ? input["variantId"] : null;
      const quantity = typeof input["quantity"] === "number" ? input["quantity"] : 0;
      if (variantId === null) {
        // Custom line items (title and price, no variant) are Shopify's; the sandbox has none.
        throw new GraphQLError("Custom line items (without variantId) are not implemented by the sandbox shop");
      }
      const variant = findRecord(store.variants, variantId);
      const product = variant ? findRecord(store.products, variant.productId) : undefined;
      if (!variant || !product) {
        errors.push({ field: [...field, "variantId"], message: `Product variant ${variantId} does not exist` });
        return;
      }
      if (quantity < 1) {
        errors.push({ field: [...field, "quantity"], message: "Quantity must be greater than or equal to 1" });
        return;
      }
      const legacyId = startLegacyId + lines.length;
      lines.push({
        id: `gid://shopify/DraftOrderLineItem/${legacyId}`,
        legacyId,
        uuid: typeof input["uuid"] === "string" ? input["uuid"] : `sandbox-line-${legacyId}`,
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        quantity,
        unitPrice: variant.price,
      });
    });
    return { lines, errors };
  };

  const checkTags = (tags: readonly string[]): UserErrorShape[] =>
    tags.filter((t) => t.length > MAX_TAG_LENGTH).map((t) => ({ field: ["tags"], message: `Tag "${t}" is longer than ${MAX_TAG_LENGTH} characters` }));

  const checkTemplate = (value: unknown): { id: string | null; errors: UserErrorShape[] } => {
    if (value === null || value === undefined) return { id: null, errors: [] };
    if (!isRecord(value)) return { id: null, errors: [] };
    refuseInputFields(value, ["paymentTermsTemplateId"], "PaymentTermsInput");
    const id = typeof value["paymentTermsTemplateId"] === "string" ? value["paymentTermsTemplateId"] : null;
    if (!PAYMENT_TERMS_TEMPLATES.some((t) => t.id === id)) {
      return { id: null, errors: [{ field: ["paymentTerms", "paymentTermsTemplateId"], message: "Payment terms template does not exist" }] };
    }
    // Net and fixed terms need payment schedules, which the sandbox does not model.
    if (id !== "gid://shopify/PaymentTermsTemplate/1" && id !== "gid://shopify/PaymentTermsTemplate/9") {
      throw new GraphQLError(`Payment terms template ${id} needs payment schedules, which are not implemented by the sandbox shop`);
    }
    return { id, errors: [] };
  };

  return {
    draftOrderCreate: (args: FieldArgs, context: SandboxContext) => {
      const now = context.clock.now();
      const input = isRecord(args["input"]) ? args["input"] : {};
      refuseInputFields(input, DRAFT_INPUT_FIELDS, "DraftOrderInput");
      const errors: UserErrorShape[] = [];

      let customerId: string | null = null;
      const entity = input["purchasingEntity"];
      if (isRecord(entity)) {
        refuseInputFields(entity, ["customerId"], "PurchasingEntityInput");
        customerId = typeof entity["customerId"] === "string" ? entity["customerId"] : null;
        if (customerId !== null && !findRecord(store.customers, customerId)) {
          errors.push({ field: ["purchasingEntity", "customerId"], message: "Customer does not exist" });
        }
      }
      const reserveUntil = parseDateTime(input["reserveInventoryUntil"] ?? null);
      if (reserveUntil === "invalid") errors.push({ field: ["reserveInventoryUntil"], message: "Reserve inventory until is invalid" });
      const tags = normalizeTags(input["tags"]);
      errors.push(...checkTags(tags));
      const terms = checkTemplate(input["paymentTerms"]);
      errors.push(...terms.errors);
      const firstLineId = nextLegacyId(store.draftOrders.flatMap((d) => d.lineItems.map((l) => l.legacyId)), DRAFT_LINE_BASE);
      const built = buildLines(input["lineItems"], firstLineId);
      errors.push(...built.errors);
      if (errors.length > 0) return payload("DraftOrderCreatePayload", null, errors);

      const customer = customerId ? findRecord(store.customers, customerId) : undefined;
      const legacyId = nextLegacyId(store.draftOrders.map((d) => d.legacyId), DRAFT_ORDER_BASE);
      const draft: DraftOrderRecord = {
        id: `gid://shopify/DraftOrder/${legacyId}`,
        legacyId,
        name: `#D${legacyId - DRAFT_ORDER_BASE}`,
        status: "OPEN",
        customerId,
        email: typeof input["email"] === "string" ? input["email"] : (customer?.email ?? null),
        phone: typeof input["phone"] === "string" ? input["phone"] : (customer?.phone ?? null),
        note: typeof input["note"] === "string" ? input["note"] : null,
        tags,
        lineItems: built.lines,
        reserveInventoryUntil: reserveUntil instanceof Date ? reserveUntil : null,
        reservations: [],
        paymentTermsTemplateId: terms.id,
        orderId: null,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        deletedAt: null,
      };
      if (reservesAt(draft, now)) {
        const shortages = reserve(store, draft, now);
        if (shortages.length > 0) return payload("DraftOrderCreatePayload", null, shortageErrors(shortages, ["reserveInventoryUntil"]));
      }
      store.draftOrders.push(draft);
      return payload("DraftOrderCreatePayload", draft, []);
    },

    draftOrderUpdate: (args: FieldArgs, context: SandboxContext) => {
      const now = context.clock.now();
      const draft = liveDraft(store, stringArg(args, "id"));
      if (!draft) return payload("DraftOrderUpdatePayload", null, [notFound(["id"])]);
      const input = isRecord(args["input"]) ? args["input"] : {};
      // Changing the customer or the lines of a hold is not something the app does.
      refuseInputFields(input, ["reserveInventoryUntil", "tags", "note", "email", "phone", "paymentTerms"], "DraftOrderInput (draftOrderUpdate)");
      if (draft.status === "COMPLETED") {
        return payload("DraftOrderUpdatePayload", null, [{ field: ["id"], message: "This draft order has been completed and can no longer be edited" }]);
      }
      const errors: UserErrorShape[] = [];
      const reserveUntil = Object.hasOwn(input, "reserveInventoryUntil") ? parseDateTime(input["reserveInventoryUntil"]) : undefined;
      if (reserveUntil === "invalid") errors.push({ field: ["reserveInventoryUntil"], message: "Reserve inventory until is invalid" });
      const tags = Object.hasOwn(input, "tags") ? normalizeTags(input["tags"]) : undefined;
      if (tags) errors.push(...checkTags(tags));
      const terms = Object.hasOwn(input, "paymentTerms") ? checkTemplate(input["paymentTerms"]) : undefined;
      if (terms) errors.push(...terms.errors);
      if (errors.length > 0) return payload("DraftOrderUpdatePayload", null, errors);

      if (reserveUntil !== undefined && reserveUntil !== "invalid") {
        // A new deadline re-reserves from scratch: the draft's own units are given back first, so
        // extending a live hold always succeeds, and reviving an expired one needs free units.
        const previous = { until: draft.reserveInventoryUntil, reservations: draft.reservations };
        release(store, draft, now);
        draft.reserveInventoryUntil = reserveUntil;
        if (reservesAt(draft, now)) {
          const shortages = reserve(store, draft, now);
          if (shortages.length > 0) {
            // Put the previous reservation back exactly as it was.
            draft.reserveInventoryUntil = previous.until;
            for (const r of previous.reservations) {
              const level = findRecord(store.inventoryLevels, r.levelId);
              if (level) level.reserved += r.quantity;
            }
            draft.reservations = previous.reservations;
            return payload("DraftOrderUpdatePayload", null, shortageErrors(shortages, ["reserveInventoryUntil"]));
          }
        }
      }
      if (tags) draft.tags = tags;
      if (terms) draft.paymentTermsTemplateId = terms.id;
      if (Object.hasOwn(input, "note")) draft.note = typeof input["note"] === "string" ? input["note"] : null;
      if (Object.hasOwn(input, "email")) draft.email = typeof input["email"] === "string" ? input["email"] : null;
      if (Object.hasOwn(input, "phone")) draft.phone = typeof input["phone"] === "string" ? input["phone"] : null;
      draft.updatedAt = now;
      return payload("DraftOrderUpdatePayload", draft, []);
    },

    draftOrderDelete: (args: FieldArgs, context: SandboxContext) => {
      const input = isRecord(args["input"]) ? args["input"] : {};
      const id = typeof input["id"] === "string" ? input["id"] : null;
      const draft = liveDraft(store, id);
      const result = (deletedId: string | null, userErrors: UserErrorShape[]): ObjectView => ({
        __typename: "DraftOrderDeletePayload",
        deletedId,
        userErrors: userErrors.map((e) => ({ __typename: "UserError", field: e.field, message: e.message })),
      });
      if (!draft) return result(null, [notFound(["id"])]);
      if (draft.status === "COMPLETED") {
        return result(null, [{ field: ["id"], message: "A completed draft order cannot be deleted" }]);
      }
      const now = context.clock.now();
      release(store, draft, now);
      draft.deletedAt = now;
      return result(draft.id, []);
    },

    draftOrderComplete: (args: FieldArgs, context: SandboxContext, info: GraphQLResolveInfo) => {
      refuseArgs(args, info, ["paymentGatewayId"]);
      const now = context.clock.now();
      const draft = liveDraft(store, stringArg(args, "id"));
      if (!draft) return payload("DraftOrderCompletePayload", null, [notFound(["id"])]);
      if (draft.status === "COMPLETED") {
        return payload("DraftOrderCompletePayload", null, [{ field: ["id"], message: "This draft order has already been completed" }]);
      }
      const customer = draft.customerId ? findRecord(store.customers, draft.customerId) : undefined;
      if (!customer) throw new GraphQLError("Completing a draft order without a customer is not implemented by the sandbox shop");

      // The draft's own reservation becomes the sale: release it, then every unit must be there.
      const held = draft.reservations;
      release(store, draft, now);
      const shortages = shortagesOf(store, draft.lineItems);
      if (shortages.length > 0) {
        for (const r of held) {
          const level = findRecord(store.inventoryLevels, r.levelId);
          if (level) level.reserved += r.quantity;
        }
        draft.reservations = held;
        return payload(
          "DraftOrderCompletePayload",
          null,
          shortages.map((s) => ({ field: ["id"], message: `Not enough inventory available for ${s.sku}: ${s.requested} requested, ${Math.max(0, s.available)} available` })),
        );
      }
      for (const [variantId, quantity] of quantitiesByVariant(draft.lineItems)) {
        for (const { level, quantity: taken } of allocate(store, variantId, quantity)) {
          level.onHand -= taken;
          level.updatedAt = now;
        }
      }

      const orderLegacyId = nextLegacyId(store.orders.map((o) => o.legacyId), 0);
      const orderId = `gid://shopify/Order/${orderLegacyId}`;
      const number = nextLegacyId(store.orders.map((o) => o.number), 1000);
      let lineLegacyId = nextLegacyId(store.orders.flatMap((o) => o.lineItems.map((l) => l.legacyId)), 0);
      const lineItems: LineItemRecord[] = draft.lineItems.map((line) => {
        const legacyId = lineLegacyId;
        lineLegacyId += 1;
        return {
          id: `gid://shopify/LineItem/${legacyId}`,
          legacyId,
          productId: line.productId,
          variantId: line.variantId,
          title: line.title,
          variantTitle: line.variantTitle,
          sku: line.sku,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
        };
      });
      const total = (subtotalCents(draft.lineItems) / 100).toFixed(2);
      const order: OrderRecord = {
        id: orderId,
        legacyId: orderLegacyId,
        name: `#${number}`,
        number,
        customerId: customer.id,
        email: draft.email ?? customer.email,
        phone: draft.phone ?? customer.phone,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        cancelledAt: null,
        // Payment terms (e.g. "Due on receipt") leave the order's payment pending; without them
        // completing marks it as paid (https://shopify.dev/docs/api/admin-graphql/2026-04/mutations/draftOrderComplete).
        displayFinancialStatus: draft.paymentTermsTemplateId ? "PENDING" : "PAID",
        displayFulfillmentStatus: "UNFULFILLED",
        shippingPrice: "0.00",
        totalPrice: total,
        lineItems,
        fulfillments: [],
      };
      store.orders.push(order);
      customer.numberOfOrders += 1;
      customer.amountSpent = formatDecimal(Number(customer.amountSpent) + Number(total));
      customer.updatedAt = now;

      draft.status = "COMPLETED";
      draft.orderId = orderId;
      draft.completedAt = now;
      draft.updatedAt = now;
      return payload("DraftOrderCompletePayload", draft, []);
    },
  };
}
