/**
 * Language of a customer message (fr or en). Two signals: the function words and SMS shorthand that
 * short retail messages always carry ("vous l'avez en 38 ?", "dispo svp", "do u have it"), and
 * eld's n-gram detector (https://github.com/nitotm/efficient-language-detector-js) restricted to
 * French and English for longer texts. With no evidence at all ("38 ?", "FR987654321") the shop's
 * language is used.
 */
import eldSmall from "eld/small";
import type { Language } from "../contracts";
import { tokens } from "./text";

export type { Language } from "../contracts";

const MARKERS: Record<Language, ReadonlySet<string>> = {
  fr: new Set(
    ("bonjour bonsoir salut coucou bjr slt cc merci mrc oui ouii non nn je j tu t vous vs nous il elle ils elles est sont avez as a " +
      "en la le les des du de un une et ou mais pour pr avec dans ds sur taille dispo disponible encore reste commande colis ma mon " +
      "mes votre vos ton ta tes quand quel quelle quels quelles pouvez peux peut qui cette ce ces svp stp jsp jpasse jviens " +
      "c'est cest moi toi ça ca rien tout bien aussi tjs toujours combien où ou quoi pas plus trop suis veux voudrais " +
      "garde gardes mets mettez annule annulez demain ce soir aujourd'hui samedi dimanche lundi mardi mercredi jeudi vendredi " +
      "prix robe boutique ouverts ouvert horaires adresse échanger echanger retourner rembourser remboursement livraison suivi " +
      "arrive parler rappeler conseilles besoin aurais auriez existe vendez faites fais mon déçue decue").split(" "),
  ),
  en: new Set(
    ("hello hi hey hiya thanks thank thx ty yes yeah yep no nope nah i you u we it is are do does did have has got in the a an and or " +
      "but for with on size available still left order parcel package my your when which can could would please pls plz there any " +
      "stock what where how much im i'm i'll it's what's where's me hold keep aside back let know cancel return refund exchange " +
      "open close today tomorrow tonight shop store talk speak call be sure ok okay great good morning evening afternoon " +
      "dress jeans jacket shirt trousers heels shoes earrings bag jumper sweater this that not just want need like").split(" "),
  ),
};

export interface LanguageDetector {
  detect(text: string, fallback: Language): { language: Language; confidence: number };
}

/** Each detector holds its own eld instance (eld's subset setting is per instance). */
export function createLanguageDetector(): LanguageDetector {
  const eld = eldSmall.newInstance();
  eld.setLanguageSubset(["fr", "en"]);
  return {
    detect(text, fallback) {
      const words = tokens(text);
      let fr = 0;
      let en = 0;
      for (const w of words) {
        if (MARKERS.fr.has(w)) fr++;
        if (MARKERS.en.has(w)) en++;
      }
      // Accented letters are French evidence too ("déçue", "où", "ç").
      if (/[àâçéèêëîïôûùœ]/i.test(text)) fr += 1;
      const letters = text.replace(/[^\p{L}]/gu, "").length;
      if (letters >= 12) {
        const result = eld.detect(text);
        const scores = result.getScores();
        const frScore = scores.fr ?? 0;
        const enScore = scores.en ?? 0;
        if (frScore !== enScore) {
          // eld is reliable on sentences, less so on three SMS words: it weighs like one marker word,
          // two when the text is long.
          const weight = letters >= 40 ? 2 : 1;
          if (frScore > enScore) fr += weight;
          else en += weight;
        }
      }
      if (fr === en) return { language: fallback, confidence: fr + en === 0 ? 0.3 : 0.5 };
      const language: Language = fr > en ? "fr" : "en";
      return { language, confidence: Math.round((Math.max(fr, en) / (fr + en)) * 100) / 100 };
    },
  };
}
