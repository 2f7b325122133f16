/**
 * Bulk queries as Shopify takes them (https://shopify.dev/docs/api/usage/bulk-operations/queries): checked before
 * they are accepted (one top-level field, at least one and at most 5 connections, nested at most 2 deep, none inside
 * a list field, no top-level node/nodes), and each executed page turned into JSONL lines — objects from nested
 * connections get their own lines with `__parentId`, after their parent; plain lists and objects stay inline.
 */
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLSchema,
  GraphQLType,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  validate,
} from 'graphql';

export interface BulkShape {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

export interface BulkUserError {
  field: string[];
  message: string;
  code: 'INVALID' | 'OPERATION_IN_PROGRESS' | 'LIMIT_REACHED';
}

function isConnectionName(name: string): boolean {
  return name.endsWith('Connection');
}

/** Checks a bulk query the way Shopify does before accepting it; returns the parsed shape or user errors. */
export function checkBulkQuery(schema: GraphQLSchema, query: string): BulkShape | BulkUserError[] {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [{ field: ['query'], message: `Invalid bulk query: ${(error as Error).message}`, code: 'INVALID' }];
  }
  const errors = validate(schema, document);
  if (errors.length > 0) {
    return errors.map((e) => ({
      field: ['query'],
      message: `Invalid bulk query: ${e.message}`,
      code: 'INVALID' as const,
    }));
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0]!.operation !== 'query') {
    return [{ field: ['query'], message: 'Bulk queries must contain exactly one query operation.', code: 'INVALID' }];
  }
  const operation = operations[0]!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const roots = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (roots.length !== 1) {
    return [{ field: ['query'], message: 'Bulk queries must select exactly one top-level field.', code: 'INVALID' }];
  }
  const root = roots[0]!;
  if (root.kind === Kind.FIELD && (root.name.value === 'node' || root.name.value === 'nodes')) {
    return [
      { field: ['query'], message: 'Bulk queries cannot use the top-level node or nodes fields.', code: 'INVALID' },
    ];
  }
  const shape: BulkShape = { document, operation, fragments };
  const connections = countConnections(schema, shape, operation.selectionSet, schema.getQueryType()!, 0);
  if (connections.count === 0) {
    return [{ field: ['query'], message: 'Bulk queries must contain at least one connection.', code: 'INVALID' }];
  }
  if (connections.count > 5) {
    return [{ field: ['query'], message: 'Bulk queries cannot contain more than 5 connections.', code: 'INVALID' }];
  }
  if (connections.inList) {
    return [
      {
        field: ['query'],
        message: 'Queries that contain a connection field within a list field are not currently supported.',
        code: 'INVALID',
      },
    ];
  }
  if (connections.depth > 2) {
    return [
      { field: ['query'], message: 'Bulk queries cannot nest connections more than 2 levels deep.', code: 'INVALID' },
    ];
  }
  return shape;
}

function fieldsOf(shape: BulkShape, selectionSet: SelectionSetNode | undefined) {
  const out: { name: string; key: string; selectionSet: SelectionSetNode | undefined }[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      out.push({
        name: selection.name.value,
        key: selection.alias?.value ?? selection.name.value,
        selectionSet: selection.selectionSet,
      });
    } else {
      const inner =
        selection.kind === Kind.FRAGMENT_SPREAD
          ? shape.fragments[selection.name.value]?.selectionSet
          : selection.selectionSet;
      out.push(...fieldsOf(shape, inner));
    }
  }
  return out;
}

