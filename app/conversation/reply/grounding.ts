/**
 * The grounding check (DESIGN §5): a reply may state a quantity, size, price, date, time, phone,
 * URL, email address or tracking number only if a tool returned it or the shop's own settings
 * contain it — i.e. if it is in `sources` (the reply's facts, the shop's tone, its name). A reply that
 * fails is not sent; the conversation goes to the merchant instead.
 *
 *  - dates and times: every weekday, day-month ("13 janvier", "13 January", "13/01"), clock time
 *    ("18h", "6 pm", "18:00", "midi") must be the local form, in the shop's time zone, of an ISO 8601
 *    instant in the sources (or an "HH:MM" setting, or a weekday key of the opening hours);
 *    relative words ("demain", "tomorrow") are checked too when the current time is given;
 *  - tracking-number-like tokens (8+ letters and digits), URLs and email addresses must appear in
 *    the sources; phone numbers must end like a number of the sources;
 *  - any other number must equal (as a number: "4,90" = "4.90") a number of the sources.
 * Text copied verbatim from a source (a product title, an address, the signature) is grounded as a
 * whole.
 */
import type { Language } from "../contracts";
import { dayNumber, local, MONTH_NAMES, toInstant, WEEKDAY_KEYS, WEEKDAY_NAMES } from "./dates";

export interface GroundingResult {
  ok: boolean;
  /** What the reply states that no source gave, in reading order. */
  ungrounded: string[];
}

export interface GroundingOptions {
  /** The shop's IANA time zone: facts are UTC instants, replies say local times. */
  timeZone: string;
  language: Language;
  /** The message's time: enables the check of "aujourd'hui", "demain", "tomorrow"… */
  now?: Date | string | null;
}

interface Allowed {
  strings: string[];
  numbers: number[];
  /** "h:m" */
  times: Set<string>;
  /** 0–6 */
  weekdays: Set<number>;
  /** "d-m" */
  dayMonths: Set<string>;
  /** day numbers (days since the epoch) of the dates */
  days: Set<number>;
  years: Set<number>;
  /** digit strings of 8+ digits (phones, tracking numbers) */
  digitRuns: string[];
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const NUMBER = /\d+(?:[.,]\d+)?/g;
const WEEKDAY_KEY_SET = new Set<string>(WEEKDAY_KEYS);

function addInstant(instant: Date, timeZone: string, into: Allowed): void {
  const d = local(instant, timeZone);
  into.times.add(`${d.hour}:${d.minute}`);
  into.weekdays.add(d.weekday);
  into.dayMonths.add(`${d.day}-${d.month}`);
  into.days.add(dayNumber(d));
  into.years.add(d.year);
}

function addCalendarDate(year: number, month: number, day: number, into: Allowed): void {
  into.weekdays.add(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
  into.dayMonths.add(`${day}-${month}`);
  into.days.add(dayNumber({ year, month, day }));
  into.years.add(year);
}

function collect(value: unknown, timeZone: string, into: Allowed, seen: Set<object>, depth: number): void {
  if (value === null || value === undefined || depth > 12) return;
  if (typeof value === "number") {
    if (Number.isFinite(value)) into.numbers.push(value);
    return;
  }
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) addInstant(value, timeZone, into);
    return;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (ISO_DATETIME.test(text)) {
      const instant = toInstant(text);
      if (instant) addInstant(instant, timeZone, into);
      return;
    }
    const date = text.match(ISO_DATE);
    if (date) {
      addCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]), into);
      return;
    }
    const hhmm = text.match(HHMM);
    if (hhmm) {
      into.times.add(`${Number(hhmm[1])}:${Number(hhmm[2])}`);
      return;
    }
    if (WEEKDAY_KEY_SET.has(text)) into.weekdays.add(WEEKDAY_KEYS.indexOf(text as (typeof WEEKDAY_KEYS)[number]));
    into.strings.push(text);
    for (const n of text.match(NUMBER) ?? []) into.numbers.push(Number(n.replace(",", ".")));
    const digits = text.replace(/\D/g, "");
    if (digits.length >= 8) into.digitRuns.push(digits);
    return;
  }
  if (typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) collect(v, timeZone, into, seen, depth + 1);
    return;
  }
  const entries = Object.entries(value);
  // Opening hours keyed by weekday: the keys are facts ("fermé le dimanche").
  for (const [key] of entries) if (WEEKDAY_KEY_SET.has(key)) into.weekdays.add(WEEKDAY_KEYS.indexOf(key as (typeof WEEKDAY_KEYS)[number]));
  for (const [, v] of entries) collect(v, timeZone, into, seen, depth + 1);
}

