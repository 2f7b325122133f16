/**
 * Transactions and what they post. Every transaction writes balanced general-ledger lines (debit positive,
 * credit negative, summing to zero) — sales orders and purchase orders post nothing, as in QuickBooks.
 */
import type { Books } from './books.ts';
import type { TxnRow } from './company-file.ts';
import { formatQuantity, parseScaled } from './decimal.ts';
import { undoInventory } from './inventory.ts';
import { postInventoryAdjustment, postJournalEntry } from './journals-adjustments.ts';
import { postDeposit, postReceivePayment } from './payments-deposits.ts';
import { postPurchase } from './purchases.ts';
import { child, clone, compact, many, type QbObject, text } from './qb-object.ts';
import { postSalesForm } from './sales-forms.ts';
import { QbStatus, statusText } from './status.ts';
import {
  type Context,
  type Effect,
  type Posting,
  PostingBuilder,
  TXN_TYPES,
  type TxnType,
  unlinkTxn,
} from './txn-posting.ts';

export { TXN_TYPES, type TxnType } from './txn-posting.ts';

/** Elements of an Add that are instructions, not data: QuickBooks does not echo them. */
const WRITE_ONLY = new Set(['LinkToTxnID', 'IsAutoApply', 'CashBackInfoAdd', 'SetCredit', 'defMacro']);

/** Copies the header of an Add into the Ret, resolving its references. */
function header(books: Books, type: TxnType, body: QbObject, lineKeys: readonly string[]): QbObject {
  const ret: QbObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (WRITE_ONLY.has(key) || lineKeys.includes(key)) continue;
    ret[key] = clone(value as QbObject);
  }
  books.resolveAllRefs(ret, type, type);
  return ret;
}

const LINE_KEYS: Record<TxnType, readonly string[]> = {
  SalesReceipt: ['SalesReceiptLineAdd', 'SalesReceiptLineGroupAdd'],
  Invoice: ['InvoiceLineAdd', 'InvoiceLineGroupAdd'],
  SalesOrder: ['SalesOrderLineAdd', 'SalesOrderLineGroupAdd'],
  CreditMemo: ['CreditMemoLineAdd', 'CreditMemoLineGroupAdd'],
  ReceivePayment: ['AppliedToTxnAdd'],
  JournalEntry: ['JournalDebitLine', 'JournalCreditLine'],
  Deposit: ['DepositLineAdd'],
  PurchaseOrder: ['PurchaseOrderLineAdd', 'PurchaseOrderLineGroupAdd'],
  ItemReceipt: ['ExpenseLineAdd', 'ItemLineAdd', 'ItemGroupLineAdd'],
  Bill: ['ExpenseLineAdd', 'ItemLineAdd', 'ItemGroupLineAdd'],
  InventoryAdjustment: ['InventoryAdjustmentLineAdd'],
};

const ENTITY_REF: Partial<Record<TxnType, string>> = {
  SalesReceipt: 'CustomerRef',
  Invoice: 'CustomerRef',
  SalesOrder: 'CustomerRef',
  CreditMemo: 'CustomerRef',
  ReceivePayment: 'CustomerRef',
  PurchaseOrder: 'VendorRef',
  ItemReceipt: 'VendorRef',
  Bill: 'VendorRef',
  InventoryAdjustment: 'CustomerRef',
};

const POSTERS: Record<TxnType, (ctx: Context) => void> = {
  SalesReceipt: postSalesForm,
  Invoice: postSalesForm,
  SalesOrder: postSalesForm,
  CreditMemo: postSalesForm,
  ReceivePayment: postReceivePayment,
  JournalEntry: postJournalEntry,
  Deposit: postDeposit,
  PurchaseOrder: postPurchase,
  ItemReceipt: postPurchase,
  Bill: postPurchase,
  InventoryAdjustment: postInventoryAdjustment,
};

