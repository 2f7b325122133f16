/** When an entry may be sent: every entry it depends on is applied. One definition for leasing and for reading. */
import type { ExpressionBuilder } from 'kysely';
import { type Database, type Queryable, toDbTime } from '../storage/index.ts';

/**
 * True where the entry aliased `entry` has no dependency that is not applied (a dependency on a key never enqueued
 * counts as not applied: the entry waits for it).
 */
export function everyDependencyApplied(
  eb: ExpressionBuilder<Database & { entry: Database['outbox_entries'] }, 'entry'>,
) {
  return eb.not(
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
  );
}

/** When the oldest entry that could be sent right now became due, if that was before `before`; else null. */
export async function readySince(q: Queryable, companyFileId: string, before: Date): Promise<Date | null> {
  const row = await q.db
    .selectFrom('outbox_entries as entry')
    .select('entry.next_attempt_at')
    .where('entry.company_file_id', '=', companyFileId)
    .where('entry.state', '=', 'pending')
    .where('entry.next_attempt_at', '<=', toDbTime(before))
    .where(everyDependencyApplied)
    .orderBy('entry.next_attempt_at')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.next_attempt_at) : null;
}
