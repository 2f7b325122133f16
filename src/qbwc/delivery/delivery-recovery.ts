/** The message set a session waits on, and getting back to a known state when its response was lost. */
import { sql } from 'kysely';
import { type FollowUpQuery, identityQueryFor } from '../../apply/index.ts';
import {
  entriesLeasedBy,
  getEntry,
  leasesRunOutOf,
  listUnknownOutsideMessageSets,
  markNotApplied,
  markUnknown,
  type OutboxEntry,
  retriesDueOf,
  unknownEntriesOf,
} from '../../outbox/index.ts';
import {
  type CompanyFile,
  getMessageSet,
  listUnansweredMessageSets,
  type MessageSet,
  moveMessageSet,
  toDbJson,
} from '../../storage/index.ts';
import { updateSession, type WebConnectorSession } from '../session/index.ts';
import { atomically, type DeliveryContext } from './delivery-context.ts';
import { deliveryRequest, withOldMessageSetId } from './delivery-helpers.ts';

/** A follow-up QuickBooks answered with an error waits this long, doubling, up to an hour. */
const FOLLOW_UP_RETRY_MS = 30_000;
const FOLLOW_UP_RETRY_MAX_MS = 60 * 60_000;

export async function outstandingSet(ctx: DeliveryContext, session: WebConnectorSession): Promise<MessageSet | null> {
  const row = await ctx.storage.db
    .selectFrom('qbwc_sessions')
    .select('outstanding_message_set_id')
    .where('id', '=', session.id)
    .executeTakeFirst();
  const id = row?.outstanding_message_set_id ?? null;
  return id === null ? null : getMessageSet(ctx.storage, id);
}

/**
 * What a sendRequestXML may have to do besides leasing new entries, asked in one query: the set the session waits
 * on, unanswered sets and unknown entries to settle, due follow-up queries, iterators to continue, entries the
 * session leased without room to send them, leases run out and retries due. Nearly always all of it is empty, and one round trip instead of one
 * for each is what every other shop on the database no longer waits behind.
 */
export interface WaitingWork {
  outstandingId: string | null;
  unanswered: boolean;
  unknown: boolean;
  followUps: boolean;
  iterators: boolean;
  held: boolean;
  /** A lease that ran out or a retry that is due: the outbox's release sweeps have something to do. */
  toRelease: boolean;
}

export async function waitingWork(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  companyFileId: string,
  now: Date,
): Promise<WaitingWork> {
  const at = now.toISOString();
  const row = await ctx.storage.db
    .selectFrom('qbwc_sessions as session')
    .where('session.id', '=', session.id)
    .select((eb) => [
      'session.outstanding_message_set_id as outstandingId',
      eb
        .exists(
          eb
            .selectFrom('message_sets')
            .select('id')
            .where('company_file_id', '=', companyFileId)
            .where('state', 'in', ['sent', 'lost']),
        )
        .as('unanswered'),
      eb.exists(unknownEntriesOf(ctx.storage, companyFileId)).as('unknown'),
      eb
        .exists(
          eb
            .selectFrom('delivery_follow_ups')
            .select('entry_id')
            .where('company_file_id', '=', companyFileId)
            .where((inner) => inner.or([inner('next_attempt_at', 'is', null), inner('next_attempt_at', '<=', at)])),
        )
        .as('followUps'),
      eb
        .exists(eb.selectFrom('qbwc_iterators').select('entry_id').where('session_id', '=', session.id))
        .as('iterators'),
      eb.exists(entriesLeasedBy(ctx.storage, companyFileId, session.id)).as('held'),
      eb.exists(leasesRunOutOf(ctx.storage, companyFileId, now)).as('leaseRanOut'),
      eb.exists(retriesDueOf(ctx.storage, companyFileId, now)).as('retryDue'),
    ])
    .executeTakeFirst();
  // PostgreSQL answers EXISTS with a boolean, SQLite with 1 or 0.
  const yes = (value: unknown) => value === true || value === 1;
  return {
    outstandingId: row?.outstandingId ?? null,
    unanswered: yes(row?.unanswered),
    unknown: yes(row?.unknown),
    followUps: yes(row?.followUps),
    iterators: yes(row?.iterators),
    held: yes(row?.held),
    toRelease: yes(row?.leaseRanOut) || yes(row?.retryDue),
  };
}

