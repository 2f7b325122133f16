import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StockyPurchaseOrder, StockySupplier } from '../../domain/index.ts';
import { generateShop } from '../shopify/index.ts';
import { startStockySimulator } from './index.ts';

const data = generateShop({ seed: 'stocky', orders: 3000 });

describe('Stocky simulator', () => {
  test('serves suppliers, purchase orders (list and one) and stock adjustments behind the key', async () => {
    const sim = await startStockySimulator({ data, apiKey: 'k123' });
    try {
      const headers = { 'Store-Name': sim.storeName, Authorization: 'API KEY=k123' };
      const get = async (path: string) => {
        const response = await fetch(new URL(path, sim.url), { headers });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const suppliers = (await get('suppliers.json')).body.suppliers as StockySupplier[];
      assert.deepEqual(suppliers, data.stocky!.suppliers);
      const all: StockyPurchaseOrder[] = [];
      let sinceId = 0;
      for (;;) {
        const page = (await get(`purchase_orders.json?limit=7&since_id=${sinceId}`)).body
          .purchase_orders as StockyPurchaseOrder[];
        if (page.length === 0) break;
        assert.ok(page.length <= 7);
        all.push(...page);
        sinceId = page[page.length - 1]!.id;
      }
      assert.deepEqual(
        all.map((p) => p.id),
        data.stocky!.purchaseOrders.map((p) => p.id),
      );
      const one = data.stocky!.purchaseOrders[3]!;
      assert.deepEqual((await get(`purchase_orders/${one.id}.json`)).body.purchase_order, one);
      assert.equal((await get('purchase_orders/1.json')).status, 404);
      const pivot = data.stocky!.purchaseOrders[10]!.updated_at;
      const recent = (await get(`purchase_orders.json?limit=250&updated_since=${encodeURIComponent(pivot)}`)).body
        .purchase_orders as StockyPurchaseOrder[];
      assert.equal(
        recent.length,
        data.stocky!.purchaseOrders.filter((p) => Date.parse(p.updated_at) >= Date.parse(pivot)).length,
      );
      assert.equal(
        ((await get('stock_adjustments.json')).body.stock_adjustments as unknown[]).length,
        Math.min(50, data.stocky!.stockAdjustments.length),
      );
      assert.equal((await get('purchase_orders.json?limit=251')).status, 422);
      const wrongKey = await fetch(new URL('suppliers.json', sim.url), {
        headers: { ...headers, Authorization: 'API KEY=nope' },
      });
      assert.equal(wrongKey.status, 401);
      const wrongStore = await fetch(new URL('suppliers.json', sim.url), {
        headers: { ...headers, 'Store-Name': 'other.myshopify.com' },
      });
      assert.equal(wrongStore.status, 401);
    } finally {
      await sim.close();
    }
  });

  test('after the shutdown: connection refused, or the retirement page', async () => {
    const refused = await startStockySimulator({ data, mode: 'shut-down-refused' });
    await assert.rejects(fetch(new URL('suppliers.json', refused.url)), (error: Error) => {
      assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
    const page = await startStockySimulator({ data, mode: 'shut-down-page' });
    try {
      const response = await fetch(new URL('suppliers.json', page.url), {
        headers: { 'Store-Name': page.storeName, Authorization: `API KEY=${page.apiKey}` },
      });
      assert.equal(response.status, 404);
      assert.match(await response.text(), /retired on August 31, 2026/);
    } finally {
      await page.close();
    }
  });
});
