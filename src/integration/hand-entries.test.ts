/** What the merchant entered in QuickBooks by hand: kept per shop and subject, the first answer wins, audited. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createShop, listAudit } from '../storage/index.ts';
import { listHandEntries, recordHandEntry } from './hand-entries.ts';

forEachEngine('hand entries', (_engine, open) => {
  it('records who entered what and when; saying it again keeps the first answer; each shop sees its own', async (t) => {
    const { storage } = await open(t);
    const shops = [];
    for (const domain of ['one.myshopify.com', 'two.myshopify.com']) {
      const shop = await createShop(storage, { domain, name: domain, currency: 'USD', timeZone: 'UTC' });
      assert.ok(shop.ok);
      shops.push(shop.value.id);
    }
    const [one, two] = shops as [string, string];
    const first = new Date('2026-03-02T10:00:00.000Z');
    const said = { shopId: one, subject: 'refund/61', code: 'REFUND_AMOUNTS_MISFIT', actor: 'merchant' as const };
    const entry = await recordHandEntry(storage, { ...said, enteredBy: 'Dana', note: 'CM-61' }, first);
    assert.deepEqual(entry, { ...said, enteredBy: 'Dana', note: 'CM-61', enteredAt: first });
    const again = await recordHandEntry(
      storage,
      { ...said, enteredBy: 'Sam', note: null },
      new Date('2026-03-03T10:00:00.000Z'),
    );
    assert.deepEqual(again, entry, 'the first answer is the one the books were kept by');
    assert.deepEqual(await listHandEntries(storage, one), [entry]);
    assert.deepEqual(await listHandEntries(storage, two), []);
    const audited = await listAudit(storage, { shopId: one, action: 'attention.entered-in-quickbooks' });
    assert.deepEqual(
      audited.map((a) => [a.subject, a.details.enteredBy]),
      [
        ['refund/61', 'Sam'],
        ['refund/61', 'Dana'],
      ],
    );
  });
});
