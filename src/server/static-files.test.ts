/**
 * The admin app's files over real HTTP: hashed assets cached for a year, the page revalidated on every load and
 * sent with its Content-Security-Policy (framed only by the shop's admin and admin.shopify.com, or by nobody),
 * App Bridge's script only inside Shopify admin, gzip when asked, 304 on a matching ETag, nothing outside the build.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { APP_BRIDGE_URL, contentSecurityPolicy, createStaticApp, PRELOADED_API_PATHS } from './static-files.ts';

const PAGE =
  '<!doctype html><html lang="en"><head><title>Connector</title></head><body><div id="root"></div></body></html>';

async function serve(t: TestContext, files: Record<string, string> | null, apiKey: string | null = 'app-key-1') {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-static-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, body] of Object.entries(files ?? {})) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  const app = createStaticApp({ dir, apiKey });
  const server = createServer((req, res) => app.handle(req, res, new URL(req.url ?? '/', 'http://localhost')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const script = `console.info(${JSON.stringify('x'.repeat(2000))});`;

test('hashed assets are immutable for a year; the page is revalidated and carries the CSP', async (t) => {
  const base = await serve(t, { 'index.html': PAGE, 'assets/index-AbC123.js': script, 'assets/index-Xy9.css': 'b{}' });
  const asset = await fetch(`${base}/app/assets/index-AbC123.js`);
  assert.equal(asset.status, 200);
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(asset.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await asset.text(), script);

  const page = await fetch(`${base}/app/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-cache');
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = page.headers.get('content-security-policy')!;
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self' https:\/\/cdn\.shopify\.com(;|$)/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  const html = await page.text();
  assert.ok(!html.includes(APP_BRIDGE_URL), 'standalone, nothing loads from Shopify');
  // The first screen's API calls start with the page, before its script has loaded.
  for (const path of PRELOADED_API_PATHS) {
    assert.ok(html.includes(`<link rel="preload" href="${path}" as="fetch" crossorigin="anonymous" />`), path);
  }

  // Client-side routes are the page too.
  const route = await fetch(`${base}/app/settings`);
  assert.equal(route.status, 200);
  assert.equal(await route.text(), html);
});

test('inside Shopify admin the page may be framed only by the shop and admin.shopify.com, and loads App Bridge', async (t) => {
  const base = await serve(t, { 'index.html': PAGE });
  const page = await fetch(`${base}/app?embedded=1&shop=Demo-Shop.myshopify.com&host=YWRtaW4&locale=sv`);
  const csp = page.headers.get('content-security-policy')!;
  assert.match(csp, /frame-ancestors https:\/\/demo-shop\.myshopify\.com https:\/\/admin\.shopify\.com$/);
  assert.equal(page.headers.get('x-frame-options'), null);
  const html = await page.text();
  assert.ok(html.indexOf(APP_BRIDGE_URL) < html.indexOf('<title>'), 'App Bridge comes first in <head>');
  assert.match(html, /<meta name="shopify-api-key" content="app-key-1" \/>/);
  assert.ok(!html.includes('rel="preload"'), 'embedded, the calls carry session tokens: nothing is preloaded');

  // A shop parameter that is not a shop domain frames nothing.
  for (const shop of ['evil.example', 'x.myshopify.com.evil.example', 'a b.myshopify.com']) {
    const other = await fetch(`${base}/app?embedded=1&shop=${encodeURIComponent(shop)}`);
    assert.match(other.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  }
  assert.equal(
    contentSecurityPolicy('s.myshopify.com')
      .split('; ')
      .find((d) => d.startsWith('frame-ancestors')),
    'frame-ancestors https://s.myshopify.com https://admin.shopify.com',
  );
});

test('gzip when asked, 304 on a matching ETag, 404 for unknown assets, no way out of the build folder', async (t) => {
  const base = await serve(t, { 'index.html': PAGE, 'assets/app-1.js': script });
  const gz = await fetch(`${base}/app/assets/app-1.js`, { headers: { 'accept-encoding': 'gzip' } });
  // fetch decodes gzip itself; the header says it was sent compressed and smaller.
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.ok(Number(gz.headers.get('content-length')) < script.length);
  assert.equal(await gz.text(), script);
  const raw = await new Promise<Buffer>((resolve, reject) => {
    import('node:http').then(({ get }) =>
      get(`${base}/app/assets/app-1.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject),
    );
  });
  assert.equal(gunzipSync(raw).toString(), script);

  const etag = gz.headers.get('etag')!;
  const again = await fetch(`${base}/app/assets/app-1.js`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);

  assert.equal((await fetch(`${base}/app/assets/missing.js`)).status, 404);
  assert.equal((await fetch(`${base}/app/assets/..%2f..%2fetc%2fpasswd`)).status, 404);
  assert.equal((await fetch(`${base}/app/assets/`, { method: 'POST' })).status, 405);
});

test('without a build, /app says how to build it', async (t) => {
  const base = await serve(t, null);
  const page = await fetch(`${base}/app/`);
  assert.equal(page.status, 503);
  assert.match(await page.text(), /npm run build:web/);
});
