import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalGuidFor, shortHash } from './identity.ts';

test('external GUIDs are deterministic, distinct and shaped as QuickBooks GUIDTYPE', () => {
  const a = externalGuidFor('shop-1/order/1001/sale');
  assert.equal(a, externalGuidFor('shop-1/order/1001/sale'));
  assert.notEqual(a, externalGuidFor('shop-1/order/1002/sale'));
  assert.match(a, /^\{[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
});

test('short hashes are stable and of the asked length', () => {
  assert.equal(shortHash('x'), shortHash('x'));
  assert.equal(shortHash('x', 4).length, 4);
  assert.notEqual(shortHash('customer/1'), shortHash('customer/2'));
});
