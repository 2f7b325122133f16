import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument } from '../../qbxml/index.ts';
import { validateWithXsd } from '../../qbxml/xsd.test-support.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-'));
const written: string[] = [];
let counter = 0;
after(async () => {
  // Every response the simulator wrote in these tests must validate against Intuit's schema.
  const errors = await validateWithXsd(written);
  const invalid = errors.map((e, i) => ({ e, doc: written[i]! })).filter((x) => x.e.length > 0);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(invalid, [], 'responses that fail qbxmlops130.xsd');
});

function fresh(options: Parameters<typeof openCompany>[1] = {}): QuickBooksCompany {
  return openCompany(join(dir, `c${++counter}.qbw`), options);
}

function doc(body: string, onError = 'continueOnError', attrs = ''): string {
  return `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="${onError}"${attrs}>${body}</QBXMLMsgsRq></QBXML>`;
}

function run(qb: QuickBooksCompany, body: string, onError = 'continueOnError', attrs = '') {
  const result = qb.processRequest(doc(body, onError, attrs));
  assert.ok(result.ok, `expected a response document, got ${JSON.stringify(result)}`);
  written.push(result.responseXml);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

const INVENTORY_ITEM = (name: string) =>
  `<ItemInventoryAddRq><ItemInventoryAdd><Name>${name}</Name><SalesPrice>19.99</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><PurchaseCost>7.00</PurchaseCost><COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef></ItemInventoryAdd></ItemInventoryAddRq>`;

function assertBalanced(qb: QuickBooksCompany): void {
  const tb = qb.trialBalance();
  assert.equal(tb.totalDebits, tb.totalCredits, 'trial balance debits equal credits');
}

test('a structural error is HRESULT 0x80040400 with no statuses', () => {
  const qb = fresh();
  const result = qb.processRequest(
    doc('<CustomerAddRq><CustomerAdd><FirstName>A</FirstName><Name>X</Name></CustomerAdd></CustomerAddRq>'),
  );
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.hresult, '0x80040400');
  qb.close();
});

test('names are unique case-insensitively across customers and vendors (3100), too long is 3070, bad refs 3140', () => {
  const qb = fresh();
  const rs = run(
    qb,
    `<CustomerAddRq requestID="1"><CustomerAdd><Name>Walk-in</Name></CustomerAdd></CustomerAddRq>` +
      `<VendorAddRq requestID="2"><VendorAdd><Name>WALK-IN</Name></VendorAdd></VendorAddRq>` +
      `<CustomerAddRq requestID="3"><CustomerAdd><Name>${'x'.repeat(42)}</Name></CustomerAdd></CustomerAddRq>` +
      `<CustomerAddRq requestID="4"><CustomerAdd><Name>Job</Name><ParentRef><FullName>Nobody</FullName></ParentRef></CustomerAdd></CustomerAddRq>` +
      `<CustomerAddRq requestID="5"><CustomerAdd><Name>Job</Name><ParentRef><FullName>walk-in</FullName></ParentRef></CustomerAdd></CustomerAddRq>`,
  );
  assert.deepEqual(
    rs.map((r) => r.statusCode),
    [0, 3100, 3070, 3140, 0],
  );
  assert.equal(rs[1]!.statusMessage, 'The name "WALK-IN" of the list element is already in use.');
  assert.match(rs[3]!.statusMessage, /^There is an invalid reference to QuickBooks Customer "Nobody"/);
  assert.equal(rs[4]!.rets[0]!.FullName, 'Walk-in:Job');
  assert.equal(rs[4]!.rets[0]!.Sublevel, 1);
  assert.match(String(rs[0]!.rets[0]!.ListID), /^8[0-9A-F]{7}-\d{10}$/);
  qb.close();
});

test('stopOnError stops at the first error and answers the rest 3231; stale EditSequence is 3200', () => {
  const qb = fresh();
  const rs = run(
    qb,
    `<CustomerAddRq requestID="1"><CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq>` +
      `<CustomerAddRq requestID="2"><CustomerAdd><Name>a</Name></CustomerAdd></CustomerAddRq>` +
      `<CustomerAddRq requestID="3"><CustomerAdd><Name>B</Name></CustomerAdd></CustomerAddRq>`,
    'stopOnError',
  );
  assert.deepEqual(
    rs.map((r) => [r.requestID, r.statusCode]),
    [
      ['1', 0],
      ['2', 3100],
      ['3', 3231],
    ],
  );
  assert.equal(rs[2]!.statusMessage, 'The request has not been processed.');
  const listId = String(rs[0]!.rets[0]!.ListID);
  const mod = run(
    qb,
    `<CustomerModRq requestID="4"><CustomerMod><ListID>${listId}</ListID><EditSequence>1</EditSequence><Name>A2</Name></CustomerMod></CustomerModRq>`,
  );
  assert.equal(mod[0]!.statusCode, 3200);
  assert.equal(mod[0]!.statusMessage, 'The provided edit sequence "1" is out-of-date. ');
  qb.close();
});

