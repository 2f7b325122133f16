import { sql } from 'kysely';
import type { Migration } from '../migration.ts';

/**
 * Web Connector sessions (one per authenticate, found again by a hash of the ticket, so any server instance can
 * answer the next call), failed logins for the lockout, the company-file snapshot the setup steps read, and query
 * iterators that span several sendRequestXML calls.
 */
export const migration: Migration = {
  name: '0300-qbwc-sessions',
  async up(db) {
    await db.schema
      .createTable('qbwc_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ticket_hash', 'text', (c) => c.notNull().unique())
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('company_checked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('work_at_start', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entries_applied', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entries_failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('message_sets_sent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('close_reason', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    // One open session per company file, enforced by the database so two instances authenticating at the same
    // moment cannot both win: the loser gets 'busy'. Partial unique indexes work on both engines.
    await db.schema
      .createIndex('qbwc_sessions_one_open')
      .on('qbwc_sessions')
      .column('company_file_id')
      .unique()
      .where(sql<boolean>`state = 'open'`)
      .execute();
    await db.schema
      .createIndex('qbwc_sessions_company_file')
      .on('qbwc_sessions')
      .columns(['company_file_id', 'started_at'])
      .execute();

    await db.schema
      .createTable('qbwc_login_failures')
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('failed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('qbwc_login_failures_company_file')
      .on('qbwc_login_failures')
      .columns(['company_file_id', 'failed_at'])
      .execute();

    await db.schema
      .createTable('company_snapshots')
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('part', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('complete', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('company_snapshots_pk', ['company_file_id', 'part'])
      .execute();

    await db.schema
      .createTable('qbwc_iterators')
      .addColumn('entry_id', 'integer', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('iterator_id', 'text', (c) => c.notNull())
      .addColumn('remaining', 'integer', (c) => c.notNull())
      .addColumn('collected', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
