import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createCompanyFile, createShop, type Storage } from '../storage/index.ts';
import { forEachEngine } from '../storage/testing.ts';
import type { TransactionDocument } from '../transform/index.ts';
import { documentHash, loadPostedDocuments, savePostedDocuments, serializeDocument } from './posted-documents.ts';
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
    const serialized = serializeDocument(posted);
    await savePostedDocuments(
      storage,
      file,
      [{ document: posted, serialized, contentHash: documentHash(serialized), editSequence: 0 }],
      new Date('2026-03-03T12:00:00Z'),
    );
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
    assert.equal(saved.get('payout/501')?.contentHash, documentHash(serialized));
  });
});
