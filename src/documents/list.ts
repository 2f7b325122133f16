/**
 * The documents list: every request the connector planned for a company file (what QuickBooks has, what is on its
 * way, what waits for the merchant), newest document date first, filtered and paged. The state comes from the
 * outbox as it is now; date, amount, reference number and Shopify order come from `document_index`, filled the
 * first time an entry is listed (see `refreshDocumentIndex`).
 */
import { type AttentionItem, listAttention } from '../attention/index.ts';
import type { Order } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result, type SerializedConnectorError } from '../errors/index.ts';
import { createSourceRecordReader } from '../extract/index.ts';
import {
  countByState,
  type DocumentIndexRow,
  listEntries,
  listIndexedEntries,
  NO_DOCUMENT_DATE,
  OUTBOX_STATES,
  type OutboxState,
} from '../outbox/index.ts';
import type { Queryable, Shop } from '../storage/index.ts';
import { documentFacts, documentLabel, documentName } from './facts.ts';

/** Groups of states the merchant thinks in. */
export const STATE_GROUPS: Record<string, readonly OutboxState[]> = {
  attention: ['needs_attention', 'failed'],
  in_quickbooks: ['applied'],
  on_the_way: ['leased', 'sent', 'unknown'],
  waiting: ['pending', 'retry_wait'],
};

export const STATE_LABELS: Record<OutboxState, string> = {
  pending: 'Waiting for the Web Connector',
  leased: 'Being sent',
  sent: 'Sent, waiting for QuickBooks',
  unknown: 'Sent, answer lost: being checked',
  applied: 'In QuickBooks',
  retry_wait: 'Will be sent again',
  failed: 'Failed',
  needs_attention: 'Needs your attention',
  cancelled: 'Cancelled',
};

/**
 * Setup's reads of QuickBooks' lists, and the delivery's reads of an order's line ids (apply's LINE_IDS_ENTRY_KIND),
 * are requests too, but not documents the merchant posted.
 */
const NOT_DOCUMENTS = ['read', 'query', 'line-ids'];

