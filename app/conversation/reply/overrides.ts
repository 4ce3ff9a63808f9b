/**
 * A shop's own wording for a template: `overrides[templateId][language]`, with `{{variable}}`
 * placeholders (variables.ts). Validated when the merchant saves it; at reply time an override
 * replaces the template's body (greeting, hold proposal and signature are still added) and the
 * whole reply is still grounding-checked, so a literal "24h" or "-20 %" typed in an override can
 * never reach a customer.
 */
import type { ReplyTemplateId } from "../contracts";
import { checkGrounding } from "./grounding";
import { TEMPLATE_VARIABLES, type TemplateVariable } from "./variables";

/** An override's longest text: an email body stays readable, an SMS is short anyway. */
export const MAX_OVERRIDE_LENGTH = 1000;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function isTemplateId(id: string): id is ReplyTemplateId {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_VARIABLES, id);
}

/** Levenshtein distance, for "did you mean {{product}}?". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** " Did you mean {{product}}?" when a known variable is close to `name` (else ""). */
export function suggestion(name: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: k.toLowerCase() === name.toLowerCase() ? 0 : distance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return best && best.d <= 2 ? ` Did you mean {{${best.k}}}?` : "";
}

/** The variables an override uses, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))];
}

export function validateTemplateOverride(templateId: string, text: string): { ok: true } | { ok: false; errors: string[] } {
  if (!isTemplateId(templateId)) return { ok: false, errors: [`Unknown template "${templateId}".`] };
  const errors: string[] = [];
  const known = TEMPLATE_VARIABLES[templateId];
  if (text.trim() === "") errors.push("The text is empty.");
  if (text.length > MAX_OVERRIDE_LENGTH) errors.push(`The text is ${text.length} characters long; the limit is ${MAX_OVERRIDE_LENGTH}.`);
  for (const name of placeholders(text)) {
    if (name === "") errors.push("Empty placeholder {{}}: write a variable name inside, e.g. {{firstName}}.");
    else if (!(known as readonly string[]).includes(name)) {
      errors.push(`Unknown variable {{${name}}} for "${templateId}".${suggestion(name, known)} Available: ${known.map((k) => `{{${k}}}`).join(", ")}.`);
    }
  }
  const rest = text.replace(PLACEHOLDER, " ");
  const stray = rest.match(/\{\{|\}\}/);
  if (stray) errors.push(`Unbalanced braces near "${rest.slice(Math.max(0, (stray.index ?? 0) - 10), (stray.index ?? 0) + 12).trim()}": a variable is written {{name}}.`);
  // Numbers, dates and times typed in the text would fail the grounding check on every reply.
  const grounding = checkGrounding(rest, []);
  for (const token of grounding.ungrounded) {
    errors.push(`"${token}" is written in the text: amounts, quantities, dates, times and numbers must come from a variable (the reply would be refused and handed to you).`);
  }
  return errors.length ? { ok: false, errors } : { ok: true };
}

/**
 * The override with its variables filled, or null when it cannot be used for this reply: invalid,
 * or using a variable the facts do not have (the template's own wording, which says less, is
 * used instead).
 */
export function fillOverride(templateId: ReplyTemplateId, text: string, values: Partial<Record<TemplateVariable, string | null>>): string | null {
  if (!validateTemplateOverride(templateId, text).ok) return null;
  let missing = false;
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name as TemplateVariable];
    if (value === null || value === undefined || value === "") missing = true;
    return value ?? "";
  });
  return missing ? null : filled.trim();
}
