import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  itemAccounts,
  ledgerFromReport,
  openSalesOrderLedger,
  transactionTypeOf,
  trialBalanceFromReport,
} from './report-reader.ts';

const columns = ['TxnType', 'Date', 'Debit', 'Credit'].map((type, i) => ({
  '@colID': String(i + 2),
  '@dataType': 'STRTYPE',
  ColTitle: [{ '@titleRow': '1' }],
  ColType: type,
}));
const account = (name: string) => ({ RowData: { '@rowType': 'account', '@value': name } });
const cells = (...values: (string | null)[]) =>
  values.flatMap((value, i) => (value === null ? [] : [{ '@colID': String(i + 2), '@value': value }]));

function report(rows: Record<string, Record<string, unknown>[]>, cols = columns) {
  return { ReportTitle: 'Transaction Detail By Account', ColDesc: cols, ReportData: rows };
}

describe('reading a TxnDetailByAccount report', () => {
  test('rows in rowNumber order, by account, debit − credit, display amounts and QuickBooks type names', () => {
    const read = ledgerFromReport(
      report({
        DataRow: [
          { '@rowNumber': '3', ...account('Sales'), ColData: cells('General Journal', '2026-03-04', '(5.00)', null) },
          { '@rowNumber': '2', ...account('Sales'), ColData: cells('Sales Receipt', '2026-03-02', null, '1,230.00') },
          {
            '@rowNumber': '6',
            ColData: cells('Payment', '2026-03-05', '10.00', null),
            RowData: { '@rowType': 'account', '@value': 'Undeposited Funds' },
          },
        ],
        TextRow: [{ '@rowNumber': '1', '@value': 'Sales' }],
        SubtotalRow: [{ '@rowNumber': '4', ...account('Sales'), ColData: cells(null, null, '-5.00', '1230.00') }],
      }),
    );
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.deepEqual(read.value.get('sales'), [
      { transactionType: 'SalesReceipt', date: '2026-03-02', amount: -123000n },
      { transactionType: 'JournalEntry', date: '2026-03-04', amount: -500n },
    ]);
    assert.deepEqual(read.value.get('undeposited funds'), [
      { transactionType: 'ReceivePayment', date: '2026-03-05', amount: 1000n },
    ]);
  });

  test('a report that contradicts itself or lacks what is needed is refused with the reason, never half-read', () => {
    const cases: [string, unknown, RegExp][] = [
      ['no ReportRet', undefined, /no ReportRet/],
      [
        'no Debit column',
        report(
          {},
          columns.filter((c) => c.ColType !== 'Debit'),
        ),
        /no Debit column/,
      ],
      [
        'a row without an account',
        report({ DataRow: [{ '@rowNumber': '1', ColData: cells('Invoice', '2026-03-01', '1.00', null) }] }),
        /does not say which account/,
      ],
      [
        'rows that do not add up to the subtotal',
        report({
          DataRow: [{ '@rowNumber': '1', ...account('Sales'), ColData: cells('Invoice', '2026-03-01', null, '2.00') }],
          SubtotalRow: [{ '@rowNumber': '2', ...account('Sales'), ColData: cells(null, null, null, '3.00') }],
        }),
        /add up to -200 hundredths, its subtotal says -300/,
      ],
      [
        'an amount that is not a number',
        report({
          DataRow: [{ '@rowNumber': '1', ...account('Sales'), ColData: cells('Invoice', '2026-03-01', 'n/a', null) }],
        }),
        /not a number/,
      ],
      [
        'a ledger line without a date',
        report({
          DataRow: [{ '@rowNumber': '1', ...account('Sales'), ColData: cells('Invoice', null, '1.00', null) }],
        }),
        /no transaction type or date/,
      ],
    ];
    for (const [name, input, reason] of cases) {
      const read = ledgerFromReport(input as Record<string, unknown> | undefined);
      assert.ok(!read.ok, name);
      assert.equal(read.error.code, 'RECONCILIATION_REPORT_UNREADABLE', name);
      assert.match(read.error.message, reason, name);
    }
  });

  test('QuickBooks report names and qbXML names both map to the transaction type', () => {
    assert.equal(transactionTypeOf('Sales Receipt'), 'SalesReceipt');
    assert.equal(transactionTypeOf('SalesReceipt'), 'SalesReceipt');
    assert.equal(transactionTypeOf('Payment'), 'ReceivePayment');
    assert.equal(transactionTypeOf('Inventory Adjust'), 'InventoryAdjustment');
    assert.equal(transactionTypeOf('Liability Check'), 'Liability Check');
  });

  test('the trial balance totals come from its TotalRow', () => {
    const tb = trialBalanceFromReport({
      ColDesc: [
        { '@colID': '1', ColType: 'Label' },
        { '@colID': '2', ColType: 'Debit' },
        { '@colID': '3', ColType: 'Credit' },
      ],
      ReportData: {
        TotalRow: [
          {
            '@rowNumber': '9',
            ColData: [
              { '@colID': '1', '@value': 'TOTAL' },
              { '@colID': '2', '@value': '40.00' },
              { '@colID': '3', '@value': '40.00' },
            ],
          },
        ],
      },
    });
    assert.deepEqual(tb, { ok: true, value: { debits: 4000n, credits: 4000n } });
  });
});

