/**
 * handleInboundMessage(): one customer message, the four steps in order —
 * understand → decide → act → reply — each recorded on the message (DESIGN §2, §5).
 * No vendor here: the shop's capabilities and the delivery of replies are passed in.
 */
import { and, eq } from "drizzle-orm";
import { conversations, customers, messages, shops } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import type { Customers, Holds, Inventory, OutboundMessage, VariantAvailability } from "~/plugins/types";
import { ProviderError } from "~/plugins/types";
import { decide } from "./decide.server";
import { findReplyTo, getCustomer, getMessage, type MessageRow } from "./messages.server";
import type { ActionRecord, Lookup, MessageRecord } from "./record";
import { checkGrounding } from "./reply/grounding";
import { renderReply, type ReplyFacts, type SizeFact } from "./reply/templates";
import { understand } from "./understand";
import type { Language } from "./understand/language";

export interface ShopCapabilities {
  inventory: Inventory;
  customers: Customers;
  holds: Holds;
}

export type DeliveryResult =
  | { kind: "sent"; providerMessageId: string; status: string }
  | { kind: "outbox"; reason: string };

export interface EngineDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  capabilities(shopDomain: string): Promise<ShopCapabilities>;
  /** Hand a reply to the provider of `provider`, or keep it in the outbox when it cannot send. */
  deliver(provider: string, message: OutboundMessage): Promise<DeliveryResult>;
}

export type EngineOutcome =
  | { outcome: "replied"; replyId: string; delivery: DeliveryResult["kind"] }
  | { outcome: "skipped"; reason: string };

