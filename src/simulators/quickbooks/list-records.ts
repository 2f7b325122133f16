/**
 * List records with QuickBooks' rules: names (length, characters, uniqueness within a name list), edition limits,
 * item accounts, sublevels and full names of children when a parent is renamed. `Books` adds and changes lists
 * through these.
 */
import type { Books } from './books.ts';
import type { ListRow } from './company-file.ts';
import { ITEM_LIST_TYPES, LIST_TYPES, NAME_LIST_TYPES } from './list-types.ts';
import { child, clone, compact, type QbObject, text } from './qb-object.ts';
import { LIST_LIMIT_REASON, QbStatus, statusText } from './status.ts';

/** Fields of an Add that QuickBooks does not echo in the Ret (they become balances or are write-only). */
const ADD_ONLY_FIELDS = new Set([
  'OpenBalance',
  'OpenBalanceDate',
  'Contacts',
  'AdditionalNotes',
  'QuantityOnHand',
  'TotalValue',
  'InventoryDate',
  'TaxLineID',
  'BarCode',
  'EditSequence',
  'ListID',
]);

export function saveListRecord(books: Books, row: ListRow): void {
  books.file.updateList(row, books.fullName(row).toLowerCase());
}

function checkName(_books: Books, listType: string, name: string): void {
  const info = LIST_TYPES[listType]!;
  if (name.trim() === '') throw new QbStatus(3180, statusText.saveError(info.label, name, 'The name cannot be blank.'));
  if (name.length > info.nameMax) throw new QbStatus(3070, statusText.tooLong(name, 'Name'));
  // ":" separates the levels of a full name, so QuickBooks cannot store it inside one name.
  if (name.includes(':')) {
    throw new QbStatus(
      3090,
      statusText.invalidString(
        name,
        'Name',
        'The name cannot contain a colon (:); it separates a name from its parent.',
      ),
    );
  }
}

function checkLimits(books: Books, listType: string, name: string): void {
  const info = LIST_TYPES[listType]!;
  const limits = books.limits;
  const fail = (limit: number, what: string) => {
    throw new QbStatus(3180, statusText.saveError(info.label, name, LIST_LIMIT_REASON(limit, what)));
  };
  if (info.nameSpace === 'name') {
    if (books.file.countLists(NAME_LIST_TYPES) >= limits.names) fail(limits.names, 'names');
    if (books.file.countLists([listType]) >= limits.namesPerList)
      fail(limits.namesPerList, info.listLabel.toLowerCase());
  } else if (info.nameSpace === 'item') {
    if (books.file.countLists(ITEM_LIST_TYPES) >= limits.items) fail(limits.items, 'items');
  } else if (info.nameSpace === 'account') {
    if (books.file.countLists(['Account']) >= limits.accounts) fail(limits.accounts, 'accounts');
  }
}

function checkUnique(books: Books, listType: string, fullName: string, exceptListId: string | null): void {
  const info = LIST_TYPES[listType]!;
  const existing = books.file.listByName(info.nameSpace, fullName);
  if (existing && existing.listId !== exceptListId) throw new QbStatus(3100, statusText.nameInUse(fullName));
}

/** Adds a list record from an `…Add` body, applying QuickBooks' list rules. */
export function addListRecord(books: Books, listType: string, input: QbObject): ListRow {
  const info = LIST_TYPES[listType];
  if (!info) throw new Error(`Unknown list type ${listType}`);
  const body = clone(input);
  const name = text(body, 'Name') ?? '';
  checkName(books, listType, name);
  let parent: ListRow | null = null;
  const parentRef = child(body, 'ParentRef');
  if (parentRef && info.hierarchical) parent = books.resolve(parentRef, 'ParentRef', listType, `${listType} list`);
  const fullName = parent ? `${books.fullName(parent)}:${name}` : name;
  checkUnique(books, listType, fullName, null);
  checkLimits(books, listType, name);
  books.resolveAllRefs(body, listType, `${listType} list`);

  const now = books.timestamp();
  const listId = books.newListId();
  const ret: QbObject = {
    ListID: listId,
    TimeCreated: now,
    TimeModified: now,
    EditSequence: books.nextEditSequence(null),
  };
  for (const [key, value] of Object.entries(body)) if (!ADD_ONLY_FIELDS.has(key)) ret[key] = value;
  ret.Name = name;
  if (info.hasFullName) {
    ret.FullName = fullName;
    ret.Sublevel = String(parent ? Number(text(parent.ret, 'Sublevel') ?? '0') + 1 : 0);
  }
  if (text(body, 'IsActive') === null && listType !== 'SalesTaxCode') ret.IsActive = 'true';
  if (listType === 'SalesTaxCode' && text(body, 'IsActive') === null) ret.IsActive = 'true';
  const barCode = child(body, 'BarCode');
  if (barCode && text(barCode, 'BarCodeValue')) ret.BarCodeValue = text(barCode, 'BarCodeValue')!;
  const row: ListRow = {
    listId,
    listType,
    nameSpace: info.nameSpace,
    parentId: parent?.listId ?? null,
    isActive: text(ret, 'IsActive') !== 'false',
    seq: books.nextSeq(),
    ret: compact(ret),
  };
  validateItemAccounts(books, row);
  if (listType === 'Customer' || listType === 'Vendor') {
    row.ret.Balance = '0.00';
    if (listType === 'Customer') {
      row.ret.TotalBalance = '0.00';
      // Every CustomerRet QuickBooks writes carries the job status, "None" for a customer that is not a job.
      row.ret.JobStatus ??= 'None';
    }
  }
  if (listType === 'Account') row.ret.Balance = '0.00';
  books.file.insertList(row, fullName.toLowerCase());
  return row;
}

