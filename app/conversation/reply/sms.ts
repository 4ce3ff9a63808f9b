/**
 * SMS encoding and segment count, per 3GPP TS 23.038 §6.2.1 (GSM 7-bit default alphabet and its
 * extension table). A text made only of characters of the default alphabet is sent in GSM-7: 160
 * septets in one SMS, 153 per segment once concatenated (the 6-byte user data header takes the
 * rest). Any other character switches the whole message to UCS-2: 70 UTF-16 code units in one SMS,
 * 67 per segment. Carriers bill per segment.
 * Twilio's explanation of the same rules: https://www.twilio.com/docs/glossary/what-sms-character-limit
 * and https://www.twilio.com/docs/glossary/what-is-gsm-7-character-encoding
 */

/**
 * The default alphabet, in table order (0x00–0x7F), without 0x1B (the escape to the extension
 * table, which is not a character a text can contain). Note what is NOT there: lowercase ç (0x09 is
 * the capital Ç), â ê î ô û ë ï œ, accented capitals other than É Ä Ö Ñ Ü Å Ç (so no À, no Ê),
 * typographic quotes and apostrophes, the non-breaking space, and every emoji.
 */
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅå" +
  "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
  " !\"#¤%&'()*+,-./" +
  "0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNO" +
  "PQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmno" +
  "pqrstuvwxyzäöñüà";

/** The extension table: each costs two septets (escape + code). \f is the page break at 0x0A. */
export const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export interface SmsCount {
  encoding: "GSM-7" | "UCS-2";
  segments: number;
  /** Septets (GSM-7, an extension character counts 2) or UTF-16 code units (UCS-2, an emoji counts 2). */
  characters: number;
}

/** The cost of each character of `text` in the encoding it will be sent in. */
function costs(text: string): { encoding: SmsCount["encoding"]; units: number[] } {
  const chars = Array.from(text);
  if (chars.every((c) => BASIC.has(c) || EXTENSION.has(c))) {
    return { encoding: "GSM-7", units: chars.map((c) => (EXTENSION.has(c) ? 2 : 1)) };
  }
  // One code point outside the BMP (emoji) is a surrogate pair: two UTF-16 units.
  return { encoding: "UCS-2", units: chars.map((c) => c.length) };
}

/**
 * Encoding, segments and length of an SMS body. Segments are filled greedily without splitting an
 * escape sequence or a surrogate pair across two segments (handsets could not reassemble them), so a
 * text can need one more segment than `ceil(length / 153)`.
 */
export function countSmsSegments(text: string): SmsCount {
  const { encoding, units } = costs(text);
  const characters = units.reduce((a, b) => a + b, 0);
  const [single, multi] = encoding === "GSM-7" ? [160, 153] : [70, 67];
  if (characters === 0) return { encoding, segments: 0, characters };
  if (characters <= single) return { encoding, segments: 1, characters };
  let segments = 1;
  let used = 0;
  for (const unit of units) {
    if (used + unit > multi) {
      segments += 1;
      used = 0;
    }
    used += unit;
  }
  return { encoding, segments, characters };
}

/** Whether every character of `text` is in the GSM 7-bit alphabet (basic or extension). */
export function isGsm7(text: string): boolean {
  return costs(text).encoding === "GSM-7";
}

/**
 * Typographic characters that have a GSM-7 equivalent with the same meaning, replaced on SMS so
 * that one curly apostrophe in a product title does not switch the whole message to UCS-2 (the
 * same substitutions as Twilio's Smart Encoding:
 * https://www.twilio.com/docs/messaging/services#smart-encoding). Letters are never touched: "côté"
 * stays "côté", even if it costs UCS-2.
 */
export function gsmTypography(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u2032\u00B4`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/[\u00A0\u202F\u2009\u2007]/g, " ");
}
