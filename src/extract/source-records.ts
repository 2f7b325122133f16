import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Generated, Insertable } from 'kysely';
import { inTransaction, type Queryable } from '../storage/index.ts';

/**
 * Versioned source records: every distinct content of a Shopify (or Stocky) record ever pulled is kept, raw, as
 * a new version; an unchanged re-pull adds nothing (same content hash). Transform reads the latest version of
 * each record, or the records that changed since a given extraction run.
 */
export type SourceKind =
  | 'shop'
  | 'location'
  | 'order'
  | 'customer'
  | 'product'
  | 'payout'
  | 'balanceTransaction'
  | 'purchaseOrder'
  | 'inventoryTransfer'
  | 'stockySupplier'
  | 'stockyPurchaseOrder'
  | 'stockyStockAdjustment';

export interface SourceRecordInput {
  kind: SourceKind;
  sourceId: string;
  /** The record's own updatedAt (or the nearest date it has); null when the source has none. */
  sourceUpdatedAt: string | null;
  /** The record in its source-record shape (connections already flattened to arrays)… */
  payload?: unknown;
  /** …or its JSON text, already assembled… */
  text?: string;
  /**
   * …or that text as UTF-8 bytes (the bulk path: a batch waiting for its transaction stays outside the JS heap, and
   * the text is decoded only while its rows are written).
   */
  bytes?: Uint8Array;
}

export interface StoredSourceRecord<T = unknown> {
  recordId: number;
  kind: SourceKind;
  sourceId: string;
  version: number;
  contentHash: string;
  sourceUpdatedAt: string | null;
  runId: number | null;
  pulledAt: string;
  payload: T;
}

export interface SourceRecordRow {
  id: Generated<number>;
  shop_id: string;
  kind: string;
  source_id: string;
  version: number;
  content_hash: string;
  payload: string;
  source_updated_at: string | null;
  run_id: number | null;
  pulled_at: string;
}

export interface SourceRecordHeadRow {
  shop_id: string;
  kind: string;
  source_id: string;
  version: number;
  content_hash: string;
  record_id: number;
}

export interface ShopifyWebhookEventRow {
  event_id: string;
  shop_domain: string;
  topic: string;
  received_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    source_records: SourceRecordRow;
    source_record_heads: SourceRecordHeadRow;
    shopify_webhook_events: ShopifyWebhookEventRow;
  }
}

/**
 * The stored text of a record: its JSON, fields in the order of the query's selection. That order is the same
 * whether a record comes from the paged API or from a bulk file (GraphQL answers follow the selection order; the
 * bulk path lays an order's top-level fields out as the paged query does, see extractor.ts), so an unchanged
 * record gives the same text and hash and adds no version. Sorting keys would make that independent of order,
 * but costs as much as parsing the record again (measured in bench/extract.ts); a record that ever arrives in
 * another order costs one redundant version, never a lost change.
 */
export function recordText(payload: unknown): string {
  return JSON.stringify(payload) ?? 'null';
}

export function contentHash(text: string | Uint8Array): string {
  // Change detection, not security: SHA-1 tells versions of one record apart well enough, and is cheaper. The hash
  // of a text and of its UTF-8 bytes is the same (Hash.update encodes strings as UTF-8).
  return createHash('sha1').update(text).digest('base64url');
}

/** The record's text, or its UTF-8 bytes when it came as bytes that are valid UTF-8 (same hash, no string made). */
function recordContent(record: SourceRecordInput): string | Uint8Array {
  if (record.bytes) return isUtf8(record.bytes) ? record.bytes : Buffer.from(record.bytes).toString('utf8');
  return record.text ?? recordText(record.payload);
}

const contentText = (content: string | Uint8Array) =>
  typeof content === 'string'
    ? content
    : Buffer.from(content.buffer, content.byteOffset, content.length).toString('utf8');

export interface SaveOutcome {
  inserted: number;
  unchanged: number;
}

/**
 * Stores a batch of records in the caller's transaction (or a new one): a new version for each record whose
 * content differs from its latest version, nothing for the others.
 */
