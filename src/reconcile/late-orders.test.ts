/**
 * An order that reaches the connector after its day was synced: QuickBooks' day stays as it was posted, and the
 * late order goes out as a difference dated the day it was seen. The reconciliation counts that correction on the
 * day it corrects — no difference on either day, over a period that reaches the posting or one that ends before
 * it — and says where it was posted. Through real HTTP with every simulator; QuickBooks' reports are the judge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, localDate, type Order } from '../domain/index.ts';
import { type Harness, startHarness } from '../e2e/harness.test-support.ts';
import { listEntries } from '../outbox/index.ts';
import type { ReconciliationAnswer } from './service.ts';

type Ready = Extract<ReconciliationAnswer, { state: 'ready' }>;

/** A copy of `order` as a new order of the same day: every id of the order and its parts is a new one. */
function lateCopy(order: Order, updatedAt: string): Order {
  const text = JSON.stringify(order).replace(
    /gid:\/\/shopify\/(Order|LineItem|OrderTransaction|ShippingLine|Fulfillment|TaxLine|DiscountAllocation)\/(\d+)/g,
    (_, kind: string, id: string) => `gid://shopify/${kind}/9${id}`,
  );
  return { ...(JSON.parse(text) as Order), name: `${order.name}-L`, updatedAt };
}

async function reconciled(h: Harness, period: { from: string; to: string }): Promise<Ready> {
  const path = `/api/shops/${h.shop.domain}/reconciliation?from=${period.from}&to=${period.to}`;
  let response = await h.api(path);
  if (response.status === 202) {
    await response.body?.cancel();
    assert.equal((await h.session()).outcome, 'completed');
    response = await h.api(path);
  }
  const body = (await response.json()) as Ready;
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

test('a late order is counted on the day it corrects, and the report says which day carried it', async (t) => {
  const h = await startHarness(t, { orders: 24, seed: 'late-orders' });
  const period = h.period();
  const zone = h.shop.timeZone;
  // The connector runs three days after the shop's last day, so every day of the data is complete and synced.
  h.clock.now = new Date(`${addDays(period.to, 3)}T17:00:00Z`);
  const today = localDate(h.clock.now, zone);
  const sale = h.data.orders.find(
    (o) =>
      o.sourceName === 'pos' &&
      !o.test &&
      o.refunds.length === 0 &&
      o.cancelledAt === null &&
      o.transactions.every((t) => t.kind === 'SALE' && t.status === 'SUCCESS'),
  );
  assert.ok(sale, 'the generated shop has a simple POS sale');
  const day = localDate(sale.processedAt, zone);

  await h.setupThroughOptions({ mode: 'summary' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering');
  await h.deliverAll();

  // The till sends a sale of that day only now (it was offline): the day is posted, so the sale is a difference.
  await h.shopify.addOrder(lateCopy(sale, h.clock.now.toISOString()));
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  await h.deliverAll();
  const companyFileId = await h.companyFileId();
  const adjustments = (await listEntries(h.app.storage, companyFileId, { states: ['applied'] })).filter(
    (e) => e.key.includes(`/${day}/sales/edit/`) && e.request.type === 'SalesReceiptAdd',
  );
  // One adjustment with the new lines, or (the day's main tender changed) a reversal and the day again in full.
  assert.ok(adjustments.length > 0, 'the late sale went out as an adjustment of its day');
  for (const adjustment of adjustments)
    assert.equal((adjustment.request.body.SalesReceiptAdd as { TxnDate: string }).TxnDate, today);

  // Over a period through today: nothing unexplained, in total and on every day.
  const throughToday = await reconciled(h, { from: period.from, to: today });
  assert.deepEqual(throughToday.differences, []);
  assert.deepEqual(
    throughToday.days.filter((d) => d.differences.length > 0).map((d) => d.date),
    [],
    'no day shows a difference',
  );
  assert.deepEqual(
    throughToday.corrections.map((c) => [c.document, c.corrects, c.postedOn, c.transactionType]),
    adjustments.map((e) => [e.key, day, today, 'SalesReceipt']).sort(),
  );
  // The day it corrects and the day that carried it both name it.
  const named = throughToday.days.filter((d) => d.corrections.length > 0).map((d) => d.date);
  assert.deepEqual(named, [day, today].sort());

  // Over the shop's own period, which ends before the correction was posted: QuickBooks is read up to it.
  const ownPeriod = await reconciled(h, period);
  assert.deepEqual(ownPeriod.differences, []);
  assert.deepEqual(
    ownPeriod.days.filter((d) => d.differences.length > 0).map((d) => d.date),
    [],
  );
  assert.deepEqual(
    ownPeriod.corrections.map((c) => c.postedOn),
    adjustments.map(() => today),
  );
});
