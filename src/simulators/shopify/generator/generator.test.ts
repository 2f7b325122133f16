import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Order, ShopDataFile } from '../../../domain/index.ts';
import type { ShopProfileKey } from './index.ts';
import {
  checkOrderInvariants,
  checkShopInvariants,
  generateOrders,
  generateShop,
  serializeShop,
  writeShopFile,
} from './index.ts';

const PROFILES: ShopProfileKey[] = ['us', 'gb', 'ca', 'au'];
const shops = new Map<ShopProfileKey, ShopDataFile>(
  PROFILES.map((p) => [p, generateShop({ seed: 'coverage', orders: 1500, profile: p })]),
);

async function streamed(options: Parameters<typeof writeShopFile>[0]): Promise<string> {
  const chunks: string[] = [];
  await writeShopFile(options, (chunk) => {
    chunks.push(chunk);
  });
  return chunks.join('');
}

describe('shop generator', () => {
  test('the same seed gives byte-identical files; another seed gives another shop', async () => {
    const a = serializeShop(generateShop({ seed: 42, orders: 200 }));
    const b = serializeShop(generateShop({ seed: 42, orders: 200 }));
    assert.equal(a, b);
    assert.notEqual(a, serializeShop(generateShop({ seed: 43, orders: 200 })));
    assert.equal(await streamed({ seed: 42, orders: 200 }), a);
  });

  test('the streaming writer produces the same bytes as the in-memory generator, for every profile', async () => {
    for (const profile of PROFILES) {
      const text = await streamed({ seed: 'stream', orders: 120, profile });
      assert.equal(text, serializeShop(generateShop({ seed: 'stream', orders: 120, profile })), profile);
      const parsed = JSON.parse(text) as ShopDataFile;
      assert.equal(parsed.format, 'qbd-connector/shop-data@1');
      assert.equal(parsed.orders.length, 120);
    }
  });

  test('generateOrders yields the same orders as generateShop, one at a time', () => {
    const whole = generateShop({ seed: 9, orders: 50, profile: 'gb' }).orders;
    const streamedOrders = [...generateOrders({ seed: 9, orders: 50, profile: 'gb' })];
    assert.deepEqual(streamedOrders, whole);
  });

  test('every documented invariant holds in every profile', () => {
    for (const [profile, shop] of shops) assert.deepEqual(checkShopInvariants(shop), [], profile);
  });

  test('the invariant checker catches a wrong total, a lost change transaction and an early refund', () => {
    const shop = shops.get('us')!;
    const copy = structuredClone(shop.orders);
    const paid = copy.find((o) => o.displayFinancialStatus === 'PAID' && o.refunds.length === 0)!;
    paid.totalPriceSet.shopMoney.amount = '1.00';
    assert.ok(checkOrderInvariants(paid).some((p) => p.includes('total')));
    const withChange = copy.find((o) => o.transactions.some((t) => t.kind === 'CHANGE'))!;
    withChange.transactions = withChange.transactions.filter((t) => t.kind !== 'CHANGE');
    assert.ok(checkOrderInvariants(withChange).some((p) => p.includes('totalReceived')));
    const refunded = copy.find((o) => o.refunds.length > 0)!;
    refunded.refunds[0]!.createdAt = '2000-01-01T00:00:00Z';
    assert.ok(checkOrderInvariants(refunded).some((p) => p.includes('not after the order')));
  });

  test('a generated shop covers the cases the books must handle', () => {
    const us = shops.get('us')!;
    const all = [...shops.values()].flatMap((s) => s.orders);
    const some = (orders: Order[], what: string, predicate: (o: Order) => boolean) =>
      assert.ok(orders.some(predicate), `no order with ${what}`);
    const o = us.orders;
    some(o, 'a POS sale', (x) => x.sourceName === 'pos' && x.retailLocation !== null);
    some(o, 'an online sale', (x) => x.sourceName === 'web' && x.retailLocation === null && x.shippingLines.length > 0);
    some(o, 'a walk-in sale', (x) => x.sourceName === 'pos' && x.customer === null);
    some(o, 'a line discount', (x) =>
      x.lineItems.some((l) => l.discountAllocations.some((d) => d.discountApplication.targetSelection === 'EXPLICIT')),
    );
    some(o, 'an order discount', (x) =>
      x.lineItems.some((l) =>
        l.discountAllocations.some((d) => d.discountApplication.__typename === 'DiscountCodeApplication'),
      ),
    );
    some(o, 'a shipping discount', (x) => x.shippingLines.some((s) => s.discountAllocations.length > 0));
    some(o, 'shipping tax', (x) => x.shippingLines.some((s) => s.taxLines.length > 0));
    some(o, 'three tax lines (NY)', (x) => x.taxLines.length === 3);
    some(o, 'a tax-exempt customer', (x) => x.taxLines.length === 0 && x.lineItems.some((l) => l.taxable));
    some(o, 'a tip', (x) => x.totalTipReceivedSet.shopMoney.amount !== '0.00');
    some(o, 'a gift card sale', (x) => x.lineItems.some((l) => l.isGiftCard));
    some(o, 'a gift card redemption', (x) =>
      x.transactions.some((t) => t.gateway === 'gift_card' && t.kind === 'SALE'),
    );
    some(
      o,
      'split tenders',
      (x) => new Set(x.transactions.filter((t) => t.kind === 'SALE').map((t) => t.gateway)).size > 1,
    );
    some(o, 'cash with change', (x) => x.transactions.some((t) => t.kind === 'CHANGE'));
    some(o, 'authorize and capture', (x) =>
      x.transactions.some((t) => t.kind === 'CAPTURE' && t.parentTransaction !== null),
    );
    some(o, 'a voided authorisation', (x) => x.transactions.some((t) => t.kind === 'VOID'));
    some(o, 'a partial refund without restock', (x) =>
      x.refunds.some((r) => r.refundLineItems.some((l) => l.restockType === 'NO_RESTOCK')),
    );
    some(o, 'a refund with restock', (x) => x.refunds.some((r) => r.refundLineItems.some((l) => l.restocked)));
    some(o, 'refunded shipping', (x) => x.refunds.some((r) => r.refundShippingLines.length > 0));
    some(o, 'an order adjustment', (x) => x.refunds.some((r) => r.orderAdjustments.length > 0));
    some(o, 'two refunds', (x) => x.refunds.length > 1);
    some(
      o,
      'a POS exchange',
      (x) =>
        x.returns.some((r) => r.exchangeLineItems.length > 0) &&
        x.transactions.some((t) => t.gateway === 'exchange-credit'),
    );
    some(o, 'a cancellation', (x) => x.cancelledAt !== null);
    some(o, 'an unfulfilled order', (x) => x.displayFulfillmentStatus === 'UNFULFILLED');
    some(
      o,
      'an unpaid fulfilled order',
      (x) => x.displayFinancialStatus === 'PENDING' && x.displayFulfillmentStatus === 'FULFILLED',
    );
    some(
      o,
      'a partly paid unfulfilled order',
      (x) => x.displayFinancialStatus === 'PARTIALLY_PAID' && x.displayFulfillmentStatus !== 'FULFILLED',
    );
    for (const status of [
      'PAID',
      'PARTIALLY_PAID',
      'PENDING',
      'AUTHORIZED',
      'VOIDED',
      'REFUNDED',
      'PARTIALLY_REFUNDED',
    ] as const) {
      some(o, `status ${status}`, (x) => x.displayFinancialStatus === status);
    }
    some(o, 'a test order', (x) => x.test);
    some(o, 'a backdated order', (x) => x.processedAt < x.createdAt);
    some(
      shops.get('gb')!.orders,
      'tax-inclusive pricing',
      (x) => x.taxesIncluded && x.totalTaxSet!.shopMoney.amount !== '0.00',
    );
    for (const profile of ['ca', 'au'] as const) {
      const rounded = shops.get(profile)!.orders;
      some(
        rounded,
        `cash rounding (${profile})`,
        (x) => x.totalCashRoundingAdjustment.paymentSet.shopMoney.amount !== '0.00',
      );
      some(
        rounded,
        `refund rounding (${profile})`,
        (x) => x.totalCashRoundingAdjustment.refundSet.shopMoney.amount !== '0.00',
      );
    }
    assert.ok(all.length === 6000);
    const payments = us.shopifyPaymentsAccount!;
    assert.ok(payments.payouts.length > 10);
    assert.ok(payments.payouts.some((p) => p.status === 'PAID') && payments.payouts.some((p) => p.status !== 'PAID'));
    assert.ok(payments.balanceTransactions.some((b) => b.type === 'REFUND'));
    assert.ok(us.inventoryPurchaseOrders.some((p) => p.status === 'DRAFT'));
    const statuses = new Set(us.inventoryTransfers.map((t) => t.status));
    assert.deepEqual([...statuses].sort(), ['IN_PROGRESS', 'READY_TO_SHIP', 'TRANSFERRED']);
    assert.ok(us.inventoryTransfers.some((t) => t.receivedQuantity > 0 && t.receivedQuantity < t.totalQuantity));
    const stocky = us.stocky!;
    assert.ok(stocky.suppliers.length > 0 && stocky.purchaseOrders.length > 0 && stocky.stockAdjustments.length > 0);
    assert.ok(stocky.purchaseOrders.some((p) => p.purchase_items.some((i) => i.status === 'not delivered')));
    assert.ok(stocky.purchaseOrders.every((p) => p.created_at < '2026-08-31'));
    assert.ok(us.locations.filter((l) => l.isActive && !l.fulfillsOnlineOrders).length >= 3);
    assert.ok(us.products.some((p) => p.isGiftCard) && us.products.some((p) => p.variants.length > 1));
  });

  test('property: invariants hold for any seed, size and profile', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom(...PROFILES),
        fc.integer({ min: 1, max: 500 }),
        (seed, orders, profile, ordersPerDay) => {
          const shop = generateShop({ seed, orders, profile, ordersPerDay });
          assert.deepEqual(checkShopInvariants(shop), []);
          assert.equal(shop.orders.length, orders);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('rejects impossible options with a clear message', () => {
    assert.throws(() => generateShop({ seed: 1, orders: -1 }), /orders must be/);
    assert.throws(() => generateShop({ seed: 1, orders: 1, profile: 'xx' as ShopProfileKey }), /Unknown shop profile/);
  });
});
