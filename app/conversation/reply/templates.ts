/**
 * The wording of every reply template, in French (tu or vous) and English, in the shop's voice from
 * the seeds: warm, short, concrete ("Oui, on a la Robe Fleurie Bleue en 38 !"), never robotic.
 * Every number, date, time, amount and tracking number comes from `facts` (grounding.ts refuses
 * anything else); a template that lacks a fact says less rather than guessing. A customer's name and
 * an order's details appear only when the engine put them in the facts (it does so for a verified
 * sender only).
 */
import type { ChannelKind, Language, ReplyFacts, ReplyTemplateId } from "../contracts";
import { block, line, type Block, type Body, type Inline } from "./body";
import {
  daysFromNow,
  formatDay,
  formatHhmm,
  formatMoment,
  formatNearDay,
  formatOpenHours,
  formatRange,
  formatTimeOf,
  formatWeekHours,
  local,
  nextOpening,
  toInstant,
  until,
  untilDay,
  WEEKDAY_KEYS,
  WEEKDAY_NAMES,
  type DateContext,
  type OpeningHours,
} from "./dates";
import { formatMoney, formatPhone, inSize, isFree, isOneSize, joinList, sizeChoices, sizeList } from "./format";
import { agree, be, capitalize, conjugate, de, objectPronoun, ofProduct, subjectPronoun, withArticle, yourEvent, type Agreement } from "./french";

export interface TemplateContext {
  template: ReplyTemplateId;
  language: Language;
  /** French "tu"; English ignores it. */
  tu: boolean;
  channel: ChannelKind;
  facts: ReplyFacts;
  dates: DateContext;
}

/** A product as French and English sentences name it. */
interface ProductWords {
  /** "la Robe Fleurie Bleue", "« Twin-set Ivoire »", or "cet article" with no title. */
  fr: string;
  agreement: Agreement | null;
  /** "the Robe Fleurie Bleue" or "this item". */
  en: string;
}

function productWords(title: string | null | undefined): ProductWords {
  if (!title) return { fr: "cet article", agreement: null, en: "this item" };
  const { text, agreement } = withArticle(title);
  return { fr: text, agreement, en: `the ${title}` };
}

/** Picks the wording for the language and address form: `pick(["tu", "vous"], "en")` or `pick("fr", "en")`. */
function picker(ctx: TemplateContext) {
  return (fr: string | readonly [string, string], en: string): string => {
    if (ctx.language === "en") return en;
    return typeof fr === "string" ? fr : ctx.tu ? fr[0] : fr[1];
  };
}

function inStockSizes(facts: ReplyFacts, except: string | null = null): string[] {
  return facts.sizes.filter((s) => s.available > 0 && s.size !== null && !isOneSize(s.size) && s.size !== except).map((s) => s.size as string);
}

function requestedSize(facts: ReplyFacts): string | null {
  return facts.requested?.size ?? facts.requestedSize ?? null;
}

function body(blocks: Block[], emoji: string | null = "😊"): Body {
  return { blocks, emoji, greet: true, sign: true };
}

// ───────────────────────────── shared sentences ─────────────────────────────

/** "Elle est à 89 €." / "It's €89." — only when the price is a fact. */
function priceSentence(ctx: TemplateContext, product: ProductWords): string | null {
  const { price, currency } = ctx.facts;
  if (price === null || price === undefined || price === "") return null;
  const amount = formatMoney(price, currency, ctx.language);
  if (ctx.language === "en") return `It's ${amount}.`;
  const pronoun = subjectPronoun(product.agreement);
  return pronoun ? `${capitalize(pronoun)} ${be(product.agreement)} à ${amount}.` : `Prix : ${amount}.`;
}

/** "Je peux te proposer le 36 ou le 40." or the offer to tell her when the size is back. */
function otherSizesOrAlert(ctx: TemplateContext, product: ProductWords, size: string | null): string {
  const pick = picker(ctx);
  const others = inStockSizes(ctx.facts, size);
  if (others.length) {
    return pick([`Je peux te proposer ${sizeChoices(others, "fr")}.`, `Je peux vous proposer ${sizeChoices(others, "fr")}.`], `I can offer you ${sizeChoices(others, "en")}.`);
  }
  const pronoun = subjectPronoun(product.agreement);
  const back = pronoun ? `qu'${pronoun} ${conjugate("revient", "reviennent", product.agreement)}` : "que ce modèle revient";
  const where = size && !isOneSize(size) ? ` ${inSize(size, "fr")}` : "";
  return pick(
    [`Je peux te prévenir dès ${back}${where}, dis-moi !`, `Je peux vous prévenir dès ${back}${where}, dites-moi !`],
    `I can let you know as soon as it's back${size && !isOneSize(size) ? ` ${inSize(size, "en")}` : ""}, just tell me!`,
  );
}

/** "ton mariage samedi" / "your wedding on Saturday"; the day alone ("samedi", "Saturday") when the event's noun is unknown. */
function eventWords(ctx: TemplateContext): { what: string } | null {
  const event = ctx.facts.event;
  const at = toInstant(event?.at, ctx.dates.timeZone);
  if (!event || !at) return null;
  const day = formatNearDay(at, ctx.dates);
  if (ctx.language === "en") {
    const label = event.label.trim() ? `your ${event.label.trim().toLowerCase()}` : null;
    return { what: label ? `${label} ${day}` : day.replace(/^on /, "") };
  }
  const label = yourEvent(event.label, ctx.tu);
  return { what: label ? `${label} ${day}` : day };
}

/** "Aujourd'hui", "Demain (dimanche)", "Samedi 17 janvier" / "Today", "Tomorrow (Sunday)", "On Saturday 17 January". */
function dayHeading(date: Date, ctx: TemplateContext): string {
  const day = formatDay(date, ctx.dates);
  const weekday = WEEKDAY_NAMES[ctx.language][local(date, ctx.dates.timeZone).weekday] ?? "";
  if (day.relative) return `${capitalize(day.text)}${daysFromNow(date, ctx.dates) === 1 ? ` (${weekday})` : ""}`;
  return ctx.language === "en" ? `On ${day.text}` : capitalize(day.text);
}

