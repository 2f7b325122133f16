/**
 * A sync run being prepared holds a lease its holder renews by a heartbeat: while it is renewed nobody else may
 * prepare for the shop; once it lapses (the holder died) any instance takes the run over, and the dead holder —
 * should it wake up — can no longer move the run.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createCompanyFile, createShop, type Storage } from '../storage/index.ts';
import { holdSyncRunLease } from './sync-run-lease.ts';
import {
  claimInterruptedRun,
  createSyncRun,
  getSyncRun,
  isPreparing,
  listInterruptedRuns,
  renewSyncRunLease,
  SYNC_LEASE_MS,
  tryMoveSyncRun,
} from './sync-runs.ts';

async function shopWithFile(storage: Storage) {
  const shop = await createShop(storage, {
    domain: 'lease.myshopify.com',
    name: 'L',
    currency: 'USD',
    timeZone: 'UTC',
  });
  assert.ok(shop.ok);
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: 'lease',
    appTokenHash: 'scrypt$x$y',
    ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
    fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
  });
  assert.ok(file.ok);
  return { shopId: shop.value.id, companyFileId: file.value.id };
}

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, seconds));

forEachEngine('sync runs: leases', (_engine, open) => {
  it('a renewed lease keeps the run its holder’s; a lapsed one is taken over, and the old holder is fenced off', async (t) => {
    const { storage } = await open(t);
    const ids = await shopWithFile(storage);
    const created = await createSyncRun(storage, { ...ids, trigger: 'manual' }, at(0));
    assert.ok(created.ok);
    const run = created.value;
    assert.ok(run.leaseHolder, 'the creator holds the lease');
    assert.equal(await isPreparing(storage, ids.companyFileId, at(1)), true);

    // The holder's heartbeat renews before the lease runs out: nothing is interrupted.
    assert.equal(await renewSyncRunLease(storage, run, at(20)), true);
    assert.deepEqual(await listInterruptedRuns(storage, at(20 + SYNC_LEASE_MS / 1000 - 1)), []);
    const second = await createSyncRun(storage, { ...ids, trigger: 'manual' }, at(25));
    assert.equal(second.ok ? 'started' : second.error.code, 'SYNC_ALREADY_RUNNING');

    // The holder dies: no more renewals. Its lease lapses and the run is interrupted, for every instance to see.
    const lapsed = at(20 + SYNC_LEASE_MS / 1000 + 1);
    assert.equal(await isPreparing(storage, ids.companyFileId, lapsed), false, 'the Web Connector is not kept waiting');
    const interrupted = await listInterruptedRuns(storage, lapsed);
    assert.deepEqual(
      interrupted.map((r) => r.id),
      [run.id],
    );
    const [first, racing] = await Promise.all([
      claimInterruptedRun(storage, interrupted[0]!, lapsed),
      claimInterruptedRun(storage, interrupted[0]!, lapsed),
    ]);
    const claimed = first ?? racing;
    assert.ok(claimed, 'one instance takes it over');
    assert.ok(first === null || racing === null, 'exactly one');
    assert.notEqual(claimed.leaseHolder, run.leaseHolder);
    assert.equal(claimed.takeovers, 1);
    assert.equal(await isPreparing(storage, ids.companyFileId, lapsed), true);

    // The old holder wakes up: it can neither renew nor move the run any more.
    assert.equal(await renewSyncRunLease(storage, run, lapsed), false);
    assert.equal(await tryMoveSyncRun(storage, run, 'delivering', {}, lapsed, { fencedBy: run.leaseHolder }), null);
    const moved = await tryMoveSyncRun(storage, claimed, 'delivering', {}, lapsed, { fencedBy: claimed.leaseHolder });
    assert.equal(moved?.state, 'delivering');
    assert.equal((await getSyncRun(storage, run.id))?.leaseHolder, null, 'a run no longer preparing holds no lease');
  });

  it('a scheduled start behind a manual run preparing is postponed, not taken for the day’s run', async (t) => {
    const { storage } = await open(t);
    const ids = await shopWithFile(storage);
    const manual = await createSyncRun(storage, { ...ids, trigger: 'manual' }, at(0));
    assert.ok(manual.ok);
    const blocked = await createSyncRun(storage, { ...ids, trigger: 'schedule', scheduledDate: '2026-03-02' }, at(1));
    assert.equal(blocked.ok ? 'started' : blocked.error.code, 'SYNC_ALREADY_RUNNING');
    await tryMoveSyncRun(storage, manual.value, 'delivering', {}, at(2), { fencedBy: manual.value.leaseHolder });
    const scheduled = await createSyncRun(storage, { ...ids, trigger: 'schedule', scheduledDate: '2026-03-02' }, at(3));
    assert.ok(scheduled.ok);
    await tryMoveSyncRun(storage, scheduled.value, 'delivering', {}, at(4));
    const again = await createSyncRun(storage, { ...ids, trigger: 'schedule', scheduledDate: '2026-03-02' }, at(5));
    assert.equal(again.ok ? 'started' : again.error.code, 'SYNC_ALREADY_SCHEDULED');
  });

  it('a run left preparing by an older version (no lease at all) counts as interrupted', async (t) => {
    const { storage } = await open(t);
    const ids = await shopWithFile(storage);
    const created = await createSyncRun(storage, { ...ids, trigger: 'manual' }, at(0));
    assert.ok(created.ok);
    await storage.db.updateTable('sync_runs').set({ lease_holder: null, lease_expires_at: null }).execute();
    assert.equal((await listInterruptedRuns(storage, at(1))).length, 1);
    assert.equal(await isPreparing(storage, ids.companyFileId, at(1)), false);
  });

  it('the heartbeat renews on its own while the work goes on, and says when the lease was lost', async (t) => {
    const { storage } = await open(t);
    const ids = await shopWithFile(storage);
    let now = at(0);
    const created = await createSyncRun(storage, { ...ids, trigger: 'manual' }, now);
    assert.ok(created.ok);
    const lease = holdSyncRunLease(storage, created.value, { clock: () => now, heartbeatMs: 5 });
    try {
      for (let step = 1; step <= 6; step++) {
        // Work that takes longer than the lease, in steps shorter than it: the heartbeat keeps up.
        now = new Date(now.getTime() + SYNC_LEASE_MS / 2);
        await lease.renewed();
        assert.deepEqual(await listInterruptedRuns(storage, now), [], `step ${step}`);
      }
      assert.equal(lease.lost(), false);
      // Someone takes the run over (its holder seemed dead): the heartbeat notices.
      await storage.db
        .updateTable('sync_runs')
        .set({ lease_holder: 'someone-else' })
        .where('id', '=', Number(created.value.id))
        .execute();
      await lease.renewed();
      assert.equal(lease.lost(), true);
    } finally {
      await lease.stop();
    }
  });
});
