/**
 * The merchant's journey through the admin app inside Shopify admin: an iframe on a page standing in for
 * admin.shopify.com, App Bridge's session tokens on every API call, no cookie, and CSP frame-ancestors refusing
 * any other site's frame. In Swedish, from the launch URL's locale.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { signSessionToken } from '../simulators/shopify/index.ts';
import { sv } from '../web/index.ts';
import { journey } from './admin-app-journey.test-support.ts';
import { eventually, openBrowser, screenshot } from './browser.test-support.ts';
import { APP_KEY, APP_SECRET, startHarness } from './harness.test-support.ts';

test.before(async () => {
  await buildWeb({ quiet: true });
});

/** App Bridge as Shopify's CDN serves it, reduced to what the app uses: its config and session tokens from admin. */
const APP_BRIDGE_STAND_IN = `(() => {
  const params = new URLSearchParams(location.search);
  const waiting = new Map();
  let next = 0;
  addEventListener('message', (event) => {
    if (event.origin !== 'https://admin.shopify.com' || event.data?.type !== 'session-token') return;
    waiting.get(event.data.id)?.(event.data.token);
    waiting.delete(event.data.id);
  });
  window.shopify = {
    config: { apiKey: document.querySelector('meta[name="shopify-api-key"]')?.content, shop: params.get('shop'), locale: params.get('locale') },
    idToken: () => new Promise((resolve) => { const id = ++next; waiting.set(id, resolve); parent.postMessage({ type: 'session-token', id }, 'https://admin.shopify.com'); }),
  };
})();`;

function adminPage(appUrl: string, title: string): string {
  return `<!doctype html><html lang="en"><head><title>Shopify admin</title></head><body>
<h1>Shopify admin (stand-in)</h1>
<iframe title="${title}" src="${appUrl}" style="width:100%;height:2400px;border:0"></iframe>
<script>
addEventListener('message', async (event) => {
  if (event.data?.type !== 'session-token') return;
  const token = await (await fetch('/session-token')).text();
  event.source.postMessage({ type: 'session-token', id: event.data.id, token }, event.origin);
});
</script></body></html>`;
}

test('inside Shopify admin: an iframe on admin.shopify.com, App Bridge session tokens, no cookie, CSP framing', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-embedded' });
  // The stand-in admin is https://admin.shopify.com (intercepted) framing a connector on loopback: Chromium's
  // local-network-access checks would hold that frame for a permission prompt a real install never meets.
  const { context, page } = await openBrowser(t, {
    locale: 'sv-SE',
    extraArgs: [
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessForNavigations',
    ],
  });
  const shop = h.shop.domain;
  const appUrl = `${h.app.url}/app/?embedded=1&shop=${shop}&host=${Buffer.from(`admin.shopify.com/store/${shop.split('.')[0]}`).toString('base64url')}&locale=sv`;
  let tokensIssued = 0;
  await context.route('https://cdn.shopify.com/shopifycloud/app-bridge.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: APP_BRIDGE_STAND_IN }),
  );
  await context.route('https://admin.shopify.com/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/session-token') {
      tokensIssued++;
      const now = Math.floor(Date.now() / 1000);
      return route.fulfill({
        contentType: 'text/plain',
        body: signSessionToken(
          {
            iss: `https://${shop}/admin`,
            dest: `https://${shop}`,
            aud: APP_KEY,
            sub: '42',
            exp: now + 60,
            nbf: now - 5,
            iat: now,
            jti: `jti-${tokensIssued}`,
            sid: 'sid',
          },
          APP_SECRET,
        ),
      });
    }
    return route.fulfill({ contentType: 'text/html', body: adminPage(appUrl, sv['app.title']) });
  });
  await context.route('https://evil.example/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: adminPage(appUrl, 'framed elsewhere') }),
  );

  await page.goto(`https://admin.shopify.com/store/${shop.split('.')[0]}/apps/qbd`);
  const frame = await (async () => {
    let found: Frame | undefined;
    await eventually(async () => {
      found = page.frames().find((f) => f.url().startsWith(h.app.url));
      return found !== undefined;
    }, 'the app frame');
    return found!;
  })();
  await journey(h, page, frame, sv, 'embedded-sv', { standalone: false });
  assert.ok(tokensIssued > 10, 'every API call carried a fresh session token');
  assert.deepEqual(await context.cookies(h.app.url), [], 'embedded, the app sets no cookie');

  // Any other site framing the app gets nothing: frame-ancestors names only the shop and admin.shopify.com.
  const other = await context.newPage();
  // The page's load waits for its frame, refused or not; then the frame holds whatever it was given.
  await other.goto('https://evil.example/', { waitUntil: 'load' });
  const framed = other.frames().find((f) => f !== other.mainFrame());
  assert.ok(framed, 'the iframe exists');
  await framed.waitForLoadState('load');
  assert.equal(await framed.locator('#root').count(), 0, 'the app did not load inside another site');
  await screenshot(other, 'embedded-evil-framing-refused');
  // The browser goes first: its idle keep-alive connections would hold the connector's close for their time-out.
  await context.close();
});
