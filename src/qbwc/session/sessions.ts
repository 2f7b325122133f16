import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Queryable } from '../../storage/index.ts';
import type { WebConnectorSessionRow } from './tables.ts';
import './tables.ts';

/**
 * Web Connector sessions live in the database, found again by a hash of the ticket: any server instance can answer
 * any call of a session, and a leaked database dump gives no usable ticket. Tickets carry 256 random bits, so a
 * fast hash is enough (a slow hash protects low-entropy secrets such as passwords, not these).
 */

/**
 * QBWC waits for each answer, but a session that stops calling for this long has been abandoned. As long as the
 * outbox's lease (10 minutes), so a vanished session's work and its company file come free together.
 */
export const SESSION_IDLE_MS = 10 * 60 * 1000;
/**
 * A new authenticate for a company file whose open session has made no call for this long takes that session
 * over. QBWC calls without pause while it works (the NoOp pause is about 5 s), and the only long gap in a live
 * session is QuickBooks running a message set, which the default 25 requests keep well under a minute; a session
 * this quiet has lost its Web Connector (or the process that served it), and the file must not stay busy.
 */
export const SESSION_TAKEOVER_MS = 60 * 1000;
/** How far authenticate counts the work waiting: past it the figure is only "a lot", and counting costs a scan. */
export const WORK_AT_START_COUNTED = 10_000;
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface WebConnectorSession {
  id: string;
  companyFileId: string;
  state: 'open' | 'closed' | 'expired';
  companyChecked: boolean;
  /** Entries not yet settled when the session opened, counted up to WORK_AT_START_COUNTED. */
  workAtStart: number;
  /** Entries settled as applied: documents and list records added, lists and reports read. */
  entriesApplied: number;
  /** Of those, what QuickBooks recorded (adds and mods). */
  documentsRecorded: number;
  /** Of those, reports QuickBooks answered; the rest of entriesApplied are lists read. */
  reportsRead: number;
  entriesFailed: number;
  messageSetsSent: number;
  lastError: string | null;
  closeReason: string | null;
  /** What went wrong that the merchant must hear about (not routine endings), with its code. */
  problem: { code: string; message: string } | null;
  startedAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}

function toSession(row: WebConnectorSessionRow): WebConnectorSession {
  return {
    id: row.id,
    companyFileId: row.company_file_id,
    state: row.state as WebConnectorSession['state'],
    companyChecked: row.company_checked === 1,
    workAtStart: row.work_at_start,
    entriesApplied: row.entries_applied,
    documentsRecorded: row.documents_recorded,
    reportsRead: row.reports_read,
    entriesFailed: row.entries_failed,
    messageSetsSent: row.message_sets_sent,
    lastError: row.last_error,
    closeReason: row.close_reason,
    problem:
      row.problem === null || row.problem === undefined
        ? null
        : { code: row.problem_code ?? 'QBWC_SESSION_PROBLEM', message: row.problem },
    startedAt: new Date(row.started_at),
    lastSeenAt: new Date(row.last_seen_at),
    expiresAt: new Date(row.expires_at),
  };
}

export type OpenSessionResult =
  | { ok: true; ticket: string; session: WebConnectorSession }
  | { ok: false; reason: 'busy' };

/**
 * Opens a session for the company file unless another live one holds it. A session whose Web Connector went quiet
 * past its expiry is retired first (its leases are the outbox's to reclaim). The partial unique index on open
 * sessions decides races between server instances: exactly one insert wins, the others answer 'busy'.
 */
