import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MoneyBag, Order } from '../domain/index.ts';
import { formatMoney, parseMoney } from '../domain/index.ts';
import { summaryNotes } from '../integration/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { transform } from '../transform/index.ts';
import { heldBackFromNotes } from './held-back.ts';
import { askQuickBooksAll, syncToSimulator } from './quickbooks.test-support.ts';
import { reconcile } from './reconcile.ts';
import { reportJson, reportText } from './report.ts';

const EVERYTHING = { from: '2000-01-01', to: '2099-12-31' };

function plus(bag: MoneyBag, cents: bigint): MoneyBag {
  const amount = formatMoney(parseMoney(bag.shopMoney.amount) + cents);
  return { shopMoney: { ...bag.shopMoney, amount }, presentmentMoney: { ...bag.presentmentMoney, amount } };
}

/** A posted order paid at the sale by one card payment, nothing refunded or cancelled. */
function simpleSale(order: Order): boolean {
  const money = order.transactions.filter((t) => t.status === 'SUCCESS' && t.kind !== 'AUTHORIZATION');
  return (
    order.refunds.length === 0 &&
    order.cancelledAt === null &&
    order.displayFulfillmentStatus === 'FULFILLED' &&
    money.length === 1 &&
    money[0]!.kind === 'SALE' &&
    money[0]!.gateway === 'shopify_payments'
  );
}

test('duties and fees reconcile to the cent through QuickBooks; held-back orders are in neither column and listed', async () => {
  const shop = generateShop({ seed: 11, orders: 60, profile: 'us' });
  const [foreign, overpaid, crossBorder] = shop.orders.filter(simpleSale);
  assert.ok(foreign && overpaid && crossBorder, 'the generated shop has three simple card sales');

  foreign.lineItems[0]!.originalUnitPriceSet = {
    ...foreign.lineItems[0]!.originalUnitPriceSet,
    shopMoney: { ...foreign.lineItems[0]!.originalUnitPriceSet.shopMoney, currencyCode: 'EUR' },
  };
  const card = overpaid.transactions.find((t) => t.kind === 'SALE')!;
  card.amountSet = plus(card.amountSet, 1000n);
  overpaid.totalReceivedSet = plus(overpaid.totalReceivedSet, 1000n);

  const zero = plus(crossBorder.totalPriceSet, -parseMoney(crossBorder.totalPriceSet.shopMoney.amount));
  crossBorder.originalTotalDutiesSet = plus(zero, 410n);
  crossBorder.originalTotalAdditionalFeesSet = plus(zero, 125n);
  crossBorder.additionalFees = [
    { id: 'gid://shopify/AdditionalFee/1', name: 'Import fee', price: plus(zero, 125n), taxLines: [] },
  ];
  crossBorder.totalPriceSet = plus(crossBorder.totalPriceSet, 535n);
  const paid = crossBorder.transactions.find((t) => t.kind === 'SALE')!;
  paid.amountSet = plus(paid.amountSet, 535n);
  crossBorder.totalReceivedSet = plus(crossBorder.totalReceivedSet, 535n);

  const { company, mapping } = syncToSimulator(shop, 'detailed');
  const { reader, trialBalance } = askQuickBooksAll(company, mapping, EVERYTHING);
  assert.equal(trialBalance.debits, trialBalance.credits);
  const report = await reconcile(shop, reader, mapping, EVERYTHING);
  assert.deepEqual(report.differences, []);
  assert.equal(report.shopify.duties, 410n);
  assert.equal(report.shopify.additionalFees, 125n);
  assert.equal(report.quickbooks.duties, 410n);

  assert.deepEqual(
    report.heldBack.map((h) => [h.order, h.code, h.total, h.currency]),
    [
      [foreign.name, 'ORDER_AMOUNT_FOREIGN_CURRENCY', foreign.totalPriceSet.shopMoney.amount, 'USD'],
      [overpaid.name, 'ORDER_UNEXPLAINED_DIFFERENCE', overpaid.totalPriceSet.shopMoney.amount, 'USD'],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
  const text = reportText(report);
  assert.match(text, /QuickBooks matches Shopify to the cent in every category\./);
  assert.match(text, /2 order\(s\) held back for damaged data are in neither column/);
  assert.ok(text.includes(`  ${overpaid.name} (`), text);
  assert.ok(text.includes(`[ORDER_UNEXPLAINED_DIFFERENCE]: Order ${overpaid.name} was not posted:`), text);
  assert.equal(reportJson(report).heldBack.length, 2);

  // What the sync's own transform held back (its notes, as the service reads them from the sync's summary) gives
  // the same report as reading every order again.
  const { notes } = transform(shop, {
    modes: { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
    useClasses: true,
    startDate: null,
  });
  assert.deepEqual(
    await reconcile(shop, reader, mapping, EVERYTHING, { heldBack: heldBackFromNotes(summaryNotes(notes)) }),
    report,
  );
});
