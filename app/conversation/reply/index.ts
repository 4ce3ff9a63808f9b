/**
 * The engine's reply step (DESIGN §5, §8): template wording per language and tone, channel shaping
 * (SMS segments, WhatsApp, email subject + HTML), the grounding check, and shop overrides.
 */
export { renderReply, replySubject, type ReplyRenderContext, type ReplyRenderInput } from "./render";
export { checkGrounding, type GroundingOptions, type GroundingResult } from "./grounding";
export { countSmsSegments, isGsm7, type SmsCount } from "./sms";
export { validateTemplateOverride, placeholders, MAX_OVERRIDE_LENGTH } from "./overrides";
export { TEMPLATE_VARIABLES, VARIABLE_DESCRIPTIONS, type TemplateVariable } from "./variables";