export async function openSession(
  scope: Queryable,
  input: { companyFileId: string; workAtStart: number; now: Date; idleMs?: number },
): Promise<OpenSessionResult> {
  const now = input.now.toISOString();
  await scope.db
    .updateTable('qbwc_sessions')
    .set({ state: 'expired', close_reason: 'The Web Connector stopped calling; the session expired.', closed_at: now })
    .where('company_file_id', '=', input.companyFileId)
    .where('state', '=', 'open')
    .where('expires_at', '<=', now)
    .execute();
  const ticket = randomBytes(32).toString('base64url');
  const row: WebConnectorSessionRow = {
    id: randomUUID(),
    ticket_hash: hashTicket(ticket),
    company_file_id: input.companyFileId,
    state: 'open',
    company_checked: 0,
    work_at_start: input.workAtStart,
    entries_applied: 0,
    documents_recorded: 0,
    reports_read: 0,
    entries_failed: 0,
    message_sets_sent: 0,
    last_error: null,
    close_reason: null,
    started_at: now,
    last_seen_at: now,
    expires_at: new Date(input.now.getTime() + (input.idleMs ?? SESSION_IDLE_MS)).toISOString(),
    closed_at: null,
    outstanding_message_set_id: null,
    problem: null,
    problem_code: null,
  };
  try {
    await scope.db.insertInto('qbwc_sessions').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'busy' };
    throw error;
  }
  // A problem of an earlier session is no longer news once a new one starts (getLastError's text keeps it).
  await scope.db
    .updateTable('qbwc_sessions')
    .set({ problem: null, problem_code: null })
    .where('company_file_id', '=', input.companyFileId)
    .where('id', '!=', row.id)
    .where('problem', 'is not', null)
    .execute();
  return { ok: true, ticket, session: toSession(row) };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  // PostgreSQL: SQLSTATE 23505. node:sqlite: SQLITE_CONSTRAINT_UNIQUE (2067) / "UNIQUE constraint failed".
  return (
    e.code === '23505' || e.errcode === 2067 || (typeof e.message === 'string' && /UNIQUE constraint/.test(e.message))
  );
}

/** The open session a ticket names, or null (unknown, closed or expired ticket). Seeing it extends its life. */
export async function findOpenSession(
  scope: Queryable,
  ticket: string,
  now: Date,
  idleMs = SESSION_IDLE_MS,
): Promise<WebConnectorSession | null> {
  const row = await scope.db
    .selectFrom('qbwc_sessions')
    .selectAll()
    .where('ticket_hash', '=', hashTicket(ticket))
    .executeTakeFirst();
  if (row?.state !== 'open') return null;
  if (row.expires_at <= now.toISOString()) return null;
  await touchSession(scope, row.id, now, idleMs);
  return toSession(row);
}

/**
 * Records that the session just made a call. Every call does this, so on PostgreSQL it does not wait for the disk
 * (unless it is part of a caller's transaction): lost in a crash, the session only looks idle a few seconds early.
 */
async function touchSession(scope: Queryable, sessionId: string, now: Date, idleMs: number): Promise<void> {
  const touch = (q: Queryable) =>
    q.db
      .updateTable('qbwc_sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + idleMs).toISOString() })
      .where('id', '=', sessionId)
      .execute();
  if (scope.engine !== 'postgres' || scope.db.isTransaction) {
    await touch(scope);
    return;
  }
  await scope.db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    await touch({ db: trx, engine: scope.engine });
  });
}

/** The open session of a company file, if any, with when it last made a call. */
export async function findOpenSessionOfCompanyFile(
  scope: Queryable,
  companyFileId: string,
): Promise<WebConnectorSession | null> {
  const row = await scope.db
    .selectFrom('qbwc_sessions')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return row ? toSession(row) : null;
}

/** Sessions of the company file with a problem still to report (a new session clears the older ones'). */
export async function sessionsWithProblems(scope: Queryable, companyFileId: string): Promise<WebConnectorSession[]> {
  const rows = await scope.db
    .selectFrom('qbwc_sessions')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('problem', 'is not', null)
    .orderBy('started_at')
    .execute();
  return rows.map(toSession);
}

/** Records what went wrong in the session for the merchant (the status lists it until a later session starts). */
export async function noteSessionProblem(
  scope: Queryable,
  sessionId: string,
  problem: { code: string; message: string },
): Promise<void> {
  await scope.db
    .updateTable('qbwc_sessions')
    .set({ problem: problem.message, problem_code: problem.code })
    .where('id', '=', sessionId)
    .execute();
}

/** Any session (open or not) by ticket: getLastError and closeConnection still answer after the session ended. */
export async function findSessionByTicket(scope: Queryable, ticket: string): Promise<WebConnectorSession | null> {
  const row = await scope.db
    .selectFrom('qbwc_sessions')
    .selectAll()
    .where('ticket_hash', '=', hashTicket(ticket))
    .executeTakeFirst();
  return row ? toSession(row) : null;
}

