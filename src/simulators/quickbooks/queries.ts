import type { Books } from './books.ts';
import type { ListRow, TxnRow } from './company-file.ts';
import { ITEM_LIST_TYPES } from './list-types.ts';
import { child, clone, manyText, type QbObject, text } from './qb-object.ts';

/**
 * Query filters as QuickBooks applies them. A query returns the ids of the matching records in creation order;
 * the executor pages them (MaxReturned, iterators) and renders each record.
 */
export interface QueryResult {
  ids: string[];
  /** ListIDs/FullNames/TxnIDs/RefNumbers asked for by name that do not exist (status 500). */
  missing: string[];
}

function matches(criterion: string, value: string, wanted: string): boolean {
  const v = value.toLowerCase();
  const w = wanted.toLowerCase();
  if (criterion === 'StartsWith') return v.startsWith(w);
  if (criterion === 'EndsWith') return v.endsWith(w);
  return v.includes(w);
}

function inModifiedRange(timeModified: string, from: string | null, to: string | null): boolean {
  const t = Date.parse(timeModified);
  if (from !== null && t < Date.parse(from)) return false;
  if (to !== null && t > Date.parse(to.length === 10 ? `${to}T23:59:59` : to)) return false;
  return true;
}

export function queryLists(books: Books, listTypes: readonly string[], body: QbObject): QueryResult {
  const listIds = manyText(body, 'ListID');
  const fullNames = manyText(body, 'FullName');
  if (listIds.length || fullNames.length) {
    const ids: string[] = [];
    const missing: string[] = [];
    for (const id of listIds) {
      const row = books.file.listById(id);
      if (row && listTypes.includes(row.listType)) ids.push(row.listId);
      else missing.push(id);
    }
    for (const name of fullNames) {
      const row = books.findList({ FullName: name }, listTypes);
      if (row) ids.push(row.listId);
      else missing.push(name);
    }
    return { ids, missing };
  }
  const active = text(body, 'ActiveStatus') ?? 'ActiveOnly';
  const from = text(body, 'FromModifiedDate');
  const to = text(body, 'ToModifiedDate');
  const nameFilter = child(body, 'NameFilter');
  const range = child(body, 'NameRangeFilter');
  const accountTypes = manyText(body, 'AccountType');
  const methodTypes = manyText(body, 'PaymentMethodType');
  const rows = books.file.listsOfTypes(listTypes).filter((row: ListRow) => {
    if (active === 'ActiveOnly' && !row.isActive) return false;
    if (active === 'InactiveOnly' && row.isActive) return false;
    if ((from || to) && !inModifiedRange(text(row.ret, 'TimeModified') ?? '', from, to)) return false;
    const name = books.fullName(row);
    if (
      nameFilter &&
      !matches(text(nameFilter, 'MatchCriterion') ?? 'Contains', name, text(nameFilter, 'Name') ?? '')
    ) {
      return false;
    }
    if (range) {
      const lower = name.toLowerCase();
      const fromName = text(range, 'FromName');
      const toName = text(range, 'ToName');
      if (fromName !== null && lower < fromName.toLowerCase()) return false;
      if (toName !== null && lower > toName.toLowerCase()) return false;
    }
    if (accountTypes.length && !accountTypes.includes(text(row.ret, 'AccountType') ?? '')) return false;
    if (methodTypes.length && !methodTypes.includes(text(row.ret, 'PaymentMethodType') ?? '')) return false;
    return true;
  });
  // Lists come back sorted by full name, as QuickBooks shows them.
  rows.sort((a, b) => books.fullName(a).toLowerCase().localeCompare(books.fullName(b).toLowerCase()));
  return { ids: rows.map((r) => r.listId), missing: [] };
}

function refFilterIds(books: Books, filter: QbObject | null, types: readonly string[]): Set<string> | null {
  if (!filter) return null;
  const ids = new Set<string>();
  for (const id of manyText(filter, 'ListID')) ids.add(id);
  for (const name of manyText(filter, 'FullName')) {
    const row = books.findList({ FullName: name }, types);
    if (row) ids.add(row.listId);
  }
  const withChildren = text(filter, 'ListIDWithChildren') ?? text(filter, 'FullNameWithChildren');
  if (withChildren !== null) {
    const root = books.findList(
      text(filter, 'ListIDWithChildren') ? { ListID: withChildren } : { FullName: withChildren },
      types,
    );
    if (root) {
      const prefix = `${books.fullName(root).toLowerCase()}:`;
      ids.add(root.listId);
      for (const row of books.file.listsOfTypes(types))
        if (books.fullName(row).toLowerCase().startsWith(prefix)) ids.add(row.listId);
    }
  }
  return ids;
}

