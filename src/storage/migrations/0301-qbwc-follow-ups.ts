import type { Migration } from '../migration.ts';

/**
 * Queries the delivery backend sends on its own to settle an outbox entry (a name in use, a stale EditSequence, a
 * response that was lost), and the message set each session is waiting on.
 */
export const migration: Migration = {
  name: '0301-qbwc-follow-ups',
  async up(db) {
    await db.schema
      .createTable('delivery_follow_ups')
      .addColumn('entry_id', 'integer', (c) => c.primaryKey().references('outbox_entries.id').onDelete('cascade'))
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('query_type', 'text', (c) => c.notNull())
      .addColumn('query_body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('delivery_follow_ups_company_file')
      .on('delivery_follow_ups')
      .column('company_file_id')
      .execute();
    await db.schema.alterTable('qbwc_sessions').addColumn('outstanding_message_set_id', 'text').execute();
  },
};
