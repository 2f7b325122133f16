/**
 * Orders that change in Shopify after they were posted: the next sync posts only the difference, never the whole
 * document again, and an order first held as a Sales Order (unfulfilled) becomes an Invoice when fulfilled, with
 * the Sales Order closed (or invoiced through the invoice's link) so it is not counted as an open order any more. Runs through real HTTP with all
 * simulators; QuickBooks' books are the judge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, parseMoney, sumMoney } from '../domain/index.ts';
import { cancelEntry, listEntries } from '../outbox/index.ts';
import {
  assertNoDuplicates,
  assertReconciles,
  openSalesOrdersInQuickBooks,
  qbRequest,
  startHarness,
  transactionsInQuickBooks,
} from './harness.test-support.ts';

test('a paid, unfulfilled order (Sales Order + deposit) becomes a Sales Receipt when fulfilled: posted once, paid once, the books tie out', async (t) => {
  const h = await startHarness(t, { orders: 20, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'detailed' });
  const started = await h.app.setup.start(h.shop.domain);
  assert.ok(started.ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  await h.deliverAll();

  const open = h.data.orders.find(
    (o) =>
      o.displayFulfillmentStatus === 'UNFULFILLED' &&
      o.displayFinancialStatus === 'PAID' &&
      !o.cancelledAt &&
      o.refunds.length === 0,
  );
  assert.ok(open, 'the generated shop has a paid, unfulfilled order');
  const before = h.withCompany(transactionsInQuickBooks);
  const salesOrdersBefore = h.withCompany(openSalesOrdersInQuickBooks).length;
  assert.ok(salesOrdersBefore > 0);

  // The merchant fulfils it: paid and fulfilled is a Sales Receipt in Shopify's glossary.
  await h.shopify.editOrder(open.id, (order) => {
    order.displayFulfillmentStatus = 'FULFILLED';
  });
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  assert.ok((second.value.summary?.planned ?? 0) >= 2, 'the invoice and the sales order removal are planned');
  await h.deliverAll();

  const after = h.withCompany(transactionsInQuickBooks);
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .map((type) => [type, (after.get(type)?.length ?? 0) - (before.get(type)?.length ?? 0)] as const)
    .filter(([, n]) => n !== 0);
  // The sales order is replaced by a receipt (a receipt cannot link to it, so it is closed: it stays in QuickBooks,
  // no longer open), and the deposit taken while the order was open is taken back: the receipt now carries that
  // payment.
  const delta = Object.fromEntries(changed);
  assert.equal(delta.SalesOrder, undefined, 'the sales order stays in QuickBooks');
  assert.equal(delta.SalesReceipt, 1, 'one receipt for the fulfilled order');
  assert.equal(delta.ReceivePayment, -1, 'the deposit is taken back');
  assert.equal(h.withCompany(openSalesOrdersInQuickBooks).length, salesOrdersBefore - 1, 'the sales order is closed');
  await assertNoDuplicates(h);

  // The invoice is dated the day the connector saw the change; over a period reaching today the books tie out.
  await assertReconciles(h, { throughToday: true });

  // Nothing changed since: the next sync plans nothing.
  const third = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(third.ok);
  assert.equal(third.value.summary?.planned, 0);
});

test('a support reset keeps what QuickBooks holds: a new start with the same options posts nothing again', async (t) => {
  const h = await startHarness(t, { orders: 12, seed: 'e2e-reset' });
  await h.setupThroughOptions({ mode: 'summary' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering');
  await h.deliverAll();
  const before = h.withCompany(transactionsInQuickBooks);

  const described = await h.app.setup.describeReset(h.shop.domain);
  assert.ok(described.ok);
  assert.ok(described.value.lastPostedDate !== null);
  assert.match(described.value.warnings[0]!, /choose a start date after \d{4}-\d{2}-\d{2}/);
  const reset = await h.app.setup.resetIntegration(h.shop.domain, { operator: 'support-test', reason: 'e2e' });
  assert.ok(reset.ok);
  const status = await h.app.setup.status(h.shop.domain);
  assert.ok(status.ok);
  assert.equal(status.value.integration.state, 'paired');

  // The company file stays connected; the merchant checks sales tax again, saves the same options and starts:
  // everything is already in QuickBooks, so nothing is posted twice.
  const tax = await h.app.setup.checkSalesTax(h.shop.domain);
  assert.ok(tax.ok && tax.value.status === 'pass');
  const saved = await h.app.setup.saveOptions(h.shop.domain, {
    modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
    schedule: 'manual',
    startDate: h.period().from,
  });
  assert.ok(saved.ok);
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const again = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(again.ok && again.value.state === 'delivering');
  assert.equal(again.value.summary?.planned, 0);
  await h.deliverAll();
  assert.deepEqual(h.withCompany(transactionsInQuickBooks), before);
  await assertNoDuplicates(h);
});

test('an open order edited, then fulfilled: the sales order and its edit are both closed, none is left open', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'detailed' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  await h.deliverAll();

  const open = h.data.orders.find(
    (o) =>
      o.displayFulfillmentStatus === 'UNFULFILLED' &&
      o.displayFinancialStatus === 'PAID' &&
      !o.cancelledAt &&
      o.refunds.length === 0 &&
      o.lineItems.some((l) => !l.isGiftCard),
  );
  assert.ok(open, 'the generated shop has a paid, unfulfilled order');
  const salesOrders = () => h.withCompany(openSalesOrdersInQuickBooks).length;
  const salesOrdersBefore = salesOrders();

  // An order edit while it is open: a product swapped for a custom item at the same price (the money is unchanged,
  // the sales order's lines are not).
  await h.shopify.editOrder(open.id, (order) => {
    const swapped = order.lineItems.find((l) => !l.isGiftCard)!;
    swapped.name = `${swapped.name} (custom)`;
    swapped.title = `${swapped.title} (custom)`;
    swapped.sku = null;
    swapped.variant = null;
    swapped.product = null;
  });
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  await h.deliverAll();
  assert.equal(salesOrders(), salesOrdersBefore + 1, 'the edit is a sales order with the changed lines');

  await h.shopify.editOrder(open.id, (order) => {
    order.displayFulfillmentStatus = 'FULFILLED';
  });
  const third = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(third.ok && third.value.state === 'delivering', JSON.stringify(third.ok && third.value.error));
  await h.deliverAll();
  const progress = await h.app.sync.progress(third.value.id);
  assert.equal(progress?.run.state, 'completed', JSON.stringify(progress?.outbox));
  assert.equal(salesOrders(), salesOrdersBefore - 1, 'no sales order of the fulfilled order is left open');
  await assertNoDuplicates(h);

  await assertReconciles(h, { throughToday: true });
});

test('a deposit replaced while its order is open, then the order fulfilled: the replacement is taken back too, paid once', async (t) => {
  const h = await startHarness(t, { orders: 12, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'detailed' });
  const open = h.data.orders.find(
    (o) =>
      o.displayFulfillmentStatus === 'UNFULFILLED' &&
      o.displayFinancialStatus === 'PAID' &&
      !o.cancelledAt &&
      o.refunds.length === 0 &&
      o.transactions.filter((x) => x.kind === 'SALE' && x.status === 'SUCCESS').length === 1,
  );
  assert.ok(open, 'the generated shop has a paid, unfulfilled order with one payment');
  const sale = open.transactions.find((x) => x.kind === 'SALE' && x.status === 'SUCCESS')!;
  const full = parseMoney(sale.amountSet.shopMoney.amount);
  const bag = (amount: bigint) => ({
    shopMoney: { ...sale.amountSet.shopMoney, amount: formatMoney(amount) },
    presentmentMoney: { ...sale.amountSet.presentmentMoney, amount: formatMoney(amount) },
  });
  // Paid in two parts on the same day through the same gateway: the first sync sees only the first part.
  await h.shopify.editOrder(open.id, (order) => {
    const first = order.transactions.find((x) => x.id === sale.id)!;
    first.amountSet = bag(full - 100n);
    order.totalReceivedSet = bag(full - 100n);
    order.displayFinancialStatus = 'PARTIALLY_PAID';
  });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  await h.deliverAll();

  const paymentsOf = () =>
    h.withCompany((company) => {
      const parsed = qbRequest(company, '<ReceivePaymentQueryRq requestID="1"/>');
      assert.ok(parsed.ok);
      return parsed.value.responses[0]!.rets.filter((r) => String(r.Memo ?? '').endsWith(open.name));
    });
  const total = (rets: Record<string, unknown>[]) => sumMoney(rets.map((r) => parseMoney(String(r.TotalAmount))));
  assert.equal(total(paymentsOf()), full - 100n, 'the deposit of the first part');

  // The second part arrives: the deposit is replaced by one for the whole amount.
  await h.shopify.editOrder(open.id, (order) => {
    order.transactions.push({ ...sale, id: `${sale.id}9`, amountSet: bag(100n) });
    order.totalReceivedSet = bag(full);
    order.displayFinancialStatus = 'PAID';
  });
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  await h.deliverAll();
  assert.equal(paymentsOf().length, 1, 'one deposit');
  assert.equal(total(paymentsOf()), full, 'the deposit of the whole amount');

  // Fulfilled: the sale carries the payment, so no deposit may stay.
  await h.shopify.editOrder(open.id, (order) => {
    order.displayFulfillmentStatus = 'FULFILLED';
  });
  const third = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(third.ok && third.value.state === 'delivering', JSON.stringify(third.ok && third.value.error));
  await h.deliverAll();
  const progress = await h.app.sync.progress(third.value.id);
  assert.equal(progress?.run.state, 'completed', JSON.stringify(progress?.outbox));
  assert.deepEqual(
    paymentsOf().map((r) => r.Memo),
    [],
    'the deposits are taken back; the receipt carries the money',
  );
  await assertNoDuplicates(h);
});

test('a deposit the merchant cancelled before it was sent: when its order is fulfilled nothing asks to delete it', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'detailed' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  const companyFileId = await h.companyFileId();
  const deposit = (await listEntries(h.app.storage, companyFileId)).find((e) => /^order\/[^/]+\/deposit\//.test(e.key));
  assert.ok(deposit, 'the generated shop has a deposit on an open order');
  await cancelEntry(h.app.storage, deposit.id, { actor: 'merchant', now: h.clock.now });
  await h.deliverAll();

  const orderId = /^order\/([^/]+)\//.exec(deposit.key)![1]!;
  const order = h.data.orders.find((o) => o.id.endsWith(`/${orderId}`) || o.id === orderId);
  assert.ok(order, `order ${orderId} is in the shop`);
  await h.shopify.editOrder(order.id, (o) => {
    o.displayFulfillmentStatus = 'FULFILLED';
  });
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  const notes = (second.value.summary?.notes ?? []).map((n) => n.code);
  assert.ok(!notes.includes('DEPOSIT_LEFT_IN_PLACE'), `no deposit to delete: ${notes.join(', ')}`);
  assert.ok(!notes.includes('SALES_ORDER_LEFT_OPEN'), `no sales order to close: ${notes.join(', ')}`);
  await h.deliverAll();
  await assertNoDuplicates(h);
});

test('Summary: when every open order of a day is fulfilled, the day’s sales order (and its edits) is closed, not left open', async (t) => {
  const h = await startHarness(t, { orders: 12, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'summary' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  await h.deliverAll();
  const salesOrders = () => h.withCompany(openSalesOrdersInQuickBooks).length;
  assert.ok(salesOrders() > 0, 'the generated shop has open orders');

  const open = h.data.orders.filter((o) => o.displayFulfillmentStatus === 'UNFULFILLED');
  // One at a time: the first fulfilment shrinks a day's sales order (an edit), the last one empties it.
  for (const order of open) {
    await h.shopify.editOrder(order.id, (o) => {
      o.displayFulfillmentStatus = 'FULFILLED';
    });
    const run = await h.app.sync.run(h.shop.id, 'manual');
    assert.ok(run.ok && run.value.state === 'delivering', JSON.stringify(run.ok && run.value.error));
    await h.deliverAll();
  }
  assert.equal(salesOrders(), 0, 'no order is open, so no sales order is');
  await assertNoDuplicates(h);

  // The sales are dated the day of the fulfilment: they go out once that day is complete, and the books tie out.
  h.clock.now = new Date(h.clock.now.getTime() + 86_400_000);
  const next = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(next.ok && next.value.state === 'delivering', JSON.stringify(next.ok && next.value.error));
  await h.deliverAll();
  assert.equal(salesOrders(), 0);
  await assertReconciles(h, { throughToday: true });
});

test('an unpaid open order fulfilled becomes an invoice linked to its sales order: the lines come over once, the order is invoiced', async (t) => {
  const h = await startHarness(t, { orders: 20, seed: 'e2e-edits' });
  await h.setupThroughOptions({ mode: 'detailed' });
  const open = h.data.orders.find(
    (o) =>
      o.displayFulfillmentStatus === 'UNFULFILLED' &&
      o.displayFinancialStatus === 'PAID' &&
      !o.cancelledAt &&
      o.refunds.length === 0,
  );
  assert.ok(open, 'the generated shop has an unfulfilled order');
  // Not paid yet (payment on delivery): a sales order with no deposit.
  await h.shopify.editOrder(open.id, (order) => {
    order.displayFinancialStatus = 'PENDING';
    order.transactions = [];
    const none = (bag: typeof order.totalReceivedSet) => ({
      shopMoney: { ...bag.shopMoney, amount: '0.00' },
      presentmentMoney: { ...bag.presentmentMoney, amount: '0.00' },
    });
    order.totalReceivedSet = none(order.totalReceivedSet);
  });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok && first.value.state === 'delivering', JSON.stringify(first.ok && first.value.error));
  await h.deliverAll();
  const openBefore = h.withCompany(openSalesOrdersInQuickBooks).length;
  await h.shopify.editOrder(open.id, (order) => {
    order.displayFulfillmentStatus = 'FULFILLED';
  });
  const second = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(second.ok && second.value.state === 'delivering', JSON.stringify(second.ok && second.value.error));
  await h.deliverAll();
  const entries = await listEntries(h.app.storage, await h.companyFileId());
  const saleKey = `order/${open.id.split('/').pop()}/sale`;
  const invoice = entries.find((e) => e.request.type === 'InvoiceAdd' && e.key === saleKey)!;
  assert.ok(invoice, 'the fulfilled order is an invoice');
  const body = invoice.request.body.InvoiceAdd as Record<string, unknown>;
  assert.ok(body.LinkToTxnID, 'linked to its sales order');
  assert.equal(body.InvoiceLineAdd, undefined, 'and sends no lines of its own');
  assert.ok(!entries.some((e) => e.request.type === 'SalesOrderMod'), 'the link invoices it: nothing to close');
  assert.equal(h.withCompany(openSalesOrdersInQuickBooks).length, openBefore - 1, 'the sales order is invoiced');
  const [posted] = h.withCompany((company) => {
    const parsed = qbRequest(
      company,
      `<InvoiceQueryRq requestID="1"><TxnID>${invoice.quickbooksId}</TxnID><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>`,
    );
    assert.ok(parsed.ok);
    return parsed.value.responses[0]!.rets;
  });
  const soEntry = entries.find((e) => e.key === `order/${open.id.split('/').pop()}/sales-order`)!;
  const so = h.withCompany((company) => {
    const parsed = qbRequest(
      company,
      `<SalesOrderQueryRq requestID="1"><TxnID>${soEntry.quickbooksId}</TxnID></SalesOrderQueryRq>`,
    );
    assert.ok(parsed.ok);
    return parsed.value.responses[0]!.rets[0]!;
  });
  assert.equal(posted!.Subtotal, so.Subtotal, 'the invoice sells what the order held, once');
  await assertNoDuplicates(h);
  await assertReconciles(h, { throughToday: true });
});
