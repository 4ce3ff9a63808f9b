/**
 * handleInboundMessage(): one customer message, the four steps in order —
 * understand → decide → act → reply — each recorded on the message (DESIGN §2, §5).
 * No vendor here: the shop's capabilities, the understander and the delivery are passed in.
 */
import { and, eq } from "drizzle-orm";
import { customers, messages } from "../../db/schema";
import type { Database } from "~/db.server";
import { activeHolds } from "~/holds/holds.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { holdDeadline } from "~/holds/deadline";
import { atLocalTime, wallTime } from "~/lib/time-zone";
import type { ArmScheduledMessage } from "~/messaging/scheduling.server";
import type { OutboundMessage, ShopCustomer, ShopOrder, WhatsappTemplateRef } from "~/plugins/types";
import { ProviderError } from "~/plugins/types";
import { act, type ActCapabilities, type ActContext, type ActOutcome } from "./act.server";
import type { Language, ReplyFacts, ReplyTemplateId, SizeFact, UnderstandContext, Understanding } from "./contracts";
import { decide, lookupsFor, subject, type DecideContext, type LookupFacts } from "./decide.server";
import { findReplyTo, loadInboundContext, recordHandOver, storeEngineOutcome, type ConversationChanges, type HandOver, type MessageRow } from "./messages.server";
import type { Lookup, MessageRecord } from "./record";
import { checkGrounding, renderReply } from "./reply";

/** What the engine reaches a shop through (the act step's capabilities). */
export type ShopCapabilities = ActCapabilities;

export type DeliveryResult =
  | { kind: "sent"; providerMessageId: string; status: string }
  | { kind: "outbox"; reason: string };

export interface EngineDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Loaded models (createUnderstander) or models loaded on first use (createLazyUnderstander). */
  understander: { understand(text: string, ctx: UnderstandContext): Understanding | Promise<Understanding> };
  capabilities(shopDomain: string): Promise<ShopCapabilities>;
  /**
   * Hand a reply to the provider of `provider`, or keep it in the outbox when it cannot send.
   * `shopId`: whose credentials send it (the shop's own, saved in Settings, else the deployment's).
   */
  deliver(provider: string, message: OutboundMessage, shopId: string): Promise<DeliveryResult>;
  /** Starts the hourly watch of a shipment (intensive tracking), when the app can. */
  watchShipment?: (input: { shopId: string; shipmentTrackingId: string; until: Date }) => Promise<unknown>;
  /** Arms the delayed job of a scheduled message just stored (pickup reminder …). */
  armScheduledMessage?: ArmScheduledMessage;
}

