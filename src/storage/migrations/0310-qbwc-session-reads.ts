import type { Migration } from '../migration.ts';

/**
 * What a session did, told apart: documents and list records it put into QuickBooks, and reports it read. The rest
 * of `entries_applied` is lists it read. The closing message says "recorded" only for what was recorded; a first
 * session that only read the company's lists says so.
 */
export const migration: Migration = {
  name: '0310-qbwc-session-reads',
  async up(db) {
    await db.schema
      .alterTable('qbwc_sessions')
      .addColumn('documents_recorded', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('qbwc_sessions')
      .addColumn('reports_read', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