function fieldType(_schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLCompositeType | null {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return null;
  const field = parent.getFields()[name];
  if (!field) return null;
  const type = getNamedType(field.type);
  return isCompositeType(type) ? type : null;
}

function isListField(parent: GraphQLCompositeType, name: string): boolean {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return false;
  let type: GraphQLType | undefined = parent.getFields()[name]?.type;
  while (type && isNonNullType(type)) type = type.ofType;
  return type !== undefined && isListType(type);
}

/** Connections in the selection, how deep they nest, and whether one sits inside a list field (refused). */
function countConnections(
  schema: GraphQLSchema,
  shape: BulkShape,
  selectionSet: SelectionSetNode | undefined,
  parent: GraphQLCompositeType,
  depth: number,
  underList = false,
): { count: number; depth: number; inList: boolean } {
  let count = 0;
  let deepest = depth;
  let inList = false;
  for (const field of fieldsOf(shape, selectionSet)) {
    const type = fieldType(schema, parent, field.name);
    if (!type) continue;
    if (isConnectionName(type.name)) {
      count++;
      if (underList) inList = true;
      const nodeType = fieldType(schema, type, 'nodes') ?? type;
      for (const sub of fieldsOf(shape, field.selectionSet)) {
        const set =
          sub.name === 'nodes'
            ? sub.selectionSet
            : sub.name === 'edges'
              ? fieldsOf(shape, sub.selectionSet).find((f) => f.name === 'node')?.selectionSet
              : undefined;
        if (!set) continue;
        const inner = countConnections(schema, shape, set, nodeType, depth + 1);
        count += inner.count;
        deepest = Math.max(deepest, inner.depth);
        inList ||= inner.inList;
      }
      deepest = Math.max(deepest, depth + 1);
    } else {
      const list = underList || isListField(parent, field.name);
      const inner = countConnections(schema, shape, field.selectionSet, type, depth, list);
      count += inner.count;
      deepest = Math.max(deepest, inner.depth);
      inList ||= inner.inList;
    }
  }
  return { count, depth: deepest, inList };
}

/**
 * Turns one page of the executed bulk query into JSONL lines: the root connection's nodes, each followed by the
 * nodes of its nested connections (with `__parentId`).
 */
export function flattenBulkResult(
  schema: GraphQLSchema,
  shape: BulkShape,
  data: Record<string, unknown>,
): { lines: string[]; roots: number } {
  const lines: string[] = [];
  let roots = 0;
  const queryType = schema.getQueryType()!;
  for (const field of fieldsOf(shape, shape.operation.selectionSet)) {
    const type = fieldType(schema, queryType, field.name);
    if (!type) continue;
    if (isConnectionName(type.name)) {
      for (const node of connectionNodes(shape, field.selectionSet, data[field.key])) {
        roots++;
        emit(
          schema,
          shape,
          nodeSelection(shape, field.selectionSet),
          fieldType(schema, type, 'nodes')!,
          node,
          null,
          lines,
        );
      }
    } else if (data[field.key] && typeof data[field.key] === 'object') {
      // A connection under a plain object (shopifyPaymentsAccount { payouts }): its nodes are the roots.
      const holder = data[field.key] as Record<string, unknown>;
      for (const sub of fieldsOf(shape, field.selectionSet)) {
        const subType = fieldType(schema, type, sub.name);
        if (!subType || !isConnectionName(subType.name)) continue;
        for (const node of connectionNodes(shape, sub.selectionSet, holder[sub.key])) {
          roots++;
          emit(
            schema,
            shape,
            nodeSelection(shape, sub.selectionSet),
            fieldType(schema, subType, 'nodes')!,
            node,
            null,
            lines,
          );
        }
      }
    }
  }
  return { lines, roots };
}

function nodeSelection(
  shape: BulkShape,
  connectionSelection: SelectionSetNode | undefined,
): SelectionSetNode | undefined {
  for (const sub of fieldsOf(shape, connectionSelection)) {
    if (sub.name === 'nodes') return sub.selectionSet;
    if (sub.name === 'edges') {
      const node = fieldsOf(shape, sub.selectionSet).find((f) => f.name === 'node');
      if (node) return node.selectionSet;
    }
  }
  return undefined;
}

function connectionNodes(
  shape: BulkShape,
  selection: SelectionSetNode | undefined,
  value: unknown,
): Record<string, unknown>[] {
  if (!value || typeof value !== 'object') return [];
  for (const sub of fieldsOf(shape, selection)) {
    const part = (value as Record<string, unknown>)[sub.key];
    if (sub.name === 'nodes' && Array.isArray(part)) return part as Record<string, unknown>[];
    if (sub.name === 'edges' && Array.isArray(part)) {
      const nodeKey = fieldsOf(shape, sub.selectionSet).find((f) => f.name === 'node')?.key ?? 'node';
      return part.map((edge) => (edge as Record<string, Record<string, unknown>>)[nodeKey]!);
    }
  }
  return [];
}

interface EmitPlan {
  /** The node's own fields (written in its line), in selection order. */
  own: string[];
  /** Its nested connections, whose nodes get lines of their own. */
  children: {
    key: string;
    connection: SelectionSetNode | undefined;
    selection: SelectionSetNode | undefined;
    type: GraphQLCompositeType;
  }[];
}

/** What to write for a node of `type` under `selection`, worked out once per query (not once per node). */
const emitPlans = new WeakMap<SelectionSetNode, Map<GraphQLCompositeType, EmitPlan>>();

function emitPlan(
  schema: GraphQLSchema,
  shape: BulkShape,
  selection: SelectionSetNode | undefined,
  type: GraphQLCompositeType,
): EmitPlan {
  const byType = selection ? emitPlans.get(selection) : undefined;
  const cached = byType?.get(type);
  if (cached) return cached;
  const plan: EmitPlan = { own: [], children: [] };
  const seen = new Set<string>();
  for (const field of fieldsOf(shape, selection)) {
    if (seen.has(field.key)) continue;
    seen.add(field.key);
    const fieldComposite = fieldType(schema, type, field.name);
    if (fieldComposite && isConnectionName(fieldComposite.name)) {
      plan.children.push({
        key: field.key,
        connection: field.selectionSet,
        selection: nodeSelection(shape, field.selectionSet),
        type: fieldType(schema, fieldComposite, 'nodes')!,
      });
    } else {
      plan.own.push(field.key);
    }
  }
  if (selection) {
    if (byType) byType.set(type, plan);
    else emitPlans.set(selection, new Map([[type, plan]]));
  }
  return plan;
}

function emit(
  schema: GraphQLSchema,
  shape: BulkShape,
  selection: SelectionSetNode | undefined,
  type: GraphQLCompositeType,
  node: Record<string, unknown>,
  parentId: string | null,
  lines: string[],
): void {
  const plan = emitPlan(schema, shape, selection, type);
  const own: Record<string, unknown> = {};
  for (const key of plan.own) if (key in node) own[key] = node[key];
  if (parentId !== null) own.__parentId = parentId;
  lines.push(JSON.stringify(own));
  const id = typeof node.id === 'string' ? node.id : null;
  for (const child of plan.children) {
    for (const childNode of connectionNodes(shape, child.connection, node[child.key])) {
      if (id === null) throw new Error('Bulk queries need `id` on every object that holds a nested connection.');
      emit(schema, shape, child.selection, child.type, childNode, id, lines);
    }
  }
}
