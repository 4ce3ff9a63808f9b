/**
 * validateProactiveOverride(): what the merchant is told when she saves her own wording of a
 * proactive template for one language and channel. Errors block the save (unknown template,
 * language or channel; unknown variable, with "did you mean"; unbalanced braces; a number or date
 * typed in the text; too long). Warnings do not: an SMS that would cost more segments than she
 * allows (measured on a preview with example values, or hers), characters that switch an SMS to
 * UCS-2, variables a customer's facts may lack, and WhatsApp's approved template outside the
 * 24-hour window.
 */
import type { ChannelKind, Language } from "~/conversation/contracts";
import { countSmsSegments, isGsm7, placeholders, type SmsCount } from "~/conversation/reply";
import { gsmTypography } from "~/conversation/reply/sms";
import type { ShopSettings } from "~/shops/settings";
import { isProactiveTemplateId, PROACTIVE_TEMPLATE_IDS } from "./catalogue";
import type { ProactiveTemplateFacts } from "./facts";
import { overrideTextErrors, type ProactiveOverrides } from "./override-text";
import { renderProactive } from "./render";

export interface OverrideCheck {
  ok: boolean;
  errors: string[];
  warnings: string[];
  /** The override rendered with the preview's facts (when it has no error). */
  preview?: { body: string; segments?: SmsCount };
}

/** Example values for the preview: every variable filled (a real shop passes its own name and tone). */
export const OVERRIDE_PREVIEW_FACTS: ProactiveTemplateFacts = {
  shopName: "Élégance Paris",
  firstName: "Julie",
  currency: "EUR",
  hold: { productTitle: "Robe Fleurie Bleue", size: "38", expiresAt: "2026-01-13T17:00:00.000Z", reminderAt: "2026-01-13T13:00:00.000Z" },
  product: { title: "Robe Fleurie Bleue", size: "38", price: "89.00" },
  order: {
    name: "#2847",
    lines: [{ title: "Robe Fleurie Bleue", size: "38", quantity: 1, unitPrice: "89.00" }],
    total: "89.00",
    carrier: "Colissimo",
    trackingNumber: "6A12345678901",
    trackingUrl: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
    estimatedDeliveryAt: "2026-01-16T11:00:00.000Z",
  },
  exchange: {
    orderName: "#2847",
    from: "Robe Fleurie Bleue (40)",
    to: "Robe Fleurie Bleue (38)",
    options: [
      { id: 1, label: "store", fee: null },
      { id: 2, label: "post", fee: "4.90" },
    ],
  },
  returnPolicy: { windowDays: 30, deadline: "2026-02-08T10:05:00.000Z" },
  store: {
    address: "24 Rue de Rivoli, 75004 Paris",
    phone: "+33939035761",
    hours: { mon: ["10:00", "19:00"], tue: ["10:00", "19:00"], wed: ["10:00", "19:00"], thu: ["10:00", "19:00"], fri: ["10:00", "19:00"], sat: ["10:00", "19:00"], sun: null },
    day: null,
  },
  text: "La nouvelle collection est arrivée en boutique !",
};

/** The preview's "now" (Monday 12 January 2026, 10:15 in Paris): the example hold ends "demain 18h". */
export const OVERRIDE_PREVIEW_NOW = "2026-01-12T09:15:00.000Z";

const LANGUAGES: readonly Language[] = ["fr", "en"];
const CHANNELS: readonly ChannelKind[] = ["sms", "whatsapp", "email"];

export function validateProactiveOverride(input: {
  template: string;
  language: string;
  channel: string;
  text: string;
  /** SMS: warn above this many segments (1 by default). */
  maxSmsSegments?: number;
  /** The shop's own name, tone and time zone make the preview as long as the real message. */
  preview?: { tone?: ShopSettings["tone"]; facts?: ProactiveTemplateFacts; timeZone?: string; now?: Date | string };
}): OverrideCheck {
  const errors: string[] = [];
  const { template, language, channel, text } = input;
  if (!isProactiveTemplateId(template)) errors.push(`Unknown template "${template}". Templates: ${PROACTIVE_TEMPLATE_IDS.join(", ")}.`);
  const lang = LANGUAGES.find((l) => l === language);
  const chan = CHANNELS.find((c) => c === channel);
  if (!lang) errors.push(`Unknown language "${language}": "fr" or "en".`);
  if (!chan) errors.push(`Unknown channel "${channel}": "sms", "whatsapp" or "email".`);
  if (errors.length || !isProactiveTemplateId(template) || !lang || !chan) return { ok: false, errors, warnings: [] };

  errors.push(...overrideTextErrors(template, chan, text));
  if (errors.length) return { ok: false, errors, warnings: [] };

  const warnings: string[] = [];
  const overrides: ProactiveOverrides = { [template]: { [lang]: { [chan]: text } } };
  const rendered = renderProactive({
    template,
    language: lang,
    channel: chan,
    tone: input.preview?.tone ?? { address: "vous", emoji: false, signature: null },
    facts: input.preview?.facts ?? OVERRIDE_PREVIEW_FACTS,
    timeZone: input.preview?.timeZone ?? "Europe/Paris",
    now: input.preview?.now ?? OVERRIDE_PREVIEW_NOW,
    overrides,
  });

  if (chan === "sms") {
    const fixed = gsmTypography(text.replace(/\{\{[^{}]*\}\}/g, ""));
    const outside = [...new Set(Array.from(fixed).filter((c) => !isGsm7(c)))];
    if (outside.length) {
      warnings.push(
        `${outside.map((c) => `"${c}"`).join(", ")} ${outside.length > 1 ? "are" : "is"} not in the SMS alphabet (GSM-7): the whole SMS is sent in UCS-2, 70 characters per segment instead of 160.`,
      );
    }
    const max = input.maxSmsSegments ?? 1;
    const count = rendered.overridden ? countSmsSegments(rendered.body) : null;
    if (count && count.segments > max) {
      warnings.push(
        `With the example values this SMS takes ${count.segments} segments (${count.encoding}, ${count.characters} characters, greeting and signature included), more than the ${max} you allow: each segment is billed.`,
      );
    }
  }
  if (chan === "whatsapp") {
    warnings.push("On WhatsApp this text is sent within 24 hours of the customer's last message; later, only the approved template can be sent, with its own wording.");
  }
  const optional = placeholders(text).filter((v) => v !== "shopName");
  if (optional.length) {
    warnings.push(`When a customer's message lacks ${optional.map((v) => `{{${v}}}`).join(", ")}, the default wording is sent instead of this text.`);
  }
  if (!rendered.overridden) warnings.push("The example values could not fill this text: check it with your own values.");
  return { ok: true, errors: [], warnings, preview: { body: rendered.body, ...(rendered.segments ? { segments: rendered.segments } : {}) } };
}