/** Adds a transaction from its `…Add` body: computes it, posts it, stores it; returns the stored row. */
export function addTransaction(books: Books, type: TxnType, input: QbObject): TxnRow {
  for (const group of [
    'SalesReceiptLineGroupAdd',
    'InvoiceLineGroupAdd',
    'SalesOrderLineGroupAdd',
    'CreditMemoLineGroupAdd',
    'PurchaseOrderLineGroupAdd',
    'ItemGroupLineAdd',
  ]) {
    if (input[group] !== undefined)
      throw new QbStatus(3250, statusText.notEnabled('group items (not modelled by the simulator)'));
  }
  const txnId = books.newTxnId();
  const now = books.timestamp();
  const lineKeys = LINE_KEYS[type];
  const ret: QbObject = {
    TxnID: txnId,
    TimeCreated: now,
    TimeModified: now,
    EditSequence: books.nextEditSequence(null),
    ...(type === 'PurchaseOrder' || type === 'SalesOrder' ? {} : { TxnNumber: String(books.newTxnNumber()) }),
    ...header(books, type, input, lineKeys),
  };
  if (text(ret, 'TxnDate') === null) ret.TxnDate = books.today();
  const lineInput: QbObject = {};
  for (const key of [...lineKeys, 'IsAutoApply', 'CashBackInfoAdd'])
    if (input[key] !== undefined) lineInput[key] = input[key];
  const linkTo = (
    Array.isArray(input.LinkToTxnID) ? input.LinkToTxnID : input.LinkToTxnID ? [input.LinkToTxnID] : []
  ) as string[];
  const { row, effects } = postTransaction(books, type, txnId, ret, lineInput, linkTo, null);
  books.file.insertTxn(row);
  writePostings(books, row, effects);
  if (effects.effects.length) books.file.setMeta(`effects.${txnId}`, JSON.stringify(effects.effects));
  return row;
}

/** What a transaction posts, computed by its poster. */
export interface PostedEffects {
  postings: readonly Posting[];
  nonPosting: readonly Posting[];
  effects: readonly Effect[];
}

/**
 * Computes a transaction from its header (`ret`, references not yet resolved) and its line elements, as
 * QuickBooks does on an …Add and again on a …Mod (then `seq` is the stored row's). Writes nothing but inventory moves.
 */
export function postTransaction(
  books: Books,
  type: TxnType,
  txnId: string,
  ret: QbObject,
  lineInput: QbObject,
  linkTo: string[],
  seq: number | null,
): { row: TxnRow; effects: PostedEffects } {
  ret.__lines = lineInput;
  ret.__linkTo = linkTo as unknown as QbObject;
  const ctx: Context = { books, type, txnId, ret, postings: new PostingBuilder(), effects: [] };
  POSTERS[type](ctx);
  delete ret.__lines;
  delete ret.__linkTo;
  const sum = ctx.postings.lines.reduce((s, l) => s + l.amount, 0n);
  if (sum !== 0n) throw new Error(`Bug: ${type} ${txnId} posts unbalanced lines (off by ${sum} hundredths)`);
  const entityRef = ENTITY_REF[type];
  const entityId = entityRef ? text(child(ret, entityRef) ?? undefined, 'ListID') : null;
  const row: TxnRow = {
    txnId,
    txnType: type,
    txnDate: text(ret, 'TxnDate')!,
    refNumber: text(ret, 'RefNumber'),
    entityId,
    seq: seq ?? books.nextSeq(),
    ret: compact(ret),
  };
  return { row, effects: { postings: ctx.postings.lines, nonPosting: ctx.nonPosting ?? [], effects: ctx.effects } };
}

/** Writes what a transaction posts to the ledger (and what a sales order would post, apart). */
export function writePostings(books: Books, row: TxnRow, effects: PostedEffects): void {
  const base = { txnId: row.txnId, txnType: row.txnType, txnDate: row.txnDate };
  for (const line of effects.postings) books.file.insertLedger({ ...base, ...line });
  for (const line of effects.nonPosting) books.file.insertLedger({ ...base, ...line }, 'non_posting_ledger');
}