export async function updateSession(
  scope: Queryable,
  sessionId: string,
  changes: Partial<{
    companyChecked: boolean;
    lastError: string | null;
    addApplied: number;
    /** Of addApplied: recorded by QuickBooks (adds, mods). */
    addRecorded: number;
    /** Of addApplied: reports read. */
    addReportsRead: number;
    addFailed: number;
    addMessageSets: number;
    /** The message set the session now waits on (null: none). */
    outstandingMessageSetId: string | null;
  }>,
): Promise<void> {
  let query = scope.db.updateTable('qbwc_sessions').where('id', '=', sessionId);
  if (changes.companyChecked !== undefined) query = query.set({ company_checked: changes.companyChecked ? 1 : 0 });
  if (changes.lastError !== undefined) query = query.set({ last_error: changes.lastError });
  if (changes.addApplied) query = query.set({ entries_applied: sql<number>`entries_applied + ${changes.addApplied}` });
  if (changes.addRecorded) {
    query = query.set({ documents_recorded: sql<number>`documents_recorded + ${changes.addRecorded}` });
  }
  if (changes.addReportsRead) {
    query = query.set({ reports_read: sql<number>`reports_read + ${changes.addReportsRead}` });
  }
  if (changes.addFailed) query = query.set({ entries_failed: sql<number>`entries_failed + ${changes.addFailed}` });
  if (changes.addMessageSets) {
    query = query.set({ message_sets_sent: sql<number>`message_sets_sent + ${changes.addMessageSets}` });
  }
  if (changes.outstandingMessageSetId !== undefined) {
    query = query.set({ outstanding_message_set_id: changes.outstandingMessageSetId });
  }
  await query.execute();
}

export async function closeSession(
  scope: Queryable,
  sessionId: string,
  reason: string,
  now: Date,
): Promise<WebConnectorSession | null> {
  await scope.db
    .updateTable('qbwc_sessions')
    .set({ state: 'closed', close_reason: reason, closed_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('state', '=', 'open')
    .execute();
  const row = await scope.db.selectFrom('qbwc_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  return row ? toSession(row) : null;
}

/**
 * Counts a wrong password. The fifth within the window locks the company file for LOCKOUT_MS: authenticate then
 * answers 'nvu' without even checking, so guessing the token online is hopeless. Returns whether it is now locked.
 */
export async function recordLoginFailure(scope: Queryable, companyFileId: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  await scope.db.insertInto('qbwc_login_failures').values({ company_file_id: companyFileId, failed_at: at }).execute();
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  await scope.db
    .deleteFrom('qbwc_login_failures')
    .where('company_file_id', '=', companyFileId)
    .where('failed_at', '<', since)
    .execute();
  const counted = await scope.db
    .selectFrom('qbwc_login_failures')
    .select((eb) => eb.fn.countAll<number>().as('failures'))
    .where('company_file_id', '=', companyFileId)
    .executeTakeFirstOrThrow();
  const failures = Number(counted.failures);
  const locked = failures >= LOCKOUT_FAILURES;
  await scope.db
    .updateTable('company_files')
    .set({
      failed_logins: failures,
      updated_at: at,
      ...(locked ? { locked_until: new Date(now.getTime() + LOCKOUT_MS).toISOString() } : {}),
    })
    .where('id', '=', companyFileId)
    .execute();
  if (locked) await scope.db.deleteFrom('qbwc_login_failures').where('company_file_id', '=', companyFileId).execute();
  return locked;
}

/** A right password forgets earlier failures. */
export async function clearLoginFailures(scope: Queryable, companyFileId: string): Promise<void> {
  await scope.db.deleteFrom('qbwc_login_failures').where('company_file_id', '=', companyFileId).execute();
}

/** A company file's latest Web Connector sessions, newest first, with when each was last heard from. */
export async function recentSessions(
  q: Queryable,
  companyFileId: string,
  limit = 5,
): Promise<(WebConnectorSession & { lastSeenAt: Date; closedAt: Date | null })[]> {
  const rows = await q.db
    .selectFrom('qbwc_sessions')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...toSession(row),
    lastSeenAt: new Date(row.last_seen_at),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
  }));
}
