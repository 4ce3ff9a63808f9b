/**
 * Every Admin GraphQL document the app can send is valid against Shopify's 2026-04 schema.
 *
 * Documents are found, not listed: every template literal whose text starts with `#graphql` in
 * `app/**` (ts, tsx), `jobs/**` and `scripts/**`, tests and the sandbox itself excepted. A document
 * with `${…}` interpolation is refused, because it could not be checked here (and Shopify's own
 * tooling cannot check it either). The template literals are read with the TypeScript parser, so
 * that comments, strings and formatting cannot hide or invent a document.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as shopifyDocuments from "~/plugins/integrations/shopify/documents";
import { parse } from "graphql";
import { requestedQueryCost } from "~/sandbox/query-cost.server";
import { loadAdminSchema, validateAdminDocument } from "~/sandbox/schema.server";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface FoundDocument {
  file: string;
  line: number;
  text: string;
}

interface Collected {
  documents: FoundDocument[];
  /** Templates that start with `#graphql` but interpolate values: they cannot be validated. */
  interpolated: FoundDocument[];
}

/** Documents in one source file. */
function collectFromSource(file: string, source: string): Collected {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Collected = { documents: [], interpolated: [] };
  const lineOf = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) && node.text.trimStart().startsWith("#graphql")) {
      found.documents.push({ file, line: lineOf(node), text: node.text });
    } else if (ts.isTemplateExpression(node) && node.head.text.trimStart().startsWith("#graphql")) {
      found.interpolated.push({ file, line: lineOf(node), text: node.head.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const SCANNED: ReadonlyArray<{ dir: string; extensions: readonly string[] }> = [
  { dir: "app", extensions: [".ts", ".tsx"] },
  { dir: "jobs", extensions: [".ts"] },
  { dir: "scripts", extensions: [".ts"] },
];

function isScanned(relativePath: string, extensions: readonly string[]): boolean {
  const path = relativePath.split(sep).join("/");
  if (!extensions.some((ext) => path.endsWith(ext))) return false;
  if (/\.test\.tsx?$/.test(path) || path.endsWith(".d.ts")) return false;
  if (path.startsWith("app/sandbox/") || path.includes("/node_modules/")) return false;
  return true;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((entry) => join(dir, entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function collectFromRepository(): Collected {
  const all: Collected = { documents: [], interpolated: [] };
  for (const { dir, extensions } of SCANNED) {
    for (const absolute of listFiles(join(ROOT, dir))) {
      const file = relative(ROOT, absolute);
      if (!isScanned(file, extensions)) continue;
      const found = collectFromSource(file, readFileSync(absolute, "utf8"));
      all.documents.push(...found.documents);
      all.interpolated.push(...found.interpolated);
    }
  }
  return all;
}

const firstLine = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.length > 0 && l !== "#graphql") ?? "";

/** One line per invalid document: where it is, how it starts, and what the schema says. */
function problems(documents: readonly FoundDocument[]): string[] {
  return documents.flatMap((doc) => {
    const errors = validateAdminDocument(doc.text);
    return errors.length === 0 ? [] : [`${doc.file}:${doc.line} \`${firstLine(doc.text)}\`: ${errors.map((e) => e.message).join(" | ")}`];
  });
}

const collected = collectFromRepository();

describe("GraphQL documents sent by the app", () => {
  it("are found (at least the Shopify plugin's documents)", () => {
    expect(collected.documents.length).toBeGreaterThan(0);
    const moduleExports: Record<string, unknown> = { ...shopifyDocuments };
    const exported = Object.entries(moduleExports).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].startsWith("#graphql"),
    );
    expect(exported.map(([name]) => name)).toEqual(
      expect.arrayContaining(["CATALOGUE_QUERY", "CUSTOMER_BY_QUERY", "SHOP_QUERY", "VARIANT_AVAILABILITY_QUERY"]),
    );
    const texts = new Set(collected.documents.map((d) => d.text));
    for (const [name, text] of exported) expect(texts.has(text), `${name} was not collected`).toBe(true);
  });

  it("are static (no ${…} interpolation)", () => {
    expect(collected.interpolated.map((d) => `${d.file}:${d.line} \`${firstLine(d.text)}\``)).toEqual([]);
  });

  it("are all valid against the Admin schema 2026-04", () => {
    expect(problems(collected.documents)).toEqual([]);
  });

  // Shopify refuses a single query that asks for more than 1,000 points
  // (https://shopify.dev/docs/api/usage/limits#rate-limits): count each one as the sandbox does.
  it("each ask for at most 1,000 cost points", () => {
    const schema = loadAdminSchema();
    const tooExpensive = collected.documents
      .map((d) => ({ d, cost: requestedQueryCost(schema, parse(d.text), {}) }))
      .filter(({ cost }) => cost > 1000)
      .map(({ d, cost }) => `${d.file}:${d.line} \`${firstLine(d.text)}\` costs ${cost}`);
    expect(tooExpensive).toEqual([]);
  });
});

describe("the collector and the validation (self-check)", () => {
  const sample = [
    "const ok = `#graphql",
    "  query Ok { shop { name } }",
    "`;",
    "// a comment mentioning `#graphql` in backticks is not code, and a plain string is not a template:",
    "const plain = '#graphql query { shop { nom } }';",
    "const bad = /* why not */ `#graphql",
    "  query Bad { shop { nom } }",
    "`;",
    "const dynamic = `#graphql query { ${'shop'} { name } }`;",
    "const other = `SELECT 1`;",
  ].join("\n");
  const found = collectFromSource("sample.ts", sample);

  it("finds #graphql templates, with their line, and flags interpolated ones", () => {
    expect(found.documents.map((d) => [d.line, firstLine(d.text)])).toEqual([
      [1, "query Ok { shop { name } }"],
      [6, "query Bad { shop { nom } }"],
    ]);
    expect(found.interpolated.map((d) => d.line)).toEqual([9]);
  });

  it("rejects a deliberately invalid document with the schema's message, and accepts a valid one", () => {
    expect(problems(found.documents)).toEqual([`sample.ts:6 \`query Bad { shop { nom } }\`: Cannot query field "nom" on type "Shop". Did you mean "name"?`]);
    expect(validateAdminDocument(`#graphql\n query { shop { name } }`)).toEqual([]);
    expect(validateAdminDocument(`#graphql\n query { shop { name }`).map((e) => e.message)).toEqual([
      "Syntax Error: Expected Name, found <EOF>.",
    ]);
  });

  it("skips tests and the sandbox, and keeps product code", () => {
    expect(isScanned("app/plugins/integrations/shopify/inventory.server.ts", [".ts", ".tsx"])).toBe(true);
    expect(isScanned("app/routes/app._index.tsx", [".ts", ".tsx"])).toBe(true);
    expect(isScanned("app/plugins/integrations/shopify/inventory.server.test.ts", [".ts"])).toBe(false);
    expect(isScanned("app/sandbox/resolvers.server.ts", [".ts"])).toBe(false);
    expect(isScanned("jobs/reply.tsx", [".ts"])).toBe(false);
  });
});
