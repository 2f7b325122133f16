import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  connectEmbeddedShop,
  createAdminGraphqlClient,
  createShopifyAuth,
  createShopifyClientForShop,
  createTokenStore,
  saveAdminApiToken,
} from '../shopify/index.ts';
import { generateShop, signSessionToken, startShopifySimulator } from '../simulators/shopify/index.ts';
import { startStockySimulator } from '../simulators/stocky/index.ts';
import { createStockyClient, verifyStockyKey } from '../stocky/index.ts';
import { openTestDatabase } from '../storage/engines.test-support.ts';
import { createShop } from '../storage/index.ts';
import { createExtractor } from './extractor.ts';
import { createSourceRecordReader } from './reader.ts';
import { createShopifyWebhookHandler, pendingPullRequests } from './webhooks.ts';

/** The other ways in: Stocky, token exchange, webhooks — each against its simulator over real HTTP. */
const data = generateShop({ seed: 'sources', orders: 20 });

test('Stocky source: the whole archive is extracted through the Stocky simulator', async (t) => {
  const stocky = await startStockySimulator({ data });
  t.after(() => stocky.close());
  assert.ok(data.stocky, 'the generated shop has Stocky data');
  const { storage } = await openTestDatabase(t, 'sqlite');
  const shopify = await startShopifySimulator({ data });
  t.after(() => shopify.close());
  const client = createAdminGraphqlClient({
    shopDomain: shopify.shopDomain,
    accessToken: shopify.accessToken,
    endpoint: shopify.url,
  });
  const stockyClient = createStockyClient({
    storeName: stocky.storeName,
    apiKey: stocky.apiKey,
    baseUrl: stocky.url,
    pageSize: 7,
  });
  assert.ok((await verifyStockyKey({ storeName: stocky.storeName, apiKey: stocky.apiKey, baseUrl: stocky.url })).ok);
  const extractor = createExtractor({ storage, client, purchaseOrderSource: 'stocky', stocky: stockyClient });
  const pulled = await extractor.pull({ shopId: 's', mode: 'incremental', entities: ['purchaseOrders'] });
  assert.ok(pulled.ok, pulled.ok ? '' : pulled.error.message);
  const reader = createSourceRecordReader(storage);
  const purchaseOrders = await reader.latest('s', 'stockyPurchaseOrder', { limit: 10_000 });
  assert.deepEqual(
    new Map(purchaseOrders.map((r) => [r.sourceId, r.payload])),
    new Map(data.stocky.purchaseOrders.map((po) => [String(po.id), po])),
  );
  assert.equal((await reader.latest('s', 'stockySupplier', { limit: 10_000 })).length, data.stocky.suppliers.length);
  assert.equal(
    (await reader.latest('s', 'stockyStockAdjustment', { limit: 10_000 })).length,
    data.stocky.stockAdjustments.length,
  );
  // A second pull of an unchanged archive adds no version.
  const again = await extractor.pull({ shopId: 's', mode: 'incremental', entities: ['purchaseOrders'] });
  assert.ok(again.ok);
  assert.equal(again.value.counts.purchaseOrders?.inserted, 0);
});

test('Stocky shut down: refused connections and the retirement page both say so, with what to do', async (t) => {
  for (const mode of ['shut-down-refused', 'shut-down-page'] as const) {
    const stocky = await startStockySimulator({ data, mode });
    t.after(() => stocky.close());
    const checked = await verifyStockyKey({
      storeName: stocky.storeName,
      apiKey: stocky.apiKey,
      baseUrl: stocky.url,
      sleep: async () => {},
    });
    assert.ok(!checked.ok, mode);
    assert.equal(checked.error.code, 'STOCKY_SHUT_DOWN', mode);
    assert.match(checked.error.merchantMessage, /shut Stocky down, API included, on 31 August 2026/);
    assert.match(
      checked.error.merchantMessage,
      /change the purchase-order source from Stocky to Shopify purchase orders/,
    );
  }
});

