import type { Migration } from '../migration.ts';

/**
 * The admin app's signed-in sessions outside Shopify admin (cookie sessions) and the one-time sign-in links the
 * demo prints. Only a SHA-256 of each random id is stored: a copy of the database signs nobody in.
 */
export const migration: Migration = {
  name: '0400-server-admin-sessions',
  async up(db) {
    await db.schema
      .createTable('admin_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('admin_sessions_expires').on('admin_sessions').column('expires_at').execute();
  },
};
