import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../domain/index.ts';
import { formatMoney } from '../domain/index.ts';
import {
  bag,
  CUSTOMER,
  giftCard,
  mug,
  order,
  refund,
  shippingLine,
  shirt,
  shopWith,
  tax,
  transaction,
} from './fixtures.test-support.ts';
import { glEffect } from './gl-effect.ts';
import { DETAILED, find, rows, run, SALE_AT, SUMMARY } from './golden.test-support.ts';

describe('golden: POS split tender with cash change', () => {
  const sale = order(1001, {
    lineItems: [mug('1', 2, { taxLines: [tax('1.60')] }), shirt('2', 1, { taxLines: [tax('2.00')] })],
    transactions: [
      transaction('SALE', 'shopify_payments', '30.00', SALE_AT),
      transaction('SALE', 'cash', '20.00', SALE_AT),
      transaction('CHANGE', 'cash', '1.40', SALE_AT),
    ],
  });
  it('Detailed: one Sales Receipt to the main tender, the other tender as a line to its clearing account', () => {
    const result = run(shopWith([sale]));
    const receipt = find(result, 'order/1001/sale');
    assert.equal(receipt.kind, 'salesReceipt');
    assert.equal(receipt.date, '2025-03-10');
    assert.ok(receipt.kind === 'salesReceipt');
    assert.equal(receipt.depositTo, 'shopifyPaymentsClearing');
    assert.equal(receipt.refNumber, '1001');
    assert.equal(receipt.customer, 'customer/location/5');
    assert.deepEqual(rows(receipt), [
      ['item/variant/11', 'productSales', 2, '20.00'],
      ['item/variant/21', 'productSales', 1, '25.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '3.60'],
      ['item/tender/cash', 'cashClearing', null, '-18.60'],
    ]);
    const cogs = find(result, 'summary/5/2025-03-10/cogs');
    // 2 × 4.00 + 1 × 8.333 (rounded to the cent once, on the line).
    assert.deepEqual(
      cogs.kind === 'journalEntry' && cogs.lines.map((l) => [l.category, l.side, formatMoney(l.amount)]),
      [
        ['costOfGoodsSold', 'debit', '16.33'],
        ['inventoryAsset', 'credit', '16.33'],
      ],
    );
  });
  it('Summary: the same lines on the day document, with category items and the location customer', () => {
    const result = run(shopWith([sale]), SUMMARY);
    const receipt = find(result, 'summary/5/2025-03-10/sales');
    assert.deepEqual(rows(receipt), [
      ['item/category/kitchen', 'productSales', 2, '20.00'],
      ['item/category/apparel', 'productSales', 1, '25.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '3.60'],
      ['item/tender/cash', 'cashClearing', null, '-18.60'],
    ]);
    assert.ok(
      result.lists.some(
        (l) => l.kind === 'customer' && l.key === 'customer/location/5' && l.name === 'Shopify Main Street',
      ),
    );
  });
});

describe('golden: cash rounding', () => {
  it('posts the rounding to cash over/short so the receipt equals the cash kept', () => {
    const sale = order(1002, {
      lineItems: [mug('1', 1, { originalUnitPriceSet: bag('9.28'), taxLines: [tax('0.74')] })],
      transactions: [
        transaction('SALE', 'cash', '20.00', SALE_AT, { amountRoundingSet: bag('0.02') }),
        transaction('CHANGE', 'cash', '10.00', SALE_AT),
      ],
    });
    for (const modes of [DETAILED, SUMMARY]) {
      const result = run(shopWith([sale]), modes);
      const receipt = result.documents.find((d) => d.kind === 'salesReceipt')!;
      assert.ok(receipt.kind === 'salesReceipt');
      assert.equal(receipt.depositTo, 'cashClearing');
      assert.deepEqual(rows(receipt).slice(1), [
        ['item/sales-tax', 'salesTaxPayable', null, '0.74'],
        ['item/over-short', 'cashRounding', null, '-0.02'],
      ]);
      assert.equal(glEffect(receipt).get('cashClearing'), 1000n);
    }
  });
});

describe('golden: gift cards and tips', () => {
  it('a gift card sold is a liability; a gift card tender reduces it through the redemptions account; a tip is its own line', () => {
    const sold = order(1003, {
      lineItems: [giftCard('1')],
      transactions: [transaction('SALE', 'shopify_payments', '50.00', SALE_AT)],
    });
    const redeemed = order(1004, {
      lineItems: [mug('2', 1, { taxLines: [tax('0.80')] })],
      totalTipReceivedSet: bag('2.00'),
      transactions: [
        transaction('SALE', 'gift_card', '5.00', SALE_AT),
        transaction('SALE', 'shopify_payments', '7.80', SALE_AT),
      ],
    });
    const result = run(shopWith([sold, redeemed]));
    assert.deepEqual(rows(find(result, 'order/1003/sale')), [['item/gift-card', 'giftCardLiability', 1, '50.00']]);
    const receipt = find(result, 'order/1004/sale');
    assert.deepEqual(rows(receipt), [
      ['item/variant/11', 'productSales', 1, '10.00'],
      ['item/tip', 'tips', null, '2.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '0.80'],
      ['item/tender/gift_card', 'giftCardClearing', null, '-5.00'],
    ]);
    assert.equal(glEffect(receipt).get('giftCardClearing'), 500n);
    // No COGS for a gift card.
    const cogs = find(result, 'summary/5/2025-03-10/cogs');
    assert.ok(cogs.kind === 'journalEntry');
    assert.equal(cogs.lines[0]!.amount, 400n);
  });
});

describe('golden: discounts and tax-inclusive prices', () => {
  it('splits gross, discount and VAT exactly (net = gross − discount, tax as Shopify computed it)', () => {
    const sale = order(1005, {
      taxesIncluded: true,
      lineItems: [
        shirt('1', 2, {
          discountAllocations: [
            {
              allocatedAmountSet: bag('5.00'),
              discountApplication: {
                __typename: 'DiscountCodeApplication',
                allocationMethod: 'ACROSS',
                targetSelection: 'ALL',
                targetType: 'LINE_ITEM',
                title: 'SAVE5',
              },
            },
          ],
          taxLines: [tax('7.50', 'VAT', 20)],
        }),
      ],
      transactions: [transaction('SALE', 'shopify_payments', '45.00', SALE_AT)],
    });
    for (const [modes, item, discountDesc] of [
      [DETAILED, 'item/variant/21', 'Discount: SAVE5'],
      [SUMMARY, 'item/category/apparel', 'Discounts'],
    ] as const) {
      const receipt = run(shopWith([sale]), modes).documents.find((d) => d.kind === 'salesReceipt')!;
      // VAT 7.50 on 45.00 splits 8.33 to the 50.00 gross and 0.83 to the 5.00 discount: 41.67 − 4.17 = 37.50.
      assert.deepEqual(rows(receipt), [
        [item, 'productSales', 2, '41.67'],
        ['item/discount', 'discounts', null, '-4.17'],
        ['item/sales-tax', 'salesTaxPayable', null, '7.50'],
      ]);
      assert.ok(receipt.kind === 'salesReceipt');
      assert.equal(receipt.lines[1]!.description, discountDesc);
    }
  });
});

describe('golden: document type by order state', () => {
  const online = (id: number, overrides: Partial<Order>) =>
    order(id, {
      sourceName: 'web',
      retailLocation: null,
      customer: { id: CUSTOMER.id },
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] })],
      shippingLines: [shippingLine('5.00', '0.40')],
      ...overrides,
    });
  const partiallyPaidFulfilled = online(1006, {
    displayFinancialStatus: 'PARTIALLY_PAID',
    transactions: [transaction('SALE', 'Bank Deposit', '6.00', SALE_AT)],
  });
  const unpaidFulfilled = online(1007, { displayFinancialStatus: 'PENDING' });
  const unpaidOpen = online(1008, { displayFinancialStatus: 'PENDING', displayFulfillmentStatus: 'UNFULFILLED' });
  const partlyPaidOpen = online(1009, {
    displayFinancialStatus: 'PARTIALLY_PAID',
    displayFulfillmentStatus: 'UNFULFILLED',
    transactions: [transaction('SALE', 'shopify_payments', '4.00', SALE_AT)],
  });
  const sources = shopWith([partiallyPaidFulfilled, unpaidFulfilled, unpaidOpen, partlyPaidOpen]);

  it('Detailed: Invoice + Receive Payment, Invoice, Sales Order, Sales Order + deposit', () => {
    const result = run(sources);
    const invoice = find(result, 'order/1006/sale');
    assert.equal(invoice.kind, 'invoice');
    assert.ok(invoice.kind === 'invoice');
    assert.equal(invoice.customer, 'customer/7');
    assert.deepEqual(rows(invoice), [
      ['item/variant/11', 'productSales', 1, '10.00'],
      ['item/shipping', 'shippingIncome', null, '5.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '1.20'],
    ]);
    const payment = find(result, 'order/1006/payment/bank_deposit/2025-03-10');
    assert.ok(payment.kind === 'receivePayment');
    assert.deepEqual([payment.amount, payment.depositTo, payment.apply], [600n, 'otherPaymentsClearing', 'auto']);
    assert.equal(find(result, 'order/1007/sale').kind, 'invoice');
    assert.equal(find(result, 'order/1008/sales-order').kind, 'salesOrder');
    assert.equal(find(result, 'order/1009/sales-order').kind, 'salesOrder');
    const deposit = find(result, 'order/1009/deposit/shopify_payments/2025-03-10');
    assert.ok(deposit.kind === 'receivePayment');
    assert.deepEqual([deposit.amount, deposit.apply], [400n, 'none']);
    assert.ok(!result.documents.some((d) => d.key === 'order/1008/sale'));
  });

  it('Summary: one invoice, one sales order, payments and deposits per gateway for the day', () => {
    const result = run(sources, SUMMARY);
    const invoice = find(result, 'summary/online/2025-03-10/invoices');
    assert.deepEqual(rows(invoice), [
      ['item/category/kitchen', 'productSales', 2, '20.00'],
      ['item/shipping', 'shippingIncome', null, '10.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '2.40'],
    ]);
    assert.equal(find(result, 'summary/online/2025-03-10/sales-orders').kind, 'salesOrder');
    const payments = find(result, 'summary/online/2025-03-10/payments/bank_deposit');
    assert.ok(payments.kind === 'receivePayment');
    assert.equal(payments.customer, 'customer/location/online');
    const deposits = find(result, 'summary/online/2025-03-10/deposits/shopify_payments');
    assert.ok(deposits.kind === 'receivePayment' && deposits.apply === 'none');
  });
});

describe('golden: refunds, cancellations and exchanges', () => {
  it('a refund is a negative Sales Receipt on the refund date: goods to returns, tax back, cost back to stock', () => {
    const sale = order(1010, {
      lineItems: [mug('1', 2, { taxLines: [tax('1.60')] })],
      transactions: [transaction('SALE', 'cash', '21.60', SALE_AT)],
      displayFinancialStatus: 'PARTIALLY_REFUNDED',
      refunds: [
        refund(50, '2025-03-15T20:00:00Z', {
          refundLineItems: [
            {
              id: 'gid://shopify/RefundLineItem/1',
              lineItem: { id: 'gid://shopify/LineItem/1' },
              quantity: 1,
              restockType: 'RETURN',
              restocked: true,
              location: null,
              priceSet: bag('10.00'),
              subtotalSet: bag('10.00'),
              totalTaxSet: bag('0.80'),
            },
          ],
          transactions: [transaction('REFUND', 'cash', '10.80', '2025-03-15T20:00:00Z')],
        }),
      ],
    });
    for (const [modes, key, item] of [
      [DETAILED, 'refund/50', 'item/variant/11'],
      [SUMMARY, 'summary/5/2025-03-15/refunds', 'item/category/kitchen'],
    ] as const) {
      const result = run(shopWith([sale]), modes);
      const receipt = find(result, key);
      assert.ok(receipt.kind === 'salesReceipt');
      assert.equal(receipt.date, '2025-03-15');
      assert.equal(receipt.depositTo, 'cashClearing');
      assert.deepEqual(rows(receipt), [
        [item, 'returns', -1, '-10.00'],
        ['item/sales-tax', 'salesTaxPayable', null, '-0.80'],
      ]);
      const cogs = find(result, 'summary/5/2025-03-15/cogs');
      assert.ok(cogs.kind === 'journalEntry');
      assert.deepEqual(
        cogs.lines.map((l) => [l.category, l.side, l.amount]),
        [
          ['inventoryAsset', 'debit', 400n],
          ['costOfGoodsSold', 'credit', 400n],
        ],
      );
    }
  });

  it('an order cancelled with nothing refunded is reversed by a credit memo on the cancel date', () => {
    const cancelled = order(1011, {
      sourceName: 'web',
      retailLocation: null,
      displayFinancialStatus: 'VOIDED',
      displayFulfillmentStatus: 'UNFULFILLED',
      cancelledAt: '2025-03-12T16:00:00Z',
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] })],
    });
    const result = run(shopWith([cancelled]));
    assert.equal(find(result, 'order/1011/sale').kind, 'invoice');
    const memo = find(result, 'order/1011/cancel');
    assert.ok(memo.kind === 'creditMemo');
    assert.equal(memo.date, '2025-03-12');
    assert.deepEqual(rows(memo), [
      ['item/sales-tax', 'salesTaxPayable', null, '0.80'],
      ['item/variant/11', 'returns', 1, '10.00'],
    ]);
    assert.equal(glEffect(memo).get('accountsReceivable'), -1080n);
  });

  it('a POS exchange sells the new item on the exchange date in the refund document; only the difference moves', () => {
    const at = '2025-03-12T15:00:00Z';
    const exchanged = order(1012, {
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] }), shirt('2', 1, { taxLines: [tax('2.00')] })],
      transactions: [
        transaction('SALE', 'shopify_payments', '10.80', SALE_AT),
        transaction('SALE', 'exchange-credit', '10.80', at),
        transaction('SALE', 'shopify_payments', '16.20', at),
      ],
      returns: [
        {
          id: 'gid://shopify/Return/9',
          name: '#1012-R1',
          status: 'CLOSED',
          createdAt: at,
          exchangeLineItems: [
            { id: 'gid://shopify/ExchangeLineItem/1', quantity: 1, lineItems: [{ id: 'gid://shopify/LineItem/2' }] },
          ],
        },
      ],
      refunds: [
        refund(51, at, {
          return: { id: 'gid://shopify/Return/9' },
          refundLineItems: [
            {
              id: 'gid://shopify/RefundLineItem/2',
              lineItem: { id: 'gid://shopify/LineItem/1' },
              quantity: 1,
              restockType: 'RETURN',
              restocked: true,
              location: null,
              priceSet: bag('10.00'),
              subtotalSet: bag('10.00'),
              totalTaxSet: bag('0.80'),
            },
          ],
          transactions: [transaction('REFUND', 'exchange-credit', '10.80', at)],
        }),
      ],
    });
    const result = run(shopWith([exchanged]));
    assert.deepEqual(rows(find(result, 'order/1012/sale')), [
      ['item/variant/11', 'productSales', 1, '10.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '0.80'],
    ]);
    const exchange = find(result, 'refund/51');
    assert.ok(exchange.kind === 'salesReceipt');
    assert.equal(exchange.date, '2025-03-12');
    assert.equal(exchange.depositTo, 'shopifyPaymentsClearing');
    assert.deepEqual(rows(exchange), [
      ['item/variant/11', 'returns', -1, '-10.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '-0.80'],
      ['item/variant/21', 'productSales', 1, '25.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '2.00'],
    ]);
    assert.equal(glEffect(exchange).get('shopifyPaymentsClearing'), 1620n);
  });
});
