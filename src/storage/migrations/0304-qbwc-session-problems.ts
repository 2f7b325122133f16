import { sql } from 'kysely';
import type { Migration } from '../migration.ts';

/**
 * What went wrong in a Web Connector session that the merchant must hear about (the wrong company file open,
 * QuickBooks could not open it, an answer that could not be read…), kept apart from getLastError's text, which
 * also carries routine endings. The status reads the latest session's. Plus an index for the status's "applied
 * but QuickBooks never said under which id" check.
 */
export const migration: Migration = {
  name: '0304-qbwc-session-problems',
  async up(db) {
    await db.schema.alterTable('qbwc_sessions').addColumn('problem', 'text').execute();
    await db.schema.alterTable('qbwc_sessions').addColumn('problem_code', 'text').execute();
    await db.schema
      .createIndex('outbox_entries_applied_without_id')
      .on('outbox_entries')
      .column('company_file_id')
      .where(sql<boolean>`state = 'applied' and quickbooks_id is null`)
      .execute();
  },
};