/** The store's hours for the asked day: open, or closed with the next opening. */
function dayHoursSentence(ctx: TemplateContext, hours: OpeningHours, day: { key: string; date: string }): string | null {
  const date = toInstant(day.date, ctx.dates.timeZone);
  const key = WEEKDAY_KEYS.find((k) => k === day.key);
  if (!date || !key) return null;
  const range = hours[key];
  const heading = dayHeading(date, ctx);
  const pick = picker(ctx);
  if (range) return pick(`${heading}, la boutique est ouverte ${formatRange(range, "fr")}.`, `${heading}, we're open ${formatRange(range, "en")}.`);
  const next = nextOpening(hours, key, ctx.language);
  return pick(
    `${heading}, la boutique est fermée.${next ? ` On rouvre ${next}.` : ""}`,
    `${heading}, we're closed.${next ? ` We reopen ${next}.` : ""}`,
  );
}

/**
 * When the customer announced a visit (`store.day`, at the time she gave) the shop is closed for:
 * "Attention, la boutique ferme à 19h aujourd'hui." / "…est fermée dimanche : on rouvre lundi à 10h."
 * Nothing when the visit falls within the opening hours.
 */
function visitWarning(ctx: TemplateContext): string | null {
  const store = ctx.facts.store;
  const visit = toInstant(store?.day?.date, ctx.dates.timeZone);
  const key = WEEKDAY_KEYS.find((k) => k === store?.day?.key);
  if (!store?.hours || !visit || !key) return null;
  const pick = picker(ctx);
  const day = formatNearDay(visit, ctx.dates);
  const range = store.hours[key];
  if (!range) {
    const next = nextOpening(store.hours, key, ctx.language);
    return pick(`Attention, la boutique est fermée ${day}${next ? ` : on rouvre ${next}` : ""}.`, `Heads-up: we're closed ${day}${next ? `; we reopen ${next}` : ""}.`);
  }
  const d = local(visit, ctx.dates.timeZone);
  const minutes = d.hour * 60 + d.minute;
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  if (minutes === 0) return null; // a day without a time
  if (minutes >= toMinutes(range[1])) return pick(`Attention, la boutique ferme à ${formatHhmm(range[1], "fr")} ${day}.`, `Heads-up: we close at ${formatHhmm(range[1], "en")} ${day}.`);
  if (minutes < toMinutes(range[0])) return pick(`Attention, la boutique ouvre à ${formatHhmm(range[0], "fr")} ${day}.`, `Heads-up: we open at ${formatHhmm(range[0], "en")} ${day}.`);
  return null;
}

/** "24 Rue de Rivoli, 75004 Paris, du lundi au samedi de 10h à 19h". */
function storeLine(ctx: TemplateContext, withHours: boolean): string | null {
  const store = ctx.facts.store;
  if (!store?.address) return null;
  const hours = withHours && store.hours ? formatOpenHours(store.hours, ctx.language) : "";
  return hours ? `${store.address}, ${hours}` : store.address;
}

/** An exchanged item: "le 40" when its size is known, else its title. */
function exchangeItem(display: string, ctx: TemplateContext): string {
  const paren = display.match(/^(.*?)\s*\(([^()]+)\)\s*$/);
  const size = paren ? paren[2]?.trim() : display.trim().length <= 5 ? display.trim() : null;
  if (size) return ctx.language === "fr" ? `le ${size}` : `the ${size}`;
  const title = (paren ? paren[1] : display)?.trim() ?? display;
  return ctx.language === "fr" ? withArticle(title).text : `the ${title}`;
}

type OptionKind = "store" | "post" | "other";

function optionKind(label: string): OptionKind {
  if (/store|shop|boutique|magasin/i.test(label)) return "store";
  if (/post|courrier|mail|poste|colis/i.test(label)) return "post";
  return "other";
}

function optionTitle(ctx: TemplateContext, option: { label: string; fee: string | null }): string {
  const kind = optionKind(option.label);
  const name = kind === "store" ? picker(ctx)("Échange en boutique", "Exchange in store") : kind === "post" ? picker(ctx)("Échange par courrier", "Exchange by post") : option.label;
  const fee = isFree(option.fee) ? picker(ctx)("gratuit", "free") : formatMoney(option.fee ?? "0", ctx.facts.currency, ctx.language);
  return `${name} (${fee})`;
}

// ───────────────────────────── the templates ─────────────────────────────

