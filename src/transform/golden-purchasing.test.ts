import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bag, giftCard, mug, mugPurchase, order, refund, shopWith, tax, transaction } from './fixtures.test-support.ts';
import { glEffect } from './gl-effect.ts';
import { DETAILED, find, rows, run, SALE_AT, SUMMARY } from './golden.test-support.ts';
import { transform } from './transform.ts';

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
