import { randomUUID } from 'node:crypto';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from './columns.ts';
import type { MessageSetRow, Queryable } from './schema.ts';

/**
 * A message set: the batch of outbox entries sent in one sendRequestXML. Its id goes to QuickBooks as
 * `newMessageSetID`; QuickBooks keeps the response of the last message set per application, so when the response
 * is lost the next session can send `oldMessageSetID` with this id and receive the stored response instead of
 * re-sending blindly (qbXML error recovery).
 *
 * States: `sent` (awaiting the response) → `answered` (response stored) or `lost` (the session ended or the lease
 * expired without one); `lost` → `recovered` (response obtained through error recovery) or `abandoned` (QuickBooks
 * no longer holds it; the entries are resolved by querying for their identity instead).
 */
export const MESSAGE_SET_STATES = ['sent', 'answered', 'lost', 'recovered', 'abandoned'] as const;
export type MessageSetState = (typeof MESSAGE_SET_STATES)[number];

const MESSAGE_SET_TRANSITIONS: Readonly<Record<MessageSetState, readonly MessageSetState[]>> = {
  sent: ['answered', 'lost'],
  lost: ['recovered', 'abandoned'],
  answered: [],
  recovered: [],
  abandoned: [],
};

export function canMessageSetMove(from: MessageSetState, to: MessageSetState): boolean {
  return MESSAGE_SET_TRANSITIONS[from].includes(to);
}

export interface MessageSetEntry {
  entryId: number;
  /** The requestID attribute of this entry's request in the message set (correlates the response). */
  requestId: string;
}

export interface MessageSet {
  id: string;
  companyFileId: string;
  sessionId: string;
  state: MessageSetState;
  /** The qbXML text sent, when the caller chose to keep it (support and audits). */
  requestXml: string | null;
  responseXml: string | null;
  sentAt: Date;
  answeredAt: Date | null;
  entries: MessageSetEntry[];
}

export interface NewMessageSet {
  id?: string;
  companyFileId: string;
  sessionId: string;
  requestXml?: string | null;
  entries: readonly MessageSetEntry[];
}

function messageSetFromRow(row: MessageSetRow, entries: MessageSetEntry[]): MessageSet {
  return {
    id: row.id,
    companyFileId: row.company_file_id,
    sessionId: row.session_id,
    state: row.state as MessageSetState,
    requestXml: row.request_xml,
    responseXml: row.response_xml,
    sentAt: fromDbTime(row.sent_at),
    answeredAt: fromDbTimeOrNull(row.answered_at),
    entries,
  };
}

/**
 * Records a message set as sent. Normally called through the outbox's `markSent`, which moves the entries to
 * `sent` in the same transaction.
 */
export async function createMessageSet(q: Queryable, input: NewMessageSet, now = new Date()): Promise<MessageSet> {
  const row: MessageSetRow = {
    id: input.id ?? randomUUID(),
    company_file_id: input.companyFileId,
    session_id: input.sessionId,
    state: 'sent',
    request_xml: input.requestXml ?? null,
    response_xml: null,
    sent_at: toDbTime(now),
    answered_at: null,
  };
  await q.db.insertInto('message_sets').values(row).execute();
  if (input.entries.length > 0) {
    await q.db
      .insertInto('message_set_entries')
      .values(
        input.entries.map((entry) => ({
          message_set_id: row.id,
          entry_id: entry.entryId,
          request_id: entry.requestId,
        })),
      )
      .execute();
  }
  return messageSetFromRow(row, [...input.entries]);
}

async function entriesOf(q: Queryable, ids: readonly string[]): Promise<Map<string, MessageSetEntry[]>> {
  const byId = new Map<string, MessageSetEntry[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byId;
  const rows = await q.db
    .selectFrom('message_set_entries')
    .selectAll()
    .where('message_set_id', 'in', [...ids])
    .orderBy('entry_id')
    .execute();
  for (const row of rows) byId.get(row.message_set_id)?.push({ entryId: row.entry_id, requestId: row.request_id });
  return byId;
}

export async function getMessageSet(q: Queryable, id: string): Promise<MessageSet | null> {
  const row = await q.db.selectFrom('message_sets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return messageSetFromRow(row, (await entriesOf(q, [id])).get(id) ?? []);
}

/** Message sets of a company file still waiting for their response (`sent` or `lost`), oldest first. */
export async function listUnansweredMessageSets(q: Queryable, companyFileId: string): Promise<MessageSet[]> {
  const rows = await q.db
    .selectFrom('message_sets')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('state', 'in', ['sent', 'lost'])
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  const entries = await entriesOf(
    q,
    rows.map((r) => r.id),
  );
  return rows.map((row) => messageSetFromRow(row, entries.get(row.id) ?? []));
}

/** The message set an outbox entry was last sent in (the one whose response decides its outcome). */
export async function latestMessageSetOfEntry(q: Queryable, entryId: number): Promise<MessageSet | null> {
  const row = await q.db
    .selectFrom('message_sets')
    .innerJoin('message_set_entries', 'message_set_entries.message_set_id', 'message_sets.id')
    .selectAll('message_sets')
    .where('message_set_entries.entry_id', '=', entryId)
    .orderBy('message_sets.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return messageSetFromRow(row, (await entriesOf(q, [row.id])).get(row.id) ?? []);
}

/**
 * Moves a message set to `to`, optionally storing the response. An illegal move is a bug and throws; a message set
 * that moved meanwhile (another instance got there first) returns null.
 */
export async function moveMessageSet(
  q: Queryable,
  id: string,
  from: MessageSetState,
  to: MessageSetState,
  options: {
    responseXml?: string;
    now?: Date;
    /** The set's entries, when the caller holds them: they are not read again. */
    entries?: readonly MessageSetEntry[];
  } = {},
): Promise<MessageSet | null> {
  if (!canMessageSetMove(from, to)) throw new Error(`Illegal message set transition ${from} → ${to} (${id})`);
  const now = options.now ?? new Date();
  const row = await q.db
    .updateTable('message_sets')
    .set({
      state: to,
      ...(options.responseXml === undefined ? {} : { response_xml: options.responseXml, answered_at: toDbTime(now) }),
    })
    .where('id', '=', id)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  return messageSetFromRow(row, options.entries ? [...options.entries] : ((await entriesOf(q, [id])).get(id) ?? []));
}
