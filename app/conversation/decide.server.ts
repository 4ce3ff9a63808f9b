/**
 * Step 2 — decide. Pure and table-tested (decide.server.test.ts): no I/O, no clock of its own.
 * In two phases, because some choices depend on what the tools say:
 *   1. `lookupsFor(understanding, context)` — the data the intent needs;
 *   2. `decide(understanding, context, facts)` — what to do with it: the actions allowed
 *      automatically, those that need the customer's yes (a pending proposal), the reply, and
 *      whether the merchant is needed (styling, complaints, a human asked for, low confidence,
 *      an urgent VIP: answer AND escalate).
 */
import type { ShopSettings } from "~/shops/settings";
import type { ShopOrder, Shipment } from "~/plugins/types";
import type { AutomationLevel, ChannelKind, PendingProposal, PlannedAction, ReplyTemplateId, Understanding } from "./contracts";
import type { Intent } from "./record";

/** Below this the engine does not answer alone (DESIGN §5). */
export const MIN_CONFIDENCE = 0.5;

export interface DecideContext {
  settings: ShopSettings;
  channel: ChannelKind;
  now: Date;
  /** What the AI proposed last. */
  pending: PendingProposal | null;
  /** The product the conversation is about. */
  focus: { productId: string; variantId: string | null } | null;
  customer: { vip: boolean; optedOut: boolean; shopifyCustomerId: string | null; usualSize: string | null };
  activeHolds: Array<{ id: string; variantId: string; productTitle: string; size: string | null }>;
  /** Variant ids of a product, in catalogue order. */
  productVariantIds(productId: string): string[];
}

export type LookupRequest =
  | { tool: "inventory.availability"; variantIds: string[] }
  | { tool: "orders.byName"; name: string }
  | { tool: "orders.byCustomer"; customerId: string }
  /** Products in stock to suggest: of the kinds named (any kind when none), in her size when known. */
  | { tool: "suggestions"; size: string | null; excludeProductId: string | null; types: string[] };

export interface LookupFacts {
  /** variant id → units available now. */
  availability: Record<string, number>;
  order: ShopOrder | null;
  /** The sender's phone/email is the order's customer's (DESIGN §5 identity). */
  orderOwnedBySender: boolean;
  shipment: Shipment | null;
  suggestions: Array<{ productId: string; title: string; size: string | null }>;
}

export interface Decision {
  kind: "answer" | "act" | "ask" | "escalate";
  reason: string;
  template: ReplyTemplateId;
  /** A proposal ending the reply ("je te la mets de côté ?"). */
  propose: "hold" | null;
  actions: PlannedAction[];
  /** The conversation goes to the merchant's "Needs you". */
  escalate: boolean;
  /** No reply goes out (automation "suggest"/"off", opted out): the merchant gets it to send. */
  suppressReply: boolean;
  /** The conversation's next pending proposal: undefined keeps it, null clears it. */
  pending: PendingProposal | null | undefined;
  /** The product the conversation is now about. */
  focus: { productId: string; variantId: string | null } | null | undefined;
}

/** The product and variant a message means: its own words first, then the conversation's focus. */
export function subject(u: Understanding, ctx: DecideContext): { productId: string; variantId: string | null } | null {
  if (u.product) {
    const id = u.product.id;
    // The same product without a new size keeps the variant the conversation was about.
    const remembered = u.requestedSize
      ? null
      : ctx.pending?.kind === "hold" && ctx.pending.productId === id
        ? ctx.pending.variantId
        : ctx.focus?.productId === id
          ? ctx.focus.variantId
          : null;
    return { productId: id, variantId: u.variant?.id ?? remembered };
  }
  if (ctx.pending?.kind === "hold") return { productId: ctx.pending.productId, variantId: ctx.pending.variantId };
  if (ctx.focus) {
    // "et en 40 ?" keeps the product and changes the size.
    if (u.requestedSize && !u.variant) return { productId: ctx.focus.productId, variantId: null };
    return ctx.focus;
  }
  return null;
}

const ORDER_INTENTS = new Set<Intent>(["order_status", "exchange_request", "return_request"]);
const STOCK_INTENTS = new Set<Intent>(["product_availability", "product_info", "reservation_request", "back_in_stock", "confirm"]);

