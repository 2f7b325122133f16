import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachEngine } from '../storage/engines.test-support.ts';
import {
  changedSourceRecords,
  deleteSourceRecords,
  latestSourceRecord,
  latestSourceRecords,
  saveSourceRecords,
  sourceRecordVersions,
} from './source-records.ts';

forEachEngine('source records', (_engine, open) => {
  test('a changed record gets a new version; an unchanged re-pull adds none', async (t) => {
    const { storage } = await open(t);
    const order = {
      id: 'gid://shopify/Order/1',
      updatedAt: '2026-01-01T00:00:00Z',
      totalPriceSet: { amount: '10.00' },
    };
    const first = await saveSourceRecords(
      storage,
      'shop-1',
      [{ kind: 'order', sourceId: order.id, sourceUpdatedAt: order.updatedAt, payload: order }],
      { runId: 1, now: '2026-01-01T00:00:01.000Z' },
    );
    assert.deepEqual(first, { inserted: 1, unchanged: 0 });
    // The same content pulled again: no new version.
    const again = await saveSourceRecords(
      storage,
      'shop-1',
      [{ kind: 'order', sourceId: order.id, sourceUpdatedAt: order.updatedAt, text: JSON.stringify(order) }],
      { runId: 2, now: '2026-01-01T00:00:02.000Z' },
    );
    assert.deepEqual(again, { inserted: 0, unchanged: 1 });
    const edited = { ...order, updatedAt: '2026-01-02T00:00:00Z', totalPriceSet: { amount: '8.00' } };
    await saveSourceRecords(
      storage,
      'shop-1',
      [{ kind: 'order', sourceId: order.id, sourceUpdatedAt: edited.updatedAt, payload: edited }],
      { runId: 3, now: '2026-01-02T00:00:01.000Z' },
    );
    const versions = await sourceRecordVersions<typeof order>(storage, 'shop-1', 'order', order.id);
    assert.deepEqual(
      versions.map((v) => [v.version, v.runId, v.payload.totalPriceSet.amount]),
      [
        [1, 1, '10.00'],
        [2, 3, '8.00'],
      ],
    );
    const latest = await latestSourceRecord<typeof order>(storage, 'shop-1', 'order', order.id);
    assert.equal(latest?.version, 2);
    assert.equal(latest?.payload.totalPriceSet.amount, '8.00');
    assert.equal(await latestSourceRecord(storage, 'shop-2', 'order', order.id), null);
  });

  test('a record given as UTF-8 bytes is stored and hashed as its text (no new version for the same content)', async (t) => {
    const { storage } = await open(t);
    const order = { id: 'gid://shopify/Order/7', updatedAt: '2026-01-01T00:00:00Z', note: 'Smörgås ☕ "noir"' };
    const text = JSON.stringify(order);
    const options = { runId: 1, now: '2026-01-01T00:00:01.000Z' };
    const base = { kind: 'order' as const, sourceId: order.id, sourceUpdatedAt: order.updatedAt };
    assert.deepEqual(await saveSourceRecords(storage, 'shop-1', [{ ...base, bytes: Buffer.from(text) }], options), {
      inserted: 1,
      unchanged: 0,
    });
    assert.deepEqual(await saveSourceRecords(storage, 'shop-1', [{ ...base, text }], options), {
      inserted: 0,
      unchanged: 1,
    });
    const latest = await latestSourceRecord<typeof order>(storage, 'shop-1', 'order', order.id);
    assert.deepEqual(latest?.payload, order);
    // Bytes that are not valid UTF-8 are stored as their decoded text (U+FFFD) and hashed as that text.
    const broken = Buffer.concat([
      Buffer.from('{"id":"gid://shopify/Order/8","note":"'),
      Buffer.from([0xc3]),
      Buffer.from('"}'),
    ]);
    const other = { ...base, sourceId: 'gid://shopify/Order/8' };
    await saveSourceRecords(storage, 'shop-1', [{ ...other, bytes: broken }], options);
    assert.deepEqual(
      await saveSourceRecords(storage, 'shop-1', [{ ...other, text: broken.toString('utf8') }], options),
      {
        inserted: 0,
        unchanged: 1,
      },
    );
    const stored = await latestSourceRecord<{ note: string }>(storage, 'shop-1', 'order', other.sourceId);
    assert.equal(stored?.payload.note, '\ufffd');
  });

  test('latest by kind pages by source id; changed-since returns only records versioned after a run', async (t) => {
    const { storage } = await open(t);
    const save = (id: string, value: number, runId: number) =>
      saveSourceRecords(
        storage,
        'shop-1',
        [{ kind: 'customer', sourceId: id, sourceUpdatedAt: null, payload: { id, value } }],
        {
          runId,
          now: new Date(2026, 0, runId).toISOString(),
        },
      );
    await save('c1', 1, 1);
    await save('c2', 1, 1);
    await save('c3', 1, 1);
    await save('c2', 2, 2);
    await saveSourceRecords(
      storage,
      'shop-1',
      [{ kind: 'product', sourceId: 'p1', sourceUpdatedAt: null, payload: {} }],
      {
        runId: 2,
        now: new Date().toISOString(),
      },
    );
    const firstPage = await latestSourceRecords(storage, 'shop-1', 'customer', { limit: 2 });
    assert.deepEqual(
      firstPage.map((r) => r.sourceId),
      ['c1', 'c2'],
    );
    const secondPage = await latestSourceRecords(storage, 'shop-1', 'customer', { afterSourceId: 'c2', limit: 2 });
    assert.deepEqual(
      secondPage.map((r) => r.sourceId),
      ['c3'],
    );
    const changed = await changedSourceRecords<{ value: number }>(storage, 'shop-1', { afterRunId: 1 });
    assert.deepEqual(
      changed.map((r) => [r.kind, r.sourceId, r.version]),
      [
        ['customer', 'c2', 2],
        ['product', 'p1', 1],
      ],
    );
    const changedCustomers = await changedSourceRecords(storage, 'shop-1', { afterRunId: 1, kind: 'customer' });
    assert.equal(changedCustomers.length, 1);
    assert.equal((await changedSourceRecords(storage, 'shop-1', { afterRunId: null })).length, 4);
    assert.equal(await deleteSourceRecords(storage, 'shop-1', 'customer', ['c2']), 2);
    assert.equal(await latestSourceRecord(storage, 'shop-1', 'customer', 'c2'), null);
  });
});
