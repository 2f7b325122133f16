import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bag, mug, order, refund, shippingLine, tax, transaction } from '../fixtures.test-support.ts';
import { checkOrder } from './order-checks.ts';

const AT = '2025-03-10T15:00:00Z';

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

test("the total must be the order's parts: lines − discounts + shipping + taxes + tips + duties + additional fees", () => {
  const parts = {
    name: '#1043',
    lineItems: [mug('1', 2, { taxLines: [tax('1.60')] })],
    shippingLines: [shippingLine('5.00', '0.40')],
    totalTipReceivedSet: bag('3.00'),
    originalTotalDutiesSet: bag('4.10'),
    additionalFees: [{ id: 'gid://shopify/AdditionalFee/1', name: 'Import fee', price: bag('1.25'), taxLines: [] }],
  };
  // 20.00 + 5.00 + 2.00 tax + 3.00 tip + 4.10 duties + 1.25 fees.
  assert.equal(checkOrder(order(1043, { ...parts, totalPriceSet: bag('35.35') }), 'USD'), null);
  const problem = checkOrder(order(1043, { ...parts, totalPriceSet: bag('31.25') }), 'USD');
  assert.equal(problem?.code, 'ORDER_TOTAL_MISMATCH');
  assert.equal(
    problem?.merchantMessage,
    'Order #1043 was not posted: total is 31.25, but its parts add up to 35.35 (lines 20.00 − discounts 0.00 + shipping 5.00 + taxes 2.00 + tips 3.00 + duties 4.10 + additional fees 1.25), -4.10 apart. Correct the order in Shopify so its total matches its lines, or ask Shopify support why it does not. The next sync posts it once it is corrected.',
  );
});

test('tax inside the prices is not added again to the total', () => {
  const sale = order(1044, {
    taxesIncluded: true,
    lineItems: [mug('1', 1, { originalUnitPriceSet: bag('12.00'), taxLines: [tax('2.00')] })],
  });
  assert.equal(sale.totalPriceSet.shopMoney.amount, '12.00');
  assert.equal(checkOrder(sale, 'USD'), null);
});

test('the money received less change must be what the order says it received', () => {
  const transactions = [transaction('SALE', 'cash', '50.00', AT), transaction('CHANGE', 'cash', '30.00', AT)];
  const base = { name: '#1045', lineItems: [mug('1', 2)], transactions };
  assert.equal(checkOrder(order(1045, base), 'USD'), null);
  const problem = checkOrder(order(1045, { ...base, totalReceivedSet: bag('50.00') }), 'USD');
  assert.equal(problem?.code, 'ORDER_RECEIVED_MISMATCH');
  assert.equal(
    problem?.merchantMessage,
    'Order #1045 was not posted: received is 50.00, but its payments took in 50.00 less 30.00 of change = 20.00, 30.00 apart. Check the payments of the order in Shopify (a payment recorded twice, or change not recorded) and correct them. The next sync posts it once it is corrected.',
  );
});

test('a shop currency without decimals allows none; a refunded quantity must be whole and 0 or more', () => {
  const yen = (amount: string) => ({
    shopMoney: { amount, currencyCode: 'JPY' },
    presentmentMoney: { amount, currencyCode: 'JPY' },
  });
  const line = mug('1', 1, { originalUnitPriceSet: yen('1500.0') });
  const base = { name: '#1046', lineItems: [line], totalShippingPriceSet: yen('0'), totalTipReceivedSet: yen('0') };
  const clean = order(1046, { ...base, totalPriceSet: yen('1500'), totalReceivedSet: yen('0') });
  assert.equal(checkOrder(clean, 'JPY'), null);
  const precise = order(1046, {
    ...base,
    lineItems: [{ ...line, originalUnitPriceSet: yen('1500.50') }],
    totalPriceSet: yen('1500.50'),
    totalReceivedSet: yen('0'),
  });
  assert.equal(
    checkOrder(precise, 'JPY')?.merchantMessage,
    'Order #1046 was not posted: total is 1500.50, but JPY amounts have no decimals. Round the amount to a whole number in Shopify. The next sync posts it once it is corrected.',
  );
  const back = order(1047, {
    name: '#1047',
    lineItems: [mug('1', 2)],
    refunds: [
      refund(71, AT, {
        refundLineItems: [
          {
            id: null,
            lineItem: { id: 'gid://shopify/LineItem/1' },
            quantity: -1,
            restockType: 'NO_RESTOCK',
            restocked: false,
            location: null,
            priceSet: bag('10.00'),
            subtotalSet: bag('10.00'),
            totalTaxSet: bag('0.00'),
          },
        ],
      }),
    ],
  });
  assert.equal(checkOrder(back, 'USD')?.code, 'ORDER_QUANTITY_INVALID');
  assert.match(checkOrder(back, 'USD')!.merchantMessage, /refunded quantity is -1/);
});