export function templateBody(ctx: TemplateContext): Body {
  const { facts } = ctx;
  const pick = picker(ctx);
  const product = productWords(facts.productTitle);
  const P = product.fr;

  switch (ctx.template) {
    case "availability.variant": {
      const size = requestedSize(facts);
      // "en taille unique" says nothing useful: a one-size product is just "available".
      const fr = size && !isOneSize(size) ? ` ${inSize(size, "fr")}` : "";
      const en = size && !isOneSize(size) ? ` ${inSize(size, "en")}` : "";
      const available = facts.requested?.available ?? 0;
      const price = priceSentence(ctx, product);
      if (available > 0) {
        return body([
          block(
            pick(`Oui, on a ${P}${fr} !`, `Yes, we have ${product.en}${en}!`) +
              (price ? ` ${price}` : "") +
              pick(` Il nous en reste ${available} en boutique.`, ` We have ${available} left in store.`),
          ),
        ]);
      }
      const not = product.agreement?.plural ? "ne sont" : "n'est";
      return body(
        [
          block(
            pick(
              `Désolée, ${P} ${not} plus ${agree("disponible", product.agreement)}${fr} pour le moment.`,
              `Sorry, ${product.en} is out of stock${en} at the moment.`,
            ) + ` ${otherSizesOrAlert(ctx, product, size)}`,
          ),
        ],
        null,
      );
    }

    case "availability.product": {
      const sizes = inStockSizes(facts);
      const price = priceSentence(ctx, product);
      const oneSize = facts.sizes.length <= 1 && facts.sizes.every((s) => isOneSize(s.size));
      const units = facts.sizes.reduce((n, s) => n + Math.max(0, s.available), 0);
      if (oneSize && units > 0) {
        return body([
          block(
            pick(`Oui, on a ${P} en boutique !`, `Yes, we have ${product.en} in store!`) +
              (price ? ` ${price}` : "") +
              pick(` Il nous en reste ${units}.`, ` We have ${units} left.`),
          ),
        ]);
      }
      if (sizes.length) {
        return body([
          block(
            pick(`Oui, ${P} ${be(product.agreement)} ${agree("disponible", product.agreement)} en ${sizeList(sizes, "fr")} !`, `Yes, ${product.en} is available in ${sizeList(sizes, "en")}!`) +
              (price ? ` ${price}` : "") +
              pick([" Quelle taille te faut-il ?", " Quelle taille vous faut-il ?"], " Which size would you like?"),
          ),
        ]);
      }
      const not = product.agreement?.plural ? "ne sont" : "n'est";
      return body(
        [
          block(
            pick(`Désolée, ${P} ${not} plus ${agree("disponible", product.agreement)} pour le moment.`, `Sorry, ${product.en} is out of stock at the moment.`) +
              ` ${otherSizesOrAlert(ctx, product, null)}`,
          ),
        ],
        null,
      );
    }

    case "availability.size_not_offered": {
      const asked = facts.requestedSize;
      const sizes = inStockSizes(facts);
      const all = facts.sizes.map((s) => s.size).filter((s): s is string => s !== null && !isOneSize(s));
      const exist = conjugate("existe", "existent", product.agreement);
      const first = asked
        ? pick(`Désolée, ${P} n'${exist} pas ${inSize(asked, "fr")}.`, `Sorry, ${product.en} doesn't come ${inSize(asked, "en")}.`)
        : pick([`Quelle taille te faut-il pour ${P} ?`, `Quelle taille vous faut-il pour ${P} ?`], `Which size would you like for ${product.en}?`);
      const have = product.agreement?.plural ? "les a" : "l'a";
      const rest = sizes.length
        ? pick(` On ${have} en ${sizeList(sizes, "fr")}.`, ` We have it in ${sizeList(sizes, "en")}.`)
        : all.length
          ? pick(` Les tailles ${sizeList(all, "fr")} sont toutes épuisées pour le moment.`, ` Sizes ${sizeList(all, "en")} are all sold out at the moment.`)
          : "";
      return body([block(first + rest)], null);
    }

    case "ask.product": {
      const size = facts.requestedSize;
      const where = size && !isOneSize(size) ? ` ${inSize(size, ctx.language)}` : "";
      return body([
        block(
          pick(
            [`Quel modèle t'intéresse${where} ? Donne-moi son nom ou sa référence et je regarde tout de suite.`, `Quel modèle vous intéresse${where} ? Donnez-moi son nom ou sa référence et je regarde tout de suite.`],
            `Which item would you like${where}? Send me its name or reference and I'll check right away.`,
          ),
        ),
      ]);
    }

    case "ask.size": {
      const sizes = inStockSizes(facts);
      const have = product.agreement?.plural ? "les a" : "l'a";
      return body([
        block(
          pick([`Avec plaisir ! Quelle taille te faut-il pour ${P} ?`, `Avec plaisir ! Quelle taille vous faut-il pour ${P} ?`], `Sure! Which size would you like for ${product.en}?`) +
            (sizes.length ? pick(` On ${have} en ${sizeList(sizes, "fr")}.`, ` We have it in ${sizeList(sizes, "en")}.`) : ""),
        ),
      ]);
    }

    case "hold.confirmed":
    case "hold.extended": {
      const hold = facts.hold;
      const expires = toInstant(hold?.expiresAt, ctx.dates.timeZone);
      if (!hold || !expires) {
        return body([block(pick(["C'est noté, ta réservation est faite !", "C'est noté, votre réservation est faite !"], "Done, your item is on hold!"))]);
      }
      const held = productWords(hold.productTitle);
      const size = hold.size && !isOneSize(hold.size) ? ` ${inSize(hold.size, ctx.language)}` : "";
      const waits = held.agreement?.plural ? ["t'attendent", "vous attendent"] : ["t'attend", "vous attend"];
      const deadline = until(expires, ctx.dates);
      const extended = ctx.template === "hold.extended";
      const parts = [
        pick(
          extended
            ? [`C'est fait ! ${capitalize(held.fr)}${size} ${waits[0]} maintenant ${deadline}.`, `C'est fait ! ${capitalize(held.fr)}${size} ${waits[1]} maintenant ${deadline}.`]
            : [`C'est fait ! ${capitalize(held.fr)}${size} ${waits[0]} en boutique ${deadline}.`, `C'est fait ! ${capitalize(held.fr)}${size} ${waits[1]} en boutique ${deadline}.`],
          extended ? `Done! ${capitalize(held.en)}${size} is now held for you ${deadline}.` : `Done! ${capitalize(held.en)}${size} is waiting for you in store ${deadline}.`,
        ),
      ];
      const reminder = toInstant(hold.reminderAt, ctx.dates.timeZone);
      if (reminder) {
        const when = daysFromNow(reminder, ctx.dates) === 0 ? pick(`à ${formatTimeOf(reminder, ctx.dates)}`, `at ${formatTimeOf(reminder, ctx.dates)}`) : formatMoment(reminder, ctx.dates);
        parts.push(pick([`Je t'enverrai un petit rappel ${when}.`, `Je vous enverrai un petit rappel ${when}.`], `I'll send you a quick reminder ${when}.`));
      }
      const warning = visitWarning(ctx);
      if (warning) parts.push(warning);
      return body([block(parts.join(" "))]);
    }

    case "hold.unavailable": {
      const size = requestedSize(facts) ?? facts.hold?.size ?? null;
      const where = size && !isOneSize(size) ? ` ${inSize(size, ctx.language)}` : pick(" en boutique", " in store");
      return body(
        [
          block(
            pick([`Désolée, il n'y en a plus${where} : je ne peux pas te réserver ${P}.`, `Désolée, il n'y en a plus${where} : je ne peux pas vous réserver ${P}.`], `Sorry, there are none left${where}, so I can't put ${product.en} aside.`) +
              ` ${otherSizesOrAlert(ctx, product, size)}`,
          ),
        ],
        null,
      );
    }

    case "hold.declined":
      return body([block(pick(["Pas de souci ! N'hésite pas si tu changes d'avis.", "Pas de souci ! N'hésitez pas si vous changez d'avis."], "No problem! Just let me know if you change your mind."))]);

    case "hold.cancelled": {
      const hold = facts.hold;
      const size = hold?.size && !isOneSize(hold.size) ? ` ${inSize(hold.size, ctx.language)}` : "";
      const what = hold?.productTitle ? pick(`la réservation ${ofProduct(hold.productTitle)}${size}`, `your hold on the ${hold.productTitle}${size}`) : pick(["ta réservation", "votre réservation"], "your hold");
      return body([
        block(
          pick(
            [`C'est noté, j'ai annulé ${what}. N'hésite pas si tu as besoin d'autre chose !`, `C'est noté, j'ai annulé ${what}. N'hésitez pas si vous avez besoin d'autre chose !`],
            `All right, I've cancelled ${what}. Let me know if you need anything else!`,
          ),
        ),
      ]);
    }

    case "hold.none":
      return body([
        block(
          pick(
            ["Je ne trouve aucune réservation à ton nom en ce moment. Dis-moi ce que tu cherches et je regarde !", "Je ne trouve aucune réservation à votre nom en ce moment. Dites-moi ce que vous cherchez et je regarde !"],
            "I can't find any item on hold for you at the moment. Tell me what you're looking for and I'll check!",
          ),
        ),
      ]);

    case "hold.limit":
      return body(
        [
          block(
            pick(
              [
                "Tu as déjà le maximum d'articles réservés. Dès que tu en récupères ou en libères un, je peux t'en garder un autre !",
                "Vous avez déjà le maximum d'articles réservés. Dès que vous en récupérez ou en libérez un, je peux vous en garder un autre !",
              ],
              "You already have the maximum number of items on hold. As soon as you pick one up or release one, I can hold another for you!",
            ),
          ),
        ],
        null,
      );

    case "order.status":
      return orderStatus(ctx);

    case "order.not_found":
      return body(
        [
          block(
            pick(
              ["Je ne retrouve pas cette commande. Tu peux vérifier le numéro ? Il est dans ton email de confirmation.", "Je ne retrouve pas cette commande. Pouvez-vous vérifier le numéro ? Il est dans votre email de confirmation."],
              "I can't find that order. Could you check the number? It's in your confirmation email.",
            ),
          ),
        ],
        null,
      );

    case "order.verify_identity":
      // Nothing about the order here, whatever the facts hold: the sender is not its customer.
      return body(
        [
          block(
            pick(
              [
                "Pour protéger les données de nos clientes, je ne peux donner les détails d'une commande qu'à la personne qui l'a passée. Écris-nous depuis le numéro ou l'email utilisé pour la commande, et je te réponds tout de suite.",
                "Pour protéger les données de nos clientes, je ne peux donner les détails d'une commande qu'à la personne qui l'a passée. Écrivez-nous depuis le numéro ou l'email utilisé pour la commande, et je vous réponds tout de suite.",
              ],
              "To protect our customers' data, I can only share order details with the person who placed the order. Please write to us from the phone number or email used for the order and I'll reply right away.",
            ),
          ),
        ],
        null,
      );

    case "order.which":
      return body([
        block(
          pick(
            ["Tu peux me donner ton numéro de commande ? Il commence par # et se trouve dans ton email de confirmation.", "Pouvez-vous me donner votre numéro de commande ? Il commence par # et se trouve dans votre email de confirmation."],
            "Could you send me your order number? It starts with # and it's in your confirmation email.",
          ),
        ),
      ]);

    case "exchange.options":
      return exchangeOptions(ctx);

    case "exchange.confirmed":
      return exchangeConfirmed(ctx);

    case "return.instructions": {
      const policy = facts.returnPolicy;
      const order = facts.order;
      const deadline = toInstant(policy?.deadline, ctx.dates.timeZone);
      const parts: string[] = [
        order ? pick([`Pas de souci pour le retour de ta commande ${order.name} !`, `Pas de souci pour le retour de votre commande ${order.name} !`], `No problem for the return of your order ${order.name}!`) : pick("Pas de souci pour le retour !", "No problem for the return!"),
      ];
      if (policy) {
        const mine = order && deadline ? pick([` : pour ta commande, tu as ${untilDay(deadline, ctx.dates)}`, ` : pour votre commande, vous avez ${untilDay(deadline, ctx.dates)}`], `: for your order, you have ${untilDay(deadline, ctx.dates)}`) : "";
        parts.push(pick(`Les retours sont acceptés pendant ${policy.windowDays} jours${mine}.`, `Returns are accepted within ${policy.windowDays} days${mine}.`));
      }
      if (facts.store?.address) {
        parts.push(pick([`Tu peux rapporter ton article en boutique (${facts.store.address}) ou nous le renvoyer par la poste.`, `Vous pouvez rapporter votre article en boutique (${facts.store.address}) ou nous le renvoyer par la poste.`], `You can bring your item back to the shop (${facts.store.address}) or send it back by post.`));
      }
      if (!order) {
        parts.push(pick(["Si c'est une commande en ligne, donne-moi son numéro et je m'en occupe !", "Si c'est une commande en ligne, donnez-moi son numéro et je m'en occupe !"], "If it's an online order, send me its number and I'll take care of it!"));
      }
      return body([block(parts.join(" "))]);
    }

    case "return.outside_window": {
      const policy = facts.returnPolicy;
      const order = facts.order;
      const deadline = toInstant(policy?.deadline, ctx.dates.timeZone);
      const what = order ? pick([`ta commande ${order.name}`, `votre commande ${order.name}`], `your order ${order.name}`) : pick("cet achat", "this purchase");
      const window = policy ? pick(` le délai de retour de ${policy.windowDays} jours`, ` our ${policy.windowDays}-day return window`) : pick(" le délai de retour", " our return window");
      const ended = deadline ? pick(` (il se terminait le ${formatDay(deadline, { ...ctx.dates, now: null }).text})`, ` (it ended on ${formatDay(deadline, { ...ctx.dates, now: null }).text})`) : "";
      return body(
        [
          block(
            pick(`Désolée, ${what} a dépassé${window}${ended}.`, `Sorry, ${what} is past${window}${ended}.`) +
              pick([" Je transmets ta demande à l'équipe, qui revient vers toi très vite.", " Je transmets votre demande à l'équipe, qui revient vers vous très vite."], " I'm passing your request to the team, and they'll get back to you very soon."),
          ),
        ],
        null,
      );
    }

    case "store.hours": {
      const store = facts.store;
      if (!store?.hours) return handoffBody(ctx);
      const day = store.day ? dayHoursSentence(ctx, store.hours, store.day) : null;
      return body([block(day ?? pick(`La boutique est ${formatWeekHours(store.hours, "fr")}.`, `We're ${formatWeekHours(store.hours, "en")}.`))]);
    }

    case "store.address": {
      const store = facts.store;
      if (!store?.address) return handoffBody(ctx);
      const parts = [/^\d/.test(store.address) ? pick(`La boutique est au ${store.address}.`, `You'll find us at ${store.address}.`) : pick(`Notre adresse : ${store.address}.`, `Our address: ${store.address}.`)];
      if (store.hours) parts.push(pick(`Elle est ${formatWeekHours(store.hours, "fr")}.`, `We're ${formatWeekHours(store.hours, "en")}.`));
      if (store.phone) parts.push(pick(`Tél : ${formatPhone(store.phone, "fr")}.`, `Phone: ${formatPhone(store.phone, "en")}.`));
      return body([block(parts.join(" "))]);
    }

    case "back_in_stock.subscribed": {
      const size = requestedSize(facts);
      const pronounless = size && !isOneSize(size) ? ` ${inSize(size, ctx.language)}` : "";
      const comes = conjugate("revient", "reviennent", product.agreement);
      return body([
        block(
          pick(
            [`C'est noté ! Je te préviens dès que ${P} ${comes}${pronounless}.`, `C'est noté ! Je vous préviens dès que ${P} ${comes}${pronounless}.`],
            `Got it! I'll let you know as soon as ${product.en} is back${pronounless}.`,
          ),
        ),
      ]);
    }

    case "back_in_stock.already_available": {
      const size = requestedSize(facts);
      const where = size && !isOneSize(size) ? ` ${inSize(size, ctx.language)}` : "";
      const available = facts.requested?.available ?? 0;
      return body([
        block(
          pick(`Bonne nouvelle : ${P} ${be(product.agreement)} de retour${where} !`, `Good news: ${product.en} is back${where}!`) +
            (available > 0 ? pick(` Il nous en reste ${available} en boutique.`, ` We have ${available} left in store.`) : ""),
        ),
      ]);
    }

    case "opt_out.confirmed":
      return keywordBody(ctx, pick(["c'est noté, tu ne recevras plus de messages de notre part. Pour te réinscrire, réponds START.", "c'est noté, vous ne recevrez plus de messages de notre part. Pour vous réinscrire, répondez START."], "you're unsubscribed and won't get any more messages from us. Reply START to subscribe again."));

    case "opt_in.confirmed":
      return keywordBody(ctx, pick(["c'est noté, tu recevras de nouveau nos messages. Réponds STOP pour ne plus en recevoir.", "c'est noté, vous recevrez de nouveau nos messages. Répondez STOP pour ne plus en recevoir."], "you're subscribed again. Reply STOP to stop receiving messages."));

    case "help": {
      const phone = facts.store?.phone ? pick(` Tél : ${formatPhone(facts.store.phone, "fr")}.`, ` Phone: ${formatPhone(facts.store.phone, "en")}.`) : "";
      return keywordBody(
        ctx,
        pick(
          [`écris-nous ici pour toute question sur un article, une réservation ou une commande.${phone} Réponds STOP pour ne plus recevoir de messages.`, `écrivez-nous ici pour toute question sur un article, une réservation ou une commande.${phone} Répondez STOP pour ne plus recevoir de messages.`],
          `write to us here about an item, a hold or an order.${phone} Reply STOP to stop receiving messages.`,
        ),
      );
    }

    case "greeting": {
      const welcome = facts.firstName ? "" : pick(`Bienvenue chez ${facts.shopName} ! `, `Welcome to ${facts.shopName}! `);
      return body([block(welcome + pick(["Que puis-je faire pour toi ?", "Que puis-je faire pour vous ?"], "How can I help you?"))]);
    }

    case "thanks":
      return body([block(pick(["Avec plaisir ! N'hésite pas si tu as besoin d'autre chose.", "Avec plaisir ! N'hésitez pas si vous avez besoin d'autre chose."], "My pleasure! Let me know if you need anything else."))]);

    case "handoff.styling":
      return body([
        block(
          pick(
            [`Avec plaisir ! Je transmets ta demande à l'équipe ${de(facts.shopName)}, qui te répond très vite avec ses conseils.`, `Avec plaisir ! Je transmets votre demande à l'équipe ${de(facts.shopName)}, qui vous répond très vite avec ses conseils.`],
            `With pleasure! I'm passing your question to the ${facts.shopName} team, who'll get back to you very soon with their advice.`,
          ),
        ),
      ]);

    case "handoff.complaint":
      return body(
        [
          block(
            pick(
              ["Je suis vraiment désolée. Je transmets tout de suite ton message à l'équipe, qui revient vers toi au plus vite.", "Je suis vraiment désolée. Je transmets tout de suite votre message à l'équipe, qui revient vers vous au plus vite."],
              "I'm really sorry about this. I'm passing your message to the team right away, and they'll get back to you as soon as possible.",
            ),
          ),
        ],
        null,
      );

    case "handoff.human":
      return body([block(pick(["Pas de souci ! Je préviens l'équipe, quelqu'un te répond très vite.", "Pas de souci ! Je préviens l'équipe, quelqu'un vous répond très vite."], "Of course! I'm letting the team know, and someone will reply very soon."))]);

    case "handoff.urgent": {
      const event = eventWords(ctx);
      const about = event ? pick(` pour ${event.what}`, ` for ${event.what}`) : "";
      return body(
        [
          block(
            pick(`Je comprends, c'est urgent${about}.`, `I understand it's urgent${about}.`) +
              pick([" Je préviens l'équipe tout de suite, quelqu'un revient vers toi très vite.", " Je préviens l'équipe tout de suite, quelqu'un revient vers vous très vite."], " I'm alerting the team right away, and someone will get back to you very soon."),
          ),
        ],
        null,
      );
    }

    case "handoff":
      return handoffBody(ctx);
  }
}