test('token exchange and refresh against the simulator; the tokens read the Admin API', async (t) => {
  const sim = await startShopifySimulator({ data, clientId: 'app-id', appSecret: 'app-secret' });
  t.after(() => sim.close());
  const auth = createShopifyAuth({ apiKey: 'app-id', apiSecret: 'app-secret', endpoint: sim.url });
  const now = Math.floor(Date.now() / 1000);
  const sessionToken = signSessionToken(
    {
      iss: `https://${sim.shopDomain}/admin`,
      dest: `https://${sim.shopDomain}`,
      aud: 'app-id',
      sub: '7',
      exp: now + 60,
      nbf: now - 1,
      iat: now - 1,
      jti: 'j',
      sid: 's',
    },
    'app-secret',
  );
  const claims = await auth.verifySessionToken(sessionToken);
  assert.ok(claims.ok);
  assert.equal(claims.value.shopDomain, sim.shopDomain);
  const exchanged = await auth.exchangeSessionToken(sim.shopDomain, sessionToken);
  assert.ok(exchanged.ok, exchanged.ok ? '' : exchanged.error.message);
  assert.ok(exchanged.value.refreshToken && exchanged.value.expiresAt);
  const query = async (token: string) =>
    createAdminGraphqlClient({ shopDomain: sim.shopDomain, accessToken: token, endpoint: sim.url }).request<{
      shop: { myshopifyDomain: string };
    }>('{ shop { myshopifyDomain } }');
  const first = await query(exchanged.value.accessToken);
  assert.ok(first.ok);
  assert.equal(first.value.data.shop.myshopifyDomain, sim.shopDomain);
  const refreshed = await auth.refreshAccessToken(sim.shopDomain, exchanged.value.refreshToken);
  assert.ok(refreshed.ok);
  assert.notEqual(refreshed.value.accessToken, exchanged.value.accessToken);
  assert.ok((await query(refreshed.value.accessToken)).ok);
  // The refresh token was rotated: the old one is refused.
  const reused = await auth.refreshAccessToken(sim.shopDomain, exchanged.value.refreshToken);
  assert.ok(!reused.ok);
  const bad = await query('shpat_not_issued');
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'SHOPIFY_UNAUTHORIZED');
});

