import { sql } from 'kysely';
import type { Migration } from '../migration.ts';

/**
 * Leasing takes the highest priority first and, within it, the oldest. An index on ascending priority cannot give
 * that order (one column down, the other up), so both engines sorted every pending entry of the company file for
 * each lease — time grew with the queue. With priority stored descending the lease walks the index in order and
 * stops at the first ready entries. It replaces the ascending one: every query that used it needs only its first
 * two columns.
 */
export const migration: Migration = {
  name: '0010-outbox-ready-order',
  async up(db) {
    await sql`create index outbox_entries_lease_order on outbox_entries (company_file_id, state, priority desc, id)`.execute(
      db,
    );
    await db.schema.dropIndex('outbox_entries_ready').execute();
  },
};
