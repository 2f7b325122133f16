import { type Generated, sql } from 'kysely';
import type { Queryable } from '../storage/index.ts';

/**
 * The extractor's own bookkeeping, and every statement on its `extract_*` tables: runs, per-entity watermarks, the
 * bulk operations it started, and the pulls webhooks asked for.
 *
 * A run's life: `running` ──every entity pulled──> `succeeded`
 *                  └──an entity failed, or the pull threw──> `failed`
 * A run never starts again: the next pull is a new run, resuming from the watermarks and the bulk operations
 * recorded here. `finishRun` enforces the table below.
 */
export const RUN_STATES = ['running', 'succeeded', 'failed'] as const;

export type RunState = (typeof RUN_STATES)[number];

export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  running: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

export function assertRunTransition(from: string, to: RunState, runId: number): void {
  const allowed = (RUN_TRANSITIONS as Record<string, readonly RunState[] | undefined>)[from];
  if (!allowed?.includes(to)) throw new Error(`Illegal extract run transition ${from} → ${to} for run ${runId}`);
}

/**
 * Shopify's bulk operation statuses as the extractor records them, plus `MISSING` (Shopify no longer knows the
 * operation: expired or never of this shop). An operation still `CREATED`, `RUNNING` or `COMPLETED` and not yet
 * ingested is resumed by the next backfill instead of starting another.
 */
export const RESUMABLE_BULK_STATUSES = ['CREATED', 'RUNNING', 'COMPLETED'] as const;

export interface ExtractRunRow {
  id: Generated<number>;
  shop_id: string;
  mode: string;
  entities: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  counts: string;
  error: string | null;
}

export interface ExtractCursorRow {
  shop_id: string;
  entity: string;
  watermark: string | null;
  updated_at: string;
}

export interface ExtractBulkOperationRow {
  id: string;
  shop_id: string;
  entity: string;
  status: string;
  url: string | null;
  error_code: string | null;
  created_at: string;
  finished_at: string | null;
  ingested_at: string | null;
}

export interface ExtractPullRequestRow {
  id: Generated<number>;
  shop_id: string;
  entity: string;
  source_id: string | null;
  reason: string;
  requested_at: string;
  handled_at: string | null;
}

declare module '../storage/schema.ts' {
  interface Database {
    extract_runs: ExtractRunRow;
    extract_cursors: ExtractCursorRow;
    extract_bulk_operations: ExtractBulkOperationRow;
    extract_pull_requests: ExtractPullRequestRow;
  }
}

// Runs

export async function startRun(
  scope: Queryable,
  run: { shopId: string; mode: string; entities: readonly string[]; startedAt: string },
): Promise<number> {
  const inserted = await scope.db
    .insertInto('extract_runs')
    .values({
      shop_id: run.shopId,
      mode: run.mode,
      entities: JSON.stringify(run.entities),
      status: 'running' satisfies RunState,
      started_at: run.startedAt,
      finished_at: null,
      counts: '{}',
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function finishRun(
  scope: Queryable,
  runId: number,
  outcome: { status: RunState; counts: unknown; error: string | null; finishedAt: string },
): Promise<void> {
  const row = await scope.db.selectFrom('extract_runs').select('status').where('id', '=', runId).executeTakeFirst();
  assertRunTransition(row?.status ?? '(no such run)', outcome.status, runId);
  await scope.db
    .updateTable('extract_runs')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      counts: JSON.stringify(outcome.counts),
      error: outcome.error,
    })
    .where('id', '=', runId)
    .execute();
}

/** The highest run id of a shop, for "changed since" bookkeeping by callers. */
export async function lastRunId(scope: Queryable, shopId: string): Promise<number | null> {
  const row = await scope.db
    .selectFrom('extract_runs')
    .select(sql<number | null>`max(id)`.as('id'))
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  return row?.id == null ? null : Number(row.id);
}

/** The shop's latest run and its state: what was read is complete only once it is no longer `running`. */
export async function lastRun(scope: Queryable, shopId: string): Promise<{ id: number; status: RunState } | null> {
  const row = await scope.db
    .selectFrom('extract_runs')
    .select(['id', 'status'])
    .where('shop_id', '=', shopId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: Number(row.id), status: row.status as RunState } : null;
}

// Watermarks

export async function readWatermark(scope: Queryable, shopId: string, entity: string): Promise<string | null> {
  const row = await scope.db
    .selectFrom('extract_cursors')
    .select('watermark')
    .where('shop_id', '=', shopId)
    .where('entity', '=', entity)
    .executeTakeFirst();
  return row?.watermark ?? null;
}

export async function writeWatermark(
  scope: Queryable,
  shopId: string,
  entity: string,
  watermark: string | null,
  now: string,
): Promise<void> {
  if (watermark === null) return;
  await scope.db
    .insertInto('extract_cursors')
    .values({ shop_id: shopId, entity, watermark, updated_at: now })
    .onConflict((oc) => oc.columns(['shop_id', 'entity']).doUpdateSet({ watermark, updated_at: now }))
    .execute();
}

// Bulk operations

/** The newest operation of this entity that a backfill can still use (running, or finished and not ingested). */
export async function resumableBulkOperation(
  scope: Queryable,
  shopId: string,
  entity: string,
): Promise<{ id: string; createdAt: string } | null> {
  const row = await scope.db
    .selectFrom('extract_bulk_operations')
    .select(['id', 'created_at'])
    .where('shop_id', '=', shopId)
    .where('entity', '=', entity)
    .where('ingested_at', 'is', null)
    .where('status', 'in', [...RESUMABLE_BULK_STATUSES])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id, createdAt: row.created_at } : null;
}

