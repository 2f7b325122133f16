/** Adding entries to the outbox (the planning side). */
import { inTransaction, type Queryable, type TransactionScope, toDbJson, toDbTime } from '../storage/index.ts';
import { entryFromRow, type OutboxEntry, type OutboxRequest, type OutboxSource } from './entries.ts';

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
// Planning side.

/**
 * Rows per INSERT: a multi-row insert is one round trip instead of one per entry (a sync run adds thousands), and 200
 * rows of 20 columns stay far below either engine's limit on bound parameters.
 */
const ROWS_PER_INSERT = 200;

/**
 * Adds entries; a key already queued for the company file adds nothing and returns the existing entry (whatever its
 * state), so re-planning the same source is harmless. All inputs are added in one transaction, in input order (ids
 * follow it, and with them the order equal priorities are sent in).
 */
export async function enqueue(q: Queryable, inputs: readonly EnqueueInput[], now = new Date()): Promise<Enqueued[]> {
  const prepared = inputs.map((input) => {
    const dependencies = [...new Set(input.dependencies ?? [])];
    if (dependencies.includes(input.key)) throw new Error(`Outbox entry ${input.key} depends on itself`);
    return { input, dependencies };
  });
  return inTransaction(q, async (scope) => {
    const results: Enqueued[] = [];
    for (let start = 0; start < prepared.length; start += ROWS_PER_INSERT) {
      results.push(...(await enqueueChunk(scope, prepared.slice(start, start + ROWS_PER_INSERT), now)));
    }
    return results;
  });
}

async function enqueueChunk(
  scope: TransactionScope,
  chunk: readonly { input: EnqueueInput; dependencies: string[] }[],
  now: Date,
): Promise<Enqueued[]> {
  const inserted = await scope.db
    .insertInto('outbox_entries')
    .values(
      chunk.map(({ input, dependencies }) => ({
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
      })),
    )
    .onConflict((conflict) => conflict.columns(['company_file_id', 'key']).doNothing())
    .returningAll()
    .execute();
  const slot = (companyFileId: string, key: string) => `${companyFileId}\u0000${key}`;
  const created = new Map(inserted.map((row) => [slot(row.company_file_id, row.key), row]));
  // A key given twice in one call is added once, by its first input; the later ones get that entry, not created.
  const firsts = new Set<number>();
  const seen = new Set<string>();
  chunk.forEach(({ input }, index) => {
    const at = slot(input.companyFileId, input.key);
    if (created.has(at) && !seen.has(at)) firsts.add(index);
    seen.add(at);
  });
  const dependencyRows = chunk.flatMap(({ input, dependencies }, index) => {
    const row = created.get(slot(input.companyFileId, input.key));
    if (row === undefined || !firsts.has(index)) return [];
    return dependencies.map((key) => ({ entry_id: row.id, company_file_id: input.companyFileId, depends_on_key: key }));
  });
  for (let start = 0; start < dependencyRows.length; start += ROWS_PER_INSERT) {
    await scope.db
      .insertInto('outbox_dependencies')
      .values(dependencyRows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
  // Keys queued before this call: the entry as it is now, whatever its state.
  const existing = new Map(created);
  const absent = chunk.map(({ input }) => input).filter((input) => !created.has(slot(input.companyFileId, input.key)));
  for (const companyFileId of new Set(absent.map((input) => input.companyFileId))) {
    const keys = absent.filter((input) => input.companyFileId === companyFileId).map((input) => input.key);
    const rows = await scope.db
      .selectFrom('outbox_entries')
      .selectAll()
      .where('company_file_id', '=', companyFileId)
      .where('key', 'in', [...new Set(keys)])
      .execute();
    for (const row of rows) existing.set(slot(row.company_file_id, row.key), row);
  }
  return chunk.map(({ input }, index) => {
    const row = existing.get(slot(input.companyFileId, input.key));
    if (row === undefined) throw new Error(`Outbox entry ${input.key} was neither added nor found`);
    return { entry: entryFromRow(row), created: firsts.has(index) };
  });
}
