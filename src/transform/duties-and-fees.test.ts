import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney } from '../domain/index.ts';
import { CATEGORIES, proposeAccountMapping } from './accounts.ts';
import { heldBackWhatToDo } from './checks/order-checks.ts';
import type { Modes, TransactionDocument } from './documents.ts';
import { bag, mug, order, refund, shopWith, tax, transaction } from './fixtures.test-support.ts';
import { glEffect, imbalance } from './gl-effect.ts';
import { transform } from './transform.ts';

const AT = '2025-03-10T15:00:00Z';
const LATER = '2025-03-14T15:00:00Z';

function rows(document: TransactionDocument | undefined): [string, string, string][] {
  assert.ok(document && 'lines' in document);
  return document.lines.map((l) => [(l as { item?: string }).item ?? '', l.category, formatMoney(l.amount)]);
}

const crossBorder = order(3001, {
  sourceName: 'web',
  retailLocation: null,
  lineItems: [mug('1', 2, { taxLines: [tax('1.60')] })],
  originalTotalDutiesSet: bag('4.10'),
  originalTotalAdditionalFeesSet: bag('1.25'),
  additionalFees: [
    { id: 'gid://shopify/AdditionalFee/1', name: 'Import fee', price: bag('1.25'), taxLines: [tax('0.10')] },
  ],
  // 20.00 + 1.60 + 0.10 tax + 4.10 duties + 1.25 fee.
  transactions: [transaction('SALE', 'shopify_payments', '27.05', AT)],
  refunds: [
    refund(41, LATER, {
      duties: [{ amountSet: bag('4.10'), originalDuty: null }],
      transactions: [transaction('REFUND', 'shopify_payments', '4.10', LATER)],
    }),
  ],
});

test('duties and additional fees post to their own categories, through their own items, and come back on a refund', () => {
  for (const modes of [
    { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
    { customers: 'summary', inventory: 'summary', vendors: 'summary' },
  ] satisfies Modes[]) {
    const result = transform(shopWith([crossBorder]), { modes, useClasses: false, startDate: null });
    assert.deepEqual(result.notes, []);
    for (const d of result.documents) assert.equal(imbalance(glEffect(d)), 0n, d.key);
    const sale = result.documents.find((d) => d.kind === 'salesReceipt' && d.date === '2025-03-10');
    assert.deepEqual(
      rows(sale).filter(([item]) => item === 'item/duties' || item === 'item/additional-fee'),
      [
        ['item/duties', 'duties', '4.10'],
        ['item/additional-fee', 'additionalFees', '1.25'],
      ],
    );
    assert.equal(glEffect(sale!).get('salesTaxPayable'), -170n, 'the fee’s tax is sales tax');
    const back = result.documents.find((d) => d.kind === 'salesReceipt' && d.date === '2025-03-14');
    assert.deepEqual(
      rows(back).filter(([item]) => item === 'item/duties'),
      [['item/duties', 'duties', '-4.10']],
    );
    const items = result.lists.filter((l) => l.kind === 'item').map((l) => l.key);
    assert.ok(items.includes('item/duties') && items.includes('item/additional-fee'));
  }
});

test('shops that charge neither get no duties or fees items', () => {
  const plain = order(3002, { lineItems: [mug('1', 1)], transactions: [transaction('SALE', 'cash', '10.00', AT)] });
  const result = transform(shopWith([plain]), {
    modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
    useClasses: false,
    startDate: null,
  });
  const items = result.lists.filter((l) => l.kind === 'item').map((l) => l.key);
  assert.ok(!items.includes('item/duties') && !items.includes('item/additional-fee'));
});

test('the default mapping gives duties and additional fees accounts of their own', () => {
  const { mapping, toCreate } = proposeAccountMapping([]);
  assert.equal(mapping.duties, 'Duties Payable');
  assert.equal(mapping.additionalFees, 'Additional Fees Payable');
  assert.deepEqual(
    toCreate.filter((p) => p.category === 'duties' || p.category === 'additionalFees').map((p) => p.type),
    ['OtherCurrentLiability', 'OtherCurrentLiability'],
  );
});

test('a mapping saved before duties were a category holds back an order with duties, saying what to map', () => {
  const { mapping } = proposeAccountMapping([]);
  const mappedCategories = CATEGORIES.filter((c) => c !== 'duties' && c !== 'additionalFees' && mapping[c]);
  const plain = order(3003, { lineItems: [mug('2', 1)], transactions: [transaction('SALE', 'cash', '10.00', AT)] });
  const result = transform(shopWith([crossBorder, plain]), {
    modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
    useClasses: false,
    startDate: null,
    mappedCategories,
  });
  assert.deepEqual(result.notes, [
    {
      key: 'order/3001',
      code: 'ORDER_CATEGORY_UNMAPPED',
      text: 'Order #3001 was not posted: its duties (4.10) have no QuickBooks account: the account mapping was saved before "Duties" was a category. Map "Duties" to a QuickBooks account (the account mapping in the app, or `qbd-connector setup options --map duties=ACCOUNT`). The next sync posts it once it is corrected.',
    },
  ]);
  assert.ok(
    result.documents.some((d) => d.memo?.includes('#3003')),
    'the other order is posted',
  );
  assert.ok(!result.lists.some((l) => l.key === 'item/duties'), 'no item for a category without an account');
  assert.match(heldBackWhatToDo('ORDER_CATEGORY_UNMAPPED'), /^Map the category the message names/);
  assert.match(heldBackWhatToDo('ORDER_TOTAL_MISMATCH'), /^Correct the order in Shopify/);
});
