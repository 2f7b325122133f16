import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectorError } from '../errors/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import {
  createCompanyFile,
  createShop,
  getMessageSet,
  listAudit,
  listUnansweredMessageSets,
  type Storage,
} from '../storage/index.ts';
import {
  cancelEntry,
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
  releaseSession,
  retryEntry,
  returnLeased,
} from './index.ts';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

async function companyFile(storage: Storage, name = 'corner-store'): Promise<string> {
  const shop = await createShop(storage, {
    domain: `${name}.myshopify.com`,
    name,
    currency: 'USD',
    timeZone: 'America/New_York',
  });
  assert.ok(shop.ok);
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: name,
    appTokenHash: 'scrypt$x$y',
    ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
    fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
  });
  assert.ok(file.ok);
  return file.value.id;
}

function input(companyFileId: string, key: string, extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return {
    companyFileId,
    key,
    kind: key.split(':')[0]!,
    request: { type: 'CustomerAdd', body: { Name: key, ExternalGUID: '{X}' } },
    ...extra,
  };
}

const locked = new ConnectorError({
  code: 'QB_RECORD_IN_USE',
  message: 'status 3175',
  retryable: true,
  qbStatusCode: 3175,
});
const mustAct = new ConnectorError({
  code: 'QB_ACCOUNT_MISSING',
  message: 'status 3140',
  merchantMessage: 'Choose an income account for gift cards.',
  merchantMustAct: true,
  qbStatusCode: 3140,
});

/** Lease everything ready, send it, and apply it (a session that works). */
async function sendAndApply(storage: Storage, file: string, session: string, now: Date): Promise<string[]> {
  const leased = await lease(storage, file, session, { limit: 100, now });
  if (leased.length === 0) return [];
  const sent = await markSent(storage, {
    companyFileId: file,
    sessionId: session,
    entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i) })),
    now,
  });
  assert.ok(sent.ok);
  for (const entry of leased) await markApplied(storage, entry.id, { quickbooksId: `ID-${entry.id}`, now });
  return leased.map((e) => e.key);
}

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
