import { sql, type Updateable, type UpdateObject } from 'kysely';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  type AuditActor,
  appendAudit,
  createMessageSet,
  type Database,
  inTransaction,
  type MessageSet,
  type MessageSetEntry,
  type OutboxEntryRow,
  type Queryable,
  type TransactionScope,
  toDbJson,
  toDbTime,
} from '../storage/index.ts';
import { entryFromRow, type OutboxEntry, type OutboxRequest, type OutboxSource } from './entries.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
import { assertTransition, BLOCKING_STATES, type OutboxState } from './states.ts';

/** How long a session holds what it leased before another may take it (QBWC's own call timeout is minutes). */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export interface EnqueueInput {
  companyFileId: string;
  key: string;
  kind: string;
  request: OutboxRequest;
  dependencies?: readonly string[];
  priority?: number;
  source?: OutboxSource | null;
  syncRunId?: string | null;
  /** Not before this time (default: now). */
  notBefore?: Date;
}

export interface Enqueued {
  entry: OutboxEntry;
  /** False when an entry with this key already existed: it is returned unchanged. */
  created: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The one place entries change state. Single-entry moves read the current state (locked on PostgreSQL) and check the
// table against it; bulk moves name their one source state and are checked before the UPDATE runs.

async function selectForUpdate(scope: TransactionScope, entryId: number) {
  let query = scope.db.selectFrom('outbox_entries').selectAll().where('id', '=', entryId);
  if (scope.engine === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new Error(`No outbox entry ${entryId}`);
  return row;
}

async function moveEntry(
  scope: TransactionScope,
  entryId: number,
  to: OutboxState,
  changes: Updateable<OutboxEntryRow>,
  now: Date,
): Promise<OutboxEntry> {
  const row = await selectForUpdate(scope, entryId);
  assertTransition(row.state as OutboxState, to, `entry ${entryId} (${row.key})`);
  const updated = await scope.db
    .updateTable('outbox_entries')
    .set({ ...changes, state: to, updated_at: toDbTime(now) })
    .where('id', '=', entryId)
    .where('state', '=', row.state)
    .returningAll()
    .executeTakeFirstOrThrow();
  return entryFromRow(updated);
}

interface BulkFilter {
  companyFileId?: string;
  ids?: readonly number[];
  sessionId?: string;
  leaseExpiredBy?: Date;
  dueBy?: Date;
}

async function moveEntries(
  scope: TransactionScope,
  from: OutboxState,
  to: OutboxState,
  filter: BulkFilter,
  changes: UpdateObject<Database, 'outbox_entries'>,
  now: Date,
): Promise<OutboxEntry[]> {
  assertTransition(from, to);
  if (filter.ids?.length === 0) return [];
  const postgres = scope.engine === 'postgres';
  const rows = await scope.db
    .updateTable('outbox_entries')
    .set({ ...changes, state: to, updated_at: toDbTime(now) })
    .where('id', 'in', (eb) => {
      let ids = eb.selectFrom('outbox_entries').select('id').where('state', '=', from);
      if (filter.companyFileId !== undefined) ids = ids.where('company_file_id', '=', filter.companyFileId);
      if (filter.ids !== undefined) ids = ids.where('id', 'in', [...filter.ids]);
      if (filter.sessionId !== undefined) ids = ids.where('lease_session_id', '=', filter.sessionId);
      if (filter.leaseExpiredBy !== undefined) {
        ids = ids.where('lease_expires_at', '<=', toDbTime(filter.leaseExpiredBy));
      }
      if (filter.dueBy !== undefined) ids = ids.where('next_attempt_at', '<=', toDbTime(filter.dueBy));
      // A sweep (no ids, no session: expired leases, due retries) leaves rows another instance has locked to it.
      // Moves of named rows wait for the lock instead: a concurrent leaser's FOR UPDATE can hold rows it then
      // rejects on re-check until its transaction ends, and skipping them would wrongly report a lost lease.
      const sweep = filter.ids === undefined && filter.sessionId === undefined;
      return postgres && sweep ? ids.forUpdate().skipLocked() : ids;
    })
    .where('state', '=', from)
    .returningAll()
    .execute();
  return rows.map(entryFromRow).sort((a, b) => a.id - b.id);
}

/** Marks `sent` message sets containing these entries `lost`: their response will never come on this session. */
async function loseMessageSetsOf(scope: TransactionScope, entryIds: readonly number[]): Promise<void> {
  if (entryIds.length === 0) return;
  await scope.db
    .updateTable('message_sets')
    .set({ state: 'lost' })
    .where('state', '=', 'sent')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('message_set_entries')
        .select('message_set_id')
        .where('entry_id', 'in', [...entryIds]),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Planning side.

/**
 * Adds entries; a key already queued for the company file adds nothing and returns the existing entry (whatever its
 * state), so re-planning the same source is harmless. All inputs are added in one transaction.
 */
export async function enqueue(q: Queryable, inputs: readonly EnqueueInput[], now = new Date()): Promise<Enqueued[]> {
  return inTransaction(q, async (scope) => {
    const results: Enqueued[] = [];
    for (const input of inputs) {
      const dependencies = [...new Set(input.dependencies ?? [])];
      if (dependencies.includes(input.key)) throw new Error(`Outbox entry ${input.key} depends on itself`);
      const inserted = await scope.db
        .insertInto('outbox_entries')
        .values({
          company_file_id: input.companyFileId,
          key: input.key,
          kind: input.kind,
          request_type: input.request.type,
          request_body: toDbJson(input.request.body),
          dependency_keys: toDbJson(dependencies),
          priority: input.priority ?? 0,
          state: 'pending',
          attempts: 0,
          next_attempt_at: toDbTime(input.notBefore ?? now),
          lease_session_id: null,
          lease_expires_at: null,
          last_error: null,
          quickbooks_id: null,
          source_kind: input.source?.kind ?? null,
          source_id: input.source?.id ?? null,
          sync_run_id: input.syncRunId ?? null,
          created_at: toDbTime(now),
          updated_at: toDbTime(now),
          applied_at: null,
        })
        .onConflict((conflict) => conflict.columns(['company_file_id', 'key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        if (dependencies.length > 0) {
          await scope.db
            .insertInto('outbox_dependencies')
            .values(
              dependencies.map((key) => ({
                entry_id: inserted.id,
                company_file_id: input.companyFileId,
                depends_on_key: key,
              })),
            )
            .execute();
        }
        results.push({ entry: entryFromRow(inserted), created: true });
      } else {
        const existing = await scope.db
          .selectFrom('outbox_entries')
          .selectAll()
          .where('company_file_id', '=', input.companyFileId)
          .where('key', '=', input.key)
          .executeTakeFirstOrThrow();
        results.push({ entry: entryFromRow(existing), created: false });
      }
    }
    return results;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Session side.

export interface LeaseOptions {
  /** Most entries to hand out. */
  limit: number;
  now?: Date;
  /** Default DEFAULT_LEASE_MS. */
  leaseMs?: number;
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
  return inTransaction(q, async (scope) => {
    await releaseExpiredLeasesIn(scope, companyFileId, now);
    await moveEntries(scope, 'retry_wait', 'pending', { companyFileId, dueBy: now }, {}, now);
    let candidates = scope.db
      .selectFrom('outbox_entries as entry')
      .select('entry.id')
      .where('entry.company_file_id', '=', companyFileId)
      .where('entry.state', '=', 'pending')
      .where('entry.next_attempt_at', '<=', toDbTime(now))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox_dependencies as dependency')
              .select('dependency.entry_id')
              .whereRef('dependency.entry_id', '=', 'entry.id')
              .where(({ not, exists, selectFrom }) =>
                not(
                  exists(
                    selectFrom('outbox_entries as prerequisite')
                      .select('prerequisite.id')
                      .whereRef('prerequisite.company_file_id', '=', 'dependency.company_file_id')
                      .whereRef('prerequisite.key', '=', 'dependency.depends_on_key')
                      .where('prerequisite.state', '=', 'applied'),
                  ),
                ),
              ),
          ),
        ),
      )
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

/** Gives back leased entries the session decided not to send after all (a smaller message set): → `pending`. */
export function returnLeased(
  q: Queryable,
  sessionId: string,
  entryIds: readonly number[],
  now = new Date(),
): Promise<OutboxEntry[]> {
  return inTransaction(q, (scope) =>
    moveEntries(
      scope,
      'leased',
      'pending',
      { sessionId, ids: entryIds },
      { lease_session_id: null, lease_expires_at: null },
      now,
    ),
  );
}

export interface Released {
  /** Leased but never sent: back to pending. */
  returnedToPending: OutboxEntry[];
  /** Sent with no response: now unknown. */
  becameUnknown: OutboxEntry[];
}

/**
 * The session ended (closeConnection, connectionError, expiry): what it leased but did not send goes back to
 * `pending`; what it sent without a response becomes `unknown`.
 */
export function releaseSession(q: Queryable, sessionId: string, now = new Date()): Promise<Released> {
  return inTransaction(q, async (scope) => {
    const returnedToPending = await moveEntries(
      scope,
      'leased',
      'pending',
      { sessionId },
      { lease_session_id: null, lease_expires_at: null },
      now,
    );
    const becameUnknown = await moveEntries(
      scope,
      'sent',
      'unknown',
      { sessionId },
      { lease_session_id: null, lease_expires_at: null },
      now,
    );
    await loseMessageSetsOf(
      scope,
      becameUnknown.map((e) => e.id),
    );
    return { returnedToPending, becameUnknown };
  });
}

async function releaseExpiredLeasesIn(scope: TransactionScope, companyFileId: string, now: Date): Promise<Released> {
  const filter = { companyFileId, leaseExpiredBy: now };
  const cleared = { lease_session_id: null, lease_expires_at: null };
  const returnedToPending = await moveEntries(scope, 'leased', 'pending', filter, cleared, now);
  const becameUnknown = await moveEntries(scope, 'sent', 'unknown', filter, cleared, now);
  await loseMessageSetsOf(
    scope,
    becameUnknown.map((e) => e.id),
  );
  return { returnedToPending, becameUnknown };
}

/** Leases that ran out (a session that vanished): leased → pending, sent → unknown. `lease` does this first anyway. */
export function releaseExpiredLeases(q: Queryable, companyFileId: string, now = new Date()): Promise<Released> {
  return inTransaction(q, (scope) => releaseExpiredLeasesIn(scope, companyFileId, now));
}

// ---------------------------------------------------------------------------------------------------------------
// Merchant and support actions: a state that does not allow them is an expected answer, not a bug.

export interface ManualAction {
  actor: AuditActor;
  now?: Date;
  /** For the audit log. */
  shopId?: string | null;
}

/** Try again after a fix: `failed`, `needs_attention` or `cancelled` → `pending`, with the attempt count reset. */
export function retryEntry(q: Queryable, entryId: number, action: ManualAction): Promise<Result<OutboxEntry>> {
  return manual(q, entryId, 'pending', ['failed', 'needs_attention', 'cancelled'], action, 'outbox.retried', {
    attempts: 0,
    next_attempt_at: toDbTime(action.now ?? new Date()),
    last_error: null,
  });
}

/** Stop an entry that has not reached QuickBooks. Entries in flight (`leased`, `sent`, `unknown`) cannot be. */
export function cancelEntry(q: Queryable, entryId: number, action: ManualAction): Promise<Result<OutboxEntry>> {
  return manual(
    q,
    entryId,
    'cancelled',
    ['pending', 'failed', 'retry_wait', 'needs_attention'],
    action,
    'outbox.cancelled',
    {},
  );
}

async function manual(
  q: Queryable,
  entryId: number,
  to: OutboxState,
  allowed: readonly OutboxState[],
  action: ManualAction,
  auditAction: string,
  changes: Updateable<OutboxEntryRow>,
): Promise<Result<OutboxEntry>> {
  const now = action.now ?? new Date();
  return inTransaction(q, async (scope) => {
    const row = await selectForUpdate(scope, entryId);
    const state = row.state as OutboxState;
    if (!allowed.includes(state)) {
      return err(
        new ConnectorError({
          code: 'OUTBOX_ENTRY_STATE_CONFLICT',
          message: `Cannot move outbox entry ${entryId} (${row.key}) from ${state} to ${to}`,
          merchantMessage:
            state === 'applied'
              ? 'This item is already in QuickBooks.'
              : state === 'leased' || state === 'sent' || state === 'unknown'
                ? 'This item is on its way to QuickBooks right now; wait for the Web Connector to finish, then try again.'
                : 'This item cannot be changed in its current state.',
          details: { entryId, state, requested: to },
        }),
      );
    }
    const entry = await moveEntry(scope, entryId, to, changes, now);
    await appendAudit(
      scope,
      {
        shopId: action.shopId ?? null,
        companyFileId: entry.companyFileId,
        actor: action.actor,
        action: auditAction,
        subject: entry.key,
        details: { entryId, from: state, to },
      },
      now,
    );
    return ok(entry);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading.

export async function getEntry(q: Queryable, entryId: number): Promise<OutboxEntry | null> {
  const row = await q.db.selectFrom('outbox_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  return row ? entryFromRow(row) : null;
}

export async function getEntryByKey(q: Queryable, companyFileId: string, key: string): Promise<OutboxEntry | null> {
  const row = await q.db
    .selectFrom('outbox_entries')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? entryFromRow(row) : null;
}

export interface EntryFilter {
  states?: readonly OutboxState[];
  syncRunId?: string;
  sessionId?: string;
  kind?: string;
  limit?: number;
  /** Entries with a greater id (paging). */
  afterId?: number;
}

/** Entries of a company file in enqueue order. */
export async function listEntries(
  q: Queryable,
  companyFileId: string,
  filter: EntryFilter = {},
): Promise<OutboxEntry[]> {
  let query = q.db.selectFrom('outbox_entries').selectAll().where('company_file_id', '=', companyFileId);
  if (filter.states !== undefined) {
    if (filter.states.length === 0) return [];
    query = query.where('state', 'in', [...filter.states]);
  }
  if (filter.syncRunId !== undefined) query = query.where('sync_run_id', '=', filter.syncRunId);
  if (filter.sessionId !== undefined) query = query.where('lease_session_id', '=', filter.sessionId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.orderBy('id').execute();
  return rows.map(entryFromRow);
}

export interface BlockedEntry {
  entry: OutboxEntry;
  /** The direct dependency in the way, and the entry at the root of the chain that needs someone to act. */
  blockedBy: {
    key: string;
    state: OutboxState;
    rootKey: string;
    rootState: OutboxState;
    rootError: ConnectorError | null;
  };
}

/**
 * Entries that cannot become ready until someone acts, because a dependency (directly or through a chain) is
 * `failed`, `needs_attention` or `cancelled`, each naming the dependency in the way and the root cause.
 */
export async function listBlocked(q: Queryable, companyFileId: string): Promise<BlockedEntry[]> {
  const waiting = await q.db
    .selectFrom('outbox_dependencies as dependency')
    .innerJoin('outbox_entries as entry', 'entry.id', 'dependency.entry_id')
    .innerJoin('outbox_entries as prerequisite', (join) =>
      join
        .onRef('prerequisite.company_file_id', '=', 'dependency.company_file_id')
        .onRef('prerequisite.key', '=', 'dependency.depends_on_key'),
    )
    .select([
      'entry.key as entryKey',
      'prerequisite.key as prerequisiteKey',
      'prerequisite.state as prerequisiteState',
      'prerequisite.last_error as prerequisiteError',
    ])
    .where('dependency.company_file_id', '=', companyFileId)
    .where('entry.state', 'in', ['pending', 'retry_wait'])
    .where('prerequisite.state', '!=', 'applied')
    .orderBy('entry.id')
    .orderBy('dependency.depends_on_key')
    .execute();
  // Follow chains: an entry whose prerequisite is itself blocked is blocked by the same root.
  const roots = new Map<string, { rootKey: string; rootState: OutboxState; rootError: string | null }>();
  const direct = new Map<string, { key: string; state: OutboxState }>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const row of waiting) {
      if (roots.has(row.entryKey)) continue;
      const state = row.prerequisiteState as OutboxState;
      const root = BLOCKING_STATES.includes(state)
        ? { rootKey: row.prerequisiteKey, rootState: state, rootError: row.prerequisiteError }
        : roots.get(row.prerequisiteKey);
      if (root) {
        roots.set(row.entryKey, root);
        direct.set(row.entryKey, { key: row.prerequisiteKey, state });
        changed = true;
      }
    }
  }
  if (roots.size === 0) return [];
  const entries = await q.db
    .selectFrom('outbox_entries')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('key', 'in', [...roots.keys()])
    .orderBy('id')
    .execute();
  return entries.map((row) => {
    const root = roots.get(row.key)!;
    return {
      entry: entryFromRow(row),
      blockedBy: {
        ...direct.get(row.key)!,
        rootKey: root.rootKey,
        rootState: root.rootState,
        rootError: root.rootError === null ? null : ConnectorError.fromJSON(JSON.parse(root.rootError)),
      },
    };
  });
}

export interface OutboxProgress {
  byState: Record<OutboxState, number>;
  /** Everything planned that was not cancelled. */
  planned: number;
  /** Handed to a session and not yet answered: leased, sent, unknown. */
  inFlight: number;
  applied: number;
  /** Failed for good (a defect or attempts exhausted) plus those waiting to retry. */
  failed: number;
  needsAttention: number;
  cancelled: number;
  /** Not yet settled: pending, retry_wait and in flight. */
  remaining: number;
}

/** Counts per state for a company file, or only the entries one sync run planned. */
export async function progress(
  q: Queryable,
  companyFileId: string,
  filter: { syncRunId?: string } = {},
): Promise<OutboxProgress> {
  let query = q.db
    .selectFrom('outbox_entries')
    .select(['state', (eb) => eb.fn.countAll().as('count')])
    .where('company_file_id', '=', companyFileId);
  if (filter.syncRunId !== undefined) query = query.where('sync_run_id', '=', filter.syncRunId);
  const rows = await query.groupBy('state').execute();
  const byState: Record<OutboxState, number> = {
    pending: 0,
    leased: 0,
    sent: 0,
    unknown: 0,
    applied: 0,
    failed: 0,
    retry_wait: 0,
    needs_attention: 0,
    cancelled: 0,
  };
  // PostgreSQL returns count(*) as a bigint string.
  for (const row of rows) byState[row.state as OutboxState] = Number(row.count);
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const inFlight = byState.leased + byState.sent + byState.unknown;
  return {
    byState,
    planned: total - byState.cancelled,
    inFlight,
    applied: byState.applied,
    failed: byState.failed + byState.retry_wait,
    needsAttention: byState.needs_attention,
    cancelled: byState.cancelled,
    remaining: byState.pending + byState.retry_wait + inFlight,
  };
}

/**
 * Whether a session would have something to do now: an entry ready to lease (or a due retry, or an expired
 * lease), or an `unknown` entry to resolve. Authenticate answers `none` when this is false.
 */
export async function hasWork(q: Queryable, companyFileId: string, now = new Date()): Promise<boolean> {
  const at = toDbTime(now);
  const row = await q.db
    .selectFrom('outbox_entries as entry')
    .select('entry.id')
    .where('entry.company_file_id', '=', companyFileId)
    .where((eb) =>
      eb.or([
        eb('entry.state', '=', 'unknown'),
        eb.and([eb('entry.state', 'in', ['leased', 'sent']), eb('entry.lease_expires_at', '<=', at)]),
        eb.and([
          eb('entry.state', 'in', ['pending', 'retry_wait']),
          eb('entry.next_attempt_at', '<=', at),
          eb.not(
            eb.exists(
              eb
                .selectFrom('outbox_dependencies as dependency')
                .select('dependency.entry_id')
                .whereRef('dependency.entry_id', '=', 'entry.id')
                .where(({ not, exists, selectFrom }) =>
                  not(
                    exists(
                      selectFrom('outbox_entries as prerequisite')
                        .select('prerequisite.id')
                        .whereRef('prerequisite.company_file_id', '=', 'dependency.company_file_id')
                        .whereRef('prerequisite.key', '=', 'dependency.depends_on_key')
                        .where('prerequisite.state', '=', 'applied'),
                    ),
                  ),
                ),
            ),
          ),
        ]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
