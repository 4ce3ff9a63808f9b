/**
 * What the thread page shows when a WhatsApp conversation's 24-hour window has closed: the shop's
 * approved templates she can send instead (with their variables, prefilled from what we know), or,
 * without one in the customer's language, the other channels the customer can be reached on.
 * Client-safe: types, labels and the live preview; the queries are in whatsapp-templates.server.ts.
 */
import type { TranslationKey } from "~/i18n";

export interface WhatsappTemplateVariable {
  /** The value's name (app/messaging/templates/variables.ts): "shopName", "itemLabel"… */
  name: string;
  /** Prefilled from what we know (the shop's name, her first name…), else "". */
  value: string;
}

/** One approved template she can send: the shop's approved name or Content SID and its body. */
export interface WhatsappTemplateOption {
  /** The proactive template it is (whatsapp-approved-templates.json): "help", "hold.expired"… */
  template: string;
  category: "UTILITY" | "MARKETING";
  /** The shop's approved template: Twilio Content SID (HX…) or Meta name, and its language. */
  name: string;
  language: string;
  /** The approved body with positional {{1}}…{{n}}, filled in order by `variables`. */
  body: string;
  variables: WhatsappTemplateVariable[];
}

export interface WhatsappReplyOptions {
  /** The customer's language, which the templates are approved in. */
  language: "fr" | "en";
  /** She opted out of the shop's WhatsApp messages: nothing goes there, templates included. */
  optedOut: boolean;
  templates: WhatsappTemplateOption[];
  /** Where else she can be reached: channels the shop has, with her address, not opted out of. */
  otherChannels: Array<{ channel: "sms" | "email"; address: string }>;
}

export type WhatsappTemplateSendRefusal =
  | { ok: false; reason: "not_found" | "no_address" | "not_whatsapp" | "opted_out" | "unknown_template" | "too_long" }
  | { ok: false; reason: "missing_variables"; missing: string[] };

/** The form field carrying a variable's value. */
export const variableField = (name: string) => `var.${name}`;

/** One line, trimmed: what WhatsApp accepts in a template parameter (whatsapp.ts flattens the same way). */
const oneLine = (value: string) => value.replace(/\s+/g, " ").trim();

/** The body as the customer will read it; an empty variable shows as `[name]` so that she sees the gap. */
export function previewTemplate(option: Pick<WhatsappTemplateOption, "body" | "variables">, values: Readonly<Record<string, string>>): string {
  return option.body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => {
    const variable = option.variables[Number(n) - 1];
    if (!variable) return whole;
    const value = oneLine(values[variable.name] ?? "");
    return value === "" ? `[${variable.name}]` : value;
  });
}

export const TEMPLATE_LABEL: Readonly<Record<string, TranslationKey>> = {
  "hold.confirmed": "whatsappReply.templates.hold.confirmed",
  "reminder.pickup": "whatsappReply.templates.reminder.pickup",
  "hold.expiring": "whatsappReply.templates.hold.expiring",
  "hold.expired": "whatsappReply.templates.hold.expired",
  "order.thank_you": "whatsappReply.templates.order.thank_you",
  "order.follow_up": "whatsappReply.templates.order.follow_up",
  "back_in_stock.available": "whatsappReply.templates.back_in_stock.available",
  "shipping.update": "whatsappReply.templates.shipping.update",
  "exchange.instructions": "whatsappReply.templates.exchange.instructions",
  "return.instructions": "whatsappReply.templates.return.instructions",
  "opt_out.confirmed": "whatsappReply.templates.opt_out.confirmed",
  help: "whatsappReply.templates.help",
  "broadcast.custom": "whatsappReply.templates.broadcast.custom",
};

/** The variables the approved bodies use (whatsapp-approved-templates.json). */
export const VARIABLE_LABEL: Readonly<Record<string, TranslationKey>> = {
  shopName: "whatsappReply.variables.shopName",
  firstName: "whatsappReply.variables.firstName",
  item: "whatsappReply.variables.item",
  ofItem: "whatsappReply.variables.ofItem",
  itemLabel: "whatsappReply.variables.itemLabel",
  holdDeadline: "whatsappReply.variables.holdDeadline",
  holdUntil: "whatsappReply.variables.holdUntil",
  orderName: "whatsappReply.variables.orderName",
  orderLines: "whatsappReply.variables.orderLines",
  shippingDetails: "whatsappReply.variables.shippingDetails",
  exchangeOptions: "whatsappReply.variables.exchangeOptions",
  returnDays: "whatsappReply.variables.returnDays",
  text: "whatsappReply.variables.text",
};
