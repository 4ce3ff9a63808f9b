/**
 * Reply wording, per template and language, in the shop's tone (tu/vous, emoji, signature).
 * Every number in a reply comes from `facts`, which only tools fill (see grounding.ts).
 */
import type { ShopSettings } from "~/shops/settings";
import type { ReplyTemplateId } from "../decide.server";
import type { Language } from "../understand/language";
import { agree, be, withArticle } from "./french";

export interface SizeFact {
  size: string | null;
  available: number;
}

export interface ReplyFacts {
  firstName: string | null;
  shopName: string;
  productTitle: string | null;
  requestedSize: string | null;
  /** Live availability of the size asked for, from `inventory.availability`. */
  requested: SizeFact | null;
  /** Live availability per size, in catalogue order, from `inventory.availability`. */
  sizes: SizeFact[];
}

export interface ReplyInput {
  template: ReplyTemplateId;
  language: Language;
  tone: ShopSettings["tone"];
  facts: ReplyFacts;
}

type Words = { hello: (name: string | null) => string; list: (items: string[]) => string };

const WORDS: Record<Language, Words> = {
  fr: {
    hello: (name) => (name ? `Bonjour ${name} !` : "Bonjour !"),
    list: (items) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} et ${items[items.length - 1]}`),
  },
  en: {
    hello: (name) => (name ? `Hi ${name}!` : "Hello!"),
    list: (items) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`),
  },
};

function sizesInStock(facts: ReplyFacts): SizeFact[] {
  return facts.sizes.filter((s) => s.available > 0);
}

function body(input: ReplyInput): { text: string; emoji: string | null } {
  const { facts, language, tone } = input;
  const tu = tone.address === "tu";
  const w = WORDS[language];
  const product = facts.productTitle ?? "";
  const fr = withArticle(product);
  const frCap = fr.text.charAt(0).toUpperCase() + fr.text.slice(1);
  const inStock = sizesInStock(facts);

  switch (input.template) {
    case "availability.variant": {
      const fact = facts.requested;
      const size = fact?.size ?? facts.requestedSize ?? "";
      const available = fact?.available ?? 0;
      const others = inStockOther(facts, size);
      if (available > 0) {
        return language === "fr"
          ? {
              text: `Oui, ${fr.text} ${be(fr.agreement)} ${agree("disponible", fr.agreement)} en ${size} : il en reste ${available} à la boutique.`,
              emoji: "😍",
            }
          : { text: `Yes, the ${product} is available in size ${size}: we have ${available} left in store.`, emoji: "😍" };
      }
      return language === "fr"
        ? {
            text:
              `Désolée, ${fr.text} ${fr.agreement?.plural ? "ne sont" : "n'est"} plus ${agree("disponible", fr.agreement)} en ${size} pour le moment.` +
              (others.length ? ` ${tu ? "Je peux te proposer" : "Je peux vous proposer"} ${w.list(others.map((o) => `le ${o}`))}.` : ""),
            emoji: "🙏",
          }
        : {
            text:
              `Sorry, the ${product} is currently out of stock in size ${size}.` +
              (others.length ? ` It is still available in ${w.list(others)}.` : ""),
            emoji: "🙏",
          };
    }
    case "availability.product":
    case "availability.size_not_offered": {
      const sizes = inStock.map((s) => (s.size ? `${s.size} (${s.available})` : String(s.available)));
      const notOffered =
        input.template === "availability.size_not_offered" && facts.requestedSize
          ? language === "fr"
            ? `${frCap} n'${fr.agreement?.plural ? "existent" : "existe"} pas en ${facts.requestedSize}. `
            : `The ${product} does not come in size ${facts.requestedSize}. `
          : "";
      if (sizes.length === 0) {
        return language === "fr"
          ? { text: `${notOffered}${frCap} ${fr.agreement?.plural ? "ne sont" : "n'est"} plus en stock pour le moment.`, emoji: "🙏" }
          : { text: `${notOffered}The ${product} is out of stock at the moment.`, emoji: "🙏" };
      }
      return language === "fr"
        ? {
            text: `${notOffered}${frCap} ${be(fr.agreement)} ${agree("disponible", fr.agreement)} en ${w.list(sizes)}. ${tu ? "Quelle taille te faut-il ?" : "Quelle taille vous faut-il ?"}`,
            emoji: "😊",
          }
        : { text: `${notOffered}The ${product} is available in ${w.list(sizes)}. Which size would you like?`, emoji: "😊" };
    }
    case "ask.product":
      return language === "fr"
        ? {
            text: tu
              ? "Je n'ai pas retrouvé l'article dont tu parles. Peux-tu me donner son nom ou sa référence ?"
              : "Je n'ai pas retrouvé l'article dont vous parlez. Pouvez-vous me donner son nom ou sa référence ?",
            emoji: "🙏",
          }
        : { text: "I couldn't find the item you mean. Could you tell me its name or reference?", emoji: "🙏" };
    case "greeting":
      return language === "fr"
        ? { text: tu ? "Que puis-je faire pour toi ?" : "Que puis-je faire pour vous ?", emoji: "😊" }
        : { text: "How can I help you?", emoji: "😊" };
    case "handoff":
      return language === "fr"
        ? {
            text: tu
              ? `Merci pour ton message ! Je transmets à l'équipe de ${facts.shopName}, on te répond très vite.`
              : `Merci pour votre message ! Je transmets à l'équipe de ${facts.shopName}, nous vous répondons très vite.`,
            emoji: null,
          }
        : { text: `Thank you for your message! I'm passing it on to the ${facts.shopName} team, who will reply shortly.`, emoji: null };
  }
}

function inStockOther(facts: ReplyFacts, size: string): string[] {
  return sizesInStock(facts)
    .filter((s) => s.size !== null && s.size !== size)
    .map((s) => s.size as string);
}

/** The complete reply: greeting, body, emoji when the shop uses them, signature. */
export function renderReply(input: ReplyInput): string {
  const { text, emoji } = body(input);
  const hello = WORDS[input.language].hello(input.facts.firstName);
  const line = `${hello} ${text}${input.tone.emoji && emoji ? ` ${emoji}` : ""}`;
  return input.tone.signature ? `${line}\n${input.tone.signature}` : line;
}
