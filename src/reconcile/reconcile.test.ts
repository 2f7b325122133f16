import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type PlannedRequest,
  planRequests,
  referencedKeys,
  resolveTxnIdReferences,
  toQbxmlRequest,
} from '../plan/index.ts';
import { buildRequestDocument, parseResponseDocument, type QbxmlRequest } from '../qbxml/index.ts';
import { openCompany, type QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import {
  type AccountMapping,
  type AccountType,
  type Mode,
  proposeAccountMapping,
  type TransformSources,
  transform,
} from '../transform/index.ts';
import { dataPeriod } from './period.ts';
import { askQuickBooksAll } from './quickbooks.test-support.ts';
import { documentLedger, type LedgerReader, reconcile, reconcileByDay, reportJson, reportText } from './reconcile.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(company: QuickBooksCompany, requests: QbxmlRequest[]) {
  const built = buildRequestDocument({ requests, onError: 'continueOnError' });
  assert.ok(built.ok);
  const result = company.processRequest(built.value.xml);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

/** The whole path on the QuickBooks simulator: read its accounts, map, transform, plan, execute in order. */
function syncToSimulator(
  sources: TransformSources,
  mode: Mode,
): { company: QuickBooksCompany; mapping: AccountMapping } {
  const dir = mkdtempSync(join(tmpdir(), 'reconcile-'));
  dirs.push(dir);
  const company = openCompany(join(dir, 'company.qbw'));
  const accounts = run(company, [{ type: 'AccountQuery', requestID: 'a', body: {} } as QbxmlRequest])[0]!.rets as {
    FullName: string;
    AccountType: AccountType;
  }[];
  const methods = run(company, [{ type: 'PaymentMethodQuery', requestID: 'p', body: {} } as QbxmlRequest])[0]!.rets as {
    Name: string;
  }[];
  const { mapping, toCreate } = proposeAccountMapping(
    accounts.map((a) => ({ fullName: a.FullName, type: a.AccountType })),
  );
  const result = transform(sources, {
    modes: { customers: mode, inventory: mode, vendors: mode },
    useClasses: true,
    startDate: null,
    accountsToCreate: toCreate,
  });
  const planned = planRequests(result.lists, result.documents, mapping, {
    existingNames: { paymentMethods: methods.map((m) => m.Name) },
  });
  const byKey = new Map(planned.map((p) => [p.key, p]));
  const ordered: typeof planned = [];
  const seen = new Set<string>();
  const visit = (p: (typeof planned)[number]) => {
    if (seen.has(p.key)) return;
    seen.add(p.key);
    for (const d of p.dependsOn) visit(byKey.get(d)!);
    ordered.push(p);
  };
  for (const p of [...planned].sort((a, b) => b.priority - a.priority)) visit(p);
  const failures: string[] = [];
  // As the delivery backend does: a TxnID reference (a receipt's purchase order) and a TxnLineID reference (the
  // order line a receipt line receives) are filled in from the answer to the referenced request, so that request
  // goes in an earlier batch.
  const txnIds = new Map<string, string>();
  const lineIds = new Map<string, string>();
  let batch: PlannedRequest[] = [];
  let sent = 0;
  const flush = () => {
    const requests = batch.map((p) => {
      const body = resolveTxnIdReferences(
        p.body,
        (key) => txnIds.get(key),
        { key: p.key, type: p.message },
        (key, line) => lineIds.get(`${key}#${line}`),
      );
      assert.ok(body.ok, body.ok ? '' : body.error.message);
      return toQbxmlRequest({ ...p, body: body.value }, String(sent++));
    });
    run(company, requests).forEach((r, j) => {
      if (r.statusCode !== 0) failures.push(`${batch[j]!.key}: ${r.statusCode} ${r.statusMessage}`);
      const id = r.rets[0]?.TxnID;
      if (typeof id === 'string') txnIds.set(batch[j]!.key, id);
      const lines = [r.rets[0]?.PurchaseOrderLineRet ?? []].flat() as { TxnLineID?: string }[];
      lines.forEach((l, n) => {
        if (l.TxnLineID) lineIds.set(`${batch[j]!.key}#${n}`, l.TxnLineID);
      });
    });
    batch = [];
  };
  for (const p of ordered) {
    const waits = referencedKeys(p.body).some((key) => batch.some((b) => b.key === key));
    if (waits || batch.length === 100) flush();
    batch.push(p);
  }
  if (batch.length > 0) flush();
  assert.deepEqual(failures, []);
  return { company, mapping };
}

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
    assert.deepEqual(Object.keys(json), ['period', 'shopify', 'quickbooks', 'differences']);
    assert.deepEqual(Object.keys(json.shopify), [
      'grossSales',
      'discounts',
      'returns',
      'netSales',
      'shipping',
      'taxes',
      'tips',
      'giftCardsSold',
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