export function lookupsFor(u: Understanding, ctx: DecideContext): LookupRequest[] {
  const lookups: LookupRequest[] = [];
  const about = subject(u, ctx);
  if (about && (STOCK_INTENTS.has(u.intent) || (u.intent === "exchange_request" && u.requestedSize))) {
    lookups.push({ tool: "inventory.availability", variantIds: ctx.productVariantIds(about.productId) });
  }
  if (ORDER_INTENTS.has(u.intent) || (ctx.pending?.kind === "exchange_choice" && u.choice !== null)) {
    const name = u.orderName ?? (ctx.pending && "orderName" in ctx.pending ? ctx.pending.orderName : null);
    if (name) lookups.push({ tool: "orders.byName", name });
    else if (ctx.customer.shopifyCustomerId) lookups.push({ tool: "orders.byCustomer", customerId: ctx.customer.shopifyCustomerId });
  }
  if (u.intent === "styling_advice") {
    lookups.push({ tool: "suggestions", size: u.requestedSize ?? ctx.customer.usualSize, excludeProductId: about?.productId ?? null, types: u.productTypes });
  }
  return lookups;
}

function automation(ctx: DecideContext, intent: Intent): AutomationLevel {
  return ctx.settings.automation?.[intent] ?? "auto";
}

function base(partial: Partial<Decision> & Pick<Decision, "kind" | "reason" | "template">): Decision {
  return { propose: null, actions: [], escalate: false, suppressReply: false, pending: undefined, focus: undefined, ...partial };
}

const handoff = (template: ReplyTemplateId, reason: string): Decision => base({ kind: "escalate", reason, template, escalate: true, pending: null });

/** Variant chosen for a hold or an availability answer: the one named, else the only one. */
function chosenVariant(u: Understanding, ctx: DecideContext, about: { productId: string; variantId: string | null }): string | null {
  if (u.variant && u.product?.id === about.productId) return u.variant.id;
  if (about.variantId) return about.variantId;
  const ids = ctx.productVariantIds(about.productId);
  return ids.length === 1 ? (ids[0] ?? null) : null;
}

/**
 * Text that tries to instruct the assistant ("[ADMIN: …]", "ignore tes instructions", "system:").
 * Customer text is data (DESIGN §5): such a message may be answered, never acted upon.
 */
