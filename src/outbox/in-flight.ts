/** What the delivery backend asks the outbox while a Web Connector session runs. */
import { sql } from 'kysely';
import { fromDbJson, type MessageSetEntry, type Queryable } from '../storage/index.ts';
import { entryFromRow, type OutboxEntry } from './entries.ts';
import type { OutboxState } from './states.ts';

/** Entries the session leased and has not sent yet (no room in its last message set), in the order to send them. */
export async function heldBy(q: Queryable, companyFileId: string, sessionId: string): Promise<OutboxEntry[]> {
  const rows = await q.db
    .selectFrom('outbox_entries')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'leased')
    .where('lease_session_id', '=', sessionId)
    .orderBy('priority', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(entryFromRow);
}

/**
 * Adds requests about entries already sent (identity look-ups, the next page of a query) to a message set recorded
 * by `markSent` or `createMessageSet`, so its response is matched to them. Their states do not change.
 */
export async function attachToMessageSet(
  q: Queryable,
  messageSetId: string,
  entries: readonly MessageSetEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await q.db
    .insertInto('message_set_entries')
    .values(entries.map((e) => ({ message_set_id: messageSetId, entry_id: e.entryId, request_id: e.requestId })))
    .execute();
}

/**
 * `unknown` entries that no unanswered message set will settle (a response that left them out, "OK" without the
 * record, a process that died between two steps), in id order from `afterId`: someone must look each one up.
 */
export async function listUnknownOutsideMessageSets(
  q: Queryable,
  companyFileId: string,
  page: { afterId?: number; limit: number },
): Promise<OutboxEntry[]> {
  const rows = await q.db
    .selectFrom('outbox_entries as entry')
    .selectAll('entry')
    .where('entry.company_file_id', '=', companyFileId)
    .where('entry.state', '=', 'unknown')
    .where('entry.id', '>', page.afterId ?? 0)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_set_entries as member')
            .innerJoin('message_sets as set', 'set.id', 'member.message_set_id')
            .select('member.entry_id')
            .whereRef('member.entry_id', '=', 'entry.id')
            .where('set.state', 'in', ['sent', 'lost']),
        ),
      ),
    )
    .orderBy('entry.id')
    .limit(page.limit)
    .execute();
  return rows.map(entryFromRow);
}

/** Whether an add the connector still means to make (not cancelled, not given up on) creates a record of this name. */
export async function plansRecordNamed(q: Queryable, companyFileId: string, name: string): Promise<boolean> {
  const rows = await q.db
    .selectFrom('outbox_entries')
    .select(['request_type', 'request_body'])
    .where('company_file_id', '=', companyFileId)
    .where('state', 'not in', ['cancelled', 'needs_attention', 'failed'])
    .where('request_type', 'like', '%Add')
    .execute();
  const wanted = name.toLowerCase();
  return rows.some((row) => {
    const body = fromDbJson<Record<string, unknown>>(row.request_body);
    const inner = (body[row.request_type] as Record<string, unknown> | undefined) ?? body;
    return typeof inner.Name === 'string' && inner.Name.toLowerCase() === wanted;
  });
}

/**
 * How many entries in `states` the company file has, counting no further than `atMost`: the answer is exact below
 * it and `atMost` at or above it. Reading a million-entry queue to draw a progress bar would cost more than the
 * message set it follows; the caller picks the bound past which the figure no longer changes what it shows.
 *
 * Each state is counted on its own, in the order of the (company file, state, priority, id) index, in one
 * statement. With all the states in one IN and no order, PostgreSQL, whose statistics lag behind a queue that has
 * just grown, picks a bitmap scan, and a bitmap reads every matching entry before the limit applies: 110 ms for a
 * shop of 100,000 pending entries (bench/outbox, EXPLAIN ANALYZE), against 2 ms this way, on every
 * receiveResponseXML and authenticate.
 */
export async function countUpTo(
  q: Queryable,
  companyFileId: string,
  states: readonly OutboxState[],
  atMost: number,
): Promise<number> {
  if (states.length === 0 || atMost <= 0) return 0;
  const counted = (state: OutboxState) =>
    q.db
      .selectFrom((db) =>
        db
          .selectFrom('outbox_entries')
          .select(sql<number>`1`.as('one'))
          .where('company_file_id', '=', companyFileId)
          .where('state', '=', state)
          .orderBy('priority', 'desc')
          .orderBy('id')
          .limit(atMost)
          .as('bounded'),
      )
      .select((eb) => eb.fn.countAll().as('count'));
  const distinct = [...new Set(states)];
  const row = await q.db
    .selectNoFrom(distinct.map((state, i) => counted(state).as(`count${i}`)))
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a bigint string. Each count stops at atMost, so their sum is exact below it.
  const total = Object.values(row).reduce((sum: number, count) => sum + Number(count), 0);
  return Math.min(total, atMost);
}
