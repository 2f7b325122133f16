import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Order, ShopDataFile } from '../domain/index.ts';
import { type AdminGraphqlClient, createAdminGraphqlClient } from '../shopify/index.ts';
import { generateShop, type ShopifySimulator, startShopifySimulator } from '../simulators/shopify/index.ts';
import { openTestDatabase, testEngines } from '../storage/engines.test-support.ts';
import { createExtractor, type ExtractorOptions } from './extractor.ts';
import {
  latestSourceRecords,
  type SourceKind,
  type StoredSourceRecord,
  sourceRecordVersions,
} from './source-records.ts';

/**
 * Extraction against the Shopify simulator over real HTTP, into a real database: complete, incremental,
 * resumable, throttled, and bulk equal to paged.
 */
const SHOP = 'shop-under-test';

function shopData(): ShopDataFile {
  const data = generateShop({ seed: 'extract-tests', orders: 45 });
  // One order with more line items (and one refund with more refund lines) than the first pages hold, so the
  // nested pages must be followed.
  const big = structuredClone(data.orders.find((o) => o.refunds.length > 0 && o.lineItems.length > 0)!);
  const template = big.lineItems[0]!;
  big.lineItems = Array.from({ length: 60 }, (_, i) => ({
    ...template,
    id: `gid://shopify/LineItem/9${String(i).padStart(5, '0')}`,
  }));
  const refund = big.refunds[0]!;
  refund.refundLineItems = Array.from({ length: 14 }, (_, i) => ({
    ...(refund.refundLineItems[0] ?? {
      lineItem: { id: big.lineItems[i]!.id },
      quantity: 1,
      restockType: 'NO_RESTOCK' as const,
      restocked: false,
      location: null,
      priceSet: template.originalUnitPriceSet,
      subtotalSet: template.originalUnitPriceSet,
      totalTaxSet: template.originalUnitPriceSet,
    }),
    id: `gid://shopify/RefundLineItem/9${String(i).padStart(5, '0')}`,
    lineItem: { id: big.lineItems[i]!.id },
  }));
  const index = data.orders.findIndex((o) => o.id === big.id);
  data.orders[index] = big;
  return data;
}

async function ordersOf(storage: Parameters<typeof latestSourceRecords>[0]): Promise<StoredSourceRecord<Order>[]> {
  return latestSourceRecords<Order>(storage, SHOP, 'order', { limit: 100_000 });
}

