/**
 * renderProactive(): a proactive message for one customer, channel, language and tone.
 *  - Templates shared with the replies (hold.confirmed, exchange and return instructions, STOP and
 *    HELP answers) are rendered by the reply renderer itself (~/conversation/reply/render.ts).
 *  - The others (wording.ts) are shaped here the same way: SMS as plain GSM-7-friendly text with
 *    its segments counted (optional details dropped while it needs more than one segment; the
 *    emoji kept only when it costs no extra segment), WhatsApp with *bold*, email with a subject,
 *    a text part and an escaped HTML part.
 *  - A proactive message is signed so the customer knows which shop writes (proactiveSignature),
 *    and a marketing one ends with how to stop them.
 *  - On WhatsApp, the approved template carrying the same message outside the 24-hour window.
 *  - The shop's override for the template × language × channel replaces the body when it is valid
 *    and its variables are all known for this customer.
 * Every text that can reach the customer is grounding-checked against the facts (`grounding`); the
 * caller must not send a message whose check failed. Pure: the caller gives `now`.
 */
import type { ChannelKind, Language, ReplyTemplateId } from "~/conversation/contracts";
import { checkGrounding, renderReply, type GroundingResult, type SmsCount } from "~/conversation/reply";
import { block, chatParagraph, paragraphs, plainParts } from "~/conversation/reply/body";
import { toInstant } from "~/conversation/reply/dates";
import { escapeHtml, htmlDocument, htmlInline, htmlText } from "~/conversation/reply/html";
import { fillOverride } from "~/conversation/reply/overrides";
import { countSmsSegments, gsmTypography } from "~/conversation/reply/sms";
import { emailClosing, greeting, type TemplateContext } from "~/conversation/reply/templates";
import { variableValues } from "~/conversation/reply/variables";
import type { WhatsappTemplateRef } from "~/plugins/types";
import type { ShopSettings } from "~/shops/settings";
import { isProactiveTemplateId, isReused, MARKETING_TEMPLATES, REUSED_REPLY_TEMPLATES, type ProactiveTemplateId, type ReusedProactiveTemplateId } from "./catalogue";
import { toReplyFacts, type ProactiveTemplateFacts } from "./facts";
import { fillProactiveOverride, type ProactiveOverrides } from "./override-text";
import { proactiveSignature, type PhraseContext } from "./phrases";
import { proactiveVariableValues } from "./variables";
import { flattenTemplateParameter, whatsappTemplateFor, type ShopWhatsappTemplate } from "./whatsapp";
import { optOutLine, proactiveBody, proactiveSubject, type ProactiveBlock, type ProactiveBody, type WordingContext } from "./wording";

export interface ProactiveRenderInput {
  template: ProactiveTemplateId;
  language: Language;
  tone: ShopSettings["tone"];
  channel: ChannelKind;
  facts: ProactiveTemplateFacts;
  /** The shop's IANA time zone: dates are said in it. */
  timeZone: string;
  /** When the message is sent: "demain" is relative to it. */
  now: Date | string;
  overrides?: ProactiveOverrides | null;
  /** The shop's approved WhatsApp templates (settings.messaging.whatsappTemplates). */
  whatsappTemplates?: readonly ShopWhatsappTemplate[];
}

export interface RenderedProactive {
  /** The text (SMS, WhatsApp free text, or the email's text part). */
  body: string;
  /** Email only. */
  subject?: string;
  /** Email only. */
  html?: string;
  /** SMS only: encoding and segments of `body`. */
  segments?: SmsCount;
  /** WhatsApp only: the approved template for outside the 24-hour window; null when the facts cannot fill it. */
  whatsappTemplate?: WhatsappTemplateRef | null;
  /** WhatsApp only: the approved template's text as the customer will read it. */
  whatsappTemplateText?: string;
  /** WhatsApp only, when `whatsappTemplate` is null: why. */
  whatsappTemplateUnavailable?: string;
  /** Whether the shop's override was used. */
  overridden: boolean;
  /** The grounding check of body, subject and template text: send only when `ok`. */
  grounding: GroundingResult;
}

export class UnknownProactiveTemplateError extends Error {
  override name = "UnknownProactiveTemplateError";
}

type Parts = Pick<RenderedProactive, "body" | "subject" | "html" | "segments" | "overridden">;

