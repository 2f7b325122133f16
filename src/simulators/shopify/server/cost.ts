/**
 * Shopify's query cost (https://shopify.dev/docs/api/usage/limits#cost-calculation): scalars and enums cost 0, an
 * object 1, a connection 2 plus its page size (`first`/`last`) times the cost of one node, a mutation 10. The
 * requested cost is computed from the document before running it; the actual cost from what came back (the
 * difference is returned to the bucket). And the leaky bucket that every app+shop pair drains.
 */
import type {
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  valueFromASTUntyped,
} from 'graphql';

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function isConnection(type: GraphQLNamedType): boolean {
  return type.name.endsWith('Connection') && isObjectType(type);
}

function argumentValue(
  ctx: CostContext,
  node: { arguments?: readonly { name: { value: string }; value: never }[] },
  name: string,
): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, ctx.variables) : undefined;
}

function selectionCost(
  ctx: CostContext,
  selectionSet: SelectionSetNode | undefined,
  parent: GraphQLCompositeType,
  data: unknown,
): number {
  if (!selectionSet) return 0;
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? ctx.fragments[selection.name.value] : selection;
      if (!fragment) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const conditionType = conditionName ? ctx.schema.getType(conditionName) : parent;
      if (!conditionType || !isCompositeType(conditionType)) continue;
      total += selectionCost(ctx, fragment.selectionSet, conditionType, data);
      continue;
    }
    const name = selection.name.value;
    if (name === '__typename' || isUnionType(parent)) continue;
    const field = (isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {})[name];
    if (!field) continue;
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) continue;
    const key = selection.alias?.value ?? name;
    const value = data === undefined ? undefined : data === null ? null : (data as Record<string, unknown>)[key];
    if (data !== undefined && (value === null || value === undefined)) continue;
    if (isConnection(type)) {
      const requested = Number(
        argumentValue(ctx, selection as never, 'first') ?? argumentValue(ctx, selection as never, 'last') ?? 0,
      );
      const connection = value as { edges?: { node: unknown }[]; nodes?: unknown[] } | undefined;
      const nodeType = getNamedType((type as GraphQLObjectType).getFields().nodes!.type) as GraphQLCompositeType;
      const perNode = (node: unknown) => {
        let cost = 0;
        for (const sub of selection.selectionSet?.selections ?? []) {
          if (sub.kind !== Kind.FIELD) continue;
          if (sub.name.value === 'nodes')
            cost = Math.max(cost, 1 + selectionCost(ctx, sub.selectionSet, nodeType, node));
          if (sub.name.value === 'edges') {
            const nodeField = sub.selectionSet?.selections.find(
              (s) => s.kind === Kind.FIELD && s.name.value === 'node',
            );
            if (nodeField && nodeField.kind === Kind.FIELD) {
              cost = Math.max(cost, 1 + selectionCost(ctx, nodeField.selectionSet, nodeType, node));
            }
          }
        }
        return cost;
      };
      if (connection === undefined) {
        total += 2 + requested * perNode(undefined);
      } else {
        const nodes = connection.nodes ?? connection.edges?.map((e) => e.node) ?? [];
        total += 2 + nodes.reduce<number>((sum, node) => sum + perNode(node), 0);
      }
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) total += 1 + selectionCost(ctx, selection.selectionSet, type, item);
      continue;
    }
    // A list by ids (`nodes(ids:)`) is priced for every id asked, as if each were its own object.
    const ids = argumentValue(ctx, selection as never, 'ids');
    const listSize = Array.isArray(ids) ? ids.length : Number(argumentValue(ctx, selection as never, 'first') ?? 1);
    total += (data === undefined ? listSize : 1) * (1 + selectionCost(ctx, selection.selectionSet, type, value));
  }
  return total;
}

function contextFor(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
): CostContext {
  void operation;
  return { schema, fragments: Object.fromEntries(fragments.map((f) => [f.name.value, f])), variables };
}

/** The cost Shopify charges up front, from first/last sizes. */
export function requestedCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
): number {
  const ctx = contextFor(schema, operation, fragments, variables);
  if (operation.operation === 'mutation') return 10;
  return selectionCost(ctx, operation.selectionSet, schema.getQueryType()!, undefined);
}

/** The cost of what was actually returned. */
export function actualCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
  data: unknown,
): number {
  const ctx = contextFor(schema, operation, fragments, variables);
  if (operation.operation === 'mutation') return 10;
  return selectionCost(ctx, operation.selectionSet, schema.getQueryType()!, data ?? null);
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Shopify's leaky bucket: drains by each query's cost, refills at `restoreRate` points per second. */
export class CostBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  #available: number;
  #lastMs: number;
  readonly #now: () => number;

  constructor(maximumAvailable: number, restoreRate: number, now: () => number) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.#available = maximumAvailable;
    this.#now = now;
    this.#lastMs = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#available = Math.min(
      this.maximumAvailable,
      this.#available + ((now - this.#lastMs) / 1000) * this.restoreRate,
    );
    this.#lastMs = now;
  }

  /** Takes `cost` points if they are there. */
  take(cost: number): boolean {
    this.#refill();
    if (cost > this.#available) return false;
    this.#available -= cost;
    return true;
  }

  giveBack(points: number): void {
    this.#refill();
    this.#available = Math.min(this.maximumAvailable, this.#available + points);
  }

  status(): ThrottleStatus {
    this.#refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.#available),
      restoreRate: this.restoreRate,
    };
  }
}
