/**
 * Messaging keywords (DESIGN §8): the whole message, whatever its case, accents, punctuation or
 * emoji, is one of these words. "stop je me suis trompée de taille" is not a keyword. Twilio's own
 * opt-out words are included (https://help.twilio.com/articles/223134027), except CANCEL, which our
 * customers use for a hold ("cancel" after "can you hold it?"), and which decide handles as intent.
 */
import { fold } from "./text";

const STOP = new Set(["stop", "stop pub", "stop sms", "stopall", "stop all", "arret", "arreter", "unsubscribe", "desabonner", "desabonnement", "desinscrire", "optout", "opt out", "revoke", "end", "quit"]);
const START = new Set(["start", "unstop", "subscribe", "yes start", "abonner", "reprendre"]);
const HELP = new Set(["help", "aide", "info", "infos"]);

export type Keyword = "stop" | "start" | "help";

export function keywordOf(text: string): Keyword | null {
  const bare = fold(text)
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (bare.length === 0 || bare.length > 20) return null;
  if (STOP.has(bare)) return "stop";
  if (START.has(bare)) return "start";
  if (HELP.has(bare)) return "help";
  return null;
}