/** The set this session now waits on; also the last one QuickBooks received for the company file. */
export async function setOutstanding(
  ctx: DeliveryContext,
  sessionId: string,
  messageSetId: string | null,
  companyFileId?: string,
): Promise<void> {
  await ctx.storage.db
    .updateTable('qbwc_sessions')
    .set({ outstanding_message_set_id: messageSetId })
    .where('id', '=', sessionId)
    .execute();
  if (messageSetId === null || companyFileId === undefined) return;
  await recordLastMessageSet(ctx, companyFileId, messageSetId);
}

/** The last message set the company file received (the one QuickBooks can answer again for oldMessageSetID). */
export async function recordLastMessageSet(
  ctx: DeliveryContext,
  companyFileId: string,
  messageSetId: string,
): Promise<void> {
  const row = { company_file_id: companyFileId, message_set_id: messageSetId, sent_at: ctx.clock().toISOString() };
  await ctx.storage.db
    .insertInto('qbwc_last_message_sets')
    .values(row)
    .onConflict((c) =>
      c.column('company_file_id').doUpdateSet({ message_set_id: row.message_set_id, sent_at: row.sent_at }),
    )
    .execute();
}

/** The response to `set` will never come: its sent entries become unknown, the set lost, no session waits on it. */
export function loseMessageSet(ctx: DeliveryContext, set: MessageSet, now: Date): Promise<void> {
  return atomically(ctx, async (tx) => {
    const sentIds: number[] = [];
    for (const item of set.entries) {
      const entry = await getEntry(tx.storage, item.entryId);
      if (entry?.state === 'sent') sentIds.push(entry.id);
    }
    if (sentIds.length > 0) await markUnknown(tx.storage, sentIds, now);
    if (set.state === 'sent') await moveMessageSet(tx.storage, set.id, 'sent', 'lost', { now });
    await tx.storage.db
      .updateTable('qbwc_sessions')
      .set({ outstanding_message_set_id: null })
      .where('outstanding_message_set_id', '=', set.id)
      .execute();
  });
}

/**
 * Settles message sets whose response never came back. The last one the company file received is asked again with
 * oldMessageSetID (QuickBooks returns its stored response, or runs it if it never arrived); older ones are
 * abandoned and each of their entries looked up by identity. Then every other `unknown` entry nobody is settling
 * (a response that left it out, a crash between steps) is looked up too: no entry stays unknown past this point.
 */
export async function recoveryDocument(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  file: CompanyFile,
  now: Date,
): Promise<string | null> {
  const unanswered = await listUnansweredMessageSets(ctx.storage, file.id);
  const latest =
    unanswered.length === 0
      ? undefined
      : await ctx.storage.db
          .selectFrom('qbwc_last_message_sets')
          .select('message_set_id as id')
          .where('company_file_id', '=', file.id)
          .executeTakeFirst();
  for (const set of unanswered) {
    if (set.state === 'sent') {
      // Only a session that is over leaves a set 'sent' here: its entries' response is lost.
      const owner = await ctx.storage.db
        .selectFrom('qbwc_sessions')
        .select('state')
        .where('id', '=', set.sessionId)
        .executeTakeFirst();
      if (owner?.state === 'open' && set.sessionId !== session.id) continue;
      await loseMessageSet(ctx, set, now);
      set.state = 'lost';
    }
    const onlyQueries = set.entries.every((item) => item.requestId.startsWith('F')) || (await allQueries(ctx, set));
    if (set.id === latest?.id && set.requestXml !== null && !onlyQueries) {
      await setOutstanding(ctx, session.id, set.id, file.id);
      await updateSession(ctx.storage, session.id, { addMessageSets: 1 });
      ctx.logger.info('re-sending a message set whose response was lost, with oldMessageSetID', {
        messageSetId: set.id,
      });
      return withOldMessageSetId(set.requestXml, set.id);
    }
    await atomically(ctx, async (tx) => {
      await moveMessageSet(tx.storage, set.id, 'lost', 'abandoned', { now });
      for (const item of set.entries) {
        const entry = await getEntry(tx.storage, item.entryId);
        if (entry?.state === 'unknown') await lookUpIdentity(tx, entry, now);
      }
    });
  }
  await settleOrphans(ctx, file.id, now);
  return null;
}

/**
 * `unknown` entries no follow-up and no unanswered message set will settle: a response that left them out, "OK"
 * without the record, a process that died between two steps. Each is looked up by identity.
 */
