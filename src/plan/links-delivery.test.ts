/**
 * Links end to end: planned documents through the outbox, the delivery backend, the Web Connector simulator and the
 * QuickBooks simulator. The TxnIDs the links carry exist only once QuickBooks applied the other document.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, sumMoney } from '../domain/index.ts';
import { getEntryByKey } from '../outbox/index.ts';
import { queryCompany, startConnector } from '../qbwc/delivery/delivery.test-support.ts';
import type { QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { listMappings, removeMapping } from '../storage/index.ts';
import { CUSTOMER, mug, mugPurchase, order, shippingLine, shopWith, tax } from '../transform/fixtures.test-support.ts';
import {
  type AccountType,
  proposeAccountMapping,
  type TransactionDocument,
  type TransformSources,
  transform,
} from '../transform/index.ts';
import { outboxInputs, planRequests } from './plan.ts';
import { txnIdOf, txnLineIdOf } from './references.ts';

/**
 * An online order, unfulfilled and unpaid (a sales order) or fulfilled and unpaid (an invoice), and a purchase order
 * of 10 mugs received whole, or in two shipments (6, then 4).
 */
function shop(fulfilled: boolean, inParts = false): TransformSources {
  const open = order(1008, {
    sourceName: 'web',
    retailLocation: null,
    customer: { id: CUSTOMER.id },
    lineItems: [mug('1', 2, { taxLines: [tax('1.60')] })],
    shippingLines: [shippingLine('5.00', '0.40')],
    displayFinancialStatus: 'PENDING',
    displayFulfillmentStatus: fulfilled ? 'FULFILLED' : 'UNFULFILLED',
  });
  const purchase = mugPurchase(10);
  if (inParts) {
    const transfer = purchase.inventoryTransfers[0]!;
    const [shipment] = transfer.shipments;
    const part = (id: string, date: string, quantity: number) => ({
      ...shipment!,
      id: `gid://shopify/InventoryShipment/${id}`,
      name: `S-${id}`,
      dateReceived: date,
      lineItems: shipment!.lineItems.map((l) => ({ ...l, quantity, acceptedQuantity: quantity })),
    });
    transfer.shipments = [part('9', '2025-03-05T12:00:00Z', 6), part('10', '2025-03-07T12:00:00Z', 4)];
  }
  return shopWith([open], purchase);
}