export function queryTransactions(books: Books, txnTypes: readonly string[], body: QbObject): QueryResult {
  const txnIds = manyText(body, 'TxnID');
  const refNumbers = manyText(body, 'RefNumber');
  const caseSensitive = manyText(body, 'RefNumberCaseSensitive');
  const all = txnTypes.flatMap((t) => books.file.txnsOfType(t)).sort((a, b) => a.seq - b.seq);
  if (txnIds.length || refNumbers.length || caseSensitive.length) {
    const ids: string[] = [];
    const missing: string[] = [];
    for (const id of txnIds) {
      const row = books.file.txnById(id);
      if (row && txnTypes.includes(row.txnType)) ids.push(id);
      else missing.push(id);
    }
    for (const ref of refNumbers) {
      const found = all.filter((t) => (t.refNumber ?? '').toLowerCase() === ref.toLowerCase());
      if (found.length) ids.push(...found.map((t) => t.txnId));
      else missing.push(ref);
    }
    for (const ref of caseSensitive) {
      const found = all.filter((t) => t.refNumber === ref);
      if (found.length) ids.push(...found.map((t) => t.txnId));
      else missing.push(ref);
    }
    return { ids, missing };
  }
  const modified = child(body, 'ModifiedDateRangeFilter');
  const dates = child(body, 'TxnDateRangeFilter');
  const entities = refFilterIds(books, child(body, 'EntityFilter'), ['Customer', 'Vendor', 'Employee', 'OtherName']);
  const accounts = refFilterIds(books, child(body, 'AccountFilter'), ['Account']);
  const refFilter = child(body, 'RefNumberFilter');
  const refRange = child(body, 'RefNumberRangeFilter');
  const paid = text(body, 'PaidStatus');
  const rows = all.filter((row: TxnRow) => {
    if (
      modified &&
      !inModifiedRange(
        text(row.ret, 'TimeModified') ?? '',
        text(modified, 'FromModifiedDate'),
        text(modified, 'ToModifiedDate'),
      )
    ) {
      return false;
    }
    if (dates) {
      const fromDate = text(dates, 'FromTxnDate');
      const toDate = text(dates, 'ToTxnDate');
      if (fromDate !== null && row.txnDate < fromDate) return false;
      if (toDate !== null && row.txnDate > toDate) return false;
    }
    if (entities && !(row.entityId && entities.has(row.entityId))) return false;
    if (accounts) {
      const touched = books.file.ledgerLines({ txnId: row.txnId }).some((l) => accounts.has(l.accountId));
      if (!touched) return false;
    }
    if (
      refFilter &&
      !matches(text(refFilter, 'MatchCriterion') ?? 'Contains', row.refNumber ?? '', text(refFilter, 'RefNumber') ?? '')
    ) {
      return false;
    }
    if (refRange) {
      const from = text(refRange, 'FromRefNumber');
      const to = text(refRange, 'ToRefNumber');
      const ref = row.refNumber ?? '';
      if (from !== null && ref < from) return false;
      if (to !== null && ref > to) return false;
    }
    if (paid === 'PaidOnly' && text(row.ret, 'IsPaid') !== 'true') return false;
    if (paid === 'NotPaidOnly' && text(row.ret, 'IsPaid') === 'true') return false;
    return true;
  });
  return { ids: rows.map((r) => r.txnId), missing: [] };
}

/** Trims a record to what the request asked for: line items, linked transactions, IncludeRetElement. */
export function shapeRet(ret: QbObject, body: QbObject, options: { isTxn: boolean; isAdd: boolean }): QbObject {
  let out = clone(ret);
  if (options.isTxn && !options.isAdd) {
    if (text(body, 'IncludeLineItems') !== 'true') {
      for (const key of Object.keys(out)) if (key.endsWith('LineRet') || key.endsWith('LineGroupRet')) delete out[key];
    }
    if (text(body, 'IncludeLinkedTxns') !== 'true') delete out.LinkedTxn;
  }
  const include = manyText(body, 'IncludeRetElement');
  if (include.length) {
    const picked: QbObject = {};
    for (const key of include) if (out[key] !== undefined) picked[key] = out[key];
    out = picked;
  }
  return out;
}

export function attachDataExt(books: Books, ret: QbObject, objectId: string, body: QbObject): void {
  const owners = manyText(body, 'OwnerID');
  if (!owners.length) return;
  const values = books.file.dataExtValues(objectId, owners);
  if (!values.length) return;
  ret.DataExtRet = values.map((v) => {
    const def = books.file.dataExtDef(v.ownerId, v.name);
    return {
      OwnerID: v.ownerId,
      DataExtName: v.name,
      DataExtType: text(def ?? undefined, 'DataExtType') ?? 'STR255TYPE',
      DataExtValue: v.value,
    };
  });
}

export const ITEM_TYPES = ITEM_LIST_TYPES;
