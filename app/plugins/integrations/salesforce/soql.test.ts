import { describe, expect, it } from "vitest";
import { parseSoql } from "../../../../tests/fakes/salesforce-api.server";
import { soqlEquals, soqlString } from "./soql";

describe("SOQL literals", () => {
  it.each([
    ["julie@exemple.fr", "'julie@exemple.fr'"],
    ["o'hara@exemple.fr", "'o\\'hara@exemple.fr'"],
    ["back\\slash", "'back\\\\slash'"],
    ['say "hi"', "'say \\\"hi\\\"'"],
    ["two\nlines\ttab", "'two\\nlines\\ttab'"],
    ["Zoë ✓ 👗", "'Zoë ✓ 👗'"],
    ["%_ stay as they are for =", "'%_ stay as they are for ='"],
  ])("quotes %j as %s", (value, literal) => {
    expect(soqlString(value)).toBe(literal);
  });

  it.each(["x' OR Email != '", "\\' OR Id != '", "\\", "'", "a\\'b", "\\\\'; DELETE", "\r\n\b\f"])(
    "reads %j back unchanged through a SOQL parser: the value cannot leave its literal",
    (value) => {
      const parsed = parseSoql(`SELECT Id FROM Contact WHERE ${soqlEquals("Email", value)} OR ${soqlEquals("Phone", "+33645789012")}`);
      expect(parsed).toEqual({
        fields: ["Id"],
        where: [
          { field: "Email", value },
          { field: "Phone", value: "+33645789012" },
        ],
        descending: false,
        limit: null,
      });
    },
  );

  it("shows that the parser does catch an unescaped quote (so the test above can fail)", () => {
    expect(typeof parseSoql("SELECT Id FROM Contact WHERE Email = 'x' OR Email != 'y'")).toBe("string");
    expect(typeof parseSoql("SELECT Id FROM Contact WHERE Email = 'o'hara'")).toBe("string");
  });

  it("refuses control characters SOQL cannot escape, and field names that are not names", () => {
    expect(() => soqlString("a\u0000b")).toThrow(RangeError);
    expect(() => soqlEquals("Email OR Id", "x")).toThrow(RangeError);
  });
});
