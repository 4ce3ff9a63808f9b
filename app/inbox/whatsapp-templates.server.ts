/**
 * Answering a WhatsApp customer after the 24-hour window has closed, from the inbox. WhatsApp then
 * takes only a template the shop had approved (settings.messaging.whatsappTemplates: its Twilio
 * Content SID or Meta name, per purpose and language); free text fails at the provider (Twilio
 * 63016, Meta 131047), so `sendMerchantReply` refuses it first and the page offers these instead.
 *
 * A template is offered when the shop approved it in the customer's language; its body and
 * variables are the approved ones (whatsapp-approved-templates.json, in the shop's tu/vous). She
 * fills the variables (the shop's name, her first name, the return window are prefilled), and it
 * goes out through the same delivery path as her replies, stored with the text the customer reads.
 */
import { and, eq } from "drizzle-orm";
import { customers, shops } from "../../db/schema";
import type { Language } from "~/conversation/contracts";
import type { MessageRecord } from "~/conversation/record";
import type { EngineDeps } from "~/conversation/engine.server";
import type { Database } from "~/db.server";
import type { Logger } from "~/lib/logger.server";
import { deliveryFacts } from "~/messaging/proactive.server";
import { PROACTIVE_TEMPLATE_IDS, PURPOSE_OF, type ProactiveTemplateId } from "~/messaging/templates/catalogue";
import { PROACTIVE_VARIABLE_DESCRIPTIONS, type ProactiveVariable } from "~/messaging/templates/variables";
import { APPROVED_WHATSAPP_TEMPLATES, flattenTemplateParameter, whatsappTemplateFor, whatsappVariantKey } from "~/messaging/templates/whatsapp";
import { replyContext, sendMerchantMessage, type MerchantSendOutcome, type ReplyContext } from "./inbox.server";
import type { WhatsappReplyOptions, WhatsappTemplateOption, WhatsappTemplateSendRefusal } from "./whatsapp-templates";

export type WhatsappTemplateSendResult = MerchantSendOutcome | WhatsappTemplateSendRefusal;

type Deps = Pick<EngineDeps, "db" | "clock" | "deliver" | "logger">;

const primaryLanguage = (tag: string | null | undefined): Language | null => {
  const primary = tag?.toLowerCase().split(/[-_]/)[0];
  return primary === "fr" || primary === "en" ? primary : null;
};

/**
 * The customer's language: the one the AI last understood from her, else her Shopify profile's,
 * else the shop's main language (as the engine chooses).
 */
function customerLanguage(record: MessageRecord | null, locale: string | null, shop: { locale: string; languages?: readonly Language[] | undefined }): Language {
  return primaryLanguage(record?.understanding.language) ?? primaryLanguage(locale) ?? shop.languages?.[0] ?? (shop.locale.startsWith("fr") ? "fr" : "en");
}

interface Loaded {
  context: ReplyContext;
  options: WhatsappReplyOptions;
  /** The shop addresses customers with "tu" (French): the approved bodies' familiar variants. */
  tu: boolean;
}

