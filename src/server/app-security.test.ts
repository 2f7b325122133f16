/**
 * The JSON API keeps the server's stored secrets to itself: a shop's own session token (or the operator's) reads
 * its setup and integration records, but never the app token's hash or the encrypted Stocky key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../e2e/harness.test-support.ts';
import { getIntegration, updateIntegration } from '../integration/index.ts';
import { encryptSecret } from '../shopify/index.ts';
import { withoutStoredSecrets } from './app.ts';

test('withoutStoredSecrets drops the hash and the ciphertext at any depth and keeps everything else', () => {
  const at = new Date('2026-11-25T00:00:00Z');
  const cleaned = withoutStoredSecrets({
    companyFile: { id: 'cf', appTokenHash: 'scrypt$…', webConnectorUserName: 'shopify-1', createdAt: at },
    list: [{ purchaseOrderSource: { kind: 'stocky', storeName: 's', encryptedApiKey: 'v1.a.b.c' } }],
    amount: 10n,
    appToken: 'SHOWN-ONCE',
  });
  assert.deepEqual(cleaned, {
    companyFile: { id: 'cf', webConnectorUserName: 'shopify-1', createdAt: at },
    list: [{ purchaseOrderSource: { kind: 'stocky', storeName: 's' } }],
    amount: 10n,
    appToken: 'SHOWN-ONCE',
  });
});

test('the setup status over HTTP carries neither the app token hash nor the encrypted Stocky key', async (t) => {
  const h = await startHarness(t, { orders: 5, seed: 'api-secrets' });
  await h.setupThroughOptions();
  const integration = await getIntegration(h.app.storage, h.shop.id);
  assert.ok(integration?.options);
  const ciphertext = encryptSecret('stocky-api-key', h.app.config.encryptionKey);
  const updated = await updateIntegration(
    h.app.storage,
    integration,
    {
      options: {
        ...integration.options,
        purchaseOrderSource: { kind: 'stocky', storeName: h.shop.domain, encryptedApiKey: ciphertext },
      },
    },
    new Date(),
  );
  assert.ok(updated.ok);
  const internal = await h.app.setup.status(h.shop.domain);
  assert.ok(internal.ok && internal.value.companyFile);
  const hash = internal.value.companyFile.appTokenHash;

  const response = await h.api(`/api/shops/${h.shop.domain}/setup`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const body = JSON.parse(text) as {
    companyFile: Record<string, unknown>;
    integration: { options: { purchaseOrderSource: Record<string, unknown> } };
  };
  // The records themselves are served…
  assert.equal(body.companyFile.id, internal.value.companyFile.id);
  assert.equal(body.integration.options.purchaseOrderSource.kind, 'stocky');
  // …without what only the server may hold.
  assert.ok(!text.includes(hash.split('$').at(-1)!), 'the app token hash left the server');
  assert.ok(!text.includes(ciphertext.split('.').at(-1)!), 'the encrypted Stocky key left the server');
  assert.equal('appTokenHash' in body.companyFile, false);
  assert.equal('encryptedApiKey' in body.integration.options.purchaseOrderSource, false);
});
