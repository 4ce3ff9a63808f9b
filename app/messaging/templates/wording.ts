/**
 * The wording of the proactive templates that have no reply counterpart, in French (tu or vous)
 * and English, in the shop's voice: warm, short, concrete ("Petit rappel : la Robe Fleurie Bleue
 * en 38 t'attend en boutique jusqu'à demain 18h."). Built with the reply's blocks (body.ts) so the
 * same content becomes SMS, WhatsApp and email alike.
 *
 * SMS cost: the text is written to fit one GSM-7 segment. The GSM-7 alphabet (sms.ts) has é è à ù
 * and É, but not ê â î ô û ç œ nor À: one of them switches the whole SMS to UCS-2 (70 characters
 * instead of 160). Hence "un imprévu" rather than "un empêchement", "je te la garde" rather than
 * "je te la mets de côté", no "À très vite", and "1 x" rather than "1 ×". Details that are nice but
 * not needed (the shop's address, "un imprévu ?") are `optional`: on SMS they are dropped, last
 * first, while the text needs more than one segment.
 */
import type { Language } from "~/conversation/contracts";
import { block, inline, line, type Block, type Inline } from "~/conversation/reply/body";
import { formatMoment, formatWeekHours, toInstant, until } from "~/conversation/reply/dates";
import { formatMoney } from "~/conversation/reply/format";
import { be, capitalize, de, objectPronoun, subjectPronoun, withArticle } from "~/conversation/reply/french";
import type { OwnProactiveTemplateId } from "./catalogue";
import { deliveryDay, itemWords, orderLineText, orderTotal, sizeOf, type ItemWords, type PhraseContext } from "./phrases";

export interface ProactiveBlock extends Block {
  /** A detail the SMS drops (with every block of the same group) when it would need more than one segment. */
  optional?: string;
}

export interface ProactiveBody {
  blocks: ProactiveBlock[];
  /** Used only when the shop's tone has emoji (on SMS, only when it costs no extra segment). */
  emoji: string | null;
  /** "Bonjour Julie !" first. */
  greet: boolean;
  /** The shop's signature last. */
  sign: boolean;
}

export interface WordingContext extends PhraseContext {
  template: OwnProactiveTemplateId;
}

/** A template needs a fact it cannot do without (a broadcast without its text). */
export class ProactiveFactsError extends Error {
  override name = "ProactiveFactsError";
}

function picker(ctx: PhraseContext) {
  return (fr: string | readonly [string, string], en: string): string => {
    if (ctx.language === "en") return en;
    return typeof fr === "string" ? fr : ctx.tu ? fr[0] : fr[1];
  };
}

function optional(group: string, b: Block): ProactiveBlock {
  return { ...b, optional: group };
}

function body(blocks: ProactiveBlock[], emoji: string | null = "😊"): ProactiveBody {
  return { blocks, emoji, greet: true, sign: true };
}

/** "Réponds-moi ici" / "Réponds simplement à cet email" / "Just reply here" ("Réponds-moi" on SMS, where every character counts). */
function replyHere(ctx: PhraseContext): string {
  const pick = picker(ctx);
  if (ctx.channel === "email") return pick(["Réponds simplement à cet email", "Répondez simplement à cet email"], "Just reply to this email");
  if (ctx.channel === "sms") return pick(["Réponds-moi", "Répondez-moi"], "Just reply");
  return pick(["Réponds-moi ici", "Répondez-moi ici"], "Just reply here");
}

/** The shop's address (and, off SMS, its week's hours): a detail, dropped first on a long SMS. */
function storeBlocks(ctx: PhraseContext): ProactiveBlock[] {
  const store = ctx.facts.store;
  if (!store?.address) return [];
  const pick = picker(ctx);
  const address = store.address;
  const where = /^\d/.test(address) ? pick(`La boutique est au ${address}.`, `You'll find us at ${address}.`) : pick(`Notre adresse : ${address}.`, `Our address: ${address}.`);
  const blocks = [optional("address", block(where))];
  if (store.hours && ctx.channel !== "sms") {
    blocks.push(optional("address", inline(pick(`Elle est ${formatWeekHours(store.hours, "fr")}.`, `We're ${formatWeekHours(store.hours, "en")}.`))));
  }
  return blocks;
}

/** "!" in English, " !" in French typography. */
function bang(ctx: PhraseContext): string {
  return ctx.language === "en" ? "!" : " !";
}

