/**
 * Damaged source data through the whole sync: each file in damaged-orders/ is one order as Shopify could serve it
 * damaged (with what is wrong in `about`) and the attention item it must raise, word for word. The orders are added
 * to a generated shop; one sync runs (extract → transform → plan → Web Connector → QuickBooks). Each damaged order
 * is held back and listed with its exact message, nothing of it reaches QuickBooks, every other order is posted,
 * and Shopify still reconciles with QuickBooks with no difference. A cross-border order (cross-border-order.json)
 * goes along: its duties and additional fee come through the extract and post to their own categories.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttentionItem } from '../attention/index.ts';
import type { Order } from '../domain/index.ts';
import { numericId } from '../transform/index.ts';
import { assertNoDuplicates, assertReconciles, qbRequest, startHarness } from './harness.test-support.ts';

interface DamagedOrder {
  file: string;
  about: string;
  order: Order;
  attention: { code: string; reason: string };
}

const FOLDER = join(import.meta.dirname, 'damaged-orders');

function fixtures(): DamagedOrder[] {
  return readdirSync(FOLDER)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as Omit<DamagedOrder, 'file'>) }));
}

test('each damaged order is held back with its exact attention message, and every other order is posted', async (t) => {
  const damaged = fixtures();
  assert.equal(damaged.length, 7, 'one file per damaged order');
  const crossBorder = (
    JSON.parse(readFileSync(join(import.meta.dirname, 'cross-border-order.json'), 'utf8')) as { order: Order }
  ).order;
  const h = await startHarness(t, { orders: 10, seed: 'damaged' });
  const generated = [...h.data.orders.filter((o) => !o.test).map((o) => o.name), crossBorder.name];
  for (const { order } of damaged) await h.shopify.addOrder(order);
  await h.shopify.addOrder(crossBorder);
  await h.setupThroughOptions({ mode: 'detailed' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok && run.value.state === 'delivering', JSON.stringify(run.ok ? run.value : run.error));
  await h.deliverAll();
  const progress = await h.app.sync.progress(run.value.id);
  assert.equal(progress?.run.state, 'completed', JSON.stringify(progress?.outbox));

  const response = await h.api(`/api/shops/${h.shop.domain}/attention`);
  const attention = (await response.json()) as AttentionItem[];
  const heldBack = attention.filter((item) => item.state === 'held-back');
  for (const { file, order, attention: expected } of damaged) {
    const item = heldBack.find((i) => i.key === `order/${numericId(order.id)}`);
    assert.ok(item, `${file}: ${order.name} is on the attention list`);
    assert.equal(item.code, expected.code, file);
    assert.equal(item.reason, expected.reason, file);
    assert.equal(item.retryable, false, file);
    assert.match(item.whatToDo, /^Correct the order in Shopify as the message says/, file);
  }
  assert.equal(heldBack.length, damaged.length, 'nothing else is held back');

  // QuickBooks holds a sale of every generated order and nothing of the damaged ones.
  const memos = h.withCompany((company) =>
    ['SalesReceiptQueryRq', 'InvoiceQueryRq', 'SalesOrderQueryRq'].flatMap((query) => {
      const parsed = qbRequest(company, `<${query} requestID="1"/>`);
      assert.ok(parsed.ok);
      return parsed.value.responses.flatMap((r) => r.rets.map((ret) => String(ret.Memo ?? '')));
    }),
  );
  for (const name of generated)
    assert.ok(
      memos.some((m) => m.endsWith(`order ${name}`)),
      `${name} is posted`,
    );
  for (const { order } of damaged) assert.ok(!memos.some((m) => m.includes(order.name)), `${order.name} is not posted`);
  await assertNoDuplicates(h);
  await assertReconciles(h);
  const period = h.period();
  const report = (await (
    await h.api(`/api/shops/${h.shop.domain}/reconciliation?from=${period.from}&to=${period.to}`)
  ).json()) as { shopify: Record<string, unknown>; quickbooks: Record<string, unknown>; heldBack: unknown[] };
  assert.equal(report.quickbooks.duties, '4.10');
  assert.equal(report.quickbooks.additionalFees, '1.25');
  assert.equal(report.heldBack.length, damaged.length, 'the reconciliation lists every held-back order');
});