/** QuickBooks needs the posting accounts of an item even where the XSD makes them optional. */
function validateItemAccounts(books: Books, row: ListRow): void {
  const ret = row.ret;
  const missing = (field: string) => {
    throw new QbStatus(
      3270,
      `The ${field} is missing: QuickBooks needs it to post ${row.listType} "${text(ret, 'Name')}" to the books.`,
    );
  };
  if (row.listType === 'ItemInventory') {
    if (!child(ret, 'IncomeAccountRef')) missing('IncomeAccountRef');
    if (!child(ret, 'COGSAccountRef')) missing('COGSAccountRef');
    if (!child(ret, 'AssetAccountRef')) missing('AssetAccountRef');
  }
  if (['ItemService', 'ItemNonInventory', 'ItemOtherCharge'].includes(row.listType)) {
    const sop = child(ret, 'SalesOrPurchase');
    const sap = child(ret, 'SalesAndPurchase');
    if (sop) {
      books.resolveField(sop, 'AccountRef', row.listType, `${row.listType} list`);
      if (!child(sop, 'AccountRef')) missing('AccountRef');
    } else if (sap) {
      books.resolveField(sap, 'IncomeAccountRef', row.listType, `${row.listType} list`);
      books.resolveField(sap, 'ExpenseAccountRef', row.listType, `${row.listType} list`);
      books.resolveField(sap, 'PrefVendorRef', row.listType, `${row.listType} list`);
      if (!child(sap, 'IncomeAccountRef')) missing('IncomeAccountRef');
      if (!child(sap, 'ExpenseAccountRef')) missing('ExpenseAccountRef');
    } else if (row.listType !== 'ItemOtherCharge') {
      missing('AccountRef');
    }
  }
  if (row.listType === 'ItemDiscount' && !child(ret, 'AccountRef')) missing('AccountRef');
}

/** Applies an `…Mod` body: ListID and EditSequence must match the stored record. */
export function modListRecord(books: Books, listType: string, input: QbObject): ListRow {
  const info = LIST_TYPES[listType];
  if (!info) throw new Error(`Unknown list type ${listType}`);
  const body = clone(input);
  const listId = text(body, 'ListID') ?? '';
  const row = books.file.listById(listId);
  if (!row || row.listType !== listType) throw new QbStatus(3120, statusText.notFound(listId));
  const editSequence = text(body, 'EditSequence') ?? '';
  if (editSequence !== text(row.ret, 'EditSequence'))
    throw new QbStatus(3200, statusText.staleEditSequence(editSequence));
  const oldFullName = books.fullName(row);
  let parentId = row.parentId;
  let parent = parentId ? books.file.listById(parentId) : null;
  const parentRef = child(body, 'ParentRef');
  if (parentRef && info.hierarchical) {
    parent = books.resolve(parentRef, 'ParentRef', listType, `${listType} list`);
    if (parent.listId === row.listId)
      throw new QbStatus(3180, statusText.saveError(info.label, oldFullName, 'A record cannot be its own parent.'));
    parentId = parent.listId;
  }
  const name = text(body, 'Name') ?? text(row.ret, 'Name') ?? '';
  if (text(body, 'Name') !== null) checkName(books, listType, name);
  const fullName = parent ? `${books.fullName(parent)}:${name}` : name;
  checkUnique(books, listType, fullName, row.listId);
  books.resolveAllRefs(body, listType, `${listType} list`);
  const instruction = (obj: QbObject, key: string): boolean => {
    if (!/^Apply\w+ToExistingTxns$/.test(key)) return false;
    // Re-posting past transactions to the item's new account is not modelled: refused rather than ignored.
    if (obj[key] === 'true') throw new QbStatus(3250, statusText.notEnabled(`${key} (not modelled by the simulator)`));
    return true;
  };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'ListID' || key === 'EditSequence' || ADD_ONLY_FIELDS.has(key) || key === 'ForceUOMChange') continue;
    if (instruction(body, key)) continue;
    if (key === 'SalesOrPurchaseMod' || key === 'SalesAndPurchaseMod') {
      // An item's sales/purchase block is changed element by element.
      const target = key.slice(0, -3);
      const changes = { ...(value as QbObject) };
      for (const inner of Object.keys(changes)) if (instruction(changes, inner)) delete changes[inner];
      const merged: QbObject = { ...(child(row.ret, target) ?? {}), ...changes };
      books.resolveAllRefs(merged, listType, `${listType} list`);
      row.ret[target] = merged;
      continue;
    }
    row.ret[key] = value;
  }
  row.ret.Name = name;
  if (info.hasFullName) {
    row.ret.FullName = fullName;
    row.ret.Sublevel = String(parent ? Number(text(parent.ret, 'Sublevel') ?? '0') + 1 : 0);
  }
  row.parentId = parentId;
  row.isActive = text(row.ret, 'IsActive') !== 'false';
  row.ret.TimeModified = books.timestamp();
  row.ret.EditSequence = books.nextEditSequence(text(row.ret, 'EditSequence'));
  validateItemAccounts(books, row);
  saveListRecord(books, row);
  if (fullName !== oldFullName && info.hierarchical) renameDescendants(books, row);
  return row;
}

function renameDescendants(books: Books, parent: ListRow): void {
  for (const kid of books.file.children(parent.listId)) {
    kid.ret.FullName = `${books.fullName(parent)}:${text(kid.ret, 'Name')}`;
    kid.ret.Sublevel = String(Number(text(parent.ret, 'Sublevel') ?? '0') + 1);
    saveListRecord(books, kid);
    renameDescendants(books, kid);
  }
}
