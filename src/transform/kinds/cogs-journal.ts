/**
 * Cost of goods sold: one journal entry per day and location in every mode, at Shopify's unit cost captured with
 * the sale — the same numbers whichever mode is chosen. Goods sold move from inventory to cost of goods sold; goods
 * returned to stock move back.
 */
import { sumMoney } from '../../domain/index.ts';
import type { JournalEntryDocument, TransactionDocument } from '../documents.ts';
import type { CostEntry } from '../fragments.ts';
import { locationLabel } from '../input.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentRule } from './kind.ts';

export const costOfGoodsSold: DocumentRule = {
  documents(input) {
    const groups = new Map<string, CostEntry[]>();
    for (const cost of input.costs) {
      const key = `summary/${cost.locationKey}/${cost.date}/cogs`;
      const group = groups.get(key);
      if (group) group.push(cost);
      else groups.set(key, [cost]);
    }
    const out: TransactionDocument[] = [];
    for (const [key, group] of groups) {
      const sold = sumMoney(group.filter((c) => c.amount > 0n).map((c) => c.amount));
      const returned = -sumMoney(group.filter((c) => c.amount < 0n).map((c) => c.amount));
      const first = group[0]!;
      const where = locationLabel(first.locationKey, input.locationNames);
      const lines: JournalEntryDocument['lines'] = [];
      if (sold !== 0n) {
        lines.push({
          category: 'costOfGoodsSold',
          side: 'debit',
          amount: sold,
          memo: `Cost of goods sold, ${where}`,
          classKey: first.classKey,
        });
        lines.push({
          category: 'inventoryAsset',
          side: 'credit',
          amount: sold,
          memo: `Goods sold, ${where}`,
          classKey: first.classKey,
        });
      }
      if (returned !== 0n) {
        lines.push({
          category: 'inventoryAsset',
          side: 'debit',
          amount: returned,
          memo: `Goods returned to stock, ${where}`,
          classKey: first.classKey,
        });
        lines.push({
          category: 'costOfGoodsSold',
          side: 'credit',
          amount: returned,
          memo: `Cost of goods returned, ${where}`,
          classKey: first.classKey,
        });
      }
      out.push({
        kind: 'journalEntry',
        key,
        date: first.date,
        refNumber: refNumberFor(`C${first.date.slice(2).replace(/-/g, '')}`, key),
        purpose: 'costOfGoodsSold',
        memo: `Cost of goods sold ${first.date}, ${where}: ${new Set(group.map((c) => c.orderName)).size} Shopify order(s)`,
        lines,
      });
    }
    return out;
  },
};