export async function settleOrphans(ctx: DeliveryContext, companyFileId: string, now: Date): Promise<number> {
  const wanted = ctx.maxRequests * 4;
  const orphans: number[] = [];
  // Unknown entries with a follow-up query are being settled already; page past them.
  for (let afterId = 0; orphans.length < wanted; ) {
    const page = await listUnknownOutsideMessageSets(ctx.storage, companyFileId, { afterId, limit: wanted });
    if (page.length === 0) break;
    const ids = page.map((entry) => entry.id);
    const followed = new Set(
      (
        await ctx.storage.db.selectFrom('delivery_follow_ups').select('entry_id').where('entry_id', 'in', ids).execute()
      ).map((row) => row.entry_id),
    );
    orphans.push(...ids.filter((id) => !followed.has(id)).slice(0, wanted - orphans.length));
    afterId = ids[ids.length - 1]!;
  }
  for (const id of orphans) {
    await atomically(ctx, async (tx) => {
      const entry = await getEntry(tx.storage, id);
      if (entry?.state === 'unknown') await lookUpIdentity(tx, entry, now);
    });
  }
  if (orphans.length > 0) {
    ctx.logger.info('looking up documents whose outcome was never recorded', { companyFileId, count: orphans.length });
  }
  return orphans.length;
}

/** Queries change nothing in QuickBooks: a lost set of them is simply run again (an iterator cannot resume). */
export async function allQueries(ctx: DeliveryContext, set: MessageSet): Promise<boolean> {
  for (const item of set.entries) {
    const entry = await getEntry(ctx.storage, item.entryId);
    if (entry && !entry.request.type.endsWith('Query')) return false;
  }
  return true;
}

/** An unknown entry: a query needs no settling (run it again); an add is looked for in QuickBooks first. */
export async function lookUpIdentity(ctx: DeliveryContext, entry: OutboxEntry, now: Date): Promise<void> {
  const request = deliveryRequest(entry);
  const query = request.type.endsWith('Add') ? identityQueryFor(request) : null;
  if (query === null) {
    await markNotApplied(ctx.storage, entry.id, now);
    await ctx.storage.db.deleteFrom('qbwc_iterators').where('entry_id', '=', entry.id).execute();
    return;
  }
  await saveFollowUp(ctx, entry, query, now);
}

export async function saveFollowUp(
  ctx: DeliveryContext,
  entry: OutboxEntry,
  query: FollowUpQuery,
  now: Date,
): Promise<void> {
  const row = {
    entry_id: entry.id,
    company_file_id: entry.companyFileId,
    purpose: query.purpose,
    query_type: query.type,
    query_body: toDbJson(query.body),
    created_at: now.toISOString(),
    attempts: 0,
    next_attempt_at: null,
  };
  await ctx.storage.db
    .insertInto('delivery_follow_ups')
    .values(row)
    .onConflict((c) =>
      c.column('entry_id').doUpdateSet({
        purpose: row.purpose,
        query_type: row.query_type,
        query_body: row.query_body,
        attempts: 0,
        next_attempt_at: null,
      }),
    )
    .execute();
}

/** QuickBooks could not answer the follow-up now (busy, in use): ask again later, the entry stays as it is. */
export async function postponeFollowUp(ctx: DeliveryContext, entryId: number, now: Date): Promise<void> {
  const row = await ctx.storage.db
    .selectFrom('delivery_follow_ups')
    .select('attempts')
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  if (!row) return;
  const delay = Math.min(FOLLOW_UP_RETRY_MAX_MS, FOLLOW_UP_RETRY_MS * 2 ** Math.min(row.attempts, 20));
  await ctx.storage.db
    .updateTable('delivery_follow_ups')
    .set({
      attempts: sql<number>`attempts + 1`,
      next_attempt_at: new Date(now.getTime() + delay).toISOString(),
    })
    .where('entry_id', '=', entryId)
    .execute();
}

/** Follow-up queries of the company file that may be asked now (`due`), or at all. */
export async function hasFollowUps(
  ctx: DeliveryContext,
  companyFileId: string,
  due: Date | null = null,
): Promise<boolean> {
  let query = ctx.storage.db
    .selectFrom('delivery_follow_ups')
    .select('entry_id')
    .where('company_file_id', '=', companyFileId);
  if (due !== null) {
    const at = due.toISOString();
    query = query.where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]));
  }
  const row = await query.limit(1).executeTakeFirst();
  return row !== undefined;
}
