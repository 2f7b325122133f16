/**
 * A refund's subtotals read two ways — the line's own price with tax in it (prices include tax) or before tax (tax
 * added on top) — and the refund's own money says which: read that way, posted before tax; fitting neither, held
 * back for the merchant, never guessed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../domain/index.ts';
import { formatMoney, parseMoney } from '../domain/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import type { TransactionDocument } from './documents.ts';
import { bag, mug, order, refund, shopWith, tax, transaction } from './fixtures.test-support.ts';
import { readRefund } from './refunds.ts';
import { transform } from './transform.ts';

const SALE_AT = '2025-03-10T15:00:00Z';
const REFUND_AT = '2025-03-15T20:00:00Z';

/** Two mugs at 10.00 with 20 % VAT in the price (3.33 of the 20.00), one brought back. */
function vatOrder(subtotal: string, lineTax: string, paidBack: string, taxesIncluded = true): Order {
  return order(1020, {
    taxesIncluded,
    lineItems: [mug('1', 2, { taxLines: [tax('3.33', 'VAT', 20)] })],
    // Tax added on top of the prices is paid on top of them too.
    transactions: [transaction('SALE', 'shopify_payments', taxesIncluded ? '20.00' : '23.33', SALE_AT)],
    displayFinancialStatus: 'PARTIALLY_REFUNDED',
    refunds: [
      refund(70, REFUND_AT, {
        refundLineItems: [
          {
            id: 'gid://shopify/RefundLineItem/7',
            lineItem: { id: 'gid://shopify/LineItem/1' },
            quantity: 1,
            restockType: 'NO_RESTOCK',
            restocked: false,
            location: null,
            priceSet: bag('10.00'),
            subtotalSet: bag(subtotal),
            totalTaxSet: bag(lineTax),
          },
        ],
        transactions: [transaction('REFUND', 'shopify_payments', paidBack, REFUND_AT)],
      }),
    ],
  });
}

function refundLines(sale: Order) {
  const result = transform(shopWith([sale]), {
    modes: { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
    useClasses: false,
    startDate: null,
  });
  const document = result.documents.find((d) => d.key === 'refund/70') as
    | Extract<TransactionDocument, { kind: 'salesReceipt' }>
    | undefined;
  return {
    notes: result.notes,
    rows: document?.lines.map((l) => [l.category, formatMoney(l.amount)]) ?? null,
  };
}

describe('refund readings', () => {
  it('prices with tax in them: the subtotal holds the tax, what was returned is the subtotal less its tax', () => {
    const { rows, notes } = refundLines(vatOrder('10.00', '1.67', '10.00'));
    assert.deepEqual(rows, [
      ['returns', '-8.33'],
      ['salesTaxPayable', '-1.67'],
    ]);
    assert.deepEqual(notes, []);
  });

  it('a subtotal before tax on the same order, as its money confirms, is read before tax', () => {
    const { rows, notes } = refundLines(vatOrder('8.33', '1.67', '10.00'));
    assert.deepEqual(rows, [
      ['returns', '-8.33'],
      ['salesTaxPayable', '-1.67'],
    ]);
    assert.deepEqual(notes, []);
  });

  it('tax added on top: the subtotal is before tax, the money is subtotal and tax', () => {
    const { rows } = refundLines(vatOrder('10.00', '0.80', '10.80', false));
    assert.deepEqual(rows, [
      ['returns', '-10.00'],
      ['salesTaxPayable', '-0.80'],
    ]);
  });

  it('money that fits neither reading: nothing of the refund is posted; a note names the order and the numbers', () => {
    const { rows, notes } = refundLines(vatOrder('10.00', '1.67', '9.00'));
    assert.equal(rows, null, 'the refund is not posted');
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.code, 'REFUND_AMOUNTS_MISFIT');
    assert.equal(notes[0]!.key, 'refund/70');
    assert.match(notes[0]!.text, /^Order #1020: the refund of 2025-03-15 paid back 9\.00/);
    assert.match(notes[0]!.text, /10\.00 with 1\.67 tax/);
    assert.match(notes[0]!.text, /neither 10\.00 \(tax included in the prices\) nor 11\.67 \(tax added\)/);
  });

  it('a refund that moved no money is read as the order’s prices say', () => {
    const sale = vatOrder('10.00', '1.67', '0.00');
    sale.refunds[0]!.transactions = [];
    const amounts = readRefund(sale.refunds[0]!, true);
    assert.ok(amounts.fits);
    assert.deepEqual([amounts.taxIncluded, amounts.lines, amounts.tax], [true, [833n], 167n]);
  });

  it('the Shopify simulator writes tax-inclusive refund subtotals for a VAT shop, and every refund fits its reading', () => {
    for (const profile of ['gb', 'au', 'us', 'ca'] as const) {
      const shop = generateShop({ seed: 12, orders: 150, profile });
      const refunds = shop.orders.flatMap((o) => o.refunds.map((r) => ({ o, r })));
      assert.ok(refunds.length > 0, profile);
      for (const { o, r } of refunds) {
        const amounts = readRefund(r, o.taxesIncluded);
        assert.ok(amounts.fits, `${profile} ${o.name} ${r.id}`);
        if (amounts.tax !== 0n) assert.equal(amounts.taxIncluded, o.taxesIncluded, `${profile} ${o.name}`);
      }
      if (profile === 'gb') {
        // A line refunded in full gives back exactly what it cost, tax included, as its subtotal.
        const whole = refunds.flatMap(({ o, r }) =>
          r.refundLineItems
            .filter((l) => {
              const item = o.lineItems.find((i) => i.id === l.lineItem.id)!;
              return (
                l.quantity === item.quantity &&
                item.discountAllocations.length === 0 &&
                l.totalTaxSet.shopMoney.amount !== '0.00'
              );
            })
            .map((l) => ({ l, item: o.lineItems.find((i) => i.id === l.lineItem.id)! })),
        );
        assert.ok(whole.length > 0, 'some taxed line is refunded in full');
        for (const { l, item } of whole) {
          const price = parseMoney(item.originalUnitPriceSet.shopMoney.amount) * BigInt(item.quantity);
          assert.equal(l.subtotalSet.shopMoney.amount, formatMoney(price), item.name);
        }
      }
    }
  });
});
