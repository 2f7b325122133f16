import assert from 'node:assert/strict';
import { it } from 'node:test';
import { documentHash, loadPostedDocuments, savePostedDocuments, serializeDocument } from '../integration/index.ts';
import { enqueue, lease, markApplied, markSent } from '../outbox/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createCompanyFile, createShop, type Storage } from '../storage/index.ts';
import type { TransactionDocument } from '../transform/index.ts';
import { reconcilePosted } from './service.ts';

async function companyFile(storage: Storage): Promise<string> {
  const shop = await createShop(storage, {
    domain: 'payout-shop.myshopify.com',
    name: 'payout-shop',
    currency: 'USD',
    timeZone: 'America/New_York',
  });
  assert.ok(shop.ok);
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: 'payout-shop',
    appTokenHash: 'scrypt$x$y',
    ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
    fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
  });
  assert.ok(file.ok);
  return file.value.id;
}

/** Records `document` as planned earlier (the posted version the next sync compares against). */
async function post(storage: Storage, file: string, document: TransactionDocument, now: Date): Promise<void> {
  const serialized = serializeDocument(document);
  await savePostedDocuments(
    storage,
    file,
    [{ document, serialized, contentHash: documentHash(serialized), editSequence: 0 }],
    now,
  );
}

/** Queues `key` and has a Web Connector session send it, with no answer yet: the entry is in flight. */
async function sendWithoutAnswer(
  storage: Storage,
  file: string,
  entry: { key: string; kind: string; request: { type: string; body: Record<string, unknown> } },
  now: Date,
): Promise<number> {
  await enqueue(storage, [{ companyFileId: file, ...entry }], now);
  const leased = await lease(storage, file, 'session-1', { limit: 10, now });
  assert.equal(leased.length, 1);
  const sent = await markSent(storage, {
    companyFileId: file,
    sessionId: 'session-1',
    entries: [{ entryId: leased[0]!.id, requestId: '1' }],
    now,
  });
  assert.ok(sent.ok);
  return leased[0]!.id;
}

const payout = (gross: bigint): TransactionDocument => ({
  kind: 'deposit',
  key: 'payout/501',
  date: '2026-03-02',
  depositTo: 'payoutBank',
  memo: 'Shopify Payments payout 501',
  lines: [
    { category: 'shopifyPaymentsClearing', amount: gross, memo: 'Shopify Payments payout (gross)' },
    { category: 'paymentProcessingFees', amount: -300n, memo: 'Shopify Payments fees' },
  ],
});

forEachEngine('sync: posted documents compared', (_engine, open) => {
  it('a payout changed after it was posted is shown, not a crash of every later sync; the rest still goes out', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const posted = payout(10_000n);
    await post(storage, file, posted, new Date('2026-03-03T12:00:00Z'));
    const receipt: TransactionDocument = {
      kind: 'journalEntry',
      key: 'cogs/2026-03-02',
      date: '2026-03-02',
      refNumber: 'COGS',
      purpose: 'costOfGoodsSold',
      memo: 'Cost of goods sold',
      lines: [
        { category: 'costOfGoodsSold', side: 'debit', amount: 500n, memo: 'Cost', classKey: null },
        { category: 'inventoryAsset', side: 'credit', amount: 500n, memo: 'Cost', classKey: null },
      ],
    };
    const changes = await reconcilePosted(storage, file, [payout(10_100n), receipt], '2026-03-05');
    assert.deepEqual(
      changes.toPlan.map((d) => d.key),
      ['cogs/2026-03-02'],
    );
    assert.deepEqual(
      changes.notes.map((n) => n.code),
      ['POSTED_DOCUMENT_CHANGED'],
    );
    assert.match(changes.notes[0]!.message, /payout\/501.*Correct it in QuickBooks/);
    // Not saved: the posted version stays what QuickBooks holds, so the next sync shows the change again.
    assert.deepEqual(
      changes.toSave.map((s) => s.document.key),
      ['cogs/2026-03-02'],
    );
    const saved = await loadPostedDocuments(storage, file);
    assert.equal(saved.get('payout/501')?.contentHash, documentHash(serializeDocument(posted)));
  });
});

forEachEngine('sync: a deposit taken back while it is being sent', (_engine, open) => {
  it('is noted, kept as posted, and deleted by the next sync once QuickBooks has it', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const deposit: TransactionDocument = {
      kind: 'receivePayment',
      key: 'order/7/deposit/shopify_payments/2026-03-02',
      date: '2026-03-02',
      refNumber: '1007',
      customer: 'customer/online',
      apply: 'none',
      depositTo: 'shopifyPaymentsClearing',
      paymentMethod: 'payment-method/shopify_payments',
      amount: 2500n,
      memo: 'Deposit on open Shopify order #1007',
    };
    const now = new Date('2026-03-03T12:00:00Z');
    await post(storage, file, deposit, now);
    // A Web Connector session has just sent it; no answer yet.
    const entryId = await sendWithoutAnswer(
      storage,
      file,
      { key: deposit.key, kind: 'payment', request: { type: 'ReceivePaymentAdd', body: { TotalAmount: '25.00' } } },
      now,
    );

    // The order is fulfilled: the sale carries the payment, so the deposit must go.
    const first = await reconcilePosted(storage, file, [], '2026-03-05');
    assert.deepEqual(
      first.notes.map((n) => n.code),
      ['DEPOSIT_LEFT_IN_PLACE'],
    );
    assert.deepEqual(first.extra, []);
    assert.deepEqual(first.toSave, [], 'kept as posted: the next sync tries again');

    await markApplied(storage, entryId, { quickbooksId: 'TXN-7', now });
    const second = await reconcilePosted(storage, file, [], '2026-03-06');
    assert.deepEqual(second.notes, []);
    assert.deepEqual(
      second.extra.map((e) => e.request),
      [{ type: 'TxnDel', body: { TxnDelType: 'ReceivePayment', TxnID: 'TXN-7' } }],
    );
    assert.deepEqual(
      second.toSave.map((s) => s.contentHash),
      ['removed'],
    );
  });
});