export async function saveSourceRecords(
  scope: Queryable,
  shopId: string,
  records: readonly SourceRecordInput[],
  options: { runId: number | null; now: string },
): Promise<SaveOutcome> {
  if (records.length === 0) return { inserted: 0, unchanged: 0 };
  return inTransaction(scope, async ({ db }) => {
    const outcome: SaveOutcome = { inserted: 0, unchanged: 0 };
    const prepared = records.map((record) => {
      const content = recordContent(record);
      return { record, content, hash: contentHash(content) };
    });
    // One read of the heads of the whole batch, per kind (a batch is almost always one kind).
    const heads = new Map<string, { version: number; content_hash: string }>();
    const byKind = new Map<string, string[]>();
    for (const { record } of prepared) {
      const ids = byKind.get(record.kind) ?? [];
      ids.push(record.sourceId);
      byKind.set(record.kind, ids);
    }
    for (const [kind, ids] of byKind) {
      for (let start = 0; start < ids.length; start += 500) {
        const rows = await db
          .selectFrom('source_record_heads')
          .select(['source_id', 'version', 'content_hash'])
          .where('shop_id', '=', shopId)
          .where('kind', '=', kind)
          .where('source_id', 'in', ids.slice(start, start + 500))
          .execute();
        for (const row of rows) heads.set(`${kind}\u0000${row.source_id}`, row);
      }
    }
    const rows: (Omit<Insertable<SourceRecordRow>, 'payload'> & {
      content: string | Uint8Array;
      kind: string;
      source_id: string;
      version: number;
      content_hash: string;
    })[] = [];
    for (const { record, content, hash } of prepared) {
      const key = `${record.kind}\u0000${record.sourceId}`;
      const head = heads.get(key);
      if (head && head.content_hash === hash) {
        outcome.unchanged += 1;
        continue;
      }
      const version = (head?.version ?? 0) + 1;
      rows.push({
        shop_id: shopId,
        kind: record.kind,
        source_id: record.sourceId,
        version,
        content_hash: hash,
        content,
        source_updated_at: record.sourceUpdatedAt,
        run_id: options.runId,
        pulled_at: options.now,
      });
      heads.set(key, { version, content_hash: hash });
      outcome.inserted += 1;
    }
    // Multi-row statements: a backfill stores hundreds of thousands of versions. Ids are matched back by
    // (kind, source id, version), not by the order rows come back in.
    const newest = new Map<
      string,
      { kind: string; source_id: string; version: number; content_hash: string; record_id: number }
    >();
    for (let start = 0; start < rows.length; start += 100) {
      const chunk = rows.slice(start, start + 100);
      const ids = await db
        .insertInto('source_records')
        .values(chunk.map(({ content, ...row }) => ({ ...row, payload: contentText(content) })))
        .returning(['id', 'kind', 'source_id', 'version'])
        .execute();
      const idOf = new Map(ids.map((r) => [`${r.kind}\u0000${r.source_id}\u0000${r.version}`, Number(r.id)]));
      for (const row of chunk) {
        const key = `${row.kind}\u0000${row.source_id}`;
        const current = newest.get(key);
        if (current && current.version > row.version) continue;
        newest.set(key, {
          kind: row.kind,
          source_id: row.source_id,
          version: row.version,
          content_hash: row.content_hash,
          record_id: idOf.get(`${key}\u0000${row.version}`)!,
        });
      }
    }
    const headRows = [...newest.values()].map((head) => ({ shop_id: shopId, ...head }));
    for (let start = 0; start < headRows.length; start += 200) {
      await db
        .insertInto('source_record_heads')
        .values(headRows.slice(start, start + 200))
        .onConflict((oc) =>
          oc.columns(['shop_id', 'kind', 'source_id']).doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            content_hash: eb.ref('excluded.content_hash'),
            record_id: eb.ref('excluded.record_id'),
          })),
        )
        .execute();
    }
    return outcome;
  });
}

function toStored<T>(row: SourceRecordRow & { id: number }): StoredSourceRecord<T> {
  return {
    recordId: Number(row.id),
    kind: row.kind as SourceKind,
    sourceId: row.source_id,
    version: Number(row.version),
    contentHash: row.content_hash,
    sourceUpdatedAt: row.source_updated_at,
    runId: row.run_id === null ? null : Number(row.run_id),
    pulledAt: row.pulled_at,
    payload: JSON.parse(row.payload) as T,
  };
}

