import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Modes, TransactionDocument } from './documents.ts';
import { editAdjustments } from './edits.ts';
import { mug, order, shirt, shopWith, tax, transaction } from './fixtures.test-support.ts';
import { glEffect, imbalance, totalEffect } from './gl-effect.ts';
import { transform } from './transform.ts';

const DETAILED: Modes = { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' };
const AT = '2025-03-10T15:00:00Z';

function saleOf(lines: Parameters<typeof order>[1]): TransactionDocument {
  const result = transform(shopWith([order(2001, lines)]), { modes: DETAILED, useClasses: true, startDate: null });
  return result.documents.find((d) => d.key === 'order/2001/sale')!;
}

function plain(documents: TransactionDocument[]): Record<string, string> {
  return Object.fromEntries([...totalEffect(documents)].sort().map(([k, v]) => [k, String(v)]));
}

describe('orders edited after they were posted', () => {
  const before = saleOf({
    sourceName: 'web',
    retailLocation: null,
    displayFinancialStatus: 'PENDING',
    lineItems: [mug('1', 1, { taxLines: [tax('0.80')] })],
  });

  it('an added line is posted as a difference on the edit date; posted + difference = the current order', () => {
    const after = saleOf({
      sourceName: 'web',
      retailLocation: null,
      displayFinancialStatus: 'PENDING',
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] }), shirt('2', 1, { taxLines: [tax('2.00')] })],
    });
    const adjustments = editAdjustments(before, after, { date: '2025-03-12', sequence: 1 });
    assert.equal(adjustments.length, 1);
    const adjustment = adjustments[0]!;
    assert.equal(adjustment.kind, 'invoice');
    assert.equal(adjustment.key, 'order/2001/sale/edit/1');
    assert.equal(adjustment.date, '2025-03-12');
    assert.ok(adjustment.kind === 'invoice');
    assert.deepEqual(
      adjustment.lines.map((l) => [l.item, l.category, l.amount]),
      [
        ['item/variant/21', 'productSales', 2500n],
        ['item/sales-tax', 'salesTaxPayable', 200n],
      ],
    );
    assert.deepEqual(plain([before, ...adjustments]), plain([after]));
  });

  it('a removed line on an invoice becomes a credit memo, never a negative invoice', () => {
    const larger = saleOf({
      sourceName: 'web',
      retailLocation: null,
      displayFinancialStatus: 'PENDING',
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] }), shirt('2', 1, { taxLines: [tax('2.00')] })],
    });
    const [memo, ...rest] = editAdjustments(larger, before, { date: '2025-03-12', sequence: 2 });
    assert.equal(rest.length, 0);
    assert.equal(memo!.kind, 'creditMemo');
    assert.deepEqual(plain([larger, memo!]), plain([before]));
  });

  it('an order left with nothing to post is reversed', () => {
    const [reversal, ...rest] = editAdjustments(before, null, { date: '2025-03-12', sequence: 3 });
    assert.equal(rest.length, 0);
    assert.deepEqual([reversal!.kind, reversal!.key], ['creditMemo', 'order/2001/sale/edit/3/reversal']);
    assert.deepEqual(plain([before, reversal!]), {});
  });

  it('a different document kind reverses what was posted and posts the current one, both on the edit date', () => {
    const paid = saleOf({
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] })],
      transactions: [transaction('SALE', 'cash', '10.80', AT)],
    });
    const adjustments = editAdjustments(before, paid, { date: '2025-03-12', sequence: 1 });
    assert.deepEqual(
      adjustments.map((d) => [d.kind, d.key]),
      [
        ['creditMemo', 'order/2001/sale/edit/1/reversal'],
        ['salesReceipt', 'order/2001/sale/edit/1'],
      ],
    );
    for (const d of adjustments) assert.equal(imbalance(glEffect(d)), 0n);
    assert.deepEqual(plain([before, ...adjustments]), plain([paid]));
  });

  it('nothing changed, nothing posted', () => {
    assert.deepEqual(editAdjustments(before, before, { date: '2025-03-12', sequence: 1 }), []);
  });
});
