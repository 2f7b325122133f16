import type { Migration } from '../migration.ts';

/**
 * A follow-up query QuickBooks could not answer (busy, a record in use) is asked again later rather than at once:
 * the entry it settles stays `unknown` meanwhile, and is never sent again without an answer.
 */
export const migration: Migration = {
  name: '0303-qbwc-follow-up-retries',
  async up(db) {
    await db.schema
      .alterTable('delivery_follow_ups')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('delivery_follow_ups').addColumn('next_attempt_at', 'text').execute();
  },
};
