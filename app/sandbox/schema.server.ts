/**
 * Shopify's published Admin GraphQL schema (API version 2026-04), loaded from the SDL copied into
 * `app/sandbox/data/` so that a clone of the repository works on its own.
 *
 * The sandbox shop executes the app's documents against it, and `tests/graphql-documents.test.ts`
 * validates every document the app can send with `validateAdminDocument`, so the schema, not our
 * memory of it, decides which fields exist.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSchema, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";

export const ADMIN_API_VERSION = "2026-04";

export const ADMIN_SCHEMA_PATH = fileURLToPath(new URL("./data/admin-schema-2026-04.graphql", import.meta.url));

// Building the 3.5 MB SDL takes a few hundred milliseconds; the resulting schema is immutable, so
// one instance per process is shared by every sandbox shop and every validation.
let memoisedSchema: GraphQLSchema | undefined;

export function loadAdminSchema(): GraphQLSchema {
  memoisedSchema ??= buildSchema(readFileSync(ADMIN_SCHEMA_PATH, "utf8"));
  return memoisedSchema;
}

export type ParsedAdminDocument =
  | { ok: true; document: DocumentNode }
  | { ok: false; errors: readonly GraphQLError[] };

/**
 * Parse and validate one document against the Admin schema, the way a graphql-js server built from
 * that schema would before executing it: a syntax error is the single error, otherwise every
 * validation error is returned.
 */
/**
 * Parsed and validated documents per schema. A pure function's memo, not shared state: the app
 * sends a few dozen static documents, and parsing + validating each request was a tenth of the
 * sandbox's time (npm run eval). Bounded, keyed on the schema object.
 */
const parsedBySchema = new WeakMap<GraphQLSchema, Map<string, ParsedAdminDocument>>();

export function parseAdminDocument(source: string, schema: GraphQLSchema = loadAdminSchema()): ParsedAdminDocument {
  let memo = parsedBySchema.get(schema);
  if (!memo) {
    memo = new Map();
    parsedBySchema.set(schema, memo);
  }
  const known = memo.get(source);
  if (known) return known;
  const parsed = parseAndValidate(source, schema);
  if (memo.size >= 500) memo.clear();
  memo.set(source, parsed);
  return parsed;
}

function parseAndValidate(source: string, schema: GraphQLSchema): ParsedAdminDocument {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return { ok: false, errors: [error] };
    throw error;
  }
  const errors = validate(schema, document);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document };
}

/** The errors `parseAdminDocument` finds; empty when the document is valid. */
export function validateAdminDocument(source: string, schema: GraphQLSchema = loadAdminSchema()): readonly GraphQLError[] {
  const parsed = parseAdminDocument(source, schema);
  return parsed.ok ? [] : parsed.errors;
}
