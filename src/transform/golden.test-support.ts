/** What the golden tests share: running the transform (every document must balance) and reading its lines. */
import assert from 'node:assert/strict';
import { formatMoney } from '../domain/index.ts';
import type { Modes, TransactionDocument } from './documents.ts';
import { glEffect, imbalance } from './gl-effect.ts';
import { type TransformResult, type TransformSources, transform } from './transform.ts';

export const DETAILED: Modes = { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' };
export const SUMMARY: Modes = { customers: 'summary', inventory: 'summary', vendors: 'summary' };

export function run(sources: TransformSources, modes: Modes = DETAILED): TransformResult {
  const result = transform(sources, { modes, useClasses: true, startDate: null });
  for (const document of result.documents) assert.equal(imbalance(glEffect(document)), 0n, `${document.key} balances`);
  return result;
}

export function find(result: TransformResult, key: string): TransactionDocument {
  const document = result.documents.find((d) => d.key === key);
  assert.ok(document, `document ${key} exists; have ${result.documents.map((d) => d.key).join(', ')}`);
  return document;
}

/** [item, category, quantity, amount] per line. */
export function rows(document: TransactionDocument): [string, string, number | null, string][] {
  assert.ok('lines' in document);
  return document.lines.map((l) => {
    const line = l as { item?: string; category: string; quantity?: number | null; amount: bigint };
    return [line.item ?? '', line.category, line.quantity ?? null, formatMoney(line.amount)];
  });
}

export const SALE_AT = '2025-03-10T15:00:00Z';
