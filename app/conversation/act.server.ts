/**
 * Step 3 — act: the decision's actions, through capabilities only (no vendor here), idempotently
 * (keys derived from the inbound message), each recorded with its outcome (DESIGN §5 action types)
 * and, when it changes what the reply may say, with the facts it produced.
 */
import { and, eq } from "drizzle-orm";
import { backInStockSubscriptions, consents, conversations, customers, notifications, scheduledMessages, shipmentTrackings } from "../../db/schema";
import type { Database } from "~/db.server";
import { holdDeadline } from "~/holds/deadline";
import { activeHolds, cancelHold, placeHold } from "~/holds/holds.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { armQuietly, type ArmScheduledMessage } from "~/messaging/scheduling.server";
import {
  UnavailableError,
  type CatalogueProduct,
  type Customers,
  type CustomerWriter,
  type Holds,
  type Inventory,
  type Orders,
  type Returns,
  type ShopOrder,
} from "~/plugins/types";
import type { ShopSettings } from "~/shops/settings";
import type { ChannelKind, PlannedAction, ReplyFacts, ReplyTemplateId } from "./contracts";
import type { ActionRecord } from "./record";

export interface ActCapabilities {
  inventory: Inventory;
  customers: Customers & Partial<CustomerWriter>;
  holds: Holds;
  orders?: Orders;
  returns?: Returns;
}

export interface ActContext {
  db: Database;
  clock: Clock;
  logger: Logger;
  caps: ActCapabilities;
  shop: { id: string; name: string; timezone: string; settings: ShopSettings };
  customer: typeof customers.$inferSelect;
  conversationId: string;
  messageId: string;
  channel: ChannelKind;
  /** The shop's receiving number/address the customer wrote to. */
  shopAddress: string;
  catalogue: readonly CatalogueProduct[];
  order: ShopOrder | null;
  /** Starts the hourly watch of a shipment (jobs/tracking-watch.server.ts). */
  watchShipment?: (input: { shopId: string; shipmentTrackingId: string; until: Date }) => Promise<unknown>;
  /** Arms the delayed job of a scheduled message just stored. */
  armScheduledMessage?: ArmScheduledMessage;
  /** Why the merchant is needed, when she is: summary and what was checked. */
  escalation: { reason: string; checked: string[]; urgent: boolean };
}

export interface ActOutcome {
  actions: ActionRecord[];
  /** Facts the actions produced, for the reply. */
  facts: Partial<ReplyFacts>;
  /** When an action could not be done, the reply that says so instead. */
  template?: ReplyTemplateId;
  /** A customer created or linked on the way (hold for a new customer). */
  customer: typeof customers.$inferSelect;
}

const HOUR = 3600_000;

