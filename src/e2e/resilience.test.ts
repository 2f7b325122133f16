/**
 * Issue 7, end to end: the daily schedule fires once in its window (an injectable clock, two scheduler
 * instances), a crash mid-sync is recovered without planning anything twice, lost Web Connector responses leave
 * no duplicate in QuickBooks, and a QuickBooks error only the merchant can fix is listed with a plain reason and
 * succeeds on retry after the fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, localDate } from '../domain/index.ts';
import { getSyncRun, listSyncRuns, scheduledInstant } from '../integration/index.ts';
import { silentLogger } from '../logger/index.ts';
import { createScheduler } from '../scheduler/index.ts';
import { createConnectorServices } from '../services/index.ts';
import { testEngines } from '../storage/engines.test-support.ts';
import { openDatabase } from '../storage/index.ts';
import { assertNoDuplicates, assertReconciles, type Harness, qbRequest, startHarness } from './harness.test-support.ts';

async function startAndSync(h: Harness): Promise<string> {
  const started = await h.app.setup.start(h.shop.domain);
  assert.ok(started.ok, started.ok ? '' : started.error.message);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok);
  assert.equal(run.value.state, 'delivering', JSON.stringify(run.value.error));
  return run.value.id;
}

/** Web Connector sessions until one finds nothing it can send. */
async function sessionsUntilIdle(h: Harness, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    const log = await h.session();
    if (log.outcome === 'no-work') return;
  }
  throw new Error(`The Web Connector still had work after ${max} sessions`);
}

for (const engine of testEngines()) {
  describe(`resilience [${engine}]`, () => {
    test('the daily sync fires inside its 15-minute window, once a day, even with two scheduler instances', async (t) => {
      const h = await startHarness(t, { engine, orders: 20, seed: 'e2e-schedule' });
      const zone = h.shop.timeZone;
      const today = localDate(h.clock.now, zone);
      // The integration starts at 01:00 today, shop time.
      h.clock.now = new Date(
        scheduledInstant({ kind: 'daily', localTime: '02:00' }, today, zone).getTime() - 3_600_000,
      );
      await h.setupThroughOptions({ schedule: '02:00' });
      await startAndSync(h);
      await h.deliverAll();

      // A second server instance: its own database handle, services and scheduler, the same clock.
      const storage =
        engine === 'postgres'
          ? await openDatabase({ url: h.config.database.engine === 'postgres' ? h.config.database.url : '' })
          : h.app.storage;
      if (engine === 'postgres') t.after(() => storage.close());
      const other = createConnectorServices(h.config, storage, { logger: silentLogger, clock: () => h.clock.now });
      const schedulers = [
        h.app.scheduler,
        createScheduler({ storage, sync: other.sync, clock: () => h.clock.now, logger: silentLogger }),
      ];
      const tickAll = async () => {
        const results = await Promise.all(schedulers.map((s) => s.tick()));
        return results.flatMap((r) => r.started);
      };
      assert.deepEqual(await tickAll(), [], 'yesterday’s slot, before the start, does not fire');
      const tomorrow = addDays(today, 1);
      const at = scheduledInstant({ kind: 'daily', localTime: '02:00' }, today, zone);
      const minutes = (n: number) => new Date(at.getTime() + n * 60_000);

      h.clock.now = minutes(-10);
      assert.deepEqual(await tickAll(), [], 'not before its time');
      h.clock.now = minutes(4);
      const fired = await tickAll();
      assert.equal(fired.length, 1, 'exactly one instance starts the run');
      assert.equal(fired[0]!.trigger, 'schedule');
      assert.equal(fired[0]!.scheduledDate, today);
      assert.ok(minutes(4).getTime() - at.getTime() < 15 * 60_000);
      h.clock.now = minutes(9);
      assert.deepEqual(await tickAll(), [], 'not twice in the same window');
      h.clock.now = minutes(60 * 5);
      assert.deepEqual(await tickAll(), [], 'not again later that day');
      h.clock.now = minutes(24 * 60 + 2);
      const nextDay = await tickAll();
      assert.equal(nextDay.length, 1);
      assert.equal(nextDay[0]!.scheduledDate, tomorrow);
      const scheduled = (await listSyncRuns(h.app.storage, h.shop.id)).filter((r) => r.trigger === 'schedule');
      assert.deepEqual(scheduled.map((r) => r.scheduledDate).sort(), [today, tomorrow]);
      await h.deliverAll();
      await assertNoDuplicates(h);
    });

    test('a crash mid-sync: the run left preparing is taken over within a minute and nothing is planned twice', async (t) => {
      const h = await startHarness(t, { engine, orders: 20, seed: 'e2e-crash' });
      await h.setupThroughOptions();
      await startAndSync(h);
      // Half the documents reach QuickBooks; then a sync starts and the process dies while preparing it.
      await h.session();
      const orphan = await h.app.sync.start(h.shop.id, 'manual');
      assert.ok(orphan.ok);
      const refused = await h.app.sync.start(h.shop.id, 'manual');
      assert.equal(refused.ok ? 'started' : refused.error.code, 'SYNC_ALREADY_RUNNING');
      await h.restart();
      // Another instance (or this one, restarted) may still hold it: nothing is taken over while the lease holds.
      assert.equal((await h.app.scheduler.tick()).recovered.length, 0);
      h.clock.now = new Date(h.clock.now.getTime() + 45_000);
      const { recovered } = await h.app.scheduler.tick();
      assert.deepEqual(
        recovered.map((run) => [run.id, run.state, run.takeovers]),
        [[orphan.value.id, 'delivering', 1]],
        'prepared to the end by the instance that took it over',
      );
      const taken = await getSyncRun(h.app.storage, orphan.value.id);
      assert.equal(taken?.summary?.planned, 0, 'what the first sync planned is not planned again');

      const next = await h.app.sync.run(h.shop.id, 'manual');
      assert.ok(next.ok);
      assert.equal(next.value.state, 'delivering');
      assert.equal(next.value.summary!.planned, 0, 'nothing planned twice');
      await h.deliverAll();
      await assertNoDuplicates(h);
      await assertReconciles(h);
    });
  });
}

