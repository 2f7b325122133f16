/** Reading the outbox: entries, what is blocked, progress, whether there is work. */
import { ConnectorError } from '../errors/index.ts';
import { type Queryable, toDbTime } from '../storage/index.ts';
import { entryFromRow, type OutboxEntry } from './entries.ts';
import { everyDependencyApplied } from './readiness.ts';
import { BLOCKING_STATES, type OutboxState } from './states.ts';

// ---------------------------------------------------------------------------------------------------------------
// Reading.

export async function getEntry(q: Queryable, entryId: number): Promise<OutboxEntry | null> {
  const row = await q.db.selectFrom('outbox_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  return row ? entryFromRow(row) : null;
}

/** Several entries at once (a message set's), by id; those that do not exist are missing from the map. */
export async function getEntries(q: Queryable, entryIds: readonly number[]): Promise<Map<number, OutboxEntry>> {
  const found = new Map<number, OutboxEntry>();
  if (entryIds.length === 0) return found;
  const rows = await q.db
    .selectFrom('outbox_entries')
    .selectAll()
    .where('id', 'in', [...new Set(entryIds)])
    .execute();
  for (const row of rows) found.set(row.id, entryFromRow(row));
  return found;
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

const KEYS_PER_QUERY = 1000;

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
  // In slices: a long outage can block more entries than either engine takes bound parameters in one statement.
  const keys = [...roots.keys()];
  const entries = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    entries.push(
      ...(await q.db
        .selectFrom('outbox_entries')
        .selectAll()
        .where('company_file_id', '=', companyFileId)
        .where('key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
        .execute()),
    );
  }
  entries.sort((a, b) => a.id - b.id);
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
  // One question per kind of work, each answered from the (company file, state) index and stopping at the first
  // row: an OR of all three cannot use the index and read the whole queue.
  const entries = () =>
    q.db.selectFrom('outbox_entries as entry').select('entry.id').where('entry.company_file_id', '=', companyFileId);
  const questions = [
    entries()
      .where('entry.state', 'in', ['pending', 'retry_wait'])
      .where('entry.next_attempt_at', '<=', at)
      .where(everyDependencyApplied),
    entries().where('entry.state', '=', 'unknown'),
    entries().where('entry.state', 'in', ['leased', 'sent']).where('entry.lease_expires_at', '<=', at),
  ];
  for (const question of questions) {
    if ((await question.limit(1).executeTakeFirst()) !== undefined) return true;
  }
  return false;
}

/**
 * Adds recorded as applied with no ListID or TxnID (an "OK" without its record, accepted by an older version):
 * nothing proves such a record is in QuickBooks exactly once. DataExt adds have no id of their own.
 */
export async function listAppliedWithoutId(q: Queryable, companyFileId: string): Promise<OutboxEntry[]> {
  const rows = await q.db
    .selectFrom('outbox_entries')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'applied')
    .where('quickbooks_id', 'is', null)
    .where('request_type', 'like', '%Add')
    .where('request_type', 'not in', ['DataExtAdd', 'DataExtDefAdd'])
    .orderBy('id')
    .execute();
  return rows.map(entryFromRow);
}