export type EngineOutcome =
  | { outcome: "replied"; replyId: string; delivery: DeliveryResult["kind"] }
  | { outcome: "silent"; reason: string }
  | { outcome: "skipped"; reason: string };

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function handleInboundMessage(deps: EngineDeps, input: { shopId: string; messageId: string }): Promise<EngineOutcome> {
  const { db, clock } = deps;
  const loaded = await loadInboundContext(db, input.shopId, input.messageId);
  const inbound = loaded?.message;
  if (!inbound || inbound.direction !== "inbound") return { outcome: "skipped", reason: "no such inbound message" };
  if (inbound.status === "processed") return { outcome: "skipped", reason: "already processed" };

  // A retry after the reply was produced but not handed over: deliver that reply, do not rethink.
  if (loaded.reply) return deliverReply(deps, inbound, loaded.reply);

  const { shop, conversation } = loaded;
  let customer = loaded.customer;
  if (!shop || !conversation || !customer) return { outcome: "skipped", reason: "shop, conversation or customer missing" };
  if (conversation.aiPaused) {
    await db.update(messages).set({ status: "processed" }).where(eq(messages.id, inbound.id));
    return { outcome: "silent", reason: "the merchant took over this conversation" };
  }

  const started = performance.now();
  const now = clock.now();
  const caps = await deps.capabilities(shop.domain);
  const lookups: Lookup[] = [];
  const timed = async <T>(tool: string, args: Record<string, unknown>, run: () => Promise<T>, facts: (r: T) => Record<string, unknown>) => {
    const t0 = performance.now();
    const result = await run();
    lookups.push({ tool, input: args, output: facts(result), ms: round(performance.now() - t0) });
    return result;
  };

  // Who is writing: the shop's customer behind this phone or email (VIP tag, name), linked once.
  const shopCustomer: ShopCustomer | null = await timed(
    customer.phone ? "customers.findByPhone" : "customers.findByEmail",
    { address: customer.phone ?? customer.email },
    () => (customer?.phone ? caps.customers.findByPhone(customer.phone) : customer?.email ? caps.customers.findByEmail(customer.email) : Promise.resolve(null)),
    (c) => (c ? { id: c.id, firstName: c.firstName, lastName: c.lastName, tags: c.tags } : { found: false }),
  );
  if (shopCustomer && !customer.shopifyCustomerId) {
    const [updated] = await db
      .update(customers)
      .set({
        shopifyCustomerId: shopCustomer.id,
        firstName: customer.firstName ?? shopCustomer.firstName,
        lastName: customer.lastName ?? shopCustomer.lastName,
        locale: customer.locale ?? shopCustomer.locale,
        updatedAt: now,
      })
      .where(and(eq(customers.shopId, shop.id), eq(customers.id, customer.id)))
      .returning();
    customer = updated ?? customer;
  }

  // 1. understand
  const t1 = performance.now();
  const catalogue = await timed("inventory.listCatalogue", {}, () => caps.inventory.listCatalogue(), (c) => ({ products: c.length }));
  // The shop's main language (settings, else the shop's locale) when the message does not tell.
  const shopLanguage: Language = shop.settings.languages?.[0] ?? (shop.locale.startsWith("fr") ? "fr" : "en");
  const subjectLine = inbound.subject;
  const understanding: Understanding = await deps.understander.understand(inbound.body, {
    catalogue,
    shopLanguage,
    now,
    timeZone: shop.timezone,
    channel: inbound.channel,
    subject: subjectLine,
    pending: conversation.pending ?? null,
  });
  if (understanding.customerName && !customer.firstName) {
    const [named] = await db
      .update(customers)
      .set({ firstName: understanding.customerName.firstName, lastName: understanding.customerName.lastName ?? customer.lastName, updatedAt: now })
      .where(and(eq(customers.shopId, shop.id), eq(customers.id, customer.id)))
      .returning();
    customer = named ?? customer;
  }
  const understandMs = performance.now() - t1;

  // 2. decide: first what it needs to know, then what to do.
  const t2 = performance.now();
  const holds = await activeHolds({ db, clock }, shop.id, customer.id);
  const decideContext: DecideContext = {
    settings: shop.settings,
    channel: inbound.channel,
    now,
    pending: conversation.pending ?? null,
    focus: conversation.focus ?? null,
    customer: {
      vip: shopCustomer?.tags.some((t) => t.toLowerCase() === "vip") ?? false,
      optedOut: loaded.consentStatus === "opted_out",
      shopifyCustomerId: customer.shopifyCustomerId,
      usualSize: null,
    },
    activeHolds: holds.flatMap((h) => h.items.map((i) => ({ id: h.id, variantId: i.variantId, productTitle: i.productTitle, size: i.size }))),
    productVariantIds: (productId) => catalogue.find((p) => p.id === productId)?.variants.map((v) => v.id) ?? [],
  };
  let decideMs = performance.now() - t2;
  const facts: LookupFacts = { availability: {}, order: null, orderOwnedBySender: false, shipment: null, suggestions: [] };
  const t3 = performance.now();
  for (const lookup of lookupsFor(understanding, decideContext)) {
    if (lookup.tool === "inventory.availability") {
      const results = await Promise.all(
        lookup.variantIds.map((variantId) =>
          timed("inventory.availability", { variantId }, () => caps.inventory.availability(variantId), (a) => ({
            variantId: a.variantId,
            sku: catalogue.flatMap((p) => p.variants).find((v) => v.id === a.variantId)?.sku ?? null,
            // The size, for the merchant's inbox ("stock vérifié : 2 en 38").
            size: catalogue.flatMap((p) => p.variants).find((v) => v.id === a.variantId)?.size ?? null,
            available: a.available,
          })),
        ),
      );
      for (const r of results) facts.availability[r.variantId] = r.available;
    } else if (lookup.tool === "orders.byName" && caps.orders) {
      const orders = caps.orders;
      facts.order = await timed("orders.byName", { name: lookup.name }, () => orders.byName(lookup.name), orderFacts);
    } else if (lookup.tool === "orders.byCustomer" && caps.orders) {
      const orders = caps.orders;
      const list = await timed("orders.byCustomer", { customerId: lookup.customerId }, () => orders.byCustomer(lookup.customerId, 3), (l) => ({ orders: l.map((o) => o.name) }));
      facts.order = list[0] ?? null;
    } else if (lookup.tool === "suggestions") {
      // Her size: asked, else her usual one, else the size of what she bought last.
      let size = lookup.size;
      if (!size && caps.orders && customer.shopifyCustomerId) {
        const orders = caps.orders;
        const shopifyCustomerId = customer.shopifyCustomerId;
        const recent = await timed("orders.byCustomer", { customerId: shopifyCustomerId }, () => orders.byCustomer(shopifyCustomerId, 3), (l) => ({ orders: l.map((o) => o.name) }));
        size = recent.flatMap((o) => o.lines).find((l) => l.size)?.size ?? null;
      }
      facts.suggestions = await suggestions(caps, catalogue, { ...lookup, size }, timed);
    }
  }
  if (facts.order) facts.orderOwnedBySender = ownsOrder(facts.order, customer, inbound.fromAddress);
  const lookupsMs = performance.now() - t3;
  const t4 = performance.now();
  const decision = decide(understanding, decideContext, facts);
  decideMs += performance.now() - t4;

  // 3. act
  const t5 = performance.now();
  const checked = describeChecks(lookups, facts);
  const urgent = understanding.urgency === "urgent";
  const actContext: ActContext = {
      db,
      clock,
      logger: deps.logger,
      caps,
      shop: { id: shop.id, name: shop.name, timezone: shop.timezone, settings: shop.settings },
      customer,
      conversationId: conversation.id,
      messageId: inbound.id,
      channel: inbound.channel,
      shopAddress: inbound.toAddress,
      catalogue,
      order: facts.orderOwnedBySender ? facts.order : null,
      watchShipment: deps.watchShipment,
      armScheduledMessage: deps.armScheduledMessage,
      escalation: { reason: decision.reason, checked, urgent },
    };
  const outcome: ActOutcome = await act(actContext, decision.actions);
  customer = outcome.customer;
  const actMs = performance.now() - t5 + lookupsMs;

  // 4. reply, from facts the tools returned only.
  const t6 = performance.now();
  const about = subject(understanding, decideContext);
  const product = about ? (catalogue.find((p) => p.id === about.productId) ?? null) : null;
  const sizeFact = (variantId: string): SizeFact | null => {
    const v = product?.variants.find((x) => x.id === variantId);
    const available = facts.availability[variantId];
    return v && available !== undefined ? { size: v.size, available } : null;
  };
  const requestedVariant = understanding.variant?.id ?? decision.focus?.variantId ?? about?.variantId ?? null;
  const ownedOrder = facts.orderOwnedBySender ? facts.order : null;
  const replyFacts: ReplyFacts = {
    firstName: customer.firstName,
    shopName: shop.name,
    productTitle: product?.title ?? null,
    requestedSize: understanding.requestedSize,
    requested: requestedVariant ? sizeFact(requestedVariant) : null,
    sizes: (product?.variants ?? []).map((v) => sizeFact(v.id)).filter((s): s is SizeFact => s !== null),
    price: requestedVariant
      ? (product?.variants.find((v) => v.id === requestedVariant)?.price ?? null)
      : product && new Set(product.variants.map((v) => v.price)).size === 1
        ? (product.variants[0]?.price ?? null)
        : null,
    currency: shop.settings.currency ?? null,
    hold:
      outcome.facts.hold ??
      (decision.propose === "hold" && product
        ? {
            // The deadline a hold would have, for the proposal ("jusqu'à demain 18h ?").
            productTitle: product.title,
            size: requestedVariant ? (product.variants.find((v) => v.id === requestedVariant)?.size ?? null) : null,
            expiresAt: holdDeadline(shop.settings.policies.holdUntil, now, shop.timezone, shop.settings.openingHours).toISOString(),
            reminderAt: null,
          }
        : null),
    order: ownedOrder ? toOrderFacts(ownedOrder) : null,
    exchange: ownedOrder
      ? exchangeFacts(ownedOrder, product?.title ?? null, understanding.requestedSize, shop.settings.policies.exchangeFees, decision.template === "exchange.confirmed" ? understanding.choice : null)
      : null,
    returnPolicy: { windowDays: shop.settings.policies.returnWindowDays, deadline: ownedOrder ? returnDeadline(ownedOrder, shop.settings.policies.returnWindowDays) : null },
    store: storeFacts(shop.settings, shop.timezone, understanding, now),
    event: understanding.event,
  };
  let template: ReplyTemplateId = outcome.template ?? decision.template;
  const propose = outcome.template ? null : decision.propose;
  // A customer writing a language the shop does not answer in gets its main one.
  const replyLanguage: Language = shop.settings.languages && !shop.settings.languages.includes(understanding.language) ? shopLanguage : understanding.language;
  const render = (t: ReplyTemplateId, p: "hold" | null) =>
    renderReply({
      template: t,
      language: replyLanguage,
      channel: inbound.channel,
      tone: shop.settings.tone,
      timeZone: shop.timezone,
      facts: replyFacts,
      propose: p,
      now,
      replyToSubject: subjectLine,
      ...(shop.settings.templates?.reply ? { overrides: shop.settings.templates.reply } : {}),
    });
  let rendered = render(template, propose);
  let grounding = checkGrounding(rendered.text, [replyFacts, shop.settings.tone, shop.name], { timeZone: shop.timezone, language: replyLanguage, now });
  let escalate = decision.escalate || outcome.actions.some((a) => a.status === "failed");
  if (!grounding.ok) {
    deps.logger.warn("reply failed the grounding check; handing over to the merchant", { ungrounded: grounding.ungrounded, template });
    template = "handoff";
    escalate = true;
    rendered = render(template, null);
    grounding = { ok: true, ungrounded: [] };
  }
  const replyMs = performance.now() - t6;

  // The conversation's state for the next message, and what the merchant needs when she is needed.
  if (escalate && !outcome.actions.some((a) => a.type === "notify.merchant")) {
    const extra = await act({ ...actContext, customer, order: null, escalation: { reason: decision.reason, checked, urgent } }, [
      { type: "notify.merchant", needsConfirmation: false, params: {} },
    ]);
    outcome.actions.push(...extra.actions);
  }
  const conversationChanges: ConversationChanges = {
      // The first AI reply makes it an AI-handled conversation in the inbox (written once).
      ...(!decision.suppressReply && conversation.aiRepliedAt === null ? { aiRepliedAt: now } : {}),
      ...(decision.pending !== undefined ? { pending: decision.pending } : {}),
      ...(decision.focus !== undefined ? { focus: decision.focus } : {}),
      ...(escalate
        ? {
            status: "needs_merchant" as const,
            escalation: {
              reason: decision.reason,
              summary: summarize(understanding, customer, product?.title ?? null, facts.order?.name ?? null),
              checked,
              suggestedReply: decision.suppressReply || template.startsWith("handoff") ? suggestedReply(rendered.text, template, replyFacts, facts, understanding.language) : rendered.text,
              urgent,
              at: now.toISOString(),
            },
          }
        : {}),
  };

  const record: MessageRecord = {
    understanding: {
      language: understanding.language,
      intent: understanding.intent,
      confidence: understanding.confidence,
      entities: {
        product: understanding.product,
        requestedSize: understanding.requestedSize,
        variant: understanding.variant,
        quantity: understanding.quantity,
        orderName: understanding.orderName,
        trackingNumber: understanding.trackingNumber,
        visitAt: understanding.visitAt,
        event: understanding.event,
        urgency: understanding.urgency,
        sentiment: understanding.sentiment,
        customerName: understanding.customerName,
        choice: understanding.choice,
        keyword: understanding.keyword,
      },
    },
    lookups,
    decision: { kind: decision.kind, reason: decision.reason },
    actions: outcome.actions,
    reply: decision.suppressReply ? null : { template, language: understanding.language },
    timings: { understandMs: round(understandMs), decideMs: round(decideMs), actMs: round(actMs), replyMs: round(replyMs), totalMs: round(performance.now() - started) },
  };
  // One statement: the record, the conversation's state and the reply (each statement is a commit).
  const reply = await storeEngineOutcome(db, {
    shopId: input.shopId,
    inboundId: inbound.id,
    record: { ...record, sms: rendered.sms ?? null } as MessageRecord,
    conversationId: conversation.id,
    conversationChanges,
    reply: decision.suppressReply
      ? null
      : {
          conversationId: inbound.conversationId,
          customerId: inbound.customerId,
          direction: "outbound",
          author: "ai",
          channel: inbound.channel,
          provider: inbound.provider,
          fromAddress: inbound.toAddress,
          toAddress: inbound.fromAddress,
          body: rendered.text,
          subject: rendered.subject ?? null,
          html: rendered.html ?? null,
          status: "pending",
          inReplyTo: inbound.id,
          createdAt: clock.now(),
        },
  });
  if (decision.suppressReply) return { outcome: "silent", reason: decision.reason };
  if (!reply) {
    const other = await findReplyTo(db, input.shopId, inbound.id);
    if (!other) throw new Error("reply vanished after a unique conflict");
    return deliverReply(deps, inbound, other);
  }
  return deliverReply(deps, inbound, reply);
}

