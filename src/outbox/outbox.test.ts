import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { getMessageSet, listUnansweredMessageSets } from '../storage/index.ts';
import {
  type EnqueueInput,
  enqueue,
  getEntry,
  getEntryByKey,
  hasWork,
  lease,
  listBlocked,
  listEntries,
  markApplied,
  markNotApplied,
  markSent,
  markUnknown,
  progress,
  recordFailure,
  releaseExpiredLeases,
} from './index.ts';

import { at, companyFile, input, locked, mustAct, sendAndApply, T0 } from './outbox.test-support.ts';

forEachEngine('outbox', (engine, open) => {
  test('enqueueing the same key again adds nothing and returns the existing entry', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const other = await companyFile(storage, 'other-store');
    const [first] = await enqueue(
      storage,
      [
        input(file, 'customer:1', {
          priority: 5,
          source: { kind: 'customer', id: 'gid://shopify/Customer/1' },
          syncRunId: 'run-1',
        }),
      ],
      T0,
    );
    assert.equal(first!.created, true);
    assert.equal(first!.entry.state, 'pending');
    assert.deepEqual(first!.entry.request, { type: 'CustomerAdd', body: { Name: 'customer:1', ExternalGUID: '{X}' } });
    assert.deepEqual(first!.entry.source, { kind: 'customer', id: 'gid://shopify/Customer/1' });
    const [again] = await enqueue(storage, [input(file, 'customer:1', { priority: 99, syncRunId: 'run-2' })], at(5));
    assert.equal(again!.created, false);
    assert.deepEqual(again!.entry, first!.entry);
    const [elsewhere] = await enqueue(storage, [input(other, 'customer:1')], T0);
    assert.equal(elsewhere!.created, true);
    assert.equal((await listEntries(storage, file)).length, 1);
    assert.deepEqual(await getEntryByKey(storage, file, 'customer:1'), first!.entry);
    await assert.rejects(enqueue(storage, [input(file, 'x:1', { dependencies: ['x:1'] })]), /depends on itself/);
  });

  test('leases ready entries by priority then enqueue order, never twice, and respects the limit', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(
      storage,
      [
        input(file, 'receipt:1'),
        input(file, 'customer:1', { priority: 10 }),
        input(file, 'receipt:2'),
        input(file, 'item:1', { priority: 10 }),
        input(file, 'later:1', { notBefore: at(60_000) }),
      ],
      T0,
    );
    const first = await lease(storage, file, 's1', { limit: 3, now: T0, leaseMs: 120_000 });
    assert.deepEqual(
      first.map((e) => e.key),
      ['customer:1', 'item:1', 'receipt:1'],
    );
    assert.ok(first.every((e) => e.state === 'leased' && e.lease?.sessionId === 's1'));
    assert.deepEqual(first[0]!.lease?.expiresAt, at(120_000));
    const second = await lease(storage, file, 's2', { limit: 10, now: T0 });
    assert.deepEqual(
      second.map((e) => e.key),
      ['receipt:2'],
    );
    assert.deepEqual(await lease(storage, file, 's3', { limit: 10, now: T0 }), []);
    assert.deepEqual(
      (await lease(storage, file, 's3', { limit: 10, now: at(60_000) })).map((e) => e.key),
      ['later:1'],
    );
  });

  test('an entry waits until every dependency is applied', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(
      storage,
      [
        input(file, 'receipt:1', { dependencies: ['customer:1', 'item:1'], priority: 100 }),
        input(file, 'customer:1'),
        input(file, 'item:1'),
        input(file, 'receipt:2', { dependencies: ['customer:9'] }),
      ],
      T0,
    );
    assert.deepEqual((await sendAndApply(storage, file, 's1', T0)).sort(), ['customer:1', 'item:1']);
    assert.deepEqual(await sendAndApply(storage, file, 's1', T0), ['receipt:1']);
    // A dependency that was never planned keeps its dependent waiting (not blocked: nobody has to act yet).
    assert.deepEqual(await sendAndApply(storage, file, 's1', T0), []);
    assert.deepEqual(await listBlocked(storage, file), []);
    await enqueue(storage, [input(file, 'customer:9')], T0);
    assert.deepEqual(await sendAndApply(storage, file, 's1', T0), ['customer:9']);
    assert.deepEqual(await sendAndApply(storage, file, 's1', T0), ['receipt:2']);
    const applied = await getEntryByKey(storage, file, 'receipt:1');
    assert.equal(applied?.state, 'applied');
    assert.equal(applied?.quickbooksId, `ID-${applied?.id}`);
    assert.deepEqual(applied?.appliedAt, T0);
    assert.equal(applied?.attempts, 1);
    assert.equal(applied?.lease, null);
  });

  test('markSent records the message set; a session cannot send what it no longer holds', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'customer:1'), input(file, 'customer:2')], T0);
    const leased = await lease(storage, file, 's1', { limit: 10, now: T0, leaseMs: 1000 });
    // s1's lease runs out; s2 takes over the entries.
    const taken = await lease(storage, file, 's2', { limit: 10, now: at(2000) });
    assert.equal(taken.length, 2);
    const stale = await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i) })),
      now: at(2000),
    });
    assert.equal(!stale.ok && stale.error.code, 'OUTBOX_LEASE_LOST');
    assert.ok((await listEntries(storage, file)).every((e) => e.state === 'leased' && e.lease?.sessionId === 's2'));
    assert.deepEqual(await listUnansweredMessageSets(storage, file), []);

    const sent = await markSent(storage, {
      companyFileId: file,
      sessionId: 's2',
      messageSetId: '{MSG-SET-1}',
      requestXml: '<?qbxml version="13.0"?><QBXML/>',
      entries: taken.map((e, i) => ({ entryId: e.id, requestId: String(i + 1) })),
      now: at(2000),
    });
    assert.ok(sent.ok);
    assert.equal(sent.value.id, '{MSG-SET-1}');
    const stored = await getMessageSet(storage, '{MSG-SET-1}');
    assert.deepEqual(
      stored?.entries.map((e) => e.requestId),
      ['1', '2'],
    );
    assert.ok((await listEntries(storage, file)).every((e) => e.state === 'sent' && e.attempts === 1));
    await assert.rejects(
      markSent(storage, { companyFileId: file, sessionId: 's2', entries: [] }),
      /at least one entry/,
    );
  });

  test('expired leases: unsent entries return to pending, sent ones become unknown and are never re-leased', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'customer:1'), input(file, 'customer:2')], T0);
    const [one, two] = await lease(storage, file, 's1', { limit: 10, now: T0, leaseMs: 1000 });
    const sent = await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: [{ entryId: one!.id, requestId: '1' }],
      now: T0,
      leaseMs: 1000,
    });
    assert.ok(sent.ok);
    assert.equal(await hasWork(storage, file, T0), false);
    assert.equal(await hasWork(storage, file, at(1000)), true);
    const released = await releaseExpiredLeases(storage, file, at(1000));
    assert.deepEqual(
      released.returnedToPending.map((e) => e.key),
      ['customer:2'],
    );
    assert.deepEqual(
      released.becameUnknown.map((e) => e.key),
      ['customer:1'],
    );
    assert.equal((await getMessageSet(storage, sent.value.id))?.state, 'lost');
    const again = await lease(storage, file, 's2', { limit: 10, now: at(1000) });
    assert.deepEqual(
      again.map((e) => e.id),
      [two!.id],
    );
    assert.equal(await hasWork(storage, file, at(1000)), true, 'an unknown entry is work: it must be resolved');
    // QuickBooks (error recovery or a query by identity) says it never arrived: safe to send again.
    const retried = await markNotApplied(storage, one!.id, at(2000));
    assert.equal(retried.state, 'pending');
    assert.deepEqual(
      (await lease(storage, file, 's3', { limit: 10, now: at(2000) })).map((e) => e.id),
      [one!.id],
    );
  });

  test('a lost response resolved later as applied is applied once, with no new send', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const { entry } = (await enqueue(storage, [input(file, 'receipt:1')], T0))[0]!;
    await lease(storage, file, 's1', { limit: 1, now: T0 });
    await markSent(storage, { companyFileId: file, sessionId: 's1', entries: [{ entryId: entry.id, requestId: '1' }] });
    const unknown = await markUnknown(storage, [entry.id], T0);
    assert.equal(unknown[0]?.state, 'unknown');
    assert.equal((await listUnansweredMessageSets(storage, file))[0]?.state, 'lost');
    const applied = await markApplied(storage, entry.id, { quickbooksId: 'TXN-1', now: T0 });
    assert.equal(applied.state, 'applied');
    assert.equal(applied.attempts, 1);
    await assert.rejects(markApplied(storage, entry.id, { quickbooksId: 'TXN-2' }), /Illegal outbox transition/);
  });

  test('illegal transitions are bugs and throw', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const { entry } = (await enqueue(storage, [input(file, 'customer:1')], T0))[0]!;
    await assert.rejects(markApplied(storage, entry.id, { quickbooksId: 'X' }), /pending → applied/);
    await assert.rejects(recordFailure(storage, entry.id, locked), /pending → failed/);
    await assert.rejects(markNotApplied(storage, entry.id), /pending → pending/);
    await assert.rejects(
      getEntry(storage, 999_999).then((e) => markApplied(storage, e?.id ?? 999_999, { quickbooksId: 'X' })),
      /No outbox entry/,
    );
    assert.equal((await getEntry(storage, entry.id))?.state, 'pending');
  });

  test('progress counts per company file and per sync run', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(
      storage,
      [
        input(file, 'a:1', { syncRunId: 'run-1' }),
        input(file, 'a:2', { syncRunId: 'run-1' }),
        input(file, 'a:3', { syncRunId: 'run-1' }),
        input(file, 'b:1', { syncRunId: 'run-2' }),
      ],
      T0,
    );
    const leased = await lease(storage, file, 's1', { limit: 3, now: T0 });
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i) })),
    });
    await markApplied(storage, leased[0]!.id, { quickbooksId: 'X' });
    await recordFailure(storage, leased[1]!.id, mustAct);
    const all = await progress(storage, file);
    assert.equal(all.planned, 4);
    assert.equal(all.applied, 1);
    assert.equal(all.needsAttention, 1);
    assert.equal(all.inFlight, 1);
    assert.equal(all.remaining, 2);
    assert.equal(all.byState.pending, 1);
    const run1 = await progress(storage, file, { syncRunId: 'run-1' });
    assert.deepEqual([run1.planned, run1.applied, run1.needsAttention, run1.inFlight, run1.remaining], [3, 1, 1, 1, 1]);
    const run2 = await progress(storage, file, { syncRunId: 'run-2' });
    assert.deepEqual([run2.planned, run2.byState.pending], [1, 1]);
    assert.equal((await progress(storage, 'no-such-file')).planned, 0);
  });

  test('concurrent leasers never receive the same entry', async (t) => {
    const { storage, openAnother } = await open(t);
    const file = await companyFile(storage);
    const total = 120;
    await enqueue(
      storage,
      Array.from({ length: total }, (_, i) => input(file, `customer:${i}`, { priority: i % 3 })),
      T0,
    );
    // PostgreSQL: separate connection pools, as separate server instances would have. SQLite: one process, one
    // connection, several sessions at once.
    const handles = engine === 'postgres' ? await Promise.all([1, 2, 3, 4, 5].map(() => openAnother())) : [];
    const leasers = Array.from({ length: 6 }, (_, i) => ({ handle: handles[i] ?? storage, session: `session-${i}` }));
    const seen = new Map<number, string>();
    await Promise.all(
      leasers.map(async ({ handle, session }) => {
        for (;;) {
          const batch = await lease(handle, file, session, { limit: 4, now: T0 });
          if (batch.length === 0) return;
          for (const entry of batch) {
            assert.equal(
              seen.get(entry.id),
              undefined,
              `entry ${entry.id} leased by ${seen.get(entry.id)} and ${session}`,
            );
            seen.set(entry.id, session);
          }
        }
      }),
    );
    assert.equal(seen.size, total);
    const rows = await listEntries(storage, file);
    assert.ok(rows.every((e) => e.state === 'leased' && e.lease?.sessionId === seen.get(e.id)));
    if (engine === 'postgres') assert.ok(new Set(seen.values()).size > 1, 'work spread over several leasers');
  });

  test('instances serving one company file concurrently send and apply every entry exactly once', async (t) => {
    const { storage, openAnother } = await open(t);
    const file = await companyFile(storage);
    const inputs: EnqueueInput[] = [];
    for (let c = 0; c < 10; c++) inputs.push(input(file, `customer:${c}`, { priority: 1 }));
    for (let r = 0; r < 60; r++) inputs.push(input(file, `receipt:${r}`, { dependencies: [`customer:${r % 10}`] }));
    await enqueue(storage, inputs, T0);
    const handles = engine === 'postgres' ? await Promise.all([1, 2, 3].map(() => openAnother())) : [];
    const instances = [storage, ...handles];
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const handle = instances[i % instances.length]!;
        for (let round = 0; ; round++) {
          const sessionId = `instance-${i}-session-${round}`;
          const leased = await lease(handle, file, sessionId, { limit: 5, now: T0 });
          if (leased.length === 0) {
            if ((await progress(handle, file)).remaining === 0) return;
            await new Promise((r) => setTimeout(r, 2));
            continue;
          }
          const sent = await markSent(handle, {
            companyFileId: file,
            sessionId,
            entries: leased.map((e, k) => ({ entryId: e.id, requestId: String(k) })),
            now: T0,
          });
          assert.ok(sent.ok);
          for (const entry of leased) {
            order.push(entry.key);
            await markApplied(handle, entry.id, { quickbooksId: `ID-${entry.id}`, now: T0 });
          }
        }
      }),
    );
    assert.equal(order.length, inputs.length);
    assert.equal(new Set(order).size, inputs.length);
    const entries = await listEntries(storage, file);
    assert.ok(entries.every((e) => e.state === 'applied' && e.attempts === 1));
    const sends = await storage.db.selectFrom('message_set_entries').select('entry_id').execute();
    assert.equal(sends.length, inputs.length);
    // Dependencies held under concurrency: every receipt was sent after its customer was applied.
    for (const [position, key] of order.entries()) {
      if (!key.startsWith('receipt:')) continue;
      const customer = `customer:${Number(key.split(':')[1]) % 10}`;
      assert.ok(order.indexOf(customer) < position, `${key} went before ${customer}`);
    }
  });
});