function handoffBody(ctx: TemplateContext): Body {
  const pick = picker(ctx);
  const shop = ctx.facts.shopName;
  return body(
    [
      block(
        pick(
          [`Merci pour ton message ! Je transmets à l'équipe ${de(shop)}, on te répond très vite.`, `Merci pour votre message ! Je transmets à l'équipe ${de(shop)}, nous vous répondons très vite.`],
          `Thanks for your message! I'm passing it to the ${shop} team, and we'll get back to you very soon.`,
        ),
      ),
    ],
    null,
  );
}

/** STOP / START / HELP: the shop's name first, no greeting, no emoji, no signature. */
function keywordBody(ctx: TemplateContext, text: string): Body {
  const name = ctx.facts.shopName;
  return { blocks: [block(ctx.language === "fr" ? `${name} : ${text}` : `${name}: ${text}`)], emoji: null, greet: false, sign: false };
}

type OrderState = "delivered" | "picked_up" | "ready_for_pickup" | "out_for_delivery" | "in_transit" | "exception" | "returned" | "cancelled" | "preparing";

/** The order's state from the status words Shopify, the carriers and the engine use. */
export function orderState(order: NonNullable<ReplyFacts["order"]>): OrderState {
  const s = order.status.toLowerCase().replace(/[\s-]+/g, "_");
  if (order.deliveredAt || /delivered|livr/.test(s)) return "delivered";
  if (/picked_up|retir/.test(s)) return "picked_up";
  if (/ready_for_pickup|ready/.test(s)) return "ready_for_pickup";
  if (/out_for_delivery/.test(s)) return "out_for_delivery";
  if (/exception|failure|failed|attempted/.test(s)) return "exception";
  if (/returned/.test(s)) return "returned";
  if (/cancel/.test(s)) return "cancelled";
  if (/transit|shipped|fulfilled|success|confirmed|label_printed/.test(s) && !/unfulfilled/.test(s)) return "in_transit";
  return order.trackingNumber ? "in_transit" : "preparing";
}

