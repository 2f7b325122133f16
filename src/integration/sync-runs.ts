import { randomUUID } from 'node:crypto';
import type { Generated, Selectable } from 'kysely';
import { sql } from 'kysely';
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
 * cannot prepare two runs for one shop at once. A preparing run holds a lease (SYNC_LEASE_MS) that its holder's
 * heartbeat renews (run-lease.ts); a lapsed lease means the holder died, and any instance takes the run over
 * (`claimInterruptedRun`) — within a minute, on both engines. The holder's token fences its moves: a holder that
 * was taken over cannot finish the run it lost.
 */
export const SYNC_LEASE_MS = 30_000;
/** How often the holder renews: three renewals fit in one lease, so a slow database does not lose it. */
export const SYNC_HEARTBEAT_MS = 10_000;
/** Takeovers after which a run that keeps stopping its server while preparing is failed instead. */
export const SYNC_MAX_TAKEOVERS = 2;
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
  /** Documents already in the outbox from earlier runs (whether this run produced them again or not). */
  alreadyPlanned: number;
  /** `key` names the record a note is about (`order/1042`) when it is about one. */
  notes: { code: string; message: string; key?: string }[];
  /**
   * The newest extraction run whose records this sync's transform read (null: none yet), and the day before which
   * it posted documents (the shop's today then): records of later runs and orders of that day or later are not in
   * QuickBooks yet. Absent on runs recorded before these were kept.
   */
  readThroughRun?: number | null;
  postedBefore?: string;
}

/** A transform's notes as a sync's summary keeps them: the message leads with the record it is about. */
export function summaryNotes(notes: readonly { key: string; code: string; text: string }[]): SyncSummary['notes'] {
  return notes.map((note) => ({ code: note.code, message: `${note.key}: ${note.text}`, key: note.key }));
}

/**
 * The record a summary note is about and its text without the `key: ` the sync writes in front. Runs recorded
 * before notes carried their key have it only as the message's prefix.
 */
export function noteSubject(note: SyncSummary['notes'][number]): { key: string; text: string } {
  const key = note.key ?? note.message.slice(0, Math.max(0, note.message.indexOf(': ')));
  const text = key && note.message.startsWith(`${key}: `) ? note.message.slice(key.length + 2) : note.message;
  return { key, text };
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
  /** While preparing: the holder's token (and the fencing token of its moves) and when its lease lapses. */
  leaseHolder: string | null;
  leaseExpiresAt: Date | null;
  /** Times the run was taken over from a holder that died while preparing it. */
  takeovers: number;
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
  lease_holder: string | null;
  lease_expires_at: string | null;
  takeovers: Generated<number>;
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
    leaseHolder: row.lease_holder,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
    takeovers: row.takeovers,
  };
}

function newHolder(): string {
  return randomUUID();
}

function leaseUntil(now: Date, leaseMs = SYNC_LEASE_MS): string {
  return new Date(now.getTime() + leaseMs).toISOString();
}

/**
 * Starts a run in `preparing`, its lease held by a new token; another run preparing for the shop is the expected
 * failure SYNC_ALREADY_RUNNING (the caller may take that one over once it is interrupted, `blockingRun`).
 */
