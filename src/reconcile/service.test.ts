/**
 * The reconciliation a merchant asks for, end to end over real HTTP: QuickBooks is read through the Web Connector
 * (202 until a session has answered, then 200), a journal entry made by hand in QuickBooks on the sales account is a
 * difference once QuickBooks is asked again, a later posting by the connector makes the connector ask again, and
 * the CLI prints the same answer.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { main } from '../cli/index.ts';
import { type Harness, qbRequest, startHarness } from '../e2e/harness.test-support.ts';
import { listEntries } from '../outbox/index.ts';
import type { ReconciliationAnswer } from './service.ts';
import { parsePeriod } from './service.ts';

type Ready = Extract<ReconciliationAnswer, { state: 'ready' }>;

async function ask(h: Harness, period: { from: string; to: string }, query = '') {
  const response = await h.api(
    `/api/shops/${h.shop.domain}/reconciliation?from=${period.from}&to=${period.to}${query}`,
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function cli(h: Harness, args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, stdin: process.stdin, env: h.env, cwd: h.dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('reconciliation read from QuickBooks through the Web Connector; a journal entry made by hand is a difference', async (t) => {
  const h = await startHarness(t, { orders: 25, seed: 'reconcile-service' });
  await h.setupThroughOptions();
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok && run.value.state !== 'failed');
  await h.deliverAll();
  const period = h.period();
  const companyFileId = await h.companyFileId();

  // Not asked for yet: the reports are asked for, and the answer says when they will come.
  const first = await ask(h, period);
  assert.equal(first.status, 202);
  assert.equal(first.body.state, 'waiting');
  assert.match(String(first.body.requestedAt), /^\d{4}-\d{2}-\d{2}T/);
  assert.match(String(first.body.message), /has not answered yet.*next Web Connector session.*Update Selected/s);
  const reads = await listEntries(h.app.storage, companyFileId, { kind: 'report' });
  assert.deepEqual(
    reads.map((e) => [e.request.type, e.state]),
    [
      ['GeneralDetailReportQuery', 'pending'],
      ['GeneralSummaryReportQuery', 'pending'],
      ['SalesOrderQuery', 'pending'],
      ['ItemQuery', 'pending'],
    ],
  );
  // Asking again before QuickBooks answered asks nothing more.
  assert.equal((await ask(h, period)).status, 202);
  assert.equal((await listEntries(h.app.storage, companyFileId, { kind: 'report' })).length, 4);

  const answered = await h.session();
  assert.equal(answered.outcome, 'completed', answered.message);
  const ready = await ask(h, period);
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  const report = ready.body as unknown as Ready;
  assert.equal(report.state, 'ready');
  assert.deepEqual(report.period, period);
  assert.deepEqual(report.differences, []);
  assert.equal(report.trialBalance.debits, report.trialBalance.credits);
  assert.ok(Date.parse(report.asOf) > Date.parse(String(first.body.requestedAt)) - 1);
  assert.deepEqual(Object.keys(report.shopify), [
    'grossSales',
    'discounts',
    'returns',
    'netSales',
    'shipping',
    'taxes',
    'tips',
    'giftCardsSold',
    'duties',
    'additionalFees',
    'payments',
  ]);
  assert.equal(report.days.length, Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1);
  assert.ok(report.days.every((d) => d.differences.length === 0));

  // A QuickBooks user moves 12.34 out of the sales account by hand, on a day of the period.
  const status = await h.app.setup.status(h.shop.domain);
  assert.ok(status.ok);
  const sales = status.value.integration.options!.mapping.productSales;
  const day = report.days[Math.floor(report.days.length / 2)]!.date;
  const entry = h.withCompany((company) =>
    qbRequest(
      company,
      `<JournalEntryAddRq><JournalEntryAdd><TxnDate>${day}</TxnDate><RefNumber>BYHAND</RefNumber>` +
        `<JournalDebitLine><AccountRef><FullName>${sales}</FullName></AccountRef><Amount>12.34</Amount></JournalDebitLine>` +
        '<JournalCreditLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>12.34</Amount></JournalCreditLine>' +
        '</JournalEntryAdd></JournalEntryAddRq>',
    ),
  );
  assert.ok(entry.ok && entry.value.responses[0]!.statusCode === 0);

  // The connector cannot see a change made in QuickBooks: the answer stays what QuickBooks said; refresh asks again.
  assert.deepEqual(((await ask(h, period)).body as unknown as Ready).differences, []);
  const refreshed = await ask(h, period, '&refresh=true');
  assert.equal(refreshed.status, 202);
  await h.session();
  const after = (await ask(h, period)).body as unknown as Ready;
  assert.equal(after.state, 'ready');
  const gross = after.differences.find((d) => d.category === 'grossSales');
  assert.ok(gross, JSON.stringify(after.differences));
  assert.equal(
    Math.round((Number(gross.shopify) - Number(gross.quickbooks)) * 100),
    1234,
    'QuickBooks shows 12.34 less in gross sales',
  );
  assert.deepEqual(
    after.days.filter((d) => d.differences.length > 0).map((d) => d.date),
    [day],
  );

  // The CLI prints the same answer, and exits 1 for a difference.
  const printed = await cli(h, ['reconcile', '--shop', h.shop.domain, '--from', period.from, '--to', period.to]);
  assert.equal(printed.code, 1, printed.stderr);
  assert.match(printed.stdout, /Gross sales/);
  assert.match(printed.stdout, new RegExp(`Days with a difference: ${day}\\.`));
  const asJson = await cli(h, [
    'reconcile',
    '--shop',
    h.shop.domain,
    '--from',
    period.from,
    '--to',
    period.to,
    '--json',
  ]);
  assert.deepEqual(JSON.parse(asJson.stdout), after);

  // The connector posts again (an open order fulfilled in Shopify): the answer is from before that, so QuickBooks is
  // asked again; reading its lists again changes nothing in it and asks nothing.
  assert.ok((await h.app.setup.refreshCompanyLists(h.shop.domain)).ok);
  await h.deliverAll();
  assert.equal((await ask(h, period)).status, 200);
  const open = h.data.orders.find(
    (o) => o.displayFulfillmentStatus === 'UNFULFILLED' && !o.cancelledAt && o.refunds.length === 0,
  );
  assert.ok(open, 'the generated shop has an open order');
  await h.shopify.editOrder(open.id, (order) => {
    order.displayFulfillmentStatus = 'FULFILLED';
  });
  const more = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(more.ok && (more.value.summary?.planned ?? 0) > 0);
  await h.deliverAll();
  const stale = await ask(h, period);
  assert.equal(stale.status, 202);
  assert.match(String(stale.body.message), /posted to QuickBooks since/);
  const waiting = await cli(h, [
    'reconcile',
    '--shop',
    h.shop.domain,
    '--from',
    period.from,
    '--to',
    period.to,
    '--refresh',
  ]);
  assert.equal(waiting.code, 3);
  assert.match(waiting.stdout, /next Web Connector session/);
});

test('a period must be two real dates, in order, at most three years', () => {
  assert.ok(parsePeriod('2026-03-01', '2026-03-31').ok);
  for (const [from, to] of [
    ['2026-02-30', '2026-03-01'],
    ['2026-3-1', '2026-03-31'],
    ['2026-04-01', '2026-03-31'],
    ['2023-01-01', '2026-03-31'],
    [undefined, '2026-03-31'],
  ] as const) {
    const period = parsePeriod(from, to);
    assert.ok(!period.ok, `${from}..${to}`);
    assert.equal(period.error.code, 'RECONCILIATION_PERIOD_INVALID');
  }
});

test('the API answers 400 for a bad period and 409 before the setup has a mapping', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'reconcile-bad' });
  const bad = await ask(h, { from: '2026-13-01', to: '2026-12-31' });
  assert.equal(bad.status, 400);
  assert.equal((bad.body.error as { code: string }).code, 'RECONCILIATION_PERIOD_INVALID');
  const early = await ask(h, { from: '2026-01-01', to: '2026-01-31' });
  assert.equal(early.status, 409);
  assert.equal((early.body.error as { code: string }).code, 'RECONCILIATION_NOT_READY');
});