function orderStatus(ctx: TemplateContext): Body {
  const pick = picker(ctx);
  const order = ctx.facts.order;
  if (!order) {
    // No order in the facts: nothing may be said about one.
    return body([block(pick(["Tu peux me donner ton numéro de commande ? Il commence par # et se trouve dans ton email de confirmation.", "Pouvez-vous me donner votre numéro de commande ? Il commence par # et se trouve dans votre email de confirmation."], "Could you send me your order number? It starts with # and it's in your confirmation email."))]);
  }
  const your = pick(["ta commande", "votre commande"], "your order");
  const Your = capitalize(your);
  const name = order.name;
  const carrier = order.carrier ? pick(` avec ${order.carrier}`, ` with ${order.carrier}`) : "";
  const state = orderState(order);
  const blocks: Block[] = [];
  let emoji: string | null = "😊";
  switch (state) {
    case "delivered": {
      const at = toInstant(order.deliveredAt, ctx.dates.timeZone);
      const when = at ? formatDay(at, ctx.dates) : null;
      const phrase = when ? (when.relative ? ` ${when.text}` : pick(` le ${when.text}`, ` on ${when.text}`)) : "";
      blocks.push(block(pick(`${Your} ${name} a été livrée${phrase}.`, `${Your} ${name} was delivered${phrase}.`)));
      break;
    }
    case "picked_up":
      blocks.push(block(pick(`${Your} ${name} a bien été retirée en boutique.`, `${Your} ${name} has been picked up in store.`)));
      break;
    case "ready_for_pickup":
      blocks.push(block(pick([`${Your} ${name} t'attend en boutique, tu peux venir la retirer quand tu veux !`, `${Your} ${name} vous attend en boutique, vous pouvez venir la retirer quand vous voulez !`], `${Your} ${name} is ready for pickup in store, come by whenever you like!`)));
      break;
    case "out_for_delivery":
      blocks.push(block(pick(`Bonne nouvelle : ${your} ${name} est en cours de livraison${carrier}, elle arrive très bientôt !`, `Good news: ${your} ${name} is out for delivery${carrier}, it'll be with you very soon!`)));
      break;
    case "in_transit": {
      const eta = toInstant(order.estimatedDeliveryAt, ctx.dates.timeZone);
      const parts = [pick(`Je viens de vérifier : ${your} ${name} est en route${carrier}.`, `I've just checked: ${your} ${name} is on its way${carrier}.`)];
      if (eta) parts.push(pick(`Livraison prévue ${etaPhrase(eta, ctx)}.`, `It should arrive ${etaPhrase(eta, ctx)}.`));
      const event = eventWords(ctx);
      const eventAt = toInstant(ctx.facts.event?.at, ctx.dates.timeZone);
      if (event && eventAt) {
        const what = event.what;
        if (eta && eta.getTime() <= eventAt.getTime()) {
          parts.push(pick(`Elle arrivera donc à temps pour ${what} !`, `So it will arrive in time for ${what}!`));
        } else {
          parts.push(pick(`Je préviens tout de suite l'équipe pour trouver une solution avant ${what}.`, `I'm alerting the team right away to find a solution before ${what}.`));
          emoji = null;
        }
        parts.push(pick(["L'équipe est prévenue et surveille ton colis de près.", "L'équipe est prévenue et surveille votre colis de près."], "The team is in the loop and keeping a close eye on your parcel."));
      }
      blocks.push(block(parts.join(" ")));
      break;
    }
    case "exception":
      emoji = null;
      blocks.push(
        block(
          pick(`Il y a un souci sur la livraison de ${your} ${name}`, `There's an issue with the delivery of ${your} ${name}`) +
            (order.lastEvent ? pick(` (« ${order.lastEvent} »)`, ` ("${order.lastEvent}")`) : "") +
            pick([". Je préviens l'équipe, qui revient vers toi très vite.", ". Je préviens l'équipe, qui revient vers vous très vite."], ". I'm letting the team know, and they'll get back to you very soon."),
        ),
      );
      break;
    case "returned":
      emoji = null;
      blocks.push(block(pick([`${Your} ${name} est en cours de retour vers la boutique. Je préviens l'équipe, qui revient vers toi très vite.`, `${Your} ${name} est en cours de retour vers la boutique. Je préviens l'équipe, qui revient vers vous très vite.`], `${Your} ${name} is on its way back to the shop. I'm letting the team know, and they'll get back to you very soon.`)));
      break;
    case "cancelled":
      emoji = null;
      blocks.push(block(pick([`${Your} ${name} a été annulée. N'hésite pas si tu as une question !`, `${Your} ${name} a été annulée. N'hésitez pas si vous avez une question !`], `${Your} ${name} has been cancelled. Let me know if you have any questions!`)));
      break;
    case "preparing":
      blocks.push(block(pick([`${Your} ${name} est en préparation, elle n'est pas encore partie. Tu recevras le numéro de suivi dès son expédition.`, `${Your} ${name} est en préparation, elle n'est pas encore partie. Vous recevrez le numéro de suivi dès son expédition.`], `${Your} ${name} is being prepared and hasn't shipped yet. You'll get the tracking number as soon as it ships.`)));
      break;
  }
  if (order.trackingNumber && state !== "preparing") {
    blocks.push(line(pick(["Ton numéro de suivi : ", "Votre numéro de suivi : "], "Your tracking number: "), { bold: order.trackingNumber }));
  }
  // A link is long on SMS (and often split by the carrier): the number is enough there.
  if (order.trackingUrl && ctx.channel !== "sms" && /^https?:\/\//i.test(order.trackingUrl) && state !== "delivered") {
    blocks.push(line(pick("Pour le suivre : ", "Track it here: "), { link: order.trackingUrl }));
  }
  return body(blocks, emoji);
}

