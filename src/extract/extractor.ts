import { Readable } from 'node:stream';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import type { StockyClient, StockyResource } from '../stocky/index.ts';
import { inTransaction, type Queryable, type Storage } from '../storage/index.ts';
import { BulkStitcher, readLineBytes, type StitchedRoot } from './bulk-jsonl.ts';
import {
  type Connection,
  completeOrder,
  completeProduct,
  completePurchaseOrder,
  completeTransfer,
  connectionNodes,
  flattenConnections,
} from './connections.ts';
import { bulkQueryText, documentText } from './documents.ts';
import type { ExtractProgressListener } from './progress.ts';
import { type SaveOutcome, type SourceKind, type SourceRecordInput, saveSourceRecords } from './source-records.ts';

/**
 * Pulls Shopify data into versioned source records.
 *
 * Incremental (the daily and webhook-triggered path): per entity, a stored watermark (the newest `updatedAt`
 * stored); the next pull asks for `updated_at:>=` the watermark minus an overlap window (Shopify's search index
 * trails writes by a little), oldest change first, and advances the watermark in the same transaction that stores
 * each page. A crash loses at most the page in flight; the next pull resumes from the last stored page. Re-read
 * records that did not change add no version (content hash).
 *
 * Backfill: orders through a bulk operation (one JSONL file for the whole history, see bulk-jsonl.ts), the other
 * entities through full paged pulls; the watermark is then set to when the bulk operation started, so the next
 * incremental pull picks up whatever changed while it ran.
 */
export type ExtractEntity =
  | 'shop'
  | 'locations'
  | 'orders'
  | 'customers'
  | 'products'
  | 'payouts'
  | 'balanceTransactions'
  | 'purchaseOrders';

export const ALL_ENTITIES: readonly ExtractEntity[] = [
  'shop',
  'locations',
  'customers',
  'products',
  'orders',
  'payouts',
  'balanceTransactions',
  'purchaseOrders',
];

export interface ExtractorOptions {
  storage: Storage;
  client: AdminGraphqlClient;
  logger?: Logger;
  clock?: () => Date;
  /** Downloads bulk results (default: global fetch). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** How far before the watermark an incremental pull starts again. Default 10 minutes. */
  overlapMs?: number;
  /** Payouts and balance transactions have no updatedAt: how far back each pull re-reads them. Default 30 days. */
  paymentsWindowMs?: number;
  pageSizes?: Partial<Record<'orders' | 'customers' | 'products' | 'payments' | 'purchaseOrders', number>>;
  bulkPollIntervalMs?: number;
  /** Open roots kept while stitching a bulk file (see BulkStitcher). Default 16. */
  bulkWindow?: number;
  /**
   * Where purchase orders come from: Shopify's own (default) or Stocky (stores that still hold Stocky data; the
   * Stocky client then is required).
   */
  purchaseOrderSource?: 'shopify' | 'stocky';
  stocky?: StockyClient;
}

export interface PullRequest {
  shopId: string;
  entities?: readonly ExtractEntity[];
  mode: 'incremental' | 'backfill';
  /** Told of the pull's progress (records stored per entity, bulk operations, waits for Shopify). */
  onProgress?: ExtractProgressListener;
}

export interface EntityCounts {
  seen: number;
  inserted: number;
  unchanged: number;
}

export interface PullSummary {
  runId: number;
  counts: Partial<Record<ExtractEntity, EntityCounts>>;
  /** Set after a bulk backfill: what the bulk file held and how many records needed the paged API. */
  bulk?: { objects: number; roots: number; lateChildren: number; completedThroughPagedApi: number };
}

export interface Extractor {
  pull(request: PullRequest): Promise<Result<PullSummary>>;
}

type Json = Record<string, unknown>;

