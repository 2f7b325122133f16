import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSalesTax, ZERO_RATE_ITEM_NAME } from './sales-tax-check.ts';

const zeroItem = { name: 'Out of State', ratePercent: '0.00', isActive: true };
const nyItem = { name: 'NYC Tax', ratePercent: '8.875', isActive: true };

test('passes when sales tax is on and the most common item is 0 %', () => {
  const result = checkSalesTax({ salesTaxOn: true, mostCommonItem: zeroItem, salesTaxItems: [zeroItem, nyItem] });
  assert.deepEqual(result, { status: 'pass', mostCommonItem: 'Out of State' });
});

test('sales tax off: says where to turn it on and which item to pick', () => {
  const result = checkSalesTax({ salesTaxOn: false, mostCommonItem: null, salesTaxItems: [] });
  assert.equal(result.status, 'fix');
  if (result.status !== 'fix') return;
  assert.equal(result.problems[0]!.code, 'SALES_TAX_OFF');
  assert.match(result.problems[0]!.message, /Edit > Preferences > Sales Tax > Company Preferences/);
  assert.match(result.problems[0]!.message, new RegExp(ZERO_RATE_ITEM_NAME));
  assert.deepEqual(result.offerToCreate, { name: ZERO_RATE_ITEM_NAME });
});

test('a non-zero most common item is refused with its rate, and an existing 0 % item is suggested', () => {
  const result = checkSalesTax({ salesTaxOn: true, mostCommonItem: nyItem, salesTaxItems: [nyItem, zeroItem] });
  assert.equal(result.status, 'fix');
  if (result.status !== 'fix') return;
  assert.equal(result.problems[0]!.code, 'DEFAULT_TAX_ITEM_NOT_ZERO');
  assert.match(result.problems[0]!.message, /"NYC Tax" at 8\.875 %/);
  assert.match(result.problems[0]!.message, /"Out of State"/);
  assert.equal(result.zeroRateItem, 'Out of State');
  assert.equal(result.offerToCreate, null);
});

test('inactive 0 % items are not suggested', () => {
  const result = checkSalesTax({
    salesTaxOn: true,
    mostCommonItem: null,
    salesTaxItems: [{ ...zeroItem, isActive: false }],
  });
  assert.equal(result.status, 'fix');
  if (result.status !== 'fix') return;
  assert.equal(result.problems[0]!.code, 'DEFAULT_TAX_ITEM_MISSING');
  assert.equal(result.zeroRateItem, null);
});
