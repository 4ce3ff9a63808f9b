/**
 * Language of a customer message (fr or en), from function words, which short retail messages
 * always carry ("vous l'avez en 38 ?", "do you have it in 38?"). Falls back to the shop's language
 * when the message gives no evidence (a bare "38 ?").
 */
import { tokens } from "./text";

export type Language = "fr" | "en";

const MARKERS: Record<Language, ReadonlySet<string>> = {
  fr: new Set(
    "bonjour bonsoir salut merci oui non je tu vous nous il elle est sont avez as a en la le les des du de un une et ou mais pour avec dans sur taille dispo disponible encore reste commande colis ma mon mes votre vos ton ta tes quand quel quelle pouvez peux est-ce que qui c cette ce ces svp stp".split(" "),
  ),
  en: new Set(
    "hello hi hey thanks thank yes no i you we it is are do does have has in the a an and or but for with on size available still left order parcel my your when which can could please there any stock what where".split(" "),
  ),
};

export function detectLanguage(text: string, fallback: Language): { language: Language; confidence: number } {
  const words = tokens(text);
  let fr = 0;
  let en = 0;
  for (const w of words) {
    if (MARKERS.fr.has(w)) fr++;
    if (MARKERS.en.has(w)) en++;
  }
  if (fr === en) return { language: fallback, confidence: fr + en === 0 ? 0.3 : 0.5 };
  const language: Language = fr > en ? "fr" : "en";
  return { language, confidence: Math.max(fr, en) / (fr + en) };
}
