/**
 * Asking QuickBooks for the reconciliation's figures through the Web Connector, and reading its answers.
 *
 * A reconciliation of a period is four read queries enqueued as outbox entries (kind `report`, lowest priority so
 * they run after the documents of the same session): the TxnDetailByAccount report over the mapped accounts, the
 * trial balance at the end of the period (debits must equal credits), the sales orders of the period with their
 * lines, and the item list (the accounts the order lines would post to).
 * The next Web Connector session sends them; each answer lands in the company snapshot under the entry's key.
 * Until then the reconciliation is `waiting`; once all four are answered it is `ready`, as of the answers — and
 * asked again when the connector has changed QuickBooks since (an answer from before the last posting would show
 * differences that are not there).
 */
import { REPORT_ENTRY_KIND, readCompanySnapshot } from '../apply/index.ts';
import type { Money } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { appliedChangeSince, enqueue, getEntryByKey, listEntries, type OutboxEntry } from '../outbox/index.ts';
import type { Queryable } from '../storage/index.ts';
import type { AccountMapping, Category } from '../transform/index.ts';
import type { LedgerReader, Period } from './reconcile.ts';
import {
  itemAccounts,
  ledgerFromReport,
  openSalesOrderLedger,
  readerFrom,
  trialBalanceFromReport,
} from './report-reader.ts';

/** The categories whose accounts the QuickBooks side reads (see quickbooksFigures). */
export const RECONCILED_CATEGORIES: readonly Category[] = [
  'productSales',
  'discounts',
  'returns',
  'shippingIncome',
  'salesTaxPayable',
  'tips',
  'giftCardLiability',
  'duties',
  'additionalFees',
  'cashClearing',
  'shopifyPaymentsClearing',
  'giftCardClearing',
  'otherPaymentsClearing',
];

/** Below every document: in a session, QuickBooks answers the reports after applying what the sync sent. */
export const REPORT_PRIORITY = -1000;

/** What each reconciliation asks QuickBooks for. */
export const RECONCILIATION_PARTS = ['ledger', 'trial-balance', 'sales-orders', 'items'] as const;
const PARTS = RECONCILIATION_PARTS;
export type ReconciliationPart = (typeof PARTS)[number];
type Part = ReconciliationPart;

export type QuickBooksSide =
  | { state: 'ready'; asOf: Date; reader: LedgerReader; trialBalance: { debits: Money; credits: Money } }
  | { state: 'waiting'; requestedAt: Date; message: string };

export interface QuickBooksSideInput {
  companyFileId: string;
  mapping: AccountMapping;
  period: Period;
  /** Ask QuickBooks again even when it has answered (a change made by hand in QuickBooks since). */
  refresh?: boolean;
  now: Date;
  /** How often the Web Connector runs on its own (the .qwc's RunEveryNMinutes), for the waiting message. */
  runEveryNMinutes: number;
  /**
   * The last day the ledger and the sales orders are read through (default the period's end): later, when a
   * correction of a day in the period was posted after it (corrections.ts `readThrough`).
   */
  readThrough?: string;
}

function keyOf(period: Period, generation: number, part: Part): string {
  return `reconcile/${period.from}/${period.to}/${generation}/${part}`;
}

/** The queries for a period, in Intuit's names. */
export function reconciliationQueries(
  mapping: AccountMapping,
  period: Period,
  through: string = period.to,
): Record<Part, { type: string; body: Record<string, unknown> }> {
  // A mapping saved before a category existed has no account for it (nothing was posted there).
  const accounts = [...new Set(RECONCILED_CATEGORIES.map((c) => mapping[c]).filter((a) => a !== undefined))].sort();
  return {
    ledger: {
      type: 'GeneralDetailReportQuery',
      body: {
        GeneralDetailReportType: 'TxnDetailByAccount',
        ReportPeriod: { FromReportDate: period.from, ToReportDate: through },
        ReportAccountFilter: { FullName: accounts },
        ReportPostingStatusFilter: 'Posting',
        IncludeColumn: ['TxnID', 'TxnType', 'Date', 'RefNumber', 'Debit', 'Credit'],
      },
    },
    'trial-balance': {
      type: 'GeneralSummaryReportQuery',
      body: {
        GeneralSummaryReportType: 'TrialBalance',
        ReportPeriod: { FromReportDate: period.from, ToReportDate: period.to },
      },
    },
    'sales-orders': {
      type: 'SalesOrderQuery',
      body: {
        TxnDateRangeFilter: { FromTxnDate: period.from, ToTxnDate: through },
        IncludeLineItems: true,
      },
    },
    items: {
      type: 'ItemQuery',
      body: {
        ActiveStatus: 'All',
        IncludeRetElement: [
          'ListID',
          'FullName',
          'IncomeAccountRef',
          'SalesOrPurchase',
          'SalesAndPurchase',
          'AccountRef',
          'DepositToAccountRef',
        ],
      },
    },
  };
}