export async function handleInboundMessage(
  deps: EngineDeps,
  input: { shopId: string; messageId: string },
): Promise<EngineOutcome> {
  const { db, clock } = deps;
  const inbound = await getMessage(db, input.shopId, input.messageId);
  if (!inbound || inbound.direction !== "inbound") return { outcome: "skipped", reason: "no such inbound message" };
  if (inbound.status === "processed") return { outcome: "skipped", reason: "already processed" };

  // A retry after the reply was produced but not handed over: deliver that reply, do not rethink.
  const existing = await findReplyTo(db, input.shopId, inbound.id);
  if (existing) return deliverReply(deps, inbound, existing);

  await db.update(messages).set({ status: "processing" }).where(eq(messages.id, inbound.id));
  const started = performance.now();
  const [shop] = await db.select().from(shops).where(eq(shops.id, input.shopId)).limit(1);
  if (!shop) return { outcome: "skipped", reason: "shop not found" };
  const caps = await deps.capabilities(shop.domain);
  const lookups: Lookup[] = [];
  const timed = async <T>(tool: string, inputArgs: Record<string, unknown>, run: () => Promise<T>, facts: (r: T) => Record<string, unknown>) => {
    const t0 = performance.now();
    const result = await run();
    lookups.push({ tool, input: inputArgs, output: facts(result), ms: round(performance.now() - t0) });
    return result;
  };

  // Who is writing: link the messaging identity to the shop's customer on first contact.
  let customer = await getCustomer(db, input.shopId, inbound.customerId);
  if (customer && !customer.shopifyCustomerId && customer.phone) {
    const phone = customer.phone;
    const found = await timed("customers.findByPhone", { phone }, () => caps.customers.findByPhone(phone), (c) =>
      c ? { id: c.id, firstName: c.firstName, lastName: c.lastName } : { found: false },
    );
    if (found) {
      const [updated] = await db
        .update(customers)
        .set({
          shopifyCustomerId: found.id,
          firstName: customer.firstName ?? found.firstName,
          lastName: customer.lastName ?? found.lastName,
          locale: customer.locale ?? found.locale,
          updatedAt: clock.now(),
        })
        .where(and(eq(customers.shopId, input.shopId), eq(customers.id, customer.id)))
        .returning();
      customer = updated ?? customer;
    }
  }

  // 1. understand
  const t1 = performance.now();
  const catalogue = await timed("inventory.listCatalogue", {}, () => caps.inventory.listCatalogue(), (c) => ({ products: c.length }));
  const shopLanguage: Language = shop.locale.startsWith("fr") ? "fr" : "en";
  const understanding = understand(inbound.body, { catalogue, shopLanguage });
  const understandMs = performance.now() - t1;

  // 2. decide
  const t2 = performance.now();
  const product = understanding.product ? catalogue.find((p) => p.id === understanding.product?.id) ?? null : null;
  const decision = decide(understanding, {
    productVariantIds: (productId) => catalogue.find((p) => p.id === productId)?.variants.map((v) => v.id) ?? [],
  });
  const decideMs = performance.now() - t2;

  // 3. act: the lookups the decision asked for, then the actions.
  const t3 = performance.now();
  const availability = new Map<string, VariantAvailability>();
  for (const lookup of decision.lookups) {
    if (lookup.tool === "inventory.availability") {
      const results = await Promise.all(
        lookup.variantIds.map((variantId) =>
          timed("inventory.availability", { variantId }, () => caps.inventory.availability(variantId), (a) => ({
            variantId: a.variantId,
            sku: product?.variants.find((v) => v.id === a.variantId)?.sku ?? null,
            available: a.available,
            locations: a.locations.map((l) => ({ name: l.locationName, available: l.available })),
          })),
        ),
      );
      for (const r of results) availability.set(r.variantId, r);
    }
  }
  const actions: ActionRecord[] = [];
  let escalate = decision.escalate;
  const actMs = performance.now() - t3;

  // 4. reply, from facts the tools returned only.
  const t4 = performance.now();
  const sizeFact = (variantId: string): SizeFact | null => {
    const a = availability.get(variantId);
    const v = product?.variants.find((x) => x.id === variantId);
    return a && v ? { size: v.size, available: a.available } : null;
  };
  const facts: ReplyFacts = {
    firstName: customer?.firstName ?? null,
    shopName: shop.name,
    productTitle: product?.title ?? null,
    requestedSize: understanding.requestedSize,
    requested: understanding.variant ? sizeFact(understanding.variant.id) : null,
    sizes: (product?.variants ?? []).map((v) => sizeFact(v.id)).filter((s): s is SizeFact => s !== null),
  };
  let template = decision.template;
  let body = renderReply({ template, language: understanding.language, tone: shop.settings.tone, facts });
  const grounding = checkGrounding(body, [facts, shop.settings.tone, shop.name]);
  if (!grounding.ok) {
    deps.logger.warn("reply failed the grounding check; handing over to the merchant", { ungrounded: grounding.ungrounded });
    template = "handoff";
    escalate = true;
    body = renderReply({ template, language: understanding.language, tone: shop.settings.tone, facts });
  }
  const replyMs = performance.now() - t4;

  if (escalate) {
    await db
      .update(conversations)
      .set({ status: "needs_merchant" })
      .where(and(eq(conversations.shopId, input.shopId), eq(conversations.id, inbound.conversationId)));
    actions.push({ type: "notify.merchant", status: "done", details: { reason: decision.reason } });
  }

  const record: MessageRecord = {
    understanding: {
      language: understanding.language,
      intent: understanding.intent,
      confidence: understanding.confidence,
      entities: {
        product: understanding.product,
        requestedSize: understanding.requestedSize,
        variant: understanding.variant,
      },
    },
    lookups,
    decision: { kind: decision.kind, reason: grounding.ok ? decision.reason : `grounding check failed: ${grounding.ungrounded.join(", ")}` },
    actions,
    reply: { template, language: understanding.language },
    timings: {
      understandMs: round(understandMs),
      decideMs: round(decideMs),
      actMs: round(actMs),
      replyMs: round(replyMs),
      totalMs: round(performance.now() - started),
    },
  };
  await db.update(messages).set({ record }).where(eq(messages.id, inbound.id));

  const [reply] = await db
    .insert(messages)
    .values({
      shopId: input.shopId,
      conversationId: inbound.conversationId,
      customerId: inbound.customerId,
      direction: "outbound",
      author: "ai",
      channel: inbound.channel,
      provider: inbound.provider,
      fromAddress: inbound.toAddress,
      toAddress: inbound.fromAddress,
      body,
      status: "pending",
      inReplyTo: inbound.id,
      createdAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!reply) {
    const other = await findReplyTo(db, input.shopId, inbound.id);
    if (!other) throw new Error("reply vanished after a unique conflict");
    return deliverReply(deps, inbound, other);
  }
  return deliverReply(deps, inbound, reply);
}

async function deliverReply(deps: EngineDeps, inbound: MessageRow, reply: MessageRow): Promise<EngineOutcome> {
  const { db, clock } = deps;
  if (reply.status !== "pending") {
    await db.update(messages).set({ status: "processed" }).where(eq(messages.id, inbound.id));
    return { outcome: "skipped", reason: `reply already ${reply.status}` };
  }
  let result: DeliveryResult;
  try {
    result = await deps.deliver(reply.provider, {
      messageId: reply.id,
      channel: reply.channel,
      from: reply.fromAddress,
      to: reply.toAddress,
      body: reply.body,
    });
  } catch (error) {
    if (error instanceof ProviderError && !error.details.retryable) {
      await db.update(messages).set({ status: "failed", error: error.message }).where(eq(messages.id, reply.id));
      await db.update(messages).set({ status: "processed" }).where(eq(messages.id, inbound.id));
      deps.logger.error("provider refused the reply", { messageId: reply.id, error: error.message });
      return { outcome: "replied", replyId: reply.id, delivery: "sent" };
    }
    throw error; // retryable: the job retries with backoff and delivers this same reply
  }
  const sentAt = clock.now();
  await db
    .update(messages)
    .set({
      status: result.kind === "sent" ? "sent" : "outbox",
      providerMessageId: result.kind === "sent" ? result.providerMessageId : null,
      error: result.kind === "outbox" ? result.reason : null,
      sentAt,
    })
    .where(eq(messages.id, reply.id));
  await db
    .update(messages)
    .set({ status: "processed", latencyMs: Math.max(0, sentAt.getTime() - inbound.createdAt.getTime()) })
    .where(eq(messages.id, inbound.id));
  return { outcome: "replied", replyId: reply.id, delivery: result.kind };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