test('Pro list limits (lowered by the hook) refuse the next name; Enterprise allows more', () => {
  const pro = fresh({ edition: 'pro' });
  pro.setListLimits({ names: 3 });
  // The new company already holds one name: the sales tax agency vendor.
  const rs = run(
    pro,
    ['A', 'B', 'C']
      .map((n, i) => `<CustomerAddRq requestID="${i}"><CustomerAdd><Name>${n}</Name></CustomerAdd></CustomerAddRq>`)
      .join(''),
  );
  assert.deepEqual(
    rs.map((r) => r.statusCode),
    [0, 0, 3180],
  );
  assert.match(rs[2]!.statusMessage, /maximum number of names \(3\)/);
  const host = run(
    pro,
    '<HostQueryRq><IncludeListMetaData><IncludeMaxCapacity>true</IncludeMaxCapacity></IncludeListMetaData></HostQueryRq>',
  );
  assert.equal(host[0]!.rets[0]!.ProductName, 'QuickBooks Pro 2024');
  pro.close();
  const enterprise = fresh({ edition: 'enterprise' });
  const h = run(enterprise, '<HostQueryRq/>');
  assert.match(String(h[0]!.rets[0]!.ProductName), /Enterprise/);
  assert.ok((h[0]!.rets[0]!.SupportedQBXMLVersion as string[]).includes('13.0'));
  enterprise.close();
});

test('iterators page with MaxReturned and iteratorRemainingCount; MetaDataOnly counts', () => {
  const qb = fresh();
  run(
    qb,
    Array.from(
      { length: 5 },
      (_, i) => `<CustomerAddRq><CustomerAdd><Name>C${i}</Name></CustomerAdd></CustomerAddRq>`,
    ).join(''),
  );
  const first = run(qb, '<CustomerQueryRq iterator="Start"><MaxReturned>2</MaxReturned></CustomerQueryRq>')[0]!;
  assert.equal(first.rets.length, 2);
  assert.equal(first.retCount, null, 'QuickBooks writes no retCount on a plain query answer');
  assert.equal(first.iteratorRemainingCount, 3);
  const id = first.iteratorID!;
  const second = run(
    qb,
    `<CustomerQueryRq iterator="Continue" iteratorID="${id}"><MaxReturned>2</MaxReturned></CustomerQueryRq>`,
  )[0]!;
  const third = run(
    qb,
    `<CustomerQueryRq iterator="Continue" iteratorID="${id}"><MaxReturned>2</MaxReturned></CustomerQueryRq>`,
  )[0]!;
  assert.deepEqual(
    [second.rets.length, second.iteratorRemainingCount, third.rets.length, third.iteratorRemainingCount],
    [2, 1, 1, 0],
  );
  const names = [...first.rets, ...second.rets, ...third.rets].map((r) => r.Name);
  assert.deepEqual(names, ['C0', 'C1', 'C2', 'C3', 'C4']);
  const gone = run(
    qb,
    `<CustomerQueryRq iterator="Continue" iteratorID="${id}"><MaxReturned>2</MaxReturned></CustomerQueryRq>`,
  )[0]!;
  assert.equal(gone.statusCode, 3120);
  const meta = run(qb, '<CustomerQueryRq metaData="MetaDataOnly"/>')[0]!;
  assert.deepEqual([meta.retCount, meta.rets.length], [5, 0]);
  qb.close();
});

test('message-set recovery replays the stored response instead of executing again', () => {
  const qb = fresh();
  const body = '<CustomerAddRq requestID="1"><CustomerAdd><Name>Once</Name></CustomerAdd></CustomerAddRq>';
  const first = qb.processRequest(doc(body, 'stopOnError', ' newMessageSetID="set-1"'));
  const replay = qb.processRequest(doc(body, 'stopOnError', ' oldMessageSetID="set-1"'));
  assert.ok(first.ok && replay.ok);
  assert.equal(replay.responseXml, first.responseXml);
  written.push(first.responseXml);
  const count = run(qb, '<CustomerQueryRq metaData="MetaDataOnly"/>')[0]!;
  assert.equal(count.retCount, 1);
  qb.close();
});

