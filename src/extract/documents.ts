import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  visit,
} from 'graphql';

/**
 * Every GraphQL document the connector sends lives in `queries/*.graphql`; they are read once, when this module
 * loads. Fragments are shared across files: each operation is printed with exactly the fragments it uses, so
 * what goes over the wire is a complete, self-contained document.
 *
 * Documents under `queries/unstable/` are checked against the unstable 2026-09 schema (purchase orders and
 * transfers are not in the stable 2026-10 schema file); the others against stable 2026-10. They are all sent to
 * the 2026-10 endpoint, where purchase orders are generally available.
 */
export type SchemaName = 'admin-2026-10' | 'admin-unstable-2026-09';

export interface GraphqlDocument {
  name: string;
  kind: 'query' | 'mutation';
  text: string;
  schema: SchemaName;
}

const QUERY_DIR = join(import.meta.dirname, 'queries');

function readDefinitions(): { definitions: DefinitionNode[]; schema: SchemaName; file: string }[] {
  const files: { path: string; schema: SchemaName }[] = [];
  for (const name of readdirSync(QUERY_DIR)) {
    if (name.endsWith('.graphql')) files.push({ path: join(QUERY_DIR, name), schema: 'admin-2026-10' });
  }
  for (const name of readdirSync(join(QUERY_DIR, 'unstable'))) {
    if (name.endsWith('.graphql'))
      files.push({ path: join(QUERY_DIR, 'unstable', name), schema: 'admin-unstable-2026-09' });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return files.map(({ path, schema }) => ({
    definitions: [...parse(readFileSync(path, 'utf8')).definitions],
    schema,
    file: path,
  }));
}

function fragmentNamesUsedBy(node: DefinitionNode): Set<string> {
  const names = new Set<string>();
  visit(node, {
    FragmentSpread(spread) {
      names.add(spread.name.value);
    },
  });
  return names;
}

function buildDocuments(): Map<string, GraphqlDocument> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: { node: OperationDefinitionNode; schema: SchemaName; file: string }[] = [];
  for (const file of readDefinitions()) {
    for (const definition of file.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value)) {
          throw new Error(`Fragment ${definition.name.value} is defined twice (second in ${file.file})`);
        }
        fragments.set(definition.name.value, definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`An operation in ${file.file} has no name`);
        operations.push({ node: definition, schema: file.schema, file: file.file });
      }
    }
  }
  const documents = new Map<string, GraphqlDocument>();
  for (const { node, schema } of operations) {
    const name = node.name!.value;
    if (documents.has(name)) throw new Error(`Operation ${name} is defined twice`);
    const needed = new Map<string, FragmentDefinitionNode>();
    const pending = [...fragmentNamesUsedBy(node)];
    while (pending.length > 0) {
      const fragmentName = pending.pop()!;
      if (needed.has(fragmentName)) continue;
      const fragment = fragments.get(fragmentName);
      if (!fragment) throw new Error(`Operation ${name} uses unknown fragment ${fragmentName}`);
      needed.set(fragmentName, fragment);
      pending.push(...fragmentNamesUsedBy(fragment));
    }
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [node, ...[...needed.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))],
    };
    documents.set(name, {
      name,
      kind: node.operation === 'mutation' ? 'mutation' : 'query',
      text: print(document),
      schema,
    });
  }
  return documents;
}

const DOCUMENTS = buildDocuments();

/** Every operation, for the schema test. */
export function allDocuments(): GraphqlDocument[] {
  return [...DOCUMENTS.values()];
}

/** The text of a named operation; a missing name is a bug. */
export function documentText(name: string): string {
  const document = DOCUMENTS.get(name);
  if (!document) throw new Error(`No GraphQL operation named ${name} in src/extract/queries`);
  return document.text;
}

/**
 * The bulk query body: the operation's selection without `query Name`, which is how bulkOperationRunQuery
 * takes it (fragments are allowed and appended).
 */
export function bulkQueryText(name: string): string {
  return documentText(name).replace(/^query\s+\w+\s*/, '');
}
