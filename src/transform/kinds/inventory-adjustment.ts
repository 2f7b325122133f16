/**
 * Stock adjustments (Stocky counts, damage, loss) at the variant's unit cost, against the inventory adjustments
 * account. A journal entry, not an Inventory Adjustment: product items are non-inventory items (see ItemRecord), so
 * QuickBooks keeps no quantity to adjust.
 */
import { localDate } from '../../domain/index.ts';
import { numericId } from '../amounts.ts';
import type { JournalLine, TransactionDocument } from '../documents.ts';
import { costTimes } from '../fragments.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentRule } from './kind.ts';

export const inventoryAdjustments: DocumentRule = {
  documents(input) {
    const costByVariant = new Map<string, string | null>();
    for (const product of input.sources.products)
      for (const v of product.variants) costByVariant.set(numericId(v.id), v.inventoryItem.unitCost?.amount ?? null);
    const out: TransactionDocument[] = [];
    const adjustments = [...(input.sources.stocky?.stockAdjustments ?? [])].sort((a, b) => a.id - b.id);
    for (const adjustment of adjustments) {
      let value = 0n;
      for (const item of adjustment.items) {
        const cost = costByVariant.get(String(item.variant.shopify_id)) ?? null;
        if (cost === null) {
          input.notes.push({
            key: `stock-adjustment/${adjustment.id}`,
            code: 'UNIT_COST_MISSING',
            text: `Stock adjustment ${adjustment.sequential_id}: "${item.variant.title}" has no unit cost in Shopify; its value was not posted.`,
          });
          continue;
        }
        value += costTimes(cost, item.quantity);
      }
      if (value === 0n) continue;
      const key = `stock-adjustment/${adjustment.id}`;
      const reason = adjustment.stock_adjustment_reason?.reason ?? 'stock adjustment';
      const amount = value < 0n ? -value : value;
      const classKey = adjustment.location ? input.classKeyOf(String(adjustment.location.shopify_id)) : null;
      const lines: JournalLine[] =
        value > 0n
          ? [
              { category: 'inventoryAsset', side: 'debit', amount, memo: `Stock counted in: ${reason}`, classKey },
              {
                category: 'inventoryAdjustments',
                side: 'credit',
                amount,
                memo: `Stock counted in: ${reason}`,
                classKey,
              },
            ]
          : [
              {
                category: 'inventoryAdjustments',
                side: 'debit',
                amount,
                memo: `Stock written off: ${reason}`,
                classKey,
              },
              { category: 'inventoryAsset', side: 'credit', amount, memo: `Stock written off: ${reason}`, classKey },
            ];
      out.push({
        kind: 'journalEntry',
        key,
        date: localDate(adjustment.adjusted_at ?? adjustment.created_at, input.timeZone),
        refNumber: refNumberFor(`A${adjustment.sequential_id}`, key),
        purpose: 'inventoryAdjustment',
        memo: `Stocky stock adjustment ${adjustment.sequential_id}: ${reason}`,
        lines,
      });
    }
    return out;
  },
};