test('average cost, COGS, balanced ledger after every transaction type, persistence across reopen', () => {
  const path = join(dir, 'books.qbw');
  const qb = openCompany(path, { companyName: 'Books' });
  const rs = run(
    qb,
    INVENTORY_ITEM('SKU-1') +
      '<CustomerAddRq><CustomerAdd><Name>Ann</Name></CustomerAdd></CustomerAddRq>' +
      '<VendorAddRq><VendorAdd><Name>Acme</Name></VendorAdd></VendorAddRq>' +
      '<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Acme</FullName></VendorRef><PurchaseOrderLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><Quantity>3</Quantity><Rate>7.00</Rate></PurchaseOrderLineAdd></PurchaseOrderAdd></PurchaseOrderAddRq>',
  );
  assert.ok(rs.every((r) => r.statusCode === 0));
  assert.equal(qb.trialBalance().accounts.length, 0, 'a purchase order posts nothing');
  const poId = String(rs[3]!.rets[0]!.TxnID);
  const steps = run(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Acme</FullName></VendorRef><TxnDate>2024-05-01</TxnDate><LinkToTxnID>${poId}</LinkToTxnID></ItemReceiptAdd></ItemReceiptAddRq>` +
      '<BillAddRq><BillAdd><VendorRef><FullName>Acme</FullName></VendorRef><TxnDate>2024-05-01</TxnDate><ItemLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><Quantity>2</Quantity><Cost>8.00</Cost></ItemLineAdd></BillAdd></BillAddRq>' +
      '<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><TxnDate>2024-05-02</TxnDate><SalesReceiptLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><Quantity>2</Quantity><Rate>19.99</Rate></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>' +
      '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><TxnDate>2024-05-03</TxnDate><InvoiceLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><Quantity>4</Quantity><Rate>20.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>',
  );
  assert.deepEqual(
    steps.map((r) => r.statusCode),
    [0, 0, 0, 0],
  );
  assertBalanced(qb);
  // Average cost (3 × 7 + 2 × 8) / 5 = 7.40: the sale of 2 costs 14.80; then 4 sold with 3 on hand goes negative.
  const cogs = qb.generalLedger('Cost of Goods Sold').map((l) => l.amount);
  assert.deepEqual(cogs, [1480n, 2960n]);
  assert.deepEqual(
    qb.inventoryValuation().map((r) => [r.quantityOnHand, r.assetValue]),
    [['-1', -740n]],
  );
  const invoiceId = String(steps[3]!.rets[0]!.TxnID);
  const more = run(
    qb,
    `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><TxnDate>2024-05-04</TxnDate><TotalAmount>80.00</TotalAmount><AppliedToTxnAdd><TxnID>${invoiceId}</TxnID><PaymentAmount>80.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>` +
      `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><TxnDate>2024-05-04</TxnDate><TotalAmount>80.00</TotalAmount><AppliedToTxnAdd><TxnID>${invoiceId}</TxnID><PaymentAmount>80.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>` +
      '<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Ann</FullName></CustomerRef><TxnDate>2024-05-05</TxnDate><CreditMemoLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><Quantity>1</Quantity><Rate>19.99</Rate></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>' +
      '<JournalEntryAddRq><JournalEntryAdd><TxnDate>2024-05-05</TxnDate><JournalDebitLine><AccountRef><FullName>Merchant Account Fees</FullName></AccountRef><Amount>1.25</Amount></JournalDebitLine><JournalCreditLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>1.20</Amount></JournalCreditLine></JournalEntryAdd></JournalEntryAddRq>' +
      '<JournalEntryAddRq><JournalEntryAdd><TxnDate>2024-05-05</TxnDate><JournalDebitLine><AccountRef><FullName>Merchant Account Fees</FullName></AccountRef><Amount>1.25</Amount></JournalDebitLine><JournalCreditLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>1.25</Amount></JournalCreditLine></JournalEntryAdd></JournalEntryAddRq>' +
      '<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Inventory Adjustments</FullName></AccountRef><TxnDate>2024-05-06</TxnDate><InventoryAdjustmentLineAdd><ItemRef><FullName>SKU-1</FullName></ItemRef><QuantityAdjustment><QuantityDifference>5</QuantityDifference></QuantityAdjustment></InventoryAdjustmentLineAdd></InventoryAdjustmentAdd></InventoryAdjustmentAddRq>',
  );
  assert.deepEqual(
    more.map((r) => r.statusCode),
    [0, 3210, 0, 3210, 0, 0],
  );
  assert.match(more[1]!.statusMessage, /You cannot pay more than the amount due/);
  assertBalanced(qb);
  const paymentId = String(more[0]!.rets[0]!.TxnID);
  const deposit = run(
    qb,
    `<DepositAddRq><DepositAdd><TxnDate>2024-05-07</TxnDate><DepositToAccountRef><FullName>Checking</FullName></DepositToAccountRef><DepositLineAdd><PaymentTxnID>${paymentId}</PaymentTxnID></DepositLineAdd><DepositLineAdd><AccountRef><FullName>Merchant Account Fees</FullName></AccountRef><Amount>-2.50</Amount></DepositLineAdd></DepositAdd></DepositAddRq>`,
  )[0]!;
  assert.equal(deposit.statusCode, 0);
  assert.equal(deposit.rets[0]!.DepositTotal, '77.50');
  assertBalanced(qb);
  const bs = qb.balanceSheet();
  assert.equal(bs.totalAssets, bs.totalLiabilitiesAndEquity);
  const before = qb.trialBalance();
  assert.equal(before.asOf, '2024-05-07', 'a report with no date runs through the last posting');
  assert.equal(bs.asOf, '2024-05-07');
  assert.equal(qb.trialBalance('2024-05-02').asOf, '2024-05-02');
  qb.close();
  const reopened = openCompany(path);
  assert.deepEqual(reopened.trialBalance(), before);
  const del = run(
    reopened,
    `<TxnDelRq><TxnDelType>Deposit</TxnDelType><TxnID>${String(deposit.rets[0]!.TxnID)}</TxnID></TxnDelRq>`,
  );
  assert.equal(del[0]!.statusCode, 0);
  assertBalanced(reopened);
  reopened.close();
});

test('sales tax: an 8.875 % default item adds tax on taxable lines and posts it to Sales Tax Payable', () => {
  const qb = fresh({ salesTax: { ratePercent: '8.875' } });
  const rs = run(
    qb,
    '<ItemServiceAddRq><ItemServiceAdd><Name>Fit</Name><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef><SalesOrPurchase><Price>100.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>' +
      '<SalesReceiptAddRq><SalesReceiptAdd><SalesReceiptLineAdd><ItemRef><FullName>Fit</FullName></ItemRef><Quantity>1</Quantity></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>',
  );
  assert.equal(rs[1]!.rets[0]!.SalesTaxTotal, '8.88');
  assert.equal(rs[1]!.rets[0]!.TotalAmount, '108.88');
  assert.deepEqual(
    qb.generalLedger('Sales Tax Payable').map((l) => l.amount),
    [-888n],
  );
  assertBalanced(qb);
  qb.close();
});

test('faults: lost response still applies; refused open; locked record 3175; DataExt FileID in the HCP response', () => {
  const qb = fresh();
  qb.faults.loseNextResponse();
  const lost = qb.processRequest(doc('<CustomerAddRq><CustomerAdd><Name>Lost</Name></CustomerAdd></CustomerAddRq>'));
  assert.equal(lost.ok, false);
  const again = run(qb, '<CustomerAddRq><CustomerAdd><Name>Lost</Name></CustomerAdd></CustomerAddRq>');
  assert.equal(again[0]!.statusCode, 3100, 'the lost request was applied');
  qb.faults.refuseOpen('in-use');
  const open = qb.open('');
  assert.equal(!open.ok && open.hresult, '0x80040410');
  qb.faults.refuseOpen(null);
  assert.deepEqual(qb.open(''), { ok: true });
  const listId = String(run(qb, '<CustomerQueryRq><FullName>Lost</FullName></CustomerQueryRq>')[0]!.rets[0]!.ListID);
  qb.faults.lockRecord(listId, 1, 3175);
  const locked = run(qb, `<CustomerQueryRq><ListID>${listId}</ListID></CustomerQueryRq>`)[0]!;
  assert.equal(locked.statusCode, 3175);
  assert.equal(run(qb, `<CustomerQueryRq><ListID>${listId}</ListID></CustomerQueryRq>`)[0]!.statusCode, 0);
  qb.ensureFileId('{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}', '{11111111-2222-3333-4444-555555555555}');
  const hcp = qb.hostCompanyPreferences('{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}');
  written.push(hcp);
  assert.match(hcp, /<DataExtName>FileID<\/DataExtName>/);
  assert.match(hcp, /<DataExtValue>\{11111111-2222-3333-4444-555555555555\}<\/DataExtValue>/);
  qb.close();
});