function transformFor(company: QuickBooksCompany, fulfilled: boolean, inParts = false) {
  const accounts = queryCompany(company, 'AccountQuery').rets as { FullName: string; AccountType: AccountType }[];
  const { mapping, toCreate } = proposeAccountMapping(
    accounts.map((a) => ({ fullName: a.FullName, type: a.AccountType })),
  );
  const result = transform(shop(fulfilled, inParts), {
    modes: { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
    useClasses: false,
    startDate: null,
    accountsToCreate: toCreate,
  });
  return { mapping, result };
}

const find = (documents: TransactionDocument[], key: string) => {
  const document = documents.find((d) => d.key === key);
  assert.ok(document, `${key} is among ${documents.map((d) => d.key).join(', ')}`);
  return document;
};

forEachEngine('links through the Web Connector', (engine) => {
  test('a purchase order received in two parts: each receipt links its line, QuickBooks counts both and closes the order', async (t) => {
    const connector = await startConnector(t, engine);
    const { mapping, result } = transformFor(connector.company(), false, true);
    for (const key of ['receipt/9', 'receipt/10']) {
      const receipt = find(result.documents, key);
      assert.equal(receipt.kind === 'itemReceipt' && receipt.purchaseOrder, 'purchase-order/3');
    }
    await connector.enqueue(outboxInputs(planRequests(result.lists, result.documents, mapping), connector.file.id));

    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const po = await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3');
    const receipts = await Promise.all(
      ['receipt/9', 'receipt/10'].map((key) => getEntryByKey(connector.storage, connector.file.id, key)),
    );
    for (const receipt of receipts) assert.equal(receipt?.state, 'applied', JSON.stringify(receipt?.lastError));
    // What was stored keeps the references; what went to QuickBooks carried the order's TxnID and its line's ID.
    const stored = receipts[0]!.request.body.ItemReceiptAdd as { ItemLineAdd: { LinkToTxn: unknown }[] };
    assert.deepEqual(stored.ItemLineAdd[0]!.LinkToTxn, {
      TxnID: txnIdOf('purchase-order/3'),
      TxnLineID: txnLineIdOf('purchase-order/3', 0),
    });

    const books = connector.company();
    const order = queryCompany(books, 'PurchaseOrderQuery', {
      TxnID: [po!.quickbooksId],
      IncludeLineItems: true,
      IncludeLinkedTxns: true,
    }).rets[0] as Record<string, unknown>;
    assert.equal(order.IsFullyReceived, true);
    const lines = [order.PurchaseOrderLineRet].flat() as Record<string, unknown>[];
    assert.deepEqual(
      lines.map((l) => [String(l.Quantity), String(l.ReceivedQuantity)]),
      [['10', '10']],
    );
    assert.deepEqual(
      ([order.LinkedTxn].flat() as Record<string, unknown>[]).map((l) => l.TxnID),
      receipts.map((r) => r!.quickbooksId),
    );
    // Exact to the cent: 6 × 4.125 = 24.75 and 4 × 4.125 = 16.50, what the receipt documents post.
    const totals = receipts.map(
      (r) => queryCompany(books, 'ItemReceiptQuery', { TxnID: [r!.quickbooksId] }).rets[0]!.TotalAmount,
    );
    assert.deepEqual(totals, ['24.75', '16.50']);
  });

  test('a purchase order applied before per-line receipts (no TxnLineIDs in the id map): QuickBooks is asked for its lines, then the receipt links them', async (t) => {
    const connector = await startConnector(t, engine);
    const { mapping, result } = transformFor(connector.company(), false, true);
    const planned = planRequests(result.lists, result.documents, mapping);
    const receipts = new Set(['receipt/9', 'receipt/10']);
    await connector.enqueue(
      outboxInputs(
        planned.filter((p) => !receipts.has(p.key)),
        connector.file.id,
      ),
    );
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    // An older connector kept no line ids for the order it applied.
    const lineRows = (
      await listMappings(connector.storage, connector.file.id, { sourceKind: 'transaction-line' })
    ).filter((m) => m.sourceId.startsWith('purchase-order/3#'));
    assert.ok(lineRows.length > 0);
    for (const row of lineRows) await removeMapping(connector.storage, connector.file.id, row.sourceKind, row.sourceId);

    await connector.enqueue(
      outboxInputs(
        planned.filter((p) => receipts.has(p.key)),
        connector.file.id,
      ),
    );
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    for (const key of receipts) {
      const receipt = await getEntryByKey(connector.storage, connector.file.id, key);
      assert.equal(receipt?.state, 'applied', `${key}: ${JSON.stringify(receipt?.lastError)}`);
    }
    const read = await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3/line-ids');
    assert.equal(read?.request.type, 'PurchaseOrderQuery');
    assert.equal(read?.state, 'applied');
    assert.equal(read?.quickbooksId, null, 'a read is no transaction of its own: the TxnID stays the order Add’s');
    const po = await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3');
    assert.deepEqual(read?.request.body, { TxnID: [po!.quickbooksId], IncludeLineItems: true });
    // The line ids are kept again, and QuickBooks counts both receipts on the order's line.
    const kept = await listMappings(connector.storage, connector.file.id, { sourceKind: 'transaction-line' });
    assert.deepEqual(
      kept.filter((m) => m.sourceId.startsWith('purchase-order/3#')).map((m) => [m.sourceId, m.quickbooksId]),
      lineRows.map((m) => [m.sourceId, m.quickbooksId]),
    );
    const order = queryCompany(connector.company(), 'PurchaseOrderQuery', {
      TxnID: [po!.quickbooksId],
      IncludeLineItems: true,
    }).rets[0] as Record<string, unknown>;
    assert.equal(order.IsFullyReceived, true);
  });

  test('an order open (a sales order), then fulfilled: the invoice links to it, takes its lines once, and it is no longer open', async (t) => {
    const connector = await startConnector(t, engine);
    const first = transformFor(connector.company(), false);
    find(first.result.documents, 'order/1008/sales-order');
    await connector.enqueue(
      outboxInputs(planRequests(first.result.lists, first.result.documents, first.mapping), connector.file.id),
    );
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    const salesOrder = await getEntryByKey(connector.storage, connector.file.id, 'order/1008/sales-order');
    const orderQuery = () =>
      queryCompany(connector.company(), 'SalesOrderQuery', {
        TxnID: [salesOrder!.quickbooksId],
        IncludeLineItems: true,
        IncludeLinkedTxns: true,
      }).rets[0] as Record<string, unknown>;
    const open = orderQuery();
    assert.equal(open.IsFullyInvoiced, false, 'the sales order is open');
    const orderLines = [open.SalesOrderLineRet].flat() as Record<string, unknown>[];

    // Fulfilled, still unpaid: an invoice, planned as the sync plans one that replaces a sales order.
    const second = transformFor(connector.company(), true);
    const invoice = find(second.result.documents, 'order/1008/sale');
    assert.equal(invoice.kind, 'invoice');
    const planned = planRequests(second.result.lists, [invoice], second.mapping, {
      salesOrderOf: new Map([['order/1008/sale', 'order/1008/sales-order']]),
    });
    await connector.enqueue(outboxInputs(planned, connector.file.id));
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);

    const invoiced = await getEntryByKey(connector.storage, connector.file.id, 'order/1008/sale');
    assert.equal(invoiced?.state, 'applied', JSON.stringify(invoiced?.lastError));
    const so = orderQuery();
    assert.equal(so.IsFullyInvoiced, true);
    assert.deepEqual(
      ([so.LinkedTxn].flat() as Record<string, unknown>[]).map((l) => l.TxnID),
      [invoiced!.quickbooksId],
    );
    // The invoice holds the sales order's lines, once: what the order owes.
    const posted = queryCompany(connector.company(), 'InvoiceQuery', {
      TxnID: [invoiced!.quickbooksId],
      IncludeLineItems: true,
    }).rets[0]!;
    const invoiceLines = [posted.InvoiceLineRet].flat() as Record<string, unknown>[];
    const shape = (l: Record<string, unknown>) => [(l.ItemRef as { FullName: string }).FullName, l.Quantity, l.Amount];
    assert.deepEqual(invoiceLines.map(shape), orderLines.map(shape));
    assert.ok(invoice.kind === 'invoice');
    const owed = formatMoney(sumMoney(invoice.lines.map((l) => l.amount)));
    assert.equal(owed, '27.00');
    assert.equal(posted.BalanceRemaining, owed);
  });

  test('a reference to a document QuickBooks does not have yet is never sent; the entry says why', async (t) => {
    const connector = await startConnector(t, engine);
    const { mapping, result } = transformFor(connector.company(), false);
    const planned = planRequests(result.lists, result.documents, mapping).map((p) =>
      // A planning bug: the receipt lost its dependency on the purchase order, so both are handed out together.
      p.key === 'receipt/9' ? { ...p, dependsOn: p.dependsOn.filter((k) => k !== 'purchase-order/3') } : p,
    );
    await connector.enqueue(outboxInputs(planned, connector.file.id));
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const receipt = await getEntryByKey(connector.storage, connector.file.id, 'receipt/9');
    assert.equal(receipt?.state, 'failed');
    assert.equal(receipt?.attempts, 0, 'nothing was sent');
    assert.equal(receipt?.lastError?.code, 'PLAN_REFERENCE_NOT_APPLIED');
    assert.deepEqual(receipt?.lastError?.details.notApplied, ['purchase-order/3', 'purchase-order/3 line 1']);
    assert.equal(queryCompany(connector.company(), 'ItemReceiptQuery').rets.length, 0);
    assert.equal(
      (await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3'))?.state,
      'applied',
      'the purchase order itself went in',
    );
  });
});
