import type { Migration } from '../migration.ts';
import { generatedIdColumn } from '../migration.ts';

/**
 * Extract's tables: versioned source records (raw JSON, content-hashed), their latest version per record, the
 * per-entity cursors, extraction runs, bulk operations in flight, pulls requested by webhooks, webhook event ids
 * seen (duplicates are dropped), and the shop's Shopify tokens (encrypted).
 */
export const migration: Migration = {
  name: '0100-extract-source-records',
  async up(db, { engine }) {
    await db.schema
      .createTable('extract_runs')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('entities', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('extract_runs_shop').on('extract_runs').columns(['shop_id', 'id']).execute();

    // Every version of every record ever pulled; the id orders versions across records (insert order).
    await db.schema
      .createTable('source_records')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('source_updated_at', 'text')
      .addColumn('run_id', 'integer')
      .addColumn('pulled_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('source_records_version', ['shop_id', 'kind', 'source_id', 'version'])
      .execute();
    await db.schema.createIndex('source_records_run').on('source_records').columns(['shop_id', 'run_id']).execute();

    await db.schema
      .createTable('source_record_heads')
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('record_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('source_record_heads_pk', ['shop_id', 'kind', 'source_id'])
      .execute();

    await db.schema
      .createTable('extract_cursors')
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('watermark', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('extract_cursors_pk', ['shop_id', 'entity'])
      .execute();

    await db.schema
      .createTable('extract_bulk_operations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('error_code', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('ingested_at', 'text')
      .execute();

    await db.schema
      .createTable('extract_pull_requests')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('shop_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('handled_at', 'text')
      .execute();
    await db.schema
      .createIndex('extract_pull_requests_open')
      .on('extract_pull_requests')
      .columns(['shop_id', 'handled_at'])
      .execute();

    await db.schema
      .createTable('shopify_webhook_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('shop_domain', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('shopify_tokens')
      .addColumn('shop_domain', 'text', (c) => c.primaryKey())
      .addColumn('access_token', 'text', (c) => c.notNull())
      .addColumn('access_token_expires_at', 'text')
      .addColumn('refresh_token', 'text')
      .addColumn('refresh_token_expires_at', 'text')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