/** "demain (vendredi) avant 12h", "vendredi 16 janvier avant 12h" / "tomorrow (Friday) by 12 pm". */
function etaPhrase(eta: Date, ctx: TemplateContext): string {
  const day = formatDay(eta, ctx.dates);
  const d = local(eta, ctx.dates.timeZone);
  const weekday = WEEKDAY_NAMES[ctx.language][d.weekday] ?? "";
  const dayText = day.relative && daysFromNow(eta, ctx.dates) === 1 ? `${day.text} (${weekday})` : day.text;
  if (d.hour === 0 && d.minute === 0) return ctx.language === "en" && !day.relative ? `on ${dayText}` : dayText;
  const time = formatTimeOf(eta, ctx.dates);
  return ctx.language === "fr" ? `${dayText} avant ${time}` : `${day.relative ? "" : "on "}${dayText} by ${time}`;
}

function exchangeOptions(ctx: TemplateContext): Body {
  const pick = picker(ctx);
  const exchange = ctx.facts.exchange;
  if (!exchange || exchange.options.length === 0) {
    return body([block(pick(["Pas de problème pour l'échange ! Je transmets à l'équipe, qui revient vers toi très vite avec la marche à suivre.", "Pas de problème pour l'échange ! Je transmets à l'équipe, qui revient vers vous très vite avec la marche à suivre."], "No problem for the exchange! I'm passing it to the team, who'll get back to you very soon with the next steps."))]);
  }
  const from = exchangeItem(exchange.from, ctx);
  const to = exchangeItem(exchange.to, ctx);
  const sms = ctx.channel === "sms";
  const blocks: Block[] = [
    block(
      sms
        ? pick("Pas de problème pour l'échange !", "No problem for the exchange!")
        : pick([`Pas de problème pour l'échange de ta commande ${exchange.orderName} !`, `Pas de problème pour l'échange de votre commande ${exchange.orderName} !`], `No problem exchanging your order ${exchange.orderName}!`),
    ),
  ];
  // On SMS every line counts (segments): the options speak for themselves.
  if (!sms && exchange.options.length > 1) {
    blocks.push(block(exchange.options.length === 2 ? pick(["Tu as deux options :", "Vous avez deux options :"], "You have two options:") : pick("Voici les options :", "Here are the options:")));
  }
  for (const option of exchange.options) {
    const heading: Inline = { bold: `Option ${option.id} - ${optionTitle(ctx, option)}` };
    const kind = optionKind(option.label);
    const details: string[] = [];
    if (kind === "store") {
      const where = storeLine(ctx, ctx.channel !== "sms");
      if (where) details.push(`${where}.`);
      if (ctx.facts.hold?.size) {
        details.push(pick([`Le ${ctx.facts.hold.size} t'attend déjà !`, `Le ${ctx.facts.hold.size} vous attend déjà !`], `The ${ctx.facts.hold.size} is already set aside for you!`));
      }
    } else if (kind === "post") {
      details.push(pick([`Tu nous renvoies ${from} et dès réception, on t'envoie ${to}.`, `Vous nous renvoyez ${from} et dès réception, on vous envoie ${to}.`], `Send us back ${from} and as soon as we receive it, we'll send you ${to}.`));
    }
    blocks.push(block(heading, ...details.map((d) => `\n${d}`)));
  }
  const ids = exchange.options.map((o) => String(o.id));
  blocks.push(
    block(
      sms
        ? pick([`Réponds ${joinList(ids, "fr", "or")} !`, `Répondez ${joinList(ids, "fr", "or")} !`], `Just reply ${joinList(ids, "en", "or")}!`)
        : pick([`Que préfères-tu ? Réponds ${joinList(ids, "fr", "or")}.`, `Que préférez-vous ? Répondez ${joinList(ids, "fr", "or")}.`], `Which would you prefer? Just reply ${joinList(ids, "en", "or")}.`),
    ),
  );
  return body(blocks);
}

