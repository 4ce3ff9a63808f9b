import { describe, expect, it } from "vitest";
import {
  compileSearch,
  matchesExact,
  matchesText,
  normalizeText,
  parseSearchQuery,
  SearchQueryError,
  type SearchSpec,
  type SearchTerm,
} from "./search-query.server";

const term = (value: string, prefix = false): SearchTerm => ({ field: null, comparator: ":", value, prefix });

describe("parseSearchQuery", () => {
  it("reads field terms, quoted values, wildcards and negation", () => {
    expect(parseSearchQuery(`title:robe* -tag:"soirée chic" sku:RF-2847-38`)).toEqual({
      kind: "and",
      children: [
        { kind: "term", term: { field: "title", comparator: ":", value: "robe", prefix: true } },
        { kind: "not", child: { kind: "term", term: { field: "tag", comparator: ":", value: "soirée chic", prefix: false } } },
        { kind: "term", term: { field: "sku", comparator: ":", value: "RF-2847-38", prefix: false } },
      ],
    });
  });

  it("binds AND tighter than OR, and honours parentheses", () => {
    expect(parseSearchQuery("a b OR c")).toEqual({
      kind: "or",
      children: [
        { kind: "and", children: [{ kind: "term", term: term("a") }, { kind: "term", term: term("b") }] },
        { kind: "term", term: term("c") },
      ],
    });
    expect(parseSearchQuery("a AND (b OR NOT c)")).toEqual({
      kind: "and",
      children: [
        { kind: "term", term: term("a") },
        { kind: "or", children: [{ kind: "term", term: term("b") }, { kind: "not", child: { kind: "term", term: term("c") } }] },
      ],
    });
  });

  it("keeps an apostrophe inside a word and a colon inside a value", () => {
    expect(parseSearchQuery("d'oreilles")).toEqual({ kind: "term", term: term("d'oreilles") });
    expect(parseSearchQuery("tag:couleur:bleu")).toEqual({
      kind: "term",
      term: { field: "tag", comparator: ":", value: "couleur:bleu", prefix: false },
    });
    expect(parseSearchQuery(`email:'julie@x.fr'`)).toEqual({
      kind: "term",
      term: { field: "email", comparator: ":", value: "julie@x.fr", prefix: false },
    });
  });

  it("treats an empty query as match-all and rejects malformed ones", () => {
    expect(parseSearchQuery("   ")).toEqual({ kind: "all" });
    expect(() => parseSearchQuery(`title:"robe`)).toThrow(SearchQueryError);
    expect(() => parseSearchQuery("(a OR b")).toThrow(/Missing "\)"/);
    expect(() => parseSearchQuery("a OR")).toThrow(SearchQueryError);
  });
});

describe("matching", () => {
  it("ignores case and accents", () => {
    expect(normalizeText("  Dorées ÉLÉGANT ")).toBe("dorees elegant");
    expect(matchesText("Boucles d'oreilles dorées", term("DOREES"))).toBe(true);
    expect(matchesExact("couleur:doré", term("COULEUR:DORE"))).toBe(true);
  });

  it("matches consecutive words in text, the last one as a prefix with *", () => {
    expect(matchesText("Robe Fleurie Bleue", term("fleurie bleue"))).toBe(true);
    expect(matchesText("Robe Fleurie Bleue", term("bleue fleurie"))).toBe(false);
    expect(matchesText("Robe Fleurie Bleue", term("fleu", true))).toBe(true);
    expect(matchesText("Robe Fleurie Bleue", term("fleu"))).toBe(false);
  });

  it("matches exact values whole, or by prefix with *", () => {
    expect(matchesExact("RF-2847-38", term("rf-2847-38"))).toBe(true);
    expect(matchesExact("RF-2847-38", term("RF-2847"))).toBe(false);
    expect(matchesExact("RF-2847-38", term("RF-2847", true))).toBe(true);
    expect(matchesExact(null, term("", true))).toBe(false);
  });
});

describe("compileSearch", () => {
  interface Item {
    name: string;
    tags: string[];
  }
  const spec: SearchSpec<Item> = {
    resource: "items",
    fields: {
      name: (item, t) => matchesText(item.name, t),
      tag: (item, t) => item.tags.some((tag) => matchesExact(tag, t)),
    },
    bare: (item, t) => matchesText(item.name, t),
  };
  const items: Item[] = [
    { name: "Robe Bordeaux", tags: ["soirée", "chic"] },
    { name: "Robe Fleurie Bleue", tags: ["printemps"] },
    { name: "Perfecto Noir", tags: ["rock"] },
  ];
  const names = (query: string): string[] => items.filter(compileSearch(query, spec)).map((item) => item.name);

  it("combines terms with AND, OR and negation", () => {
    expect(names("robe -tag:chic")).toEqual(["Robe Fleurie Bleue"]);
    expect(names("tag:rock OR tag:soiree")).toEqual(["Robe Bordeaux", "Perfecto Noir"]);
    expect(names("NOT robe")).toEqual(["Perfecto Noir"]);
    expect(names("")).toHaveLength(3);
  });

  it("refuses a field it does not know instead of ignoring it", () => {
    expect(() => compileSearch("colour:red", spec)).toThrow(/"colour" is not supported by the sandbox shop for items/);
    expect(() => compileSearch("name:>b", spec)).toThrow(/Comparator ":>"/);
  });
});
