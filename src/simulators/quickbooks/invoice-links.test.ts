import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QuickBooksCompany } from './index.ts';
import { run, scratchCompany, send } from './requests.test-support.ts';

const lines = (ret: Record<string, unknown>, name: string) => (ret[name] ?? []) as Record<string, unknown>[];

function company(name: string): { qb: QuickBooksCompany; soId: string; soLines: string[] } {
  const qb = scratchCompany('qb-sim-links', name);
  send(
    qb,
    '<CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq>' +
      '<ItemServiceAddRq><ItemServiceAdd><Name>Design</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>' +
      '<ItemServiceAddRq><ItemServiceAdd><Name>Print</Name><SalesOrPurchase><Price>4.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>',
  );
  const so = run(
    qb,
    '<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate>' +
      '<SalesOrderLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>3</Quantity></SalesOrderLineAdd>' +
      '<SalesOrderLineAdd><ItemRef><FullName>Print</FullName></ItemRef><Quantity>2</Quantity><Amount>7.50</Amount></SalesOrderLineAdd>' +
      '</SalesOrderAdd></SalesOrderAddRq>',
  );
  return {
    qb,
    soId: so.TxnID as string,
    soLines: lines(so, 'SalesOrderLineRet').map((l) => l.TxnLineID as string),
  };
}

const salesTotal = (qb: QuickBooksCompany) => qb.generalLedger('Sales').reduce((s, l) => s + l.amount, 0n);

function salesOrder(qb: QuickBooksCompany, soId: string) {
  return run(
    qb,
    `<SalesOrderQueryRq><TxnID>${soId}</TxnID><IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true</IncludeLinkedTxns></SalesOrderQueryRq>`,
  );
}

test('an invoice linked to a sales order takes the order’s lines; sending them as well counts them twice', () => {
  const { qb, soId } = company('whole');
  const invoice = run(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-05</TxnDate><LinkToTxnID>${soId}</LinkToTxnID></InvoiceAdd></InvoiceAddRq>`,
  );
  assert.deepEqual(
    lines(invoice, 'InvoiceLineRet').map((l) => [(l.ItemRef as { FullName: string }).FullName, l.Quantity, l.Amount]),
    [
      ['Design', '3', '30.00'],
      ['Print', '2', '7.50'],
    ],
  );
  assert.equal(invoice.Subtotal, '37.50');
  assert.equal(salesTotal(qb), -3750n);
  const so = salesOrder(qb, soId);
  assert.equal(so.IsFullyInvoiced, true);
  assert.deepEqual(
    lines(so, 'SalesOrderLineRet').map((l) => l.Invoiced),
    ['3', '2'],
  );
  assert.deepEqual(qb.openSalesOrders('Sales'), []);

  // The same order's lines sent next to the link: QuickBooks adds both, so the sale is there twice.
  const second = company('doubled');
  const doubled = run(
    second.qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><LinkToTxnID>${second.soId}</LinkToTxnID>` +
      '<InvoiceLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>3</Quantity></InvoiceLineAdd>' +
      '<InvoiceLineAdd><ItemRef><FullName>Print</FullName></ItemRef><Quantity>2</Quantity><Amount>7.50</Amount></InvoiceLineAdd>' +
      '</InvoiceAdd></InvoiceAddRq>',
  );
  assert.equal(doubled.Subtotal, '75.00');
  assert.equal(salesTotal(second.qb), -7500n);
  qb.close();
  second.qb.close();
});

test('invoice lines linked one by one invoice part of an order; the rest comes with a later whole-order link', () => {
  const { qb, soId, soLines } = company('lines');
  const first = run(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-05</TxnDate>` +
      `<InvoiceLineAdd><Quantity>2</Quantity><LinkToTxn><TxnID>${soId}</TxnID><TxnLineID>${soLines[0]}</TxnLineID></LinkToTxn></InvoiceLineAdd>` +
      '</InvoiceAdd></InvoiceAddRq>',
  );
  assert.deepEqual(
    lines(first, 'InvoiceLineRet').map((l) => [(l.ItemRef as { FullName: string }).FullName, l.Quantity, l.Amount]),
    [['Design', '2', '20.00']],
  );
  let so = salesOrder(qb, soId);
  assert.equal(so.IsFullyInvoiced, false);
  assert.deepEqual(
    lines(so, 'SalesOrderLineRet').map((l) => l.Invoiced),
    ['2', '0'],
  );
  // Linking the whole order now brings in only what is still open: one Design, both Prints.
  const rest = run(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-06</TxnDate><LinkToTxnID>${soId}</LinkToTxnID></InvoiceAdd></InvoiceAddRq>`,
  );
  assert.deepEqual(
    lines(rest, 'InvoiceLineRet').map((l) => [l.Quantity, l.Amount]),
    [
      ['1', '10.00'],
      ['2', '7.50'],
    ],
  );
  so = salesOrder(qb, soId);
  assert.equal(so.IsFullyInvoiced, true);
  assert.equal(salesTotal(qb), -3750n);
  assert.equal(lines(so, 'LinkedTxn').length, 2);

  // Nothing open is left: a link alone makes an empty invoice, which QuickBooks refuses.
  const [empty] = send(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><LinkToTxnID>${soId}</LinkToTxnID></InvoiceAdd></InvoiceAddRq>`,
  );
  assert.equal(empty!.statusCode, 3210);

  // Deleting the first invoice gives its quantity back to the order line.
  run(qb, `<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>${first.TxnID as string}</TxnID></TxnDelRq>`);
  so = salesOrder(qb, soId);
  assert.deepEqual(
    lines(so, 'SalesOrderLineRet').map((l) => l.Invoiced),
    ['1', '2'],
  );
  assert.equal(so.IsFullyInvoiced, false);
  qb.close();
});

test('a line linked to an order line takes the item from it; naming it too, or linking the order both ways, is refused', () => {
  const { qb, soId, soLines } = company('refused');
  const [withItem, bothWays] = send(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Design</FullName></ItemRef><LinkToTxn><TxnID>${soId}</TxnID><TxnLineID>${soLines[0]}</TxnLineID></LinkToTxn></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
  ).concat(
    send(
      qb,
      `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><LinkToTxnID>${soId}</LinkToTxnID><InvoiceLineAdd><LinkToTxn><TxnID>${soId}</TxnID><TxnLineID>${soLines[1]}</TxnLineID></LinkToTxn></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
    ),
  );
  assert.equal(withItem!.statusCode, 3210);
  assert.equal(bothWays!.statusCode, 3210);
  assert.equal(salesTotal(qb), 0n);
  assert.equal(salesOrder(qb, soId).IsFullyInvoiced, false);
  qb.close();
});