test('lost responses: QuickBooks applied what the connector never heard back about, and nothing is posted twice', async (t) => {
  const h = await startHarness(t, { orders: 25, seed: 'e2e-lost' });
  await h.setupThroughOptions();
  await startAndSync(h);
  const faulty = [];
  for (const fault of [
    { method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 2 },
    { method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 1 },
    { method: 'receiveResponseXML', kind: 'time-out', occurrence: 1 },
  ] as const) {
    faulty.push(await h.session([fault]));
    // The Web Connector comes back after the session the connector still holds open has expired.
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
  }
  assert.deepEqual(
    faulty.map((log) => log.outcome),
    ['transport-failed', 'transport-failed', 'transport-failed'],
  );
  assert.ok(
    faulty.every((log) => log.requestsProcessed >= 1),
    'QuickBooks executed the requests whose answers were lost',
  );
  await h.deliverAll();
  const { transactions } = await assertNoDuplicates(h);
  assert.ok(transactions > 10, `${transactions} transactions`);
  await assertReconciles(h);
});

test('a QuickBooks error that needs the merchant: listed with a plain reason, retried after the fix', async (t) => {
  const h = await startHarness(t, { orders: 25, seed: 'e2e-attention' });
  await h.setupThroughOptions();
  // The merchant makes an account the mapping names inactive in QuickBooks before the first sync is delivered.
  const setActive = (active: boolean) =>
    h.withCompany((company) => {
      const found = qbRequest(
        company,
        '<AccountQueryRq requestID="1"><FullName>Shipping Income</FullName></AccountQueryRq>',
      );
      assert.ok(found.ok);
      const account = found.value.responses[0]!.rets[0]!;
      const changed = qbRequest(
        company,
        `<AccountModRq requestID="2"><AccountMod><ListID>${account.ListID}</ListID><EditSequence>${account.EditSequence}</EditSequence><IsActive>${active}</IsActive></AccountMod></AccountModRq>`,
      );
      assert.ok(changed.ok);
      assert.equal(changed.value.responses[0]!.statusCode, 0, changed.value.responses[0]!.statusMessage);
    });
  setActive(false);
  const runId = await startAndSync(h);
  await sessionsUntilIdle(h);

  const base = `/api/shops/${h.shop.domain}`;
  const attention = (await (await h.api(`${base}/attention`)).json()) as {
    id: number;
    reason: string;
    code: string;
    quickbooksStatusCode: number;
  }[];
  assert.ok(attention.length > 0, 'something needs the merchant');
  for (const item of attention) {
    assert.equal(item.quickbooksStatusCode, 3140);
    assert.match(item.reason, /inactive/);
    assert.match(item.reason, /Make it active in QuickBooks or check the account mapping/);
  }
  const progress = await h.app.sync.progress(runId);
  assert.equal(progress?.run.state, 'delivering', 'documents behind the blocked one wait; the run is not done');

  setActive(true);
  for (const item of attention) {
    const retried = await h.api(`${base}/attention/${item.id}/retry`, { method: 'POST' });
    assert.equal(retried.status, 200, await retried.text());
  }
  assert.equal((await h.api(`${base}/attention/999999/retry`, { method: 'POST' })).status, 404);
  await h.deliverAll();
  assert.deepEqual(await (await h.api(`${base}/attention`)).json(), []);
  assert.equal((await h.app.sync.progress(runId))?.run.state, 'completed');
  await assertNoDuplicates(h);
  await assertReconciles(h);
});
