/**
 * A shop's own wording of a proactive template, per template × language × channel, with
 * `{{variable}}` placeholders (variables.ts). The checks are the reply overrides' (a reused reply
 * template is checked by ~/conversation/reply/overrides.ts itself): known variables only, balanced
 * braces, and no number, date or time typed in the text — they must come from a variable, or the
 * grounding check would refuse every message.
 */
import type { ChannelKind, Language } from "~/conversation/contracts";
import { checkGrounding } from "~/conversation/reply/grounding";
import { MAX_OVERRIDE_LENGTH, placeholders, suggestion, validateTemplateOverride } from "~/conversation/reply/overrides";
import { isReused, REUSED_REPLY_TEMPLATES, type OwnProactiveTemplateId, type ProactiveTemplateId } from "./catalogue";
import { PROACTIVE_TEMPLATE_VARIABLES, type ProactiveVariable } from "./variables";

/** `overrides[template][language][channel]`: the text that replaces the template's body. */
export type ProactiveOverrides = Partial<Record<ProactiveTemplateId, Partial<Record<Language, Partial<Record<ChannelKind, string>>>>>>;

/**
 * The longest override per channel. SMS: three GSM-7 segments (3 × 153), beyond which the
 * orchestrator sends a text by email first anyway (LONG_TEXT_SMS_SEGMENTS).
 */
export const MAX_PROACTIVE_OVERRIDE_LENGTH: Readonly<Record<ChannelKind, number>> = { sms: 459, whatsapp: MAX_OVERRIDE_LENGTH, email: MAX_OVERRIDE_LENGTH };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** What is wrong with the text as an override of `template` on `channel`; empty when it can be saved. */
export function overrideTextErrors(template: ProactiveTemplateId, channel: ChannelKind, text: string): string[] {
  const errors: string[] = [];
  const max = MAX_PROACTIVE_OVERRIDE_LENGTH[channel];
  if (isReused(template)) {
    // The reply's own checks, for the reply template that carries it.
    const replyTemplate = REUSED_REPLY_TEMPLATES[template];
    const result = validateTemplateOverride(replyTemplate, text);
    if (!result.ok) errors.push(...result.errors.map((e) => e.replaceAll(`"${replyTemplate}"`, `"${template}"`)));
    if (text.length > max && max < MAX_OVERRIDE_LENGTH) errors.push(`The text is ${text.length} characters long; the limit for ${channel.toUpperCase()} is ${max}.`);
    return errors;
  }
  const known = PROACTIVE_TEMPLATE_VARIABLES[template];
  if (text.trim() === "") errors.push("The text is empty.");
  if (text.length > max) errors.push(`The text is ${text.length} characters long; the limit for ${channel === "sms" ? "SMS" : channel === "email" ? "email" : "WhatsApp"} is ${max}.`);
  for (const name of placeholders(text)) {
    if (name === "") errors.push("Empty placeholder {{}}: write a variable name inside, e.g. {{firstName}}.");
    else if (!(known as readonly string[]).includes(name)) {
      errors.push(`Unknown variable {{${name}}} for "${template}".${suggestion(name, known)} Available: ${known.map((k) => `{{${k}}}`).join(", ")}.`);
    }
  }
  const rest = text.replace(PLACEHOLDER, " ");
  const stray = rest.match(/\{\{|\}\}/);
  if (stray) errors.push(`Unbalanced braces near "${rest.slice(Math.max(0, (stray.index ?? 0) - 10), (stray.index ?? 0) + 12).trim()}": a variable is written {{name}}.`);
  for (const token of checkGrounding(rest, []).ungrounded) {
    errors.push(`"${token}" is written in the text: amounts, quantities, dates, times and numbers must come from a variable (the message would be refused).`);
  }
  return errors;
}

/**
 * The override with its variables filled, or null when it cannot be used for this message:
 * invalid, or using a variable the facts do not have (the template's own wording, which says
 * less, is sent instead).
 */
export function fillProactiveOverride(template: OwnProactiveTemplateId, channel: ChannelKind, text: string, values: Readonly<Record<ProactiveVariable, string | null>>): string | null {
  if (overrideTextErrors(template, channel, text).length) return null;
  let missing = false;
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name as ProactiveVariable];
    if (value === null || value === undefined || value === "") missing = true;
    return value ?? "";
  });
  return missing ? null : filled.trim();
}
