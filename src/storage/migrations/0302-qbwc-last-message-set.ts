import type { Migration } from '../migration.ts';

/**
 * The last message set each company file's QuickBooks received. QuickBooks keeps the stored response of the last
 * message set per application, so only that one can be recovered with oldMessageSetID; older lost ones are settled
 * by looking their documents up. Kept explicitly because send times can tie.
 */
export const migration: Migration = {
  name: '0302-qbwc-last-message-set',
  async up(db) {
    await db.schema
      .createTable('qbwc_last_message_sets')
      .addColumn('company_file_id', 'text', (c) => c.primaryKey().references('company_files.id').onDelete('cascade'))
      .addColumn('message_set_id', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .execute();
  },
};
