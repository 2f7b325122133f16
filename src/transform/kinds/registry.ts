/**
 * The registry of the accounting engine: every document kind and list record kind, and the rules that make
 * documents of kinds whose module does not. `transform()` runs each kind's `documents`, then the rules, then the list
 * kinds; `planRequests()` plans each record and document by its kind; `glEffect()` posts each document by its kind.
 * A new kind is a module in this folder and a line here.
 */
import type { ListRecord, TransactionDocument } from '../documents.ts';
import { account } from './account.ts';
import { bill } from './bill.ts';
import { classKind } from './class.ts';
import { costOfGoodsSold } from './cogs-journal.ts';
import { creditMemo } from './credit-memo.ts';
import { customer } from './customer.ts';
import { deposit } from './deposit.ts';
import { inventoryAdjustments } from './inventory-adjustment.ts';
import { invoice } from './invoice.ts';
import { item } from './item.ts';
import { itemReceipt } from './item-receipt.ts';
import { journalEntry } from './journal-entry.ts';
import type { DocumentKind, DocumentRule, ListKind } from './kind.ts';
import { paymentMethod } from './payment-method.ts';
import { payoutDeposits } from './payout-deposit.ts';
import { purchaseOrder } from './purchase-order.ts';
import { receivePayment } from './receive-payment.ts';
import { removal } from './removal.ts';
import { salesOrder } from './sales-order.ts';
import { salesReceipt } from './sales-receipt.ts';
import { vendor } from './vendor.ts';

type Of<U, K> = U extends { kind: infer UK } ? (K extends UK ? U : never) : never;

/** Each transaction document kind, by the `kind` its documents carry. */
export const DOCUMENT_KINDS: { [K in TransactionDocument['kind']]: DocumentKind<Of<TransactionDocument, K>> } = {
  salesReceipt,
  invoice,
  creditMemo,
  salesOrder,
  receivePayment,
  journalEntry,
  deposit,
  purchaseOrder,
  itemReceipt,
  bill,
};

/** Each list record kind, in the order the transform lists them. */
export const LIST_KINDS: { [K in ListRecord['kind']]: ListKind<Of<ListRecord, K>> } = {
  account,
  paymentMethod,
  class: classKind,
  item,
  customer,
  vendor,
};

/**
 * Rules that make documents of the kinds above without being one, run after the kinds' own (which run in the
 * order of DOCUMENT_KINDS, after the orders have been read once by `prepare`).
 */
export const DOCUMENT_RULES: readonly DocumentRule[] = [costOfGoodsSold, payoutDeposits, inventoryAdjustments];

/** TxnDel of a transaction the connector added: the sync asks for it (see `removal.ts`). */
export { removal };

/**
 * The tables seen by kind name alone. A lookup by a document's kind gives the union of every kind's type, which
 * TypeScript cannot pair with the document (microsoft/TypeScript#30581); the tables above pair them, and a kind's
 * methods take their own documents.
 */
const DOCUMENTS_BY_KIND: Readonly<Record<TransactionDocument['kind'], DocumentKind<TransactionDocument>>> =
  DOCUMENT_KINDS;
const LISTS_BY_KIND: Readonly<Record<ListRecord['kind'], ListKind<ListRecord>>> = LIST_KINDS;

export function documentKind(document: TransactionDocument): DocumentKind<TransactionDocument> {
  return DOCUMENTS_BY_KIND[document.kind];
}

export function listKind(record: ListRecord): ListKind<ListRecord> {
  return LISTS_BY_KIND[record.kind];
}