/** "Ta réservation de la Robe Fleurie Bleue en 38" / "Your hold on the Robe Fleurie Bleue in 38". */
function yourHold(ctx: PhraseContext, item: ItemWords | null): string {
  const pick = picker(ctx);
  const your = pick(["Ta réservation", "Votre réservation"], "Your hold");
  return item ? pick(`${your} ${item.of}`, `${your} on ${item.text}`) : your;
}

function heldItem(ctx: PhraseContext) {
  const hold = ctx.facts.hold;
  return { item: itemWords(ctx.language, hold?.productTitle, hold?.size), expires: toInstant(hold?.expiresAt, ctx.dates.timeZone) };
}

// ───────────────────────────── the templates ─────────────────────────────

export function proactiveBody(ctx: WordingContext): ProactiveBody {
  switch (ctx.template) {
    case "reminder.pickup":
      return pickupReminder(ctx);
    case "hold.expiring":
      return holdExpiring(ctx);
    case "hold.expired":
      return holdExpired(ctx);
    case "order.thank_you":
      return thankYou(ctx);
    case "order.follow_up":
      return followUp(ctx);
    case "back_in_stock.available":
      return backInStock(ctx);
    case "shipping.update":
      return shippingUpdate(ctx);
    case "broadcast.custom":
      return broadcast(ctx);
  }
}

function pickupReminder(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const { item, expires } = heldItem(ctx);
  const plural = item?.agreement?.plural ?? false;
  const what = item
    ? pick([`${item.text} ${plural ? "t'attendent" : "t'attend"}`, `${item.text} ${plural ? "vous attendent" : "vous attend"}`], `${item.text} ${plural ? "are" : "is"} waiting for you`)
    : pick(["ta réservation t'attend", "votre réservation vous attend"], "your hold is waiting for you");
  const first: Inline[] = [pick(`Petit rappel : ${what} en boutique`, `Just a reminder: ${what} in store`)];
  if (expires) first.push(" ", { bold: until(expires, ctx.dates) });
  first.push(".");
  return body([block(...first), ...storeBlocks(ctx), optional("help", block(`${pick("Un imprévu ?", "Can't make it?")} ${replyHere(ctx)}.`))]);
}

function holdExpiring(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const { item, expires } = heldItem(ctx);
  const hold = yourHold(ctx, item);
  const first: Inline[] = expires
    ? [pick(`${hold} se termine `, `${hold} ends `), { bold: formatMoment(expires, ctx.dates) }, "."]
    : [pick(`${hold} touche à sa fin.`, `${hold} is ending soon.`)];
  return body([block(...first), optional("more", block(`${pick("Besoin de plus de temps ?", "Need more time?")} ${replyHere(ctx)}${bang(ctx)}`)), ...storeBlocks(ctx)], "⏳");
}

function holdExpired(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const { item } = heldItem(ctx);
  const hold = yourHold(ctx, item);
  // With the item named, a pronoun ("tu la veux"); without, "l'article".
  const pronoun = item ? (objectPronoun(item.agreement) ?? "le") : null;
  const [wantTu, wantVous] = pronoun ? [`tu ${pronoun} veux`, `vous ${pronoun} voulez`] : ["tu veux", "vous voulez"];
  const thing = pronoun ? "" : " l'article";
  const it = !item ? "the item" : item.agreement?.plural ? "them" : "it";
  // On SMS the short question, which keeps it to one segment.
  const still =
    ctx.channel === "sms"
      ? pick([`${capitalize(wantTu)} toujours${thing} ? Réponds-moi !`, `${capitalize(wantVous)} toujours${thing} ? Répondez-moi !`], `Still want ${it}? Just reply!`)
      : pick(
          [`Si ${wantTu} toujours${thing}, réponds-moi et je regarde s'il en reste !`, `Si ${wantVous} toujours${thing}, répondez-moi et je regarde s'il en reste !`],
          `If you'd still like ${it}, just reply and I'll check if we have any left!`,
        );
  return body([block(pick(`${hold} est terminée.`, `${hold} has ended.`), ` ${still}`)], null);
}