describe('extraction against the Shopify simulator', () => {
  let data: ShopDataFile;
  let sim: ShopifySimulator;
  let client: AdminGraphqlClient;
  const fast: Partial<ExtractorOptions> = { bulkPollIntervalMs: 20 };

  before(async () => {
    data = shopData();
    sim = await startShopifySimulator({
      data,
      logger: undefined,
      throttle: { maximumAvailable: 20_000, restoreRate: 10_000 },
    });
    client = createAdminGraphqlClient({ shopDomain: sim.shopDomain, accessToken: sim.accessToken, endpoint: sim.url });
  });
  after(() => sim.close());

  for (const engine of testEngines()) {
    test(`a pull stores every record complete: every order as served, every refund, nested pages followed [${engine}]`, async (t) => {
      const { storage } = await openTestDatabase(t, engine);
      const extractor = createExtractor({ storage, client, ...fast });
      const pulled = await extractor.pull({ shopId: SHOP, mode: 'incremental' });
      assert.ok(pulled.ok, pulled.ok ? '' : pulled.error.message);
      const orders = await ordersOf(storage);
      assert.equal(orders.length, data.orders.length);
      const byId = new Map(orders.map((o) => [o.sourceId, o.payload]));
      for (const order of data.orders) {
        assert.deepEqual(byId.get(order.id), order, `order ${order.name} differs from what Shopify served`);
      }
      const big = orders.find((o) => o.payload.lineItems.length === 60);
      assert.ok(big, 'the order with 60 line items came back with all of them');
      assert.equal(big.payload.refunds[0]!.refundLineItems.length, 14);
      const counts = pulled.value.counts;
      assert.equal(counts.customers?.seen, data.customers.length);
      assert.equal(counts.products?.seen, data.products.length);
      assert.equal(counts.locations?.seen, data.locations.length);
      assert.equal(counts.payouts?.seen, data.shopifyPaymentsAccount?.payouts.length);
      assert.equal(counts.balanceTransactions?.seen, data.shopifyPaymentsAccount?.balanceTransactions.length);
      assert.equal(counts.purchaseOrders?.seen, data.inventoryPurchaseOrders.length + data.inventoryTransfers.length);
      const asServed = async (kind: SourceKind, list: readonly { id: string }[]) => {
        const stored = await latestSourceRecords(storage, SHOP, kind, { limit: 10_000 });
        assert.deepEqual(
          new Map(stored.map((r) => [r.sourceId, r.payload])),
          new Map(list.map((item) => [item.id, item])),
          `${kind} records differ from what Shopify served`,
        );
      };
      await asServed('product', data.products);
      await asServed('customer', data.customers);
      await asServed('location', data.locations);
      await asServed('shop', [data.shop]);
      await asServed('payout', data.shopifyPaymentsAccount?.payouts ?? []);
      await asServed('balanceTransaction', data.shopifyPaymentsAccount?.balanceTransactions ?? []);
      await asServed('inventoryTransfer', data.inventoryTransfers);
      // InventorySupplier has no id in the Admin API (only `name`), so the stored origin carries the name alone.
      await asServed(
        'purchaseOrder',
        data.inventoryPurchaseOrders.map((po) => ({
          ...po,
          origin: po.origin && { supplier: po.origin.supplier && { name: po.origin.supplier.name } },
        })),
      );
    });
  }

  test('incremental: a refunded order is pulled again and stored as a new version; unchanged ones are not', async (t) => {
    const { storage } = await openTestDatabase(t, 'sqlite');
    const extractor = createExtractor({ storage, client, ...fast });
    const first = await extractor.pull({ shopId: SHOP, mode: 'incremental', entities: ['orders'] });
    assert.ok(first.ok);
    const target = data.orders.find((o) => o.refunds.length === 0 && o.lineItems.length > 0)!;
    await sim.editOrder(target.id, (order) => {
      order.cancelledAt = order.updatedAt;
      order.cancelReason = 'CUSTOMER';
    });
    const second = await extractor.pull({ shopId: SHOP, mode: 'incremental', entities: ['orders'] });
    assert.ok(second.ok);
    assert.equal(second.value.counts.orders?.inserted, 1);
    assert.ok((second.value.counts.orders?.seen ?? 0) < data.orders.length, 'the second pull read only recent changes');
    const versions = await sourceRecordVersions<Order>(storage, SHOP, 'order', target.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.payload.cancelReason]),
      [
        [1, null],
        [2, 'CUSTOMER'],
      ],
    );
    assert.equal(versions[1]!.runId, second.value.runId);
  });

  test('resumable: a pull cut off mid-way keeps what it stored and the next one finishes from there', async (t) => {
    const { storage } = await openTestDatabase(t, 'sqlite');
    let requests = 0;
    const failing = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
      maxTransientRetries: 0,
      fetch: async (input, init) => {
        requests += 1;
        if (requests > 3) throw new TypeError('fetch failed: connection reset');
        return fetch(input, init);
      },
    });
    const cut = await createExtractor({ storage, client: failing, ...fast }).pull({
      shopId: SHOP,
      mode: 'incremental',
      entities: ['orders'],
    });
    assert.ok(!cut.ok);
    assert.equal(cut.error.retryable, true);
    const partial = (await ordersOf(storage)).length;
    assert.ok(partial > 0 && partial < data.orders.length, `stored ${partial} orders before the cut`);
    const resumed = await createExtractor({ storage, client, ...fast }).pull({
      shopId: SHOP,
      mode: 'incremental',
      entities: ['orders'],
    });
    assert.ok(resumed.ok);
    assert.equal((await ordersOf(storage)).length, data.orders.length);
    assert.ok((resumed.value.counts.orders?.seen ?? 0) < data.orders.length, 'the resumed pull did not start over');
    const runs = await storage.db.selectFrom('extract_runs').select(['status']).orderBy('id').execute();
    assert.deepEqual(
      runs.map((r) => r.status),
      ['failed', 'succeeded'],
    );
  });

  test('bulk backfill stores exactly what the paged pull stores', async (t) => {
    const paged = await openTestDatabase(t, 'sqlite');
    const bulk = await openTestDatabase(t, 'sqlite');
    const byPages = await createExtractor({ storage: paged.storage, client, ...fast }).pull({
      shopId: SHOP,
      mode: 'incremental',
      entities: ['orders'],
    });
    assert.ok(byPages.ok);
    const byBulk = await createExtractor({ storage: bulk.storage, client, ...fast }).pull({
      shopId: SHOP,
      mode: 'backfill',
      entities: ['orders'],
    });
    assert.ok(byBulk.ok, byBulk.ok ? '' : byBulk.error.message);
    assert.ok(byBulk.value.bulk && byBulk.value.bulk.roots === data.orders.length);
    const a = await ordersOf(paged.storage);
    const b = await ordersOf(bulk.storage);
    assert.deepEqual(
      b.map((r) => [r.sourceId, r.contentHash]),
      a.map((r) => [r.sourceId, r.contentHash]),
    );
    // The watermark is set: the next incremental pull reads only what changed since the bulk operation began.
    const next = await createExtractor({ storage: bulk.storage, client, ...fast }).pull({
      shopId: SHOP,
      mode: 'incremental',
      entities: ['orders'],
    });
    assert.ok(next.ok);
    assert.equal(next.value.counts.orders?.inserted, 0);
  });
});

