/**
 * French grammar for product names in replies: "la Robe Fleurie Bleue est disponible",
 * "le Blazer Beige Élégant est disponible", "les Boucles d'oreilles dorées sont disponibles",
 * "l'Écharpe Rouge". The head noun (first word of the title) gives gender and number; an unknown
 * noun falls back to constructions with no article and no pronoun, which are always correct
 * ("« Twin-set Ivoire » est disponible", "je te mets cet article de côté").
 */
import { fold } from "../understand/text";

export type Agreement = { article: "la" | "le" | "l'" | "les"; plural: boolean; feminine: boolean };

const F = { feminine: true, plural: false };
const M = { feminine: false, plural: false };
const FP = { feminine: true, plural: true };
const MP = { feminine: false, plural: true };

const NOUNS: Record<string, { feminine: boolean; plural: boolean }> = {
  robe: F, jupe: F, veste: F, chemise: F, blouse: F, combinaison: F, ceinture: F, echarpe: F, tunique: F,
  parka: F, doudoune: F, cape: F, salopette: F, mariniere: F, chemisette: F, brassiere: F,
  bague: F, montre: F, pochette: F, besace: F, casquette: F, etole: F,
  polo: M, blazer: M, pantalon: M, perfecto: M, manteau: M, pull: M, gilet: M, top: M, jean: M, short: M, sac: M,
  foulard: M, trench: M, cardigan: M, sweat: M, debardeur: M, bonnet: M, collier: M, bracelet: M,
  body: M, kimono: M, poncho: M, chale: M, caban: M, bomber: M, legging: M, tailleur: M, haut: M,
  chapeau: M, bermuda: M, caraco: M, "t-shirt": M, tshirt: M, cabas: M, portefeuille: M,
  boucles: FP, bottines: FP, sandales: FP, baskets: FP, chaussures: FP, bottes: FP, mules: FP,
  ballerines: FP, lunettes: FP, chaussettes: FP, sneakers: FP, creoles: FP,
  escarpins: MP, mocassins: MP, collants: MP, derbies: MP, richelieus: MP,
};

/** Nouns starting with a silent h take "l'"; the others (haut, housse…) keep "le/la". */
const SILENT_H = new Set(["habit", "hamac"]);

export function frenchAgreement(title: string): Agreement | null {
  const folded = fold(title).trim();
  const head = folded.startsWith("t-shirt") ? "t-shirt" : (folded.split(/[\s'-]+/)[0] ?? "");
  const noun = NOUNS[head];
  if (!noun) return null;
  const elides = /^[aeiouy]/.test(head) || SILENT_H.has(head);
  const article = noun.plural ? "les" : elides ? "l'" : noun.feminine ? "la" : "le";
  return { article, ...noun };
}

/** "la Robe Fleurie Bleue" / "« Twin-set Ivoire »" when the noun is unknown. */
export function withArticle(title: string): { text: string; agreement: Agreement | null } {
  const agreement = frenchAgreement(title);
  if (!agreement) return { text: `« ${title} »`, agreement: null };
  return { text: agreement.article === "l'" ? `l'${title}` : `${agreement.article} ${title}`, agreement };
}

/** "est" / "sont" for the product's number. */
export function be(agreement: Agreement | null): string {
  return agreement?.plural ? "sont" : "est";
}

/** "disponible" with the right ending for the product (the adjectives used are the same in both genders). */
export function agree(adjective: string, agreement: Agreement | null): string {
  if (!agreement) return adjective;
  return agreement.plural ? `${adjective}s` : adjective;
}

/** A verb in the 3rd person for the product: "revient" / "reviennent". */
export function conjugate(singular: string, plural: string, agreement: Agreement | null): string {
  return agreement?.plural ? plural : singular;
}

/** The direct object pronoun: "la" / "le" / "les"; null when the noun is unknown. */
export function objectPronoun(agreement: Agreement | null): "la" | "le" | "les" | null {
  if (!agreement) return null;
  return agreement.plural ? "les" : agreement.feminine ? "la" : "le";
}

/** The subject pronoun: "elle" / "il" / "elles" / "ils"; null when the noun is unknown. */
export function subjectPronoun(agreement: Agreement | null): "elle" | "il" | "elles" | "ils" | null {
  if (!agreement) return null;
  return agreement.feminine ? (agreement.plural ? "elles" : "elle") : agreement.plural ? "ils" : "il";
}

/** "d'Élégance Paris" / "de Maison Rose": "de" elided before a vowel. */
export function de(name: string): string {
  return /^[aeiouy]/i.test(fold(name)) ? `d'${name}` : `de ${name}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "de la Robe Fleurie Bleue", "du Blazer Beige", "des Boucles…", "de l'Écharpe…", "de « Twin-set »". */
export function ofProduct(title: string): string {
  const { text, agreement } = withArticle(title);
  if (agreement?.article === "le") return `du ${title}`;
  if (agreement?.article === "les") return `des ${title}`;
  return `de ${text}`;
}

const EVENTS: Record<string, boolean> = {
  // noun → feminine
  mariage: false, anniversaire: false, bapteme: false, diner: false, voyage: false, entretien: false,
  gala: false, concert: false, spectacle: false, rendez: false, enterrement: false, shooting: false,
  soiree: true, fete: true, ceremonie: true, communion: true, remise: true, reception: true,
};

/** "ton mariage", "ta soirée", "votre mariage"; null when the event's noun is unknown. */
export function yourEvent(label: string, tu: boolean): string | null {
  const words = fold(label).trim().split(/\s+/);
  const head = words[0] === "un" || words[0] === "une" || words[0] === "le" || words[0] === "la" ? (words[1] ?? "") : (words[0] ?? "");
  const feminine = EVENTS[head];
  if (feminine === undefined) return null;
  const noun = label.trim().split(/\s+/).slice(words[0] === head ? 0 : 1)[0] ?? label;
  if (!tu) return `votre ${noun.toLowerCase()}`;
  return `${feminine && !/^[aeiouy]/.test(head) ? "ta" : "ton"} ${noun.toLowerCase()}`;
}
