import type { Migration } from '../migration.ts';

/**
 * What the documents list shows and filters on that the outbox does not hold as columns — each request's own date,
 * total, QuickBooks reference number and Shopify order — read once from its qbXML body when it is first listed.
 * One row per outbox entry (keyed by its id); rows are never changed, the entry's state is read from the outbox.
 */
export const migration: Migration = {
  name: '0250-documents-index',
  async up(db) {
    await db.schema
      .createTable('document_index')
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('entry_id', 'integer', (c) => c.notNull())
      .addColumn('document_date', 'text')
      .addColumn('amount', 'text')
      .addColumn('ref_number', 'text')
      .addColumn('order_id', 'text')
      .addColumn('order_name', 'text')
      .addPrimaryKeyConstraint('document_index_pk', ['company_file_id', 'entry_id'])
      .execute();
    await db.schema
      .createIndex('document_index_date')
      .on('document_index')
      .columns(['company_file_id', 'document_date', 'entry_id'])
      .execute();
  },
};
