import type { Generated, Selectable } from 'kysely';
import { ConnectorError, err, ok, type Result, type SerializedConnectorError } from '../errors/index.ts';
import { fromDbJson, isUniqueViolation, type Queryable, toDbJson } from '../storage/index.ts';

/**
 * A sync run: extract → transform → plan → outbox, then delivery as the Web Connector polls.
 *
 *   preparing ──► delivering ──► completed
 *       │              └──────► completed_with_attention (something needs the merchant)
 *       └──► failed (extract/transform/plan could not finish; nothing half-planned is left: planning is one
 *                    transaction)
 *
 * `preparing` is unique per shop in the database: two instances (or a manual click during a scheduled run)
 * cannot prepare two runs for one shop at once.
 */
export const SYNC_RUN_STATES = ['preparing', 'delivering', 'completed', 'completed_with_attention', 'failed'] as const;
export type SyncRunState = (typeof SYNC_RUN_STATES)[number];
export type SyncTrigger = 'manual' | 'schedule' | 'start';

const TRANSITIONS: Record<SyncRunState, readonly SyncRunState[]> = {
  preparing: ['delivering', 'failed'],
  delivering: ['completed', 'completed_with_attention'],
  completed: [],
  completed_with_attention: ['completed'],
  failed: [],
};

export function canMoveSyncRun(from: SyncRunState, to: SyncRunState): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface SyncSummary {
  /** Source records pulled, by entity: seen / new versions. */
  extracted: Record<string, { seen: number; inserted: number }>;
  /** Documents the transform produced (list records + transactions). */
  documents: number;
  /** Requests planned into the outbox by this run (new keys only; keys already there add nothing). */
  planned: number;
  /** Requests that were already in the outbox from earlier runs. */
  alreadyPlanned: number;
  notes: { code: string; message: string }[];
}

export interface SyncRun {
  id: string;
  shopId: string;
  companyFileId: string;
  trigger: SyncTrigger;
  scheduledDate: string | null;
  state: SyncRunState;
  summary: SyncSummary | null;
  error: SerializedConnectorError | null;
  startedAt: Date;
  plannedAt: Date | null;
  finishedAt: Date | null;
}

export interface SyncRunRow {
  id: Generated<number>;
  shop_id: string;
  company_file_id: string;
  trigger: string;
  scheduled_date: string | null;
  state: string;
  summary: string | null;
  error: string | null;
  started_at: string;
  planned_at: string | null;
  finished_at: string | null;
}

declare module '../storage/schema.ts' {
  interface Database {
    sync_runs: SyncRunRow;
  }
}

export function syncRunFromRow(row: Selectable<SyncRunRow>): SyncRun {
  if (!(SYNC_RUN_STATES as readonly string[]).includes(row.state)) {
    throw new Error(`Sync run ${row.id} has unknown state ${row.state}`);
  }
  return {
    id: String(row.id),
    shopId: row.shop_id,
    companyFileId: row.company_file_id,
    trigger: row.trigger as SyncTrigger,
    scheduledDate: row.scheduled_date,
    state: row.state as SyncRunState,
    summary: row.summary === null ? null : fromDbJson<SyncSummary>(row.summary),
    error: row.error === null ? null : fromDbJson<SerializedConnectorError>(row.error),
    startedAt: new Date(row.started_at),
    plannedAt: row.planned_at === null ? null : new Date(row.planned_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** Starts a run in `preparing`; another run preparing for the shop is the expected failure SYNC_ALREADY_RUNNING. */
export async function createSyncRun(
  q: Queryable,
  input: { shopId: string; companyFileId: string; trigger: SyncTrigger; scheduledDate?: string | null },
  now: Date,
): Promise<Result<SyncRun>> {
  try {
    const row = await q.db
      .insertInto('sync_runs')
      .values({
        shop_id: input.shopId,
        company_file_id: input.companyFileId,
        trigger: input.trigger,
        scheduled_date: input.scheduledDate ?? null,
        state: 'preparing',
        summary: null,
        error: null,
        started_at: now.toISOString(),
        planned_at: null,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return ok(syncRunFromRow(row));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const scheduled = input.trigger === 'schedule';
    return err(
      new ConnectorError({
        code: scheduled ? 'SYNC_ALREADY_SCHEDULED' : 'SYNC_ALREADY_RUNNING',
        message: scheduled
          ? `Scheduled sync of ${input.scheduledDate} for shop ${input.shopId} already started`
          : `A sync is already being prepared for shop ${input.shopId}`,
        merchantMessage: scheduled
          ? 'Today’s scheduled sync has already run.'
          : 'A sync is already running for this shop. Wait for it to finish; its progress is shown in the status.',
        retryable: true,
      }),
    );
  }
}

export async function getSyncRun(q: Queryable, id: string): Promise<SyncRun | null> {
  const row = await q.db.selectFrom('sync_runs').selectAll().where('id', '=', Number(id)).executeTakeFirst();
  return row ? syncRunFromRow(row) : null;
}

export async function listSyncRuns(q: Queryable, shopId: string, limit = 20): Promise<SyncRun[]> {
  const rows = await q.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(syncRunFromRow);
}

export async function listSyncRunsInState(q: Queryable, states: readonly SyncRunState[]): Promise<SyncRun[]> {
  const rows = await q.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('state', 'in', [...states])
    .orderBy('id')
    .execute();
  return rows.map(syncRunFromRow);
}

/** Moves a run along the transition table; an illegal move is a bug and throws, and so does a lost race. */
export async function moveSyncRun(
  q: Queryable,
  run: SyncRun,
  to: SyncRunState,
  changes: { summary?: SyncSummary; error?: SerializedConnectorError | null },
  now: Date,
): Promise<SyncRun> {
  const moved = await tryMoveSyncRun(q, run, to, changes, now);
  if (!moved) throw new Error(`Sync run ${run.id} was moved by someone else`);
  return moved;
}

/**
 * Like moveSyncRun, but another instance having moved the run first (two callers settling the same finished run)
 * is an expected outcome: null, and the caller reads the run again.
 */
export async function tryMoveSyncRun(
  q: Queryable,
  run: SyncRun,
  to: SyncRunState,
  changes: { summary?: SyncSummary; error?: SerializedConnectorError | null },
  now: Date,
): Promise<SyncRun | null> {
  if (!canMoveSyncRun(run.state, to)) throw new Error(`Sync run ${run.id} cannot move from ${run.state} to ${to}`);
  const result = await q.db
    .updateTable('sync_runs')
    .set({
      state: to,
      ...(changes.summary !== undefined ? { summary: toDbJson(changes.summary) } : {}),
      ...(changes.error !== undefined ? { error: changes.error === null ? null : toDbJson(changes.error) } : {}),
      ...(to === 'delivering' ? { planned_at: now.toISOString() } : {}),
      ...(to === 'completed' || to === 'completed_with_attention' || to === 'failed'
        ? { finished_at: now.toISOString() }
        : {}),
    })
    .where('id', '=', Number(run.id))
    .where('state', '=', run.state)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  const updated = await getSyncRun(q, run.id);
  if (!updated) throw new Error(`Sync run ${run.id} vanished`);
  return updated;
}

/** Whether a shop has a run still preparing: the delivery answers NoOp rather than ending the session. */
export async function isPreparing(q: Queryable, companyFileId: string): Promise<boolean> {
  const row = await q.db
    .selectFrom('sync_runs')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'preparing')
    .executeTakeFirst();
  return row !== undefined;
}
