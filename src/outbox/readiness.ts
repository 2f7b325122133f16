/** When an entry may be sent: every entry it depends on is applied. One definition for leasing and for reading. */
import { type ExpressionBuilder, sql } from 'kysely';
import { type Database, type Queryable, toDbTime } from '../storage/index.ts';

/**
 * True where the entry aliased `entry` has no dependency that is not applied (a dependency on a key never enqueued
 * counts as not applied: the entry waits for it). The prerequisite's state is read through its (company file, key)
 * identity and compared outside the lookup: with the state inside it, PostgreSQL may pick the (company file, state)
 * index from statistics taken while nothing was applied yet, and then read every applied entry for each candidate.
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
        .where((inner) =>
          inner(
            inner.fn.coalesce(
              inner
                .selectFrom('outbox_entries as prerequisite')
                .select('prerequisite.state')
                .whereRef('prerequisite.company_file_id', '=', 'dependency.company_file_id')
                .whereRef('prerequisite.key', '=', 'dependency.depends_on_key'),
              sql.lit('missing'),
            ),
            '<>',
            'applied',
          ),
        ),
    ),
  );
}

/**
 * When an entry that could be sent right now became due, if that was before `before`; else null. Any such entry
 * answers "has ready work waited that long", so the first one found in lease order is taken, with no sort.
 */
export async function readySince(q: Queryable, companyFileId: string, before: Date): Promise<Date | null> {
  const row = await q.db
    .selectFrom('outbox_entries as entry')
    .select('entry.next_attempt_at')
    .where('entry.company_file_id', '=', companyFileId)
    .where('entry.state', '=', 'pending')
    .where('entry.next_attempt_at', '<=', toDbTime(before))
    .where(everyDependencyApplied)
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.next_attempt_at) : null;
}
