/** Handing entries to a Web Connector session and recording the message set they were sent in. */
import { sql } from 'kysely';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  createMessageSet,
  inTransaction,
  type MessageSet,
  type MessageSetEntry,
  type Queryable,
  toDbTime,
} from '../storage/index.ts';
import type { OutboxEntry } from './entries.ts';
import { everyDependencyApplied } from './readiness.ts';
import { releaseExpiredLeasesIn } from './releases.ts';
import { moveEntries } from './transitions.ts';

/** How long a session holds what it leased before another may take it (QBWC's own call timeout is minutes). */
export const DEFAULT_LEASE_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Session side.

export interface LeaseOptions {
  /** Most entries to hand out. */
  limit: number;
  now?: Date;
  /** Default DEFAULT_LEASE_MS. */
  leaseMs?: number;
  /**
   * False when the caller has just seen that no lease of the company file has run out and no retry is due: the
   * release sweeps are skipped (two statements fewer). One that runs out meanwhile is released by the next lease.
   */
  sweep?: boolean;
}

/**
 * Hands `sessionId` up to `limit` ready entries of the company file, moving them to `leased`: pending, due, every
 * dependency applied; highest priority first, then enqueue order. An entry is never handed to two sessions: on
 * PostgreSQL candidates are locked with FOR UPDATE SKIP LOCKED (concurrent leasers take disjoint rows); on SQLite
 * the transaction holds the database's only connection and the write lock (BEGIN IMMEDIATE), so leasers run one
 * after another. Expired leases and due retries are released first.
 */
export async function lease(
  q: Queryable,
  companyFileId: string,
  sessionId: string,
  options: LeaseOptions,
): Promise<OutboxEntry[]> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));
  if (options.limit <= 0) return [];
  const own = !q.db.isTransaction;
  return inTransaction(q, async (scope) => {
    // A lease of its own does not wait for the disk on PostgreSQL: lost in a crash, its entries are simply pending
    // again, and none of them can have been sent — markSent's commit, which does wait, is what lets qbXML leave,
    // and it writes out everything committed before it. The wait is most of a lease's time on a busy disk.
    if (own && scope.engine === 'postgres') await sql`set local synchronous_commit = off`.execute(scope.db);
    if (options.sweep ?? true) {
      await releaseExpiredLeasesIn(scope, companyFileId, now);
      await moveEntries(scope, 'retry_wait', 'pending', { companyFileId, dueBy: now }, {}, now);
    }
    let candidates = scope.db
      .selectFrom('outbox_entries as entry')
      .select('entry.id')
      .where('entry.company_file_id', '=', companyFileId)
      .where('entry.state', '=', 'pending')
      .where('entry.next_attempt_at', '<=', toDbTime(now))
      .where(everyDependencyApplied)
      .orderBy('entry.priority', 'desc')
      .orderBy('entry.id', 'asc')
      .limit(options.limit);
    if (scope.engine === 'postgres') candidates = candidates.forUpdate().skipLocked();
    const ids = (await candidates.execute()).map((row) => row.id);
    const leased = await moveEntries(
      scope,
      'pending',
      'leased',
      { ids },
      { lease_session_id: sessionId, lease_expires_at: toDbTime(expiresAt) },
      now,
    );
    // Back in the order the session should send them.
    const position = new Map(ids.map((id, index) => [id, index]));
    return leased.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  });
}

export interface MarkSentInput {
  companyFileId: string;
  sessionId: string;
  /** The id sent as newMessageSetID (default: a new UUID). */
  messageSetId?: string;
  /** The qbXML text, when worth keeping for support. */
  requestXml?: string | null;
  /** The leased entries in the message set, each with the requestID it carries. */
  entries: readonly MessageSetEntry[];
  now?: Date;
  /** How long the session has to bring the response back (default DEFAULT_LEASE_MS). */
  leaseMs?: number;
}

/**
 * Records that the leased entries went to QuickBooks in one message set: they move to `sent` (attempts + 1) and
 * the message set is stored, in one transaction. Call it before returning the qbXML from sendRequestXML. When
 * any entry is no longer leased by this session (its lease expired and another session took it) nothing is
 * recorded and the answer is `OUTBOX_LEASE_LOST`: do not send.
 */
export async function markSent(q: Queryable, input: MarkSentInput): Promise<Result<MessageSet>> {
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (input.leaseMs ?? DEFAULT_LEASE_MS));
  const ids = input.entries.map((e) => e.entryId);
  if (ids.length === 0) throw new Error('markSent: a message set needs at least one entry');
  if (new Set(ids).size !== ids.length) throw new Error('markSent: an entry appears twice in one message set');
  const outcome = await inTransaction(q, async (scope): Promise<Result<MessageSet>> => {
    const moved = await moveEntries(
      scope,
      'leased',
      'sent',
      { ids, companyFileId: input.companyFileId, sessionId: input.sessionId },
      { attempts: sql<number>`attempts + 1`, lease_expires_at: toDbTime(expiresAt) },
      now,
    );
    if (moved.length !== ids.length) {
      const missing = ids.filter((id) => !moved.some((row) => row.id === id));
      throw new LeaseLost(missing);
    }
    const messageSet = await createMessageSet(
      scope,
      {
        ...(input.messageSetId === undefined ? {} : { id: input.messageSetId }),
        companyFileId: input.companyFileId,
        sessionId: input.sessionId,
        requestXml: input.requestXml ?? null,
        entries: input.entries,
      },
      now,
    );
    return ok(messageSet);
  }).catch((error: unknown) => {
    if (!(error instanceof LeaseLost)) throw error;
    return err(
      new ConnectorError({
        code: 'OUTBOX_LEASE_LOST',
        message: `Session ${input.sessionId} no longer holds outbox entries ${error.entryIds.join(', ')}`,
        merchantMessage:
          'The connection to QuickBooks took too long and the work was handed to a newer connection. Nothing was sent twice.',
        retryable: true,
        details: { entryIds: error.entryIds },
      }),
    );
  });
  return outcome;
}

// Thrown inside the transaction so it rolls back, caught outside and turned into a Result.
class LeaseLost extends Error {
  readonly entryIds: number[];
  constructor(entryIds: number[]) {
    super('lease lost');
    this.entryIds = entryIds;
  }
}
