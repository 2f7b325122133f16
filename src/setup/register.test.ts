import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../cli/cli.test-support.ts';
import { currencyDecimals } from '../domain/index.ts';
import { startHarness } from '../e2e/harness.test-support.ts';
import { generateShop, startShopifySimulator } from '../simulators/shopify/index.ts';

const REASON =
  /The shop's currency KWD has 3 decimals, and QuickBooks Desktop keeps amounts to two decimals: every amount would be rounded and the books could never match Shopify to the cent\. This connector cannot post a shop in KWD\./;

test('currencies with three decimals are told apart from those with two or fewer', () => {
  for (const code of ['KWD', 'BHD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD']) assert.equal(currencyDecimals(code), 3, code);
  for (const code of ['USD', 'EUR', 'SEK', 'GBP']) assert.equal(currencyDecimals(code), 2, code);
  for (const code of ['JPY', 'KRW', 'ISK']) assert.equal(currencyDecimals(code), 0, code);
});

test('setup register refuses a shop whose currency has three decimals, with the reason, and stores nothing', async (t) => {
  const data = generateShop({ seed: 'kwd', orders: 2 });
  data.shop.currencyCode = 'KWD';
  const shopify = await startShopifySimulator({ data });
  const dir = mkdtempSync(join(tmpdir(), 'qbd-kwd-'));
  t.after(async () => {
    await shopify.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = {
    DATA_DIR: dir,
    SQLITE_PATH: join(dir, 'connector.sqlite'),
    SHOPIFY_SHOP: shopify.shopDomain,
    SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
    SHOPIFY_API_BASE_URL: shopify.url,
    LOG_LEVEL: 'silent',
  };
  const registered = await cli(['setup', 'register'], env, { cwd: dir });
  assert.equal(registered.code, 1, registered.stdout);
  assert.match(registered.stderr, REASON);
  assert.match(registered.stderr, /SHOP_CURRENCY_UNSUPPORTED/);
  const status = await cli(['setup', 'status', '--shop', shopify.shopDomain], env, { cwd: dir });
  assert.match(status.stderr, /not registered/);
});

test('the setup service refuses it too, and registers a two-decimal shop as before', async (t) => {
  const h = await startHarness(t, { orders: 1, seed: 'kwd-api' });
  const refused = await h.app.setup.registerShop({
    domain: 'dinar.myshopify.com',
    name: 'Dinar',
    currency: 'KWD',
    timeZone: 'Asia/Kuwait',
  });
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'SHOP_CURRENCY_UNSUPPORTED');
  assert.equal(refused.error.merchantMustAct, true);
  assert.match(refused.error.merchantMessage, REASON);
  const krona = await h.app.setup.registerShop({
    domain: 'krona.myshopify.com',
    name: 'Krona',
    currency: 'SEK',
    timeZone: 'Europe/Stockholm',
  });
  assert.ok(krona.ok);
});