async function load(db: Database, shopId: string, conversationId: string): Promise<Loaded | null> {
  const context = await replyContext(db, shopId, conversationId);
  if (!context) return null;
  const [row] = await db
    .select({ shop: { name: shops.name, locale: shops.locale, settings: shops.settings }, customer: { firstName: customers.firstName, locale: customers.locale, phone: customers.phone, email: customers.email } })
    .from(shops)
    .innerJoin(customers, and(eq(customers.shopId, shops.id), eq(customers.id, context.conversation.customerId)))
    .where(eq(shops.id, shopId))
    .limit(1);
  if (!row) return null;
  const { shop, customer } = row;
  const language = customerLanguage(context.inbound?.record ?? null, customer.locale, { locale: shop.locale, languages: shop.settings.languages });
  const tu = shop.settings.tone.address === "tu";
  const variantKey = whatsappVariantKey(language, tu);
  const known: Partial<Record<ProactiveVariable, string>> = {
    shopName: shop.name,
    ...(customer.firstName ? { firstName: customer.firstName } : {}),
    returnDays: String(shop.settings.policies.returnWindowDays),
  };

  const templates: WhatsappTemplateOption[] = [];
  for (const approved of shop.settings.messaging?.whatsappTemplates ?? []) {
    if (primaryLanguage(approved.language) !== language) continue;
    // A purpose is a proactive template's id or the scheduled-message type it serves (several may).
    const ids = PROACTIVE_TEMPLATE_IDS.filter((id) => id === approved.purpose || PURPOSE_OF[id] === approved.purpose);
    for (const id of ids) {
      if (templates.some((t) => t.template === id)) continue;
      const { category, variants } = APPROVED_WHATSAPP_TEMPLATES[id];
      const variant = variants[variantKey];
      templates.push({
        template: id,
        category,
        name: approved.name,
        language: approved.language,
        body: variant.body,
        variables: variant.variables.map((name) => ({ name, value: known[name] ?? "" })),
      });
    }
  }

  const facts = await deliveryFacts(db, shopId, context.conversation.customerId);
  const reachable = (channel: "sms" | "email") => facts.connectedChannels.includes(channel) && facts.consentOf(channel) !== "withdrawn";
  const otherChannels: WhatsappReplyOptions["otherChannels"] = [];
  if (customer.phone && reachable("sms")) otherChannels.push({ channel: "sms", address: customer.phone });
  if (customer.email && reachable("email")) otherChannels.push({ channel: "email", address: customer.email });
  const optedOut = facts.consentOf("whatsapp") === "withdrawn";
  return { context, tu, options: { language, optedOut, templates: optedOut ? [] : templates, otherChannels } };
}

/** What she can send on this WhatsApp conversation instead of free text; null when it is not the shop's or not WhatsApp. */
export async function whatsappReplyOptions(db: Database, shopId: string, conversationId: string): Promise<WhatsappReplyOptions | null> {
  const loaded = await load(db, shopId, conversationId);
  return loaded && loaded.context.conversation.channel === "whatsapp" ? loaded.options : null;
}

/**
 * Sends one of the shop's approved templates on a WhatsApp conversation, with the values she
 * filled: refused when the template is not approved in the customer's language or a variable is
 * empty (WhatsApp would refuse it), before anything is stored or sent.
 */
export async function sendWhatsappTemplate(
  deps: Deps,
  input: { shopId: string; conversationId: string; template: string; values: Readonly<Record<string, string>> },
): Promise<WhatsappTemplateSendResult> {
  const loaded = await load(deps.db, input.shopId, input.conversationId);
  if (!loaded) return { ok: false, reason: "not_found" };
  const { context, options } = loaded;
  if (context.conversation.channel !== "whatsapp") return { ok: false, reason: "not_whatsapp" };
  if (!context.route) return { ok: false, reason: "no_address" };
  if (options.optedOut) return { ok: false, reason: "opted_out" };
  const option = options.templates.find((t) => t.template === input.template);
  if (!option) return { ok: false, reason: "unknown_template" };
  const missing = option.variables.filter((v) => flattenTemplateParameter(input.values[v.name] ?? "") === "").map((v) => v.name);
  if (missing.length) return { ok: false, reason: "missing_variables", missing };

  const values = Object.fromEntries(Object.keys(PROACTIVE_VARIABLE_DESCRIPTIONS).map((name) => [name, input.values[name] ?? null])) as Record<ProactiveVariable, string | null>;
  const choice = whatsappTemplateFor({
    template: option.template as ProactiveTemplateId,
    language: options.language,
    tu: loaded.tu,
    values,
    // The approved template she chose, so that its Content SID or name is the one sent.
    shopTemplates: [{ purpose: option.template, language: option.language, name: option.name }],
  });
  if (!choice.ref) return { ok: false, reason: "too_long" };
  return sendMerchantMessage(deps, { ...context, route: context.route }, { body: choice.text, template: choice.ref });
}

/** What routes reach through `context.services.whatsappTemplates`. */
export interface WhatsappTemplateService {
  options(shopId: string, conversationId: string): Promise<WhatsappReplyOptions | null>;
  send(shopId: string, conversationId: string, template: string, values: Readonly<Record<string, string>>): Promise<WhatsappTemplateSendResult>;
}

export function createWhatsappTemplateService(deps: Deps & { logger: Logger }): WhatsappTemplateService {
  return {
    options: (shopId, conversationId) => whatsappReplyOptions(deps.db, shopId, conversationId),
    send: (shopId, conversationId, template, values) => sendWhatsappTemplate(deps, { shopId, conversationId, template, values }),
  };
}
