/**
 * Stocky is offered only to a store that still holds Stocky data the connector knows of (a saved key, Stocky
 * records read, a Stocky address configured), over real HTTP on the simulators; with a saved key Stocky itself
 * is asked, and its shutdown is said as such.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../e2e/harness.test-support.ts';
import { saveSourceRecords } from '../extract/index.ts';
import { getIntegration, updateIntegration } from '../integration/index.ts';
import { encryptSecret } from '../shopify/index.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { startStockySimulator } from '../simulators/stocky/index.ts';
import type { StockyOffer } from './index.ts';

async function offerOf(h: Awaited<ReturnType<typeof startHarness>>): Promise<StockyOffer> {
  const response = await h.api(`/api/shops/${h.shop.domain}/setup/options`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return (JSON.parse(text) as { stocky: StockyOffer }).stocky;
}

test('a store with no Stocky data is not offered Stocky, and saving it anyway is refused in plain words', async (t) => {
  const h = await startHarness(t, { orders: 5, seed: 'stocky-none' });
  await h.setupThroughOptions();
  assert.deepEqual(await offerOf(h), { offered: false, reasons: [], shutDownOn: '2026-08-31', answer: null });
  const refused = await h.api(`/api/shops/${h.shop.domain}/setup/options`, {
    method: 'PUT',
    body: { purchaseOrderSource: { kind: 'stocky', apiKey: 'any-key' }, startDate: h.period().from },
  });
  const body = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(refused.status, 409);
  assert.equal(body.error.code, 'SETUP_OPTIONS_INVALID');
  assert.match(body.error.message, /Stocky shut down on 31 August 2026/);
  assert.match(body.error.message, /Choose Shopify purchase orders/);
  const integration = await getIntegration(h.app.storage, h.shop.id);
  assert.equal(integration?.options?.purchaseOrderSource.kind, 'shopify', 'nothing of the refused save was kept');
});

test('Stocky records already read make the store one that holds Stocky data', async (t) => {
  const h = await startHarness(t, { orders: 5, seed: 'stocky-records' });
  await h.setupThroughOptions();
  // What the extract stores from a Stocky pull (kept through a reset of the integration).
  const supplier = h.data.stocky?.suppliers[0];
  assert.ok(supplier, 'the generated shop has Stocky suppliers');
  await saveSourceRecords(
    h.app.storage,
    h.shop.id,
    [
      {
        kind: 'stockySupplier',
        sourceId: String(supplier.id),
        sourceUpdatedAt: supplier.updated_at,
        payload: supplier,
      },
    ],
    { runId: null, now: new Date().toISOString() },
  );
  const offer = await offerOf(h);
  assert.equal(offer.offered, true);
  assert.deepEqual(offer.reasons, ['records-read']);
});

test('with a saved key Stocky is asked: it answers while it serves the data, refuses a wrong key, and its shutdown is said', async (t) => {
  // The same seed makes the same shop: Stocky's simulator serves the store the harness registers.
  const stocky = await startStockySimulator({ data: generateShop({ seed: 'stocky-key', orders: 5 }) });
  t.after(() => stocky.close());
  const h = await startHarness(t, { orders: 5, seed: 'stocky-key', env: { STOCKY_API_BASE_URL: stocky.url } });
  await h.setupThroughOptions();
  // The operator pointed the connector at Stocky's data: offered before any key.
  assert.deepEqual((await offerOf(h)).reasons, ['address-configured']);
  const saved = await h.api(`/api/shops/${h.shop.domain}/setup/options`, {
    method: 'PUT',
    body: { purchaseOrderSource: { kind: 'stocky', apiKey: stocky.apiKey }, startDate: h.period().from },
  });
  assert.equal(saved.status, 200, await saved.text());
  // Saving the settings again without the key keeps the saved one.
  const again = await h.api(`/api/shops/${h.shop.domain}/setup/options`, {
    method: 'PUT',
    body: { purchaseOrderSource: { kind: 'stocky', apiKey: '' }, startDate: h.period().from },
  });
  assert.equal(again.status, 200, await again.text());
  const answering = await offerOf(h);
  // The settings step's history read pulled Stocky's records with the key: they are now read as well.
  assert.deepEqual(answering.reasons, ['key-saved', 'records-read', 'address-configured']);
  assert.deepEqual(answering.answer, { state: 'answers' });

  // A key Stocky no longer accepts: refused, with where to find the current one.
  const integration = await getIntegration(h.app.storage, h.shop.id);
  assert.ok(integration?.options);
  const updated = await updateIntegration(
    h.app.storage,
    integration,
    {
      options: {
        ...integration.options,
        purchaseOrderSource: {
          kind: 'stocky',
          storeName: h.shop.domain,
          encryptedApiKey: encryptSecret('not-the-key', h.app.config.encryptionKey),
        },
      },
    },
    new Date(),
  );
  assert.ok(updated.ok);
  const refused = await offerOf(h);
  assert.equal(refused.answer?.state, 'refused');
  assert.equal(refused.answer && 'code' in refused.answer ? refused.answer.code : '', 'STOCKY_KEY_REFUSED');
  assert.match(refused.answer && 'message' in refused.answer ? refused.answer.message : '', /API access/);

  // Stocky gone (as stocky.shopifyapps.com is since 31 August 2026): the saved key's answer says so.
  await stocky.close();
  const gone = await offerOf(h);
  assert.equal(gone.offered, true);
  assert.equal(gone.answer?.state, 'shut-down');
  assert.match(gone.answer && 'message' in gone.answer ? gone.answer.message : '', /shut Stocky down/);
});
