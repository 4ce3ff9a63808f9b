/**
 * A subset of Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax), enough
 * for the `query:` argument of the sandbox's connections:
 *
 *   Query      = Term { [ "AND" | "OR" ] Term }      AND is implied between terms
 *   Term       = [ "-" | "NOT " ] ( "(" Query ")" | [ field ":" ] value )
 *   value      = name | "quoted" | 'quoted'          a trailing unquoted `*` is a prefix wildcard
 *
 * OR binds looser than AND (`a b OR c` is `(a AND b) OR c`). Matching is case- and
 * accent-insensitive. A field the sandbox does not know, or a comparator other than `:`, is an
 * error rather than a silent "no filter": a test must never pass because a filter was ignored.
 */

export type SearchNode =
  | { kind: "all" }
  | { kind: "and"; children: SearchNode[] }
  | { kind: "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode }
  | { kind: "term"; term: SearchTerm };

export interface SearchTerm {
  /** Lower-cased field name, or null for a bare term. */
  field: string | null;
  comparator: ":" | ":<" | ":>" | ":<=" | ":>=";
  /** The value without quotes, escapes or the trailing wildcard. */
  value: string;
  /** True when the unquoted value ended with `*`. */
  prefix: boolean;
}

export class SearchQueryError extends Error {
  override name = "SearchQueryError";
}

type Token =
  | { kind: "lparen" }
  | { kind: "rparen" }
  | { kind: "and" }
  | { kind: "or" }
  | { kind: "not" }
  | { kind: "term"; term: SearchTerm };

const FIELD_NAME = /^[a-z_][a-z0-9_.]*$/i;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

  while (i < query.length) {
    const c = query[i];
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    if (c === "(") {
      tokens.push({ kind: "lparen" });
      i += 1;
      continue;
    }
    if (c === ")") {
      tokens.push({ kind: "rparen" });
      i += 1;
      continue;
    }
    // "-" negates when it touches what follows ("-tag:x", "-(a OR b)").
    if (c === "-" && i + 1 < query.length && !isSpace(query[i + 1])) {
      tokens.push({ kind: "not" });
      i += 1;
      continue;
    }

    // A term: [field comparator] value. The value is quoted only when a quote opens it, so that an
    // apostrophe inside a word ("d'oreilles") stays a letter.
    let field: string | null = null;
    let comparator: SearchTerm["comparator"] = ":";
    let value = "";
    let quoted = false;
    let wildcard = false;

    const readQuoted = (): void => {
      const quote = query[i];
      i += 1;
      while (i < query.length && query[i] !== quote) {
        if (query[i] === "\\" && i + 1 < query.length) i += 1;
        value += query[i];
        i += 1;
      }
      if (i >= query.length) throw new SearchQueryError(`Unterminated quoted value in search query: ${query}`);
      i += 1; // closing quote
      quoted = true;
    };

    if (c === '"' || c === "'") {
      readQuoted();
    } else {
      while (i < query.length && !isSpace(query[i]) && query[i] !== ")") {
        const ch = query[i];
        if (ch === "\\" && i + 1 < query.length) {
          value += query[i + 1];
          i += 2;
          continue;
        }
        if (ch === ":" && field === null && FIELD_NAME.test(value)) {
          field = value.toLowerCase();
          value = "";
          i += 1;
          const rest = query.slice(i);
          const op = /^(<=|>=|<|>)/.exec(rest)?.[1];
          if (op) {
            comparator = `:${op}` as SearchTerm["comparator"];
            i += op.length;
          }
          if (query[i] === '"' || query[i] === "'") {
            readQuoted();
            break;
          }
          continue;
        }
        // A wildcard is only meaningful at the end of the value; elsewhere it is a literal `*`.
        if (ch === "*" && (i + 1 >= query.length || isSpace(query[i + 1]) || query[i + 1] === ")")) {
          wildcard = true;
          i += 1;
          continue;
        }
        value += ch;
        i += 1;
      }
    }

    if (!quoted && field === null && (value === "AND" || value === "OR" || value === "NOT") && !wildcard) {
      tokens.push({ kind: value === "AND" ? "and" : value === "OR" ? "or" : "not" });
      continue;
    }
    tokens.push({ kind: "term", term: { field, comparator, value, prefix: wildcard } });
  }
  return tokens;
}

