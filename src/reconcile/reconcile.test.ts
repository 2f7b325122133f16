import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { QbxmlRequest } from '../qbxml/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { type Mode, proposeAccountMapping, transform } from '../transform/index.ts';
import { reconcileByDay } from './by-day.ts';
import { documentLedger } from './document-ledger.ts';
import { dataPeriod } from './period.ts';
import { askQuickBooksAll, run, syncToSimulator } from './quickbooks.test-support.ts';
import { type LedgerReader, reconcile } from './reconcile.ts';
import { reportJson, reportText } from './report.ts';

const EVERYTHING = { from: '2000-01-01', to: '2099-12-31' };

describe('reconciliation end to end through the QuickBooks simulator', () => {
  for (const [mode, profile] of [
    ['detailed', 'us'],
    ['summary', 'ca'],
    ['detailed', 'gb'],
    ['summary', 'au'],
  ] as const) {
    it(`${mode} mode, ${profile} shop: no difference at all, to the cent (open orders counted from QuickBooks' open sales orders); debits equal credits`, async () => {
      const shop = generateShop({ seed: 2024, orders: 240, profile });
      const { company, mapping } = syncToSimulator(shop, mode);
      const { reader, trialBalance } = askQuickBooksAll(company, mapping, EVERYTHING);
      const report = await reconcile(shop, reader, mapping, EVERYTHING);
      assert.ok(report.salesOrdersCounted);
      // The shop has open orders, so the QuickBooks side must have read them from the sales orders to tie out.
      assert.ok(report.openOrders.grossSales > 0n, 'the generated shop has orders still open');
      assert.deepEqual(report.differences, []);
      // Without the open sales orders, exactly the open orders are missing from QuickBooks' posted ledger.
      const posted = await reconcile(shop, { entries: reader.entries }, mapping, EVERYTHING);
      for (const difference of posted.differences) {
        assert.ok(!difference.category.startsWith('payments.'), `payments differ: ${difference.category}`);
        assert.equal(
          difference.shopify - difference.quickbooks,
          posted.openOrders[difference.category as keyof typeof posted.openOrders],
          `${difference.category} is explained by open orders`,
        );
      }
      assert.ok(posted.differences.length > 0);
      assert.ok(report.shopify.grossSales > 0n && report.shopify.returns > 0n && report.shopify.tips > 0n);
      // QuickBooks' own trial balance (its report, through qbXML) balances.
      assert.equal(trialBalance.debits, trialBalance.credits);
      assert.ok(trialBalance.debits > 0n);
      const json = reportJson(report);
      assert.match(json.shopify.grossSales, /^-?\d+\.\d{2}$/);
      assert.match(reportText(report), /Gross sales/);
      // Every day on its own reconciles too (sales, refunds and payments dated in the shop's time zone).
      const days = await reconcileByDay(shop, reader, mapping, {
        from: '2025-01-05',
        to: '2025-02-28',
      });
      assert.equal(days.length, 55);
      for (const day of days) assert.deepEqual(day.differences, [], day.period.from);
      company.close();
    });
  }
});

describe('a change made by hand in QuickBooks', () => {
  it('a journal entry on the sales account is a difference in gross sales, on its day', async () => {
    const shop = generateShop({ seed: 77, orders: 60, profile: 'us' });
    const { company, mapping } = syncToSimulator(shop, 'summary');
    const clean = await reconcile(shop, askQuickBooksAll(company, mapping, EVERYTHING).reader, mapping, EVERYTHING);
    assert.deepEqual(clean.differences, []);
    const day = '2025-01-10';
    const [entry] = run(company, [
      {
        type: 'JournalEntryAdd',
        requestID: 'by-hand',
        body: {
          JournalEntryAdd: {
            TxnDate: day,
            JournalDebitLine: [{ AccountRef: { FullName: mapping.productSales }, Amount: '25.00' }],
            JournalCreditLine: [{ AccountRef: { FullName: 'Checking' }, Amount: '25.00' }],
          },
        },
      } as QbxmlRequest,
    ]);
    assert.equal(entry!.statusCode, 0, entry!.statusMessage);
    const { reader } = askQuickBooksAll(company, mapping, EVERYTHING);
    const after = await reconcile(shop, reader, mapping, EVERYTHING);
    assert.deepEqual(
      after.differences.map((d) => [d.category, d.shopify - d.quickbooks]),
      [
        ['grossSales', 2500n],
        ['netSales', 2500n],
      ],
    );
    const days = await reconcileByDay(shop, reader, mapping, { from: '2025-01-09', to: '2025-01-11' });
    assert.deepEqual(
      days.map((d) => [d.period.from, d.differences.length]),
      [
        ['2025-01-09', 0],
        [day, 2],
        ['2025-01-11', 0],
      ],
    );
    company.close();
  });
});

