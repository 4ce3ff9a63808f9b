/**
 * Relay connections as Shopify serves them: `edges { cursor node }`, `nodes`, `pageInfo`, with
 * `first`/`after`, `last`/`before` and `reverse`.
 *
 * A cursor names the record it follows (its gid), so paging through a list that another test step
 * changed in between still resumes at the right place, or fails loudly if that record is gone.
 */
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

/** Shopify's page size limit for connections. */
export const MAX_PAGE_SIZE = 250;

export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: id }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof decoded === "object" && decoded !== null && "last_id" in decoded && typeof decoded.last_id === "string") {
      return decoded.last_id;
    }
  } catch {
    // fall through: any undecodable cursor gets the same error
  }
  throw new GraphQLError(`Invalid cursor: ${cursor}`);
}

function pageSize(name: "first" | "last", value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (value < 0) throw new GraphQLError(`\`${name}\` must be a positive number`);
  if (value > MAX_PAGE_SIZE) throw new GraphQLError(`The maximum page size is ${MAX_PAGE_SIZE} (\`${name}: ${value}\`)`);
  return value;
}

export interface Page<T> {
  items: T[];
  startIndex: number;
  total: number;
}

/** Select one page of `items` (already filtered and sorted) according to the connection args. */
export function selectPage<T extends { id: string }>(items: readonly T[], args: ConnectionArgs): Page<T> {
  const first = pageSize("first", args.first);
  const last = pageSize("last", args.last);
  if (first === null && last === null) {
    throw new GraphQLError("You must provide one of first or last");
  }
  if (first !== null && last !== null) {
    throw new GraphQLError("Providing both first and last is not supported");
  }
  const ordered = args.reverse ? [...items].reverse() : [...items];
  const indexOf = (cursor: string): number => {
    const id = decodeCursor(cursor);
    const index = ordered.findIndex((item) => item.id === id);
    if (index < 0) throw new GraphQLError(`Invalid cursor: ${cursor}`);
    return index;
  };
  let start = args.after ? indexOf(args.after) + 1 : 0;
  let end = args.before ? indexOf(args.before) : ordered.length;
  if (end < start) end = start;
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  return { items: ordered.slice(start, end), startIndex: start, total: ordered.length };
}

export interface ConnectionView<N> {
  edges: Array<{ cursor: string; node: N }>;
  nodes: N[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<T extends { id: string }, N>(
  items: readonly T[],
  args: ConnectionArgs,
  toNode: (item: T) => N,
): ConnectionView<N> {
  const page = selectPage(items, args);
  const nodes = page.items.map(toNode);
  const cursors = page.items.map((item) => encodeCursor(item.id));
  return {
    edges: nodes.map((node, i) => ({ cursor: cursors[i] ?? "", node })),
    nodes,
    pageInfo: {
      hasNextPage: page.startIndex + page.items.length < page.total,
      hasPreviousPage: page.startIndex > 0,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}