function orderFacts(o: ShopOrder | null): Record<string, unknown> {
  return o ? { name: o.name, status: o.fulfillmentStatus, fulfillments: o.fulfillments.map((f) => ({ status: f.status, tracking: f.trackingNumber })) } : { found: false };
}

/** The sender is the order's customer: same Shopify customer, or same phone or email. */
function ownsOrder(order: ShopOrder, customer: { shopifyCustomerId: string | null; phone: string | null; email: string | null }, from: string): boolean {
  if (customer.shopifyCustomerId && order.customerId === customer.shopifyCustomerId) return true;
  const norm = (s: string | null) => s?.trim().toLowerCase() ?? null;
  return [customer.phone, customer.email, from].some((a) => a !== null && (norm(a) === norm(order.phone) || norm(a) === norm(order.email)));
}

function toOrderFacts(order: ShopOrder): NonNullable<ReplyFacts["order"]> {
  const f = order.fulfillments.find((x) => x.trackingNumber) ?? order.fulfillments[0] ?? null;
  return {
    name: order.name,
    status: f?.deliveredAt ? "delivered" : (f?.status ?? order.fulfillmentStatus ?? "UNFULFILLED"),
    carrier: f?.trackingCompany ?? null,
    trackingNumber: f?.trackingNumber ?? null,
    trackingUrl: f?.trackingUrl ?? null,
    estimatedDeliveryAt: f?.estimatedDeliveryAt?.toISOString() ?? null,
    deliveredAt: f?.deliveredAt?.toISOString() ?? null,
    lastEvent: null,
  };
}

