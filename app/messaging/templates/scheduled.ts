/**
 * The scheduled-message sender's renderer (`RenderProactive` of ../proactive.server.ts): a
 * scheduled message's type and gathered facts → the proactive template, rendered for the channel.
 * A message that fails the grounding check is never returned: the job fails loudly instead.
 */
import type { ScheduledMessageType } from "../../../db/schema/scheduled-messages";
import type { ProactiveContent, ProactiveFacts, RenderProactive } from "../proactive.server";
import type { ProactiveTemplateId } from "./catalogue";
import type { ProactiveTemplateFacts } from "./facts";
import { renderProactive } from "./render";

export class UngroundedProactiveMessageError extends Error {
  override name = "UngroundedProactiveMessageError";
  constructor(
    readonly template: ProactiveTemplateId,
    readonly ungrounded: string[],
  ) {
    super(`the ${template} message states what no fact gave: ${ungrounded.join(", ")}`);
  }
}

/** The template of a scheduled message; a hold's expiry notice is "ending" before its end, "ended" after. */
export function templateForScheduled(type: ScheduledMessageType, facts: Pick<ProactiveFacts, "hold">, now: Date): ProactiveTemplateId {
  switch (type) {
    case "pickup_reminder":
      return "reminder.pickup";
    case "hold_expiry": {
      const end = facts.hold ? Date.parse(facts.hold.expiresAt) : Number.NaN;
      return Number.isFinite(end) && end <= now.getTime() ? "hold.expired" : "hold.expiring";
    }
    case "thank_you":
      return "order.thank_you";
    case "follow_up":
      return "order.follow_up";
    case "back_in_stock":
      return "back_in_stock.available";
    case "shipping_update":
    case "tracking_alert":
      return "shipping.update";
    case "broadcast":
      return "broadcast.custom";
  }
}

/** The sender's facts as the templates read them (what the sender does not gather, they do not say). */
export function templateFacts(facts: ProactiveFacts): ProactiveTemplateFacts {
  return {
    shopName: facts.shopName,
    firstName: facts.firstName,
    hold: facts.hold ? { productTitle: facts.hold.productTitle, size: facts.hold.size, expiresAt: facts.hold.expiresAt } : null,
    product: facts.product ? { title: facts.product.title, size: facts.product.size } : null,
    order: facts.order ? { name: facts.order.name, lines: facts.order.lines.map((l) => ({ title: l.title, size: l.size, quantity: l.quantity })) } : null,
    text: facts.text,
  };
}

export const renderScheduledMessage: RenderProactive = (input): ProactiveContent => {
  const template = templateForScheduled(input.type, input.facts, input.now);
  const rendered = renderProactive({
    template,
    language: input.language,
    tone: input.tone,
    channel: input.channel,
    facts: templateFacts(input.facts),
    timeZone: input.timeZone,
    now: input.now,
    whatsappTemplates: input.whatsappTemplates,
  });
  if (!rendered.grounding.ok) throw new UngroundedProactiveMessageError(template, rendered.grounding.ungrounded);
  return {
    body: rendered.body,
    ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
    ...(rendered.html === undefined ? {} : { html: rendered.html }),
    ...(rendered.whatsappTemplate === undefined ? {} : { whatsappTemplate: rendered.whatsappTemplate }),
  };
};