const INJECTION = /\[(admin|system|syst[eè]me|instructions?)\b|\b(ignore|oublie|forget)\b.{0,30}\b(instructions?|consignes|r[eè]gles|rules|prompt)\b|\b(system|syst[eè]me)\s*:|\byou are now\b|\btu es maintenant\b|\bmode (admin|d[ée]veloppeur|developer)\b/i;

export function looksLikeInjection(text: string): boolean {
  return INJECTION.test(text);
}

/** Actions that change the shop or the customer's state: never taken on an injected instruction. */
const STATE_CHANGING = new Set(["reservation.create", "reservation.cancel", "reservation.extend", "exchange.create", "return.create", "return_label.create", "consent.opt_out", "consent.opt_in", "back_in_stock.subscribe", "reminder.schedule"]);

export function decide(u: Understanding, ctx: DecideContext, facts: LookupFacts): Decision {
  const decision = decideIntent(u, ctx, facts);
  if (looksLikeInjection(u.cleanText) && !u.keyword) {
    decision.actions = decision.actions.filter((a) => !STATE_CHANGING.has(a.type));
    if (decision.template === "hold.confirmed") decision.template = "availability.variant";
    decision.propose = null;
    decision.pending = null;
    decision.escalate = true;
    decision.reason += "; the message tries to give instructions: nothing done, merchant informed";
  }
  // An unhappy customer gets her answer AND Sarah's attention (DESIGN §5: complaints).
  if (u.sentiment === "negative" && !u.keyword && !decision.escalate && u.intent !== "opt_out") {
    decision.escalate = true;
    decision.reason += "; the customer is unhappy";
  }
  // An urgent VIP is answered AND handed to the merchant (DESIGN §5).
  if (ctx.customer.vip && u.urgency === "urgent" && !decision.escalate) {
    decision.escalate = true;
    decision.reason += "; urgent VIP";
  }
  // The shop's automation level for the intent: "suggest" prepares, "off" only hands over.
  const level = u.keyword ? "auto" : automation(ctx, u.intent);
  if (level !== "auto") {
    decision.escalate = true;
    decision.suppressReply = true;
    decision.reason += `; automation for ${u.intent} is "${level}"`;
    if (level === "off") decision.actions = decision.actions.filter((a) => a.type === "notify.merchant");
    else decision.actions = decision.actions.filter((a) => a.type.startsWith("consent.") || a.type === "notify.merchant");
  }
  // An opted-out identity is never messaged (DESIGN §8); START is the way back.
  if (ctx.customer.optedOut && u.keyword !== "start") {
    decision.suppressReply = true;
    decision.reason += "; customer opted out: no reply";
  }
  if (decision.escalate && !decision.actions.some((a) => a.type === "notify.merchant")) {
    decision.actions.push({ type: "notify.merchant", needsConfirmation: false, params: { reason: decision.reason, urgent: u.urgency === "urgent" } });
  }
  return decision;
}

function decideIntent(u: Understanding, ctx: DecideContext, facts: LookupFacts): Decision {
  // Keywords win over everything (carrier rules: STOP must work whatever else the text says).
  if (u.keyword === "stop") {
    return base({ kind: "act", reason: "opt-out keyword", template: "opt_out.confirmed", actions: [{ type: "consent.opt_out", needsConfirmation: false, params: {} }], pending: null });
  }
  if (u.keyword === "start") {
    return base({ kind: "act", reason: "opt-in keyword", template: "opt_in.confirmed", actions: [{ type: "consent.opt_in", needsConfirmation: false, params: {} }] });
  }
  if (u.keyword === "help") return base({ kind: "answer", reason: "help keyword", template: "help" });

  const about = subject(u, ctx);
  const lowConfidence = u.confidence < MIN_CONFIDENCE && !(ctx.pending && (u.intent === "confirm" || u.intent === "decline" || u.choice !== null));
  if (lowConfidence) return handoff("handoff", `not understood well enough to answer alone (confidence ${u.confidence})`);

  switch (u.intent) {
    case "greeting":
      return base({ kind: "answer", reason: "greeting", template: "greeting" });

    case "product_availability":
    case "product_info": {
      if (!about) return base({ kind: "ask", reason: "product not identified", template: "ask.product" });
      const variantId = chosenVariant(u, ctx, about);
      const focus = { productId: about.productId, variantId };
      if (u.requestedSize && !variantId) {
        return base({ kind: "answer", reason: `size ${u.requestedSize} not offered`, template: "availability.size_not_offered", focus });
      }
      if (!variantId) return base({ kind: "answer", reason: "availability of every size", template: "availability.product", focus, pending: { kind: "size", productId: about.productId, proposedAt: ctx.now.toISOString() } });
      const available = facts.availability[variantId] ?? 0;
      if (available > 0) {
        return base({
          kind: "answer",
          reason: "in stock: offer to put it aside",
          template: "availability.variant",
          propose: "hold",
          focus,
          pending: { kind: "hold", productId: about.productId, variantId, quantity: u.quantity ?? 1, proposedAt: ctx.now.toISOString() },
        });
      }
      return base({ kind: "answer", reason: "out of stock in that size", template: "availability.variant", focus, pending: null });
    }

    case "reservation_request":
    case "confirm": {
      // "ARRÊTE de me garder le jean", "je n'en veux plus": a hold to stop, not to make.
      if (u.intent === "reservation_request" && /\b(arr[eê]te[rz]?|annule[rz]?|plus besoin|cancel|stop keeping|no longer)\b|\bne\b.{1,40}\bplus\b|\bn'.{1,40}\bplus\b/i.test(u.cleanText)) {
        return decideIntent({ ...u, intent: "reservation_cancel" }, ctx, facts);
      }
      if (u.intent === "confirm" && ctx.pending?.kind === "exchange_choice" && u.choice !== null) return exchangeChoice(u, ctx, facts);
      if (u.intent === "confirm" && ctx.pending?.kind !== "hold") return base({ kind: "answer", reason: "a yes with nothing pending", template: "thanks" });
      if (!about) return base({ kind: "ask", reason: "which item to put aside", template: "ask.product" });
      const variantId = chosenVariant(u, ctx, about);
      if (!variantId) return base({ kind: "ask", reason: "which size to put aside", template: "ask.size", focus: { productId: about.productId, variantId: null } });
      if (ctx.activeHolds.length >= ctx.settings.policies.maxItemsPerCustomer) {
        return base({ kind: "answer", reason: "hold limit reached", template: "hold.limit", pending: null });
      }
      if ((facts.availability[variantId] ?? 0) < 1) {
        return base({ kind: "answer", reason: "no unit left to put aside", template: "hold.unavailable", pending: null, focus: { productId: about.productId, variantId } });
      }
      const quantity = ctx.pending?.kind === "hold" ? ctx.pending.quantity : (u.quantity ?? 1);
      const actions: PlannedAction[] = [{ type: "reservation.create", needsConfirmation: false, params: { productId: about.productId, variantId, quantity } }];
      if (u.visitAt) actions.push({ type: "reminder.schedule", needsConfirmation: false, params: { kind: "pickup_reminder", visitAt: u.visitAt } });
      return base({ kind: "act", reason: "put aside as asked", template: "hold.confirmed", actions, pending: null, focus: { productId: about.productId, variantId } });
    }

    case "decline": {
      if (ctx.pending?.kind === "hold") return base({ kind: "answer", reason: "hold proposal declined", template: "hold.declined", pending: null });
      if (ctx.pending) return base({ kind: "answer", reason: "proposal declined", template: "hold.declined", pending: null });
      return base({ kind: "answer", reason: "a no with nothing pending", template: "thanks" });
    }

    case "reservation_cancel": {
      const hold = pickHold(u, ctx);
      if (!hold) return base({ kind: "answer", reason: "no active hold to cancel", template: "hold.none", pending: null });
      return base({ kind: "act", reason: "cancel the hold as asked", template: "hold.cancelled", actions: [{ type: "reservation.cancel", needsConfirmation: false, params: { holdId: hold.id } }], pending: null });
    }

    case "order_status": {
      const verdict = orderAccess(facts);
      if (verdict) return verdict;
      const actions: PlannedAction[] = [];
      // A parcel marked delivered that she has not received, or a delivery to change: the
      // merchant's to handle with the carrier (answer AND hand over).
      const dispute =
        (facts.order?.fulfillments.some((f) => f.deliveredAt) && /pas (re[çc]u|eu)|jamais re[çc]u|not (received|arrived)|never (got|received|arrived)|didn'?t (get|receive)/i.test(u.cleanText)) ||
        /adresse|address|livrer (ailleurs|chez)|deliver (it )?(to|elsewhere)/i.test(u.cleanText);
      const urgent = u.urgency === "urgent" || Boolean(dispute);
      if (urgent && facts.order && !facts.order.fulfillments.some((f) => f.deliveredAt)) {
        const trackingNumber = facts.order.fulfillments.find((f) => f.trackingNumber)?.trackingNumber ?? null;
        if (trackingNumber) actions.push({ type: "tracking.watch", needsConfirmation: false, params: { orderName: facts.order.name, trackingNumber, until: u.event?.at ?? null } });
      }
      return base({ kind: actions.length ? "act" : "answer", reason: urgent ? "urgent order: answer and hand over" : "order status", template: "order.status", actions, escalate: urgent, pending: null });
    }

    case "exchange_request": {
      const verdict = orderAccess(facts);
      if (verdict) return verdict;
      const order = facts.order;
      if (!order) return base({ kind: "ask", reason: "which order", template: "order.which" });
      if (outsideReturnWindow(order, ctx)) return handoff("return.outside_window", "exchange asked after the return window");
      // Not shipped yet: changing the order itself is the merchant's decision.
      if (order.fulfillments.length === 0) return handoff("handoff", "exchange asked on an order not shipped yet");
      // The size she wants is put aside for her while she chooses how to exchange (seeds: Emma).
      const wanted = about ? chosenVariant(u, ctx, about) : null;
      const actions: PlannedAction[] =
        about && wanted && (facts.availability[wanted] ?? 0) > 0
          ? [{ type: "reservation.create", needsConfirmation: false, params: { productId: about.productId, variantId: wanted, quantity: 1, forExchange: order.name } }]
          : [];
      return base({
        kind: actions.length ? "act" : "answer",
        reason: "exchange: two ways to do it",
        template: "exchange.options",
        actions,
        pending: { kind: "exchange_choice", orderName: order.name, options: [{ id: 1, label: "store" }, { id: 2, label: "post" }], proposedAt: ctx.now.toISOString() },
        focus: about ? { productId: about.productId, variantId: chosenVariant(u, ctx, about) } : undefined,
      });
    }

    case "return_request": {
      const verdict = orderAccess(facts);
      if (verdict) return verdict;
      const order = facts.order;
      if (!order) return base({ kind: "ask", reason: "which order", template: "order.which" });
      if (outsideReturnWindow(order, ctx)) return handoff("return.outside_window", "return asked after the return window");
      return base({ kind: "act", reason: "return within the window", template: "return.instructions", actions: [{ type: "return.create", needsConfirmation: false, params: { orderName: order.name } }], pending: null });
    }

    case "store_info":
      return base({ kind: "answer", reason: "store information", template: /adress|address|où|where|situ/i.test(u.cleanText) ? "store.address" : "store.hours" });

    case "back_in_stock": {
      if (!about) return base({ kind: "ask", reason: "which item to watch", template: "ask.product" });
      const variantId = chosenVariant(u, ctx, about);
      if (!variantId) return base({ kind: "ask", reason: "which size to watch", template: "ask.size", focus: { productId: about.productId, variantId: null } });
      if ((facts.availability[variantId] ?? 0) > 0) {
        return base({ kind: "answer", reason: "already back in stock", template: "back_in_stock.already_available", propose: "hold", pending: { kind: "hold", productId: about.productId, variantId, quantity: 1, proposedAt: ctx.now.toISOString() } });
      }
      return base({ kind: "act", reason: "alert when back", template: "back_in_stock.subscribed", actions: [{ type: "back_in_stock.subscribe", needsConfirmation: false, params: { productId: about.productId, variantId } }] });
    }

    case "styling_advice":
      return handoff("handoff.styling", "styling advice is the merchant's");
    case "complaint":
      return handoff("handoff.complaint", "complaint");
    case "human_request":
      return handoff("handoff.human", "the customer asked for a person");
    case "opt_out": {
      // "arrêter ma réservation" stops a hold, not the messages.
      if (/r[ée]servation|resa\b|commande|\border\b|\bhold\b/i.test(u.cleanText)) {
        return decideIntent({ ...u, intent: "reservation_cancel" }, ctx, facts);
      }
      // Only the sender opts herself out; a request naming someone else is the merchant's.
      if (u.customerName || /\b([dD][ée]sinscri[st]|[uU]nsubscribe|[rR]emove)\s+(?!moi\b|me\b|myself\b)[A-ZÉ][a-zé]+/u.test(u.cleanText)) {
        return handoff("handoff", "opt-out asked for someone else");
      }
      return base({ kind: "act", reason: "opt-out asked in words", template: "opt_out.confirmed", actions: [{ type: "consent.opt_out", needsConfirmation: false, params: {} }], pending: null });
    }
    case "other":
      if (ctx.pending?.kind === "exchange_choice" && u.choice !== null) return exchangeChoice(u, ctx, facts);
      return handoff("handoff", "not a request the AI handles");
  }
}

function exchangeChoice(u: Understanding, ctx: DecideContext, facts: LookupFacts): Decision {
  const verdict = orderAccess(facts);
  if (verdict) return verdict;
  if (!facts.order || ctx.pending?.kind !== "exchange_choice") return base({ kind: "ask", reason: "which order", template: "order.which" });
  const option = ctx.pending.options.find((o) => o.id === u.choice);
  if (!option) return base({ kind: "ask", reason: "option not understood", template: "exchange.options" });
  return base({
    kind: "act",
    reason: `exchange by ${option.label}`,
    template: "exchange.confirmed",
    actions: [{ type: "exchange.create", needsConfirmation: false, params: { orderName: facts.order.name, way: option.label, variantId: ctx.focus?.variantId ?? null } }],
    pending: null,
  });
}

/** Order details go only to the order's own customer (DESIGN §5 identity). */
function orderAccess(facts: LookupFacts): Decision | null {
  if (!facts.order) return null;
  if (!facts.orderOwnedBySender) {
    return base({ kind: "ask", reason: "sender is not the order's customer: verify before telling anything", template: "order.verify_identity", escalate: true, pending: null });
  }
  return null;
}

function outsideReturnWindow(order: ShopOrder, ctx: DecideContext): boolean {
  const delivered = order.fulfillments.map((f) => f.deliveredAt).find((d): d is Date => d !== null) ?? order.createdAt;
  const deadline = delivered.getTime() + ctx.settings.policies.returnWindowDays * 24 * 3600_000;
  return ctx.now.getTime() > deadline;
}

function pickHold(u: Understanding, ctx: DecideContext) {
  if (u.product) {
    const matching = ctx.activeHolds.find((h) => h.variantId === u.variant?.id) ?? ctx.activeHolds.find((h) => ctx.productVariantIds(u.product?.id ?? "").includes(h.variantId));
    if (matching) return matching;
  }
  return ctx.activeHolds[ctx.activeHolds.length - 1] ?? null;
}
