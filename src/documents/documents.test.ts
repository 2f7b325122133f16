import assert from 'node:assert/strict';
import { it, test } from 'node:test';
import { ConnectorError } from '../errors/index.ts';
import { saveSourceRecords } from '../extract/index.ts';
import { enqueue, lease, markApplied, markSent, recordFailure } from '../outbox/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createCompanyFile, createShop, recordMapping, type Shop, type Storage } from '../storage/index.ts';
import { documentFacts, documentLabel, documentName, listDocuments, parseDocumentQuery } from './index.ts';

test('facts are read from the qbXML body: date, total, reference number', () => {
  assert.deepEqual(
    documentFacts({
      type: 'SalesReceiptAdd',
      body: {
        SalesReceiptAdd: {
          TxnDate: '2025-01-06',
          RefNumber: '1001',
          SalesReceiptLineAdd: [{ Amount: '18.50' }, { Amount: '1.26' }, { Amount: '-5.00' }],
        },
      },
    }),
    { date: '2025-01-06', amount: '14.76', refNumber: '1001' },
  );
  assert.equal(
    documentFacts({ type: 'ReceivePaymentAdd', body: { TxnDate: '2025-01-07', TotalAmount: '116.50' } }).amount,
    '116.50',
  );
  assert.equal(
    documentFacts({
      type: 'JournalEntryAdd',
      body: { JournalDebitLine: [{ Amount: '10.00' }, { Amount: '2.50' }], JournalCreditLine: [{ Amount: '12.50' }] },
    }).amount,
    '12.50',
    'a journal entry counts its debits',
  );
  assert.equal(
    documentFacts({ type: 'ItemReceiptAdd', body: { ItemLineAdd: { Quantity: 3, Cost: '12.345' } } }).amount,
    '37.04',
    'quantity × cost, rounded half away from zero, when a line has no amount',
  );
  assert.deepEqual(documentFacts({ type: 'CustomerAdd', body: { CustomerAdd: { Name: 'Ada' } } }), {
    date: null,
    amount: null,
    refNumber: null,
  });
  assert.equal(documentName({ type: 'CustomerAdd', body: { CustomerAdd: { Name: 'Ada' } } }), 'Ada');
  assert.equal(
    documentName({ type: 'AccountAdd', body: { AccountAdd: { Name: 'Tips', ParentRef: { FullName: 'Income' } } } }),
    'Income:Tips',
  );
  assert.equal(documentName({ type: 'BillAdd', body: { VendorRef: { FullName: 'Northwind' } } }), 'Northwind');
  assert.equal(documentName({ type: 'JournalEntryAdd', body: { JournalDebitLine: [] } }), null);
  assert.equal(documentLabel('SalesReceiptAdd'), 'Sales receipt');
  assert.equal(documentLabel('InventoryAdjustmentAdd'), 'Inventory adjustment');
  assert.equal(documentLabel('InvoiceMod'), 'Invoice (change)');
});

test('a documents query is checked as a whole, with every problem named', () => {
  const bad = parseDocumentQuery({ state: 'lost', from: '2025-13-01', limit: '500', cursor: '!!' });
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'DOCUMENTS_QUERY_INVALID');
  for (const word of ['state is one of', 'from is a date', 'limit is a whole number from 1 to 200', 'cursor']) {
    assert.ok(bad.error.merchantMessage.includes(word), `${word} in ${bad.error.merchantMessage}`);
  }
  const good = parseDocumentQuery({ state: 'attention', kind: 'DepositAdd', from: '2025-01-01', to: '2025-01-31' });
  assert.ok(good.ok);
  assert.equal(good.value.limit, 50);
});

async function shopWithFile(storage: Storage): Promise<{ shop: Shop; file: string }> {
  const shop = await createShop(storage, {
    domain: 'docs-shop.myshopify.com',
    name: 'Docs',
    currency: 'USD',
    timeZone: 'America/New_York',
  });
  assert.ok(shop.ok);
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: 'docs-shop',
    appTokenHash: 'scrypt$x$y',
    ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
    fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
  });
  assert.ok(file.ok);
  return { shop: shop.value, file: file.value.id };
}

