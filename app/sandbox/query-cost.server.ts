/**
 * Calculated query cost and the leaky bucket of the sandbox shop, after Shopify's rate limits
 * (https://shopify.dev/docs/api/usage/limits#rate-limits), so that code pacing itself on
 * `extensions.cost` (see `plugins/integrations/shopify/throttle.server.ts`) is tested against a
 * server that answers like Shopify.
 *
 * A simple model of Shopify's cost rules, read from the schema:
 * - scalar and enum fields cost 0, an object (or a list of objects) 1 plus its selection;
 * - a connection (a `…Connection` type taking `first`/`last`) costs 2 plus `first` (or `last`)
 *   times one node (1 plus the node's selection); `edges` and `pageInfo` add nothing themselves;
 * - a mutation field costs 10 plus its payload's selection.
 * The requested cost uses the page sizes asked for; the actual cost the nodes returned (an object
 * that came back null costs nothing). Interface fragments are added up rather than maximised.
 *
 * The bucket: before running, the requested cost must be in the bucket, or the answer is THROTTLED
 * with no data; after running, the difference between requested and actual cost goes back in. A
 * document whose requested cost is above the single-query limit is refused (MAX_COST_EXCEEDED).
 * Points come back at `restoreRate` per second of the shop's clock.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { Clock } from "~/lib/clock";
import type { QueryCost } from "~/plugins/integrations/shopify/admin-client";

export interface SandboxThrottling {
  /** Bucket size in points (Shopify: 2,000 on the Standard plan for the 2026-04 API). */
  maximumAvailable: number;
  /** Points restored per second of the shop's clock. */
  restoreRate: number;
  /** Largest requested cost of one document (Shopify: 1,000). */
  maxQueryCost: number;
}

export const DEFAULT_SANDBOX_THROTTLING: SandboxThrottling = { maximumAvailable: 2000, restoreRate: 100, maxQueryCost: 1000 };

const MUTATION_FIELD_COST = 10;
const CONNECTION_COST = 2;

type Mode = { kind: "requested" } | { kind: "actual" };

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, { typeCondition: string; selectionSet: SelectionSetNode }>;
  variables: Readonly<Record<string, unknown>>;
  mode: Mode;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return isObjectType(named) && named.name.endsWith("Connection") && field.args.some((a) => a.name === "first" || a.name === "last");
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The fields of a selection set with the type each applies to (fragments expanded). */
function collectFields(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLCompositeType): Array<{ node: FieldNode; parent: GraphQLCompositeType }> {
  const typeNamed = (name: string | undefined): GraphQLCompositeType => {
    const type = name ? walk.schema.getType(name) : undefined;
    return type && (isObjectType(type) || isAbstractType(type)) ? type : parent;
  };
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [{ node: selection, parent }];
    if (selection.kind === Kind.INLINE_FRAGMENT) return collectFields(walk, selection.selectionSet, typeNamed(selection.typeCondition?.name.value));
    const fragment = walk.fragments.get(selection.name.value);
    return fragment ? collectFields(walk, fragment.selectionSet, typeNamed(fragment.typeCondition)) : [];
  });
}

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return "getFields" in parent ? parent.getFields()[name] : undefined;
}

function sizeArgument(walk: Walk, node: FieldNode): number {
  const valueOf = (value: ValueNode | undefined): number | null => {
    if (!value) return null;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = walk.variables[value.name.value];
      return typeof v === "number" ? v : null;
    }
    return null;
  };
  const arg = (name: string) => valueOf(node.arguments?.find((a) => a.name.value === name)?.value);
  return arg("first") ?? arg("last") ?? 0;
}

function selectionCost(walk: Walk, selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType, value: unknown): number {
  if (!selectionSet) return 0;
  let sum = 0;
  for (const { node, parent: owner } of collectFields(walk, selectionSet, parent)) {
    const definition = fieldDefinition(owner, node.name.value);
    if (!definition) continue; // __typename and the like
    const named = getNamedType(definition.type);
    if (isLeafType(named)) continue;
    const child = isRecord(value) ? value[node.alias?.value ?? node.name.value] : undefined;
    if (walk.mode.kind === "actual" && (child === null || child === undefined)) continue;
    sum += isConnectionField(definition) ? connectionCost(walk, node, named, child) : objectCost(walk, node, named, definition.type, child);
  }
  return sum;
}

function objectCost(walk: Walk, node: FieldNode, named: GraphQLCompositeType, type: GraphQLOutputType, value: unknown): number {
  if (walk.mode.kind === "requested" || !isList(type)) return 1 + selectionCost(walk, node.selectionSet, named, value);
  const items = Array.isArray(value) ? value : [];
  return 1 + items.reduce<number>((max, item) => Math.max(max, selectionCost(walk, node.selectionSet, named, item)), 0);
}