function thankYou(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const order = ctx.facts.order;
  const name = order?.name ? ` ${order.name}` : "";
  const blocks: ProactiveBlock[] = [block(pick([`Merci pour ta commande${name} !`, `Merci pour votre commande${name} !`], `Thank you for your order${name}!`))];
  const lines = order?.lines ?? [];
  const bullet = ctx.channel === "sms" ? "" : "• ";
  lines.forEach((l, i) => {
    const text = `${bullet}${orderLineText(ctx.language, l, ctx.facts.currency)}`;
    blocks.push(optional("lines", i === 0 ? block(text) : line(text)));
  });
  const total = orderTotal(ctx);
  if (total) {
    const text = pick(`Total : ${total}`, `Total: ${total}`);
    // Dropped before the lines on a long SMS: with one line it repeats its price, give or take the postage.
    blocks.push(optional("total", lines.length ? line(text) : block(text)));
  }
  const single = lines.length === 1 && lines[0]?.quantity === 1 ? lines[0] : null;
  const agreement = single ? withArticle(single.title).agreement : null;
  const pronoun = subjectPronoun(agreement);
  const hope =
    ctx.language === "en"
      ? single
        ? "We hope you'll love it!"
        : "We hope you'll love everything!"
      : pronoun
        ? `On espère qu'${pronoun} ${ctx.tu ? "te" : "vous"} ${agreement?.plural ? "plairont" : "plaira"} !`
        : `On espère que tout ${ctx.tu ? "te" : "vous"} plaira !`;
  blocks.push(block(hope));
  return body(blocks);
}

function followUp(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const order = ctx.facts.order;
  const lines = order?.lines ?? [];
  const title = ctx.facts.product?.title ?? (lines.length === 1 ? lines[0]?.title : null) ?? null;
  const name = order?.name ? ` ${order.name}` : "";
  const first = title
    ? pick([`Comment trouves-tu ${withArticle(title).text} ?`, `Comment trouvez-vous ${withArticle(title).text} ?`], `How do you like the ${title}?`)
    : pick([`Tout s'est bien passé avec ta commande${name} ?`, `Tout s'est bien passé avec votre commande${name} ?`], `Are you happy with your order${name}?`);
  const question = ctx.channel === "sms" ? pick("Un conseil, une autre taille ?", "Advice or another size?") : pick("Une question, un conseil ou une autre taille ?", "A question, some advice or another size?");
  return body([block(first), optional("help", inline(`${question} ${replyHere(ctx)}${bang(ctx)}`))]);
}

function backInStock(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const product = ctx.facts.product;
  const size = sizeOf(product?.size);
  const price = product?.price ? formatMoney(product.price, ctx.facts.currency, ctx.language) : null;
  const tail = `${price ? ` (${price})` : ""}${bang(ctx)}`;
  const named = product?.title ? withArticle(product.title) : null;
  const agreement = named?.agreement ?? null;
  const where = size ? pick(` en ${size}`, ` in ${size}`) : "";
  const first = named
    ? pick(`Bonne nouvelle : ${named.text} ${be(agreement)} de retour${where}${tail}`, `Good news: the ${product?.title} ${agreement?.plural ? "are" : "is"} back${where}${tail}`)
    : pick(
        [`Bonne nouvelle : l'article que tu attendais est de retour${where}${tail}`, `Bonne nouvelle : l'article que vous attendiez est de retour${where}${tail}`],
        `Good news: the item you were waiting for is back${where}${tail}`,
      );
  // "garder", not "mettre de côté": the ô of "côté" is not GSM-7.
  const pronoun = objectPronoun(agreement) ?? "le";
  const email = ctx.channel === "email";
  const hold = pick(
    [`${email ? "Réponds à cet email" : "Réponds-moi"} et je te ${pronoun} garde !`, `${email ? "Répondez à cet email" : "Répondez-moi"} et je vous ${pronoun} garde !`],
    `Just reply and I'll hold ${agreement?.plural ? "them" : "it"} for you!`,
  );
  return body([block(first), optional("hold", inline(hold)), ...storeBlocks(ctx)], "🎉");
}

function shippingUpdate(ctx: PhraseContext): ProactiveBody {
  const pick = picker(ctx);
  const order = ctx.facts.order;
  const name = order?.name ? ` ${order.name}` : "";
  const carrier = order?.carrier ? pick(` avec ${order.carrier}`, ` with ${order.carrier}`) : "";
  // "Bonne nouvelle" is the one thing an SMS can spare to stay in one segment.
  const news = ctx.channel === "sms" ? "" : pick("Bonne nouvelle : ", "Good news: ");
  const your = pick(["ta commande", "votre commande"], "your order");
  const opening = `${news}${news ? your : capitalize(your)}${name}`;
  const blocks: ProactiveBlock[] = [block(pick(`${opening} est en route${carrier} !`, `${opening} is on its way${carrier}!`))];
  const day = deliveryDay(ctx);
  if (day) blocks.push(inline(pick(`Livraison prévue ${day}.`, `It should arrive ${day}.`)));
  if (order?.trackingNumber) {
    const label = ctx.channel === "sms" ? pick("Suivi : ", "Tracking: ") : pick(["Ton numéro de suivi : ", "Votre numéro de suivi : "], "Your tracking number: ");
    blocks.push(line(label, { bold: order.trackingNumber }));
  }
  // A link is long on SMS (and often cut by the carrier): the number is enough there.
  if (order?.trackingUrl && ctx.channel !== "sms" && /^https?:\/\//i.test(order.trackingUrl)) {
    blocks.push(line(pick(["Pour suivre ton colis : ", "Pour suivre votre colis : "], "Track your parcel: "), { link: order.trackingUrl }));
  }
  return body(blocks, "📦");
}

