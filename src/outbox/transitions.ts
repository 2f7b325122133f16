/** The state-change primitives every outbox operation goes through. */
import type { Updateable, UpdateObject } from 'kysely';
import { type Database, type OutboxEntryRow, type TransactionScope, toDbTime } from '../storage/index.ts';
import { entryFromRow, type OutboxEntry } from './entries.ts';
import { assertTransition, type OutboxState } from './states.ts';

// ---------------------------------------------------------------------------------------------------------------
// The one place entries change state. Single-entry moves read the current state (locked on PostgreSQL) and check the
// table against it; bulk moves name their one source state and are checked before the UPDATE runs.

export async function selectForUpdate(scope: TransactionScope, entryId: number) {
  let query = scope.db.selectFrom('outbox_entries').selectAll().where('id', '=', entryId);
  if (scope.engine === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new Error(`No outbox entry ${entryId}`);
  return row;
}

export async function moveEntry(
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

export async function moveEntries(
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
export async function loseMessageSetsOf(scope: TransactionScope, entryIds: readonly number[]): Promise<void> {
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