test('webhooks signed and sent by the simulator land as pull requests; a pull then sees the change', async (t) => {
  const { storage } = await openTestDatabase(t, 'sqlite');
  const shop = await createShop(storage, {
    domain: data.shop.myshopifyDomain,
    name: data.shop.name,
    currency: data.shop.currencyCode,
    timeZone: data.shop.ianaTimezone,
  });
  assert.ok(shop.ok);
  const handle = createShopifyWebhookHandler({ storage, apiSecret: 'hook-secret' });
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle({ rawBody: Buffer.concat(chunks), headers: req.headers }).then((answer) => {
        res.writeHead(answer.status);
        res.end(answer.body);
      });
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => receiver.close(() => r())));
  const sim = await startShopifySimulator({
    data: structuredClone(data),
    appSecret: 'hook-secret',
    throttle: { maximumAvailable: 20_000, restoreRate: 10_000 },
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`,
  });
  t.after(() => sim.close());
  const client = createAdminGraphqlClient({
    shopDomain: sim.shopDomain,
    accessToken: sim.accessToken,
    endpoint: sim.url,
  });
  const extractor = createExtractor({ storage, client });
  assert.ok((await extractor.pull({ shopId: shop.value.id, mode: 'incremental', entities: ['orders'] })).ok);

  const target = data.orders[3]!;
  await sim.cancelOrder(target.id, 'FRAUD');
  await sim.webhooksSettled();
  assert.ok(sim.deliveries.length > 0 && sim.deliveries.every((d) => d.delivered));
  const pending = await pendingPullRequests(storage, shop.value.id);
  assert.ok(pending.some((p) => p.entity === 'orders' && p.sourceId === target.id));

  const pulled = await extractor.pull({ shopId: shop.value.id, mode: 'incremental', entities: ['orders'] });
  assert.ok(pulled.ok);
  assert.deepEqual(await pendingPullRequests(storage, shop.value.id), []);
  const latest = await createSourceRecordReader(storage).one(shop.value.id, 'order', target.id);
  assert.equal(latest?.version, 2);
  assert.equal(latest?.payload.cancelReason, 'FRAUD');
});

test('embedded path end to end: session token → stored token → client; refreshed before expiry, single-store path', async (t) => {
  const sim = await startShopifySimulator({ data, clientId: 'app-id', appSecret: 'app-secret' });
  t.after(() => sim.close());
  const { storage } = await openTestDatabase(t, 'sqlite');
  let now = Date.now();
  const auth = createShopifyAuth({
    apiKey: 'app-id',
    apiSecret: 'app-secret',
    endpoint: sim.url,
    clock: () => new Date(now),
  });
  const tokens = createTokenStore({ storage, encryptionKey: randomBytes(32), auth });
  const seconds = Math.floor(now / 1000);
  const sessionToken = signSessionToken(
    {
      iss: `https://${sim.shopDomain}/admin`,
      dest: `https://${sim.shopDomain}`,
      aud: 'app-id',
      sub: '7',
      exp: seconds + 60,
      nbf: seconds - 1,
      iat: seconds - 1,
      jti: 'k',
      sid: 's',
    },
    'app-secret',
  );
  const connected = await connectEmbeddedShop({ auth, tokens, sessionToken });
  assert.ok(connected.ok, connected.ok ? '' : connected.error.message);
  assert.equal(connected.value.shopDomain, sim.shopDomain);
  const shopify = {
    apiBaseUrl: sim.url,
    apiKey: 'app-id',
    apiSecret: 'app-secret',
    shopDomain: null,
    accessToken: null,
  };
  const client = await createShopifyClientForShop({ shopDomain: sim.shopDomain, shopify, tokens });
  assert.ok(client.ok);
  const before = await tokens.load(sim.shopDomain);
  assert.ok((await client.value.request('{ shop { id } }')).ok);
  // 58 minutes on, the client's next request first refreshes the token (and the refresh token rotates).
  now += 58 * 60_000;
  assert.ok((await client.value.request('{ shop { id } }')).ok);
  const after = await tokens.load(sim.shopDomain);
  assert.ok(before.ok && after.ok);
  assert.notEqual(after.value?.accessToken, before.value?.accessToken);
  assert.notEqual(after.value?.refreshToken, before.value?.refreshToken);

  const single = await createShopifyClientForShop({
    shopDomain: sim.shopDomain,
    shopify: { ...shopify, shopDomain: sim.shopDomain, accessToken: sim.accessToken },
    tokens: null,
  });
  assert.ok(single.ok);
  assert.ok((await single.value.request('{ shop { id } }')).ok);
  const none = await createShopifyClientForShop({ shopDomain: 'other.myshopify.com', shopify, tokens });
  assert.ok(!none.ok);
  assert.equal(none.error.code, 'SHOPIFY_NOT_CONNECTED');
  assert.match(none.error.merchantMessage, /SHOPIFY_ACCESS_TOKEN/);

  // A single-store token saved at registration is used without any token in the environment; one in the
  // environment for the same shop overrides it.
  await saveAdminApiToken(tokens, sim.shopDomain, sim.accessToken);
  const stored = await tokens.load(sim.shopDomain);
  assert.ok(stored.ok && stored.value);
  assert.equal(stored.value.accessToken, sim.accessToken);
  assert.equal(stored.value.expiresAt, null);
  const fromStore = await createShopifyClientForShop({ shopDomain: sim.shopDomain, shopify, tokens });
  assert.ok(fromStore.ok);
  assert.ok((await fromStore.value.request('{ shop { id } }')).ok);
  await saveAdminApiToken(tokens, sim.shopDomain, 'shpat_revoked');
  const overridden = await createShopifyClientForShop({
    shopDomain: sim.shopDomain,
    shopify: { ...shopify, shopDomain: sim.shopDomain, accessToken: sim.accessToken },
    tokens,
  });
  assert.ok(overridden.ok);
  assert.ok((await overridden.value.request('{ shop { id } }')).ok, 'the environment token wins');
  const revoked = await createShopifyClientForShop({ shopDomain: sim.shopDomain, shopify, tokens });
  assert.ok(revoked.ok);
  const refused = await revoked.value.request('{ shop { id } }');
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'SHOPIFY_UNAUTHORIZED');
});
