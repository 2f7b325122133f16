/**
 * A refund whose amounts fit no reading of its taxes is not posted: the merchant enters it in QuickBooks by hand and
 * says so, through the JSON API or the CLI. The connector records who and when, stops listing it (status exits 0),
 * never posts it — not even once its data is corrected in Shopify — and the reconciliation, which left it out of
 * both columns while it was held back, expects it in QuickBooks from then on. Real HTTP with every simulator.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../cli/cli.test-support.ts';
import { parseMoney } from '../domain/index.ts';
import { type Harness, startHarness } from '../e2e/harness.test-support.ts';
import { listEntries } from '../outbox/index.ts';
import { reconciled } from '../reconcile/reconcile.test-support.ts';
import { listAudit } from '../storage/index.ts';
import { numericId } from '../transform/index.ts';
import type { AttentionItem } from './attention.ts';
import { overpay } from './misfit-refund.test-support.ts';

function runCli(h: Harness, args: string[]) {
  return cli(args, h.env, { cwd: h.dir });
}

async function attention(h: Harness): Promise<AttentionItem[]> {
  const response = await h.api(`/api/shops/${h.shop.domain}/attention`);
  assert.equal(response.status, 200);
  return (await response.json()) as AttentionItem[];
}

test('a refund no reading fits: entered in QuickBooks by hand, recorded, no longer listed, never posted, expected there', async (t) => {
  const h = await startHarness(t, { orders: 40, seed: 'e2e' });
  const byName = (name: string) => h.data.orders.find((o) => o.name === name)!;
  const first = { order: byName('#1015'), refund: 1 };
  const second = { order: byName('#1040'), refund: 0 };
  for (const { order, refund } of [first, second]) await h.shopify.editOrder(order.id, (o) => overpay(o, refund, 100n));
  const keyOf = ({ order, refund }: typeof first) => `refund/${numericId(order.refunds[refund]!.id)}`;
  const keys = [keyOf(first), keyOf(second)];

  await h.setupThroughOptions({ mode: 'detailed' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok && run.value.state === 'delivering');
  await h.deliverAll();

  // Listed, to be entered by hand; not retryable (the connector cannot post it right).
  const listed = (await attention(h)).filter((i) => i.code === 'REFUND_AMOUNTS_MISFIT');
  assert.deepEqual(listed.map((i) => [i.id, i.key, i.enterableByHand, i.retryable]).sort(), [
    [`held-back:${keys[0]}`, keys[0], true, false],
    [`held-back:${keys[1]}`, keys[1], true, false],
  ]);
  // While it is held back the refund is in neither column: no difference, and it is named.
  const before = await reconciled(h);
  assert.deepEqual(before.differences, []);
  assert.deepEqual(before.heldBack.map((held) => [held.refund, held.code]).sort(), [
    [keys[0], 'REFUND_AMOUNTS_MISFIT'],
    [keys[1], 'REFUND_AMOUNTS_MISFIT'],
  ]);

  const period = h.period();
  const table = await runCli(h, ['reconcile', '--shop', h.shop.domain, '--from', period.from, '--to', period.to]);
  assert.equal(table.code, 0, table.stdout + table.stderr);
  assert.match(table.stdout, /2 refund\(s\) whose amounts fit no reading are in neither column/);
  assert.ok(table.stdout.includes(`  ${keys[0]} of #1015 (`), table.stdout);

  // The merchant entered the first in QuickBooks and says so in the app (the JSON API)…
  const path = (key: string) =>
    `/api/shops/${h.shop.domain}/attention/${encodeURIComponent(`held-back:${key}`)}/entered-in-quickbooks`;
  const saidInApp = await h.api(path(keys[0]!), { method: 'POST', body: { enteredBy: 'Dana', note: 'CM-1015' } });
  const recorded = (await saidInApp.json()) as Record<string, unknown>;
  assert.equal(saidInApp.status, 200, JSON.stringify(recorded));
  assert.equal(recorded.subject, keys[0]);
  assert.equal(recorded.code, 'REFUND_AMOUNTS_MISFIT');
  assert.equal(recorded.enteredBy, 'Dana');
  assert.equal(recorded.actor, 'merchant');
  assert.equal(recorded.enteredAt, h.clock.now.toISOString());
  // …and the second with the CLI.
  const saidInCli = await runCli(h, [
    'status',
    '--shop',
    h.shop.domain,
    'entered-in-quickbooks',
    `held-back:${keys[1]}`,
    '--by',
    'Sam',
  ]);
  assert.equal(saidInCli.code, 0, saidInCli.stderr);
  assert.match(saidInCli.stdout, new RegExp(`Recorded: ${keys[1]} was entered in QuickBooks by hand by Sam`));

  // Neither is listed any more, and status says nothing needs attention; saying it again finds nothing to answer.
  assert.deepEqual(
    (await attention(h)).filter((i) => i.code === 'REFUND_AMOUNTS_MISFIT'),
    [],
  );
  const status = await runCli(h, ['status', '--shop', h.shop.domain]);
  assert.equal(status.code, 0, status.stdout);
  assert.match(status.stdout, /Nothing needs your attention\./);
  assert.ok(status.stdout.includes(`  ${keys[1]} [REFUND_AMOUNTS_MISFIT] by Sam, `), status.stdout);
  assert.ok(
    status.stdout.includes(`  ${keys[0]} [REFUND_AMOUNTS_MISFIT] by Dana, ${h.clock.now.toISOString()} — CM-1015`),
  );
  assert.equal((await h.api(path(keys[0]!), { method: 'POST', body: {} })).status, 404);
  const audited = await listAudit(h.app.storage, { shopId: h.shop.id, action: 'attention.entered-in-quickbooks' });
  assert.deepEqual(audited.map((a) => a.subject).sort(), [...keys].sort());

  // From now on QuickBooks is expected to hold them: until the hand entries are there, the difference is theirs.
  const expected = (await reconciled(h)).differences.find((d) => d.category === 'payments.shopify_payments');
  assert.ok(expected, 'the refunds are expected in QuickBooks');
  // (The simulator's orders are the test's: they hold the overpaid amounts.)
  const refunded = [first, second].reduce(
    (sum, { order, refund }) =>
      sum +
      parseMoney(order.refunds[refund]!.transactions.find((x) => x.kind === 'REFUND')!.amountSet.shopMoney.amount),
    0n,
  );
  assert.equal(parseMoney(expected.quickbooks) - parseMoney(expected.shopify), refunded);

  // The refund is corrected in Shopify so that it fits: resuming must not post what was entered by hand.
  await h.shopify.editOrder(first.order.id, (o) => overpay(o, first.refund, -100n));
  const again = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(again.ok && again.value.state === 'delivering', JSON.stringify(again.ok && again.value.error));
  await h.deliverAll();
  const companyFileId = await h.companyFileId();
  const posted = (await listEntries(h.app.storage, companyFileId)).filter((e) => keys.some((k) => e.key.startsWith(k)));
  assert.deepEqual(posted, [], 'nothing of a refund entered by hand is ever planned');
  assert.equal((await runCli(h, ['status', '--shop', h.shop.domain])).code, 0);
});