function exchangeConfirmed(ctx: TemplateContext): Body {
  const pick = picker(ctx);
  const exchange = ctx.facts.exchange;
  const option = exchange?.options.length === 1 ? exchange.options[0] : undefined;
  if (!exchange || !option) {
    const order = exchange ? pick(` pour la commande ${exchange.orderName}`, ` for order ${exchange.orderName}`) : "";
    return body([block(pick([`C'est noté, ton échange${order} est bien enregistré ! L'équipe revient vers toi très vite avec la suite.`, `C'est noté, votre échange${order} est bien enregistré ! L'équipe revient vers vous très vite avec la suite.`], `Got it, your exchange${order} is registered! The team will get back to you very soon with the next steps.`))]);
  }
  const from = exchangeItem(exchange.from, ctx);
  const to = exchangeItem(exchange.to, ctx);
  const fee = isFree(option.fee) ? pick("gratuitement", "free of charge") : null;
  const kind = optionKind(option.label);
  if (kind === "store") {
    const where = storeLine(ctx, true);
    return body([
      block(
        pick([`C'est noté ! Passe quand tu veux à la boutique avec ${from}, on te l'échange contre ${to}${fee ? ` ${fee}` : ""}.`, `C'est noté ! Passez quand vous voulez à la boutique avec ${from}, on vous l'échange contre ${to}${fee ? ` ${fee}` : ""}.`], `Got it! Come by the shop whenever you like with ${from} and we'll swap it for ${to}${fee ? ` ${fee}` : ""}.`) +
          (where ? pick(` On est au ${where}.`, ` We're at ${where}.`) : ""),
      ),
    ]);
  }
  const cost = !isFree(option.fee) ? pick(` Les frais d'échange sont de ${formatMoney(option.fee ?? "0", ctx.facts.currency, "fr")}.`, ` The exchange costs ${formatMoney(option.fee ?? "0", ctx.facts.currency, "en")}.`) : "";
  return body([
    block(pick([`C'est noté ! Renvoie-nous ${from} : dès réception, on t'envoie ${to}.${cost}`, `C'est noté ! Renvoyez-nous ${from} : dès réception, on vous envoie ${to}.${cost}`], `Got it! Send us back ${from}: as soon as we receive it, we'll send you ${to}.${cost}`)),
  ]);
}

