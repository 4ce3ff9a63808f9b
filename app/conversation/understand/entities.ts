/**
 * Entities that do not depend on the catalogue: order names, tracking numbers, the customer's name.
 * Order names are the shop's ("#2847"); a product reference such as PT-2847 is never one.
 */
import type { Span } from "./catalogue";

export interface Found<T> extends Span {
  value: T;
}

/**
 * Colissimo / La Poste numbers (https://www.laposte.fr/outils/suivre-vos-envois): 13 characters
 * "6A12345678901" (digit, letter, 11 digits), UPU S10 "RR123456785FR", and the 11-character
 * "FR987654321" form the shop's carrier gives.
 */
const TRACKING = /(?<![\p{L}\p{N}-])(\d[a-z]\d{11}|[a-z]{2}\d{9}[a-z]{2}|[a-z]{2}\d{9})(?![\p{L}\p{N}])/giu;

export function findTracking(text: string): Found<string> | null {
  for (const m of text.matchAll(TRACKING)) {
    return { value: m[0].toUpperCase(), start: m.index, end: m.index + m[0].length };
  }
  return null;
}

const ORDER_WORDS = /\b(?:commande|commandes|cde|cmd|cmde|order|orders|colis|suivi|parcel|package|livraison|delivery|achat|facture|tracking)\b/;

/**
 * "#2847", "commande 2847", "ma commande n°2901", "order no. 2988", "la 2901" when the message is
 * about an order. Folded text in; the name as the shop writes it ("#2847") out.
 */
export function findOrderName(folded: string): Found<string> | null {
  const patterns: RegExp[] = [
    /(?<![\p{L}\p{N}-])#\s?(\d{3,8})(?![\p{N}])/gu,
    /\b(?:commande|cde|cmd|cmde|order|achat|facture)\s*(?:n\s?°|n°|no\.?|num(?:ero)?\.?|number|nr\.?|#|:)?\s*#?\s*(\d{3,8})(?![\p{N}])/gu,
    /\bn\s?°\s*(\d{3,8})(?![\p{N}])/gu,
  ];
  for (const pattern of patterns) {
    for (const m of folded.matchAll(pattern)) {
      if (m[1]) return { value: `#${m[1]}`, start: m.index, end: m.index + m[0].length };
    }
  }
  if (ORDER_WORDS.test(folded)) {
    // "et la commande de Léa, la 2901", "mon numéro de suivi pour la 2847": a bare 3–8 digit number
    // that is neither a reference (letters before it), a time, a price nor a phone number.
    for (const m of folded.matchAll(/(?<![\p{L}\p{N}+.,:/#]|\p{L}-)(\d{4,8})(?![\p{N}]|\s?(?:€|e\b|eur|h\b|%|x\b))/gu)) {
      if (m[1]) return { value: `#${m[1]}`, start: m.index, end: m.index + m[0].length };
    }
  }
  return null;
}

// ───────────────────────────── names ─────────────────────────────

const NAME_WORD = "\\p{Lu}[\\p{Ll}'’-]+(?:-\\p{Lu}[\\p{Ll}]+)?";
const NOT_NAMES = new Set(
  ("Bonjour Bonsoir Salut Coucou Hello Hi Hey Merci Thanks Oui Non Yes No Ok Super Top Génial Parfait Cool " +
    "Je Tu Il Elle On Nous Vous Ils Elles Moi Toi La Le Les Un Une De Du Des Et Ou Mais Donc Car Ni " +
    "Très Trop Bien Vraiment Juste Possible Urgent Normal Pas Plus Pour Avec Sans Sur Dans " +
    "Sarah Coccinelle Madame Monsieur Mme Mr Mrs Ms Miss The A An I It Is My Your Just Not So Very Really Sure " +
    "Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Monday Tuesday Wednesday Thursday Friday Saturday Sunday " +
    "Here There What Who Where When Why How Can Could Please Sorry Désolée Désolé Contente Content Déçue Déçu Ravie Ravi " +
    "Instagram Facebook Paris Élégance Elegance Colissimo Chronopost Noël").split(" "),
);

export interface PersonName {
  firstName: string;
  lastName: string | null;
}

function capitalise(word: string): string {
  return word
    .split("-")
    .map((w) => (w ? (w[0] ?? "").toUpperCase() + w.slice(1).toLowerCase() : w))
    .join("-");
}

function nameFrom(first: string | undefined, last: string | undefined, explicit: boolean): PersonName | null {
  if (!first) return null;
  const f = explicit ? capitalise(first) : first;
  if (NOT_NAMES.has(f) || f.length < 2) return null;
  const l = last && !NOT_NAMES.has(explicit ? capitalise(last) : last) ? (explicit ? capitalise(last) : last) : null;
  return { firstName: f, lastName: l };
}

/**
 * "je m'appelle Julie Martin", "moi c'est Inès", "c'est Emma Rousseau", "ici Claire", "my name is
 * Olivia Brown", "I'm Amy Jones", "it's Olivia", "au nom de Camille Petit". After an explicit
 * phrase ("je m'appelle", "my name is") the words may be lowercase; otherwise they must be
 * capitalised and not ordinary words ("c'est Super").
 */
export function findCustomerName(text: string): PersonName | null {
  const explicit = new RegExp(
    `(?:je m['’]app?elle|mon nom(?: c['’]est| est)?|my name is|my name's|name is|au nom de|under the name(?: of)?)\\s*:?\\s+([\\p{L}'’-]+)(?:\\s+([\\p{L}'’-]+))?`,
    "iu",
  );
  const m1 = text.match(explicit);
  if (m1) {
    const last = m1[2] && /^[\p{L}'’-]+$/u.test(m1[2]) && !/^(?:et|and|je|i|from|de|du|des|la|le|pour|for|svp|stp|please|merci|thanks|avez|vous|do|et|je|j|,)$/i.test(m1[2]) ? m1[2] : undefined;
    const n = nameFrom(m1[1], last, true);
    if (n) return n;
  }
  const implicit = new RegExp(
    `(?:^|[\\s,.!;:(])(?:moi c['’]est|c['’]est|ici|i['’]m|i am|it['’]s|this is)\\s+(${NAME_WORD})(?!['’]s)(?:\\s+(${NAME_WORD}))?(?![\\p{L}])`,
    "u",
  );
  const m2 = text.match(implicit);
  if (m2) {
    const n = nameFrom(m2[1], m2[2], false);
    if (n) return n;
  }
  return null;
}

export function nameFromSignature(signature: string | null): PersonName | null {
  if (!signature) return null;
  const [first, last] = signature.split(/\s+/);
  if (!first || NOT_NAMES.has(first)) return null;
  // "Emma R" or "Emma R." keeps only the first name.
  return { firstName: first, lastName: last && last.replace(/\.$/, "").length > 1 ? last : null };
}
