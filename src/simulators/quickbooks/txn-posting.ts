/**
 * What every transaction poster shares: the transaction types, the ledger lines a poster collects (debit positive,
 * credit negative, summing to zero), the effects on other transactions it records so a TxnDel can undo them, and
 * the links QuickBooks writes between transactions (LinkedTxn).
 */
import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { ListRow, TxnRow } from './company-file.ts';
import { formatScaled } from './decimal.ts';
import { compact, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';

export const TXN_TYPES = [
  'SalesReceipt',
  'Invoice',
  'SalesOrder',
  'CreditMemo',
  'ReceivePayment',
  'JournalEntry',
  'Deposit',
  'PurchaseOrder',
  'ItemReceipt',
  'Bill',
  'InventoryAdjustment',
] as const;
export type TxnType = (typeof TXN_TYPES)[number];

/** Elements of an Add that are instructions, not data: QuickBooks does not echo them. */
export interface Posting {
  accountId: string;
  amount: Money;
  entityId: string | null;
  itemId: string | null;
  memo: string | null;
}

export interface Effect {
  kind: 'applyPayment' | 'deposit' | 'receivePo' | 'invoiceSalesOrder';
  target: string;
  lineId?: string;
  amount?: string;
}

export class PostingBuilder {
  readonly lines: Posting[] = [];
  add(
    account: ListRow,
    amount: Money,
    entity: ListRow | null = null,
    item: ListRow | null = null,
    memo: string | null = null,
  ) {
    if (amount === 0n) return;
    this.lines.push({
      accountId: account.listId,
      amount,
      entityId: entity?.listId ?? null,
      itemId: item?.listId ?? null,
      memo,
    });
  }
}

export interface Context {
  books: Books;
  type: TxnType;
  txnId: string;
  ret: QbObject;
  postings: PostingBuilder;
  /** Sales orders: what the form would post, kept apart from the ledger for the open-sales-orders report. */
  nonPosting?: Posting[];
  effects: Effect[];
}

export function money(books: Books, amount: Money): string {
  return books.formatMoney(amount);
}

export function newLineId(books: Books): string {
  return books.newTxnLineId();
}

/** QuickBooks writes percentages with at least two decimals ("6.00", "0.00": wire r05), more when they have them. */
export function formatPercent(scaled: bigint): string {
  const text = formatScaled(scaled, 5);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** The list record a required reference names; 3140 when it names none. */
export function requireRef(books: Books, body: QbObject, refName: string, type: string): ListRow {
  const row = books.resolveField(body, refName, type, type);
  if (!row) throw new QbStatus(3140, statusText.invalidReference(refName.replace(/Ref$/, ''), '', type));
  return row;
}

/** Records on `target` that `from` links to it (LinkedTxn), as QuickBooks shows it on both sides. */
export function linkTxn(
  books: Books,
  target: TxnRow,
  from: { txnId: string; type: string; ret: QbObject },
  amount: Money,
): void {
  const links = many(target.ret, 'LinkedTxn');
  links.push(
    compact({
      TxnID: from.txnId,
      TxnType: from.type,
      TxnDate: text(from.ret, 'TxnDate') ?? books.today(),
      RefNumber: text(from.ret, 'RefNumber') ?? undefined,
      LinkType: 'AMTTYPE',
      Amount: money(books, amount),
    }),
  );
  target.ret.LinkedTxn = links;
}

export function unlinkTxn(target: TxnRow, fromTxnId: string): void {
  const links = many(target.ret, 'LinkedTxn').filter((l) => text(l, 'TxnID') !== fromTxnId);
  if (links.length) target.ret.LinkedTxn = links;
  else delete target.ret.LinkedTxn;
}