export async function act(ctx: ActContext, planned: PlannedAction[]): Promise<ActOutcome> {
  const outcome: ActOutcome = { actions: [], facts: {}, customer: ctx.customer };
  let placedHoldId: string | null = null;
  for (const action of planned) {
    try {
      switch (action.type) {
        case "reservation.create": {
          const result = await reserve(ctx, outcome, action.params);
          if (result) placedHoldId = result;
          break;
        }
        case "reminder.schedule": {
          const visitAt = new Date(String(action.params.visitAt));
          const holdId = placedHoldId ?? (await activeHolds(ctx, ctx.shop.id, outcome.customer.id)).at(-1)?.id ?? null;
          // One hour before the announced visit; an imminent visit gets no reminder.
          const at = new Date(visitAt.getTime() - HOUR);
          if (!holdId || at <= ctx.clock.now()) {
            outcome.actions.push({ type: "reminder.schedule", status: "skipped", details: { reason: holdId ? "visit too close" : "no hold", visitAt: visitAt.toISOString() } });
            break;
          }
          await ctx.db
            .insert(scheduledMessages)
            .values({
              shopId: ctx.shop.id,
              customerId: outcome.customer.id,
              type: "pickup_reminder",
              channel: ctx.channel,
              dueAt: at,
              status: "scheduled",
              causeType: "hold",
              causeId: holdId,
              payload: { visitAt: visitAt.toISOString(), conversationId: ctx.conversationId },
              createdAt: ctx.clock.now(),
              updatedAt: ctx.clock.now(),
            })
            .onConflictDoUpdate({
              target: [scheduledMessages.shopId, scheduledMessages.type, scheduledMessages.causeType, scheduledMessages.causeId],
              set: { dueAt: at, status: "scheduled", updatedAt: ctx.clock.now() },
            })
            .returning({ id: scheduledMessages.id, shopId: scheduledMessages.shopId, dueAt: scheduledMessages.dueAt })
            .then((rows) => armQuietly(ctx.armScheduledMessage, rows, ctx.logger));
          if (outcome.facts.hold) outcome.facts.hold = { ...outcome.facts.hold, reminderAt: at.toISOString() };
          outcome.actions.push({ type: "reminder.schedule", status: "done", details: { kind: "pickup_reminder", at: at.toISOString(), channel: ctx.channel } });
          break;
        }
        case "reservation.cancel": {
          const hold = await cancelHold({ db: ctx.db, clock: ctx.clock, holds: ctx.caps.holds }, ctx.shop.id, String(action.params.holdId));
          if (hold) {
            const item = hold.items[0];
            outcome.facts.hold = { productTitle: item?.productTitle ?? "", size: item?.size ?? null, expiresAt: hold.expiresAt.toISOString(), reminderAt: null };
          }
          outcome.actions.push({ type: "reservation.cancel", status: hold ? "done" : "skipped", details: { holdId: action.params.holdId } });
          break;
        }
        case "exchange.create":
        case "return.create": {
          const done = await requestReturn(ctx, action);
          outcome.actions.push({ type: action.type, status: done ? "done" : "skipped", details: done ?? { reason: "order or line not found" } });
          break;
        }
        case "tracking.watch": {
          const watched = await watch(ctx, action.params);
          outcome.actions.push({ type: "tracking.watch", status: watched ? "done" : "skipped", details: { ...action.params, ...(watched ?? { reason: "no tracking to watch" }) } });
          break;
        }
        case "back_in_stock.subscribe": {
          const variantId = String(action.params.variantId);
          const product = ctx.catalogue.find((p) => p.id === action.params.productId);
          const variant = product?.variants.find((v) => v.id === variantId);
          const availability = await ctx.caps.inventory.availability(variantId);
          await ctx.db
            .insert(backInStockSubscriptions)
            .values({
              shopId: ctx.shop.id,
              customerId: outcome.customer.id,
              variantId,
              inventoryItemId: availability.inventoryItemId ?? null,
              productTitle: product?.title ?? "",
              size: variant?.size ?? null,
              status: "active",
              createdAt: ctx.clock.now(),
            })
            .onConflictDoUpdate({
              target: [backInStockSubscriptions.shopId, backInStockSubscriptions.customerId, backInStockSubscriptions.variantId],
              set: { status: "active" },
            });
          outcome.actions.push({ type: "back_in_stock.subscribe", status: "done", details: { variantId, product: product?.title, size: variant?.size } });
          break;
        }
        case "consent.opt_out":
        case "consent.opt_in": {
          const optedIn = action.type === "consent.opt_in";
          const address = ctx.channel === "email" ? outcome.customer.email : outcome.customer.phone;
          if (!address) throw new Error("the customer has no address on this channel");
          const now = ctx.clock.now();
          const values = { status: optedIn ? ("opted_in" as const) : ("opted_out" as const), source: `keyword:${optedIn ? "START" : "STOP"}`, updatedAt: now };
          await ctx.db
            .insert(consents)
            .values({ shopId: ctx.shop.id, customerId: outcome.customer.id, channel: ctx.channel, address, sender: ctx.shopAddress, ...values })
            .onConflictDoUpdate({ target: [consents.shopId, consents.channel, consents.address, consents.sender], set: values });
          // Shown on the Shopify customer too, when the shop has one for her (best effort).
          if (outcome.customer.shopifyCustomerId && ctx.caps.customers.setConsent) {
            await ctx.caps.customers
              .setConsent(outcome.customer.shopifyCustomerId, ctx.channel, { granted: optedIn, at: now, source: `${ctx.channel}:${optedIn ? "START" : "STOP"}` })
              .catch((error: unknown) => ctx.logger.warn("consent not mirrored to Shopify", { error }));
          }
          outcome.actions.push({ type: action.type, status: "done", details: { channel: ctx.channel, sender: ctx.shopAddress } });
          break;
        }
        case "notify.merchant": {
          await notifyMerchant(ctx, outcome);
          outcome.actions.push({ type: "notify.merchant", status: "done", details: { reason: ctx.escalation.reason, urgent: ctx.escalation.urgent } });
          break;
        }
        case "reservation.extend":
        case "return_label.create":
          outcome.actions.push({ type: action.type, status: "skipped", details: { reason: "not planned by this engine version" } });
          break;
      }
    } catch (error) {
      if (error instanceof UnavailableError && action.type === "reservation.create") {
        outcome.template = "hold.unavailable";
        outcome.actions.push({ type: action.type, status: "failed", details: { reason: "no longer available", ...action.params } });
        continue;
      }
      ctx.logger.error("action failed", { action: action.type, error });
      outcome.actions.push({ type: action.type, status: "failed", details: { ...action.params, error: error instanceof Error ? error.message : String(error) } });
      if (action.type !== "notify.merchant") {
        // A failed action is the merchant's to look at, whatever the decision said.
        ctx.escalation.reason += `; ${action.type} failed`;
      }
    }
  }
  return outcome;
}

