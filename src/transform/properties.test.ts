import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { localDate, sumMoney } from '../domain/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { lineAmounts, shopMoney } from './amounts.ts';
import type { Mode, Modes } from './documents.ts';
import { glEffect, imbalance, totalEffect } from './gl-effect.ts';
import { localDateIn, transform } from './transform.ts';

const shops = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  orders: fc.integer({ min: 1, max: 60 }),
  profile: fc.constantFrom('us' as const, 'gb' as const, 'ca' as const, 'au' as const),
});
const mode = fc.constantFrom<Mode>('summary', 'detailed');
const modes = fc.record({ customers: mode, inventory: mode, vendors: mode });

function settings(m: Modes) {
  return { modes: m, useClasses: true, startDate: null };
}

function plain(effect: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries([...effect].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, String(v)]));
}

describe('transform properties over generated shops', () => {
  it('every document balances (debits = credits)', () => {
    fc.assert(
      fc.property(shops, modes, (options, m) => {
        for (const document of transform(generateShop(options), settings(m)).documents) {
          assert.equal(imbalance(glEffect(document)), 0n, document.key);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('Summary and Detailed post the same total per category, in any mix of the three settings', () => {
    fc.assert(
      fc.property(shops, modes, (options, m) => {
        const shop = generateShop(options);
        const detailed = totalEffect(
          transform(shop, settings({ customers: 'detailed', inventory: 'detailed', vendors: 'detailed' })).documents,
        );
        assert.deepEqual(plain(totalEffect(transform(shop, settings(m)).documents)), plain(detailed));
      }),
      { numRuns: 15 },
    );
  });

  it('is deterministic and re-transforming adds nothing: same sources, same documents, same keys', () => {
    fc.assert(
      fc.property(shops, modes, (options, m) => {
        const first = transform(generateShop(options), settings(m));
        const second = transform(generateShop(options), settings(m));
        assert.deepEqual(second, first);
        const keys = [...first.lists, ...first.documents].map((d) => d.key);
        assert.equal(new Set(keys).size, keys.length, 'keys are unique');
      }),
      { numRuns: 10 },
    );
  });

  it('Detailed: later orders never change the documents or names of earlier ones', () => {
    fc.assert(
      fc.property(shops, fc.integer({ min: 1, max: 59 }), (options, cut) => {
        const shop = generateShop(options);
        const all = transform(shop, settings({ customers: 'detailed', inventory: 'detailed', vendors: 'detailed' }));
        const prefix = transform(
          { ...shop, orders: shop.orders.slice(0, cut) },
          settings({ customers: 'detailed', inventory: 'detailed', vendors: 'detailed' }),
        );
        const byKey = new Map(all.documents.map((d) => [d.key, d]));
        for (const document of prefix.documents) {
          if (!/^(order|refund|return)\//.test(document.key)) continue;
          assert.deepEqual(byKey.get(document.key), document, document.key);
        }
        const names = new Map(all.lists.map((l) => [l.key, l.name]));
        for (const record of prefix.lists) assert.equal(names.get(record.key), record.name, record.key);
      }),
      { numRuns: 10 },
    );
  });

  it('line splits are exact: gross − discount = the line after discounts, net of tax; discount parts sum exactly', () => {
    fc.assert(
      fc.property(shops, (options) => {
        for (const order of generateShop(options).orders) {
          for (const line of order.lineItems) {
            const amounts = lineAmounts(line, order.taxesIncluded);
            const afterDiscounts =
              shopMoney(line.originalUnitPriceSet) * BigInt(line.quantity) -
              sumMoney(line.discountAllocations.map((a) => shopMoney(a.allocatedAmountSet)));
            assert.equal(amounts.gross - amounts.discount, afterDiscounts - (order.taxesIncluded ? amounts.tax : 0n));
            assert.equal(sumMoney(amounts.discounts.map((d) => d.amount)), amounts.discount);
            if (!order.taxesIncluded)
              assert.equal(amounts.gross, shopMoney(line.originalUnitPriceSet) * BigInt(line.quantity));
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('the cached local date equals the exact one in every zone, across DST changes on the hour and the half hour', () => {
    const zones = [
      'America/New_York',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Europe/London',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (zone, ms) => {
          const dateOf = localDateIn(zone);
          for (const t of [ms, ms + 1_800_000, ms - 60_000]) {
            const iso = new Date(t).toISOString();
            assert.equal(dateOf(iso), localDate(iso, zone), `${zone} ${iso}`);
          }
        },
      ),
      { numRuns: 300 },
    );
    // Around a real change: Lord Howe moves by 30 minutes at 02:00 local (15:00 UTC) on 2025-10-04.
    const dateOf = localDateIn('Australia/Lord_Howe');
    for (let t = Date.UTC(2025, 9, 4, 12); t < Date.UTC(2025, 9, 4, 15); t += 60_000) {
      const iso = new Date(t).toISOString();
      assert.equal(dateOf(iso), localDate(iso, 'Australia/Lord_Howe'), iso);
    }
  });
});
