import type { Migration } from '../migration.ts';
import { generatedIdColumn } from '../migration.ts';

/** The outbox: entries, their dependencies, and the message sets they were sent in. */
export const migration: Migration = {
  name: '0002-outbox-entries',
  async up(db, { engine }) {
    await db.schema
      .createTable('outbox_entries')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('request_type', 'text', (c) => c.notNull())
      .addColumn('request_body', 'text', (c) => c.notNull())
      .addColumn('dependency_keys', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_session_id', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('quickbooks_id', 'text')
      .addColumn('source_kind', 'text')
      .addColumn('source_id', 'text')
      .addColumn('sync_run_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text')
      .addUniqueConstraint('outbox_entries_key', ['company_file_id', 'key'])
      .execute();
    await db.schema
      .createIndex('outbox_entries_ready')
      .on('outbox_entries')
      .columns(['company_file_id', 'state', 'priority', 'id'])
      .execute();
    await db.schema.createIndex('outbox_entries_lease').on('outbox_entries').column('lease_session_id').execute();
    await db.schema.createIndex('outbox_entries_sync_run').on('outbox_entries').column('sync_run_id').execute();

    await db.schema
      .createTable('outbox_dependencies')
      .addColumn('entry_id', 'integer', (c) => c.notNull().references('outbox_entries.id').onDelete('cascade'))
      .addColumn('company_file_id', 'text', (c) => c.notNull())
      .addColumn('depends_on_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('outbox_dependencies_pk', ['entry_id', 'depends_on_key'])
      .execute();
    await db.schema
      .createIndex('outbox_dependencies_target')
      .on('outbox_dependencies')
      .columns(['company_file_id', 'depends_on_key'])
      .execute();

    await db.schema
      .createTable('message_sets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('request_xml', 'text')
      .addColumn('response_xml', 'text')
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .execute();
    await db.schema
      .createIndex('message_sets_company_file')
      .on('message_sets')
      .columns(['company_file_id', 'state', 'sent_at'])
      .execute();

    await db.schema
      .createTable('message_set_entries')
      .addColumn('message_set_id', 'text', (c) => c.notNull().references('message_sets.id').onDelete('cascade'))
      .addColumn('entry_id', 'integer', (c) => c.notNull().references('outbox_entries.id').onDelete('cascade'))
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('message_set_entries_pk', ['message_set_id', 'entry_id'])
      .execute();
    await db.schema.createIndex('message_set_entries_entry').on('message_set_entries').column('entry_id').execute();
  },
};