const MONTHS_FR = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"];
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
const monthIndex = (name: string): number => {
  const f = fold(name);
  const fr = MONTHS_FR.indexOf(f);
  return fr >= 0 ? fr + 1 : MONTH_NAMES.en.findIndex((m) => m.toLowerCase() === f) + 1;
};
const weekdayIndex = (name: string): number => {
  const f = fold(name).replace(/s$/, "");
  const fr = WEEKDAY_NAMES.fr.indexOf(f);
  return fr >= 0 ? fr : WEEKDAY_NAMES.en.findIndex((d) => d.toLowerCase() === f);
};

const FR_MONTHS = "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre";
const EN_MONTHS = MONTH_NAMES.en.join("|");
const WEEKDAYS = [...WEEKDAY_NAMES.fr, ...WEEKDAY_NAMES.en].join("|");

/** Relative day words and their offset from today. Longer forms first ("après-demain" before "demain"). */
const RELATIVE: Array<[RegExp, number]> = [
  [/\bapr[èe]s-demain\b/gi, 2],
  [/\bday after tomorrow\b/gi, 2],
  [/\bdemain\b/gi, 1],
  [/\btomorrow\b/gi, 1],
  [/\baujourd'hui\b|\bce soir\b|\bce matin\b|\bcet apr[èe]s-midi\b/gi, 0],
  [/\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b/gi, 0],
  [/\bhier\b|\byesterday\b/gi, -1],
];

interface Finding {
  text: string;
  ok: boolean;
}

/** Replaces every match of `pattern` in `text` with spaces after judging it; returns the findings. */
function scan(text: { value: string }, pattern: RegExp, judge: (m: RegExpExecArray) => boolean, findings: Array<Finding & { at: number }>): void {
  const re = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  let out = "";
  let last = 0;
  for (let m = re.exec(text.value); m !== null; m = re.exec(text.value)) {
    if (m[0] === "") {
      re.lastIndex += 1;
      continue;
    }
    findings.push({ text: m[0].trim(), ok: judge(m), at: m.index });
    out += text.value.slice(last, m.index) + " ".repeat(m[0].length);
    last = m.index + m[0].length;
  }
  text.value = out + text.value.slice(last);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function checkGrounding(reply: string, sources: unknown[], options?: GroundingOptions): GroundingResult {
  const timeZone = options?.timeZone ?? "UTC";
  const allowed: Allowed = { strings: [], numbers: [], times: new Set(), weekdays: new Set(), dayMonths: new Set(), days: new Set(), years: new Set(), digitRuns: [] };
  const seen = new Set<object>();
  for (const source of sources) collect(source, timeZone, allowed, seen, 0);
  const lowerStrings = allowed.strings.map((s) => s.toLowerCase());
  const inSources = (token: string) => lowerStrings.some((s) => s.includes(token.toLowerCase()));

  const text = { value: reply };
  const findings: Array<Finding & { at: number }> = [];

  // Verbatim copies of long facts (titles, addresses, the signature) are grounded as a whole.
  for (const s of [...new Set(allowed.strings)].filter((x) => x.length >= 6).sort((a, b) => b.length - a.length)) {
    text.value = text.value.replace(new RegExp(escapeRegExp(s), "g"), (m) => " ".repeat(m.length));
  }
  scan(text, /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/gi, (m) => inSources(m[0]), findings);
  scan(text, /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, (m) => inSources(m[0]), findings);
  scan(text, /\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{8,}\b/g, (m) => inSources(m[0]), findings);
  scan(
    text,
    /\+?\d[\d .-]{6,}\d/g,
    (m) => {
      const digits = m[0].replace(/\D/g, "");
      if (digits.length < 8) return allowedNumbers(m[0], allowed);
      return allowed.digitRuns.some((run) => run.endsWith(digits.slice(-9)));
    },
    findings,
  );

  // Dates.
  const dayMonth = (day: number, month: number, year: number | null) => allowed.dayMonths.has(`${day}-${month}`) && (year === null || allowed.years.has(year));
  scan(text, /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/g, (m) => dayMonth(Number(m[1]), Number(m[2]), m[3] ? Number(m[3].length === 2 ? `20${m[3]}` : m[3]) : null), findings);
  scan(text, new RegExp(`\\b(1er|\\d{1,2})\\s+(${FR_MONTHS})\\b(?:\\s+(\\d{4}))?`, "gi"), (m) => dayMonth(m[1] === "1er" ? 1 : Number(m[1]), monthIndex(m[2] ?? ""), m[3] ? Number(m[3]) : null), findings);
  scan(text, new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${EN_MONTHS})\\b(?:,?\\s+(\\d{4}))?`, "gi"), (m) => dayMonth(Number(m[1]), monthIndex(m[2] ?? ""), m[3] ? Number(m[3]) : null), findings);
  scan(text, new RegExp(`\\b(${EN_MONTHS})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, "gi"), (m) => dayMonth(Number(m[2]), monthIndex(m[1] ?? ""), m[3] ? Number(m[3]) : null), findings);
  scan(text, new RegExp(`\\b(${WEEKDAYS})s?\\b`, "gi"), (m) => allowed.weekdays.has(weekdayIndex(m[1] ?? "")), findings);

  // Times.
  const time = (h: number, min: number) => allowed.times.has(`${h}:${min}`);
  scan(text, /\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s?(a\.m\.|p\.m\.|am|pm)(?![a-z])/gi, (m) => {
    const h = Number(m[1]) % 12;
    return time(/^p/i.test(m[3] ?? "") ? h + 12 : h, Number(m[2] ?? 0));
  }, findings);
  scan(text, /\b([01]?\d|2[0-3])\s?h\s?([0-5]\d)?(?![a-zà-ÿ])/gi, (m) => time(Number(m[1]), Number(m[2] ?? 0)), findings);
  scan(text, /\b([01]?\d|2[0-3]):([0-5]\d)\b/g, (m) => time(Number(m[1]), Number(m[2])), findings);
  scan(text, /\b(midi|noon)\b/gi, () => time(12, 0), findings);
  scan(text, /\b(minuit|midnight)\b/gi, () => time(0, 0), findings);

  // Relative days, when the current time is known.
  const now = toInstant(options?.now ?? null);
  if (now) {
    const today = dayNumber(local(now, timeZone));
    for (const [pattern, offset] of RELATIVE) scan(text, pattern, () => allowed.days.has(today + offset), findings);
  }

  // Every other number: quantities, sizes, prices, order numbers, days.
  scan(text, NUMBER, (m) => allowedNumbers(m[0], allowed), findings);

  const ungrounded = [...new Set(findings.filter((f) => !f.ok).sort((a, b) => a.at - b.at).map((f) => f.text))];
  return { ok: ungrounded.length === 0, ungrounded };
}

function allowedNumbers(token: string, allowed: Allowed): boolean {
  return (token.match(NUMBER) ?? []).every((n) => {
    const value = Number(n.replace(",", "."));
    return allowed.numbers.some((a) => Math.abs(a - value) < 1e-9);
  });
}