export async function createSyncRun(
  q: Queryable,
  input: { shopId: string; companyFileId: string; trigger: SyncTrigger; scheduledDate?: string | null },
  now: Date,
  leaseMs = SYNC_LEASE_MS,
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
        lease_holder: newHolder(),
        lease_expires_at: leaseUntil(now, leaseMs),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return ok(syncRunFromRow(row));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Which rule refused it: a run preparing for the shop, or today's scheduled run already started.
    const preparing = await q.db
      .selectFrom('sync_runs')
      .select('id')
      .where('shop_id', '=', input.shopId)
      .where('state', '=', 'preparing')
      .executeTakeFirst();
    const scheduled = input.trigger === 'schedule' && preparing === undefined;
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
 * is an expected outcome: null, and the caller reads the run again. `fencedBy`: move only while this token holds
 * the run's lease (a holder that was taken over gets null). Leaving `preparing` releases the lease.
 */
export async function tryMoveSyncRun(
  q: Queryable,
  run: SyncRun,
  to: SyncRunState,
  changes: { summary?: SyncSummary; error?: SerializedConnectorError | null },
  now: Date,
  options: { fencedBy?: string | null } = {},
): Promise<SyncRun | null> {
  if (!canMoveSyncRun(run.state, to)) throw new Error(`Sync run ${run.id} cannot move from ${run.state} to ${to}`);
  let update = q.db
    .updateTable('sync_runs')
    .set({
      state: to,
      ...(changes.summary !== undefined ? { summary: toDbJson(changes.summary) } : {}),
      ...(changes.error !== undefined ? { error: changes.error === null ? null : toDbJson(changes.error) } : {}),
      ...(to === 'delivering' ? { planned_at: now.toISOString() } : {}),
      ...(to === 'completed' || to === 'completed_with_attention' || to === 'failed'
        ? { finished_at: now.toISOString() }
        : {}),
      ...(run.state === 'preparing' ? { lease_holder: null, lease_expires_at: null } : {}),
    })
    .where('id', '=', Number(run.id))
    .where('state', '=', run.state);
  if (options.fencedBy !== undefined) {
    if (options.fencedBy === null) return null;
    update = update.where('lease_holder', '=', options.fencedBy);
  }
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  const updated = await getSyncRun(q, run.id);
  if (!updated) throw new Error(`Sync run ${run.id} vanished`);
  return updated;
}

/** The holder's heartbeat: extends its lease; false when it no longer holds the run (taken over, or finished). */
export async function renewSyncRunLease(
  q: Queryable,
  run: Pick<SyncRun, 'id' | 'leaseHolder'>,
  now: Date,
  leaseMs = SYNC_LEASE_MS,
): Promise<boolean> {
  if (run.leaseHolder === null) return false;
  const result = await q.db
    .updateTable('sync_runs')
    .set({ lease_expires_at: leaseUntil(now, leaseMs) })
    .where('id', '=', Number(run.id))
    .where('state', '=', 'preparing')
    .where('lease_holder', '=', run.leaseHolder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Runs still preparing whose holder stopped renewing (or that predate leases), oldest first. */
export async function listInterruptedRuns(q: Queryable, now: Date): Promise<SyncRun[]> {
  const rows = await q.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('state', '=', 'preparing')
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now.toISOString())]))
    .orderBy('id')
    .execute();
  return rows.map(syncRunFromRow);
}

/**
 * Takes an interrupted run over: a new token holds its lease (and counts the takeover). Null when its holder
 * renewed meanwhile or another instance claimed it first — exactly one claimant wins.
 */
export async function claimInterruptedRun(
  q: Queryable,
  run: SyncRun,
  now: Date,
  leaseMs = SYNC_LEASE_MS,
): Promise<SyncRun | null> {
  let update = q.db
    .updateTable('sync_runs')
    .set({
      lease_holder: newHolder(),
      lease_expires_at: leaseUntil(now, leaseMs),
      takeovers: sql<number>`takeovers + 1`,
    })
    .where('id', '=', Number(run.id))
    .where('state', '=', 'preparing')
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now.toISOString())]));
  update =
    run.leaseHolder === null
      ? update.where('lease_holder', 'is', null)
      : update.where('lease_holder', '=', run.leaseHolder);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  return getSyncRun(q, run.id);
}

/** The run preparing for a shop (what a refused createSyncRun ran into), if any. */
export async function preparingRunOf(q: Queryable, shopId: string): Promise<SyncRun | null> {
  const row = await q.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('state', '=', 'preparing')
    .executeTakeFirst();
  return row ? syncRunFromRow(row) : null;
}

/**
 * Whether a run is being prepared for the company file right now (its holder is alive): the delivery answers NoOp
 * rather than ending the session. A run whose lease lapsed keeps nobody waiting.
 */
export async function isPreparing(q: Queryable, companyFileId: string, now: Date): Promise<boolean> {
  const row = await q.db
    .selectFrom('sync_runs')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'preparing')
    .where('lease_expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}
