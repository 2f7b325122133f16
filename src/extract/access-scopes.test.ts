/**
 * shopify.app.toml asks for the access scopes the extract really uses: every object type its GraphQL documents
 * (src/extract/queries/) read, and every field among them Shopify guards with a scope, needs one of the scopes
 * Shopify names for it in the schema's own `offline_scopes` table — and the toml asks for nothing else (but the
 * two reviewed below).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  buildClientSchema,
  type GraphQLSchema,
  getNamedType,
  type IntrospectionQuery,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

const ROOT = join(import.meta.dirname, '..', '..');
const QUERIES = join(import.meta.dirname, 'queries');
const SCHEMAS = join(ROOT, '..', 'shared', 'shopify');
/**
 * Scopes the schema's table names for none of what the queries read, asked for on purpose: read_all_orders lifts
 * the 60-day window on orders; read_shopify_payments_payouts is the scope Shopify's reference pages name for
 * payouts and balance transactions, which the table leaves to the account's scope.
 */
const BEYOND_TYPES = new Set(['read_all_orders', 'read_shopify_payments_payouts']);

interface ScopeEntry {
  type: 'type' | 'field';
  typeName: string;
  fieldName?: string;
  offlineScopes: string[];
}

function load(file: string): { schema: GraphQLSchema; scopes: ScopeEntry[] } {
  const json = JSON.parse(gunzipSync(readFileSync(join(SCHEMAS, file))).toString()) as {
    data: IntrospectionQuery;
    offline_scopes: { items: ScopeEntry[] };
  };
  return { schema: buildClientSchema(json.data), scopes: json.offline_scopes.items };
}

/** Each guarded type or field the documents read, with the scopes of which one is enough. */
function neededScopes(dir: string, file: string): Map<string, string[]> {
  const { schema, scopes } = load(file);
  const guard = new Map<string, string[]>();
  for (const entry of scopes) {
    if (entry.offlineScopes.length === 0) continue;
    guard.set(entry.type === 'type' ? entry.typeName : `${entry.typeName}.${entry.fieldName}`, entry.offlineScopes);
  }
  const needed = new Map<string, string[]>();
  const read = (key: string) => {
    const anyOf = guard.get(key);
    if (anyOf) needed.set(key, anyOf);
  };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.graphql'))) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(readFileSync(join(dir, name), 'utf8')),
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (parent) read(`${parent.name}.${node.name.value}`);
          const type = typeInfo.getType();
          if (type && isObjectType(getNamedType(type))) read(getNamedType(type)!.name);
        },
      }),
    );
  }
  return needed;
}

test('shopify.app.toml asks for every access scope the extract’s queries need, and no other', () => {
  const toml = readFileSync(join(ROOT, 'shopify.app.toml'), 'utf8');
  const line = /^scopes\s*=\s*"([^"]*)"/m.exec(toml);
  assert.ok(line, 'shopify.app.toml has an access_scopes.scopes line');
  const asked = new Set(line[1]!.split(',').map((s) => s.trim()));

  const needed = new Map([
    ...neededScopes(QUERIES, 'admin-2026-10.json.gz'),
    ...neededScopes(join(QUERIES, 'unstable'), 'admin-unstable-2026-09.json.gz'),
  ]);
  assert.ok(needed.has('Order') && needed.has('InventoryPurchaseOrder'), 'the scan found the extract’s documents');
  const missing = [...needed].filter(([, anyOf]) => !anyOf.some((s) => asked.has(s)));
  assert.deepEqual(
    missing.map(([what, anyOf]) => `${what}: one of ${anyOf.join(', ')}`),
    [],
    'scopes the extract needs and the toml does not ask for',
  );
  const used = new Set([...needed.values()].flatMap((anyOf) => anyOf.filter((s) => asked.has(s))));
  const unused = [...asked].filter((s) => !used.has(s) && !BEYOND_TYPES.has(s));
  assert.deepEqual(unused, [], 'scopes the toml asks for that no query needs');
});