/** The latest generation of reads for the period, with its entries by part. */
async function latestReads(q: Queryable, companyFileId: string, period: Period) {
  const prefix = `reconcile/${period.from}/${period.to}/`;
  const generations = new Map<number, Map<Part, OutboxEntry>>();
  for (const entry of await listEntries(q, companyFileId, { kind: REPORT_ENTRY_KIND })) {
    if (!entry.key.startsWith(prefix)) continue;
    const [generation, part] = entry.key.slice(prefix.length).split('/');
    const n = Number(generation);
    if (!Number.isInteger(n) || !PARTS.includes(part as Part)) continue;
    const parts = generations.get(n) ?? new Map<Part, OutboxEntry>();
    parts.set(part as Part, entry);
    generations.set(n, parts);
  }
  const latest = Math.max(0, ...generations.keys());
  return { generation: latest, entries: generations.get(latest) ?? new Map<Part, OutboxEntry>() };
}

async function request(q: Queryable, input: QuickBooksSideInput, generation: number): Promise<Date> {
  const queries = reconciliationQueries(input.mapping, input.period, input.readThrough);
  // The reports name the mapped accounts: those the connector creates must exist in QuickBooks first.
  const dependencies: string[] = [];
  for (const category of RECONCILED_CATEGORIES) {
    const key = `account/${category}`;
    if (await getEntryByKey(q, input.companyFileId, key)) dependencies.push(key);
  }
  await enqueue(
    q,
    PARTS.map((part) => ({
      companyFileId: input.companyFileId,
      key: keyOf(input.period, generation, part),
      kind: REPORT_ENTRY_KIND,
      request: queries[part],
      dependencies: part === 'ledger' ? dependencies : [],
      priority: REPORT_PRIORITY,
      source: { kind: 'reconciliation', id: `${input.period.from}/${input.period.to}` },
    })),
    input.now,
  );
  return input.now;
}

