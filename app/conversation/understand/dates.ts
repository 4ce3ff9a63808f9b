/**
 * Dates and times in the customer's words, with chrono (https://github.com/wanasit/chrono, fr and en
 * parsers), relative to the message's time and read as the SHOP's wall clock: "ce soir 17h" is 17:00
 * in Paris whatever the server's TZ. A time the customer announces for coming by is `visitAt`; a day
 * they need something for ("mariage samedi", "my wedding on Saturday", "pour demain") is `event`,
 * and how close it is gives the urgency.
 */
import * as chrono from "chrono-node";
import { wallTime, zonedTimeToUtc } from "~/lib/time-zone";
import type { Language } from "../contracts";
import { fold } from "./text";

const DAY = 86_400_000;

/** Same words chrono does not know, in the customers' spelling. */
function normaliseForChrono(text: string): string {
  return text
    .replace(/\bmidi\b/gi, "12h")
    .replace(/\bminuit\b/gi, "0h")
    .replace(/\bds\b/gi, "dans")
    .replace(/\bjpasse\b/gi, "je passe")
    .replace(/\bjviens\b/gi, "je viens")
    .replace(/\baprem\b/gi, "après-midi")
    .replace(/\b(tonight|this evening|ce soir)\s+(?:around|about|vers|at|à|a)?\s*(\d{1,2})(?![\d:h])\b(?!\s*(?:am|pm))/gi, (_, when: string, h: string) => `${when} ${Number(h) < 12 ? Number(h) + 12 : h}:00`)
    .replace(/\b(?:around|about|ish)\s+(?=\d)/gi, "at ")
    .replace(/\b(?:vers|environ)\s+(?=\d)/gi, "à ");
}