interface PageOf {
  nodes: Json[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const BULK_CHILD_FIELDS = { LineItem: 'lineItems', ShippingLine: 'shippingLines', Return: 'returns' } as const;

function page(connection: Connection | null | undefined): PageOf {
  if (!connection) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  return {
    nodes: connectionNodes(connection) as Json[],
    pageInfo: connection.pageInfo ?? { hasNextPage: false, endCursor: null },
  };
}

function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

export function createExtractor(options: ExtractorOptions): Extractor {
  const { storage, client } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const download = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const overlapMs = options.overlapMs ?? 10 * 60_000;
  const paymentsWindowMs = options.paymentsWindowMs ?? 30 * 24 * 3_600_000;
  // Page sizes that keep each page under Shopify's 1000-point single-query cost (see queries/orders.graphql).
  const sizes = { orders: 2, customers: 50, products: 3, payments: 50, purchaseOrders: 4, ...options.pageSizes };
  const pollInterval = options.bulkPollIntervalMs ?? 2_000;

  const nowIso = () => clock().toISOString();
  // The progress report of the entity whose counts these are (set while a watched pull reads that entity).
  const ticks = new WeakMap<EntityCounts, () => void>();

  async function readWatermark(shopId: string, entity: string): Promise<string | null> {
    const row = await storage.db
      .selectFrom('extract_cursors')
      .select('watermark')
      .where('shop_id', '=', shopId)
      .where('entity', '=', entity)
      .executeTakeFirst();
    return row?.watermark ?? null;
  }

  async function writeWatermark(scope: Queryable, shopId: string, entity: string, watermark: string | null) {
    if (watermark === null) return;
    const updatedAt = nowIso();
    await scope.db
      .insertInto('extract_cursors')
      .values({ shop_id: shopId, entity, watermark, updated_at: updatedAt })
      .onConflict((oc) => oc.columns(['shop_id', 'entity']).doUpdateSet({ watermark, updated_at: updatedAt }))
      .execute();
  }

  /** Stores one page of records and, in the same transaction, the watermark it reaches. */
  async function storePage(
    shopId: string,
    runId: number,
    records: SourceRecordInput[],
    cursor: { entity: string; watermark: string | null } | null,
    counts: EntityCounts,
  ): Promise<void> {
    const outcome: SaveOutcome = await inTransaction(storage, async (scope) => {
      const saved = await saveSourceRecords(scope, shopId, records, { runId, now: nowIso() });
      if (cursor) await writeWatermark(scope, shopId, cursor.entity, cursor.watermark);
      return saved;
    });
    counts.seen += records.length;
    counts.inserted += outcome.inserted;
    counts.unchanged += outcome.unchanged;
    ticks.get(counts)?.();
  }

  function orderRecord(order: Json): SourceRecordInput {
    return {
      kind: 'order',
      sourceId: order.id as string,
      sourceUpdatedAt: order.updatedAt as string,
      payload: flattenConnections(order),
    };
  }

  /** Orders, customers, products: oldest change first from the watermark minus the overlap. */
  async function pullByUpdatedAt(
    shopId: string,
    runId: number,
    spec: {
      entity: ExtractEntity;
      kind: SourceKind;
      operation: string;
      root: string;
      first: number;
      complete?: (node: Json) => Promise<Result<void>>;
    },
    counts: EntityCounts,
    fromScratch: boolean,
  ): Promise<Result<void>> {
    let watermark = fromScratch ? null : await readWatermark(shopId, spec.entity);
    const since = watermark ? new Date(Date.parse(watermark) - overlapMs).toISOString() : null;
    const query = since ? `updated_at:>='${since}'` : null;
    let after: string | null = null;
    for (;;) {
      const answer = await client.request<Json>(documentText(spec.operation), { first: spec.first, after, query });
      if (!answer.ok) return answer;
      const { nodes, pageInfo } = page(answer.value.data[spec.root] as Connection);
      const records: SourceRecordInput[] = [];
      for (const node of nodes) {
        if (spec.complete) {
          const done = await spec.complete(node);
          if (!done.ok) return done;
        }
        records.push({
          kind: spec.kind,
          sourceId: node.id as string,
          sourceUpdatedAt: node.updatedAt as string,
          payload: flattenConnections(node),
        });
        watermark = maxIso(watermark, node.updatedAt as string);
      }
      await storePage(shopId, runId, records, { entity: spec.entity, watermark }, counts);
      if (!pageInfo.hasNextPage) return ok(undefined);
      after = pageInfo.endCursor;
    }
  }

  /** Everything, every time (few records, no usable updated_at filter); hashes keep versions to real changes. */
  async function pullWhole(
    shopId: string,
    runId: number,
    spec: {
      kind: SourceKind;
      operation: string;
      root: string;
      first?: number;
      updatedAtField: string | null;
      complete?: (node: Json) => Promise<Result<void>>;
    },
    counts: EntityCounts,
  ): Promise<Result<void>> {
    let after: string | null = null;
    for (;;) {
      const variables: Json = { after };
      if (spec.first !== undefined) variables.first = spec.first;
      const answer = await client.request<Json>(documentText(spec.operation), variables);
      if (!answer.ok) return answer;
      const { nodes, pageInfo } = page(answer.value.data[spec.root] as Connection);
      const records: SourceRecordInput[] = [];
      for (const node of nodes) {
        if (spec.complete) {
          const done = await spec.complete(node);
          if (!done.ok) return done;
        }
        records.push({
          kind: spec.kind,
          sourceId: node.id as string,
          sourceUpdatedAt: spec.updatedAtField ? ((node[spec.updatedAtField] as string | null) ?? null) : null,
          payload: flattenConnections(node),
        });
      }
      await storePage(shopId, runId, records, null, counts);
      if (!pageInfo.hasNextPage) return ok(undefined);
      after = pageInfo.endCursor;
    }
  }

  /** Payouts and balance transactions: newest first, down to the window before the watermark. */
  async function pullPayments(
    shopId: string,
    runId: number,
    spec: { entity: ExtractEntity; kind: SourceKind; operation: string; root: string; dateField: string },
    counts: EntityCounts,
    fromScratch: boolean,
  ): Promise<Result<void>> {
    const watermark = fromScratch ? null : await readWatermark(shopId, spec.entity);
    const stopBefore = watermark ? Date.parse(watermark) - paymentsWindowMs : null;
    let newest: string | null = watermark;
    let after: string | null = null;
    for (;;) {
      const answer = await client.request<Json>(documentText(spec.operation), { first: sizes.payments, after });
      if (!answer.ok) return answer;
      const account = answer.value.data.shopifyPaymentsAccount as Json | null;
      // No Shopify Payments account (another payment provider): nothing to pull, not an error.
      if (!account) return ok(undefined);
      const { nodes, pageInfo } = page(account[spec.root] as Connection);
      const records: SourceRecordInput[] = [];
      let reachedWindow = false;
      for (const node of nodes) {
        const date = node[spec.dateField] as string;
        if (stopBefore !== null && Date.parse(date) < stopBefore) {
          reachedWindow = true;
          break;
        }
        newest = maxIso(newest, date);
        records.push({ kind: spec.kind, sourceId: node.id as string, sourceUpdatedAt: date, payload: node });
      }
      // The watermark moves only once the whole window is read: newest-first pages cannot advance it safely.
      const last = reachedWindow || !pageInfo.hasNextPage;
      await storePage(shopId, runId, records, last ? { entity: spec.entity, watermark: newest } : null, counts);
      if (last) return ok(undefined);
      after = pageInfo.endCursor;
    }
  }

  /** Stocky lists in full (the API has no change filter on purchase orders); hashes keep versions to changes. */
  async function pullStocky(shopId: string, runId: number, counts: EntityCounts): Promise<Result<void>> {
    const stocky = options.stocky;
    if (!stocky) throw new Error('purchaseOrderSource is stocky but no Stocky client was given');
    const lists: [StockyResource, SourceKind, (item: Json) => string | null][] = [
      ['suppliers', 'stockySupplier', (item) => (item.updated_at as string | null) ?? null],
      ['purchase_orders', 'stockyPurchaseOrder', (item) => (item.updated_at as string | null) ?? null],
      ['stock_adjustments', 'stockyStockAdjustment', (item) => (item.updated_at as string | null) ?? null],
    ];
    for (const [resource, kind, updatedAt] of lists) {
      for await (const items of stocky.pages<{ id: number }>(resource)) {
        if (!items.ok) return items;
        const records = items.value.map((item) => ({
          kind,
          sourceId: String(item.id),
          sourceUpdatedAt: updatedAt(item as unknown as Json),
          payload: item,
        }));
        await storePage(shopId, runId, records, null, counts);
      }
    }
    return ok(undefined);
  }

  async function pullShop(shopId: string, runId: number, counts: EntityCounts): Promise<Result<void>> {
    const answer = await client.request<{ shop: Json }>(documentText('Shop'));
    if (!answer.ok) return answer;
    const shop = answer.value.data.shop;
    await storePage(
      shopId,
      runId,
      [{ kind: 'shop', sourceId: shop.id as string, sourceUpdatedAt: null, payload: shop }],
      null,
      counts,
    );
    return ok(undefined);
  }

  async function pollBulkOperation(id: string, onProgress?: ExtractProgressListener): Promise<Result<Json>> {
    for (;;) {
      const answer = await client.request<{ bulkOperation: Json | null }>(documentText('BulkOperationById'), { id });
      if (!answer.ok) return answer;
      const operation = answer.value.data.bulkOperation;
      if (!operation) {
        return err(
          new ConnectorError({
            code: 'SHOPIFY_BULK_OPERATION_MISSING',
            message: `Bulk operation ${id} is unknown to Shopify`,
            retryable: true,
          }),
        );
      }
      const status = operation.status as string;
      onProgress?.({ type: 'bulk', entity: 'orders', status, objects: Number(operation.objectCount ?? 0) });
      if (status !== 'CREATED' && status !== 'RUNNING' && status !== 'CANCELING') return ok(operation);
      await sleep(pollInterval);
    }
  }

  async function startOrResumeBulk(shopId: string): Promise<Result<{ id: string; createdAt: string }>> {
    const pending = await storage.db
      .selectFrom('extract_bulk_operations')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('entity', '=', 'orders')
      .where('ingested_at', 'is', null)
      .where('status', 'in', ['CREATED', 'RUNNING', 'COMPLETED'])
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (pending) {
      logger.info('resuming bulk operation', { shopId, bulkOperationId: pending.id });
      return ok({ id: pending.id, createdAt: pending.created_at });
    }
    const answer = await client.request<{
      bulkOperationRunQuery: {
        bulkOperation: { id: string; status: string } | null;
        userErrors: { message: string; code: string | null }[];
      };
    }>(documentText('BulkOperationRunQuery'), { query: bulkQueryText('BulkOrders') });
    if (!answer.ok) return answer;
    const { bulkOperation, userErrors } = answer.value.data.bulkOperationRunQuery;
    if (!bulkOperation || userErrors.length > 0) {
      const inProgress = userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS' || e.code === 'LIMIT_REACHED');
      return err(
        new ConnectorError({
          code: 'SHOPIFY_BULK_OPERATION_REFUSED',
          message: `bulkOperationRunQuery refused: ${userErrors.map((e) => `${e.code}: ${e.message}`).join('; ')}`,
          merchantMessage: inProgress
            ? 'Shopify is still busy with another export for this store. The connector will try the history import again shortly.'
            : undefined,
          retryable: inProgress,
        }),
      );
    }
    const createdAt = nowIso();
    await storage.db
      .insertInto('extract_bulk_operations')
      .values({
        id: bulkOperation.id,
        shop_id: shopId,
        entity: 'orders',
        status: bulkOperation.status,
        url: null,
        error_code: null,
        created_at: createdAt,
        finished_at: null,
        ingested_at: null,
      })
      .execute();
    return ok({ id: bulkOperation.id, createdAt });
  }

  async function fetchOrdersById(
    shopId: string,
    runId: number,
    ids: Iterable<string>,
    counts: EntityCounts,
  ): Promise<Result<number>> {
    let batch: SourceRecordInput[] = [];
    let fetched = 0;
    for (const id of ids) {
      const answer = await client.request<{ order: Json | null }>(documentText('OrderById'), { id });
      if (!answer.ok) return answer;
      const order = answer.value.data.order;
      if (!order) continue;
      const done = await completeOrder(client, order);
      if (!done.ok) return done;
      batch.push(orderRecord(order));
      fetched += 1;
      if (batch.length >= 25) {
        await storePage(shopId, runId, batch, null, counts);
        batch = [];
      }
    }
    await storePage(shopId, runId, batch, null, counts);
    return ok(fetched);
  }

  async function backfillOrders(
    shopId: string,
    runId: number,
    counts: EntityCounts,
    onProgress?: ExtractProgressListener,
  ): Promise<Result<NonNullable<PullSummary['bulk']>>> {
    const started = await startOrResumeBulk(shopId);
    if (!started.ok) return started;
    const polled = await pollBulkOperation(started.value.id, onProgress);
    if (!polled.ok) {
      if (polled.error.code === 'SHOPIFY_BULK_OPERATION_MISSING') {
        // Expired or never known to this shop: forget it, so the next backfill starts a new one.
        await storage.db
          .updateTable('extract_bulk_operations')
          .set({ status: 'MISSING', finished_at: nowIso() })
          .where('id', '=', started.value.id)
          .execute();
      }
      return polled;
    }
    const operation = polled.value;
    await storage.db
      .updateTable('extract_bulk_operations')
      .set({
        status: operation.status as string,
        url: (operation.url as string | null) ?? null,
        error_code: (operation.errorCode as string | null) ?? null,
        finished_at: (operation.completedAt as string | null) ?? nowIso(),
      })
      .where('id', '=', started.value.id)
      .execute();
    if (operation.status !== 'COMPLETED') {
      return err(
        new ConnectorError({
          code: 'SHOPIFY_BULK_OPERATION_FAILED',
          message: `Bulk operation ${started.value.id} ended ${String(operation.status)} (${String(operation.errorCode ?? 'no error code')})`,
          merchantMessage:
            'Shopify could not finish exporting the order history. The connector will start the history import again.',
          retryable: true,
        }),
      );
    }
    const stitcher = new BulkStitcher({
      childFields: BULK_CHILD_FIELDS,
      window: options.bulkWindow,
      keep: ['updatedAt', 'refunds'],
    });
    const needsPagedApi = new Set<string>();
    let batch: SourceRecordInput[] = [];
    const take = async (roots: readonly StitchedRoot[]) => {
      for (const { root, bytes, childCounts } of roots) {
        const refunds = (root.refunds as unknown[] | undefined) ?? [];
        // Refund and return details cannot be in a bulk query (connections inside a list): read those orders whole.
        if (refunds.length > 0 || (childCounts.returns ?? 0) > 0) {
          needsPagedApi.add(root.id as string);
          continue;
        }
        batch.push({ kind: 'order', sourceId: root.id as string, sourceUpdatedAt: root.updatedAt as string, bytes });
        if (batch.length >= 200) {
          await storePage(shopId, runId, batch, null, counts);
          batch = [];
        }
      }
    };
    const url = operation.url as string | null;
    if (url) {
      const downloadFailed = (detail: string) =>
        err(
          new ConnectorError({
            code: 'SHOPIFY_BULK_DOWNLOAD_FAILED',
            message: `Downloading bulk result ${started.value.id} failed: ${detail}`,
            merchantMessage:
              'The order history export from Shopify could not be downloaded. The connector will try again; what was already saved is kept.',
            retryable: true,
          }),
        );
      try {
        const response = await download(url);
        if (!response.ok || !response.body) return downloadFailed(`HTTP ${response.status}`);
        const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
        for await (const line of readLineBytes(body)) {
          const roots = stitcher.push(line);
          if (roots.length > 0) await take(roots);
          if (onProgress && stitcher.stats.lines % 2000 === 0) {
            onProgress({ type: 'bulk', entity: 'orders', status: 'DOWNLOADING', objects: stitcher.stats.lines });
          }
        }
      } catch (error) {
        // The operation stays recorded as not ingested: the next backfill downloads the same file again (the
        // records already stored are unchanged and add no version).
        if (error instanceof SyntaxError) throw error;
        return downloadFailed((error as Error).message);
      }
    }
    await take(stitcher.finish());
    await storePage(shopId, runId, batch, null, counts);
    for (const late of stitcher.lateParents) needsPagedApi.add(late);
    const completed = await fetchOrdersById(shopId, runId, needsPagedApi, counts);
    if (!completed.ok) return completed;
    // Everything updated before the operation started is in the file; later changes come with the next pull.
    // (Read before the transaction: on SQLite a read on the outer handle inside it would wait forever.)
    const watermark = maxIso(await readWatermark(shopId, 'orders'), started.value.createdAt);
    await inTransaction(storage, async (scope) => {
      await writeWatermark(scope, shopId, 'orders', watermark);
      await scope.db
        .updateTable('extract_bulk_operations')
        .set({ ingested_at: nowIso() })
        .where('id', '=', started.value.id)
        .execute();
    });
    return ok({
      objects: stitcher.stats.lines,
      roots: stitcher.stats.roots,
      lateChildren: stitcher.stats.lateChildren,
      completedThroughPagedApi: completed.value,
    });
  }

  /** How many records of `entity` the pull will read, when Shopify can count them (for progress only). */
  async function totalOf(entity: ExtractEntity, shopId: string, mode: PullRequest['mode']): Promise<number | null> {
    const operations: Partial<Record<ExtractEntity, [string, string]>> = {
      orders: ['OrdersCount', 'ordersCount'],
      customers: ['CustomersCount', 'customersCount'],
      products: ['ProductsCount', 'productsCount'],
    };
    const operation = operations[entity];
    if (!operation) return null;
    const watermark = mode === 'backfill' ? null : await readWatermark(shopId, entity);
    const query = watermark ? `updated_at:>='${new Date(Date.parse(watermark) - overlapMs).toISOString()}'` : null;
    const answer = await client.request<Record<string, { count: number; precision: string } | null>>(
      documentText(operation[0]),
      { query },
    );
    // A count is a nicety: without one the display shows records read so far.
    return answer.ok ? (answer.value.data[operation[1]]?.count ?? null) : null;
  }

  async function pullEntity(
    entity: ExtractEntity,
    shopId: string,
    runId: number,
    mode: PullRequest['mode'],
    summary: PullSummary,
    onProgress?: ExtractProgressListener,
  ): Promise<Result<void>> {
    const counts: EntityCounts = { seen: 0, inserted: 0, unchanged: 0 };
    summary.counts[entity] = counts;
    if (onProgress) {
      const total = await totalOf(entity, shopId, mode);
      const tick = () => onProgress({ type: 'entity', entity, seen: counts.seen, total, done: false });
      ticks.set(counts, tick);
      tick();
    }
    const fromScratch = mode === 'backfill';
    switch (entity) {
      case 'shop':
        return pullShop(shopId, runId, counts);
      case 'locations':
        return pullWhole(
          shopId,
          runId,
          { kind: 'location', operation: 'Locations', root: 'locations', updatedAtField: 'updatedAt' },
          counts,
        );
      case 'orders': {
        if (mode === 'backfill') {
          const bulk = await backfillOrders(shopId, runId, counts, onProgress);
          if (!bulk.ok) return bulk;
          summary.bulk = bulk.value;
          return ok(undefined);
        }
        return pullByUpdatedAt(
          shopId,
          runId,
          {
            entity,
            kind: 'order',
            operation: 'OrdersPage',
            root: 'orders',
            first: sizes.orders,
            complete: (node) => completeOrder(client, node),
          },
          counts,
          false,
        );
      }
      case 'customers':
        return pullByUpdatedAt(
          shopId,
          runId,
          { entity, kind: 'customer', operation: 'CustomersPage', root: 'customers', first: sizes.customers },
          counts,
          fromScratch,
        );
      case 'products':
        return pullByUpdatedAt(
          shopId,
          runId,
          {
            entity,
            kind: 'product',
            operation: 'ProductsPage',
            root: 'products',
            first: sizes.products,
            complete: (node) => completeProduct(client, node),
          },
          counts,
          fromScratch,
        );
      case 'payouts':
        return pullPayments(
          shopId,
          runId,
          { entity, kind: 'payout', operation: 'PayoutsPage', root: 'payouts', dateField: 'issuedAt' },
          counts,
          fromScratch,
        );
      case 'balanceTransactions':
        return pullPayments(
          shopId,
          runId,
          {
            entity,
            kind: 'balanceTransaction',
            operation: 'BalanceTransactionsPage',
            root: 'balanceTransactions',
            dateField: 'transactionDate',
          },
          counts,
          fromScratch,
        );
      case 'purchaseOrders': {
        if (options.purchaseOrderSource === 'stocky') return pullStocky(shopId, runId, counts);
        const orders = await pullWhole(
          shopId,
          runId,
          {
            kind: 'purchaseOrder',
            operation: 'PurchaseOrdersPage',
            root: 'inventoryPurchaseOrders',
            first: sizes.purchaseOrders,
            updatedAtField: null,
            complete: (node) => completePurchaseOrder(client, node),
          },
          counts,
        );
        if (!orders.ok) return orders;
        return pullWhole(
          shopId,
          runId,
          {
            kind: 'inventoryTransfer',
            operation: 'InventoryTransfersPage',
            root: 'inventoryTransfers',
            first: 3,
            updatedAtField: null,
            complete: (node) => completeTransfer(client, node),
          },
          counts,
        );
      }
    }
  }

  return {
    async pull(request) {
      const entities = request.entities ?? ALL_ENTITIES;
      const startedAt = nowIso();
      const inserted = await storage.db
        .insertInto('extract_runs')
        .values({
          shop_id: request.shopId,
          mode: request.mode,
          entities: JSON.stringify(entities),
          status: 'running',
          started_at: startedAt,
          finished_at: null,
          counts: '{}',
          error: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const runId = Number(inserted.id);
      const summary: PullSummary = { runId, counts: {} };
      const log = logger.child({ shopId: request.shopId, runId, mode: request.mode });
      for (const entity of ALL_ENTITIES.filter((e) => entities.includes(e))) {
        let outcome: Result<void>;
        const onProgress = request.onProgress;
        const unwatch = onProgress ? client.watch(onProgress) : () => {};
        try {
          outcome = await pullEntity(entity, request.shopId, runId, request.mode, summary, onProgress);
        } catch (error) {
          await finishRun(runId, 'failed', summary, String((error as Error).message));
          throw error;
        } finally {
          unwatch();
        }
        const counts = summary.counts[entity];
        if (outcome.ok && onProgress && counts) {
          onProgress({ type: 'entity', entity, seen: counts.seen, total: null, done: true });
        }
        if (!outcome.ok) {
          log.warn('extraction stopped', { entity, code: outcome.error.code, error: outcome.error.message });
          await finishRun(runId, 'failed', summary, JSON.stringify(outcome.error.toJSON()));
          return outcome;
        }
        log.info('entity pulled', { entity, ...summary.counts[entity] });
      }
      await storage.db
        .updateTable('extract_pull_requests')
        .set({ handled_at: nowIso() })
        .where('shop_id', '=', request.shopId)
        .where('handled_at', 'is', null)
        .where('entity', 'in', [...entities])
        .where('requested_at', '<=', startedAt)
        .execute();
      await finishRun(runId, 'succeeded', summary, null);
      return ok(summary);
    },
  };

  async function finishRun(runId: number, status: string, summary: PullSummary, error: string | null) {
    await storage.db
      .updateTable('extract_runs')
      .set({ status, finished_at: nowIso(), counts: JSON.stringify(summary.counts), error })
      .where('id', '=', runId)
      .execute();
  }
}