function hhmm(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function waitingMessage(
  q: Queryable,
  input: QuickBooksSideInput,
  requestedAt: Date,
  changed: boolean,
): Promise<string> {
  const last = await q.db
    .selectFrom('qbwc_sessions')
    .select('started_at')
    .where('company_file_id', '=', input.companyFileId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const why = changed
    ? 'The connector has posted to QuickBooks since its last answer, so the reports were asked for again'
    : 'QuickBooks has not answered yet: the reports were asked for';
  const lastSession = last ? ` (the last one started ${hhmm(new Date(last.started_at))})` : '';
  return (
    `${why} at ${hhmm(requestedAt)} for ${input.period.from} to ${input.period.to}. QuickBooks sends them at the next ` +
    `Web Connector session${lastSession}: with Auto-Run on, the Web Connector runs every ${input.runEveryNMinutes} ` +
    'minutes; to have them now, open QuickBooks and press “Update Selected” in the Web Connector.'
  );
}

function refused(entry: OutboxEntry): ConnectorError {
  return new ConnectorError({
    code: 'RECONCILIATION_QUICKBOOKS_REFUSED',
    message: `The reconciliation read ${entry.key} is ${entry.state}: ${entry.lastError?.message ?? 'no reason recorded'}`,
    merchantMessage: `QuickBooks could not give the figures for the reconciliation: ${entry.lastError?.merchantMessage ?? 'the request was not processed.'} Once that is solved, ask for the reconciliation again with refresh.`,
    merchantMustAct: entry.lastError?.merchantMustAct ?? true,
    details: { key: entry.key, state: entry.state },
  });
}

/** The QuickBooks side of a period: ready (a reader over QuickBooks' answers), or asked for and waiting. */
export async function quickbooksSide(q: Queryable, input: QuickBooksSideInput): Promise<Result<QuickBooksSide>> {
  const { generation, entries } = await latestReads(q, input.companyFileId, input.period);
  const ask = async (changed: boolean): Promise<Result<QuickBooksSide>> => {
    const requestedAt = await request(q, input, generation + 1);
    return ok({ state: 'waiting', requestedAt, message: await waitingMessage(q, input, requestedAt, changed) });
  };
  if (generation === 0 || input.refresh) return ask(false);
  const all = PARTS.map((part) => entries.get(part));
  const stuck = all.find((e) => e && ['needs_attention', 'failed', 'cancelled'].includes(e.state));
  if (stuck) return err(refused(stuck));
  if (all.some((e) => e?.state !== 'applied')) {
    const requestedAt = new Date(Math.min(...all.filter((e) => e !== undefined).map((e) => e.createdAt.getTime())));
    return ok({ state: 'waiting', requestedAt, message: await waitingMessage(q, input, requestedAt, false) });
  }
  const snapshot = await readCompanySnapshot(q, input.companyFileId);
  const answers = PARTS.map((part) => snapshot.parts[keyOf(input.period, generation, part)]);
  if (answers.some((a) => a === undefined)) return ask(false);
  const [ledger, trial, orders, items] = answers as NonNullable<(typeof answers)[number]>[];
  const asOf = new Date(Math.max(...answers.map((a) => a!.updatedAt.getTime())));
  const lastReadId = Math.max(...all.map((e) => e!.id));
  // Changed since it answered: an Add, Mod or TxnDel applied after the answer, or queued after the reads and applied.
  if (await appliedChangeSince(q, input.companyFileId, asOf, lastReadId)) return ask(true);
  // Read through an earlier day than a correction of the period now needs (asked for before it was known).
  if (readUpTo(entries.get('ledger')!) < (input.readThrough ?? input.period.to)) return ask(true);

  const read = readerFromAnswers(
    { ledger: ledger!, 'trial-balance': trial!, 'sales-orders': orders!, items: items! },
    snapshot.parts.AccountQuery?.rets ?? [],
  );
  return read.ok ? ok({ state: 'ready', asOf, ...read.value }) : read;
}

/** The last day a ledger read asked QuickBooks for. */
function readUpTo(ledger: OutboxEntry): string {
  const period = ledger.request.body.ReportPeriod as { ToReportDate?: unknown } | undefined;
  return typeof period?.ToReportDate === 'string' ? period.ToReportDate : '';
}

/**
 * A LedgerReader over QuickBooks' answers to the queries (`reconciliationQueries`); `accounts` are the
 * AccountQuery rets, for the account QuickBooks posts sales tax items to.
 */
export function readerFromAnswers(
  answers: Record<Part, { rets: Record<string, unknown>[]; retNames: string[] }>,
  accounts: readonly Record<string, unknown>[],
): Result<{ reader: LedgerReader; trialBalance: { debits: Money; credits: Money } }> {
  const salesTax = accounts.find((a) => a.SpecialAccountType === 'SalesTaxPayable');
  const salesTaxAccount = typeof salesTax?.FullName === 'string' ? salesTax.FullName : null;
  const ledger = ledgerFromReport(answers.ledger.rets[0]);
  if (!ledger.ok) return ledger;
  const trialBalance = trialBalanceFromReport(answers['trial-balance'].rets[0]);
  if (!trialBalance.ok) return trialBalance;
  const byItem = itemAccounts(answers.items.rets, answers.items.retNames, salesTaxAccount);
  const orders = openSalesOrderLedger(answers['sales-orders'].rets, byItem, salesTaxAccount);
  if (!orders.ok) return orders;
  return ok({ reader: readerFrom(ledger.value, orders.value), trialBalance: trialBalance.value });
}
