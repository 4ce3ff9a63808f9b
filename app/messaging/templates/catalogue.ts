/**
 * The proactive messages a shop sends without being asked (pickup reminders, thank-yous, shipping
 * news, back-in-stock alerts, broadcasts) and the few replies that can also go out on their own
 * (a hold confirmed from POS, exchange and return instructions, STOP / HELP answers). Where the
 * conversation engine already has the wording (app/conversation/reply), the proactive message is
 * that reply template, rendered by the same renderer: one wording per message, never two.
 */
import type { ScheduledMessageType } from "../../../db/schema/scheduled-messages";
import type { ReplyTemplateId } from "~/conversation/contracts";

export const PROACTIVE_TEMPLATE_IDS = [
  "hold.confirmed",
  "reminder.pickup",
  "hold.expiring",
  "hold.expired",
  "order.thank_you",
  "order.follow_up",
  "back_in_stock.available",
  "shipping.update",
  "exchange.instructions",
  "return.instructions",
  "opt_out.confirmed",
  "help",
  "broadcast.custom",
] as const;

export type ProactiveTemplateId = (typeof PROACTIVE_TEMPLATE_IDS)[number];

/** The templates worded here; the others are reply templates (REUSED_REPLY_TEMPLATES). */
export type OwnProactiveTemplateId = Exclude<ProactiveTemplateId, ReusedProactiveTemplateId>;
export type ReusedProactiveTemplateId = "hold.confirmed" | "exchange.instructions" | "return.instructions" | "opt_out.confirmed" | "help";

/**
 * The reply template carrying each reused proactive template. Exchange instructions are the
 * reply's options (several ways to exchange) or its confirmation (one way, already chosen): see
 * `replyTemplateFor`.
 */
export const REUSED_REPLY_TEMPLATES: Readonly<Record<ReusedProactiveTemplateId, ReplyTemplateId>> = {
  "hold.confirmed": "hold.confirmed",
  "exchange.instructions": "exchange.options",
  "return.instructions": "return.instructions",
  "opt_out.confirmed": "opt_out.confirmed",
  help: "help",
};

export function isProactiveTemplateId(id: string): id is ProactiveTemplateId {
  return (PROACTIVE_TEMPLATE_IDS as readonly string[]).includes(id);
}

export function isReused(id: ProactiveTemplateId): id is ReusedProactiveTemplateId {
  return Object.prototype.hasOwnProperty.call(REUSED_REPLY_TEMPLATES, id);
}

/**
 * Marketing messages need explicit consent, wait for marketing hours and carry an opt-out line
 * (in France, the CNIL's rule for commercial SMS: a free way to refuse in every message). The
 * others are service messages about something the customer did.
 */
export const MARKETING_TEMPLATES: ReadonlySet<ProactiveTemplateId> = new Set(["order.follow_up", "broadcast.custom"]);

/**
 * The scheduled-message purpose (settings.messaging.whatsappTemplates[].purpose) each template
 * serves, when it is sent by a scheduled message.
 */
export const PURPOSE_OF: Readonly<Partial<Record<ProactiveTemplateId, ScheduledMessageType>>> = {
  "reminder.pickup": "pickup_reminder",
  "hold.expiring": "hold_expiry",
  "hold.expired": "hold_expiry",
  "order.thank_you": "thank_you",
  "order.follow_up": "follow_up",
  "back_in_stock.available": "back_in_stock",
  "shipping.update": "shipping_update",
  "broadcast.custom": "broadcast",
};