export async function recordBulkOperation(
  scope: Queryable,
  operation: { id: string; shopId: string; entity: string; status: string; createdAt: string },
): Promise<void> {
  await scope.db
    .insertInto('extract_bulk_operations')
    .values({
      id: operation.id,
      shop_id: operation.shopId,
      entity: operation.entity,
      status: operation.status,
      url: null,
      error_code: null,
      created_at: operation.createdAt,
      finished_at: null,
      ingested_at: null,
    })
    .execute();
}

export async function recordBulkOutcome(
  scope: Queryable,
  id: string,
  outcome: { status: string; url?: string | null; errorCode?: string | null; finishedAt: string },
): Promise<void> {
  await scope.db
    .updateTable('extract_bulk_operations')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      ...(outcome.url !== undefined ? { url: outcome.url } : {}),
      ...(outcome.errorCode !== undefined ? { error_code: outcome.errorCode } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markBulkIngested(scope: Queryable, id: string, now: string): Promise<void> {
  await scope.db.updateTable('extract_bulk_operations').set({ ingested_at: now }).where('id', '=', id).execute();
}

// Pull requests (recorded by webhooks, handled by the next pull)

export async function recordPullRequest(
  scope: Queryable,
  request: { shopId: string; entity: string; sourceId: string | null; reason: string; now: string; handled: boolean },
): Promise<void> {
  await scope.db
    .insertInto('extract_pull_requests')
    .values({
      shop_id: request.shopId,
      entity: request.entity,
      source_id: request.sourceId,
      reason: request.reason,
      requested_at: request.now,
      handled_at: request.handled ? request.now : null,
    })
    .execute();
}

/** Marks handled what a pull that started at `startedAt` and read `entities` has covered. */
export async function markPullRequestsHandled(
  scope: Queryable,
  shopId: string,
  entities: readonly string[],
  startedAt: string,
  now: string,
): Promise<void> {
  await scope.db
    .updateTable('extract_pull_requests')
    .set({ handled_at: now })
    .where('shop_id', '=', shopId)
    .where('handled_at', 'is', null)
    .where('entity', 'in', [...entities])
    .where('requested_at', '<=', startedAt)
    .execute();
}

/**
 * Requests recorded by webhooks and not yet handled: pulls due (what the scheduler looks at) and customer data
 * requests the merchant must answer (entity `compliance`).
 */
export async function pendingPullRequests(
  scope: Queryable,
  shopId: string,
): Promise<{ entity: string; sourceId: string | null; reason: string; requestedAt: string }[]> {
  const rows = await scope.db
    .selectFrom('extract_pull_requests')
    .select(['entity', 'source_id', 'reason', 'requested_at'])
    .where('shop_id', '=', shopId)
    .where('handled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ entity: r.entity, sourceId: r.source_id, reason: r.reason, requestedAt: r.requested_at }));
}

/** A shop's redaction: its watermarks and bulk operations go (runs and pull requests stay as the record). */
export async function forgetExtractState(scope: Queryable, shopId: string): Promise<void> {
  await scope.db.deleteFrom('extract_cursors').where('shop_id', '=', shopId).execute();
  await scope.db.deleteFrom('extract_bulk_operations').where('shop_id', '=', shopId).execute();
}