/** TxnDel: removes a transaction and everything it posted, refusing when other transactions depend on it. */
export function deleteTransaction(books: Books, type: string, txnId: string): TxnRow {
  const row = books.file.txnById(txnId);
  if (!row || row.txnType !== type) throw new QbStatus(3120, statusText.notFound(txnId));
  const dependants = many(row.ret, 'LinkedTxn').filter(
    (l) => text(l, 'TxnType') !== 'SalesOrder' && text(l, 'TxnType') !== 'PurchaseOrder',
  );
  const depositedBy = books.file.getMeta(`deposited.${txnId}`);
  if (
    (dependants.length > 0 && type !== 'SalesOrder' && type !== 'PurchaseOrder') ||
    depositedBy ||
    (dependants.length > 0 && (type === 'SalesOrder' || type === 'PurchaseOrder'))
  ) {
    throw new QbStatus(
      3210,
      statusText.invalidValue(
        'TxnID',
        txnId,
        'This transaction is linked to other transactions; delete or unlink those first.',
      ),
    );
  }
  const effects = JSON.parse(books.file.getMeta(`effects.${txnId}`) ?? '[]') as Effect[];
  for (const effect of effects) {
    const target = books.file.txnById(effect.target);
    if (effect.kind === 'deposit') {
      books.file.db.prepare('DELETE FROM meta WHERE key = ?').run(`deposited.${effect.target}`);
      continue;
    }
    if (!target) continue;
    if (effect.kind === 'applyPayment') {
      const amount = books.moneyOf({ a: effect.amount ?? '0' }, 'a') ?? 0n;
      const balance = (books.moneyOf(target.ret, 'BalanceRemaining') ?? 0n) + amount;
      target.ret.BalanceRemaining = books.formatMoney(balance);
      target.ret.AppliedAmount = books.formatMoney((books.moneyOf(target.ret, 'AppliedAmount') ?? 0n) + amount);
      target.ret.IsPaid = balance === 0n ? 'true' : 'false';
    } else if (effect.kind === 'receivePo') {
      const lines = many(target.ret, 'PurchaseOrderLineRet');
      const line = lines.find((l) => text(l, 'TxnLineID') === effect.lineId);
      if (line) {
        const received =
          (parseScaled(text(line, 'ReceivedQuantity') ?? '0', 5) ?? 0n) - (parseScaled(effect.amount ?? '0', 5) ?? 0n);
        line.ReceivedQuantity = formatQuantity(received);
      }
      target.ret.PurchaseOrderLineRet = lines;
      target.ret.IsFullyReceived = 'false';
    } else if (effect.kind === 'invoiceSalesOrder') {
      const lines = many(target.ret, 'SalesOrderLineRet');
      for (const line of lines) {
        // Older files recorded the whole order invoiced, without its lines.
        if (effect.lineId === undefined) line.Invoiced = '0';
        else if (text(line, 'TxnLineID') === effect.lineId) {
          const invoiced =
            (parseScaled(text(line, 'Invoiced') ?? '0', 5) ?? 0n) - (parseScaled(effect.amount ?? '0', 5) ?? 0n);
          line.Invoiced = formatQuantity(invoiced);
        }
      }
      target.ret.SalesOrderLineRet = lines;
      target.ret.IsFullyInvoiced = 'false';
    }
    unlinkTxn(target, txnId);
    books.file.updateTxn(target);
  }
  undoInventory(books, txnId);
  books.file.deleteLedger(txnId);
  books.file.deleteLedger(txnId, 'non_posting_ledger');
  books.file.deleteTxn(txnId);
  books.file.db.prepare('DELETE FROM meta WHERE key = ?').run(`effects.${txnId}`);
  return row;
}

export function isTxnType(value: string): value is TxnType {
  return (TXN_TYPES as readonly string[]).includes(value);
}
