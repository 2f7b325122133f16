import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createLogger } from '../logger/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createShopifyAuth, createTokenStore } from './auth.ts';

const apiKey = 'client-id';
const apiSecret = 'client-secret';

function sessionToken(claims: Record<string, unknown>, secret = apiSecret): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function claimsFor(shop: string, now = Math.floor(Date.now() / 1000)) {
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: '42',
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomBytes(8).toString('hex'),
    sid: 'session',
  };
}

/** A token endpoint that behaves like Shopify's: exchange, then refresh with rotation (an old refresh token dies). */
async function tokenServer() {
  let issued = 0;
  const liveRefreshTokens = new Set<string>();
  const requests: Record<string, string>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>;
      requests.push(body);
      const refuse = (error: string) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error }));
      };
      if (req.url !== '/admin/oauth/access_token' || body.client_id !== apiKey || body.client_secret !== apiSecret) {
        return refuse('invalid_client');
      }
      if (body.grant_type === 'refresh_token') {
        if (!liveRefreshTokens.delete(body.refresh_token!)) return refuse('invalid_grant');
      } else if (body.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange' || !body.subject_token) {
        return refuse('unsupported_grant_type');
      }
      issued += 1;
      const refreshToken = `shprt_${issued}`;
      liveRefreshTokens.add(refreshToken);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: `shpat_${issued}`,
          scope: 'read_orders,read_products',
          expires_in: 3600,
          refresh_token: refreshToken,
          refresh_token_expires_in: 7_776_000,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a session token is verified (signature, audience) before anything else', async () => {
  const auth = createShopifyAuth({ apiKey, apiSecret });
  const good = await auth.verifySessionToken(sessionToken(claimsFor('demo.myshopify.com')));
  assert.ok(good.ok);
  assert.equal(good.value.shopDomain, 'demo.myshopify.com');
  assert.equal(good.value.userId, '42');
  const forged = await auth.verifySessionToken(sessionToken(claimsFor('demo.myshopify.com'), 'other-secret'));
  assert.ok(!forged.ok);
  assert.equal(forged.error.code, 'SHOPIFY_SESSION_TOKEN_INVALID');
  const otherApp = await auth.verifySessionToken(
    sessionToken({ ...claimsFor('demo.myshopify.com'), aud: 'other-app' }),
  );
  assert.ok(!otherApp.ok);
  const expired = await auth.verifySessionToken(
    sessionToken(claimsFor('demo.myshopify.com', Math.floor(Date.now() / 1000) - 3600)),
  );
  assert.ok(!expired.ok);
});

test('a rejected session token never reaches the log or the error: the library quotes it whole', async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  const auth = createShopifyAuth({ apiKey, apiSecret, logger });
  // Another app's token is a valid, live credential for that app: it must not be written down here.
  const token = sessionToken({ ...claimsFor('demo.myshopify.com'), aud: 'other-app' }, 'other-secret');
  const rejected = await auth.verifySessionToken(token);
  assert.ok(!rejected.ok);
  assert.equal(lines.length, 1);
  const signature = token.split('.')[2]!;
  for (const text of [lines[0]!, rejected.error.message, JSON.stringify(rejected.error.toJSON())]) {
    assert.ok(!text.includes(signature), `token leaked: ${text}`);
  }
  assert.match(rejected.error.message, /\[session token\]/);
});

test('a session token must expire, and its iss must name the shop in dest', async () => {
  const auth = createShopifyAuth({ apiKey, apiSecret });
  const { exp: _exp, ...noExpiry } = claimsFor('demo.myshopify.com');
  const endless = await auth.verifySessionToken(sessionToken(noExpiry));
  assert.ok(!endless.ok);
  assert.equal(endless.error.code, 'SHOPIFY_SESSION_TOKEN_INVALID');
  const crossed = await auth.verifySessionToken(
    sessionToken({ ...claimsFor('victim.myshopify.com'), iss: 'https://attacker.myshopify.com/admin' }),
  );
  assert.ok(!crossed.ok);
  assert.match(crossed.error.message, /different shops/);
  const unparseable = await auth.verifySessionToken(
    sessionToken({ ...claimsFor('demo.myshopify.com'), dest: 'not a url' }),
  );
  assert.ok(!unparseable.ok);
});

forEachEngine('Shopify tokens', (_engine, open) => {
  test('token exchange, stored encrypted; refreshed before expiry with the refresh token rotated', async (t) => {
    const { storage } = await open(t);
    const server = await tokenServer();
    t.after(server.close);
    let now = new Date('2026-11-25T12:00:00Z');
    const auth = createShopifyAuth({ apiKey, apiSecret, endpoint: server.url, clock: () => now });
    const store = createTokenStore({ storage, encryptionKey: randomBytes(32), auth });

    const exchanged = await auth.exchangeSessionToken(
      'demo.myshopify.com',
      sessionToken(claimsFor('demo.myshopify.com')),
    );
    assert.ok(exchanged.ok);
    assert.equal(exchanged.value.accessToken, 'shpat_1');
    assert.equal(exchanged.value.expiresAt?.toISOString(), '2026-11-25T13:00:00.000Z');
    assert.equal(server.requests[0]!.requested_token_type, 'urn:shopify:params:oauth:token-type:offline-access-token');
    assert.equal(server.requests[0]!.expiring, '1');
    await store.save('demo.myshopify.com', exchanged.value);

    const row = await storage.db.selectFrom('shopify_tokens').selectAll().executeTakeFirstOrThrow();
    assert.ok(!row.access_token.includes('shpat_1') && !row.refresh_token!.includes('shprt_1'));

    const fresh = await store.accessTokenFor('demo.myshopify.com');
    assert.ok(fresh.ok);
    assert.equal(fresh.value, 'shpat_1');
    assert.equal(server.requests.length, 1);

    // 57 minutes later the token is inside the 5-minute margin: both callers share one refresh.
    now = new Date('2026-11-25T12:57:00Z');
    const [a, b] = await Promise.all([
      store.accessTokenFor('demo.myshopify.com'),
      store.accessTokenFor('demo.myshopify.com'),
    ]);
    assert.ok(a.ok && b.ok);
    assert.equal(a.value, 'shpat_2');
    assert.equal(b.value, 'shpat_2');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      { grant: server.requests[1]!.grant_type, refresh: server.requests[1]!.refresh_token },
      { grant: 'refresh_token', refresh: 'shprt_1' },
    );
    const stored = await store.load('demo.myshopify.com');
    assert.ok(stored.ok);
    assert.equal(stored.value?.refreshToken, 'shprt_2');

    // The old refresh token was rotated away: using it again is refused by Shopify.
    const reused = await auth.refreshAccessToken('demo.myshopify.com', 'shprt_1');
    assert.ok(!reused.ok);
    assert.equal(reused.error.code, 'SHOPIFY_TOKEN_REFUSED');

    const missing = await store.accessTokenFor('other.myshopify.com');
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'SHOPIFY_NOT_CONNECTED');
  });
});