/** A hold for the customer, creating her Shopify customer first when the shop has none. */
async function reserve(ctx: ActContext, outcome: ActOutcome, params: Record<string, unknown>): Promise<string | null> {
  const variantId = String(params.variantId);
  const quantity = Number(params.quantity ?? 1);
  const product = ctx.catalogue.find((p) => p.id === params.productId);
  const variant = product?.variants.find((v) => v.id === variantId);
  let customer = outcome.customer;
  if (!customer.shopifyCustomerId) {
    if (!ctx.caps.customers.create) throw new Error("cannot create the customer in the shop");
    const created = await ctx.caps.customers.create({
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      email: customer.email,
      tags: ["coccinelle"],
    });
    const [updated] = await ctx.db
      .update(customers)
      .set({ shopifyCustomerId: created.id, firstName: customer.firstName ?? created.firstName, updatedAt: ctx.clock.now() })
      .where(and(eq(customers.shopId, ctx.shop.id), eq(customers.id, customer.id)))
      .returning();
    customer = updated ?? customer;
    outcome.customer = customer;
  }
  const availability = await ctx.caps.inventory.availability(variantId);
  const expiresAt = holdDeadline(ctx.shop.settings.policies.holdUntil, ctx.clock.now(), ctx.shop.timezone, ctx.shop.settings.openingHours);
  const hold = await placeHold(
    { db: ctx.db, clock: ctx.clock, holds: ctx.caps.holds },
    {
      shopId: ctx.shop.id,
      customerId: customer.id,
      providerCustomerId: customer.shopifyCustomerId ?? "",
      conversationId: ctx.conversationId,
      items: [
        {
          variantId,
          inventoryItemId: availability.inventoryItemId,
          sku: variant?.sku ?? null,
          productTitle: product?.title ?? "",
          size: variant?.size ?? null,
          quantity,
        },
      ],
      expiresAt,
      idempotencyKey: `${ctx.messageId}:${variantId}`,
    },
  );
  outcome.facts.hold = { productTitle: product?.title ?? "", size: variant?.size ?? null, expiresAt: hold.expiresAt.toISOString(), reminderAt: null };
  outcome.actions.push({
    type: "reservation.create",
    status: "done",
    details: { holdId: hold.id, product: product?.ref ?? product?.title, size: variant?.size ?? null, quantity, expiresAt: hold.expiresAt.toISOString(), forExchange: params.forExchange ?? null },
  });
  return hold.id;
}