function connectionCost(walk: Walk, node: FieldNode, connection: GraphQLCompositeType, value: unknown): number {
  const edgeNodeField = (edge: GraphQLCompositeType) => fieldDefinition(edge, "node");
  let perNode = 0;
  let actual = 0;
  for (const { node: field, parent } of collectFields(walk, node.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] }, connection)) {
    const definition = fieldDefinition(parent, field.name.value);
    if (!definition) continue;
    const key = field.alias?.value ?? field.name.value;
    const items = isRecord(value) && Array.isArray(value[key]) ? (value[key] as unknown[]) : [];
    if (field.name.value === "nodes") {
      const nodeType = getNamedType(definition.type) as GraphQLCompositeType;
      perNode += 1 + selectionCost(walk, field.selectionSet, nodeType, undefined);
      actual += items.reduce<number>((sum, item) => sum + 1 + selectionCost(walk, field.selectionSet, nodeType, item), 0);
    } else if (field.name.value === "edges") {
      const edgeType = getNamedType(definition.type) as GraphQLCompositeType;
      const nodeDefinition = edgeNodeField(edgeType);
      if (!nodeDefinition || !field.selectionSet) continue;
      const nodeType = getNamedType(nodeDefinition.type) as GraphQLCompositeType;
      for (const { node: edgeField } of collectFields(walk, field.selectionSet, edgeType)) {
        if (edgeField.name.value !== "node") continue;
        const nodeKey = edgeField.alias?.value ?? "node";
        perNode += 1 + selectionCost(walk, edgeField.selectionSet, nodeType, undefined);
        actual += items.reduce<number>((sum, edge) => sum + 1 + selectionCost(walk, edgeField.selectionSet, nodeType, isRecord(edge) ? edge[nodeKey] : undefined), 0);
      }
    }
  }
  return CONNECTION_COST + (walk.mode.kind === "requested" ? sizeArgument(walk, node) * perNode : actual);
}

function documentCost(schema: GraphQLSchema, document: DocumentNode, variables: Readonly<Record<string, unknown>>, mode: Mode, data: unknown): number {
  const operation = getOperationAST(document);
  if (!operation) return 0;
  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "query" ? schema.getQueryType() : null;
  if (!root) return 0;
  const fragments = new Map<string, { typeCondition: string; selectionSet: SelectionSetNode }>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, { typeCondition: definition.typeCondition.name.value, selectionSet: definition.selectionSet });
    }
  }
  const walk: Walk = { schema, fragments, variables, mode };
  if (operation.operation === "query") return selectionCost(walk, operation.selectionSet, root, data);
  let sum = 0;
  for (const { node } of collectFields(walk, operation.selectionSet, root)) {
    const definition = fieldDefinition(root, node.name.value);
    if (!definition) continue;
    const child = isRecord(data) ? data[node.alias?.value ?? node.name.value] : undefined;
    sum += MUTATION_FIELD_COST + selectionCost(walk, node.selectionSet, getNamedType(definition.type) as GraphQLCompositeType, child);
  }
  return sum;
}

/** The cost Shopify would check before running `document` with `variables`. */
export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, variables: Readonly<Record<string, unknown>> = {}): number {
  return documentCost(schema, document, variables, { kind: "requested" }, undefined);
}

/** The cost of what `data` actually holds, never above the requested cost. */
export function actualQueryCost(schema: GraphQLSchema, document: DocumentNode, variables: Readonly<Record<string, unknown>>, data: unknown): number {
  return Math.min(requestedQueryCost(schema, document, variables), documentCost(schema, document, variables, { kind: "actual" }, data));
}

// ───────────────────────────────── Bucket ─────────────────────────────────

export interface CostBucket {
  readonly limits: SandboxThrottling;
  /** The bucket now, as `throttleStatus` reports it. */
  status(): QueryCost["throttleStatus"];
  /** Take `points` if the bucket holds them; false (and nothing taken) otherwise. */
  take(points: number): boolean;
  /** Put points back (the unused part of a requested cost), never above the bucket size. */
  refund(points: number): void;
}

export function createCostBucket(clock: Clock, limits: SandboxThrottling): CostBucket {
  let available = limits.maximumAvailable;
  let at = clock.now().getTime();
  const refill = (): void => {
    const now = clock.now().getTime();
    available = Math.min(limits.maximumAvailable, available + (Math.max(0, now - at) / 1000) * limits.restoreRate);
    at = now;
  };
  return {
    limits,
    status() {
      refill();
      return { maximumAvailable: limits.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: limits.restoreRate };
    },
    take(points) {
      refill();
      if (points > available) return false;
      available -= points;
      return true;
    },
    refund(points) {
      refill();
      available = Math.min(limits.maximumAvailable, available + Math.max(0, points));
    },
  };
}

/** Shopify's answer when the bucket does not hold the requested cost: no data, nothing run. */
export function throttledError(): GraphQLError {
  return new GraphQLError("Throttled", {
    extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
  });
}

export function maxCostExceededError(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}). See https://shopify.dev/docs/api/usage/limits#rate-limits.`,
    { extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost } },
  );
}
