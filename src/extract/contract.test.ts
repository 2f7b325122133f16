import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Order } from '../domain/index.ts';
import { createAdminGraphqlClient } from '../shopify/index.ts';
import { generateShop, startShopifySimulator } from '../simulators/shopify/index.ts';
import { openTestDatabase } from '../storage/engines.test-support.ts';
import { createExtractor } from './extractor.ts';
import { createSourceRecordReader } from './reader.ts';

/**
 * One set of extraction expectations, run against two sources: the Shopify simulator, and answers in the shape the
 * real Admin API gives (fixtures/*.json, built from the values of Shopify's own reference examples — order #1001
 * 450789469 with its "IPod Nano - 8gb" lines, State Tax 6 %, refund 929361464 "wrong size" — laid out as
 * `orders`/`order` answers to our documents, including a second page of line items). If the simulator and the real
 * API ever disagree on what extraction sees, one of these runs fails.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures');
const expected = (JSON.parse(readFileSync(join(FIXTURES, 'expected-orders.json'), 'utf8')) as { orders: Order[] })
  .orders;

interface Source {
  shopDomain: string;
  accessToken: string;
  endpoint: string;
  /** Operations the source was asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

async function simulatorSource(): Promise<Source> {
  const data = generateShop({ seed: 'contract', orders: 0 });
  data.orders = structuredClone(expected);
  const sim = await startShopifySimulator({ data });
  return {
    shopDomain: sim.shopDomain,
    accessToken: sim.accessToken,
    endpoint: sim.url,
    asked: [],
    close: () => sim.close(),
  };
}

/** Replays the recorded answers; anything not recorded is an error, so an unexpected request fails the run. */
async function recordedSource(): Promise<Source> {
  const answers: Record<string, (variables: Record<string, unknown>) => string | null> = {
    OrdersPage: () => readFileSync(join(FIXTURES, 'orders-page.json'), 'utf8'),
    OrderLineItemsPage: (v) =>
      v.id === 'gid://shopify/Order/450789469' && v.after === 'eyJsYXN0X2lkIjo3MDMwNzM1MDR9'
        ? readFileSync(join(FIXTURES, 'order-line-items-page.json'), 'utf8')
        : null,
  };
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '(anonymous)';
      asked.push(operation);
      const answer =
        req.headers['x-shopify-access-token'] === 'shpat_recorded' ? answers[operation]?.(body.variables ?? {}) : null;
      res.writeHead(answer ? 200 : 400, { 'content-type': 'application/json' });
      res.end(answer ?? JSON.stringify({ errors: [{ message: `no recorded answer for ${operation}` }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    shopDomain: 'shop-with-recorded-answers.myshopify.com',
    accessToken: 'shpat_recorded',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

for (const [name, start] of [
  ['simulator', simulatorSource],
  ['recorded Admin API answers', recordedSource],
] as const) {
  describe(`extraction contract [${name}]`, () => {
    test('orders come out as the record shapes, complete (second page of line items followed), refunds included', async (t) => {
      const source = await start();
      t.after(() => source.close());
      const { storage } = await openTestDatabase(t, 'sqlite');
      const client = createAdminGraphqlClient({
        shopDomain: source.shopDomain,
        accessToken: source.accessToken,
        endpoint: source.endpoint,
      });
      const pulled = await createExtractor({ storage, client }).pull({
        shopId: 'contract',
        mode: 'incremental',
        entities: ['orders'],
      });
      assert.ok(pulled.ok, pulled.ok ? '' : pulled.error.message);
      const stored = await createSourceRecordReader(storage).latest('contract', 'order');
      assert.deepEqual(
        stored.map((r) => r.payload),
        [...expected].sort((a, b) => a.id.localeCompare(b.id)),
      );
      const first = stored.find((r) => r.payload.name === '#1001')!;
      assert.equal(first.payload.lineItems.length, 3);
      assert.equal(first.payload.refunds[0]!.refundLineItems[0]!.subtotalSet.shopMoney.amount, '199.00');
      assert.equal(first.sourceUpdatedAt, '2020-01-14T10:34:55-05:00');
      // Stored as the text transform will parse: amounts stay decimal strings.
      assert.equal(typeof first.payload.totalPriceSet.shopMoney.amount, 'string');
      if (name !== 'simulator') assert.deepEqual(source.asked, ['OrdersPage', 'OrderLineItemsPage']);
    });
  });
}

describe('extraction contract: bulk and paged reads of one shop', () => {
  test('a backfill through bulk operations stores the very records the paged reads store, with no order read twice', async (t) => {
    const data = generateShop({ seed: 'contract-bulk', orders: 80 });
    const withRefunds = data.orders.filter((o) => o.refunds.length > 0).length;
    const withReturns = data.orders.filter((o) => o.returns.length > 0).length;
    assert.ok(withRefunds > 0 && withReturns > 0, `${withRefunds} refunded, ${withReturns} returned orders`);
    const sim = await startShopifySimulator({ data, throttle: { maximumAvailable: 20_000, restoreRate: 10_000 } });
    t.after(() => sim.close());
    const asked: string[] = [];
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
      fetch: async (input, init) => {
        const body = JSON.parse(String(init?.body)) as { query: string };
        asked.push(/^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '(anonymous)');
        return fetch(input, init);
      },
    });
    const entities = ['customers', 'products', 'orders', 'payouts', 'balanceTransactions'] as const;
    const paged = await openTestDatabase(t, 'sqlite');
    const byPages = await createExtractor({ storage: paged.storage, client }).pull({
      shopId: 'contract',
      mode: 'incremental',
      entities,
    });
    assert.ok(byPages.ok, byPages.ok ? '' : byPages.error.message);
    asked.length = 0;
    const bulk = await openTestDatabase(t, 'sqlite');
    const byBulk = await createExtractor({ storage: bulk.storage, client, bulkPollIntervalMs: 20 }).pull({
      shopId: 'contract',
      mode: 'backfill',
      entities,
    });
    assert.ok(byBulk.ok, byBulk.ok ? '' : byBulk.error.message);
    assert.deepEqual(Object.keys(byBulk.value.bulkByEntity ?? {}).sort(), [...entities].sort());
    for (const kind of ['customer', 'product', 'order', 'payout', 'balanceTransaction'] as const) {
      const a = await createSourceRecordReader(paged.storage).latest('contract', kind, { limit: 10_000 });
      const b = await createSourceRecordReader(bulk.storage).latest('contract', kind, { limit: 10_000 });
      assert.ok(a.length > 0, `the shop has ${kind} records`);
      assert.deepEqual(
        b.map((r) => [r.sourceId, r.contentHash]),
        a.map((r) => [r.sourceId, r.contentHash]),
        `${kind}: bulk and paged records differ`,
      );
    }
    // Refunds and returns are read by id, many per request; no order is read again through the paged API.
    const orderReads = asked.filter((name) => /^Order|^OrdersPage$/.test(name));
    assert.deepEqual(orderReads, []);
    const detailReads = asked.filter((name) => name === 'RefundsByIds' || name === 'ReturnsByIds').length;
    assert.equal(byBulk.value.bulk?.detailRequests, detailReads);
    assert.ok(detailReads > 0 && detailReads < withRefunds + withReturns, `${detailReads} detail requests`);
    assert.equal(asked.filter((name) => name === 'BulkOperationRunQuery').length, entities.length);
  });
});

describe('extraction contract: a bulk file whose children come late', () => {
  test('a record whose children arrive after the stitcher let it go is read again whole, and stored the same', async (t) => {
    const data = generateShop({ seed: 'contract-late', orders: 5 });
    const sim = await startShopifySimulator({ data, throttle: { maximumAvailable: 20_000, restoreRate: 10_000 } });
    t.after(() => sim.close());
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
    });
    // The first product's variant lines moved to the end of the file: far behind their parent.
    const late: typeof fetch = async (input) => {
      const lines = (await (await fetch(input)).text()).split('\n').filter((l) => l.length > 0);
      const first = (JSON.parse(lines[0]!) as { id: string }).id;
      const children = lines.filter((l) => l.includes(`"__parentId":"${first}"`));
      const rest = lines.filter((l) => !l.includes(`"__parentId":"${first}"`));
      return new Response([...rest, ...children].join('\n') + '\n');
    };
    const paged = await openTestDatabase(t, 'sqlite');
    const byPages = await createExtractor({ storage: paged.storage, client }).pull({
      shopId: 'late',
      mode: 'incremental',
      entities: ['products'],
    });
    assert.ok(byPages.ok);
    const bulk = await openTestDatabase(t, 'sqlite');
    const byBulk = await createExtractor({
      storage: bulk.storage,
      client,
      bulkPollIntervalMs: 20,
      bulkWindow: 1,
      fetch: late,
    }).pull({ shopId: 'late', mode: 'backfill', entities: ['products'] });
    assert.ok(byBulk.ok, byBulk.ok ? '' : byBulk.error.message);
    const report = byBulk.value.bulkByEntity?.products;
    assert.ok(report && report.lateChildren > 0 && report.completedThroughPagedApi === 1, JSON.stringify(report));
    const a = await createSourceRecordReader(paged.storage).latest('late', 'product');
    const b = await createSourceRecordReader(bulk.storage).latest('late', 'product');
    assert.deepEqual(
      b.map((r) => [r.sourceId, r.contentHash]),
      a.map((r) => [r.sourceId, r.contentHash]),
    );
  });
});

describe('extraction contract: Shopify runs fewer bulk operations at a time', () => {
  test('an operation refused for the limit is started when its turn comes; the backfill still reads everything', async (t) => {
    const data = generateShop({ seed: 'contract-limit', orders: 20 });
    const sim = await startShopifySimulator({
      data,
      bulkConcurrency: 1,
      throttle: { maximumAvailable: 20_000, restoreRate: 10_000 },
    });
    t.after(() => sim.close());
    const client = createAdminGraphqlClient({
      shopDomain: sim.shopDomain,
      accessToken: sim.accessToken,
      endpoint: sim.url,
    });
    const { storage } = await openTestDatabase(t, 'sqlite');
    const pulled = await createExtractor({ storage, client, bulkPollIntervalMs: 20 }).pull({
      shopId: 'limit',
      mode: 'backfill',
      entities: ['customers', 'products', 'orders'],
    });
    assert.ok(pulled.ok, pulled.ok ? '' : pulled.error.message);
    assert.equal(sim.bulkOperations.length, 3, 'one operation per entity, one at a time');
    const reader = createSourceRecordReader(storage);
    assert.equal((await reader.latest('limit', 'customer', { limit: 10_000 })).length, data.customers.length);
    assert.equal((await reader.latest('limit', 'product', { limit: 10_000 })).length, data.products.length);
    assert.equal((await reader.latest('limit', 'order', { limit: 10_000 })).length, data.orders.length);
  });
});
