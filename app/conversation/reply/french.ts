/**
 * French grammar for product names in replies: "la Robe Fleurie Bleue est disponible",
 * "le Blazer Beige Élégant est disponible", "les Boucles d'oreilles dorées sont disponibles".
 * The head noun (first word of the title) gives gender and number; an unknown noun falls back to
 * a construction with no article, which is always correct.
 */
import { fold } from "../understand/text";

type Agreement = { article: "la" | "le" | "l'" | "les"; plural: boolean; feminine: boolean };

const NOUNS: Record<string, { feminine: boolean; plural: boolean }> = {
  robe: { feminine: true, plural: false },
  jupe: { feminine: true, plural: false },
  veste: { feminine: true, plural: false },
  chemise: { feminine: true, plural: false },
  blouse: { feminine: true, plural: false },
  combinaison: { feminine: true, plural: false },
  ceinture: { feminine: true, plural: false },
  echarpe: { feminine: true, plural: false },
  blazer: { feminine: false, plural: false },
  pantalon: { feminine: false, plural: false },
  perfecto: { feminine: false, plural: false },
  manteau: { feminine: false, plural: false },
  pull: { feminine: false, plural: false },
  gilet: { feminine: false, plural: false },
  top: { feminine: false, plural: false },
  jean: { feminine: false, plural: false },
  short: { feminine: false, plural: false },
  sac: { feminine: false, plural: false },
  foulard: { feminine: false, plural: false },
  trench: { feminine: false, plural: false },
  boucles: { feminine: true, plural: true },
  bottines: { feminine: true, plural: true },
  sandales: { feminine: true, plural: true },
  baskets: { feminine: true, plural: true },
  chaussures: { feminine: true, plural: true },
  escarpins: { feminine: false, plural: true },
  mocassins: { feminine: false, plural: true },
};

export function frenchAgreement(title: string): Agreement | null {
  const head = fold(title).split(/[\s'-]+/)[0] ?? "";
  const noun = NOUNS[head];
  if (!noun) return null;
  const article = noun.plural ? "les" : /^[aeiouyh]/.test(head) ? "l'" : noun.feminine ? "la" : "le";
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

/** "disponible" with the right ending for the product. */
export function agree(adjective: string, agreement: Agreement | null): string {
  if (!agreement) return adjective;
  return agreement.plural ? `${adjective}s` : adjective;
}
