import { sql } from 'kysely';
import type { Migration } from '../migration.ts';
import { generatedIdColumn } from '../migration.ts';

/**
 * The integration of a shop (the setup steps' answers and whether it has started) and its sync runs. The
 * database enforces the two "at most once" rules, so they hold across any number of server instances: one
 * running sync per shop, and one scheduled run per shop per local day.
 */
export const migration: Migration = {
  name: '0200-setup-integrations',
  async up(db, { engine }) {
    await db.schema
      .createTable('integrations')
      .addColumn('shop_id', 'text', (c) => c.primaryKey().references('shops.id').onDelete('cascade'))
      .addColumn('company_file_id', 'text', (c) => c.references('company_files.id').onDelete('set null'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('options', 'text')
      .addColumn('tax_check', 'text')
      .addColumn('read_generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'text')
      .addColumn('last_scheduled_date', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sync_runs')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
      .addColumn('company_file_id', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('scheduled_date', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('error', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('planned_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('sync_runs_one_preparing_per_shop')
      .on('sync_runs')
      .column('shop_id')
      .unique()
      .where(sql<boolean>`state = 'preparing'`)
      .execute();
    await db.schema
      .createIndex('sync_runs_one_scheduled_per_day')
      .on('sync_runs')
      .columns(['shop_id', 'scheduled_date'])
      .unique()
      .where(sql<boolean>`trigger = 'schedule'`)
      .execute();
    await db.schema.createIndex('sync_runs_shop').on('sync_runs').columns(['shop_id', 'started_at']).execute();
  },
};
