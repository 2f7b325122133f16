import type { Migration } from '../migration.ts';
import { generatedIdColumn } from '../migration.ts';

/** Shops, their QuickBooks company files, the id map between them, and the audit log. */
export const migration: Migration = {
  name: '0001-storage-core',
  async up(db, { engine }) {
    await db.schema
      .createTable('shops')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('domain', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('company_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
      // The Web Connector sends only the user name and password at authenticate, so the user name alone must
      // identify the company file: unique across all shops.
      .addColumn('web_connector_user_name', 'text', (c) => c.notNull().unique())
      .addColumn('app_token_hash', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('file_id', 'text', (c) => c.notNull())
      .addColumn('bound_company_name', 'text')
      .addColumn('bound_edition', 'text')
      .addColumn('bound_version', 'text')
      .addColumn('bound_at', 'text')
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('last_login_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('company_files_shop').on('company_files').column('shop_id').execute();

    await db.schema
      .createTable('id_map')
      .addColumn('company_file_id', 'text', (c) => c.notNull().references('company_files.id').onDelete('cascade'))
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('quickbooks_kind', 'text', (c) => c.notNull())
      .addColumn('quickbooks_id', 'text', (c) => c.notNull())
      .addColumn('edit_sequence', 'text')
      .addColumn('name', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('id_map_pk', ['company_file_id', 'source_kind', 'source_id'])
      .execute();
    await db.schema
      .createIndex('id_map_quickbooks_id')
      .on('id_map')
      .columns(['company_file_id', 'quickbooks_id'])
      .execute();

    // No foreign keys: the audit trail outlives the shops and company files it mentions.
    await db.schema
      .createTable('audit_log')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('shop_id', 'text')
      .addColumn('company_file_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_shop').on('audit_log').columns(['shop_id', 'id']).execute();
    await db.schema.createIndex('audit_log_company_file').on('audit_log').columns(['company_file_id', 'id']).execute();
  },
};