// ───────────────────────────── proposal, subject, closing ─────────────────────────────

/**
 * "Tu veux que je te la mette de côté jusqu'à demain 18h ?" — the deadline is `facts.hold.expiresAt`
 * (the engine puts the would-be hold there when it proposes one); without it, no deadline is said.
 * On SMS the verb is "garder": "côté" has an ô, which is not GSM-7 and would double the cost.
 */
export function holdProposal(ctx: TemplateContext): string {
  const title = ctx.facts.productTitle ?? ctx.facts.hold?.productTitle ?? null;
  const product = productWords(title);
  const expires = toInstant(ctx.facts.hold?.expiresAt, ctx.dates.timeZone);
  const deadline = expires ? ` ${until(expires, ctx.dates)}` : "";
  if (ctx.language === "en") return `Would you like me to put ${product.agreement?.plural ? "them" : "it"} aside for you${deadline}?`;
  const pronoun = objectPronoun(product.agreement);
  const sms = ctx.channel === "sms";
  if (ctx.tu) {
    if (pronoun) return sms ? `Tu veux que je te ${pronoun} garde${deadline} ?` : `Tu veux que je te ${pronoun} mette de côté${deadline} ?`;
    return sms ? `Tu veux que je te garde cet article${deadline} ?` : `Tu veux que je te mette cet article de côté${deadline} ?`;
  }
  if (pronoun) return sms ? `Voulez-vous que je vous ${pronoun} garde${deadline} ?` : `Voulez-vous que je vous ${pronoun} mette de côté${deadline} ?`;
  return sms ? `Voulez-vous que je vous garde cet article${deadline} ?` : `Voulez-vous que je vous mette cet article de côté${deadline} ?`;
}

/** An email subject for the template, when the reply does not answer a subject of the customer's. */
export function templateSubject(ctx: TemplateContext): string {
  const pick = picker(ctx);
  const f = ctx.facts;
  const title = f.productTitle ?? f.hold?.productTitle ?? null;
  const shop = f.shopName;
  const id = ctx.template;
  if (id.startsWith("availability.") || id.startsWith("back_in_stock.") || id === "ask.size") return title ? `${title} - ${shop}` : shop;
  if (id.startsWith("hold.")) return title ? pick([`Ta réservation : ${title}`, `Votre réservation : ${title}`], `Your hold: ${title}`) : pick(["Ta réservation", "Votre réservation"], "Your hold");
  if (id === "order.status" && f.order) return pick([`Ta commande ${f.order.name}`, `Votre commande ${f.order.name}`], `Your order ${f.order.name}`);
  if (id.startsWith("order.")) return pick(["Ta commande", "Votre commande"], "Your order");
  if (id.startsWith("exchange.")) return f.exchange ? pick(`Échange - commande ${f.exchange.orderName}`, `Exchange - order ${f.exchange.orderName}`) : pick("Ton échange", "Your exchange");
  if (id.startsWith("return.")) return f.order ? pick(`Retour - commande ${f.order.name}`, `Return - order ${f.order.name}`) : pick(["Ton retour", "Votre retour"], "Your return");
  if (id === "store.hours") return pick(`Nos horaires - ${shop}`, `Opening hours - ${shop}`);
  if (id === "store.address") return pick(`Nous trouver - ${shop}`, `How to find us - ${shop}`);
  return shop;
}

/** "Belle journée," / "Have a lovely day," before an email's signature. */
export function emailClosing(language: Language): string {
  return language === "fr" ? "Belle journée," : "Have a lovely day,";
}

/** "Bonjour Julie !" (SMS, WhatsApp) or "Bonjour Julie," (email) / "Hi Julie!" / "Hi Julie,". */
export function greeting(language: Language, firstName: string | null, channel: ChannelKind): string {
  const name = firstName?.trim() || null;
  if (channel === "email") return language === "fr" ? `Bonjour${name ? ` ${name}` : ""},` : `${name ? `Hi ${name}` : "Hello"},`;
  return language === "fr" ? `Bonjour${name ? ` ${name}` : ""} !` : `${name ? `Hi ${name}` : "Hello"}!`;
}
