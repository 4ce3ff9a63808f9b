/**
 * renderReply(): a template's body (or the shop's override of it), the greeting, the hold proposal
 * and the signature, shaped for the channel:
 *  - SMS: plain text, typographic characters replaced by their GSM-7 equivalents, segments counted.
 *    Emoji rule: the template's emoji is kept only if it does not raise the segment count — an emoji
 *    switches a GSM-7 text to UCS-2 (160 → 70 characters per SMS), which usually doubles the cost.
 *  - WhatsApp: plain text with *bold*.
 *  - email: a subject ("Re: <the customer's subject>" when answering one, else the template's),
 *    a text part with greeting, closing and signature, and the same content as escaped HTML.
 * Pure: no clock (the caller gives `now` for "demain"), no I/O. The caller runs checkGrounding on
 * `text` before sending.
 */
import type { ReplyInput, RenderedReply } from "../contracts";
import { block, chatParagraph, inline, paragraphs, plainParts, type Body } from "./body";
import { toInstant } from "./dates";
import { escapeHtml, htmlDocument, htmlInline, htmlText } from "./html";
import { fillOverride } from "./overrides";
import { countSmsSegments, gsmTypography } from "./sms";
import { emailClosing, greeting, holdProposal, templateBody, templateSubject, type TemplateContext } from "./templates";
import { variableValues } from "./variables";

/**
 * What renderReply needs beyond the contract's ReplyInput (optional, so a plain ReplyInput works):
 * the current time, for relative days ("jusqu'à demain 18h" rather than "jusqu'au mardi 13 janvier
 * à 18h"), and the subject of the customer's email being answered.
 */
export interface ReplyRenderContext {
  now?: Date | string | null;
  replyToSubject?: string | null;
}

export type ReplyRenderInput = ReplyInput & ReplyRenderContext;

function templateContext(input: ReplyRenderInput): TemplateContext {
  return {
    template: input.template,
    language: input.language,
    tu: input.tone.address === "tu",
    channel: input.channel,
    facts: input.facts,
    dates: { timeZone: input.timeZone, language: input.language, now: toInstant(input.now ?? null) },
  };
}

/** The template's body, or the shop's override when it can be used for these facts. */
function bodyFor(input: ReplyRenderInput, ctx: TemplateContext): Body {
  const body = templateBody(ctx);
  const override = input.overrides?.[input.template]?.[input.language];
  if (!override) return body;
  const filled = fillOverride(input.template, override, variableValues(ctx));
  if (filled === null) return body;
  // The merchant's text is her own voice: no emoji added to it.
  return { ...body, emoji: null, blocks: filled.split(/\n\s*\n/).map((p) => block(p.trim())) };
}



/** SMS and WhatsApp: "Bonjour Julie ! 😊 Oui, …" then the signature on its own line. */
function chatText(input: ReplyRenderInput, body: Body, emoji: string | null): string {
  const style = input.channel === "whatsapp" ? "whatsapp" : "plain";
  const paras = paragraphs(body.blocks).map((p) => chatParagraph(p, style));
  const separator = input.channel === "whatsapp" ? "\n\n" : "\n";
  let text: string;
  if (body.greet) {
    const hello = greeting(input.language, input.facts.firstName, input.channel) + (emoji ? ` ${emoji}` : "");
    text = [paras.length ? `${hello} ${paras[0]}` : hello, ...paras.slice(1)].join(separator);
  } else {
    text = [emoji && paras.length ? `${paras[0]} ${emoji}` : (paras[0] ?? ""), ...paras.slice(1)].join(separator);
  }
  const signature = input.tone.signature?.trim();
  return body.sign && signature ? `${text}\n${signature}` : text;
}

function emailParts(input: ReplyRenderInput, body: Body, emoji: string | null): { text: string; html: string } {
  // The emoji ends the first sentence block, never after a link or a list that follows it.
  const [first, ...others] = body.blocks;
  const blocks = emoji && first ? [{ ...first, parts: [...first.parts, ` ${emoji}`] }, ...others] : body.blocks;
  const paras = paragraphs(blocks);
  const hello = body.greet ? greeting(input.language, input.facts.firstName, "email") : null;
  const signature = input.tone.signature?.trim() || input.facts.shopName;
  const closing = body.sign ? [emailClosing(input.language), signature] : null;
  const text = [...(hello ? [hello] : []), ...paras.map((p) => plainParts(p)), ...(closing ? [closing.join("\n")] : [])].join("\n\n");
  const html = htmlDocument(
    [...(hello ? [escapeHtml(hello)] : []), ...paras.map((p) => p.map(htmlInline).join("")), ...(closing ? [closing.map(htmlText).join("<br>")] : [])],
    input.language,
  );
  return { text, html };
}

/** "Re: <subject>" without stacking prefixes; header-safe (no line breaks). */
export function replySubject(customerSubject: string | null | undefined): string | null {
  const cleaned = (customerSubject ?? "").replace(/[\r\n\t]+/g, " ").replace(/\s+/g, " ").trim();
  const bare = cleaned.replace(/^((re|fwd?|tr|aw|sv|réf|ref)\s*(\[\d+\])?\s*:\s*)+/i, "").trim();
  if (!bare) return null;
  return `Re: ${bare}`.slice(0, 250);
}

export function renderReply(input: ReplyRenderInput): RenderedReply {
  const ctx = templateContext(input);
  const body = bodyFor(input, ctx);
  if (input.propose === "hold") body.blocks = [...body.blocks, inline(holdProposal(ctx))];
  const emoji = input.tone.emoji ? body.emoji : null;

  if (input.channel === "email") {
    const { text, html } = emailParts(input, body, emoji);
    const subject = replySubject(input.replyToSubject) ?? templateSubject(ctx).replace(/[\r\n]+/g, " ");
    return { text, subject, html };
  }
  if (input.channel === "whatsapp") return { text: chatText(input, body, emoji) };

  const bare = gsmTypography(chatText(input, body, null));
  const bareCount = countSmsSegments(bare);
  if (emoji) {
    const withEmoji = gsmTypography(chatText(input, body, emoji));
    const count = countSmsSegments(withEmoji);
    if (count.segments <= bareCount.segments) return { text: withEmoji, sms: count };
  }
  return { text: bare, sms: bareCount };
}