/** The merchant's own text, in her voice: no greeting or emoji added; the shop's name says who writes. */
function broadcast(ctx: PhraseContext): ProactiveBody {
  const text = ctx.facts.text?.trim();
  if (!text) throw new ProactiveFactsError("broadcast.custom needs the merchant's text (facts.text)");
  const shop = ctx.facts.shopName;
  const paragraphs = text.split(/\n\s*\n/).map((p) => block(p.trim()));
  if (ctx.channel === "email") return { blocks: paragraphs, emoji: null, greet: true, sign: true };
  if (ctx.channel === "whatsapp") return { blocks: [block({ bold: shop }), ...paragraphs], emoji: null, greet: false, sign: false };
  return { blocks: [block(`${shop}${ctx.language === "fr" ? " :" : ":"} ${text}`)], emoji: null, greet: false, sign: false };
}

// ───────────────────────────── subject, opt-out ─────────────────────────────

export function proactiveSubject(ctx: WordingContext): string {
  const pick = picker(ctx);
  const f = ctx.facts;
  const name = f.order?.name ? ` ${f.order.name}` : "";
  switch (ctx.template) {
    case "reminder.pickup": {
      const title = f.hold?.productTitle;
      if (!title) return pick(["Rappel : ta réservation t'attend", "Rappel : votre réservation vous attend"], "Reminder: your hold is waiting for you");
      const plural = withArticle(title).agreement?.plural ?? false;
      return pick([`Rappel : ${withArticle(title).text} ${plural ? "t'attendent" : "t'attend"}`, `Rappel : ${withArticle(title).text} ${plural ? "vous attendent" : "vous attend"}`], `Reminder: the ${title} ${plural ? "are" : "is"} waiting for you`);
    }
    case "hold.expiring": {
      const expires = toInstant(f.hold?.expiresAt, ctx.dates.timeZone);
      const your = pick(["Ta réservation", "Votre réservation"], "Your hold");
      return expires ? pick(`${your} se termine ${formatMoment(expires, ctx.dates)}`, `${your} ends ${formatMoment(expires, ctx.dates)}`) : pick(`${your} touche à sa fin`, `${your} is ending soon`);
    }
    case "hold.expired":
      return pick(["Ta réservation est terminée", "Votre réservation est terminée"], "Your hold has ended");
    case "order.thank_you":
      return pick([`Merci pour ta commande${name}`, `Merci pour votre commande${name}`], `Thank you for your order${name}`);
    case "order.follow_up":
      return pick(["Comment trouves-tu ta commande ?", "Comment trouvez-vous votre commande ?"], "How do you like your order?");
    case "back_in_stock.available": {
      const title = f.product?.title;
      if (!title) return pick(["L'article que tu attendais est de retour !", "L'article que vous attendiez est de retour !"], "The item you were waiting for is back!");
      const named = withArticle(title);
      return pick(`${capitalize(named.text)} ${be(named.agreement)} de retour !`, `The ${title} ${named.agreement?.plural ? "are" : "is"} back!`);
    }
    case "shipping.update":
      return pick([`Ta commande${name} est en route`, `Votre commande${name} est en route`], `Your order${name} is on its way`);
    case "broadcast.custom":
      return pick(`Des nouvelles ${de(f.shopName)}`, `News from ${f.shopName}`);
  }
}

/**
 * How to stop marketing messages, on every marketing message. On SMS the short form, which needs
 * no tu/vous; STOP is handled by the engine on every channel (DESIGN §8).
 */
export function optOutLine(language: Language, tu: boolean, channel: PhraseContext["channel"]): string {
  if (channel === "sms") return language === "fr" ? "Désinscription : STOP" : "Unsubscribe: reply STOP";
  if (channel === "email") {
    if (language === "en") return "To stop receiving our messages, reply STOP to this email.";
    return tu ? "Pour ne plus recevoir nos messages, réponds STOP à cet email." : "Pour ne plus recevoir nos messages, répondez STOP à cet email.";
  }
  if (language === "en") return "Reply STOP to stop receiving our messages.";
  return tu ? "Réponds STOP pour ne plus recevoir nos messages." : "Répondez STOP pour ne plus recevoir nos messages.";
}