export interface DocumentQuery {
  /** An outbox state or a group (`attention`, `in_quickbooks`, `on_the_way`, `waiting`). */
  state?: string;
  /** The qbXML message, e.g. `SalesReceiptAdd`. */
  kind?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface DocumentView {
  id: number;
  key: string;
  kind: string;
  label: string;
  /**
   * Its name in QuickBooks: a list record's own (as QuickBooks holds it once it is there), or the customer or vendor
   * a transaction is for; null when it names no one (journal entries, deposits). Never a ListID.
   */
  name: string | null;
  date: string | null;
  amount: string | null;
  currency: string;
  shopifyOrder: { id: string; name: string; adminUrl: string } | null;
  quickbooks: { id: string; refNumber: string | null } | null;
  state: OutboxState;
  stateLabel: string;
  updatedAt: string;
  attention: { reason: string; code: string; whatToDo: string } | null;
}

export interface DocumentPage {
  documents: DocumentView[];
  nextCursor: string | null;
  total: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

function invalid(message: string): Result<never> {
  return err(
    new ConnectorError({
      code: 'DOCUMENTS_QUERY_INVALID',
      message,
      merchantMessage: message,
      merchantMustAct: true,
    }),
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Cursor {
  date: string;
  id: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.date, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  try {
    const [date, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof date !== 'string' || typeof id !== 'number' || !Number.isInteger(id)) return null;
    return { date, id };
  } catch {
    return null;
  }
}

/** Checks a query as it comes from a URL or flags: every problem at once, in plain words. */
export function parseDocumentQuery(
  input: Record<string, string | undefined>,
): Result<Required<Pick<DocumentQuery, 'limit'>> & DocumentQuery> {
  const problems: string[] = [];
  const query: DocumentQuery & { limit: number } = { limit: DEFAULT_LIMIT };
  if (input.state !== undefined) {
    if (!(input.state in STATE_GROUPS) && !(OUTBOX_STATES as readonly string[]).includes(input.state)) {
      problems.push(
        `state is one of ${[...Object.keys(STATE_GROUPS), ...OUTBOX_STATES].join(', ')}; got "${input.state}".`,
      );
    } else query.state = input.state;
  }
  if (input.kind !== undefined) {
    if (!/^[A-Za-z]+$/.test(input.kind))
      problems.push(`kind is a QuickBooks message such as SalesReceiptAdd; got "${input.kind}".`);
    else query.kind = input.kind;
  }
  for (const name of ['from', 'to'] as const) {
    const value = input[name];
    if (value === undefined) continue;
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      problems.push(`${name} is a date as YYYY-MM-DD; got "${value}".`);
    } else query[name] = value;
  }
  if (query.from && query.to && query.from > query.to) problems.push(`from (${query.from}) is after to (${query.to}).`);
  if (input.limit !== undefined) {
    const limit = Number(input.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      problems.push(`limit is a whole number from 1 to ${MAX_LIMIT}; got "${input.limit}".`);
    } else query.limit = limit;
  }
  if (input.cursor !== undefined) {
    if (decodeCursor(input.cursor) === null)
      problems.push('cursor is not one this connector gave (use nextCursor as it came).');
    else query.cursor = input.cursor;
  }
  return problems.length > 0 ? invalid(problems.join(' ')) : ok(query);
}

/** `https://admin.shopify.com/store/<handle>/orders/<number>`: where the merchant opens the order. */
export function orderAdminUrl(shopDomain: string, orderGid: string): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/, '');
  return `https://admin.shopify.com/store/${handle}/orders/${orderGid.split('/').pop()}`;
}

/** The Shopify order a document key belongs to (documents of one order; refunds and exchanges through it). */
function orderKeyOf(key: string): { kind: 'order' | 'refund' | 'return'; gid: string } | null {
  const match = /^(order|refund|return)\/(\d+)(\/|$)/.exec(key);
  if (!match) return null;
  const kind = match[1] as 'order' | 'refund' | 'return';
  const type = kind === 'order' ? 'Order' : kind === 'refund' ? 'Refund' : 'Return';
  return { kind, gid: `gid://shopify/${type}/${match[2]}` };
}

const INDEX_BATCH = 500;

/**
 * Adds the rows of entries planned since the last call (entries never change their date, amount or order, so a row
 * once written stays right). Refunds and exchanges name only themselves in their key: their order is found in the
 * stored orders, read once per call when a new entry needs it.
 */
export async function refreshDocumentIndex(q: Queryable, companyFileId: string, shop: Shop): Promise<void> {
  const reader = createSourceRecordReader(q);
  let parents: Map<string, { id: string; name: string }> | null = null;
  const parentOf = async (gid: string) => {
    if (!parents) {
      parents = new Map();
      for (let after: string | undefined; ; ) {
        const page = await reader.latest(shop.id, 'order', {
          limit: INDEX_BATCH,
          ...(after ? { afterSourceId: after } : {}),
        });
        for (const record of page) {
          const order = record.payload as Order;
          for (const refund of order.refunds ?? []) parents.set(refund.id, { id: order.id, name: order.name });
          for (const ret of order.returns ?? []) parents.set(ret.id, { id: order.id, name: order.name });
        }
        if (page.length < INDEX_BATCH) break;
        after = page[page.length - 1]!.sourceId;
      }
    }
    return parents.get(gid) ?? null;
  };
  const last = await q.db
    .selectFrom('document_index')
    .select((eb) => eb.fn.max('entry_id').as('last'))
    .where('company_file_id', '=', companyFileId)
    .executeTakeFirst();
  let afterId = last?.last === null || last?.last === undefined ? 0 : Number(last.last);
  for (;;) {
    const entries = await listEntries(q, companyFileId, { afterId, limit: INDEX_BATCH });
    if (entries.length === 0) return;
    const rows: DocumentIndexRow[] = [];
    for (const entry of entries) {
      const facts = NOT_DOCUMENTS.includes(entry.kind)
        ? { date: null, amount: null, refNumber: null }
        : documentFacts(entry.request);
      let order: { id: string; name: string } | null = null;
      const link = orderKeyOf(entry.key);
      if (link?.kind === 'order') {
        const record = await reader.one(shop.id, 'order', link.gid);
        if (record) order = { id: record.payload.id, name: record.payload.name };
      } else if (link) order = await parentOf(link.gid);
      rows.push({
        company_file_id: companyFileId,
        entry_id: entry.id,
        document_date: facts.date,
        amount: facts.amount,
        ref_number: facts.refNumber,
        order_id: order?.id ?? null,
        order_name: order?.name ?? null,
      });
    }
    // Two readers may index the same new entries at once: the first row written wins, and they are equal.
    await q.db
      .insertInto('document_index')
      .values(rows)
      .onConflict((c) => c.columns(['company_file_id', 'entry_id']).doNothing())
      .execute();
    afterId = entries[entries.length - 1]!.id;
  }
}

/** What the merchant can do about a document that needs them, in the words the list shows. */
export function whatToDo(error: SerializedConnectorError): string {
  if (error.merchantMustAct) {
    return 'Correct what the reason names (in QuickBooks, or in the connector’s account mapping), then retry this document; nothing else waits on you.';
  }
  return `This is a fault in the connector, not in your data: contact support with the code ${error.code}. Retrying sends the same request again.`;
}

export async function listDocuments(
  q: Queryable,
  companyFileId: string,
  shop: Shop,
  query: DocumentQuery & { limit: number },
  options: { now?: Date } = {},
): Promise<DocumentPage> {
  await refreshDocumentIndex(q, companyFileId, shop);
  const states = query.state === undefined ? null : (STATE_GROUPS[query.state] ?? [query.state as OutboxState]);
  const { total, entries } = await listIndexedEntries(
    q,
    companyFileId,
    {
      exceptKinds: NOT_DOCUMENTS,
      ...(states ? { states } : {}),
      ...(query.kind ? { requestType: query.kind } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    },
    { limit: query.limit + 1, after: query.cursor ? decodeCursor(query.cursor) : null },
  );
  const more = entries.length > query.limit;
  const shown = entries.slice(0, query.limit);
  // The same words as the list of what needs attention, for the documents on this page that are in it.
  const attentionOf = new Map<number, AttentionItem>();
  if (shown.some((entry) => entry.state !== 'applied' && entry.state !== 'pending' && entry.state !== 'cancelled')) {
    const items = await listAttention(q, { shopId: shop.id, companyFileId, now: options.now ?? new Date() });
    for (const item of items)
      if (item.type === 'document' && typeof item.id === 'number') attentionOf.set(item.id, item);
  }
  const documents = shown.map((entry): DocumentView => {
    const state = entry.state;
    const error = entry.lastError;
    const item = attentionOf.get(entry.id);
    const troubled = state === 'needs_attention' || state === 'failed';
    return {
      id: entry.id,
      key: entry.key,
      kind: entry.requestType,
      label: documentLabel(entry.requestType),
      name: entry.quickbooksName ?? documentName({ type: entry.requestType, body: entry.requestBody }),
      date: entry.documentDate,
      amount: entry.amount,
      currency: shop.currency,
      shopifyOrder: entry.order
        ? { id: entry.order.id, name: entry.order.name, adminUrl: orderAdminUrl(shop.domain, entry.order.id) }
        : null,
      quickbooks: entry.quickbooksId ? { id: entry.quickbooksId, refNumber: entry.refNumber } : null,
      state,
      stateLabel: STATE_LABELS[state],
      updatedAt: entry.updatedAt.toISOString(),
      attention: item
        ? { reason: item.reason, code: item.code ?? error?.code ?? 'QB_REJECTED', whatToDo: item.whatToDo }
        : troubled && error
          ? { reason: error.merchantMessage, code: error.code, whatToDo: whatToDo(error) }
          : troubled
            ? {
                reason: 'QuickBooks did not accept this document.',
                code: 'QB_REJECTED',
                whatToDo: 'Open it in the list of what needs attention and retry it.',
              }
            : null,
    };
  });
  const lastShown = shown.at(-1);
  return {
    documents,
    nextCursor:
      more && lastShown ? encodeCursor({ date: lastShown.documentDate ?? NO_DOCUMENT_DATE, id: lastShown.id }) : null,
    total,
  };
}

export interface DocumentCounts {
  byState: Record<OutboxState, number>;
  /** Every document planned (cancelled ones excluded), as a sync's "planned" counts them. */
  planned: number;
  inFlight: number;
  applied: number;
  /** Failed for good plus waiting to be sent again. */
  failed: number;
  needsAttention: number;
  cancelled: number;
  /** Not yet answered: pending, waiting to retry, in flight. */
  remaining: number;
}

/**
 * The outbox's counts for documents only — without the setup's reads of QuickBooks' lists — so they add up with
 * what the syncs planned and with the documents list.
 */
export async function documentCounts(q: Queryable, companyFileId: string): Promise<DocumentCounts> {
  const byState = await countByState(q, companyFileId, { exceptKinds: NOT_DOCUMENTS });
  const inFlight = byState.leased + byState.sent + byState.unknown;
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  return {
    byState,
    planned: total - byState.cancelled,
    inFlight,
    applied: byState.applied,
    failed: byState.failed + byState.retry_wait,
    needsAttention: byState.needs_attention,
    cancelled: byState.cancelled,
    remaining: byState.pending + byState.retry_wait + inFlight,
  };
}
