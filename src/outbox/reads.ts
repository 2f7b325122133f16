/**
 * The outbox as other modules read it — the documents list and its counts, whether the reconciliation's answers
 * are out of date — so that only src/outbox/ knows the outbox's tables (scripts/check-imports.ts fails on SQL
 * naming them elsewhere). Rows are mapped to plain values here; callers never see a column name.
 *
 * `document_index` is an index over outbox entries (one row per entry: the document's date, amount, reference
 * number and Shopify order), filled by the documents module (refreshDocumentIndex); paging documents by its date
 * with the outbox's state is one join, so the table is declared here beside it.
 */
import { sql } from 'kysely';
import type { SerializedConnectorError } from '../errors/index.ts';
import { fromDbJson, fromDbTime, type Queryable, toDbTime } from '../storage/index.ts';
import { isOutboxState, OUTBOX_STATES, type OutboxState } from './states.ts';

export interface DocumentIndexRow {
  company_file_id: string;
  entry_id: number;
  document_date: string | null;
  amount: string | null;
  ref_number: string | null;
  order_id: string | null;
  order_name: string | null;
}

declare module '../storage/schema.ts' {
  interface Database {
    document_index: DocumentIndexRow;
  }
}

/**
 * Whether the connector changed QuickBooks after `asOf`: an Add, a Mod or a TxnDel (reads change nothing) applied
 * after it, or queued after entry `afterId` and applied since.
 */