async function requestReturn(ctx: ActContext, action: PlannedAction): Promise<Record<string, unknown> | null> {
  const order = ctx.order;
  if (!order || !ctx.caps.returns) return null;
  const wantedVariant = action.params.variantId ? String(action.params.variantId) : null;
  const wantedProduct = wantedVariant ? ctx.catalogue.find((p) => p.variants.some((v) => v.id === wantedVariant)) : null;
  // The line given back: the ordered line of the same product (another size), else every line.
  const lines = order.lines.filter((l) => !wantedProduct || wantedProduct.variants.some((v) => v.id === l.variantId));
  const returned = (lines.length ? lines : order.lines).map((l) => ({
    lineItemId: l.id,
    quantity: l.quantity,
    reason: action.type === "exchange.create" ? "exchange" : "return",
  }));
  if (returned.length === 0) return null;
  const result = await ctx.caps.returns.request({
    orderId: order.id,
    lines: returned,
    exchange: action.type === "exchange.create" && wantedVariant ? [{ variantId: wantedVariant, quantity: 1 }] : undefined,
    idempotencyKey: `${ctx.messageId}:${action.type}`,
  });
  return { orderName: order.name, returnId: result.id, returnName: result.name, status: result.status, way: action.params.way ?? null };
}

async function watch(ctx: ActContext, params: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  const order = ctx.order;
  if (!order || !ctx.watchShipment) return null;
  const fulfillment = order.fulfillments.find((f) => f.trackingNumber === params.trackingNumber) ?? order.fulfillments.find((f) => f.trackingNumber);
  if (!fulfillment) return null;
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(shipmentTrackings)
    .values({
      shopId: ctx.shop.id,
      orderId: order.id,
      orderName: order.name,
      fulfillmentId: fulfillment.id,
      company: fulfillment.trackingCompany,
      trackingNumber: fulfillment.trackingNumber,
      trackingUrl: fulfillment.trackingUrl,
      status: "in_transit",
      estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
      updatedAt: now,
    })
    .onConflictDoUpdate({ target: [shipmentTrackings.shopId, shipmentTrackings.fulfillmentId], set: { updatedAt: now } })
    .returning();
  if (!row) return null;
  // Watch until the customer's event, else two days past the announced delivery.
  const until = params.until ? new Date(String(params.until)) : new Date((fulfillment.estimatedDeliveryAt ?? now).getTime() + 48 * HOUR);
  await ctx.watchShipment({ shopId: ctx.shop.id, shipmentTrackingId: row.id, until });
  return { shipmentTrackingId: row.id, until: until.toISOString() };
}

async function notifyMerchant(ctx: ActContext, outcome: ActOutcome) {
  const now = ctx.clock.now();
  const who = [outcome.customer.firstName, outcome.customer.lastName].filter(Boolean).join(" ") || outcome.customer.phone || outcome.customer.email || "A customer";
  await ctx.db
    .update(conversations)
    .set({ status: "needs_merchant" })
    .where(and(eq(conversations.shopId, ctx.shop.id), eq(conversations.id, ctx.conversationId)));
  await ctx.db
    .insert(notifications)
    .values({
      shopId: ctx.shop.id,
      kind: "escalation",
      title: `${who} needs you${ctx.escalation.urgent ? " (urgent)" : ""}`,
      body: ctx.escalation.reason,
      data: { conversationId: ctx.conversationId, messageId: ctx.messageId, checked: ctx.escalation.checked },
      dedupeKey: `escalation:${ctx.messageId}`,
      createdAt: now,
    })
    .onConflictDoNothing();
}
