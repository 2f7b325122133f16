import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument } from '../../qbxml/index.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-so-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(qb: QuickBooksCompany, body: string) {
  const result = qb.processRequest(
    `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${body}</QBXMLMsgsRq></QBXML>`,
  );
  assert.ok(result.ok);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  for (const r of parsed.value.responses) assert.equal(r.statusCode, 0, r.statusMessage);
  return parsed.value.responses;
}

test('open sales orders show what they would post, never touch the ledger, and leave the report once invoiced or deleted', () => {
  const qb = openCompany(join(dir, 'so.qbw'));
  run(
    qb,
    '<CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq>' +
      '<ItemServiceAddRq><ItemServiceAdd><Name>Design</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>',
  );
  const before = qb.trialBalance();
  const [so] = run(
    qb,
    '<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate><SalesOrderLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>3</Quantity></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>',
  );
  const soId = (so!.rets[0] as { TxnID: string }).TxnID;
  // Non-posting: the trial balance is unchanged, the open-orders report shows a 30.00 credit to Sales.
  assert.deepEqual(qb.trialBalance().accounts, before.accounts);
  const open = qb.openSalesOrders('Sales', '2026-03-01', '2026-03-31');
  assert.deepEqual(
    open.map((l) => [l.txnType, l.txnDate, l.amount]),
    [['SalesOrder', '2026-03-02', -3000n]],
  );
  assert.deepEqual(qb.openSalesOrders('Sales', '2026-04-01', '2026-04-30'), []);
  assert.deepEqual(qb.generalLedger('Sales'), []);

  // Invoicing it (linked: the order's lines come into the invoice) closes it: the sale is now in the ledger and no
  // longer an open order.
  const [invoice] = run(
    qb,
    `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-05</TxnDate><LinkToTxnID>${soId}</LinkToTxnID></InvoiceAdd></InvoiceAddRq>`,
  );
  assert.deepEqual(qb.openSalesOrders('Sales'), []);
  assert.equal(
    qb.generalLedger('Sales').reduce((s, l) => s + l.amount, 0n),
    -3000n,
  );

  // Deleting the invoice reopens the order; deleting the order removes it from the report.
  const invoiceId = (invoice!.rets[0] as { TxnID: string }).TxnID;
  run(qb, `<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>${invoiceId}</TxnID></TxnDelRq>`);
  assert.equal(qb.openSalesOrders('Sales').length, 1);
  run(qb, `<TxnDelRq><TxnDelType>SalesOrder</TxnDelType><TxnID>${soId}</TxnID></TxnDelRq>`);
  assert.deepEqual(qb.openSalesOrders('Sales'), []);
  qb.close();
});

test('an injected lost response is kept for the service’s requests, not spent on the Web Connector’s own HCP queries', () => {
  const qb = openCompany(join(dir, 'fault.qbw'));
  qb.faults.loseNextResponse();
  const hcp = qb.hostCompanyPreferences('{6B063959-81B0-4CDA-9CBE-A5A7CDB3A41B}');
  assert.match(hcp, /<HostQueryRs /);
  const lost = qb.processRequest(
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq><CustomerAdd><Name>Lost</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>',
  );
  assert.equal(lost.ok, false);
  // Applied all the same: asking for it finds it.
  const [found] = run(qb, '<CustomerQueryRq><FullName>Lost</FullName></CustomerQueryRq>');
  assert.equal(found!.rets.length, 1);
  qb.close();
});