const sale = (n: number, date: string) => ({
  key: `order/${n}/sale`,
  kind: 'salesReceipt',
  request: {
    type: 'SalesReceiptAdd',
    body: {
      SalesReceiptAdd: {
        CustomerRef: { FullName: `Customer ${n}` },
        TxnDate: date,
        RefNumber: String(n),
        SalesReceiptLineAdd: [{ Amount: `${n}.00` }],
      },
    },
  },
});

forEachEngine('documents list', (_engine, open) => {
  it('lists what was planned with its Shopify order, QuickBooks reference, amount and state; filters and pages', async (t) => {
    const { storage } = await open(t);
    const { shop, file } = await shopWithFile(storage);
    const now = new Date('2025-02-01T12:00:00Z');
    await saveSourceRecords(
      storage,
      shop.id,
      [1, 2, 3].map((n) => ({
        kind: 'order' as const,
        sourceId: `gid://shopify/Order/${n}`,
        sourceUpdatedAt: '2025-01-05T00:00:00Z',
        payload: {
          id: `gid://shopify/Order/${n}`,
          name: `#100${n}`,
          refunds: n === 2 ? [{ id: 'gid://shopify/Refund/77' }] : [],
          returns: [],
        },
      })),
      { runId: null, now: now.toISOString() },
    );
    await enqueue(
      storage,
      [
        {
          companyFileId: file,
          key: 'setup/read/1/accounts',
          kind: 'read',
          request: { type: 'AccountQuery', body: {} },
        },
        {
          companyFileId: file,
          key: 'customer/summary',
          kind: 'customer',
          source: { kind: 'customer', id: 'customer/summary' },
          request: { type: 'CustomerAdd', body: { CustomerAdd: { Name: 'Shopify customers' } } },
        },
        ...[sale(1, '2025-01-05'), sale(2, '2025-01-06'), sale(3, '2025-01-07')].map((s) => ({
          companyFileId: file,
          ...s,
        })),
        {
          companyFileId: file,
          key: 'refund/77',
          kind: 'creditMemo',
          request: { type: 'CreditMemoAdd', body: { TxnDate: '2025-01-08', CreditMemoLineAdd: [{ Amount: '2.00' }] } },
        },
        {
          companyFileId: file,
          key: 'payout/9',
          kind: 'deposit',
          request: { type: 'DepositAdd', body: { TxnDate: '2025-01-09', DepositLineAdd: [{ Amount: '40.00' }] } },
        },
      ],
      now,
    );
    // One session: most go in; the refund is refused for a reason the merchant must fix.
    const leased = await lease(storage, file, 'session-1', { limit: 20, now });
    const sent = await markSent(storage, {
      companyFileId: file,
      sessionId: 'session-1',
      entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i + 1) })),
      now,
    });
    assert.ok(sent.ok);
    for (const entry of leased) {
      if (entry.key === 'refund/77') {
        await recordFailure(
          storage,
          entry.id,
          new ConnectorError({
            code: 'QB_INVALID_REFERENCE',
            message: 'status 3140',
            merchantMessage: 'QuickBooks has no account “Sales Returns”.',
            merchantMustAct: true,
            qbStatusCode: 3140,
          }),
          { now },
        );
      } else if (entry.key !== 'payout/9')
        await markApplied(storage, entry.id, { quickbooksId: `TXN-${entry.id}`, now });
    }

    const customer = leased.find((e) => e.key === 'customer/summary')!;
    // QuickBooks holds the list record under the name it answered with (what the id map records), not the ListID.
    await recordMapping(storage, {
      companyFileId: file,
      sourceKind: 'customer',
      sourceId: 'customer/summary',
      quickbooksKind: 'list',
      quickbooksId: `TXN-${customer.id}`,
      editSequence: '1',
      name: 'Shopify Customers (2)',
    });

    const all = await listDocuments(storage, file, shop, { limit: 50 });
    assert.equal(all.total, 6, 'the setup read is not a document');
    assert.deepEqual(
      all.documents.map((d) => d.key),
      ['payout/9', 'refund/77', 'order/3/sale', 'order/2/sale', 'order/1/sale', 'customer/summary'],
      'newest document date first, list records last',
    );
    const first = all.documents.find((d) => d.key === 'order/1/sale')!;
    assert.equal(first.kind, 'SalesReceiptAdd');
    assert.equal(first.label, 'Sales receipt');
    assert.equal(first.name, 'Customer 1', 'a transaction is named by its customer');
    assert.equal(all.documents.find((d) => d.key === 'customer/summary')!.name, 'Shopify Customers (2)');
    assert.equal(all.documents.find((d) => d.key === 'payout/9')!.name, null, 'a deposit names no one');
    assert.equal(first.amount, '1.00');
    assert.equal(first.currency, 'USD');
    assert.deepEqual(first.shopifyOrder, {
      id: 'gid://shopify/Order/1',
      name: '#1001',
      adminUrl: 'https://admin.shopify.com/store/docs-shop/orders/1',
    });
    assert.deepEqual(first.quickbooks, { id: `TXN-${first.id}`, refNumber: '1' });
    assert.equal(first.stateLabel, 'In QuickBooks');
    assert.equal(first.attention, null);
    const refund = all.documents.find((d) => d.key === 'refund/77')!;
    assert.equal(refund.shopifyOrder?.name, '#1002', 'a refund shows the order it belongs to');
    assert.equal(refund.state, 'needs_attention');
    assert.equal(refund.quickbooks, null);
    assert.equal(refund.attention?.reason, 'QuickBooks has no account “Sales Returns”.');
    assert.equal(refund.attention?.code, 'QB_INVALID_REFERENCE');
    assert.match(refund.attention?.whatToDo ?? '', /then retry/);
    const payout = all.documents.find((d) => d.key === 'payout/9')!;
    assert.equal(payout.stateLabel, 'Sent, waiting for QuickBooks');
    assert.equal(payout.shopifyOrder, null);

    const attention = await listDocuments(storage, file, shop, { limit: 50, state: 'attention' });
    assert.deepEqual(
      attention.documents.map((d) => d.key),
      ['refund/77'],
    );
    const onTheWay = await listDocuments(storage, file, shop, { limit: 50, state: 'on_the_way' });
    assert.deepEqual(
      onTheWay.documents.map((d) => d.key),
      ['payout/9'],
    );
    const sales = await listDocuments(storage, file, shop, {
      limit: 50,
      kind: 'SalesReceiptAdd',
      from: '2025-01-06',
      to: '2025-01-07',
    });
    assert.equal(sales.total, 2);
    assert.deepEqual(
      sales.documents.map((d) => d.key),
      ['order/3/sale', 'order/2/sale'],
    );

    // Pages of two cover everything once, in the same order, and the total stays the same on every page.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listDocuments(storage, file, shop, { limit: 2, ...(cursor ? { cursor } : {}) });
      assert.equal(page.total, 6);
      seen.push(...page.documents.map((d) => d.key));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(
      seen,
      all.documents.map((d) => d.key),
    );

    // A later entry is indexed when it is first listed; the ones indexed before are not read again.
    await enqueue(storage, [{ companyFileId: file, ...sale(4, '2025-01-10') }], now);
    const later = await listDocuments(storage, file, shop, { limit: 1 });
    assert.equal(later.documents[0]!.key, 'order/4/sale');
    assert.equal(later.documents[0]!.stateLabel, 'Waiting for the Web Connector');
    assert.equal(later.documents[0]!.shopifyOrder, null, 'an order not read from Shopify has no name to show');
  });
});
