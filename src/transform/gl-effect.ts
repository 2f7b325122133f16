/**
 * What a document does to the general ledger, by category, computed the way QuickBooks posts each transaction
 * type — so tests can prove balance and totals without QuickBooks. Debits are positive, credits negative.
 */
import { type Money, sumMoney } from '../domain/money.ts';
import type { Category } from './accounts.ts';
import type { TransactionDocument } from './documents.ts';

export type GlEffect = Map<Category, Money>;

function add(effect: GlEffect, category: Category, amount: Money): void {
  if (amount === 0n) return;
  const next = (effect.get(category) ?? 0n) + amount;
  if (next === 0n) effect.delete(category);
  else effect.set(category, next);
}

export function documentTotal(document: TransactionDocument): Money {
  switch (document.kind) {
    case 'salesReceipt':
    case 'invoice':
    case 'creditMemo':
    case 'salesOrder':
    case 'purchaseOrder':
      return sumMoney(document.lines.map((l) => l.amount));
    case 'receivePayment':
      return document.amount;
    case 'deposit':
      return sumMoney(document.lines.map((l) => l.amount));
    case 'journalEntry':
      return sumMoney(document.lines.filter((l) => l.side === 'debit').map((l) => l.amount));
    case 'itemReceipt':
    case 'bill':
      return sumMoney(document.lines.map((l) => l.amount)) + sumMoney(document.expenses.map((l) => l.amount));
  }
}

export function glEffect(document: TransactionDocument): GlEffect {
  const effect: GlEffect = new Map();
  switch (document.kind) {
    case 'salesReceipt':
      add(effect, document.depositTo, documentTotal(document));
      for (const line of document.lines) add(effect, line.category, -line.amount);
      break;
    case 'invoice':
      add(effect, 'accountsReceivable', documentTotal(document));
      for (const line of document.lines) add(effect, line.category, -line.amount);
      break;
    case 'creditMemo':
      add(effect, 'accountsReceivable', -documentTotal(document));
      for (const line of document.lines) add(effect, line.category, line.amount);
      break;
    case 'receivePayment':
      add(effect, document.depositTo, document.amount);
      add(effect, 'accountsReceivable', -document.amount);
      break;
    case 'journalEntry':
      for (const line of document.lines) add(effect, line.category, line.side === 'debit' ? line.amount : -line.amount);
      break;
    case 'deposit':
      add(effect, document.depositTo, documentTotal(document));
      for (const line of document.lines) add(effect, line.category, -line.amount);
      break;
    case 'itemReceipt':
    case 'bill':
      for (const line of document.lines) add(effect, line.category, line.amount);
      for (const line of document.expenses) add(effect, line.category, line.amount);
      add(effect, 'accountsPayable', -documentTotal(document));
      break;
    case 'salesOrder':
    case 'purchaseOrder':
      break;
  }
  return effect;
}

/** Σ debits − Σ credits: zero for every balanced document. */
export function imbalance(effect: GlEffect): Money {
  return sumMoney(effect.values());
}

/** Adds up the effect of many documents (a trial balance by category). */
export function totalEffect(documents: Iterable<TransactionDocument>): GlEffect {
  const total: GlEffect = new Map();
  for (const document of documents) for (const [category, amount] of glEffect(document)) add(total, category, amount);
  return total;
}
