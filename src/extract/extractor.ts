import { ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import type { StockyClient, StockyResource } from '../stocky/index.ts';
import type { Storage } from '../storage/index.ts';
import { type BulkReport, ingestBulk, isLimitReached, type StartedBulk, startBulk } from './bulk-pull.ts';
import { type EntityCounts, type PullContext, storeBatch } from './context.ts';
import { documentText } from './documents.ts';
import { ALL_ENTITIES, ENTITY_SPECS, type ExtractEntity, type PageSizeName } from './entities.ts';
import { pullPaged } from './paged.ts';
import type { ExtractProgressListener } from './progress.ts';
import { finishRun, markPullRequestsHandled, type RunState, readWatermark, startRun } from './runs.ts';
import type { SourceKind } from './source-records.ts';

export type { EntityCounts } from './context.ts';
/**
 * Pulls Shopify data into versioned source records.
 *
 * Incremental (the daily and webhook-triggered path): each entity through its paged reads (paged.ts), from its
 * stored watermark; re-read records that did not change add no version (content hash).
 *
 * Backfill: every entity that has a bulk query (entities.ts) through a bulk operation; all of them are started
 * first, so Shopify runs them side by side (up to five bulk queries at a time from API 2026-01); the rest are read
 * through full paged reads meanwhile, then each operation is ingested (bulk-pull.ts), orders last.
 */
export { ALL_ENTITIES, type ExtractEntity } from './entities.ts';

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
  pageSizes?: Partial<Record<PageSizeName, number>>;
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

export interface PullSummary {
  runId: number;
  counts: Partial<Record<ExtractEntity, EntityCounts>>;
  /** Set after a bulk backfill of orders: what the bulk file held and what needed the paged API. */
  bulk?: BulkReport;
  /** Every entity a backfill read through a bulk operation. */
  bulkByEntity?: Partial<Record<ExtractEntity, BulkReport>>;
}

export interface Extractor {
  pull(request: PullRequest): Promise<Result<PullSummary>>;
}

type Json = Record<string, unknown>;

export function createExtractor(options: ExtractorOptions): Extractor {
  const { storage, client } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const nowIso = () => clock().toISOString();
  const base = {
    storage,
    client,
    logger,
    nowIso,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    download: options.fetch ?? fetch,
    // Page sizes that keep each page under Shopify's 1000-point single-query cost (see queries/orders.graphql).
    sizes: { orders: 2, customers: 50, products: 3, payments: 50, purchaseOrders: 4, ...options.pageSizes },
    overlapMs: options.overlapMs ?? 10 * 60_000,
    paymentsWindowMs: options.paymentsWindowMs ?? 30 * 24 * 3_600_000,
    bulkPollIntervalMs: options.bulkPollIntervalMs ?? 2_000,
    bulkWindow: options.bulkWindow,
    // The progress report of the entity whose counts these are (set while a watched pull reads that entity).
    ticks: new WeakMap<EntityCounts, () => void>(),
  };

  /** Stocky lists in full (the API has no change filter on purchase orders); hashes keep versions to changes. */
  async function pullStocky(ctx: PullContext, counts: EntityCounts): Promise<Result<void>> {
    const stocky = options.stocky;
    if (!stocky) throw new Error('purchaseOrderSource is stocky but no Stocky client was given');
    const lists: [StockyResource, SourceKind][] = [
      ['suppliers', 'stockySupplier'],
      ['purchase_orders', 'stockyPurchaseOrder'],
      ['stock_adjustments', 'stockyStockAdjustment'],
    ];
    for (const [resource, kind] of lists) {
      for await (const items of stocky.pages<{ id: number }>(resource)) {
        if (!items.ok) return items;
        const records = items.value.map((item) => ({
          kind,
          sourceId: String(item.id),
          sourceUpdatedAt: ((item as unknown as Json).updated_at as string | null) ?? null,
          payload: item,
        }));
        await storeBatch(ctx, records, null, counts);
      }
    }
    return ok(undefined);
  }

  /** How many records of `entity` the pull will read, when Shopify can count them (for progress only). */
  async function totalOf(entity: ExtractEntity, shopId: string, mode: PullRequest['mode']): Promise<number | null> {
    const operation = ENTITY_SPECS[entity].count;
    if (!operation) return null;
    const watermark = mode === 'backfill' ? null : await readWatermark(storage, shopId, entity);
    const overlapMs = base.overlapMs;
    const query = watermark ? `updated_at:>='${new Date(Date.parse(watermark) - overlapMs).toISOString()}'` : null;
    const answer = await client.request<Record<string, { count: number; precision: string } | null>>(
      documentText(operation[0]),
      { query },
    );
    // A count is a nicety: without one the display shows records read so far.
    return answer.ok ? (answer.value.data[operation[1]]?.count ?? null) : null;
  }

  async function pullEntity(
    ctx: PullContext,
    entity: ExtractEntity,
    mode: PullRequest['mode'],
    summary: PullSummary,
    bulk: Result<StartedBulk> | 'later' | undefined,
  ): Promise<Result<void>> {
    const counts: EntityCounts = { seen: 0, inserted: 0, unchanged: 0 };
    summary.counts[entity] = counts;
    const onProgress = ctx.onProgress;
    if (onProgress) {
      const total = await totalOf(entity, ctx.shopId, mode);
      const tick = () => onProgress({ type: 'entity', entity, seen: counts.seen, total, done: false });
      ctx.ticks.set(counts, tick);
      tick();
    }
    if (bulk) {
      const started = bulk === 'later' ? await startBulk(ctx, entity) : bulk;
      if (!started.ok) return started;
      const report = await ingestBulk(ctx, entity, started.value, counts);
      if (!report.ok) return report;
      summary.bulkByEntity = { ...summary.bulkByEntity, [entity]: report.value };
      if (entity === 'orders') summary.bulk = report.value;
      return ok(undefined);
    }
    if (entity === 'purchaseOrders' && options.purchaseOrderSource === 'stocky') return pullStocky(ctx, counts);
    for (const spec of ENTITY_SPECS[entity].paged) {
      const pulled = await pullPaged(ctx, entity, spec, counts, mode === 'backfill');
      if (!pulled.ok) return pulled;
    }
    return ok(undefined);
  }

  return {
    async pull(request) {
      const wanted = request.entities ?? ALL_ENTITIES;
      const entities = ALL_ENTITIES.filter((e) => wanted.includes(e));
      const startedAt = nowIso();
      const runId = await startRun(storage, {
        shopId: request.shopId,
        mode: request.mode,
        entities: wanted,
        startedAt,
      });
      const summary: PullSummary = { runId, counts: {} };
      const log = logger.child({ shopId: request.shopId, runId, mode: request.mode });
      const ctx: PullContext = { ...base, shopId: request.shopId, runId, onProgress: request.onProgress };
      const finish = (status: RunState, error: string | null) =>
        finishRun(storage, runId, { status, counts: summary.counts, error, finishedAt: nowIso() });
      const onProgress = request.onProgress;
      const unwatch = onProgress ? client.watch(onProgress) : () => {};
      try {
        // Every bulk operation first, so Shopify runs them while the earlier ones are ingested. One Shopify will
        // not run yet (its limit of operations at a time is reached) is started again when its turn comes.
        const bulk = new Map<ExtractEntity, Result<StartedBulk> | 'later'>();
        let limited = false;
        if (request.mode === 'backfill') {
          for (const entity of entities) {
            if (!ENTITY_SPECS[entity].bulk) continue;
            const started: Result<StartedBulk> | null = limited ? null : await startBulk(ctx, entity);
            limited ||= started !== null && isLimitReached(started);
            bulk.set(entity, started && !isLimitReached(started) ? started : 'later');
          }
        }
        for (const entity of backfillOrder(entities, request.mode)) {
          const outcome = await pullEntity(ctx, entity, request.mode, summary, bulk.get(entity));
          const counts = summary.counts[entity];
          if (outcome.ok && onProgress && counts) {
            onProgress({ type: 'entity', entity, seen: counts.seen, total: null, done: true });
          }
          if (!outcome.ok) {
            log.warn('extraction stopped', { entity, code: outcome.error.code, error: outcome.error.message });
            await finish('failed', JSON.stringify(outcome.error.toJSON()));
            return outcome;
          }
          log.info('entity pulled', { entity, ...summary.counts[entity] });
        }
      } catch (error) {
        await finish('failed', String((error as Error).message));
        throw error;
      } finally {
        unwatch();
      }
      await markPullRequestsHandled(storage, request.shopId, wanted, startedAt, nowIso());
      await finish('succeeded', null);
      return ok(summary);
    },
  };
}

/**
 * The order entities are read in. A backfill reads the paged entities while Shopify runs the bulk operations
 * (spending rate-limit points that would otherwise go unused), then ingests the operations, orders last: theirs is
 * the largest export, and reading its refunds by id spends the rate limit the other files do not.
 */
function backfillOrder(entities: readonly ExtractEntity[], mode: PullRequest['mode']): readonly ExtractEntity[] {
  if (mode !== 'backfill') return entities;
  const rank = (entity: ExtractEntity) => (!ENTITY_SPECS[entity].bulk ? 0 : entity === 'orders' ? 2 : 1);
  return [...entities].sort((a, b) => rank(a) - rank(b));
}
