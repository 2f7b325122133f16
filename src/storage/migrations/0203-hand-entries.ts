import type { Migration } from '../migration.ts';

/**
 * What the merchant entered in QuickBooks by hand instead of the connector (a refund whose amounts fit no reading):
 * one row per shop and subject (`refund/<id>`), with the attention code it answered, who said so and when. The sync
 * never produces it again and the attention list no longer shows it.
 */
export const migration: Migration = {
  name: '0203-hand-entries',
  async up(db) {
    await db.schema
      .createTable('hand_entries')
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('entered_by', 'text')
      .addColumn('note', 'text')
      .addColumn('entered_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hand_entries_pk', ['shop_id', 'subject'])
      .execute();
  },
};