describe('what open sales orders would post', () => {
  const items = itemAccounts(
    [
      { ListID: '80000001-1', FullName: 'Tee', IncomeAccountRef: { FullName: 'Sales' } },
      { ListID: '80000002-1', FullName: 'Design', SalesOrPurchase: { AccountRef: { FullName: 'Services' } } },
      { ListID: '80000003-1', FullName: 'State Tax' },
    ],
    ['ItemInventoryRet', 'ItemServiceRet', 'ItemSalesTaxRet'],
    'Sales Tax Payable',
  );

  test('open lines credit their item’s account, partly invoiced lines their open share; closed orders nothing', () => {
    const read = openSalesOrderLedger(
      [
        {
          TxnID: '1',
          TxnDate: '2026-03-02',
          IsManuallyClosed: false,
          IsFullyInvoiced: false,
          SalesTaxTotal: '1.50',
          SalesOrderLineRet: [
            { ItemRef: { ListID: '80000001-1' }, Quantity: '3', Amount: '30.00', Invoiced: '1' },
            { ItemRef: { FullName: 'design' }, Quantity: '1', Amount: '15.00', Invoiced: '0' },
            { ItemRef: { FullName: 'Tee' }, Quantity: '2', Amount: '20.00', Invoiced: '2' },
            { ItemRef: { FullName: 'Tee' }, Amount: '9.00', IsManuallyClosed: true },
            { Desc: 'a description line' },
          ],
        },
        {
          TxnID: '2',
          TxnDate: '2026-03-03',
          IsManuallyClosed: true,
          SalesOrderLineRet: [{ ItemRef: { FullName: 'Tee' }, Amount: '99.00' }],
        },
        {
          TxnID: '3',
          TxnDate: '2026-03-03',
          IsFullyInvoiced: true,
          SalesOrderLineRet: [{ ItemRef: { FullName: 'Tee' }, Amount: '99.00' }],
        },
      ],
      items,
      'Sales Tax Payable',
    );
    assert.ok(read.ok);
    assert.deepEqual(Object.fromEntries([...read.value].map(([a, e]) => [a, e.map((x) => x.amount)])), {
      sales: [-2000n],
      services: [-1500n],
      'sales tax payable': [-150n],
    });
  });

  test('a line whose item QuickBooks did not describe is refused: its account cannot be known', () => {
    const read = openSalesOrderLedger(
      [
        {
          TxnID: '1',
          RefNumber: 'SO-1',
          TxnDate: '2026-03-02',
          SalesOrderLineRet: [{ ItemRef: { FullName: 'Mug' }, Amount: '5.00' }],
        },
      ],
      items,
      null,
    );
    assert.ok(!read.ok);
    assert.match(read.error.message, /Mug of sales order SO-1/);
  });
});
