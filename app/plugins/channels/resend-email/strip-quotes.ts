/**
 * The new part of an email reply: what the customer wrote, without the quoted conversation below it
 * and without their signature. Mail clients write the quote header in the reader's language; the
 * shop's customers write in French and English, so both are recognised:
 *   Gmail    "Le lun. 12 janv. 2026 à 10:15, Julie <julie@example.fr> a écrit :" / "On Mon, Jan 12, 2026 at 10:15 AM Julie <…> wrote:"
 *            (Gmail wraps a long header over two or three lines)
 *   Outlook  "-----Original Message-----", "-------- Message d'origine --------", "De : …" + "Envoyé : …"
 *   quoting  lines starting with ">"
 *   signatures  "-- " (RFC 3676 §4.3 signature separator), "Envoyé de mon iPhone", "Sent from my iPhone", …
 */

/** A quote header, once the (possibly wrapped) lines are joined with spaces. */
const QUOTE_HEADER = [
  /^\s*Le\s.{4,}\sa\s+écrit\s*:\s*$/i,
  /^\s*On\s.{4,}\swrote\s*:\s*$/i,
];

/** A line from which everything down is not the customer's new text. */
const CUT_LINE = [
  /^\s*-{2,}\s*(Original Message|Message d'origine|Forwarded message|Message transféré)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's rule above the quoted headers
  /^--\s?$/, // "-- " signature separator (some clients drop the trailing space)
  /^\s*(Envoyé|Envoye)\s+(de|depuis)\s+(mon|ma|un|une)\s.+$/i,
  /^\s*Sent\s+from\s+(my|an?)\s.+$/i,
  /^\s*(Get|Obtenir)\s+Outlook\s+(for|pour)\s.+$/i,
];

/** Outlook's quoted header block: "De : …" / "From: …" followed by "Envoyé : …" / "Sent: …" within 2 lines. */
const OUTLOOK_FROM = /^\s*(De|From)\s*:\s*\S/i;
const OUTLOOK_SENT = /^\s*(Envoyé|Sent|Date)\s*:\s*\S/i;

export function stripQuotes(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (CUT_LINE.some((pattern) => pattern.test(line))) break;
    if (startsQuoteHeader(lines, i)) break;
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 3).some((next) => OUTLOOK_SENT.test(next))) break;
    // Interleaved quoting ("> …" between the customer's lines) is dropped line by line.
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  const stripped = kept.join("\n").trim();
  // A message that is nothing but a quote (a bare forward) keeps its text rather than becoming empty.
  return stripped === "" ? text.trim() : stripped;
}

/** Whether the header of a quote starts at line `i`, possibly wrapped over up to 3 lines. */
function startsQuoteHeader(lines: string[], i: number): boolean {
  const first = lines[i] ?? "";
  if (!/^\s*(Le|On)\s/i.test(first)) return false;
  for (let n = 1; n <= 3 && i + n <= lines.length; n++) {
    const joined = lines.slice(i, i + n).join(" ");
    if (QUOTE_HEADER.some((pattern) => pattern.test(joined))) return true;
  }
  return false;
}