/** Parse a search query. Empty or blank queries match everything. */
export function parseSearchQuery(query: string): SearchNode {
  const tokens = tokenize(query);
  let pos = 0;

  const parseOr = (): SearchNode => {
    const children = [parseAnd()];
    while (tokens[pos]?.kind === "or") {
      pos += 1;
      children.push(parseAnd());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "or", children };
  };

  const parseAnd = (): SearchNode => {
    const children: SearchNode[] = [];
    for (;;) {
      const token = tokens[pos];
      if (!token || token.kind === "or" || token.kind === "rparen") break;
      if (token.kind === "and") {
        pos += 1;
        continue;
      }
      children.push(parseUnary());
    }
    if (children.length === 0) throw new SearchQueryError(`Search query has an empty term: ${query}`);
    return children.length === 1 && children[0] ? children[0] : { kind: "and", children };
  };

  const parseUnary = (): SearchNode => {
    const token = tokens[pos];
    pos += 1;
    if (!token) throw new SearchQueryError(`Search query ends too early: ${query}`);
    switch (token.kind) {
      case "not":
        return { kind: "not", child: parseUnary() };
      case "lparen": {
        const inner = parseOr();
        if (tokens[pos]?.kind !== "rparen") throw new SearchQueryError(`Missing ")" in search query: ${query}`);
        pos += 1;
        return inner;
      }
      case "term":
        return { kind: "term", term: token.term };
      default:
        throw new SearchQueryError(`Unexpected "${token.kind.toUpperCase()}" in search query: ${query}`);
    }
  };

  if (tokens.length === 0) return { kind: "all" };
  const root = parseOr();
  if (pos < tokens.length) throw new SearchQueryError(`Unexpected ")" in search query: ${query}`);
  return root;
}

// ───────────────────────────────── Matching ─────────────────────────────────

/** Lower case without accents: "Dorées" → "dorees". */
export function normalizeText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

function words(text: string): string[] {
  return normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Exact value match (SKU, tag, status, email…), or a prefix match for `value*`. */
export function matchesExact(candidate: string | null | undefined, term: SearchTerm): boolean {
  if (candidate === null || candidate === undefined) return false;
  const c = normalizeText(candidate);
  const v = normalizeText(term.value);
  return term.prefix ? c.length > 0 && c.startsWith(v) : c === v;
}

/**
 * Word match for free text (titles, names): the value's words must appear consecutively in the
 * text, the last one as a prefix when the value ends with `*`. "d'oreilles" is the words
 * "d" "oreilles", which is how it appears in "Boucles d'oreilles dorées".
 */
export function matchesText(text: string | null | undefined, term: SearchTerm): boolean {
  if (text === null || text === undefined) return false;
  const haystack = words(text);
  const needle = words(term.value);
  if (needle.length === 0) return term.prefix && haystack.length > 0;
  for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    const ok = needle.every((word, k) => {
      const candidate = haystack[start + k] ?? "";
      return k === needle.length - 1 && term.prefix ? candidate.startsWith(word) : candidate === word;
    });
    if (ok) return true;
  }
  return false;
}

export type TermMatcher<T> = (item: T, term: SearchTerm) => boolean;

export interface SearchSpec<T> {
  /** Resource name for error messages ("products"). */
  resource: string;
  /** Matchers by lower-case field name. */
  fields: Readonly<Record<string, TermMatcher<T>>>;
  /** Matcher for a term without a field. */
  bare: TermMatcher<T>;
}

function checkTerms<T>(node: SearchNode, spec: SearchSpec<T>): void {
  switch (node.kind) {
    case "all":
      return;
    case "and":
    case "or":
      node.children.forEach((child) => checkTerms(child, spec));
      return;
    case "not":
      checkTerms(node.child, spec);
      return;
    case "term": {
      const { field, comparator } = node.term;
      if (field !== null && !Object.hasOwn(spec.fields, field)) {
        throw new SearchQueryError(
          `Search field "${field}" is not supported by the sandbox shop for ${spec.resource} (supported: ${Object.keys(spec.fields).join(", ")})`,
        );
      }
      if (comparator !== ":") {
        throw new SearchQueryError(`Comparator "${comparator}" is not supported by the sandbox shop (${spec.resource} search)`);
      }
    }
  }
}

/**
 * Compile `query` into a predicate. Throws `SearchQueryError` for a malformed query or a field
 * the sandbox does not implement.
 */
export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>): (item: T) => boolean {
  const root = parseSearchQuery(query ?? "");
  checkTerms(root, spec);
  const evaluate = (node: SearchNode, item: T): boolean => {
    switch (node.kind) {
      case "all":
        return true;
      case "and":
        return node.children.every((child) => evaluate(child, item));
      case "or":
        return node.children.some((child) => evaluate(child, item));
      case "not":
        return !evaluate(node.child, item);
      case "term": {
        const { field } = node.term;
        const matcher = field === null ? spec.bare : spec.fields[field];
        return matcher ? matcher(item, node.term) : false;
      }
    }
  };
  return (item) => evaluate(root, item);
}
