/**
 * Proactive message templates (pickup reminders, hold expiry, thank-you, follow-up, back in stock,
 * shipping, exchange and return instructions, STOP/HELP answers, broadcasts): wording per language,
 * tone and channel, approved WhatsApp templates, shop overrides, grounding-checked.
 */
export {
  isProactiveTemplateId,
  MARKETING_TEMPLATES,
  PROACTIVE_TEMPLATE_IDS,
  PURPOSE_OF,
  REUSED_REPLY_TEMPLATES,
  type OwnProactiveTemplateId,
  type ProactiveTemplateId,
  type ReusedProactiveTemplateId,
} from "./catalogue";
export { type ProactiveOrderLine, type ProactiveTemplateFacts } from "./facts";
export { renderProactive, replyTemplateFor, UnknownProactiveTemplateError, type ProactiveRenderInput, type RenderedProactive } from "./render";
export { ProactiveFactsError } from "./wording";
export { PROACTIVE_TEMPLATE_VARIABLES, PROACTIVE_VARIABLE_DESCRIPTIONS, type ProactiveVariable } from "./variables";
export { MAX_PROACTIVE_OVERRIDE_LENGTH, type ProactiveOverrides } from "./override-text";
export { OVERRIDE_PREVIEW_FACTS, validateProactiveOverride, type OverrideCheck } from "./overrides";
export {
  APPROVED_WHATSAPP_TEMPLATES,
  flattenTemplateParameter,
  whatsappTemplateFor,
  WHATSAPP_TEMPLATE_BODY_MAX,
  type ApprovedWhatsappTemplate,
  type ShopWhatsappTemplate,
  type WhatsappTemplateChoice,
} from "./whatsapp";
export { renderScheduledMessage, templateForScheduled, UngroundedProactiveMessageError } from "./scheduled";
