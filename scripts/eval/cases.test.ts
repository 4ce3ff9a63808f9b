import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CaseFormatError, corpusFiles, loadCaseFiles, parseCaseLine, parseCases } from "./cases";

const where = { file: "t.jsonl", line: 7 };
const ok = {
  id: "t-001",
  now: "2026-01-12T10:15:00+01:00",
  channel: "sms",
  from: "+33645789012",
  text: "vous l'avez en 38 ?",
  expect: { intent: "product_availability" },
};
const line = (over: Record<string, unknown>) => JSON.stringify({ ...ok, ...over });

describe("parseCaseLine", () => {
  it("reads a case, with defaults for before and expect", () => {
    const c = parseCaseLine(JSON.stringify({ ...ok, expect: undefined }), where);
    expect(c).toEqual({ ...ok, before: [], expect: {}, source: where });
  });

  it("keeps the subject of an email and the earlier messages", () => {
    const c = parseCaseLine(
      line({ channel: "email", from: "julie.mercier@gmail.com", subject: "Commande #2847", before: [{ text: "Bonjour" }] }),
      where,
    );
    expect(c.subject).toBe("Commande #2847");
    expect(c.before).toEqual([{ text: "Bonjour" }]);
  });

  it.each([
    ["{not json", /t\.jsonl:7: not valid JSON/],
    ["[1, 2]", /t\.jsonl:7: a case is a JSON object/],
    [line({ id: "" }), /"id" must be a non-empty string/],
    [line({ now: "2026-01-12 10:15" }), /"now" must be an ISO 8601 time/],
    [line({ now: "2026-01-12T10:15:00" }), /"now" must be an ISO 8601 time with an offset/],
    [line({ channel: "fax" }), /"channel" must be one of sms, whatsapp, email/],
    [line({ from: "0645789012" }), /"from" must be an E\.164 phone number on sms/],
    [line({ channel: "email", from: "+33645789012" }), /"from" must be an email address on email/],
    [line({ subject: "Hello" }), /"subject" is a string, on email only/],
    [line({ text: "  " }), /"text" must be a non-empty string/],
    [line({ before: [{ body: "x" }] }), /"before"\[0\] must be \{ "text": "…" \}/],
    [line({ extra: 1 }), /unknown key "extra"/],
    [line({ expect: { intnet: "greeting" } }), /unknown expect key "intnet"/],
    [line({ expect: { intent: [] } }), /expect\.intent must be an intent or a non-empty list/],
    [line({ expect: { replied: "yes" } }), /expect\.replied must be true or false/],
    [line({ expect: { replyIncludes: ["(unclosed"] } }), /expect\.replyIncludes has an invalid regular expression "\(unclosed"/],
    [line({ expect: { reservations: [{ product: "RF-2847", colour: "blue" }] } }), /expect\.reservations must be a list of/],
    [line({ expect: { scheduled: [{ type: "reminder", at: "tomorrow" }] } }), /expect\.scheduled must be a list of/],
  ])("%s → %s", (text, message) => {
    expect(() => parseCaseLine(text, where)).toThrow(CaseFormatError);
    expect(() => parseCaseLine(text, where)).toThrow(message);
  });
});

describe("parseCases / loadCaseFiles", () => {
  it("numbers lines from 1, skipping blank ones, and names the bad line", () => {
    const text = `${line({})}\n\n${line({ id: "t-002" })}\n{oops}\n`;
    expect(() => parseCases(text, "a.jsonl")).toThrow("a.jsonl:4: not valid JSON");
    const good = parseCases(`${line({})}\n\n${line({ id: "t-002" })}\n`, "a.jsonl");
    expect(good.map((c) => [c.id, c.source.line])).toEqual([
      ["t-001", 1],
      ["t-002", 3],
    ]);
  });

  it("refuses an id used twice across files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "eval-cases-"));
    writeFileSync(path.join(dir, "a.jsonl"), `${line({})}\n`);
    writeFileSync(path.join(dir, "b.jsonl"), `${line({ id: "t-009" })}\n${line({})}\n`);
    expect(() => loadCaseFiles(corpusFiles(dir))).toThrow(`b.jsonl:2: duplicate id "t-001" (first at a.jsonl:1)`);
  });

  it("names a file it cannot read", () => {
    expect(() => loadCaseFiles(["/nonexistent/cases.jsonl"])).toThrow(/\/nonexistent\/cases\.jsonl: cannot read/);
  });

  it("reads the project corpus and the shared examples without a problem", () => {
    const corpus = fileURLToPath(new URL("../../eval/corpus", import.meta.url));
    const cases = loadCaseFiles(corpusFiles(corpus));
    const lines = corpusFiles(corpus).reduce((n, f) => n + readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).length, 0);
    expect(cases.length).toBe(lines);
    expect(cases.length).toBeGreaterThan(400);
    const examples = fileURLToPath(new URL("../../../shared/eval/examples.jsonl", import.meta.url));
    expect(loadCaseFiles([examples]).length).toBeGreaterThanOrEqual(12);
  });
});