const VISIT_CUE =
  /\b(?:je (?:re)?passe|je passerai|je viens|je viendrai|je serai (?:la|en boutique|a la boutique|chez vous)|je (?:peux|pourrai|pourrais) passer|passer (?:le|la|les) (?:chercher|prendre|recuperer)|je (?:le|la|les) recupere|j'arrive|on passe|nous passerons|i'll (?:come|be|pop|stop|swing|drop|pick|collect|get there)|i will (?:come|be|pop|pick|collect)|i'm coming|i am coming|coming (?:by|in|over|to)|pop (?:by|in)|drop by|pick (?:it|them|up)|be there|come by|come in|collect (?:it|them))\b/;
const EVENT_CUE =
  /\b(mariage|anniversaire|bapteme|soiree|diner|entretien|ceremonie|fete|gala|communion|enterrement|rendez-vous|rdv|vacances|voyage|depart|wedding|birthday|party|interview|christening|ceremony|dinner|event|funeral|holiday|trip|date night|graduation)\b/;
const DEADLINE_CUE = /\b(?:pour|avant|d'ici|for|by|before|need it|needed)\s*$/;

export interface DateFindings {
  visitAt: string | null;
  event: { at: string; label: string } | null;
  /** The time expressions found, folded (the classifier sees a placeholder instead). */
  texts: string[];
}

interface Found {
  at: Date;
  hourKnown: boolean;
  index: number;
  text: string;
}

export interface DateReader {
  read(text: string, language: Language, now: Date, timeZone: string): DateFindings;
}

export function createDateReader(): DateReader {
  // Each reader has its own configured parsers (chrono's casual parsers are shared objects).
  const parsers: Record<Language, chrono.Chrono> = { fr: chrono.fr.casual.clone(), en: chrono.en.casual.clone() };

  return {
    read(text, language, now, timeZone) {
      const normalised = normaliseForChrono(text);
      const w = wallTime(now, timeZone);
      const offsetMinutes = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - now.getTime()) / 60_000);
      const results = parsers[language].parse(normalised, { instant: now, timezone: offsetMinutes }, { forwardDate: true });
      const found: Found[] = [];
      for (const r of results) {
        const c = r.start;
        const year = c.get("year");
        const month = c.get("month");
        const day = c.get("day");
        if (year === null || month === null || day === null) continue;
        const hourKnown = c.isCertain("hour");
        // An hour chrono only implies ("ce soir" → 18:00, "samedi" → 12:00) places an event in its day, never a visit.
        const at = zonedTimeToUtc({ year, month, day, hour: c.get("hour") ?? 12, minute: hourKnown ? (c.get("minute") ?? 0) : 0 }, timeZone);
        found.push({ at, hourKnown, index: r.index, text: r.text });
      }
      // "tomorrow around 3pm" comes back as a day and an hour: put them together.
      if (found.length === 2) {
        const [a, b] = found;
        if (a && b && !a.hourKnown && b.hourKnown && b.at.getTime() - now.getTime() < DAY) {
          const day = wallTime(a.at, timeZone);
          const hour = wallTime(b.at, timeZone);
          found.splice(0, 2, { at: zonedTimeToUtc({ year: day.year, month: day.month, day: day.day, hour: hour.hour, minute: hour.minute }, timeZone), hourKnown: true, index: a.index, text: `${a.text} ${b.text}` });
        }
      }

      const folded = fold(normalised);
      const texts = found.map((f) => fold(f.text));
      const fromFolded = fold(text);
      const visitCue = VISIT_CUE.exec(folded);
      const eventCue = EVENT_CUE.exec(folded);

      let visitAt: string | null = null;
      let event: DateFindings["event"] = null;
      const upcoming = found.filter((f) => f.at.getTime() >= now.getTime() - 2 * 3_600_000);
      if (visitCue) {
        const candidate = upcoming.find((f) => f.hourKnown && (!eventCue || Math.abs(f.index - visitCue.index) <= Math.abs(f.index - eventCue.index)));
        if (candidate) visitAt = candidate.at.toISOString();
      }
      if (eventCue) {
        const candidate = upcoming
          .filter((f) => f.at.toISOString() !== visitAt)
          .sort((a, b) => Math.abs(a.index - eventCue.index) - Math.abs(b.index - eventCue.index))[0];
        if (candidate) event = { at: candidate.at.toISOString(), label: labelAt(text, fromFolded, eventCue.index, eventCue[0].length) };
      }
      if (!event) {
        // "j'en ai besoin pour vendredi", "I need it by Saturday": the date itself is the event.
        const deadline = upcoming.find((f) => f.at.toISOString() !== visitAt && DEADLINE_CUE.test(folded.slice(Math.max(0, f.index - 12), f.index)));
        if (deadline) event = { at: deadline.at.toISOString(), label: deadline.text.trim() };
      }
      return { visitAt, event, texts };
    },
  };
}

/** The event word as the customer wrote it (accents kept), when positions line up. */
function labelAt(original: string, folded: string, index: number, length: number): string {
  return folded.length === original.length ? original.slice(index, index + length).toLowerCase() : folded.slice(index, index + length);
}

/** Urgent when the event is at most 3 of the shop's calendar days away (Monday → Thursday), soon within 7. */
export function urgencyOf(event: DateFindings["event"], now: Date, timeZone: string, insists: boolean): "none" | "soon" | "urgent" {
  if (insists) return "urgent";
  if (!event) return "none";
  const dayNumber = (d: Date) => {
    const w = wallTime(d, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day) / DAY;
  };
  const days = dayNumber(new Date(event.at)) - dayNumber(now);
  if (days <= 3) return "urgent";
  if (days <= 7) return "soon";
  return "none";
}

/** Capitals, "URGENT", "!!!", "au secours", "asap": the customer insists. */
export function insists(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  if (letters.length >= 10 && upper / letters.length >= 0.7) return true;
  if (/!{3,}/.test(text)) return true;
  return /\b(?:urgent|urgente|urgence|au secours|asap|au plus vite|tres vite|des que possible|emergency|right now|immediately|tout de suite)\b/.test(fold(text));
}
