/**
 * Orders that reach the connector late, through real HTTP with every simulator; QuickBooks' reports are the judge.
 * - After its day was synced: QuickBooks' day stays as it was posted, and the late order goes out as a difference
 *   dated the day it was seen. The reconciliation counts that correction on the day it corrects — no difference on
 *   either day, over a period that reaches the posting or one that ends before it — and says where it was posted.
 * - After the last sync read the orders (a pull the sync did not get to use): not yet synced, so pending and named,
 *   not a difference; a damaged one is checked as the sync will and named as held back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../cli/cli.test-support.ts';
import { addDays, localDate, type Order } from '../domain/index.ts';
import { type Harness, startHarness } from '../e2e/harness.test-support.ts';
import { createExtractor } from '../extract/index.ts';
import { listEntries } from '../outbox/index.ts';
import { createAdminGraphqlClient } from '../shopify/index.ts';
import { reconciled } from './reconcile.test-support.ts';

/** A copy of `order` as a new order of the same day: every id of the order and its parts is a new one. */
function lateCopy(order: Order, updatedAt: string, prefix = '9', suffix = 'L'): Order {
  const text = JSON.stringify(order).replace(
    /gid:\/\/shopify\/(Order|LineItem|OrderTransaction|ShippingLine|Fulfillment|TaxLine|DiscountAllocation)\/(\d+)/g,
    (_, kind: string, id: string) => `gid://shopify/${kind}/${prefix}${id}`,
  );
  return { ...(JSON.parse(text) as Order), name: `${order.name}-${suffix}`, updatedAt };
}

/** `qbd-connector reconcile` as the merchant runs it (QuickBooks has answered already). */
function printed(h: Harness, period: { from: string; to: string }) {
  return cli(['reconcile', '--shop', h.shop.domain, '--from', period.from, '--to', period.to], h.env, { cwd: h.dir });
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

  // The table says where the money was posted.
  const table = await printed(h, { from: period.from, to: today });
  assert.equal(table.code, 0, table.stdout + table.stderr);
  assert.match(table.stdout, /correction\(s\) posted in QuickBooks on a later day are counted on the day they correct/);
  assert.ok(table.stdout.includes(`posted on ${today} corrects ${day}`), table.stdout);

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

test('orders pulled after the last sync read the orders are pending, not a difference; a damaged one is held back', async (t) => {
  const h = await startHarness(t, { orders: 24, seed: 'late-orders' });
  const period = h.period();
  const zone = h.shop.timeZone;
  h.clock.now = new Date(`${addDays(period.to, 3)}T17:00:00Z`);
  await h.setupThroughOptions({ mode: 'summary' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering');
  await h.deliverAll();

  // Two orders of the shop's days reach the connector through a pull no sync has used yet (a sync that stopped
  // right after its pull leaves the same): one sound, one whose total is not the sum of its parts.
  const sale = h.data.orders.find((o) => o.sourceName === 'pos' && o.refunds.length === 0 && !o.test)!;
  const sound = lateCopy(sale, h.clock.now.toISOString());
  const damaged = lateCopy(sale, h.clock.now.toISOString(), '8', 'D');
  damaged.totalPriceSet = {
    shopMoney: { ...damaged.totalPriceSet.shopMoney, amount: '999.00' },
    presentmentMoney: { ...damaged.totalPriceSet.presentmentMoney, amount: '999.00' },
  };
  await h.shopify.addOrder(sound);
  await h.shopify.addOrder(damaged);
  const client = createAdminGraphqlClient({
    shopDomain: h.shopify.shopDomain,
    accessToken: h.shopify.accessToken,
    endpoint: h.shopify.url,
  });
  const extractor = createExtractor({ storage: h.app.storage, client, clock: () => h.clock.now });
  const pulled = await extractor.pull({ shopId: h.shop.id, mode: 'incremental' });
  assert.ok(pulled.ok, JSON.stringify(!pulled.ok && pulled.error));

  const report = await reconciled(h, period);
  assert.deepEqual(report.differences, [], 'orders not synced yet are no difference');
  assert.deepEqual(
    report.days.filter((d) => d.differences.length > 0).map((d) => d.date),
    [],
  );
  const day = localDate(sale.processedAt, zone);
  assert.deepEqual(report.notYetSynced, [
    {
      order: sound.name,
      date: day,
      total: sound.totalPriceSet.shopMoney.amount,
      currency: sound.totalPriceSet.shopMoney.currencyCode,
    },
  ]);
  assert.deepEqual(
    report.heldBack.map((held) => [held.order, held.code, held.total]),
    [[damaged.name, 'ORDER_TOTAL_MISMATCH', '999.00']],
  );

  const table = await printed(h, period);
  assert.equal(table.code, 0, table.stdout + table.stderr);
  assert.match(table.stdout, /1 order\(s\) reached the connector after the last sync and are in neither column/);
  assert.ok(table.stdout.includes(`  ${sound.name} (${day})`), table.stdout);

  // The next sync posts the sound one (a correction of its day) and holds the damaged one back: still no difference.
  const next = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(next.ok && next.value.state === 'delivering');
  await h.deliverAll();
  const after = await reconciled(h, period);
  assert.deepEqual(after.differences, []);
  assert.deepEqual(after.notYetSynced, []);
  assert.deepEqual(
    after.heldBack.map((held) => held.order),
    [damaged.name],
  );
});
