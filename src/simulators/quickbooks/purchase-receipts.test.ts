import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, scratchCompany, send } from './requests.test-support.ts';

const lines = (ret: Record<string, unknown>, name: string) => [ret[name] ?? []].flat() as Record<string, unknown>[];

const link = (txnId: string, lineId: string) =>
  `<LinkToTxn><TxnID>${txnId}</TxnID><TxnLineID>${lineId}</TxnLineID></LinkToTxn>`;

test('a purchase order received in two parts, line by line: each line counts what it received, the order closes when all is in', () => {
  const qb = scratchCompany('qb-sim-receipts', 'two-parts');
  send(
    qb,
    '<VendorAddRq><VendorAdd><Name>Mill</Name></VendorAdd></VendorAddRq>' +
      '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Wrap</Name><SalesOrPurchase><Price>1.00</Price><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>' +
      '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Tape</Name><SalesOrPurchase><Price>2.00</Price><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
  );
  const po = run(
    qb,
    '<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Mill</FullName></VendorRef><TxnDate>2026-03-02</TxnDate>' +
      '<PurchaseOrderLineAdd><ItemRef><FullName>Wrap</FullName></ItemRef><Quantity>10</Quantity><Rate>1.25</Rate></PurchaseOrderLineAdd>' +
      '<PurchaseOrderLineAdd><ItemRef><FullName>Tape</FullName></ItemRef><Quantity>4</Quantity><Rate>2.00</Rate></PurchaseOrderLineAdd>' +
      '</PurchaseOrderAdd></PurchaseOrderAddRq>',
  );
  const poId = po.TxnID as string;
  const [wrap, tape] = lines(po, 'PurchaseOrderLineRet').map((l) => l.TxnLineID as string);
  const order = () =>
    run(
      qb,
      `<PurchaseOrderQueryRq><TxnID>${poId}</TxnID><IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true</IncludeLinkedTxns></PurchaseOrderQueryRq>`,
    );

  // First part: 6 of the 10 Wraps. The line names no item: it comes from the order line.
  const first = run(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Mill</FullName></VendorRef><TxnDate>2026-03-05</TxnDate><ItemLineAdd><Quantity>6</Quantity>${link(poId, wrap!)}</ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`,
  );
  assert.deepEqual(
    lines(first, 'ItemLineRet').map((l) => [(l.ItemRef as { FullName: string }).FullName, l.Quantity, l.Amount]),
    [['Wrap', '6', '7.50']],
  );
  let now = order();
  assert.deepEqual(
    lines(now, 'PurchaseOrderLineRet').map((l) => l.ReceivedQuantity),
    ['6', '0'],
  );
  assert.equal(now.IsFullyReceived, false);

  // Second part: the other 4 Wraps and all the Tape, as a bill.
  const second = run(
    qb,
    `<BillAddRq><BillAdd><VendorRef><FullName>Mill</FullName></VendorRef><TxnDate>2026-03-09</TxnDate>` +
      `<ItemLineAdd>${link(poId, wrap!)}</ItemLineAdd><ItemLineAdd><Quantity>4</Quantity><Amount>8.00</Amount>${link(poId, tape!)}</ItemLineAdd>` +
      '</BillAdd></BillAddRq>',
  );
  assert.deepEqual(
    lines(second, 'ItemLineRet').map((l) => [(l.ItemRef as { FullName: string }).FullName, l.Quantity, l.Amount]),
    [
      ['Wrap', '4', '5.00'],
      ['Tape', '4', '8.00'],
    ],
  );
  now = order();
  assert.deepEqual(
    lines(now, 'PurchaseOrderLineRet').map((l) => l.ReceivedQuantity),
    ['10', '4'],
  );
  assert.equal(now.IsFullyReceived, true);
  assert.deepEqual(
    lines(now, 'LinkedTxn').map((l) => l.TxnID),
    [first.TxnID, second.TxnID],
  );
  // Nothing is left to bring in: a whole-order link alone would be an empty receipt.
  const [empty] = send(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Mill</FullName></VendorRef><LinkToTxnID>${poId}</LinkToTxnID></ItemReceiptAdd></ItemReceiptAddRq>`,
  );
  assert.equal(empty!.statusCode, 3210);

  // Deleting the first receipt gives its 6 back to the Wrap line.
  run(qb, `<TxnDelRq><TxnDelType>ItemReceipt</TxnDelType><TxnID>${first.TxnID as string}</TxnID></TxnDelRq>`);
  now = order();
  assert.deepEqual(
    lines(now, 'PurchaseOrderLineRet').map((l) => l.ReceivedQuantity),
    ['4', '4'],
  );
  assert.equal(now.IsFullyReceived, false);
  qb.close();
});

test('a receipt line linked to an order line may not name an item too, nor link the same order whole', () => {
  const qb = scratchCompany('qb-sim-receipts', 'refused');
  send(
    qb,
    '<VendorAddRq><VendorAdd><Name>Mill</Name></VendorAdd></VendorAddRq>' +
      '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Wrap</Name><SalesOrPurchase><Price>1.00</Price><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
  );
  const po = run(
    qb,
    '<PurchaseOrderAddRq><PurchaseOrderAdd><VendorRef><FullName>Mill</FullName></VendorRef><PurchaseOrderLineAdd><ItemRef><FullName>Wrap</FullName></ItemRef><Quantity>10</Quantity></PurchaseOrderLineAdd></PurchaseOrderAdd></PurchaseOrderAddRq>',
  );
  const poId = po.TxnID as string;
  const lineId = lines(po, 'PurchaseOrderLineRet')[0]!.TxnLineID as string;
  const [withItem] = send(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Mill</FullName></VendorRef><ItemLineAdd><ItemRef><FullName>Wrap</FullName></ItemRef><Quantity>1</Quantity>${link(poId, lineId)}</ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`,
  );
  const [bothWays] = send(
    qb,
    `<ItemReceiptAddRq><ItemReceiptAdd><VendorRef><FullName>Mill</FullName></VendorRef><LinkToTxnID>${poId}</LinkToTxnID><ItemLineAdd><Quantity>1</Quantity>${link(poId, lineId)}</ItemLineAdd></ItemReceiptAdd></ItemReceiptAddRq>`,
  );
  assert.equal(withItem!.statusCode, 3210);
  assert.equal(bothWays!.statusCode, 3210);
  qb.close();
});
