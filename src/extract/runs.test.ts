import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestDatabase } from '../storage/engines.test-support.ts';
import { finishRun, lastRunId, RUN_STATES, RUN_TRANSITIONS, startRun } from './runs.ts';

test('a run goes from running to succeeded or failed, once', async (t) => {
  const { storage } = await openTestDatabase(t, 'sqlite');
  const run = { shopId: 'shop', mode: 'backfill', entities: ['orders'], startedAt: '2026-12-01T00:00:00.000Z' };
  const first = await startRun(storage, run);
  const finished = { counts: {}, error: null, finishedAt: '2026-12-01T00:01:00.000Z' };
  await finishRun(storage, first, { ...finished, status: 'succeeded' });
  await assert.rejects(finishRun(storage, first, { ...finished, status: 'failed' }), /succeeded → failed/);
  const second = await startRun(storage, run);
  await finishRun(storage, second, { ...finished, status: 'failed', error: 'cut off' });
  await assert.rejects(finishRun(storage, second, { ...finished, status: 'succeeded' }), /failed → succeeded/);
  await assert.rejects(finishRun(storage, second + 1, { ...finished, status: 'failed' }), /no such run/);
  assert.equal(await lastRunId(storage, 'shop'), second);
  const rows = await storage.db.selectFrom('extract_runs').select(['status', 'error']).orderBy('id').execute();
  assert.deepEqual(rows, [
    { status: 'succeeded', error: null },
    { status: 'failed', error: 'cut off' },
  ]);
  // Every state has its row in the table, and only running leads anywhere.
  assert.deepEqual(Object.keys(RUN_TRANSITIONS).sort(), [...RUN_STATES].sort());
  assert.deepEqual(
    RUN_STATES.filter((state) => RUN_TRANSITIONS[state].length > 0),
    ['running'],
  );
});
