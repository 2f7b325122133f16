import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectorError } from '../errors/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { listAudit } from '../storage/index.ts';
import {
  cancelEntry,
  enqueue,
  getEntry,
  getEntryByKey,
  hasWork,
  lease,
  listBlocked,
  markApplied,
  markSent,
  recordFailure,
  releaseSession,
  retryEntry,
  returnLeased,
} from './index.ts';

import { at, companyFile, input, locked, mustAct, sendAndApply, T0 } from './outbox.test-support.ts';

forEachEngine('outbox: failures, retries and manual actions', (_engine, open) => {
  test('retryable failures back off and retry; attempts are bounded', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'customer:1')], T0);
    const policy = { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 10_000 };
    const [leased] = await lease(storage, file, 's1', { limit: 1, now: T0 });
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: [{ entryId: leased!.id, requestId: '1' }],
      now: T0,
    });
    const waiting = await recordFailure(storage, leased!.id, locked, { now: T0, policy, random: () => 1 });
    assert.equal(waiting.state, 'retry_wait');
    assert.deepEqual(waiting.nextAttemptAt, at(1000));
    assert.equal(waiting.lastError?.qbStatusCode, 3175);
    assert.equal(waiting.lastError instanceof ConnectorError, true);
    assert.deepEqual(await lease(storage, file, 's2', { limit: 1, now: at(999) }), []);
    const [retry] = await lease(storage, file, 's2', { limit: 1, now: at(1000) });
    assert.equal(retry?.id, leased!.id);
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's2',
      entries: [{ entryId: retry!.id, requestId: '1' }],
      now: at(1000),
    });
    const exhausted = await recordFailure(storage, retry!.id, locked, { now: at(1000), policy });
    assert.equal(exhausted.state, 'failed');
    assert.equal(exhausted.attempts, 2);
    assert.equal(await hasWork(storage, file, at(999_999)), false);
  });

  test('a failure can carry a corrected request and retry at once (3200: fresh EditSequence)', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'customer:1')], T0);
    const [leased] = await lease(storage, file, 's1', { limit: 1, now: T0 });
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: [{ entryId: leased!.id, requestId: '1' }],
    });
    const stale = new ConnectorError({ code: 'QB_EDIT_SEQUENCE_STALE', message: '3200', retryable: true });
    const corrected = { type: 'CustomerMod', body: { ListID: '80000001-1', EditSequence: '99' } };
    await recordFailure(storage, leased!.id, stale, { now: T0, retryAfterMs: 0, request: corrected });
    const [again] = await lease(storage, file, 's1', { limit: 1, now: T0 });
    assert.deepEqual(again?.request, corrected);
  });

  test('merchant-fixable failures need attention, block dependents visibly, and retry after the fix', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(
      storage,
      [
        input(file, 'item:gift-card'),
        input(file, 'receipt:1', { dependencies: ['item:gift-card'] }),
        input(file, 'payment:1', { dependencies: ['receipt:1'] }),
        input(file, 'customer:1'),
      ],
      T0,
    );
    const leased = await lease(storage, file, 's1', { limit: 10, now: T0 });
    assert.deepEqual(
      leased.map((e) => e.key),
      ['item:gift-card', 'customer:1'],
    );
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i) })),
    });
    const attention = await recordFailure(storage, leased[0]!.id, mustAct, { now: T0 });
    assert.equal(attention.state, 'needs_attention');
    assert.equal(attention.lastError?.merchantMessage, 'Choose an income account for gift cards.');
    await markApplied(storage, leased[1]!.id, { quickbooksId: 'C1' });

    const blocked = await listBlocked(storage, file);
    assert.deepEqual(
      blocked.map((b) => [b.entry.key, b.blockedBy.key, b.blockedBy.rootKey, b.blockedBy.rootState]),
      [
        ['receipt:1', 'item:gift-card', 'item:gift-card', 'needs_attention'],
        ['payment:1', 'receipt:1', 'item:gift-card', 'needs_attention'],
      ],
    );
    assert.equal(blocked[1]!.blockedBy.rootError?.code, 'QB_ACCOUNT_MISSING');
    assert.equal(await hasWork(storage, file, T0), false);

    const retried = await retryEntry(storage, attention.id, { actor: 'merchant', now: at(5) });
    assert.ok(retried.ok);
    assert.equal(retried.value.state, 'pending');
    assert.equal(retried.value.attempts, 0);
    assert.equal(retried.value.lastError, null);
    assert.deepEqual(await listBlocked(storage, file), []);
    const audit = await listAudit(storage, { companyFileId: file });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor, a.subject]),
      [['outbox.retried', 'merchant', 'item:gift-card']],
    );
    assert.deepEqual(await sendAndApply(storage, file, 's2', at(5)), ['item:gift-card']);
    assert.deepEqual(await sendAndApply(storage, file, 's2', at(5)), ['receipt:1']);
  });

  test('cancelling: allowed before QuickBooks sees the request, refused in flight, blocks dependents', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(
      storage,
      [input(file, 'customer:1'), input(file, 'receipt:1', { dependencies: ['customer:1'] }), input(file, 'item:1')],
      T0,
    );
    const customer = (await getEntryByKey(storage, file, 'customer:1'))!;
    const cancelled = await cancelEntry(storage, customer.id, { actor: 'merchant', now: T0 });
    assert.ok(cancelled.ok);
    assert.equal(cancelled.value.state, 'cancelled');
    const blocked = await listBlocked(storage, file);
    assert.deepEqual(
      blocked.map((b) => [b.entry.key, b.blockedBy.state]),
      [['receipt:1', 'cancelled']],
    );
    const [item] = await lease(storage, file, 's1', { limit: 10, now: T0 });
    assert.equal(item?.key, 'item:1');
    const refused = await cancelEntry(storage, item!.id, { actor: 'merchant' });
    assert.equal(!refused.ok && refused.error.code, 'OUTBOX_ENTRY_STATE_CONFLICT');
    assert.equal((await getEntry(storage, item!.id))?.state, 'leased');
    const notAgain = await retryEntry(storage, item!.id, { actor: 'merchant' });
    assert.equal(notAgain.ok, false);
  });

  test('a leased entry can be given back unsent, or failed when its request cannot be built', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'a:1'), input(file, 'a:2'), input(file, 'a:3')], T0);
    const [a1, a2, a3] = await lease(storage, file, 's1', { limit: 3, now: T0 });
    // Only the session holding the lease can give it back.
    assert.deepEqual(await returnLeased(storage, 'someone-else', [a2!.id], T0), []);
    const returned = await returnLeased(storage, 's1', [a2!.id], T0);
    assert.deepEqual(
      returned.map((e) => [e.key, e.state, e.lease]),
      [['a:2', 'pending', null]],
    );
    const tooLong = new ConnectorError({
      code: 'QBXML_VALUE_TOO_LONG',
      message: 'Name longer than 41',
      merchantMustAct: true,
    });
    const unbuildable = await recordFailure(storage, a3!.id, tooLong, { now: T0 });
    assert.equal(unbuildable.state, 'needs_attention');
    assert.equal(unbuildable.attempts, 0);
    assert.equal((await getEntry(storage, a1!.id))?.state, 'leased');
  });

  test('ending a session returns unsent entries and marks unanswered ones unknown', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    await enqueue(storage, [input(file, 'a:1'), input(file, 'a:2'), input(file, 'a:3')], T0);
    const leased = await lease(storage, file, 's1', { limit: 3, now: T0 });
    await markSent(storage, {
      companyFileId: file,
      sessionId: 's1',
      entries: [{ entryId: leased[0]!.id, requestId: '1' }],
      now: T0,
    });
    await lease(storage, file, 'other', { limit: 5, now: T0 });
    const released = await releaseSession(storage, 's1', T0);
    assert.deepEqual(
      released.returnedToPending.map((e) => e.key),
      ['a:2', 'a:3'],
    );
    assert.deepEqual(
      released.becameUnknown.map((e) => e.key),
      ['a:1'],
    );
    assert.ok(released.returnedToPending.every((e) => e.lease === null));
  });

  test('listBlocked names every entry a cancelled one holds up, however many there are', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const [customer] = await enqueue(storage, [input(file, 'customer:ada')], T0);
    const receipts = Array.from({ length: 1_500 }, (_, i) =>
      input(file, `receipt:${i}`, { dependencies: ['customer:ada'] }),
    );
    await enqueue(storage, receipts, T0);
    assert.ok((await cancelEntry(storage, customer!.entry.id, { actor: 'merchant', now: T0 })).ok);
    const blocked = await listBlocked(storage, file);
    assert.equal(blocked.length, 1_500);
    assert.deepEqual(
      blocked.map((b) => b.entry.key),
      receipts.map((r) => r.key),
    );
    assert.ok(blocked.every((b) => b.blockedBy.rootKey === 'customer:ada' && b.blockedBy.rootState === 'cancelled'));
  });
});
