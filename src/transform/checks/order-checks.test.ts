import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bag, mug, order } from '../fixtures.test-support.ts';
import { checkOrder } from './order-checks.ts';

test('a clean order passes the checks', () => {
  assert.equal(checkOrder(order(1042, { name: '#1042', lineItems: [mug('1', 2)] }), 'USD'), null);
});

test('each damaged amount or quantity holds the order back with its own code, naming the order and the field', () => {
  const cases: [string, Parameters<typeof order>[1]][] = [
    ['ORDER_AMOUNT_FOREIGN_CURRENCY', { totalPriceSet: bag('20.00', 'EUR') }],
    ['ORDER_AMOUNT_TOO_PRECISE', { totalPriceSet: bag('20.005') }],
    ['ORDER_AMOUNT_NOT_A_NUMBER', { totalPriceSet: bag('NaN') }],
    ['ORDER_QUANTITY_INVALID', { lineItems: [mug('1', -2)] }],
  ];
  for (const [code, overrides] of cases) {
    const problem = checkOrder(order(1042, { name: '#1042', lineItems: [mug('1', 2)], ...overrides }), 'USD');
    assert.equal(problem?.code, code);
    assert.equal(problem?.merchantMustAct, true);
    assert.match(problem!.merchantMessage, /^Order #1042 was not posted: /);
  }
});
