/**
 * WhatsApp outside the 24-hour customer-service window: only a template Meta approved can be sent
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates). Each
 * proactive template has one per address form (whatsapp-approved-templates.json: the bodies to submit, with
 * positional {{1}}…{{n}} variables), and this fills its variables, in the body's order, from the
 * message's facts.
 *
 * Meta refuses a send whose parameter is empty or holds a line break, a tab or more than four
 * spaces in a row, and one whose parameter count differs from the approved body (error 132000;
 * Twilio 63028). So values are flattened to one line, and a template whose facts are missing is
 * not offered at all (`ref: null`, with the reason) rather than sent with a blank.
 */
import { z } from "zod";
import type { Language } from "~/conversation/contracts";
import type { WhatsappTemplateRef } from "~/plugins/types";
import { PROACTIVE_TEMPLATE_IDS, PURPOSE_OF, type ProactiveTemplateId } from "./catalogue";
import { PROACTIVE_VARIABLE_DESCRIPTIONS, type ProactiveVariable } from "./variables";
import approvedJson from "./whatsapp-approved-templates.json";

/** The body limit of a template's body component (and of the filled body). */
export const WHATSAPP_TEMPLATE_BODY_MAX = 1024;

const variable = z.string().refine((v): v is ProactiveVariable => Object.prototype.hasOwnProperty.call(PROACTIVE_VARIABLE_DESCRIPTIONS, v), { message: "unknown variable" });

const variantSchema = z.object({
  // Meta: lowercase letters, digits and underscores.
  name: z.string().regex(/^[a-z0-9_]{1,512}$/),
  language: z.string().min(2),
  variables: z.array(variable),
  body: z.string().min(1).max(WHATSAPP_TEMPLATE_BODY_MAX),
});

const fileSchema = z.object({
  templates: z.record(
    z.object({
      /** UTILITY for service messages; MARKETING ones need marketing consent and cost more. */
      category: z.enum(["UTILITY", "MARKETING"]),
      variants: z.object({ "fr-tu": variantSchema, "fr-vous": variantSchema, en: variantSchema }),
    }),
  ),
});

export type WhatsappVariantKey = "fr-tu" | "fr-vous" | "en";
export type ApprovedWhatsappTemplate = z.infer<typeof fileSchema>["templates"][string];

function load(): Readonly<Record<ProactiveTemplateId, ApprovedWhatsappTemplate>> {
  const parsed = fileSchema.parse(approvedJson).templates;
  const missing = PROACTIVE_TEMPLATE_IDS.filter((id) => !parsed[id]);
  const unknown = Object.keys(parsed).filter((id) => !(PROACTIVE_TEMPLATE_IDS as readonly string[]).includes(id));
  if (missing.length || unknown.length) throw new Error(`whatsapp-approved-templates.json: missing ${missing.join(", ") || "none"}, unknown ${unknown.join(", ") || "none"}`);
  return parsed as Record<ProactiveTemplateId, ApprovedWhatsappTemplate>;
}

/** The approved-template bodies, per proactive template and address form (the JSON, validated). */
export const APPROVED_WHATSAPP_TEMPLATES = load();

export function whatsappVariantKey(language: Language, tu: boolean): WhatsappVariantKey {
  return language === "en" ? "en" : tu ? "fr-tu" : "fr-vous";
}

/** An approved template of the shop (settings.messaging.whatsappTemplates): its Twilio Content SID or Meta name. */
export interface ShopWhatsappTemplate {
  purpose: string;
  language: string;
  name: string;
}

export type WhatsappTemplateChoice =
  | {
      ref: WhatsappTemplateRef;
      /** The approved body with its variables filled: what the customer reads. */
      text: string;
    }
  | { ref: null; reason: string };

/** One line, no tab, no run of spaces: what Meta accepts in a parameter. */
export function flattenTemplateParameter(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/**
 * The approved template carrying this message, with its variables filled. The shop's own
 * approved template for the purpose and language (its Content SID or name) is used when it has one;
 * otherwise the name and language of the body in whatsapp-approved-templates.json.
 */
export function whatsappTemplateFor(input: {
  template: ProactiveTemplateId;
  language: Language;
  tu: boolean;
  values: Readonly<Record<ProactiveVariable, string | null>>;
  shopTemplates?: readonly ShopWhatsappTemplate[];
}): WhatsappTemplateChoice {
  const variant = APPROVED_WHATSAPP_TEMPLATES[input.template].variants[whatsappVariantKey(input.language, input.tu)];
  const values = variant.variables.map((name) => ({ name, value: flattenTemplateParameter(input.values[name] ?? "") }));
  const missing = values.filter((v) => v.value === "").map((v) => v.name);
  if (missing.length) return { ref: null, reason: `the approved WhatsApp template needs ${missing.map((m) => `{{${m}}}`).join(", ")}, which the facts do not have` };
  const text = variant.body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => values[Number(n) - 1]?.value ?? "");
  if (text.length > WHATSAPP_TEMPLATE_BODY_MAX) return { ref: null, reason: `the filled WhatsApp template is ${text.length} characters long; the limit is ${WHATSAPP_TEMPLATE_BODY_MAX}` };
  const purposes: string[] = [input.template, PURPOSE_OF[input.template] ?? input.template];
  const shop = input.shopTemplates?.find((t) => purposes.includes(t.purpose) && t.language.toLowerCase().split(/[-_]/)[0] === input.language);
  return {
    ref: { name: shop?.name ?? variant.name, language: shop?.language ?? variant.language, variables: values.map((v) => v.value) },
    text,
  };
}