describe('reconciliation report', () => {
  const shop = generateShop({ seed: 5, orders: 40, profile: 'us' });
  const { mapping } = proposeAccountMapping([]);
  const empty: LedgerReader = { entries: async () => [] };

  it('shows every category QuickBooks is missing, in the issue’s JSON shape', async () => {
    const report = await reconcile(shop, empty, mapping, EVERYTHING);
    const json = reportJson(report);
    assert.deepEqual(Object.keys(json), [
      'period',
      'shopify',
      'quickbooks',
      'differences',
      'heldBack',
      'notYetSynced',
      'corrections',
    ]);
    assert.deepEqual(Object.keys(json.shopify), [
      'grossSales',
      'discounts',
      'returns',
      'netSales',
      'shipping',
      'taxes',
      'tips',
      'giftCardsSold',
      'duties',
      'additionalFees',
      'payments',
    ]);
    assert.deepEqual(json.period, { from: '2000-01-01', to: '2099-12-31' });
    assert.equal(json.quickbooks.grossSales, '0.00');
    assert.ok(
      json.differences.some(
        (d) => d.category === 'grossSales' && d.shopify === json.shopify.grossSales && d.quickbooks === '0.00',
      ),
    );
    assert.ok(json.differences.some((d) => d.category === 'payments.shopify_payments'));
    for (const value of Object.values(json.shopify.payments)) assert.match(value, /^-?\d+\.\d{2}$/);
    assert.match(reportText(report), /not explained by open orders/);
  });

  it('counts only sales documents on the QuickBooks side (the merchant paying the tax is not a sale)', async () => {
    const reader: LedgerReader = {
      entries: async (account) =>
        account === mapping.salesTaxPayable
          ? [
              { transactionType: 'SalesReceipt', date: '2025-02-01', amount: -800n },
              { transactionType: 'Check', date: '2025-02-02', amount: 800n },
              { transactionType: 'SalesReceipt', date: '2026-01-01', amount: -100n },
            ]
          : [],
    };
    const report = await reconcile(shop, reader, mapping, { from: '2025-01-01', to: '2025-12-31' });
    assert.equal(report.quickbooks.taxes, 800n);
  });

  it('property: for any generated shop and any mix of modes, the documents post exactly what Shopify reports', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 80 }),
        fc.constantFrom('us' as const, 'gb' as const, 'ca' as const, 'au' as const),
        fc.constantFrom<Mode>('summary', 'detailed'),
        fc.constantFrom<Mode>('summary', 'detailed'),
        async (seed, orders, profile, customers, inventory) => {
          const sources = generateShop({ seed, orders, profile });
          const result = transform(sources, {
            modes: { customers, inventory, vendors: customers },
            useClasses: true,
            startDate: null,
          });
          const report = await reconcile(sources, documentLedger(result.documents, mapping), mapping, EVERYTHING);
          for (const difference of report.differences) {
            assert.ok(!difference.category.startsWith('payments.'), difference.category);
            assert.equal(
              difference.shopify - difference.quickbooks,
              report.openOrders[difference.category as keyof typeof report.openOrders],
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('property: the report of each day is the report over that day alone (the per-day index skips no order)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('us' as const, 'gb' as const, 'ca' as const, 'au' as const),
        async (seed, orders, profile) => {
          const sources = generateShop({ seed, orders, profile });
          const period = dataPeriod(sources);
          if (!period) return;
          const result = transform(sources, {
            modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
            useClasses: false,
            startDate: null,
          });
          // Half the documents posted: differences on many days, in every category.
          const reader = documentLedger(
            result.documents.filter((_, i) => i % 2 === 0),
            mapping,
          );
          const days = await reconcileByDay(sources, reader, mapping, period);
          for (const day of days) {
            const alone = await reconcile(sources, reader, mapping, day.period);
            assert.deepEqual(day, alone, day.period.from);
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
