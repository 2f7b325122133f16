import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { TxnRow } from './company-file.ts';
import { undoInventory } from './inventory.ts';
import { clone, compact, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';
import { postTransaction, type TxnType, writePostings } from './transactions.ts';

/**
 * Transaction …Mod requests as QuickBooks applies them (Intuit's …Mod references; consolibyte's notes on
 * InvoiceMod):
 * - TxnID and EditSequence must be the stored ones (3120 unknown, 3200 out of date);
 * - header elements given replace the stored ones, the others stay;
 * - when any line Mod is given, the lines given become the transaction's lines, in that order: a TxnLineID of an
 *   existing line changes that line (a new Quantity or Rate without an Amount recomputes it), TxnLineID "-1" adds a
 *   line, and every existing line not named is removed; without line Mods the lines stay as they are;
 * - the transaction is computed and posted again (ledger, inventory), keeping its TxnID, TxnNumber, TimeCreated and
 *   its links (payments applied to an invoice, a sales order's invoice, a purchase order's receipts);
 * - SalesOrderMod and PurchaseOrderMod take IsManuallyClosed (the header's, or a line's): a closed order is no
 *   longer open, and stays in QuickBooks.
 */
export const MODDABLE_TXN_TYPES = [
  'SalesReceipt',
  'Invoice',
  'SalesOrder',
  'CreditMemo',
  'PurchaseOrder',
  'JournalEntry',
] as const satisfies readonly TxnType[];
export type ModdableTxnType = (typeof MODDABLE_TXN_TYPES)[number];

export function isModdableTxnType(value: string): value is ModdableTxnType {
  return (MODDABLE_TXN_TYPES as readonly string[]).includes(value);
}

/** What each poster computes: taken off the stored Ret before it is computed again. */
const COMPUTED = [
  'Subtotal',
  'SalesTaxPercentage',
  'SalesTaxTotal',
  'TotalAmount',
  'BalanceRemaining',
  'AppliedAmount',
  'IsPaid',
  'CreditRemaining',
  'IsAdjustment',
];

/** Instructions of a …Mod that are not stored. */
const MOD_ONLY = new Set(['TxnID', 'EditSequence', 'SetCredit']);

function lineRetName(type: ModdableTxnType): string {
  return type === 'JournalEntry' ? '' : `${type}LineRet`;
}

/** The lines as the poster reads them: a kept line carries its TxnLineID and what it had. */
function mergedLines(stored: QbObject[], mods: QbObject[]): QbObject[] {
  return mods.map((mod) => {
    const id = text(mod, 'TxnLineID');
    const fields = clone(mod);
    if (id === null || id === '-1') {
      delete fields.TxnLineID;
      return fields;
    }
    const old = stored.find((line) => text(line, 'TxnLineID') === id);
    if (!old) throw new QbStatus(3120, statusText.notFound(id));
    const merged: QbObject = { ...clone(old), ...fields };
    // A new quantity, rate or item without an amount: QuickBooks computes the amount again (and the rate from the
    // new item).
    if (fields.Amount === undefined && (fields.Quantity !== undefined || fields.Rate !== undefined))
      delete merged.Amount;
    if (fields.ItemRef !== undefined && fields.Amount === undefined && fields.Rate === undefined) {
      delete merged.Amount;
      delete merged.Rate;
    }
    return merged;
  });
}

function journalLines(stored: QbObject, mods: QbObject[] | null): QbObject {
  const debit = many(stored, 'JournalDebitLine').map((l) => ({ ...clone(l), __side: 'Debit' }) as QbObject);
  const credit = many(stored, 'JournalCreditLine').map((l) => ({ ...clone(l), __side: 'Credit' }) as QbObject);
  let lines = [...debit, ...credit];
  if (mods !== null) {
    lines = mods.map((mod) => {
      const id = text(mod, 'TxnLineID');
      const fields = clone(mod);
      const side = text(mod, 'JournalLineType');
      delete fields.JournalLineType;
      if (id === null || id === '-1') {
        if (side === null) {
          throw new QbStatus(
            3210,
            statusText.invalidValue('JournalLineType', '', 'A new journal line must say Debit or Credit.'),
          );
        }
        delete fields.TxnLineID;
        return { ...fields, __side: side } as QbObject;
      }
      const old = lines.find((line) => text(line, 'TxnLineID') === id);
      if (!old) throw new QbStatus(3120, statusText.notFound(id));
      return { ...old, ...fields, __side: side ?? text(old, '__side')! } as QbObject;
    });
  }
  const out: QbObject = { JournalDebitLine: [], JournalCreditLine: [] };
  for (const line of lines) {
    const side = text(line, '__side');
    delete line.__side;
    (out[side === 'Debit' ? 'JournalDebitLine' : 'JournalCreditLine'] as QbObject[]).push(line);
  }
  return out;
}

/** Payments QuickBooks applied to an invoice (its LinkedTxn ReceivePayment entries), positive. */
function paymentsApplied(books: Books, ret: QbObject): Money {
  return many(ret, 'LinkedTxn')
    .filter((l) => text(l, 'TxnType') === 'ReceivePayment')
    .reduce((sum, l) => sum - (books.moneyOf(l, 'Amount') ?? 0n), 0n);
}

/** Applies a transaction …Mod body and posts the transaction again; returns the stored row. */
export function modTransaction(books: Books, type: ModdableTxnType, mod: QbObject): TxnRow {
  const txnId = text(mod, 'TxnID') ?? '';
  const stored = books.file.txnById(txnId);
  if (!stored || stored.txnType !== type) throw new QbStatus(3120, statusText.notFound(txnId));
  const editSequence = text(mod, 'EditSequence') ?? '';
  if (editSequence !== text(stored.ret, 'EditSequence'))
    throw new QbStatus(3200, statusText.staleEditSequence(editSequence));
  const lineModName = type === 'JournalEntry' ? 'JournalLineMod' : `${type}LineMod`;
  for (const group of [
    'SalesReceiptLineGroupMod',
    'InvoiceLineGroupMod',
    'SalesOrderLineGroupMod',
    'CreditMemoLineGroupMod',
    'PurchaseOrderLineGroupMod',
  ]) {
    if (mod[group] !== undefined)
      throw new QbStatus(3250, statusText.notEnabled('group items (not modelled by the simulator)'));
  }
  const old = stored.ret;
  const ret: QbObject = clone(old);
  const storedLines = type === 'JournalEntry' ? [] : many(old, lineRetName(type));
  delete ret[lineRetName(type)];
  delete ret.JournalDebitLine;
  delete ret.JournalCreditLine;
  const keepLinks = ret.LinkedTxn;
  for (const key of COMPUTED) delete ret[key];
  const header: QbObject = {};
  for (const [key, value] of Object.entries(mod)) {
    if (!MOD_ONLY.has(key) && key !== lineModName && value !== undefined) header[key] = clone(value as QbObject);
  }
  books.resolveAllRefs(header, type, type);
  Object.assign(ret, header);

  const mods = mod[lineModName] === undefined ? null : many(mod, lineModName);
  let lineInput: QbObject;
  if (type === 'JournalEntry') lineInput = journalLines(old, mods);
  else {
    const lines = mods === null ? storedLines.map((l) => clone(l)) : mergedLines(storedLines, mods);
    lineInput = { [`${type}LineAdd`]: lines };
  }

  const before = books.moneyOf(old, 'TotalAmount');
  // What it posted is taken back before it is computed again (the links to other transactions stay).
  undoInventory(books, txnId);
  books.file.deleteLedger(txnId);
  books.file.deleteLedger(txnId, 'non_posting_ledger');
  const { row, effects } = postTransaction(books, type, txnId, ret, lineInput, [], stored.seq);
  if (keepLinks !== undefined) row.ret.LinkedTxn = keepLinks;
  if (type === 'Invoice') {
    const applied = paymentsApplied(books, old);
    const owed = (books.moneyOf(row.ret, 'BalanceRemaining') ?? 0n) - applied;
    if (owed < 0n) {
      throw new QbStatus(
        3210,
        statusText.invalidValue(
          'InvoiceMod',
          books.formatMoney(owed),
          'The invoice would total less than the payments applied to it.',
        ),
      );
    }
    row.ret.BalanceRemaining = books.formatMoney(owed);
    row.ret.AppliedAmount = books.formatMoney((books.moneyOf(row.ret, 'AppliedAmount') ?? 0n) - applied);
    row.ret.IsPaid = owed === 0n ? 'true' : 'false';
  }
  if (type === 'SalesReceipt' && books.file.getMeta(`deposited.${txnId}`) !== null) {
    if (books.moneyOf(row.ret, 'TotalAmount') !== before) {
      throw new QbStatus(
        3210,
        statusText.invalidValue(
          'SalesReceiptMod',
          txnId,
          'This sales receipt has been deposited; its amount cannot change.',
        ),
      );
    }
  }
  if (type === 'SalesOrder' || type === 'PurchaseOrder') closeLines(row.ret, type);
  row.ret.TimeCreated = old.TimeCreated!;
  row.ret.TimeModified = books.timestamp();
  row.ret.EditSequence = books.nextEditSequence(text(old, 'EditSequence'));
  if (old.TxnNumber !== undefined) row.ret.TxnNumber = old.TxnNumber;
  row.ret = compact(row.ret);
  books.file.updateTxn(row);
  writePostings(books, row, effects);
  return row;
}

/** An order closed by hand closes its lines; an order whose every line is closed is closed. */
function closeLines(ret: QbObject, type: 'SalesOrder' | 'PurchaseOrder'): void {
  const lines = many(ret, `${type}LineRet`);
  if (text(ret, 'IsManuallyClosed') === 'true') for (const line of lines) line.IsManuallyClosed = 'true';
  else if (lines.length > 0 && lines.every((l) => text(l, 'IsManuallyClosed') === 'true'))
    ret.IsManuallyClosed = 'true';
  if (lines.length > 0) ret[`${type}LineRet`] = lines;
}
