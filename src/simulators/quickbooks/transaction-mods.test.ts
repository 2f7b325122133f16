import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import { validateWithXsd } from '../../qbxml/xsd.test-support.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-mods-'));
const documents: string[] = [];
after(async () => {
  // Every request sent and every response written here must validate against Intuit's schema.
  const errors = await validateWithXsd(documents);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(
    errors.map((e, i) => ({ e, doc: documents[i]!.slice(0, 200) })).filter((x) => x.e.length > 0),
    [],
  );
});

let files = 0;
function company(): QuickBooksCompany {
  const qb = openCompany(join(dir, `m${++files}.qbw`));
  run(
    qb,
    '<CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq>' +
      '<ItemServiceAddRq><ItemServiceAdd><Name>Design</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>' +
      '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Wrap</Name><SalesOrPurchase><Price>4.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>' +
      '<VendorAddRq><VendorAdd><Name>Mill</Name></VendorAdd></VendorAddRq>',
  );
  return qb;
}

function run(qb: QuickBooksCompany, body: string): QbxmlResponse[] {
  const request = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">${body}</QBXMLMsgsRq></QBXML>`;
  documents.push(request);
  const result = qb.processRequest(request);
  assert.ok(result.ok, JSON.stringify(result));
  documents.push(result.responseXml);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

function one(qb: QuickBooksCompany, body: string): Record<string, unknown> {
  const [response] = run(qb, body);
  assert.equal(response!.statusCode, 0, response!.statusMessage);
  return response!.rets[0]!;
}

type Line = { TxnLineID: string; Quantity?: string; Amount: string; Invoiced?: string; IsManuallyClosed?: boolean };
const sales = (qb: QuickBooksCompany) => qb.generalLedger('Sales').reduce((s, l) => s + l.amount, 0n);
const line = (item: string, quantity: number) =>
  `<ItemRef><FullName>${item}</FullName></ItemRef><Quantity>${quantity}</Quantity>`;

test('InvoiceMod: named lines change, "-1" adds one, the others go; the invoice is posted again under its TxnID', () => {
  const qb = company();
  const invoice = one(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate><RefNumber>7</RefNumber>` +
      `<InvoiceLineAdd>${line('Design', 2)}</InvoiceLineAdd><InvoiceLineAdd>${line('Wrap', 1)}</InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
  );
  assert.equal(sales(qb), -2400n);
  const [design] = invoice.InvoiceLineRet as Line[];
  const modified = one(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>${invoice.TxnID}</TxnID><EditSequence>${invoice.EditSequence}</EditSequence><Memo>Fixed</Memo>` +
      `<InvoiceLineMod><TxnLineID>${design!.TxnLineID}</TxnLineID><Quantity>3</Quantity></InvoiceLineMod>` +
      `<InvoiceLineMod><TxnLineID>-1</TxnLineID>${line('Design', 1)}</InvoiceLineMod></InvoiceMod></InvoiceModRq>`,
  );
  const lines = modified.InvoiceLineRet as Line[];
  assert.deepEqual(
    lines.map((l) => [l.TxnLineID === design!.TxnLineID, l.Quantity, l.Amount]),
    [
      [true, '3', '30.00'],
      [false, '1', '10.00'],
    ],
  );
  assert.equal(modified.TxnID, invoice.TxnID);
  assert.equal(modified.TxnNumber, invoice.TxnNumber);
  assert.equal(modified.TimeCreated, invoice.TimeCreated);
  assert.notEqual(modified.EditSequence, invoice.EditSequence);
  assert.equal(modified.Memo, 'Fixed');
  assert.equal(modified.RefNumber, '7');
  assert.equal(modified.BalanceRemaining, '40.00');
  assert.equal(sales(qb), -4000n, 'the ledger holds the invoice as it is now, once');
  const tb = qb.trialBalance();
  assert.equal(tb.totalDebits, tb.totalCredits);

  // The old EditSequence is out of date; an unknown TxnID or TxnLineID is not found.
  const [stale] = run(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>${invoice.TxnID}</TxnID><EditSequence>${invoice.EditSequence}</EditSequence><Memo>x</Memo></InvoiceMod></InvoiceModRq>`,
  );
  assert.equal(stale!.statusCode, 3200);
  assert.equal(stale!.statusMessage, `The provided edit sequence "${invoice.EditSequence}" is out-of-date. `);
  const [gone] = run(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>FFFF-1</TxnID><EditSequence>1</EditSequence></InvoiceMod></InvoiceModRq>`,
  );
  assert.equal(gone!.statusCode, 3120);
  const [badLine] = run(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>${invoice.TxnID}</TxnID><EditSequence>${modified.EditSequence}</EditSequence><InvoiceLineMod><TxnLineID>FFFF-1</TxnLineID><Quantity>1</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>`,
  );
  assert.equal(badLine!.statusCode, 3120);
  assert.equal(sales(qb), -4000n, 'a refused Mod changes nothing');
  qb.close();
});

test('an invoice with a payment applied: a Mod keeps the payment; below it QuickBooks refuses', () => {
  const qb = company();
  const invoice = one(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><InvoiceLineAdd>${line('Design', 3)}</InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
  );
  one(
    qb,
    `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TotalAmount>20.00</TotalAmount><AppliedToTxnAdd><TxnID>${invoice.TxnID}</TxnID><PaymentAmount>20.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`,
  );
  const [first] = invoice.InvoiceLineRet as Line[];
  const current = one(qb, `<InvoiceQueryRq><TxnID>${invoice.TxnID}</TxnID></InvoiceQueryRq>`);
  const [tooSmall] = run(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>${invoice.TxnID}</TxnID><EditSequence>${current.EditSequence}</EditSequence><InvoiceLineMod><TxnLineID>${first!.TxnLineID}</TxnLineID><Quantity>1</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>`,
  );
  assert.equal(tooSmall!.statusCode, 3210);
  const bigger = one(
    qb,
    `<InvoiceModRq><InvoiceMod><TxnID>${invoice.TxnID}</TxnID><EditSequence>${current.EditSequence}</EditSequence><InvoiceLineMod><TxnLineID>${first!.TxnLineID}</TxnLineID><Quantity>5</Quantity></InvoiceLineMod></InvoiceMod></InvoiceModRq>`,
  );
  assert.deepEqual([bigger.BalanceRemaining, bigger.AppliedAmount, bigger.IsPaid], ['30.00', '-20.00', false]);
  qb.close();
});

test('a sales order closed by hand (IsManuallyClosed) stays in QuickBooks and is no longer open', () => {
  const qb = company();
  const order = one(
    qb,
    `<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate><SalesOrderLineAdd>${line('Design', 3)}</SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>`,
  );
  assert.deepEqual(
    (order.SalesOrderLineRet as Line[]).map((l) => [l.Invoiced, l.IsManuallyClosed]),
    [['0', false]],
  );
  assert.equal(qb.openSalesOrders('Sales').length, 1);
  const before = qb.trialBalance();
  const closed = one(
    qb,
    `<SalesOrderModRq><SalesOrderMod><TxnID>${order.TxnID}</TxnID><EditSequence>${order.EditSequence}</EditSequence><IsManuallyClosed>true</IsManuallyClosed></SalesOrderMod></SalesOrderModRq>`,
  );
  assert.equal(closed.IsManuallyClosed, true);
  assert.deepEqual(
    (closed.SalesOrderLineRet as Line[]).map((l) => [l.Amount, l.IsManuallyClosed]),
    [['30.00', true]],
  );
  assert.deepEqual(qb.openSalesOrders('Sales'), []);
  assert.deepEqual(qb.trialBalance().accounts, before.accounts, 'a sales order posts nothing, open or closed');
  const queried = one(
    qb,
    `<SalesOrderQueryRq><TxnID>${order.TxnID}</TxnID><IncludeLineItems>true</IncludeLineItems></SalesOrderQueryRq>`,
  );
  assert.equal(queried.IsManuallyClosed, true);
  qb.close();
});

test('JournalEntryMod keeps debits equal to credits; PurchaseOrderMod keeps what was received', () => {
  const qb = company();
  const entry = one(
    qb,
    '<JournalEntryAddRq><JournalEntryAdd><TxnDate>2026-03-04</TxnDate><JournalDebitLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>5.00</Amount></JournalDebitLine><JournalCreditLine><AccountRef><FullName>Sales</FullName></AccountRef><Amount>5.00</Amount></JournalCreditLine></JournalEntryAdd></JournalEntryAddRq>',
  );
  const [debit] = entry.JournalDebitLine as Line[];
  const [credit] = entry.JournalCreditLine as Line[];
  const [unbalanced] = run(
    qb,
    `<JournalEntryModRq><JournalEntryMod><TxnID>${entry.TxnID}</TxnID><EditSequence>${entry.EditSequence}</EditSequence><JournalLineMod><TxnLineID>${debit!.TxnLineID}</TxnLineID><Amount>7.00</Amount></JournalLineMod><JournalLineMod><TxnLineID>${credit!.TxnLineID}</TxnLineID></JournalLineMod></JournalEntryMod></JournalEntryModRq>`,
  );
  assert.equal(unbalanced!.statusCode, 3210);
  const balanced = one(
    qb,
    `<JournalEntryModRq><JournalEntryMod><TxnID>${entry.TxnID}</TxnID><EditSequence>${entry.EditSequence}</EditSequence><JournalLineMod><TxnLineID>${debit!.TxnLineID}</TxnLineID><Amount>7.00</Amount></JournalLineMod><JournalLineMod><TxnLineID>${credit!.TxnLineID}</TxnLineID><Amount>7.00</Amount></JournalLineMod></JournalEntryMod></JournalEntryModRq>`,
  );
  assert.equal((balanced.JournalDebitLine as Line[])[0]!.Amount, '7.00');
  assert.equal(sales(qb), -700n);

  const order = one(
    qb,
    `<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Mill</FullName></VendorRef><PurchaseOrderLineAdd><ItemRef><FullName>Wrap</FullName></ItemRef><Quantity>10</Quantity><Rate>1.00</Rate></PurchaseOrderLineAdd></PurchaseOrderAdd></PurchaseOrderAddRq>`,
  );
  const [poLine] = order.PurchaseOrderLineRet as Line[];
  one(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Mill</FullName></VendorRef><ItemLineAdd><Quantity>4</Quantity><Cost>1.00</Cost><LinkToTxn><TxnID>${order.TxnID}</TxnID><TxnLineID>${poLine!.TxnLineID}</TxnLineID></LinkToTxn></ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`,
  );
  const now = one(qb, `<PurchaseOrderQueryRq><TxnID>${order.TxnID}</TxnID></PurchaseOrderQueryRq>`);
  const more = one(
    qb,
    `<PurchaseOrderModRq><PurchaseOrderMod><TxnID>${order.TxnID}</TxnID><EditSequence>${now.EditSequence}</EditSequence><PurchaseOrderLineMod><TxnLineID>${poLine!.TxnLineID}</TxnLineID><Quantity>12</Quantity></PurchaseOrderLineMod></PurchaseOrderMod></PurchaseOrderModRq>`,
  );
  const [kept] = more.PurchaseOrderLineRet as (Line & { ReceivedQuantity: string })[];
  assert.deepEqual([kept!.Quantity, kept!.ReceivedQuantity, kept!.Amount], ['12', '4', '12.00']);
  qb.close();
});

test('SalesReceiptMod and CreditMemoMod post again; item Mods change the item, refusing what is not modelled', () => {
  const qb = company();
  const receipt = one(
    qb,
    `<SalesReceiptAddRq><SalesReceiptAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><SalesReceiptLineAdd>${line('Design', 1)}</SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`,
  );
  const changed = one(
    qb,
    `<SalesReceiptModRq><SalesReceiptMod><TxnID>${receipt.TxnID}</TxnID><EditSequence>${receipt.EditSequence}</EditSequence><SalesReceiptLineMod><TxnLineID>-1</TxnLineID>${line('Wrap', 2)}</SalesReceiptLineMod></SalesReceiptMod></SalesReceiptModRq>`,
  );
  assert.equal((changed.SalesReceiptLineRet as Line[]).length, 1, 'the line not named is removed');
  assert.equal(changed.TotalAmount, '8.00');
  const memo = one(
    qb,
    `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><CreditMemoLineAdd>${line('Design', 1)}</CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`,
  );
  const memoChanged = one(
    qb,
    `<CreditMemoModRq><CreditMemoMod><TxnID>${memo.TxnID}</TxnID><EditSequence>${memo.EditSequence}</EditSequence><Memo>Returned</Memo></CreditMemoMod></CreditMemoModRq>`,
  );
  assert.deepEqual([memoChanged.Memo, memoChanged.TotalAmount], ['Returned', '10.00']);
  assert.equal(sales(qb), -800n + 1000n, 'the receipt as it is now credits 8.00, the credit memo debits 10.00');

  const wrap = one(qb, '<ItemNonInventoryQueryRq><FullName>Wrap</FullName></ItemNonInventoryQueryRq>');
  const repriced = one(
    qb,
    `<ItemNonInventoryModRq><ItemNonInventoryMod><ListID>${wrap.ListID}</ListID><EditSequence>${wrap.EditSequence}</EditSequence><SalesOrPurchaseMod><Price>4.50</Price></SalesOrPurchaseMod></ItemNonInventoryMod></ItemNonInventoryModRq>`,
  );
  assert.deepEqual(repriced.SalesOrPurchase, {
    Price: '4.50',
    AccountRef: (wrap.SalesOrPurchase as { AccountRef: unknown }).AccountRef,
  });
  const design = one(qb, '<ItemServiceQueryRq><FullName>Design</FullName></ItemServiceQueryRq>');
  const [refused] = run(
    qb,
    `<ItemServiceModRq><ItemServiceMod><ListID>${design.ListID}</ListID><EditSequence>${design.EditSequence}</EditSequence><SalesOrPurchaseMod><AccountRef><FullName>Shipping Income</FullName></AccountRef><ApplyAccountRefToExistingTxns>true</ApplyAccountRefToExistingTxns></SalesOrPurchaseMod></ItemServiceMod></ItemServiceModRq>`,
  );
  assert.equal(refused!.statusCode, 3250);
  qb.close();
});
