/** Adding entries to the outbox (the planning side). */
import { inTransaction, type Queryable, toDbJson, toDbTime } from '../storage/index.ts';
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
