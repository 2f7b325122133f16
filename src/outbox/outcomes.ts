/** What came back from QuickBooks for sent entries: applied, refused, or unknown. */
import { sql } from 'kysely';
import type { ConnectorError } from '../errors/index.ts';
import { inTransaction, type Queryable, toDbJson, toDbTime } from '../storage/index.ts';
import type { OutboxEntry, OutboxRequest } from './entries.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
import { assertTransition } from './states.ts';
import { loseMessageSetsOf, moveEntries, moveEntry } from './transitions.ts';

/** QuickBooks applied the request: record its ListID/TxnID. Legal from `sent` or `unknown`. */
export function markApplied(
  q: Queryable,
  entryId: number,
  result: { quickbooksId: string | null; now?: Date },
): Promise<OutboxEntry> {
  const now = result.now ?? new Date();
  return inTransaction(q, (scope) =>
    moveEntry(
      scope,
      entryId,
      'applied',
      {
        quickbooks_id: result.quickbooksId,
        applied_at: toDbTime(now),
        lease_session_id: null,
        lease_expires_at: null,
        last_error: null,
      },
      now,
    ),
  );
}

/**
 * markApplied for every entry QuickBooks applied in one message set, in one UPDATE rather than a read and a write
 * each: a million-entry queue answers 25 documents per message set, and each statement is a round trip the other
 * shops wait behind. Legal from `sent` or `unknown`; an entry in any other state (or gone) throws, which rolls back
 * the caller's transaction, as markApplied's check would.
 */
export async function markAppliedMany(
  q: Queryable,
  results: readonly { entryId: number; quickbooksId: string | null }[],
  now = new Date(),
): Promise<void> {
  if (results.length === 0) return;
  const from = ['sent', 'unknown'] as const;
  for (const state of from) assertTransition(state, 'applied');
  const ids = results.map((r) => r.entryId);
  if (new Set(ids).size !== ids.length) throw new Error('markAppliedMany: an entry appears twice');
  const at = toDbTime(now);
  const quickbooksId = sql<string | null>`case id ${sql.join(
    results.map((r) => sql`when ${r.entryId} then ${r.quickbooksId}`),
    sql` `,
  )} end`;
  const moved = await q.db
    .updateTable('outbox_entries')
    .set({
      state: 'applied',
      quickbooks_id: quickbooksId,
      applied_at: at,
      lease_session_id: null,
      lease_expires_at: null,
      last_error: null,
      updated_at: at,
    })
    .where('id', 'in', ids)
    .where('state', 'in', [...from])
    .returning('id')
    .execute();
  if (moved.length !== ids.length) {
    const done = new Set(moved.map((row) => row.id));
    throw new Error(`Outbox entries ${ids.filter((id) => !done.has(id)).join(', ')} cannot become applied`);
  }
}

export interface FailureOptions {
  now?: Date;
  policy?: RetryPolicy;
  /** Retry after this long instead of the policy's backoff (e.g. 0 after re-querying an EditSequence on 3200). */
  retryAfterMs?: number;
  /** A corrected request to send next time (a fresh EditSequence, a disambiguated name). */
  request?: OutboxRequest;
  random?: () => number;
}

/**
 * QuickBooks refused the request (from `sent` or `unknown`), or it could not even be built (from `leased`: nothing
 * was sent). The entry goes to `failed`, then on:
 * - `needs_attention` when the merchant must act (error.merchantMustAct);
 * - `retry_wait` when the error is retryable and attempts remain (backoff from the policy, or `retryAfterMs`);
 * - otherwise it stays `failed` (a defect, or attempts exhausted), shown with its error.
 */
export function recordFailure(
  q: Queryable,
  entryId: number,
  error: ConnectorError,
  options: FailureOptions = {},
): Promise<OutboxEntry> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  return inTransaction(q, async (scope) => {
    const failed = await moveEntry(
      scope,
      entryId,
      'failed',
      {
        last_error: toDbJson(error.toJSON()),
        lease_session_id: null,
        lease_expires_at: null,
        ...(options.request === undefined
          ? {}
          : { request_type: options.request.type, request_body: toDbJson(options.request.body) }),
      },
      now,
    );
    if (error.merchantMustAct) return moveEntry(scope, entryId, 'needs_attention', {}, now);
    if (error.retryable && failed.attempts < policy.maxAttempts) {
      const delay = options.retryAfterMs ?? retryDelayMs(Math.max(1, failed.attempts), policy, options.random);
      return moveEntry(
        scope,
        entryId,
        'retry_wait',
        { next_attempt_at: toDbTime(new Date(now.getTime() + delay)) },
        now,
      );
    }
    return failed;
  });
}

/**
 * The response to these sent entries was lost (connectionError, a dropped HTTP call): they become `unknown` and
 * their message set `lost`, to be resolved from QuickBooks (error recovery or a query) before anything is re-sent.
 */
export function markUnknown(q: Queryable, entryIds: readonly number[], now = new Date()): Promise<OutboxEntry[]> {
  return inTransaction(q, async (scope) => {
    const moved = await moveEntries(
      scope,
      'sent',
      'unknown',
      { ids: entryIds },
      { lease_session_id: null, lease_expires_at: null },
      now,
    );
    await loseMessageSetsOf(
      scope,
      moved.map((e) => e.id),
    );
    return moved;
  });
}

/** QuickBooks confirmed an `unknown` entry was never applied (its identity is not found): it may be sent again. */
export function markNotApplied(q: Queryable, entryId: number, now = new Date()): Promise<OutboxEntry> {
  return inTransaction(q, (scope) =>
    moveEntry(scope, entryId, 'pending', { next_attempt_at: toDbTime(now), lease_session_id: null }, now),
  );
}
