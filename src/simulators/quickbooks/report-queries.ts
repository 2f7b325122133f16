import { formatMoney, type Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { LedgerLine, ListRow } from './company-file.ts';
import { child, manyText, type QbObject, text } from './qb-object.ts';
import {
  checkModelled,
  entityFilter,
  filteredAccounts,
  notModelled,
  periodSubtitle,
  reportPeriod,
  sortAccounts,
} from './report-filters.ts';
import * as reports from './reports.ts';

/**
 * GeneralDetailReportQuery and GeneralSummaryReportQuery answered from the general ledger, in QuickBooks' report
 * shape (../shared/qbxml/wire/qbxml-responses/r08-GeneralSummaryReportQueryRs.cb.xml): a ReportRet with its
 * ColDesc columns and ReportData rows, every value in attributes (`ColData colID value`), rows numbered in order.
 * Detail reports group the ledger lines by account: a TextRow naming the account, a DataRow per line carrying
 * `RowData rowType="account"`, a SubtotalRow per account, a TotalRow. Amount columns are debit-positive (Debit and
 * Credit columns hold the two sides unsigned). Filters and columns the simulator does not model are refused with
 * 3250 rather than ignored, so a test can never read a report that silently means something else.
 */

/** A row as the response writer takes it: `[element, value]` in row order (ReportData interleaves them). */
type ReportRow = ['DataRow' | 'TextRow' | 'SubtotalRow' | 'TotalRow', QbObject];

interface Column {
  type: string;
  title: string;
  dataType: string;
}

const COLUMNS: Record<string, { title: string; dataType: string }> = {
  TxnType: { title: 'Type', dataType: 'STRTYPE' },
  Date: { title: 'Date', dataType: 'DATETYPE' },
  RefNumber: { title: 'Num', dataType: 'STRTYPE' },
  Name: { title: 'Name', dataType: 'STRTYPE' },
  Memo: { title: 'Memo', dataType: 'STRTYPE' },
  Account: { title: 'Account', dataType: 'STRTYPE' },
  SplitAccount: { title: 'Split', dataType: 'STRTYPE' },
  Debit: { title: 'Debit', dataType: 'AMTTYPE' },
  Credit: { title: 'Credit', dataType: 'AMTTYPE' },
  Amount: { title: 'Amount', dataType: 'AMTTYPE' },
  RunningBalance: { title: 'Balance', dataType: 'AMTTYPE' },
  TxnID: { title: 'Txn ID', dataType: 'IDTYPE' },
  TxnNumber: { title: 'Trans #', dataType: 'INTTYPE' },
};

const DEFAULT_DETAIL_COLUMNS = [
  'TxnType',
  'Date',
  'RefNumber',
  'Name',
  'Memo',
  'SplitAccount',
  'Amount',
  'RunningBalance',
];
const DEFAULT_LEDGER_COLUMNS = [
  'TxnType',
  'Date',
  'RefNumber',
  'Name',
  'Memo',
  'SplitAccount',
  'Debit',
  'Credit',
  'RunningBalance',
];

/** How QuickBooks names transaction types in its reports. */
const TXN_TYPE_LABELS: Record<string, string> = {
  SalesReceipt: 'Sales Receipt',
  Invoice: 'Invoice',
  SalesOrder: 'Sales Order',
  CreditMemo: 'Credit Memo',
  ReceivePayment: 'Payment',
  JournalEntry: 'General Journal',
  Deposit: 'Deposit',
  PurchaseOrder: 'Purchase Order',
  ItemReceipt: 'Item Receipt',
  Bill: 'Bill',
  InventoryAdjustment: 'Inventory Adjust',
};

function columnsOf(body: QbObject, defaults: readonly string[]): Column[] {
  const asked = manyText(body, 'IncludeColumn');
  const types = asked.length > 0 ? asked : defaults;
  return types.map((type) => {
    const known = COLUMNS[type];
    if (!known) throw notModelled(`IncludeColumn ${type}`);
    return { type, ...known };
  });
}

function colDesc(columns: readonly Column[], label: { title: string; type: string }): QbObject[] {
  return [
    {
      '@colID': '1',
      '@dataType': 'STRTYPE',
      ColTitle: [{ '@titleRow': '1', '@value': label.title }],
      ColType: label.type,
    },
    ...columns.map((c, i) => ({
      '@colID': String(i + 2),
      '@dataType': c.dataType,
      ColTitle: [{ '@titleRow': '1', '@value': c.title }],
      ColType: c.type,
    })),
  ] as unknown as QbObject[];
}

/** ColData of a row: only the columns that have a value, as QuickBooks writes them. */
function colData(values: readonly (string | null)[]): QbObject[] {
  const out: QbObject[] = [];
  values.forEach((value, i) => {
    if (value !== null && value !== '') out.push({ '@colID': String(i + 1), '@value': value });
  });
  return out;
}

function reportRet(title: string, subtitle: string, columns: QbObject[], rows: ReportRow[]): QbObject {
  const ret: Record<string, unknown> = {
    ReportTitle: title,
    ReportSubtitle: subtitle,
    ReportBasis: 'Accrual',
    NumRows: rows.length,
    NumColumns: columns.length,
    NumColTitleRows: 1,
    ColDesc: columns,
  };
  if (rows.length > 0) ret.ReportData = { '#sequence': rows };
  return ret as QbObject;
}

class Rows {
  readonly rows: ReportRow[] = [];
  add(kind: ReportRow[0], attributes: QbObject, content: QbObject = {}): void {
    this.rows.push([kind, { '@rowNumber': String(this.rows.length + 1), ...attributes, ...content }]);
  }
}

interface LineFacts {
  line: LedgerLine;
  account: ListRow;
}

function lineValue(
  books: Books,
  column: Column,
  facts: LineFacts,
  balance: Money,
  splits: Map<string, string>,
): string | null {
  const { line, account } = facts;
  switch (column.type) {
    case 'TxnType':
      return TXN_TYPE_LABELS[line.txnType] ?? line.txnType;
    case 'Date':
      return line.txnDate;
    case 'RefNumber':
      return books.file.txnById(line.txnId)?.refNumber ?? null;
    case 'Name': {
      const id = line.entityId ?? books.file.txnById(line.txnId)?.entityId ?? null;
      const row = id ? books.file.listById(id) : null;
      return row ? books.fullName(row) : null;
    }
    case 'Memo':
      return line.memo ?? text(books.file.txnById(line.txnId)?.ret, 'Memo');
    case 'Account':
      return books.fullName(account);
    case 'SplitAccount':
      return splits.get(`${line.txnId}|${line.accountId}`) ?? null;
    case 'Debit':
      return line.amount > 0n ? formatMoney(line.amount) : null;
    case 'Credit':
      return line.amount < 0n ? formatMoney(-line.amount) : null;
    case 'Amount':
      return formatMoney(line.amount);
    case 'RunningBalance':
      return formatMoney(balance);
    case 'TxnID':
      return line.txnId;
    case 'TxnNumber':
      return text(books.file.txnById(line.txnId)?.ret, 'TxnNumber');
    default:
      return null;
  }
}

function totalValue(column: Column, lines: readonly LedgerLine[]): string | null {
  const sum = (pick: (amount: Money) => Money) => formatMoney(lines.reduce((s, l) => s + pick(l.amount), 0n));
  switch (column.type) {
    case 'Debit':
      return sum((a) => (a > 0n ? a : 0n));
    case 'Credit':
      return sum((a) => (a < 0n ? -a : 0n));
    case 'Amount':
    case 'RunningBalance':
      return sum((a) => a);
    default:
      return null;
  }
}

/** The other side of each ledger line: the one other account, or -SPLIT- when there are several (as QuickBooks). */
function splitAccounts(
  books: Books,
  lines: readonly LedgerLine[],
  table: 'ledger' | 'non_posting_ledger',
): Map<string, string> {
  const out = new Map<string, string>();
  for (const txnId of new Set(lines.map((l) => l.txnId))) {
    const all = books.file.ledgerLines({ txnId }, table);
    const accounts = [...new Set(all.map((l) => l.accountId))];
    for (const accountId of accounts) {
      const others = accounts.filter((a) => a !== accountId);
      const row = others.length === 1 ? books.file.listById(others[0]!) : null;
      out.set(`${txnId}|${accountId}`, others.length > 1 ? '-SPLIT-' : row ? books.fullName(row) : '');
    }
  }
  return out;
}

const DETAIL_TITLES: Record<string, string> = {
  TxnDetailByAccount: 'Transaction Detail By Account',
  GeneralLedger: 'General Ledger',
};

/** GeneralDetailReportQuery: TxnDetailByAccount and GeneralLedger, from the ledger (and the non-posting lines). */
export function generalDetailReport(books: Books, body: QbObject): QbObject {
  const type = text(body, 'GeneralDetailReportType') ?? '';
  const title = DETAIL_TITLES[type];
  if (!title) throw notModelled(`the ${type} report`);
  checkModelled(body);
  const summarize = text(body, 'SummarizeRowsBy');
  if (summarize !== null && summarize !== 'Account') throw notModelled(`SummarizeRowsBy ${summarize}`);
  const { from, to } = reportPeriod(books, body);
  const accounts = sortAccounts(books, filteredAccounts(books, body));
  const entities = entityFilter(books, body);
  const txnTypes = manyText(child(body, 'ReportTxnTypeFilter') ?? undefined, 'TxnTypeFilter');
  const posting = text(body, 'ReportPostingStatusFilter') ?? 'Posting';
  const detail = text(body, 'ReportDetailLevelFilter') ?? 'All';
  const columns = columnsOf(body, type === 'GeneralLedger' ? DEFAULT_LEDGER_COLUMNS : DEFAULT_DETAIL_COLUMNS);
  const tables: ('ledger' | 'non_posting_ledger')[] =
    posting === 'Posting'
      ? ['ledger']
      : posting === 'NonPosting'
        ? ['non_posting_ledger']
        : ['ledger', 'non_posting_ledger'];

  const rows = new Rows();
  const everything: LedgerLine[] = [];
  for (const account of accounts) {
    let lines: LedgerLine[] = [];
    const splits = new Map<string, string>();
    for (const table of tables) {
      const found = books.file
        .ledgerLines({ accountId: account.listId, fromDate: from ?? undefined, toDate: to ?? undefined }, table)
        .filter((l) => txnTypes.length === 0 || txnTypes.includes('All') || txnTypes.includes(l.txnType))
        .filter((l) => entities === null || entities.has(l.entityId ?? books.file.txnById(l.txnId)?.entityId ?? ''));
      for (const [key, value] of splitAccounts(books, found, table)) splits.set(key, value);
      lines.push(...found);
    }
    if (detail === 'SummaryOnly') lines = summarised(lines);
    lines.sort((a, b) => (a.txnDate < b.txnDate ? -1 : a.txnDate > b.txnDate ? 1 : 0));
    if (lines.length === 0) continue;
    const name = books.fullName(account);
    const accountRow = { RowData: { '@rowType': 'account', '@value': name } };
    rows.add('TextRow', { '@value': name });
    let balance = 0n;
    for (const line of lines) {
      balance += line.amount;
      const values = columns.map((c) => lineValue(books, c, { line, account }, balance, splits));
      rows.add('DataRow', {}, { ...accountRow, ColData: colData([null, ...values]) });
    }
    const totals = columns.map((c) => totalValue(c, lines));
    rows.add('SubtotalRow', {}, { ...accountRow, ColData: colData([`Total ${name}`, ...totals]) });
    everything.push(...lines);
  }
  if (everything.length > 0) {
    rows.add(
      'TotalRow',
      {},
      {
        ColData: colData([
          'TOTAL',
          ...columns.map((c) => (c.type === 'RunningBalance' ? null : totalValue(c, everything))),
        ]),
      },
    );
  }
  return reportRet(title, periodSubtitle(from, to), colDesc(columns, { title: '', type: 'Blank' }), rows.rows);
}

/** One line per transaction and account (ReportDetailLevelFilter SummaryOnly). */
function summarised(lines: readonly LedgerLine[]): LedgerLine[] {
  const byKey = new Map<string, LedgerLine>();
  for (const line of lines) {
    const key = `${line.txnId}|${line.accountId}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, amount: seen.amount + line.amount, memo: seen.memo ?? line.memo } : { ...line });
  }
  return [...byKey.values()];
}

/** GeneralSummaryReportQuery: TrialBalance, ProfitAndLossStandard and BalanceSheetStandard, from the ledger. */
export function generalSummaryReport(books: Books, body: QbObject): QbObject {
  const type = text(body, 'GeneralSummaryReportType') ?? '';
  checkModelled(body);
  if (body.ReportEntityFilter !== undefined || body.ReportTxnTypeFilter !== undefined) {
    throw notModelled('entity and transaction-type filters on summary reports');
  }
  const posting = text(body, 'ReportPostingStatusFilter');
  if (posting !== null && posting !== 'Posting' && posting !== 'Either')
    throw notModelled('non-posting summary reports');
  const { from, to } = reportPeriod(books, body);
  const wanted = new Set(filteredAccounts(books, body).map((a) => a.listId));
  const keep = (a: reports.AccountBalance) => wanted.has(a.listId);
  const rows = new Rows();
  const accountRow = (a: reports.AccountBalance) => ({ RowData: { '@rowType': 'account', '@value': a.fullName } });
  if (type === 'TrialBalance') {
    const report = reports.trialBalance(books, to ?? undefined);
    const accounts = report.accounts.filter(keep);
    for (const a of accounts) {
      const debit = a.balance > 0n ? formatMoney(a.balance) : null;
      const credit = a.balance < 0n ? formatMoney(-a.balance) : null;
      rows.add('DataRow', {}, { ...accountRow(a), ColData: colData([a.fullName, debit, credit]) });
    }
    const debits = accounts.reduce((s, a) => s + (a.balance > 0n ? a.balance : 0n), 0n);
    const credits = accounts.reduce((s, a) => s + (a.balance < 0n ? -a.balance : 0n), 0n);
    rows.add('TotalRow', {}, { ColData: colData(['TOTAL', formatMoney(debits), formatMoney(credits)]) });
    const columns: Column[] = [
      { type: 'Debit', title: 'Debit', dataType: 'AMTTYPE' },
      { type: 'Credit', title: 'Credit', dataType: 'AMTTYPE' },
    ];
    return reportRet(
      'Trial Balance',
      periodSubtitle(null, to),
      colDesc(columns, { title: '', type: 'Label' }),
      rows.rows,
    );
  }
  const amount: Column[] = [{ type: 'Amount', title: 'TOTAL', dataType: 'AMTTYPE' }];
  const section = (title: string, accounts: reports.AccountBalance[], sign: 1n | -1n): Money => {
    const shown = accounts.filter(keep);
    const total = shown.reduce((s, a) => s + a.balance * sign, 0n);
    if (shown.length === 0) return 0n;
    rows.add('TextRow', { '@value': title });
    for (const a of shown)
      rows.add('DataRow', {}, { ...accountRow(a), ColData: colData([a.fullName, formatMoney(a.balance * sign)]) });
    rows.add('SubtotalRow', {}, { ColData: colData([`Total ${title}`, formatMoney(total)]) });
    return total;
  };
  if (type === 'ProfitAndLossStandard') {
    const report = reports.profitAndLoss(books, from ?? undefined, to ?? undefined);
    const income = section('Income', report.income, -1n);
    const cogs = section('Cost of Goods Sold', report.costOfGoodsSold, 1n);
    const expense = section('Expense', report.expenses, 1n);
    rows.add('TotalRow', {}, { ColData: colData(['Net Income', formatMoney(income - cogs - expense)]) });
    return reportRet(
      'Profit & Loss',
      periodSubtitle(from, to),
      colDesc(amount, { title: '', type: 'Label' }),
      rows.rows,
    );
  }
  if (type === 'BalanceSheetStandard') {
    const report = reports.balanceSheet(books, to ?? undefined);
    section('ASSETS', report.assets, 1n);
    const liabilities = section('Liabilities', report.liabilities, -1n);
    const equity = section('Equity', report.equity, -1n);
    rows.add('DataRow', {}, { ColData: colData(['Net Income', formatMoney(report.netIncome)]) });
    rows.add(
      'TotalRow',
      {},
      {
        ColData: colData(['TOTAL LIABILITIES & EQUITY', formatMoney(liabilities + equity + report.netIncome)]),
      },
    );
    return reportRet(
      'Balance Sheet',
      periodSubtitle(null, to),
      colDesc(amount, { title: '', type: 'Label' }),
      rows.rows,
    );
  }
  throw notModelled(`the ${type} report`);
}
