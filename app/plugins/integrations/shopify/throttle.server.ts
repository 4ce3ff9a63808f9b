/**
 * Cost-based throttling for the Admin GraphQL API (https://shopify.dev/docs/api/usage/limits#rate-limits).
 *
 * Shopify gives each app-and-shop pair a leaky bucket of points (`maximumAvailable`, refilled at
 * `restoreRate` points per second). Before running a document it checks that the bucket holds the
 * document's *requested* cost; if not, it answers `THROTTLED` (errors[].extensions.code) and runs
 * nothing. Every response reports the bucket in `extensions.cost.throttleStatus`.
 *
 * `withThrottling` wraps one shop's `AdminClient` (buckets are per shop, so one wrapper per shop):
 * - before a request it projects the bucket from the last reported state and the restore rate, and
 *   waits when the expected cost does not fit (in-flight requests count as already spent);
 * - on THROTTLED it backs off — the time the bucket needs to refill the missing points, doubled
 *   on each further attempt — and sends the same request again: queries always, mutations only
 *   when they carry an idempotency key (`@idempotent`), because a mutation repeated without one
 *   could act twice if a response is ever lost.
 *
 * The expected cost is what Shopify reported as `requestedQueryCost` for the same document and
 * page sizes, or else a static estimate from the document (`estimateQueryCost`). Time comes from
 * the injected clock and waits from the injected `sleep`, so tests run on a manual clock.
 */
import { Kind, getOperationAST, parse, type DocumentNode, type FieldNode, type SelectionSetNode, type ValueNode } from "graphql";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { AdminGraphqlError, type AdminClient, type QueryCost, type ResponseExtensions } from "./admin-client";

export interface ThrottleOptions {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
  /** THROTTLED answers retried before the error is passed on (default 5). */
  maxRetries?: number;
  /** Longest single wait, before a request or between attempts (default 60 s). */
  maxWaitMs?: number;
}

/** Shopify's restore rate on the Standard plan, used until a response tells the real one. */
const DEFAULT_RESTORE_RATE = 100;
/** Shopify counts a mutation field as 10 points (https://shopify.dev/docs/api/usage/limits#cost-calculation). */
const MUTATION_COST = 10;
const CONNECTION_COST = 2;

export function isThrottledError(error: unknown): error is AdminGraphqlError {
  return error instanceof AdminGraphqlError && error.errors.some((e) => e.extensions?.["code"] === "THROTTLED");
}

// ───────────────────────────────── Documents ─────────────────────────────────

export interface DocumentTraits {
  operation: "query" | "mutation" | "subscription" | null;
  /** Every top-level mutation field carries `@idempotent(key: …)`. */
  idempotent: boolean;
  /** The static cost estimate and the page sizes it used (they key the learned costs). */
  estimate: number;
  sizes: number[];
}

/**
 * A schema-free estimate of Shopify's requested cost: objects 1, scalars 0, a field with a
 * `first`/`last` argument (a connection) 2 plus that many times its children, a mutation field 10
 * plus its payload. `edges` and `pageInfo` are free, `nodes`/`node` count as the object they are.
 * It errs on the high side for lists that take `first` without being connections.
 */
export function estimateQueryCost(document: DocumentNode, variables: Record<string, unknown> = {}): { cost: number; sizes: number[] } {
  const operation = getOperationAST(document);
  if (!operation) return { cost: 0, sizes: [] };
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  const sizes: number[] = [];
  const numberOf = (value: ValueNode | undefined): number | null => {
    if (!value) return null;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = variables[value.name.value];
      return typeof v === "number" ? v : null;
    }
    return null;
  };
  const fieldsOf = (selectionSet: SelectionSetNode, seen: ReadonlySet<string> = new Set()): FieldNode[] =>
    selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, seen);
      const name = selection.name.value;
      const fragment = fragments.get(name);
      return fragment && !seen.has(name) ? fieldsOf(fragment, new Set([...seen, name])) : [];
    });
  const costOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    return fieldsOf(selectionSet).reduce((sum, field) => {
      if (!field.selectionSet) return sum;
      const name = field.name.value;
      if (name === "pageInfo") return sum;
      if (name === "edges") return sum + costOf(field.selectionSet);
      const size =
        numberOf(field.arguments?.find((a) => a.name.value === "first")?.value) ??
        numberOf(field.arguments?.find((a) => a.name.value === "last")?.value);
      if (size !== null) {
        sizes.push(size);
        return sum + CONNECTION_COST + size * costOf(field.selectionSet);
      }
      return sum + 1 + costOf(field.selectionSet);
    }, 0);
  };
  const cost =
    operation.operation === "mutation"
      ? fieldsOf(operation.selectionSet).reduce((sum, field) => sum + MUTATION_COST + costOf(field.selectionSet), 0)
      : costOf(operation.selectionSet);
  return { cost, sizes };
}

