import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import { wireResponse } from '../../qbxml/wire.test-support.ts';
import { validateWithXsd } from '../../qbxml/xsd.test-support.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';
import { periodSubtitle } from './report-filters.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-reports-'));
const documents: string[] = [];
after(async () => {
  // Every request sent and every report written in these tests must validate against Intuit's schema.
  const errors = await validateWithXsd(documents);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(
    errors.map((e, i) => ({ e, doc: documents[i]!.slice(0, 300) })).filter((x) => x.e.length > 0),
    [],
  );
});

type Row = Record<string, unknown> & { '@rowNumber': string };
type Report = {
  ReportTitle: string;
  ReportSubtitle: string;
  NumRows: number;
  NumColumns: number;
  ColDesc: { '@colID': string; '@dataType': string; ColTitle: { '@value'?: string }[]; ColType: string }[];
  ReportData?: Record<string, Row[]>;
};

function run(qb: QuickBooksCompany, body: string): QbxmlResponse[] {
  const request = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${body}</QBXMLMsgsRq></QBXML>`;
  documents.push(request);
  const result = qb.processRequest(request);
  assert.ok(result.ok, JSON.stringify(result));
  documents.push(result.responseXml);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

/** The rows of a report in their order (the parser groups them by kind; rowNumber keeps the order). */
function rowsOf(report: Report): [string, Row][] {
  const rows: [string, Row][] = [];
  for (const [kind, list] of Object.entries(report.ReportData ?? {})) for (const row of list) rows.push([kind, row]);
  return rows.sort((a, b) => Number(a[1]['@rowNumber']) - Number(b[1]['@rowNumber']));
}

function cells(report: Report, row: Row): Record<string, string> {
  const byId = new Map(report.ColDesc.map((c) => [c['@colID'], c.ColType]));
  const out: Record<string, string> = {};
  for (const cell of (row.ColData as { '@colID': string; '@value': string }[] | undefined) ?? []) {
    out[byId.get(cell['@colID'])!] = cell['@value'];
  }
  return out;
}

function seed(): QuickBooksCompany {
  const qb = openCompany(join(dir, `c${documents.length}.qbw`));
  run(
    qb,
    '<CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq>' +
      '<ItemServiceAddRq><ItemServiceAdd><Name>Design</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>' +
      '<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate><RefNumber>1001</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>3</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>' +
      // A change made by hand in QuickBooks: 5.00 moved out of Sales.
      '<JournalEntryAddRq><JournalEntryAdd><TxnDate>2026-03-04</TxnDate><RefNumber>J1</RefNumber><JournalDebitLine><AccountRef><FullName>Sales</FullName></AccountRef><Amount>5.00</Amount><Memo>Correction</Memo></JournalDebitLine><JournalCreditLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>5.00</Amount></JournalCreditLine></JournalEntryAdd></JournalEntryAddRq>' +
      '<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-04-01</TxnDate><SalesReceiptLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>',
  );
  return qb;
}

const DETAIL = (filters: string) =>
  `<GeneralDetailReportQueryRq requestID="r1"><GeneralDetailReportType>TxnDetailByAccount</GeneralDetailReportType>${filters}</GeneralDetailReportQueryRq>`;

test('TxnDetailByAccount: one section per account, a row per ledger line, subtotals and a total', () => {
  const qb = seed();
  const [response] = run(
    qb,
    DETAIL(
      '<ReportPeriod><FromReportDate>2026-03-01</FromReportDate><ToReportDate>2026-03-31</ToReportDate></ReportPeriod>' +
        '<ReportAccountFilter><FullName>Sales</FullName><FullName>Undeposited Funds</FullName></ReportAccountFilter>' +
        '<ReportPostingStatusFilter>Posting</ReportPostingStatusFilter>' +
        '<IncludeColumn>TxnID</IncludeColumn><IncludeColumn>TxnType</IncludeColumn><IncludeColumn>Date</IncludeColumn>' +
        '<IncludeColumn>RefNumber</IncludeColumn><IncludeColumn>Memo</IncludeColumn><IncludeColumn>Debit</IncludeColumn><IncludeColumn>Credit</IncludeColumn>',
    ),
  );
  assert.equal(response!.statusCode, 0);
  assert.equal(response!.requestID, 'r1');
  const report = response!.rets[0] as Report;
  assert.equal(report.ReportTitle, 'Transaction Detail By Account');
  assert.equal(report.ReportSubtitle, 'March 1 - 31, 2026');
  assert.deepEqual(
    report.ColDesc.map((c) => [c['@colID'], c.ColType, c['@dataType']]),
    [
      ['1', 'Blank', 'STRTYPE'],
      ['2', 'TxnID', 'IDTYPE'],
      ['3', 'TxnType', 'STRTYPE'],
      ['4', 'Date', 'DATETYPE'],
      ['5', 'RefNumber', 'STRTYPE'],
      ['6', 'Memo', 'STRTYPE'],
      ['7', 'Debit', 'AMTTYPE'],
      ['8', 'Credit', 'AMTTYPE'],
    ],
  );
  const rows = rowsOf(report);
  assert.equal(report.NumRows, rows.length);
  assert.equal(report.NumColumns, 8);
  // Undeposited Funds (an asset) comes before Sales (income), in chart-of-accounts order.
  assert.deepEqual(
    rows.map(([kind, row]) => {
      const c = cells(report, row);
      return [
        kind,
        (row['@value'] as string) ?? (row.RowData as { '@value': string } | undefined)?.['@value'] ?? '',
        c.TxnType ?? c.Blank ?? '',
        c.Debit ?? '',
        c.Credit ?? '',
      ];
    }),
    [
      ['TextRow', 'Undeposited Funds', '', '', ''],
      ['DataRow', 'Undeposited Funds', 'Sales Receipt', '30.00', ''],
      ['SubtotalRow', 'Undeposited Funds', 'Total Undeposited Funds', '30.00', '0.00'],
      ['TextRow', 'Sales', '', '', ''],
      ['DataRow', 'Sales', 'Sales Receipt', '', '30.00'],
      ['DataRow', 'Sales', 'General Journal', '5.00', ''],
      ['SubtotalRow', 'Sales', 'Total Sales', '5.00', '30.00'],
      ['TotalRow', '', 'TOTAL', '35.00', '30.00'],
    ],
  );
  const journal = cells(report, rows[5]![1]);
  assert.equal(journal.Date, '2026-03-04');
  assert.equal(journal.RefNumber, 'J1');
  assert.equal(journal.Memo, 'Correction');
  assert.match(journal.TxnID!, /^[0-9A-F]+-\d+$/);
  qb.close();
});

test('a report has the shape of the real GeneralSummaryReport QuickBooks wrote (wire r08)', () => {
  const real = parseResponseDocument(wireResponse('r08'));
  assert.ok(real.ok);
  const realReport = real.value.responses[0]!.rets[0] as Report;
  const qb = seed();
  const [response] = run(
    qb,
    '<GeneralSummaryReportQueryRq><GeneralSummaryReportType>TrialBalance</GeneralSummaryReportType></GeneralSummaryReportQueryRq>',
  );
  const ours = response!.rets[0] as Report;
  const keys = (o: object) => Object.keys(o).sort();
  assert.deepEqual(keys(ours), keys(realReport));
  assert.deepEqual(keys(ours.ColDesc[1]!), keys(realReport.ColDesc[1]!));
  assert.deepEqual(keys(ours.ColDesc[1]!.ColTitle[0]!), keys(realReport.ColDesc[1]!.ColTitle[0]!));
  const dataRow = (r: Report) => (r.ReportData!.DataRow as Row[])[0]!;
  assert.deepEqual(keys(dataRow(ours)), keys(dataRow(realReport)));
  assert.deepEqual(keys(dataRow(ours).RowData as object), keys(dataRow(realReport).RowData as object));
  assert.deepEqual(keys((dataRow(ours).ColData as object[])[0]!), keys((dataRow(realReport).ColData as object[])[0]!));
  qb.close();
});

test('TrialBalance, ProfitAndLossStandard and BalanceSheetStandard agree with the books', () => {
  const qb = seed();
  const [tb, pl, bs] = run(
    qb,
    '<GeneralSummaryReportQueryRq><GeneralSummaryReportType>TrialBalance</GeneralSummaryReportType></GeneralSummaryReportQueryRq>' +
      '<GeneralSummaryReportQueryRq><GeneralSummaryReportType>ProfitAndLossStandard</GeneralSummaryReportType><ReportPeriod><FromReportDate>2026-03-01</FromReportDate><ToReportDate>2026-04-30</ToReportDate></ReportPeriod></GeneralSummaryReportQueryRq>' +
      '<GeneralSummaryReportQueryRq><GeneralSummaryReportType>BalanceSheetStandard</GeneralSummaryReportType></GeneralSummaryReportQueryRq>',
  );
  const trial = tb!.rets[0] as Report;
  const total = rowsOf(trial).find(([kind]) => kind === 'TotalRow')![1];
  const books = qb.trialBalance();
  assert.deepEqual(cells(trial, total), { Label: 'TOTAL', Debit: '40.00', Credit: '40.00' });
  assert.equal(books.totalDebits, 4000n);
  const profit = pl!.rets[0] as Report;
  assert.equal(profit.ReportSubtitle, 'March 1 - April 30, 2026');
  const net = rowsOf(profit).find(([kind]) => kind === 'TotalRow')![1];
  assert.deepEqual(cells(profit, net), { Label: 'Net Income', Amount: '35.00' });
  const sheet = bs!.rets[0] as Report;
  const end = rowsOf(sheet).find(([kind]) => kind === 'TotalRow')![1];
  assert.deepEqual(cells(sheet, end), { Label: 'TOTAL LIABILITIES & EQUITY', Amount: '35.00' });
  qb.close();
});

test('an unknown account is 3120; a filter or column the simulator does not model is 3250, never ignored', () => {
  const qb = seed();
  const [unknown] = run(qb, DETAIL('<ReportAccountFilter><FullName>Nope</FullName></ReportAccountFilter>'));
  assert.equal(unknown!.statusCode, 3120);
  assert.match(unknown!.statusMessage, /"Nope"/);
  for (const filter of [
    '<ReportClassFilter><FullName>X</FullName></ReportClassFilter>',
    '<IncludeColumn>ClearedStatus</IncludeColumn>',
    '<ReportBasis>Cash</ReportBasis>',
  ]) {
    const [refused] = run(qb, DETAIL(filter));
    assert.equal(refused!.statusCode, 3250, filter);
    assert.match(refused!.statusMessage, /not modelled by the simulator/);
  }
  const [other] = run(
    qb,
    '<GeneralDetailReportQueryRq><GeneralDetailReportType>AuditTrail</GeneralDetailReportType></GeneralDetailReportQueryRq>',
  );
  assert.equal(other!.statusCode, 3250);
  qb.close();
});

test('an empty period is a report with columns and no rows', () => {
  const qb = seed();
  const [response] = run(
    qb,
    DETAIL(
      '<ReportPeriod><FromReportDate>2025-01-01</FromReportDate><ToReportDate>2025-01-31</ToReportDate></ReportPeriod>',
    ),
  );
  const report = response!.rets[0] as Report;
  assert.equal(report.NumRows, 0);
  assert.equal(report.ReportData, undefined);
  assert.ok(report.ColDesc.length > 1);
  qb.close();
});

test('report subtitles are worded as QuickBooks words them', () => {
  assert.equal(periodSubtitle('2011-02-01', '2011-02-04'), 'February 1 - 4, 2011');
  assert.equal(periodSubtitle('2026-01-01', '2026-05-31'), 'January 1 - May 31, 2026');
  assert.equal(periodSubtitle('2025-12-01', '2026-01-31'), 'December 1, 2025 - January 31, 2026');
  assert.equal(periodSubtitle(null, '2026-05-31'), 'As of May 31, 2026');
  assert.equal(periodSubtitle(null, null), 'All Transactions');
});
