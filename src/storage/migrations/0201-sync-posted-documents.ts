import type { Migration } from '../migration.ts';

/**
 * The last version of each transaction document the connector planned, per company file: when Shopify changes an
 * order after it was posted, the sync compares the new document with this one and posts only the difference.
 */
export const migration: Migration = {
  name: '0201-sync-posted-documents',
  async up(db) {
    await db.schema
      .createTable('posted_documents')
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('edit_sequence', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('posted_documents_pk', ['company_file_id', 'key'])
      .execute();
  },
};
