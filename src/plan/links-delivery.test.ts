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
import { CUSTOMER, mug, mugPurchase, order, shippingLine, shopWith, tax } from '../transform/fixtures.test-support.ts';
import {
  type AccountType,
  proposeAccountMapping,
  type TransactionDocument,
  type TransformSources,
  transform,
} from '../transform/index.ts';
import { outboxInputs, planRequests } from './plan.ts';
import { txnIdOf } from './references.ts';

/** An online order, unfulfilled and unpaid (a sales order) or fulfilled and unpaid (an invoice). */
function shop(fulfilled: boolean): TransformSources {
  const open = order(1008, {
    sourceName: 'web',
    retailLocation: null,
    customer: { id: CUSTOMER.id },
    lineItems: [mug('1', 2, { taxLines: [tax('1.60')] })],
    shippingLines: [shippingLine('5.00', '0.40')],
    displayFinancialStatus: 'PENDING',
    displayFulfillmentStatus: fulfilled ? 'FULFILLED' : 'UNFULFILLED',
  });
  return shopWith([open], {
    ...mugPurchase(10),
  });
}

function transformFor(company: QuickBooksCompany, fulfilled: boolean) {
  const accounts = queryCompany(company, 'AccountQuery').rets as { FullName: string; AccountType: AccountType }[];
  const { mapping, toCreate } = proposeAccountMapping(
    accounts.map((a) => ({ fullName: a.FullName, type: a.AccountType })),
  );
  const result = transform(shop(fulfilled), {
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
  test('a purchase order and the receipt of all of it arrive; QuickBooks shows the order fully received', async (t) => {
    const connector = await startConnector(t, engine);
    const { mapping, result } = transformFor(connector.company(), false);
    const receipt = find(result.documents, 'receipt/9');
    assert.equal(receipt.kind === 'itemReceipt' && receipt.purchaseOrder, 'purchase-order/3');
    await connector.enqueue(outboxInputs(planRequests(result.lists, result.documents, mapping), connector.file.id));

    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const po = await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3');
    const received = await getEntryByKey(connector.storage, connector.file.id, 'receipt/9');
    assert.equal(received?.state, 'applied', JSON.stringify(received?.lastError));
    // What was stored keeps the reference; what went to QuickBooks carried the purchase order's TxnID.
    assert.deepEqual((received!.request.body.ItemReceiptAdd as { LinkToTxnID: unknown }).LinkToTxnID, [
      txnIdOf('purchase-order/3'),
    ]);

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
      [received!.quickbooksId],
    );
    // Exact to the cent: 10 × 4.125 = 41.25, the amount the receipt document posts.
    const itemReceipt = queryCompany(books, 'ItemReceiptQuery', { TxnID: [received!.quickbooksId] }).rets[0]!;
    assert.equal(itemReceipt.TotalAmount, '41.25');
  });

  test('an order open (a sales order), then fulfilled: the invoice links to it and it is no longer open', async (t) => {
    const connector = await startConnector(t, engine);
    const first = transformFor(connector.company(), false);
    find(first.result.documents, 'order/1008/sales-order');
    await connector.enqueue(
      outboxInputs(planRequests(first.result.lists, first.result.documents, first.mapping), connector.file.id),
    );
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    const incomeAccount = first.mapping.productSales;
    const before = connector.company();
    assert.ok(before.openSalesOrders(incomeAccount).length > 0, 'the sales order is open');
    before.close();

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

    const salesOrder = await getEntryByKey(connector.storage, connector.file.id, 'order/1008/sales-order');
    const invoiced = await getEntryByKey(connector.storage, connector.file.id, 'order/1008/sale');
    assert.equal(invoiced?.state, 'applied', JSON.stringify(invoiced?.lastError));
    const books = connector.company();
    assert.deepEqual(books.openSalesOrders(incomeAccount), []);
    const so = queryCompany(books, 'SalesOrderQuery', { TxnID: [salesOrder!.quickbooksId], IncludeLinkedTxns: true })
      .rets[0] as Record<string, unknown>;
    assert.equal(so.IsFullyInvoiced, true);
    assert.deepEqual(
      ([so.LinkedTxn].flat() as Record<string, unknown>[]).map((l) => l.TxnID),
      [invoiced!.quickbooksId],
    );
    // The invoice posts its own lines: what the order owes, once.
    const posted = queryCompany(books, 'InvoiceQuery', { TxnID: [invoiced!.quickbooksId] }).rets[0]!;
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
    assert.deepEqual(receipt?.lastError?.details.notApplied, ['purchase-order/3']);
    assert.equal(queryCompany(connector.company(), 'ItemReceiptQuery').rets.length, 0);
    assert.equal(
      (await getEntryByKey(connector.storage, connector.file.id, 'purchase-order/3'))?.state,
      'applied',
      'the purchase order itself went in',
    );
  });
});