function traitsOf(source: string, variables: Record<string, unknown> | undefined, parsed: Map<string, DocumentNode | null>): DocumentTraits {
  if (!parsed.has(source)) {
    try {
      parsed.set(source, parse(source));
    } catch {
      // Not ours to judge: the API answers a malformed document with its own error.
      parsed.set(source, null);
    }
  }
  const document = parsed.get(source);
  if (!document) return { operation: null, idempotent: false, estimate: 0, sizes: [] };
  const operation = getOperationAST(document);
  const topFields = operation ? operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD) : [];
  const idempotent =
    operation?.operation === "mutation" &&
    topFields.length > 0 &&
    topFields.every((field) => field.directives?.some((d) => d.name.value === "idempotent" && d.arguments?.some((a) => a.name.value === "key")));
  const { cost, sizes } = estimateQueryCost(document, variables);
  return { operation: operation?.operation ?? null, idempotent, estimate: cost, sizes };
}

// ───────────────────────────────── Wrapper ─────────────────────────────────

interface BucketState {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
  /** Clock time of the response that reported this state. */
  observedAt: number;
}

export function withThrottling(admin: AdminClient, options: ThrottleOptions): AdminClient {
  const { clock, sleep } = options;
  const logger = options.logger.child({ component: "shopify-throttle", shop: admin.shopDomain });
  const maxRetries = options.maxRetries ?? 5;
  const maxWaitMs = options.maxWaitMs ?? 60_000;

  // Per wrapper (per shop): the last bucket Shopify reported, the points promised to requests in
  // flight, and the requested cost Shopify reported per document and page sizes.
  let bucket: BucketState | null = null;
  let inFlight = 0;
  const learnedCosts = new Map<string, number>();
  // The app's documents are static strings: each is parsed once per wrapper.
  const parsedDocuments = new Map<string, DocumentNode | null>();

  const projectedAvailable = (): number | null => {
    if (!bucket) return null;
    const elapsedSeconds = Math.max(0, clock.now().getTime() - bucket.observedAt) / 1000;
    return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + elapsedSeconds * bucket.restoreRate);
  };

  const observe = (cost: QueryCost | undefined, key: string): void => {
    if (!cost) return;
    bucket = { ...cost.throttleStatus, observedAt: clock.now().getTime() };
    learnedCosts.set(key, cost.requestedQueryCost);
  };

  const send = async <TData>(document: string, variables?: Record<string, unknown>): Promise<{ data: TData; extensions: ResponseExtensions }> => {
    if (admin.requestWithExtensions) return admin.requestWithExtensions<TData>(document, variables);
    return { data: await admin.request<TData>(document, variables), extensions: {} };
  };

  const waitMs = (ms: number): number => Math.min(maxWaitMs, Math.max(0, Math.ceil(ms)));

  const requestWithExtensions = async <TData>(
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: TData; extensions: ResponseExtensions }> => {
    const traits = traitsOf(document, variables, parsedDocuments);
    const key = `${document}\u0000${traits.sizes.join(",")}`;
    const retryable = traits.operation === "query" || (traits.operation === "mutation" && traits.idempotent);

    for (let attempt = 0; ; attempt += 1) {
      const expected = Math.min(learnedCosts.get(key) ?? traits.estimate, bucket?.maximumAvailable ?? Infinity);
      const available = projectedAvailable();
      if (bucket && available !== null && expected > available - inFlight) {
        // Wait once for the missing points; concurrent callers may still overdraw the bucket, in
        // which case Shopify answers THROTTLED and the back-off below takes over.
        const ms = waitMs(((expected - (available - inFlight)) / bucket.restoreRate) * 1000);
        logger.debug("waiting for the query cost bucket", { expected, available, inFlight, waitMs: ms });
        await sleep(ms);
      }
      inFlight += expected;
      try {
        const result = await send<TData>(document, variables);
        observe(result.extensions.cost, key);
        return result;
      } catch (error) {
        if (error instanceof AdminGraphqlError) observe(error.extensions?.cost, key);
        if (!isThrottledError(error) || !retryable || attempt >= maxRetries) throw error;
        const cost = error.extensions?.cost;
        const restoreRate = cost?.throttleStatus.restoreRate ?? bucket?.restoreRate ?? DEFAULT_RESTORE_RATE;
        const missing = cost ? Math.max(1, cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable) : restoreRate;
        const ms = waitMs((missing / restoreRate) * 1000 * 2 ** attempt);
        logger.warn("Shopify throttled the request; retrying", { attempt: attempt + 1, waitMs: ms, requestedQueryCost: cost?.requestedQueryCost });
        await sleep(ms);
      } finally {
        inFlight -= expected;
      }
    }
  };

  return {
    shopDomain: admin.shopDomain,
    async request<TData>(document: string, variables?: Record<string, unknown>): Promise<TData> {
      return (await requestWithExtensions<TData>(document, variables)).data;
    },
    requestWithExtensions,
  };
}
