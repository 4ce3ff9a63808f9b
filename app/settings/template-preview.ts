/**
 * The templates editor's check and preview of a shop's own wording, as she types (in the page) and
 * when she saves (on the server): the same function both times. The checks are the overrides'
 * own (app/conversation/reply/overrides.ts for replies, app/messaging/templates/overrides.ts for
 * proactive messages); the preview renders the message with example values and the shop's tone,
 * and for SMS counts its segments (GSM-7: 160 characters, UCS-2 as soon as one character is
 * outside it, an emoji for instance: 70).
 */
import type { ReplyTemplateId } from "~/conversation/contracts";
import { placeholders, renderReply, TEMPLATE_VARIABLES, validateTemplateOverride, type SmsCount } from "~/conversation/reply";
import { suggestion } from "~/conversation/reply/overrides";
import { OVERRIDE_PREVIEW_FACTS, PROACTIVE_TEMPLATE_IDS, PROACTIVE_TEMPLATE_VARIABLES, renderProactive, validateProactiveOverride } from "~/messaging/templates";
import { isProactiveTemplateId } from "~/messaging/templates/catalogue";
import { toReplyFacts } from "~/messaging/templates/facts";
import { OVERRIDE_PREVIEW_NOW } from "~/messaging/templates/overrides";
import type { ShopSettings } from "~/shops/settings";
import type { FieldError, TemplateForm } from "./forms";

export const REPLY_TEMPLATE_IDS = Object.keys(TEMPLATE_VARIABLES) as ReplyTemplateId[];
export { PROACTIVE_TEMPLATE_IDS };

export interface TemplatePreview {
  /** Problems with the text; the first is shown under the field. Empty: it can be saved. */
  errors: FieldError[];
  /** The message with example values (the default wording when the text is empty or invalid). */
  body: string;
  /** SMS only. */
  sms: SmsCount | null;
  /** The variables this template may use. */
  variables: readonly string[];
}

export interface PreviewShop {
  name: string;
  timeZone: string;
  tone: ShopSettings["tone"];
}

function isReplyTemplateId(id: string): id is ReplyTemplateId {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_VARIABLES, id);
}

export function variablesOf(form: Pick<TemplateForm, "kind" | "template">): readonly string[] {
  if (form.kind === "reply") return isReplyTemplateId(form.template) ? TEMPLATE_VARIABLES[form.template] : [];
  return isProactiveTemplateId(form.template) ? PROACTIVE_TEMPLATE_VARIABLES[form.template] : [];
}

/** The errors said in the admin's language: the unknown variable by name, the others as the check words them. */
function localisedErrors(form: TemplateForm, known: readonly string[], detail: readonly string[]): FieldError[] {
  if (form.text.trim() === "") return [{ key: "settings.templates.errors.empty" }];
  const unknown = placeholders(form.text).filter((name) => !known.includes(name));
  const available = known.map((k) => `{{${k}}}`).join(", ");
  const errors = unknown.map((name): FieldError => {
    // suggestion() words it in English (" Did you mean {{product}}?"): only the variable is kept.
    const close = /\{\{\w+\}\}/.exec(suggestion(name, known))?.[0];
    return close
      ? { key: "settings.templates.errors.unknownVariableSuggest", vars: { name: `{{${name}}}`, suggestion: close, available } }
      : { key: "settings.templates.errors.unknownVariable", vars: { name: `{{${name}}}`, available } };
  });
  if (errors.length > 0) return errors;
  return detail.map((message) => ({ key: "settings.templates.errors.invalid", vars: { detail: message } }));
}

export function previewTemplate(form: TemplateForm, shop: PreviewShop): TemplatePreview {
  const known = variablesOf(form);
  const facts = { ...OVERRIDE_PREVIEW_FACTS, shopName: shop.name };
  if (form.kind === "proactive") {
    if (!isProactiveTemplateId(form.template)) return { errors: [{ key: "settings.errors.invalid" }], body: "", sms: null, variables: [] };
    const preview = { tone: shop.tone, facts, timeZone: shop.timeZone, now: OVERRIDE_PREVIEW_NOW };
    const check = validateProactiveOverride({ template: form.template, language: form.language, channel: form.channel, text: form.text, preview });
    // Her text when it can be used, else the default wording.
    const rendered =
      check.ok && check.preview
        ? { body: check.preview.body, segments: check.preview.segments }
        : renderProactive({ template: form.template, language: form.language, channel: form.channel, ...preview });
    return {
      errors: check.ok ? [] : localisedErrors(form, known, check.errors),
      body: rendered.body,
      sms: form.channel === "sms" ? (rendered.segments ?? null) : null,
      variables: known,
    };
  }
  if (!isReplyTemplateId(form.template)) return { errors: [{ key: "settings.errors.invalid" }], body: "", sms: null, variables: [] };
  const check = validateTemplateOverride(form.template, form.text);
  const rendered = renderReply({
    template: form.template,
    language: form.language,
    channel: form.channel,
    tone: shop.tone,
    timeZone: shop.timeZone,
    facts: toReplyFacts(facts),
    now: OVERRIDE_PREVIEW_NOW,
    ...(check.ok ? { overrides: { [form.template]: { [form.language]: form.text } } } : {}),
  });
  return { errors: check.ok ? [] : localisedErrors(form, known, check.errors), body: rendered.text, sms: rendered.sms ?? null, variables: known };
}
