import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createStockyClient, verifyStockyKey } from './client.ts';

const storeName = 'demo.myshopify.com';
const apiKey = 'stocky-key';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/`;
}

/** Stocky's documented behaviour: both headers required, lists ascending by id after since_id, limit ≤ 250. */
function stockyLike(data: Record<string, { id: number }[]>, seen: string[]) {
  return createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.headers['store-name'] !== storeName || req.headers.authorization !== `API KEY=${apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"error":"Unauthorized"}');
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const resource = /\/api\/v2\/(\w+)\.json$/.exec(url.pathname)?.[1];
    const list = resource ? data[resource] : undefined;
    if (!list) {
      res.writeHead(404);
      return res.end();
    }
    const limit = Math.min(250, Number(url.searchParams.get('limit') ?? 50));
    const sinceId = Number(url.searchParams.get('since_id') ?? 0);
    const page = list.filter((item) => item.id > sinceId).slice(0, limit);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ [resource!]: page }));
  });
}

test('lists are read completely by since_id paging, with the Store-Name and API KEY headers', async (t) => {
  const seen: string[] = [];
  const purchaseOrders = Array.from({ length: 7 }, (_, i) => ({
    id: 100 + i * 3,
    number: `PO-${i}`,
    purchase_items: [],
  }));
  const server = stockyLike({ purchase_orders: purchaseOrders, suppliers: [{ id: 1 }], stock_adjustments: [] }, seen);
  const baseUrl = await listen(server);
  t.after(() => server.close());
  const client = createStockyClient({ storeName, apiKey, baseUrl, pageSize: 3 });
  const result = await client.purchaseOrders();
  assert.ok(result.ok);
  assert.deepEqual(
    result.value.map((po) => po.id),
    purchaseOrders.map((po) => po.id),
  );
  assert.deepEqual(seen, [
    '/api/v2/purchase_orders.json?limit=3&since_id=0',
    '/api/v2/purchase_orders.json?limit=3&since_id=106',
    '/api/v2/purchase_orders.json?limit=3&since_id=115',
  ]);
  assert.ok((await verifyStockyKey({ storeName, apiKey, baseUrl })).ok);
  const refused = await verifyStockyKey({ storeName, apiKey: 'wrong', baseUrl });
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'STOCKY_KEY_REFUSED');
  assert.match(refused.error.merchantMessage, /Preferences > API access/);
});

test('when Stocky does not answer, the error says it was shut down on 31 August 2026 and what to do', async (t) => {
  // A port that was free a moment ago: connection refused, as Stocky's address after the shutdown.
  const probe = createServer();
  const deadUrl = await listen(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  const unreachable = await verifyStockyKey({ storeName, apiKey, baseUrl: deadUrl, sleep: async () => {} });
  assert.ok(!unreachable.ok);
  assert.equal(unreachable.error.code, 'STOCKY_SHUT_DOWN');
  assert.equal(unreachable.error.merchantMustAct, true);
  assert.match(unreachable.error.merchantMessage, /31 August 2026/);
  assert.match(unreachable.error.merchantMessage, /Shopify purchase orders/);

  const gone = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>Stocky is no longer available</html>');
  });
  const goneUrl = await listen(gone);
  t.after(() => gone.close());
  const html = await createStockyClient({ storeName, apiKey, baseUrl: goneUrl }).suppliers();
  assert.ok(!html.ok);
  assert.equal(html.error.code, 'STOCKY_SHUT_DOWN');

  let calls = 0;
  const failing = createServer((_req, res) => {
    calls += 1;
    res.writeHead(503);
    res.end();
  });
  const failingUrl = await listen(failing);
  t.after(() => failing.close());
  const down = await createStockyClient({
    storeName,
    apiKey,
    baseUrl: failingUrl,
    maxRetries: 2,
    sleep: async () => {},
  }).suppliers();
  assert.ok(!down.ok);
  assert.equal(down.error.code, 'STOCKY_SHUT_DOWN');
  assert.equal(calls, 3);
});
