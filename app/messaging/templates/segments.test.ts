/**
 * The SMS segment report: what each proactive SMS costs, per template, language and address form,
 * with the demo shop's facts and signature ("Sarah & l'équipe Élégance Paris", 31 characters).
 * Carriers bill per segment: one GSM-7 segment is 160 characters, one UCS-2 segment 70.
 */
import { describe, expect, it } from "vitest";
import { countSmsSegments } from "~/conversation/reply";
import { isReused, PROACTIVE_TEMPLATE_IDS, type ProactiveTemplateId } from "./catalogue";
import type { ProactiveTemplateFacts } from "./facts";
import { renderProactive } from "./render";
import { fullFacts, NOW, PARIS, VOICES } from "./test-support";

/**
 * The templates allowed two segments, and why. Both are reply templates reused as they are (their
 * wording is the reply's, written for a customer who asked): they list ways and places, and even
 * without the shop's address they do not fit in 160 characters.
 */
const TWO_SEGMENTS: Readonly<Partial<Record<ProactiveTemplateId, string>>> = {
  "exchange.instructions": "two exchange options, each with its fee, the shop's address and what to send back, then 'Réponds 1 ou 2'",
  "return.instructions": "the return window, the order's deadline, and where to bring or send the item back",
};

interface Row {
  template: ProactiveTemplateId;
  voice: string;
  encoding: string;
  segments: number;
  characters: number;
  allowed: number;
}

function report(facts: ProactiveTemplateFacts): Row[] {
  return PROACTIVE_TEMPLATE_IDS.flatMap((template) =>
    VOICES.map((voice) => {
      const out = renderProactive({ template, language: voice.language, tone: voice.tone, channel: "sms", facts, timeZone: PARIS, now: NOW });
      const count = out.segments ?? countSmsSegments(out.body);
      return { template, voice: voice.label, encoding: count.encoding, segments: count.segments, characters: count.characters, allowed: TWO_SEGMENTS[template] ? 2 : 1 };
    }),
  );
}

function formatted(rows: Row[]): string {
  const head = ["template".padEnd(24), "voice".padEnd(8), "encoding".padEnd(9), "segments", "chars", "allowed"].join(" | ");
  const lines = rows.map((r) => [r.template.padEnd(24), r.voice.padEnd(8), r.encoding.padEnd(9), String(r.segments).padStart(8), String(r.characters).padStart(5), String(r.allowed).padStart(7)].join(" | "));
  const reasons = Object.entries(TWO_SEGMENTS).map(([t, why]) => `  ${t}: 2 segments allowed (${why})`);
  return [head, "-".repeat(head.length), ...lines, "", ...reasons].join("\n");
}

describe("SMS segment report", () => {
  const rows = report(fullFacts);

  it("prints segments and encoding per template × language × tone, and each fits its allowance", () => {
    console.table(rows);
    console.log(`\nProactive SMS segment report (Élégance Paris, signature "${VOICES[0]!.tone.signature}")\n${formatted(rows)}`);
    expect(rows).toHaveLength(PROACTIVE_TEMPLATE_IDS.length * VOICES.length);
    for (const row of rows) {
      expect(row.encoding, `${row.template} ${row.voice}`).toBe("GSM-7");
      expect(row.segments, `${row.template} ${row.voice}: ${row.characters} characters`).toBeLessThanOrEqual(row.allowed);
    }
  });

  it("allows two segments only where one cannot be reached, and only to reused reply templates", () => {
    for (const template of Object.keys(TWO_SEGMENTS) as ProactiveTemplateId[]) {
      expect(isReused(template), template).toBe(true);
      expect(rows.some((r) => r.template === template && r.segments === 2), `${template} fits in one segment: remove it from TWO_SEGMENTS`).toBe(true);
    }
  });

  it("keeps the templates written for proactive messages in one segment with the catalogue's longer titles", () => {
    for (const title of ["Pantalon Noir Taille Haute", "Blazer Beige Élégant", "Boucles d'oreilles dorées"]) {
      const facts: ProactiveTemplateFacts = {
        ...fullFacts,
        hold: { ...fullFacts.hold!, productTitle: title },
        product: { ...fullFacts.product!, title },
        order: { ...fullFacts.order!, lines: [{ title, size: "38", quantity: 1, unitPrice: "129.00" }] },
      };
      for (const row of report(facts).filter((r) => !isReused(r.template))) {
        expect(row.segments, `${row.template} ${row.voice} with "${title}": ${row.characters} characters`).toBe(1);
      }
    }
  });
});
