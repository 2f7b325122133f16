/** Giving back what a session leased or sent when it ends, gives up, or its lease runs out. */
import { inTransaction, type Queryable, type TransactionScope, toDbTime } from '../storage/index.ts';
import type { OutboxEntry } from './entries.ts';
import { loseMessageSetsOf, moveEntries } from './transitions.ts';

/** Gives back leased entries the session decided not to send after all (a smaller message set): → `pending`. */
export function returnLeased(
  q: Queryable,
  sessionId: string,
  entryIds: readonly number[],
  now = new Date(),
): Promise<OutboxEntry[]> {
  return inTransaction(q, (scope) =>
    moveEntries(
      scope,
      'leased',
      'pending',
      { sessionId, ids: entryIds },
      { lease_session_id: null, lease_expires_at: null },
      now,
    ),
  );
}

export interface Released {
  /** Leased but never sent: back to pending. */
  returnedToPending: OutboxEntry[];
  /** Sent with no response: now unknown. */
  becameUnknown: OutboxEntry[];
}

/**
 * The session ended (closeConnection, connectionError, expiry): what it leased but did not send goes back to
 * `pending`; what it sent without a response becomes `unknown`.
 */
export function releaseSession(q: Queryable, sessionId: string, now = new Date()): Promise<Released> {
  return inTransaction(q, async (scope) => {
    const returnedToPending = await moveEntries(
      scope,
      'leased',
      'pending',
      { sessionId },
      { lease_session_id: null, lease_expires_at: null },
      now,
    );
    const becameUnknown = await moveEntries(
      scope,
      'sent',
      'unknown',
      { sessionId },
      { lease_session_id: null, lease_expires_at: null },
      now,
    );
    await loseMessageSetsOf(
      scope,
      becameUnknown.map((e) => e.id),
    );
    return { returnedToPending, becameUnknown };
  });
}

export async function releaseExpiredLeasesIn(
  scope: TransactionScope,
  companyFileId: string,
  now: Date,
): Promise<Released> {
  const filter = { companyFileId, leaseExpiredBy: now };
  const cleared = { lease_session_id: null, lease_expires_at: null };
  const returnedToPending = await moveEntries(scope, 'leased', 'pending', filter, cleared, now);
  const becameUnknown = await moveEntries(scope, 'sent', 'unknown', filter, cleared, now);
  await loseMessageSetsOf(
    scope,
    becameUnknown.map((e) => e.id),
  );
  return { returnedToPending, becameUnknown };
}

/** Leases that ran out (a session that vanished): leased → pending, sent → unknown. `lease` does this first anyway. */
export function releaseExpiredLeases(q: Queryable, companyFileId: string, now = new Date()): Promise<Released> {
  return inTransaction(q, (scope) => releaseExpiredLeasesIn(scope, companyFileId, now));
}

/** Entries whose lease ran out by `now` (what releaseExpiredLeases would release), as a subquery for EXISTS. */
export function leasesRunOutOf(q: Queryable, companyFileId: string, now: Date) {
  return q.db
    .selectFrom('outbox_entries')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', 'in', ['leased', 'sent'])
    .where('lease_expires_at', '<=', toDbTime(now));
}

/** Entries waiting to retry whose time has come by `now` (lease moves them back to pending), for EXISTS. */
export function retriesDueOf(q: Queryable, companyFileId: string, now: Date) {
  return q.db
    .selectFrom('outbox_entries')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'retry_wait')
    .where('next_attempt_at', '<=', toDbTime(now));
}