describe('bulk backfill after a failure', () => {
  test('a download cut off is resumed with the same bulk operation, not a new one', async (t) => {
    const data = generateShop({ seed: 'bulk-resume', orders: 15 });
    const sim = await startShopifySimulator({ data, throttle: { maximumAvailable: 20_000, restoreRate: 10_000 } });
    t.after(() => sim.close());
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
    });
    const { storage } = await openTestDatabase(t, 'sqlite');
    const broken = await createExtractor({
      storage,
      client,
      bulkPollIntervalMs: 20,
      fetch: async () => {
        throw new TypeError('fetch failed: socket hang up');
      },
    }).pull({ shopId: SHOP, mode: 'backfill', entities: ['orders'] });
    assert.ok(!broken.ok);
    assert.equal(broken.error.code, 'SHOPIFY_BULK_DOWNLOAD_FAILED');
    assert.equal(broken.error.retryable, true);
    const resumed = await createExtractor({ storage, client, bulkPollIntervalMs: 20 }).pull({
      shopId: SHOP,
      mode: 'backfill',
      entities: ['orders'],
    });
    assert.ok(resumed.ok, resumed.ok ? '' : resumed.error.message);
    assert.equal(sim.bulkOperations.length, 1, 'the second run reused the finished operation');
    assert.equal((await ordersOf(storage)).length, data.orders.length);
  });
});

describe('payouts, which have no updatedAt', () => {
  test('a payout whose status changes gets a new version; payouts older than the window are not read again', async (t) => {
    const data = generateShop({ seed: 'payouts', orders: 120 });
    const sim = await startShopifySimulator({ data, throttle: { maximumAvailable: 20_000, restoreRate: 10_000 } });
    t.after(() => sim.close());
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
    });
    const { storage } = await openTestDatabase(t, 'sqlite');
    const extractor = createExtractor({
      storage,
      client,
      paymentsWindowMs: 3 * 86_400_000,
      pageSizes: { payments: 2 },
    });
    const first = await extractor.pull({ shopId: SHOP, mode: 'incremental', entities: ['payouts'] });
    assert.ok(first.ok);
    const payouts = data.shopifyPaymentsAccount!.payouts;
    assert.ok(payouts.length >= 3, `the shop has ${payouts.length} payouts`);
    assert.equal(first.value.counts.payouts?.seen, payouts.length);
    const newest = [...payouts].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0]!;
    const before = newest.status;
    newest.status = before === 'PAID' ? 'FAILED' : 'PAID';
    sim.store.version += 1;
    const second = await extractor.pull({ shopId: SHOP, mode: 'incremental', entities: ['payouts'] });
    assert.ok(second.ok);
    assert.equal(second.value.counts.payouts?.inserted, 1);
    assert.ok((second.value.counts.payouts?.seen ?? 0) < payouts.length, 'older payouts were not read again');
    const versions = await sourceRecordVersions<{ status: string }>(storage, SHOP, 'payout', newest.id);
    assert.deepEqual(
      versions.map((v) => v.payload.status),
      [before, newest.status],
    );
  });
});

describe('extraction under a tiny cost bucket', () => {
  test('a throttled pull is slower but fails nothing and misses nothing', async (t) => {
    const data = generateShop({ seed: 'throttle', orders: 12 });
    // A restore rate low enough that the pull must wait however slowly the machine answers (at 2,000 points a
    // second a loaded machine refilled the bucket between requests and nothing was throttled).
    const sim = await startShopifySimulator({ data, throttle: { maximumAvailable: 1000, restoreRate: 200 } });
    t.after(() => sim.close());
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
    });
    const { storage } = await openTestDatabase(t, 'sqlite');
    const pulled = await createExtractor({ storage, client, pageSizes: { orders: 1, customers: 10 } }).pull({
      shopId: SHOP,
      mode: 'incremental',
      entities: ['customers', 'orders'],
    });
    assert.ok(pulled.ok, pulled.ok ? '' : pulled.error.message);
    assert.equal((await ordersOf(storage)).length, data.orders.length);
    const stats = client.stats();
    assert.ok(stats.waitedMs > 0 || stats.throttledRetries > 0, 'the client had to wait for the bucket');
  });
});
