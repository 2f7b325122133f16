import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../domain/index.ts';
import { formatMoney } from '../domain/index.ts';
import type { Modes, TransactionDocument } from './documents.ts';
import {
  bag,
  CUSTOMER,
  giftCard,
  mug,
  mugPurchase,
  order,
  refund,
  shippingLine,
  shirt,
  shopWith,
  tax,
  transaction,
} from './fixtures.test-support.ts';
import { glEffect, imbalance } from './gl-effect.ts';
import { type TransformResult, type TransformSources, transform } from './transform.ts';

const DETAILED: Modes = { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' };
const SUMMARY: Modes = { customers: 'summary', inventory: 'summary', vendors: 'summary' };

function run(sources: TransformSources, modes: Modes = DETAILED): TransformResult {
  const result = transform(sources, { modes, useClasses: true, startDate: null });
  for (const document of result.documents) assert.equal(imbalance(glEffect(document)), 0n, `${document.key} balances`);
  return result;
}

function find(result: TransformResult, key: string): TransactionDocument {
  const document = result.documents.find((d) => d.key === key);
  assert.ok(document, `document ${key} exists; have ${result.documents.map((d) => d.key).join(', ')}`);
  return document;
}

/** [item, category, quantity, amount] per line. */
function rows(document: TransactionDocument): [string, string, number | null, string][] {
  assert.ok('lines' in document);
  return document.lines.map((l) => {
    const line = l as { item?: string; category: string; quantity?: number | null; amount: bigint };
    return [line.item ?? '', line.category, line.quantity ?? null, formatMoney(line.amount)];
  });
}

const SALE_AT = '2025-03-10T15:00:00Z';

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

describe('golden: payouts and purchasing', () => {
  it('a payout empties the Shopify Payments clearing account by the gross; fees go to their expense account', () => {
    const summary = (fee: string) => ({ amount: fee, currencyCode: 'USD' });
    const zero = summary('0.00');
    const result = run(
      shopWith([], {
        shopifyPaymentsAccount: {
          balanceTransactions: [],
          payouts: [
            {
              id: 'gid://shopify/ShopifyPaymentsPayout/77',
              issuedAt: '2025-03-14T12:00:00Z',
              status: 'PAID',
              transactionType: 'DEPOSIT',
              net: summary('95.00'),
              summary: {
                chargesGross: summary('100.00'),
                chargesFee: summary('5.00'),
                refundsFeeGross: zero,
                refundsFee: zero,
                adjustmentsGross: zero,
                adjustmentsFee: zero,
                reservedFundsGross: zero,
                reservedFundsFee: zero,
                retriedPayoutsGross: zero,
                retriedPayoutsFee: zero,
              },
            },
          ],
        },
      }),
    );
    const deposit = find(result, 'payout/77');
    assert.ok(deposit.kind === 'deposit');
    assert.equal(deposit.depositTo, 'payoutBank');
    assert.deepEqual(
      deposit.lines.map((l) => [l.category, l.amount]),
      [
        ['shopifyPaymentsClearing', 10000n],
        ['paymentProcessingFees', -500n],
      ],
    );
    assert.deepEqual(Object.fromEntries(glEffect(deposit)), {
      payoutBank: 9500n,
      shopifyPaymentsClearing: -10000n,
      paymentProcessingFees: 500n,
    });
  });

  it('a purchase order is non-posting; goods received post inventory against accounts payable at the order cost', () => {
    const result = run(shopWith([], mugPurchase(6)));
    const po = find(result, 'purchase-order/3');
    assert.ok(po.kind === 'purchaseOrder');
    // Shopify names a purchase order's supplier by name only (no id in the API): the vendor key follows the name.
    assert.match(po.vendor, /^vendor\/shopify\/[0-9A-Z]{10}$/);
    assert.deepEqual([po.lines[0]!.quantity, po.lines[0]!.amount], [10, 4125n]);
    assert.equal(glEffect(po).size, 0);
    const receipt = find(result, 'receipt/9');
    assert.ok(receipt.kind === 'itemReceipt');
    // 6 of 10 received: the receipt's line is linked to the order's line, which QuickBooks then shows 6 received.
    assert.equal(receipt.purchaseOrder, 'purchase-order/3');
    assert.ok(receipt.kind === 'itemReceipt');
    assert.deepEqual(
      receipt.lines.map((l) => [l.quantity, l.orderLine]),
      [[6, 0]],
    );
    assert.deepEqual(Object.fromEntries(glEffect(receipt)), { inventoryAsset: 2475n, accountsPayable: -2475n });
    assert.ok(result.lists.some((l) => l.kind === 'vendor' && l.name === 'Mugs Ltd'));
  });
});

describe('golden: names QuickBooks accepts', () => {
  it('customers keep their original name where QuickBooks shows it, with no colon and Latin-1 only', () => {
    const result = run(shopWith([]));
    const customer = result.lists.find((l) => l.kind === 'customer' && l.key === 'customer/7');
    assert.ok(customer && customer.kind === 'customer');
    assert.equal(customer.name, 'Zoë Smith- VIP');
    assert.match(customer.notes, /Zoë Smith: VIP/);
    const item = result.lists.find((l) => l.key === 'item/variant/21');
    assert.ok(item && item.kind === 'item');
    assert.equal(item.name, 'TS-RED-M');
    assert.equal(item.description, 'T-Shirt - Red / M (SKU TS-RED-M)');
  });
});

describe('golden: Summary mode for gift cards, cancellations and exchanges', () => {
  it('sums the day: gift card sold and redeemed, tip, on one receipt per location and day', () => {
    const sold = order(1020, {
      lineItems: [giftCard('1')],
      transactions: [transaction('SALE', 'shopify_payments', '50.00', SALE_AT)],
    });
    const redeemed = order(1021, {
      lineItems: [mug('2', 1, { taxLines: [tax('0.80')] })],
      totalTipReceivedSet: bag('2.00'),
      transactions: [
        transaction('SALE', 'gift_card', '5.00', SALE_AT),
        transaction('SALE', 'shopify_payments', '7.80', SALE_AT),
      ],
    });
    const receipt = find(run(shopWith([sold, redeemed]), SUMMARY), 'summary/5/2025-03-10/sales');
    assert.ok(receipt.kind === 'salesReceipt');
    assert.equal(receipt.depositTo, 'shopifyPaymentsClearing');
    assert.deepEqual(rows(receipt), [
      ['item/gift-card', 'giftCardLiability', 1, '50.00'],
      ['item/category/kitchen', 'productSales', 1, '10.00'],
      ['item/tip', 'tips', null, '2.00'],
      ['item/sales-tax', 'salesTaxPayable', null, '0.80'],
      ['item/tender/gift_card', 'giftCardClearing', null, '-5.00'],
    ]);
  });

  it('a cancellation lands in the day’s credits document of the cancel date', () => {
    const cancelled = order(1022, {
      sourceName: 'web',
      retailLocation: null,
      displayFinancialStatus: 'VOIDED',
      displayFulfillmentStatus: 'UNFULFILLED',
      cancelledAt: '2025-03-12T16:00:00Z',
      lineItems: [mug('1', 1, { taxLines: [tax('0.80')] })],
    });
    const result = run(shopWith([cancelled]), SUMMARY);
    const memo = find(result, 'summary/online/2025-03-12/credits');
    assert.ok(memo.kind === 'creditMemo');
    assert.equal(memo.customer, 'customer/location/online');
    assert.deepEqual(rows(memo), [
      ['item/sales-tax', 'salesTaxPayable', null, '0.80'],
      ['item/category/kitchen', 'returns', 1, '10.00'],
    ]);
  });
});

describe('golden: Stocky purchase orders, bills and stock adjustments', () => {
  const stocky = {
    suppliers: [
      {
        id: 3,
        name: 'Mugs Ltd',
        company_name: 'Mugs Limited',
        account_number: null,
        contact_name: null,
        contact_email: null,
        address1: null,
        address2: null,
        city: null,
        province_code: null,
        country_name: null,
        zip: null,
        phone: null,
        created_at: '2024-01-01T00:00:00Z',
        updated_at: '2024-01-01T00:00:00Z',
        is_hidden: false,
      },
    ],
    purchaseOrders: [
      {
        id: 12,
        number: 'SPO-12',
        sequential_id: 12,
        invoice_number: 'INV-900',
        invoice_date: '2025-03-04',
        created_at: '2025-03-01T12:00:00Z',
        updated_at: '2025-03-04T12:00:00Z',
        ordered_at: '2025-03-01T12:00:00Z',
        expected_on: null,
        archived: false,
        paid: false,
        supplier_name: 'Mugs Ltd',
        supplier_id: '3',
        currency: 'USD',
        shopify_receive_location_id: 5,
        shipping: '12.50',
        adjustments: null,
        purchase_items: [
          {
            id: 1,
            sku: 'MUG-1',
            inventory_item_id: 111,
            product_title: 'Café Mug',
            variant_title: null,
            quantity: 20,
            status: 'received',
            cost_price: '4.00',
            retail_price: '10.00',
            received_at: '2025-03-04T12:00:00Z',
            updated_at: '04/03/2025 12:00',
          },
        ],
      },
    ],
    stockAdjustments: [
      {
        id: 4,
        sequential_id: 4,
        adjusted_at: '2025-03-06T12:00:00Z',
        created_at: '2025-03-06T12:00:00Z',
        updated_at: '2025-03-06T12:00:00Z',
        archived: false,
        stock_adjustment_reason: { id: 1, reason: 'Damaged' },
        location: { id: 1, shopify_id: 5 },
        items: [
          {
            id: 1,
            quantity: -3,
            previous_quantity: 20,
            new_quantity: 17,
            variant: { id: 1, shopify_id: 11, title: 'Café Mug', sku: 'MUG-1', barcode: null },
          },
        ],
      },
    ],
  };

  it('Detailed: a Bill (the supplier invoice is known) with the freight, and a write-off at unit cost', () => {
    const result = run(shopWith([], { stocky }));
    const bill = find(result, 'stocky-po/12/received/2025-03-04');
    assert.ok(bill.kind === 'bill');
    assert.deepEqual([bill.vendor, bill.refNumber], ['vendor/stocky/3', 'INV-900']);
    assert.deepEqual(Object.fromEntries(glEffect(bill)), {
      inventoryAsset: 8000n,
      purchaseFreight: 1250n,
      accountsPayable: -9250n,
    });
    const writeOff = find(result, 'stock-adjustment/4');
    assert.deepEqual(Object.fromEntries(glEffect(writeOff)), { inventoryAdjustments: 1200n, inventoryAsset: -1200n });
    assert.ok(
      result.lists.some((l) => l.kind === 'vendor' && l.key === 'vendor/stocky/3' && l.name === 'Mugs Limited'),
    );
  });

  it('Summary: one generic vendor and one bill per location and day, same amounts', () => {
    const result = run(shopWith([], { stocky }), SUMMARY);
    const bill = find(result, 'summary/5/2025-03-04/bills');
    assert.ok(bill.kind === 'bill');
    assert.equal(bill.vendor, 'vendor/summary');
    assert.deepEqual(Object.fromEntries(glEffect(bill)), {
      inventoryAsset: 8000n,
      purchaseFreight: 1250n,
      accountsPayable: -9250n,
    });
    assert.deepEqual(
      result.lists.filter((l) => l.kind === 'vendor').map((l) => l.name),
      ['Shopify Suppliers'],
    );
  });
});

describe('golden: the start date', () => {
  it('posts nothing dated before the integration start, and the refunds after it', () => {
    const sale = order(1030, {
      lineItems: [mug('1', 1)],
      transactions: [transaction('SALE', 'cash', '10.00', SALE_AT)],
      refunds: [
        refund(60, '2025-03-20T15:00:00Z', {
          refundLineItems: [
            {
              id: 'gid://shopify/RefundLineItem/9',
              lineItem: { id: 'gid://shopify/LineItem/1' },
              quantity: 1,
              restockType: 'NO_RESTOCK',
              restocked: false,
              location: null,
              priceSet: bag('10.00'),
              subtotalSet: bag('10.00'),
              totalTaxSet: bag('0.00'),
            },
          ],
          transactions: [transaction('REFUND', 'cash', '10.00', '2025-03-20T15:00:00Z')],
        }),
      ],
    });
    const result = transform(shopWith([sale]), { modes: DETAILED, useClasses: false, startDate: '2025-03-15' });
    assert.deepEqual(
      result.documents.map((d) => d.key),
      ['refund/60'],
    );
    assert.ok(!result.lists.some((l) => l.kind === 'class'));
  });
});