export function renderProactive(input: ProactiveRenderInput): RenderedProactive {
  if (!isProactiveTemplateId(input.template)) throw new UnknownProactiveTemplateError(`unknown proactive template "${String(input.template)}"`);
  const tu = input.tone.address === "tu";
  const dates = { timeZone: input.timeZone, language: input.language, now: toInstant(input.now) };
  const phrase: PhraseContext = { language: input.language, tu, channel: input.channel, facts: input.facts, dates };
  const parts = isReused(input.template) ? renderReused(input, input.template) : renderOwn(input, { ...phrase, template: input.template });

  const out: RenderedProactive = { ...parts, grounding: { ok: true, ungrounded: [] } };
  if (input.channel === "whatsapp") {
    const values = proactiveVariableValues({ ...phrase, template: input.template });
    const choice = whatsappTemplateFor({ template: input.template, language: input.language, tu, values, ...(input.whatsappTemplates ? { shopTemplates: input.whatsappTemplates } : {}) });
    out.whatsappTemplate = choice.ref;
    if (choice.ref) out.whatsappTemplateText = choice.text;
    else out.whatsappTemplateUnavailable = choice.reason;
  }
  const said = [out.body, out.subject ?? "", out.whatsappTemplateText ?? ""].join("\n");
  // The merchant's broadcast text is a source as she wrote it and as a template variable carries it (on one line).
  const text = input.facts.text ? [flattenTemplateParameter(input.facts.text)] : [];
  out.grounding = checkGrounding(said, [input.facts, input.tone, input.facts.shopName, ...text], { timeZone: input.timeZone, language: input.language, now: input.now });
  return out;
}

// ───────────────────────────── reused reply templates ─────────────────────────────

/** Exchange instructions: the reply's options, or its confirmation when there is one way only. */
export function replyTemplateFor(template: ReusedProactiveTemplateId, facts: ProactiveTemplateFacts): ReplyTemplateId {
  if (template === "exchange.instructions" && facts.exchange?.options.length === 1) return "exchange.confirmed";
  return REUSED_REPLY_TEMPLATES[template];
}

function renderReused(input: ProactiveRenderInput, template: ReusedProactiveTemplateId): Parts {
  const replyTemplate = replyTemplateFor(template, input.facts);
  const tone = { ...input.tone, signature: proactiveSignature(input.tone, input.facts.shopName) };
  const override = input.overrides?.[template]?.[input.language]?.[input.channel];
  const overrides: Partial<Record<ReplyTemplateId, Partial<Record<Language, string>>>> = {};
  if (override) overrides[replyTemplate] = input.language === "fr" ? { fr: override } : { en: override };
  const render = (facts: ProactiveTemplateFacts) => {
    const replyFacts = toReplyFacts(facts);
    const reply = renderReply({ template: replyTemplate, language: input.language, channel: input.channel, tone, timeZone: input.timeZone, facts: replyFacts, now: input.now, overrides });
    const ctx: TemplateContext = {
      template: replyTemplate,
      language: input.language,
      tu: input.tone.address === "tu",
      channel: input.channel,
      facts: replyFacts,
      dates: { timeZone: input.timeZone, language: input.language, now: toInstant(input.now) },
    };
    const overridden = override ? fillOverride(replyTemplate, override, variableValues(ctx)) !== null : false;
    return { body: reply.text, ...(reply.subject === undefined ? {} : { subject: reply.subject }), ...(reply.html === undefined ? {} : { html: reply.html }), ...(reply.sms ? { segments: reply.sms } : {}), overridden };
  };
  const full = render(input.facts);
  if (input.channel !== "sms" || full.overridden || (full.segments?.segments ?? 0) <= 1) return full;
  // The reply wording was written for an answer, where the customer asked; as an unasked SMS it
  // should cost one segment. Said less, in this order, until it fits: without the shop's address
  // and phone and the announce of a reminder (one segment, or not at all: return instructions
  // without how to return say nothing); then the full message if it fits in two; then without the
  // return deadline (the window in days stays). Else the shortest.
  const hold = input.facts.hold;
  const lean = render({ ...input.facts, store: null, hold: hold ? { ...hold, reminderAt: null } : hold });
  const noDeadline = () => render({ ...input.facts, returnPolicy: input.facts.returnPolicy ? { ...input.facts.returnPolicy, deadline: null } : null });
  const segments = (r: Parts) => r.segments?.segments ?? 0;
  if (segments(lean) === 1) return lean;
  if (segments(full) <= 2) return full;
  const shorter = noDeadline();
  if (segments(shorter) <= 2) return shorter;
  return [full, lean, shorter].sort((x, y) => segments(x) - segments(y))[0] ?? full;
}

// ───────────────────────────── own templates ─────────────────────────────

