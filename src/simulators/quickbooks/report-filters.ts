/**
 * What a report query asks for, as the simulator reads it: the period (ReportPeriod, ReportDateMacro), the accounts
 * (ReportAccountFilter, in QuickBooks' account-type order), the entities (ReportEntityFilter); anything it does not
 * model is 3250, never ignored.
 */
import { addDays } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { ListRow } from './company-file.ts';
import { child, manyText, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';

/** Chart-of-accounts order, the order QuickBooks lists accounts in its reports. */
const ACCOUNT_TYPE_ORDER = [
  'Bank',
  'AccountsReceivable',
  'OtherCurrentAsset',
  'FixedAsset',
  'OtherAsset',
  'AccountsPayable',
  'CreditCard',
  'OtherCurrentLiability',
  'LongTermLiability',
  'Equity',
  'Income',
  'CostOfGoodsSold',
  'Expense',
  'OtherIncome',
  'OtherExpense',
  'NonPosting',
];

/** Elements of the report queries the simulator does not model: refused, never ignored. */
const UNMODELLED_FILTERS = [
  'ReportItemFilter',
  'ReportClassFilter',
  'ReportModifiedDateRangeFilter',
  'ReportModifiedDateRangeMacro',
  'IncludeAccounts',
  'ReportOpenBalanceAsOf',
  'SummarizeColumnsBy',
  'IncludeSubcolumns',
  'ReportCalendar',
  'ReturnRows',
  'ReturnColumns',
];

export function notModelled(what: string): QbStatus {
  return new QbStatus(3250, statusText.notEnabled(`${what} (not modelled by the simulator)`));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "February 1 - 4, 2011", "January 1 - May 31, 2026", "December 1, 2025 - January 31, 2026", as QuickBooks titles. */
export function periodSubtitle(from: string | null, to: string | null): string {
  if (from === null && to === null) return 'All Transactions';
  const parts = (d: string) => ({
    y: d.slice(0, 4),
    m: MONTHS[Number(d.slice(5, 7)) - 1]!,
    d: String(Number(d.slice(8))),
  });
  if (from === null) {
    const t = parts(to!);
    return `As of ${t.m} ${t.d}, ${t.y}`;
  }
  const f = parts(from);
  const t = parts(to ?? from);
  if (f.y === t.y && f.m === t.m) return f.d === t.d ? `${f.m} ${f.d}, ${f.y}` : `${f.m} ${f.d} - ${t.d}, ${f.y}`;
  if (f.y === t.y) return `${f.m} ${f.d} - ${t.m} ${t.d}, ${f.y}`;
  return `${f.m} ${f.d}, ${f.y} - ${t.m} ${t.d}, ${t.y}`;
}

/** ReportPeriod or ReportDateMacro → inclusive dates (null = open-ended). */
export function reportPeriod(books: Books, body: QbObject): { from: string | null; to: string | null } {
  const period = child(body, 'ReportPeriod');
  if (period) return { from: text(period, 'FromReportDate'), to: text(period, 'ToReportDate') };
  const macro = text(body, 'ReportDateMacro');
  if (macro === null || macro === 'All') return { from: null, to: null };
  const today = books.today();
  const year = today.slice(0, 4);
  const month = today.slice(0, 7);
  const monthEnd = (ym: string) => addDays(`${addDays(`${ym}-28`, 4).slice(0, 7)}-01`, -1);
  const lastMonth = addDays(`${month}-01`, -1).slice(0, 7);
  switch (macro) {
    case 'Today':
      return { from: today, to: today };
    case 'Yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'ThisMonth':
      return { from: `${month}-01`, to: monthEnd(month) };
    case 'ThisMonthToDate':
      return { from: `${month}-01`, to: today };
    case 'LastMonth':
      return { from: `${lastMonth}-01`, to: monthEnd(lastMonth) };
    case 'ThisYear':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    case 'ThisYearToDate':
      return { from: `${year}-01-01`, to: today };
    default:
      throw notModelled(`ReportDateMacro ${macro}`);
  }
}

export function checkModelled(body: QbObject): void {
  for (const name of UNMODELLED_FILTERS) if (body[name] !== undefined) throw notModelled(name);
  const basis = text(body, 'ReportBasis');
  if (basis === 'Cash') throw notModelled('cash-basis reports');
}

export function sortAccounts(books: Books, accounts: ListRow[]): ListRow[] {
  const rank = (row: ListRow) => {
    const i = ACCOUNT_TYPE_ORDER.indexOf(text(row.ret, 'AccountType') ?? '');
    return i < 0 ? ACCOUNT_TYPE_ORDER.length : i;
  };
  return [...accounts].sort(
    (a, b) => rank(a) - rank(b) || books.fullName(a).toLowerCase().localeCompare(books.fullName(b).toLowerCase()),
  );
}

/** The accounts a ReportAccountFilter selects (every account without one). Unknown names are 3120, as QuickBooks. */
export function filteredAccounts(books: Books, body: QbObject): ListRow[] {
  const all = books.file.listsOfTypes(['Account']);
  const filter = child(body, 'ReportAccountFilter');
  if (!filter) return all;
  const type = text(filter, 'AccountTypeFilter');
  if (type !== null) {
    if (!ACCOUNT_TYPE_ORDER.includes(type)) throw notModelled(`AccountTypeFilter ${type}`);
    return all.filter((a) => text(a.ret, 'AccountType') === type);
  }
  const picked = new Map<string, ListRow>();
  const find = (ref: QbObject) => {
    const row = books.findList(ref, ['Account']);
    if (!row) throw new QbStatus(3120, statusText.notFound(text(ref, 'FullName') ?? text(ref, 'ListID') ?? ''));
    return row;
  };
  for (const id of manyText(filter, 'ListID')) picked.set(id, find({ ListID: id }));
  for (const name of manyText(filter, 'FullName')) {
    const row = find({ FullName: name });
    picked.set(row.listId, row);
  }
  const parentId = text(filter, 'ListIDWithChildren');
  const parentName = text(filter, 'FullNameWithChildren');
  if (parentId !== null || parentName !== null) {
    const parent = find(parentId !== null ? { ListID: parentId } : { FullName: parentName! });
    const prefix = `${books.fullName(parent).toLowerCase()}:`;
    picked.set(parent.listId, parent);
    for (const row of all) if (books.fullName(row).toLowerCase().startsWith(prefix)) picked.set(row.listId, row);
  }
  return [...picked.values()];
}

export function entityFilter(books: Books, body: QbObject): Set<string> | null {
  const filter = child(body, 'ReportEntityFilter');
  if (!filter) return null;
  if (text(filter, 'EntityTypeFilter') !== null) throw notModelled('EntityTypeFilter');
  const names = ['Customer', 'Vendor', 'Employee', 'OtherName'];
  const ids = new Set<string>();
  for (const id of manyText(filter, 'ListID')) ids.add(id);
  for (const name of manyText(filter, 'FullName')) {
    const row = books.findList({ FullName: name }, names);
    if (!row) throw new QbStatus(3120, statusText.notFound(name));
    ids.add(row.listId);
  }
  if (text(filter, 'ListIDWithChildren') !== null || text(filter, 'FullNameWithChildren') !== null) {
    throw notModelled('ReportEntityFilter with children');
  }
  return ids;
}
