import type { Migration } from '../migration.ts';

/**
 * A run being prepared holds a lease its holder renews by a heartbeat: `lease_holder` (a random token per
 * execution, also the fencing token its final move must match), `lease_expires_at`, and how often the run was
 * taken over from a holder that died. A run still `preparing` with a lapsed (or no) lease was interrupted.
 */
export const migration: Migration = {
  name: '0202-sync-run-leases',
  async up(db) {
    await db.schema.alterTable('sync_runs').addColumn('lease_holder', 'text').execute();
    await db.schema.alterTable('sync_runs').addColumn('lease_expires_at', 'text').execute();
    await db.schema
      .alterTable('sync_runs')
      .addColumn('takeovers', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('sync_runs_state').on('sync_runs').columns(['state', 'lease_expires_at']).execute();
  },
};