function renderOwn(input: ProactiveRenderInput, ctx: WordingContext): Parts {
  let body = proactiveBody(ctx);
  let overridden = false;
  const override = input.overrides?.[ctx.template]?.[input.language]?.[input.channel];
  if (override) {
    const filled = fillProactiveOverride(ctx.template, input.channel, override, proactiveVariableValues(ctx));
    if (filled !== null) {
      // The merchant's text is her own voice: no emoji added to it.
      body = { ...body, emoji: null, blocks: filled.split(/\n\s*\n/).map((p) => block(p.trim())) };
      overridden = true;
    }
  }
  const emoji = input.tone.emoji ? body.emoji : null;
  const signature = proactiveSignature(input.tone, input.facts.shopName);
  const optOut = MARKETING_TEMPLATES.has(ctx.template) ? optOutLine(input.language, ctx.tu, input.channel) : null;
  const shape = { language: input.language, channel: input.channel, firstName: input.facts.firstName, signature, optOut };

  if (input.channel === "email") {
    const { text, html } = emailParts(shape, body, emoji);
    return { body: text, subject: proactiveSubject(ctx).replace(/[\r\n]+/g, " "), html, overridden };
  }
  if (input.channel === "whatsapp") return { body: chatText(shape, body, emoji), overridden };

  // SMS: drop optional details, last first, while the text needs more than one segment.
  let blocks = body.blocks;
  const sms = (bs: ProactiveBlock[], e: string | null) => gsmTypography(chatText(shape, { ...body, blocks: bs }, e));
  let bare = sms(blocks, null);
  const groups = [...new Set(blocks.map((b) => b.optional).filter((g): g is string => g !== undefined))];
  for (let group = groups.pop(); group !== undefined && countSmsSegments(bare).segments > 1; group = groups.pop()) {
    const without = group;
    blocks = blocks.filter((b) => b.optional !== without);
    bare = sms(blocks, null);
  }
  const bareCount = countSmsSegments(bare);
  if (emoji) {
    const withEmoji = sms(blocks, emoji);
    const count = countSmsSegments(withEmoji);
    if (count.segments <= bareCount.segments) return { body: withEmoji, segments: count, overridden };
  }
  return { body: bare, segments: bareCount, overridden };
}

interface Shape {
  language: Language;
  channel: ChannelKind;
  firstName: string | null;
  signature: string;
  optOut: string | null;
}



/** SMS and WhatsApp: "Bonjour Julie ! 😊 Petit rappel : …", the signature, then the opt-out line. */
function chatText(shape: Shape, body: ProactiveBody, emoji: string | null): string {
  const whatsapp = shape.channel === "whatsapp";
  const paras = paragraphs(body.blocks).map((p) => chatParagraph(p, whatsapp ? "whatsapp" : "plain"));
  const separator = whatsapp ? "\n\n" : "\n";
  let text: string;
  if (body.greet) {
    const hello = greeting(shape.language, shape.firstName, shape.channel) + (emoji ? ` ${emoji}` : "");
    text = [paras.length ? `${hello} ${paras[0]}` : hello, ...paras.slice(1)].join(separator);
  } else {
    text = [emoji && paras.length ? `${paras[0]} ${emoji}` : (paras[0] ?? ""), ...paras.slice(1)].join(separator);
  }
  if (body.sign) text = `${text}\n${shape.signature}`;
  return shape.optOut ? `${text}${separator}${shape.optOut}` : text;
}

function emailParts(shape: Shape, body: ProactiveBody, emoji: string | null): { text: string; html: string } {
  // The emoji ends the first block, never after a link or a list that follows it.
  const [first, ...others] = body.blocks;
  const blocks = emoji && first ? [{ ...first, parts: [...first.parts, ` ${emoji}`] }, ...others] : body.blocks;
  const paras = paragraphs(blocks);
  const hello = body.greet ? greeting(shape.language, shape.firstName, "email") : null;
  const closing = body.sign ? [emailClosing(shape.language), shape.signature] : null;
  const text = [...(hello ? [hello] : []), ...paras.map((p) => plainParts(p)), ...(closing ? [closing.join("\n")] : []), ...(shape.optOut ? [shape.optOut] : [])].join("\n\n");
  const html = htmlDocument(
    [
      ...(hello ? [escapeHtml(hello)] : []),
      ...paras.map((p) => p.map(htmlInline).join("")),
      ...(closing ? [closing.map(htmlText).join("<br>")] : []),
      ...(shape.optOut ? [`<small>${htmlText(shape.optOut)}</small>`] : []),
    ],
    shape.language,
  );
  return { text, html };
}