/** The latest version of every record of one kind, in source id order, a page at a time. */
export async function latestSourceRecords<T>(
  scope: Queryable,
  shopId: string,
  kind: SourceKind,
  page: { afterSourceId?: string; limit?: number } = {},
): Promise<StoredSourceRecord<T>[]> {
  let query = scope.db
    .selectFrom('source_record_heads as h')
    .innerJoin('source_records as r', 'r.id', 'h.record_id')
    .selectAll('r')
    .where('h.shop_id', '=', shopId)
    .where('h.kind', '=', kind);
  if (page.afterSourceId !== undefined) query = query.where('h.source_id', '>', page.afterSourceId);
  const rows = await query
    .orderBy('h.source_id')
    .limit(page.limit ?? 1000)
    .execute();
  return rows.map((row) => toStored<T>(row as SourceRecordRow & { id: number }));
}

/** The latest version of one record, or null when it was never pulled. */
export async function latestSourceRecord<T>(
  scope: Queryable,
  shopId: string,
  kind: SourceKind,
  sourceId: string,
): Promise<StoredSourceRecord<T> | null> {
  const row = await scope.db
    .selectFrom('source_record_heads as h')
    .innerJoin('source_records as r', 'r.id', 'h.record_id')
    .selectAll('r')
    .where('h.shop_id', '=', shopId)
    .where('h.kind', '=', kind)
    .where('h.source_id', '=', sourceId)
    .executeTakeFirst();
  return row ? toStored<T>(row as SourceRecordRow & { id: number }) : null;
}

/** Every version of one record, oldest first. */
export async function sourceRecordVersions<T>(
  scope: Queryable,
  shopId: string,
  kind: SourceKind,
  sourceId: string,
): Promise<StoredSourceRecord<T>[]> {
  const rows = await scope.db
    .selectFrom('source_records')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('kind', '=', kind)
    .where('source_id', '=', sourceId)
    .orderBy('version')
    .execute();
  return rows.map((row) => toStored<T>(row as SourceRecordRow & { id: number }));
}

/**
 * The latest version of every record that got a new version in a run after `afterRunId` (null: every record),
 * optionally of one kind, a page at a time in record-id order.
 */
export async function changedSourceRecords<T>(
  scope: Queryable,
  shopId: string,
  options: { afterRunId: number | null; kind?: SourceKind; afterRecordId?: number; limit?: number },
): Promise<StoredSourceRecord<T>[]> {
  let query = scope.db
    .selectFrom('source_record_heads as h')
    .innerJoin('source_records as r', 'r.id', 'h.record_id')
    .selectAll('r')
    .where('h.shop_id', '=', shopId);
  const afterRunId = options.afterRunId;
  if (afterRunId !== null) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('source_records as c')
          .select('c.id')
          .whereRef('c.shop_id', '=', 'h.shop_id')
          .whereRef('c.kind', '=', 'h.kind')
          .whereRef('c.source_id', '=', 'h.source_id')
          .where('c.run_id', '>', afterRunId),
      ),
    );
  }
  if (options.kind) query = query.where('h.kind', '=', options.kind);
  if (options.afterRecordId !== undefined) query = query.where('h.record_id', '>', options.afterRecordId);
  const rows = await query
    .orderBy('h.record_id')
    .limit(options.limit ?? 1000)
    .execute();
  return rows.map((row) => toStored<T>(row as SourceRecordRow & { id: number }));
}

/** Deletes every version of the given records (customer redaction). Returns how many versions were removed. */
export async function deleteSourceRecords(
  scope: Queryable,
  shopId: string,
  kind: SourceKind,
  sourceIds: readonly string[],
): Promise<number> {
  if (sourceIds.length === 0) return 0;
  return inTransaction(scope, async ({ db }) => {
    await db
      .deleteFrom('source_record_heads')
      .where('shop_id', '=', shopId)
      .where('kind', '=', kind)
      .where('source_id', 'in', [...sourceIds])
      .execute();
    const result = await db
      .deleteFrom('source_records')
      .where('shop_id', '=', shopId)
      .where('kind', '=', kind)
      .where('source_id', 'in', [...sourceIds])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