export async function appliedChangeSince(
  q: Queryable,
  companyFileId: string,
  asOf: Date,
  afterId: number,
): Promise<boolean> {
  const row = await q.db
    .selectFrom('outbox_entries')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'applied')
    .where((eb) =>
      eb.or([
        eb('request_type', 'like', '%Add'),
        eb('request_type', 'like', '%Mod'),
        eb('request_type', '=', 'TxnDel'),
      ]),
    )
    .where((eb) => eb.or([eb('applied_at', '>', toDbTime(asOf)), eb('id', '>', afterId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many entries of a company file are in each state (every state listed), leaving out some kinds. */
export async function countByState(
  q: Queryable,
  companyFileId: string,
  options: { exceptKinds?: readonly string[] } = {},
): Promise<Record<OutboxState, number>> {
  let query = q.db
    .selectFrom('outbox_entries')
    .select(['state', (eb) => eb.fn.countAll().as('count')])
    .where('company_file_id', '=', companyFileId);
  if (options.exceptKinds && options.exceptKinds.length > 0)
    query = query.where('kind', 'not in', [...options.exceptKinds]);
  const rows = await query.groupBy('state').execute();
  const byState = Object.fromEntries(OUTBOX_STATES.map((state) => [state, 0])) as Record<OutboxState, number>;
  for (const row of rows) if (isOutboxState(row.state)) byState[row.state] = Number(row.count);
  return byState;
}

export interface IndexedEntryFilter {
  states?: readonly OutboxState[];
  /** The qbXML message, e.g. `SalesReceiptAdd`. */
  requestType?: string;
  /** Entry kinds left out (setup's reads of QuickBooks' lists are not documents). */
  exceptKinds?: readonly string[];
  /** Document dates, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
}

/** A position in the list: entries sorted before it come next (newest document date first, then newest entry). */
export interface IndexedEntryCursor {
  date: string;
  id: number;
}

/** An outbox entry with what the document index and the id map know of it. */
export interface IndexedEntry {
  id: number;
  key: string;
  requestType: string;
  requestBody: Record<string, unknown>;
  state: OutboxState;
  quickbooksId: string | null;
  lastError: SerializedConnectorError | null;
  updatedAt: Date;
  /** The list record's name in QuickBooks, from the id map (null for transactions). */
  quickbooksName: string | null;
  documentDate: string | null;
  /** Decimal text in the shop's currency, as the index holds it. */
  amount: string | null;
  refNumber: string | null;
  order: { id: string; name: string } | null;
}

/** Sorts null dates (list records) after every dated document. */
export const NO_DOCUMENT_DATE = '0000-00-00';

/**
 * A page of indexed entries (only entries already in document_index), newest document date first, and how many
 * match the filter in all. Fetches `limit` rows: ask for one more than shown to know whether a next page exists.
 */
export async function listIndexedEntries(
  q: Queryable,
  companyFileId: string,
  filter: IndexedEntryFilter,
  page: { limit: number; after?: IndexedEntryCursor | null },
): Promise<{ total: number; entries: IndexedEntry[] }> {
  let base = q.db
    .selectFrom('outbox_entries as e')
    .innerJoin('document_index as d', (join) =>
      join.onRef('d.company_file_id', '=', 'e.company_file_id').onRef('d.entry_id', '=', 'e.id'),
    )
    .where('e.company_file_id', '=', companyFileId);
  if (filter.exceptKinds && filter.exceptKinds.length > 0)
    base = base.where('e.kind', 'not in', [...filter.exceptKinds]);
  if (filter.states) base = base.where('e.state', 'in', [...filter.states]);
  if (filter.requestType) base = base.where('e.request_type', '=', filter.requestType);
  if (filter.from) base = base.where('d.document_date', '>=', filter.from);
  if (filter.to) base = base.where('d.document_date', '<=', filter.to);
  const counted = await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst();

  const sortDate = sql<string>`coalesce(d.document_date, ${NO_DOCUMENT_DATE})`;
  let rows = base
    .leftJoin('id_map as m', (join) =>
      join
        .onRef('m.company_file_id', '=', 'e.company_file_id')
        .onRef('m.source_kind', '=', 'e.source_kind')
        .onRef('m.source_id', '=', 'e.source_id')
        .on('m.quickbooks_kind', '=', 'list'),
    )
    .select([
      'e.id',
      'e.key',
      'e.request_type',
      'e.request_body',
      'm.name as quickbooks_name',
      'e.state',
      'e.quickbooks_id',
      'e.last_error',
      'e.updated_at',
      'd.document_date',
      'd.amount',
      'd.ref_number',
      'd.order_id',
      'd.order_name',
    ]);
  const after = page.after;
  if (after) {
    rows = rows.where((eb) =>
      eb.or([eb(sortDate, '<', after.date), eb.and([eb(sortDate, '=', after.date), eb('e.id', '<', after.id)])]),
    );
  }
  const found = await rows.orderBy(sortDate, 'desc').orderBy('e.id', 'desc').limit(page.limit).execute();
  return {
    total: Number(counted?.total ?? 0),
    entries: found.map((row): IndexedEntry => {
      if (!isOutboxState(row.state)) throw new Error(`Outbox entry ${row.id} has unknown state ${row.state}`);
      return {
        id: row.id,
        key: row.key,
        requestType: row.request_type,
        requestBody: fromDbJson<Record<string, unknown>>(row.request_body),
        state: row.state,
        quickbooksId: row.quickbooks_id,
        lastError: row.last_error === null ? null : fromDbJson<SerializedConnectorError>(row.last_error),
        updatedAt: fromDbTime(row.updated_at),
        quickbooksName: row.quickbooks_name,
        documentDate: row.document_date,
        amount: row.amount,
        refNumber: row.ref_number,
        order: row.order_id && row.order_name ? { id: row.order_id, name: row.order_name } : null,
      };
    }),
  };
}

/**
 * Subqueries for a caller's one-round-trip look at what waits (`eb.exists(…)` beside its own tables): the company
 * file's entries whose outcome is unknown, and those `sessionId` holds leased.
 */
export function unknownEntriesOf(q: Queryable, companyFileId: string) {
  return q.db
    .selectFrom('outbox_entries')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'unknown');
}

export function entriesLeasedBy(q: Queryable, companyFileId: string, sessionId: string) {
  return q.db
    .selectFrom('outbox_entries')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'leased')
    .where('lease_session_id', '=', sessionId);
}
