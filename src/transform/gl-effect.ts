/**
 * What a document does to the general ledger, by category, computed the way QuickBooks posts each transaction
 * type (each kind's `ledger`) — so tests can prove balance and totals without QuickBooks. Debits are positive,
 * credits negative.
 */
import { type Money, sumMoney } from '../domain/index.ts';
import type { Category } from './accounts.ts';
import type { TransactionDocument } from './documents.ts';
import { documentKind } from './kinds/registry.ts';

export type GlEffect = Map<Category, Money>;

function add(effect: GlEffect, category: Category, amount: Money): void {
  if (amount === 0n) return;
  const next = (effect.get(category) ?? 0n) + amount;
  if (next === 0n) effect.delete(category);
  else effect.set(category, next);
}

export function documentTotal(document: TransactionDocument): Money {
  return documentKind(document).total(document);
}

export function glEffect(document: TransactionDocument): GlEffect {
  const effect: GlEffect = new Map();
  documentKind(document).ledger(document, (category, amount) => add(effect, category, amount));
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