forEachEngine('sync: a sales order replaced while it is being sent', (_engine, open) => {
  it('is noted, kept as posted, and deleted by the next sync once QuickBooks has it', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const salesOrder: TransactionDocument = {
      kind: 'salesOrder',
      key: 'order/8/sales-order',
      date: '2026-03-02',
      refNumber: '1008',
      customer: 'customer/online',
      classKey: null,
      memo: 'Shopify order #1008',
      lines: [
        {
          item: 'item/1',
          description: 'Mug',
          quantity: 1,
          amount: 1200n,
          category: 'productSales',
          classKey: null,
        },
      ],
    };
    const now = new Date('2026-03-03T12:00:00Z');
    await post(storage, file, salesOrder, now);
    const entryId = await sendWithoutAnswer(
      storage,
      file,
      { key: salesOrder.key, kind: 'sales-order', request: { type: 'SalesOrderAdd', body: { RefNumber: '1008' } } },
      now,
    );

    const first = await reconcilePosted(storage, file, [], '2026-03-05');
    assert.deepEqual(
      first.notes.map((n) => n.code),
      ['SALES_ORDER_LEFT_OPEN'],
    );
    assert.deepEqual(first.toSave, [], 'kept as posted: the next sync tries again');

    await markApplied(storage, entryId, { quickbooksId: 'TXN-8', now });
    const second = await reconcilePosted(storage, file, [], '2026-03-06');
    assert.deepEqual(second.notes, []);
    assert.deepEqual(
      second.extra.map((e) => e.request),
      [{ type: 'TxnDel', body: { TxnDelType: 'SalesOrder', TxnID: 'TXN-8' } }],
    );
    assert.deepEqual(
      second.toSave.map((s) => s.contentHash),
      ['removed'],
    );
    // Taken back: nothing more to do.
    await savePostedDocuments(storage, file, second.toSave, now);
    const third = await reconcilePosted(storage, file, [], '2026-03-07');
    assert.deepEqual([third.extra, third.notes, third.toSave], [[], [], []]);
  });
});

forEachEngine('sync: a payment changed while it is being sent', (_engine, open) => {
  it('waits: no second payment next to the one on its way; the next sync replaces it once it has arrived', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const payment = (amount: bigint): TransactionDocument => ({
      kind: 'receivePayment',
      key: 'order/9/payment/manual/2026-03-02',
      date: '2026-03-02',
      refNumber: '1009',
      customer: 'customer/online',
      apply: 'auto',
      depositTo: 'cashClearing',
      paymentMethod: 'payment-method/manual',
      amount,
      memo: 'Payment for Shopify order #1009',
    });
    const now = new Date('2026-03-03T12:00:00Z');
    await post(storage, file, payment(4000n), now);
    const entryId = await sendWithoutAnswer(
      storage,
      file,
      {
        key: 'order/9/payment/manual/2026-03-02',
        kind: 'payment',
        request: { type: 'ReceivePaymentAdd', body: { TotalAmount: '40.00' } },
      },
      now,
    );

    const first = await reconcilePosted(storage, file, [payment(4500n)], '2026-03-05');
    assert.deepEqual(
      first.notes.map((n) => n.code),
      ['DEPOSIT_LEFT_IN_PLACE'],
    );
    assert.deepEqual([first.toPlan, first.extra, first.toSave], [[], [], []]);

    await markApplied(storage, entryId, { quickbooksId: 'TXN-9', now });
    const second = await reconcilePosted(storage, file, [payment(4500n)], '2026-03-06');
    assert.deepEqual(second.notes, []);
    assert.deepEqual(
      second.extra.map((e) => e.request),
      [{ type: 'TxnDel', body: { TxnDelType: 'ReceivePayment', TxnID: 'TXN-9' } }],
    );
    assert.deepEqual(
      second.toPlan.map((d) => [d.key, d.kind === 'receivePayment' ? d.amount : null]),
      [['order/9/payment/manual/2026-03-02/edit/1', 4500n]],
    );
    assert.deepEqual(
      second.toSave.map((s) => s.editSequence),
      [1],
    );
  });
});

forEachEngine('sync: a purchase order changed after it was posted', (_engine, open) => {
  it('is shown, not added a second time next to the one its receipts close', async (t) => {
    const { storage } = await open(t);
    const file = await companyFile(storage);
    const order = (quantity: number): TransactionDocument => ({
      kind: 'purchaseOrder',
      key: 'po/31',
      date: '2026-03-02',
      refNumber: 'PO31',
      vendor: 'vendor/acme',
      classKey: null,
      memo: 'Shopify purchase order #PO31',
      lines: [
        {
          item: 'item/1',
          description: 'Mug',
          quantity,
          unitCost: '4.00',
          amount: BigInt(quantity) * 400n,
          category: 'inventoryAsset',
        },
      ],
    });
    await post(storage, file, order(10), new Date('2026-03-03T12:00:00Z'));
    const changes = await reconcilePosted(storage, file, [order(12)], '2026-03-05');
    assert.deepEqual(changes.toPlan, []);
    assert.deepEqual(
      changes.notes.map((n) => n.code),
      ['POSTED_DOCUMENT_CHANGED'],
    );
    assert.deepEqual(changes.toSave, []);
  });
});
