import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, parse, validate } from 'graphql';
import { checkBulkQuery } from '../simulators/shopify/index.ts';
import { allDocuments, bulkQueryText, type SchemaName } from './documents.ts';
import { ENTITY_SPECS } from './entities.ts';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'shopify');

function loadSchema(name: SchemaName): GraphQLSchema {
  const path = join(SHARED, `${name}.json.gz`);
  if (!existsSync(path)) {
    assert.fail(
      `Shopify's Admin GraphQL schema is missing: ${path}. The GraphQL documents cannot be validated without ../shared (it is not redistributed with the connector).`,
    );
  }
  return buildClientSchema(JSON.parse(gunzipSync(readFileSync(path)).toString()).data);
}

test('every GraphQL document validates against the Admin API schema it targets', () => {
  const schemas = new Map<SchemaName, GraphQLSchema>();
  const documents = allDocuments();
  assert.ok(documents.length >= 20, `expected the full set of documents, found ${documents.length}`);
  for (const document of documents) {
    let schema = schemas.get(document.schema);
    if (!schema) {
      schema = loadSchema(document.schema);
      schemas.set(document.schema, schema);
    }
    const errors = validate(schema, parse(document.text));
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
      `${document.name} does not validate against ${document.schema}`,
    );
  }
});

test('purchase-order documents need the unstable schema: the stable 2026-10 file rejects them', () => {
  const stable = loadSchema('admin-2026-10');
  const purchaseOrders = allDocuments().find((d) => d.name === 'PurchaseOrdersPage');
  assert.ok(purchaseOrders);
  assert.equal(purchaseOrders.schema, 'admin-unstable-2026-09');
  assert.notEqual(validate(stable, parse(purchaseOrders.text)).length, 0);
});

test('the bulk orders query is an anonymous query with every fragment it spreads', () => {
  const text = bulkQueryText('BulkOrders');
  assert.match(text, /^\{/);
  const document = parse(text);
  assert.equal(document.definitions[0]!.kind, 'OperationDefinition');
  assert.ok(document.definitions.some((d) => d.kind === 'FragmentDefinition' && d.name.value === 'LineItemFields'));
});

test('every bulk query keeps Shopify’s bulk rules (5 connections, 2 levels, no connection inside a list)', () => {
  const stable = loadSchema('admin-2026-10');
  const queries = Object.values(ENTITY_SPECS).flatMap((spec) => (spec.bulk ? [spec.bulk.query] : []));
  assert.ok(queries.length >= 5, `bulk queries: ${queries.join(', ')}`);
  for (const name of queries) {
    const checked = checkBulkQuery(stable, bulkQueryText(name));
    assert.ok(!Array.isArray(checked), `${name}: ${JSON.stringify(checked)}`);
  }
});