function exchangeFacts(
  order: ShopOrder,
  wanted: string | null,
  size: string | null,
  fees: { store: number; post: number } | undefined,
  chosen: number | null,
): NonNullable<ReplyFacts["exchange"]> {
  const line = order.lines[0];
  const money = (n: number) => (n === 0 ? null : n.toFixed(2));
  const options = [
    { id: 1, label: "store", fee: money(fees?.store ?? 0) },
    { id: 2, label: "post", fee: money(fees?.post ?? 0) },
  ];
  return {
    orderName: order.name,
    from: line ? `${line.title}${line.size ? ` (${line.size})` : ""}` : order.name,
    to: `${wanted ?? line?.title ?? ""}${size ? ` (${size})` : ""}`,
    // Once she has chosen, the confirmation speaks of her choice only.
    options: chosen ? options.filter((o) => o.id === chosen) : options,
  };
}

function returnDeadline(order: ShopOrder, days: number): string {
  const from = order.fulfillments.map((f) => f.deliveredAt).find((d): d is Date => d !== null) ?? order.createdAt;
  return new Date(from.getTime() + days * 24 * 3600_000).toISOString();
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function storeFacts(settings: { contact: { address: string | null; phone: string | null }; openingHours: NonNullable<ReplyFacts["store"]>["hours"] }, timeZone: string, u: Understanding, now: Date): ReplyFacts["store"] {
  // "demain" without an hour is the whole day: its local midnight, not now + 24 h.
  const asked = u.visitAt ? new Date(u.visitAt) : u.event ? new Date(u.event.at) : /demain|tomorrow/i.test(u.cleanText) ? atLocalTime(now, timeZone, 1, "00:00") : null;
  const day = asked ? { key: WEEKDAYS[wallTime(asked, timeZone).weekday] ?? "mon", date: asked.toISOString() } : null;
  return { address: settings.contact.address, phone: settings.contact.phone, hours: settings.openingHours, day };
}

async function suggestions(
  caps: ShopCapabilities,
  catalogue: ReadonlyArray<{ id: string; title: string; productType: string; variants: Array<{ id: string; size: string | null }> }>,
  wanted: { size: string | null; excludeProductId: string | null; types: string[] },
  timed: <T>(tool: string, args: Record<string, unknown>, run: () => Promise<T>, facts: (r: T) => Record<string, unknown>) => Promise<T>,
): Promise<LookupFacts["suggestions"]> {
  const { size, excludeProductId: exclude } = wanted;
  // "J'ai la robe bordeaux, quelle veste ?": the kinds asked for, not the kind she already has.
  const own = catalogue.find((p) => p.id === exclude)?.productType;
  const types = wanted.types.filter((t) => t !== own);
  const candidates = types.length ? catalogue.filter((p) => types.includes(p.productType)) : catalogue;
  const found: LookupFacts["suggestions"] = [];
  for (const product of candidates) {
    if (found.length >= 3 || product.id === exclude) continue;
    const variant = product.variants.find((v) => (size ? v.size === size : true));
    if (!variant) continue;
    const a = await timed("inventory.availability", { variantId: variant.id }, () => caps.inventory.availability(variant.id), (r) => ({ available: r.available }));
    if (a.available > 0) found.push({ productId: product.id, title: product.title, size: variant.size });
  }
  return found;
}

function describeChecks(lookups: Lookup[], facts: LookupFacts): string[] {
  const lines: string[] = [];
  const stock = lookups.filter((l) => l.tool === "inventory.availability" && l.output.sku);
  if (stock.length) lines.push(`stock: ${stock.map((l) => `${String(l.output.sku)} → ${String(l.output.available)}`).join(", ")}`);
  if (facts.order) lines.push(`order ${facts.order.name}: ${facts.order.fulfillmentStatus ?? "?"}${facts.orderOwnedBySender ? "" : " (sender is not its customer)"}`);
  if (facts.suggestions.length) lines.push(`in stock to suggest: ${facts.suggestions.map((s) => `${s.title}${s.size ? ` (${s.size})` : ""}`).join(", ")}`);
  return lines;
}

function summarize(u: Understanding, customer: { firstName: string | null; lastName: string | null; phone: string | null; email: string | null }, product: string | null, order: string | null): string {
  const who = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.phone || customer.email || "A customer";
  const about = [product, order].filter(Boolean).join(", ");
  return `${who} (${u.intent.replace(/_/g, " ")}${about ? `: ${about}` : ""}${u.urgency === "urgent" ? ", urgent" : ""}${u.sentiment === "negative" ? ", unhappy" : ""}): « ${u.cleanText.replace(/\s+/g, " ").trim().slice(0, 160)} »`;
}

/** A reply the merchant can send in one click: the AI's own when it held back, else a draft from what was checked. */
function suggestedReply(text: string, template: ReplyTemplateId, replyFacts: ReplyFacts, facts: LookupFacts, language: Language): string {
  if (!template.startsWith("handoff")) return text;
  const hello = language === "fr" ? `Bonjour${replyFacts.firstName ? ` ${replyFacts.firstName}` : ""} !` : `Hello${replyFacts.firstName ? ` ${replyFacts.firstName}` : ""}!`;
  if (facts.suggestions.length) {
    const list = facts.suggestions.map((s) => `${s.title}${s.size ? ` (${s.size})` : ""}`).join(", ");
    return language === "fr" ? `${hello} Je te propose : ${list}. Dis-moi ce qui te plaît !` : `${hello} I would suggest: ${list}. Let me know what you like!`;
  }
  return `${hello} `;
}

/** What the channel sends for a stored reply; an email threads under the customer's email. */
export function outboundOf(reply: MessageRow, answering: MessageRow | null): OutboundMessage {
  return {
    messageId: reply.id,
    channel: reply.channel,
    from: reply.fromAddress,
    to: reply.toAddress,
    body: reply.body,
    ...(reply.subject === null ? {} : { subject: reply.subject }),
    ...(reply.html === null ? {} : { html: reply.html }),
    ...(answering?.emailMessageId ? { inReplyTo: answering.emailMessageId } : {}),
  };
}

/** What became of a stored outbound message handed to its provider. */
export type OutboundDelivery = { status: "sent" | "outbox"; sentAt: Date } | { status: "failed"; error: string };

/**
 * Hand a stored outbound message (status "pending") to its provider and record the outcome on it:
 * sent (with the provider's id) or kept in the outbox; a provider's definitive refusal marks it
 * failed. A retryable error is thrown, the message left pending: the caller retries or gives up.
 * The AI's replies (below) and the merchant's replies from the inbox both go through here.
 */
export async function deliverOutbound(
  deps: Pick<EngineDeps, "db" | "clock" | "deliver">,
  message: MessageRow,
  answering: MessageRow | null,
  options: {
    /** WhatsApp outside the 24-hour window: the approved template carrying it (`body` is its text). */
    template?: WhatsappTemplateRef;
    /** The AI's reply: `answering` is marked processed with the outcome, in the same statement. */
    settlesAnswered?: boolean;
  } = {},
): Promise<OutboundDelivery> {
  const { db, clock } = deps;
  const settles = options.settlesAnswered && answering ? { inboundId: answering.id, receivedAt: answering.createdAt } : undefined;
  let handOver: HandOver;
  try {
    const result = await deps.deliver(message.provider, { ...outboundOf(message, answering), ...(options.template ? { template: options.template } : {}) }, message.shopId);
    handOver =
      result.kind === "sent"
        ? { status: "sent", providerMessageId: result.providerMessageId, sentAt: clock.now() }
        : { status: "outbox", reason: result.reason, sentAt: clock.now() };
  } catch (error) {
    if (!(error instanceof ProviderError) || error.details.retryable) throw error;
    handOver = { status: "failed", error: error.message };
  }
  await recordHandOver(db, message.shopId, message.id, handOver, settles);
  return handOver;
}

async function deliverReply(deps: EngineDeps, inbound: MessageRow, reply: MessageRow): Promise<EngineOutcome> {
  const { db } = deps;
  if (reply.status !== "pending") {
    await db.update(messages).set({ status: "processed" }).where(eq(messages.id, inbound.id));
    return { outcome: "skipped", reason: `reply already ${reply.status}` };
  }
  // A retryable error is thrown: the job retries with backoff and delivers this same reply.
  const delivered = await deliverOutbound(deps, reply, inbound, { settlesAnswered: true });
  if (delivered.status === "failed") {
    deps.logger.error("provider refused the reply", { messageId: reply.id, error: delivered.error });
    return { outcome: "replied", replyId: reply.id, delivery: "sent" };
  }
  return { outcome: "replied", replyId: reply.id, delivery: delivered.status };
}
