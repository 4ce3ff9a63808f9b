/**
 * The part of an email the customer actually wrote: quoted replies ("Le lun. 12 janv. 2026 à 10:15,
 * … a écrit :", "On Mon, Jan 12, 2026 … wrote:", Outlook's "From: … Sent: …" block, "> " lines),
 * signatures ("-- ", "Envoyé de mon iPhone", "Cordialement,\nEmma") and legal footers are removed.
 * SMS and WhatsApp text is only trimmed. The signature's name is kept aside: it names the sender.
 */
import type { ChannelKind } from "../contracts";

const QUOTE_HEADER = /^\s*(?:>\s*)?(?:le|on)\b.{0,200}?(?:a\s+[ée]crit|wrote)\s*:?\s*$/i;
const QUOTE_HEADER_SPLIT_END = /^\s*.{0,120}(?:a\s+[ée]crit|wrote)\s*:\s*$/i;
const OUTLOOK_HEADER = /^\s*(?:-{2,}\s*(?:original message|message d'origine)\s*-{2,}|(?:from|de)\s*:\s.*(?:@|<).*)$/i;
const SENT_FROM = /^\s*(?:envoy[ée] (?:de|depuis) mon|sent from my|get outlook for|t[ée]l[ée]chargez outlook|envoy[ée] avec)\b/i;
const FOOTER = /^\s*(?:ce (?:message|courriel|mail)\b.*(?:confidentiel|destin|pi[èe]ces? jointes?)|this (?:e-?mail|message)\b.*(?:confidential|intended)|confidentiality notice)/i;
const SIGN_OFF =
  /^\s*(?:(?:bien |tr[èe]s )?cordialement|bien [àa] (?:vous|toi)|belle (?:journ[ée]e|soir[ée]e)|bonne (?:journ[ée]e|soir[ée]e)|merci(?: (?:d'avance|beaucoup|encore))?|(?:best|kind|warm)(?: regards)?|regards|thanks(?: again)?|thank you|cheers|bises|bisous|amiti[ée]s|sinc[èe]rement|a bient[ôo]t|see you)\s*[,!.]?\s*$/i;
const TRAILING_SIGN_OFF = /[\s,;]+(?:bien )?cordialement[\s.!]*$/i;
const NAME_LINE = /^\s*(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'.-]*){0,2})\s*$/u;

export interface CleanedText {
  text: string;
  /** The name under the sign-off ("Cordialement,\nEmma Rousseau"), when there is one. */
  signatureName: string | null;
}

export function cleanText(raw: string, channel: ChannelKind): CleanedText {
  const normalized = raw.replace(/\r\n?/g, "\n");
  if (channel !== "email") return { text: normalized.trim(), signatureName: null };

  let lines = normalized.split("\n");
  // Cut at the first quoted-reply header, "-- " signature delimiter, "Sent from my …" or footer.
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const next = lines[i + 1] ?? "";
    if (
      QUOTE_HEADER.test(line) ||
      (/^\s*(?:>\s*)?(?:le|on)\b/i.test(line) && QUOTE_HEADER_SPLIT_END.test(next) && !QUOTE_HEADER_SPLIT_END.test(line)) ||
      OUTLOOK_HEADER.test(line) ||
      /^--\s?$/.test(line) ||
      /^_{5,}$/.test(line.trim()) ||
      SENT_FROM.test(line) ||
      FOOTER.test(line)
    ) {
      cut = i;
      break;
    }
  }
  lines = lines.slice(0, cut).filter((l) => !/^\s*>/.test(l));

  // A sign-off line followed only by short name/title lines ends the message.
  let signatureName: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!SIGN_OFF.test(line)) continue;
    const rest = lines.slice(i + 1).filter((l) => l.trim().length > 0);
    if (rest.length <= 4 && rest.every((l) => l.trim().length <= 60)) {
      const first = rest[0]?.match(NAME_LINE);
      if (first?.[1]) signatureName = first[1].trim();
      lines = lines.slice(0, i);
      break;
    }
  }
  // A lone name as the last line ("…\n\nEmma") is a signature too.
  const nonEmpty = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim().length > 0);
  const last = nonEmpty[nonEmpty.length - 1];
  if (nonEmpty.length >= 2 && last) {
    const m = last[0].match(NAME_LINE);
    if (m?.[1] && m[1].split(/\s+/).length <= 3 && !/[?!]/.test(last[0])) {
      signatureName ??= m[1].trim();
      lines = lines.slice(0, last[1]);
    }
  }
  const text = lines
    .join("\n")
    .replace(TRAILING_SIGN_OFF, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text, signatureName };
}
