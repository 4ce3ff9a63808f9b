import { describe, expect, it } from "vitest";
import { countSmsSegments, GSM7_BASIC, GSM7_EXTENSION, gsmTypography, isGsm7 } from "./sms";

const times = (c: string, n: number) => c.repeat(n);

describe("the GSM 7-bit alphabet (3GPP TS 23.038)", () => {
  it("has the 127 characters of the default table (0x1B is the escape) and 10 in the extension table", () => {
    expect(new Set(GSM7_BASIC).size).toBe(127);
    expect(Array.from(GSM7_BASIC)).toHaveLength(127);
    expect(Array.from(GSM7_EXTENSION)).toEqual(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]);
  });

  it.each(["é", "è", "à", "ù", "ì", "ò", "É", "Ç", "Ä", "Ö", "Ñ", "Ü", "ä", "ö", "ñ", "ü", "ß", "Æ", "Ø", "å", "£", "¥", "§", "¿", "¡", "@", "_", "Δ", "Ω"])(
    "%s is GSM-7",
    (c) => {
      expect(isGsm7(c)).toBe(true);
      expect(countSmsSegments(c)).toEqual({ encoding: "GSM-7", segments: 1, characters: 1 });
    },
  );

  it.each(["ê", "ô", "â", "î", "û", "ç", "ë", "ï", "œ", "À", "È", "Ê", "’", "«", "»", "…", "\u00A0", "`", "😊", "–"])("%s is not GSM-7 (the text goes UCS-2)", (c) => {
    expect(isGsm7(`Bonjour ${c}`)).toBe(false);
    expect(countSmsSegments(`Bonjour ${c}`).encoding).toBe("UCS-2");
  });

  it.each(Array.from(GSM7_EXTENSION))("extension character %j costs two septets", (c) => {
    expect(countSmsSegments(c)).toEqual({ encoding: "GSM-7", segments: 1, characters: 2 });
  });
});

describe("countSmsSegments", () => {
  it.each([
    [times("a", 160), 1, 160],
    [times("a", 161), 2, 161],
    [times("a", 306), 2, 306],
    [times("a", 307), 3, 307],
    [times("€", 80), 1, 160],
    [times("€", 81), 2, 162],
    [`${times("a", 158)}€`, 1, 160],
    [`${times("a", 159)}€`, 2, 161],
  ])("GSM-7 vector %# → %i segment(s), %i septets", (text, segments, characters) => {
    expect(countSmsSegments(text)).toEqual({ encoding: "GSM-7", segments, characters });
  });

  it.each([
    [times("ê", 70), 1, 70],
    [times("ê", 71), 2, 71],
    [times("ê", 134), 2, 134],
    [times("ê", 135), 3, 135],
    [`${times("a", 68)}😊`, 1, 70],
    [`${times("a", 69)}😊`, 2, 71],
    ["😊", 1, 2],
  ])("UCS-2 vector %#: → %i segment(s), %i UTF-16 units", (text, segments, characters) => {
    expect(countSmsSegments(text)).toEqual({ encoding: "UCS-2", segments, characters });
  });

  it("never splits an escape sequence or a surrogate pair across two segments", () => {
    // 152 + 2 + 152 = 306 septets: ceil(306 / 153) = 2, but the € cannot start at septet 153.
    expect(countSmsSegments(`${times("a", 152)}€${times("a", 152)}`)).toEqual({ encoding: "GSM-7", segments: 3, characters: 306 });
    // 66 + 2 + 66 = 134 units: ceil(134 / 67) = 2, but the emoji cannot start at unit 67.
    expect(countSmsSegments(`${times("ê", 66)}😀${times("ê", 66)}`)).toEqual({ encoding: "UCS-2", segments: 3, characters: 134 });
  });

  it("counts nothing for an empty text", () => {
    expect(countSmsSegments("")).toEqual({ encoding: "GSM-7", segments: 0, characters: 0 });
  });

  it("counts a real French reply: é and à keep GSM-7, one ô switches to UCS-2", () => {
    const gsm = "Bonjour Julie ! Oui, on a la Robe Fleurie Bleue en 38 ! Tu veux que je te la garde jusqu'à demain 18h ?";
    expect(countSmsSegments(gsm)).toEqual({ encoding: "GSM-7", segments: 1, characters: gsm.length });
    const ucs = gsm.replace("la garde", "la mette de côté");
    expect(countSmsSegments(ucs)).toEqual({ encoding: "UCS-2", segments: 2, characters: ucs.length });
  });
});

describe("gsmTypography", () => {
  it("replaces typographic characters by their GSM-7 equivalents and keeps letters", () => {
    const text = gsmTypography("L’Écharpe « Rouge »\u00A0: 4,90 € – côté…");
    expect(text).toBe('L\'Écharpe " Rouge " : 4,90 € - côté...');
    expect(isGsm7(gsmTypography("L’Écharpe « Rouge »\u00A0– 4,90 €…"))).toBe(true);
  });
});
