import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createAdminGraphqlClient, retryAfterMs } from './graphql-client.ts';

type Handler = (
  body: { query: string; variables?: Record<string, unknown> },
  req: IncomingMessage,
) => {
  status?: number;
  headers?: Record<string, string>;
  json: unknown;
};

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void>; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(req.url ?? '');
      const answer = handler(JSON.parse(Buffer.concat(chunks).toString()), req);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths, close: () => new Promise((r) => server.close(() => r())) };
}

/** A leaky bucket like Shopify's: a query costing more than what is available is THROTTLED. */
function bucketServer(max: number, restorePerSecond: number, cost: number): Handler {
  let available = max;
  let at = Date.now();
  return () => {
    const t = Date.now();
    available = Math.min(max, available + ((t - at) / 1000) * restorePerSecond);
    at = t;
    const throttleStatus = {
      maximumAvailable: max,
      currentlyAvailable: Math.floor(available),
      restoreRate: restorePerSecond,
    };
    if (available < cost) {
      return {
        json: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
          extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus } },
        },
      };
    }
    available -= cost;
    return {
      json: {
        data: { ok: true },
        extensions: {
          cost: {
            requestedQueryCost: cost,
            actualQueryCost: cost,
            throttleStatus: { ...throttleStatus, currentlyAvailable: Math.floor(available) },
          },
        },
      },
    };
  };
}

test('requests go to the configured endpoint, versioned path, with the access token', async () => {
  let token = '';
  const server = await serve((_body, req) => {
    token = String(req.headers['x-shopify-access-token']);
    return { json: { data: { shop: { name: 'Demo' } } } };
  });
  try {
    const client = createAdminGraphqlClient({
      shopDomain: 'demo.myshopify.com',
      accessToken: 'shpat_x',
      endpoint: server.url,
    });
    const result = await client.request<{ shop: { name: string } }>('{ shop { name } }');
    assert.ok(result.ok);
    assert.equal(result.value.data.shop.name, 'Demo');
    assert.equal(token, 'shpat_x');
    assert.deepEqual(server.paths, ['/admin/api/2026-10/graphql.json']);
  } finally {
    await server.close();
  }
});

test('a tiny bucket makes the run slower, never failing: every request succeeds in the end', async () => {
  const server = await serve(bucketServer(100, 1000, 60));
  try {
    const client = createAdminGraphqlClient({
      shopDomain: 'demo.myshopify.com',
      accessToken: 't',
      endpoint: server.url,
    });
    const started = Date.now();
    for (let i = 0; i < 12; i++) {
      const result = await client.request('{ ok }');
      assert.ok(result.ok, 'a throttled request must not fail');
    }
    const elapsed = Date.now() - started;
    // 12 × 60 points from a 100-point bucket restoring 1000/s: at least (720 - 100) / 1000 s of waiting.
    assert.ok(elapsed >= 600, `expected pacing, took ${elapsed} ms`);
    assert.ok(client.stats().waitedMs > 0);
  } finally {
    await server.close();
  }
});

test('HTTP 429 with Retry-After and 503s are retried; a lasting outage is a retryable error', async () => {
  let calls = 0;
  const server = await serve(() => {
    calls += 1;
    if (calls === 1) return { status: 429, headers: { 'retry-after': '0.05' }, json: { errors: 'Too many' } };
    if (calls === 2) return { status: 503, json: { errors: 'Unavailable' } };
    return { json: { data: { ok: true } } };
  });
  try {
    const client = createAdminGraphqlClient({
      shopDomain: 'demo.myshopify.com',
      accessToken: 't',
      endpoint: server.url,
      backoffMs: 5,
    });
    const result = await client.request('{ ok }');
    assert.ok(result.ok);
    assert.equal(calls, 3);
    assert.deepEqual(
      { throttled: client.stats().throttledRetries, transient: client.stats().transientRetries },
      { throttled: 1, transient: 1 },
    );
  } finally {
    await server.close();
  }
  const down = await serve(() => ({ status: 502, json: {} }));
  try {
    const client = createAdminGraphqlClient({
      shopDomain: 'demo.myshopify.com',
      accessToken: 't',
      endpoint: down.url,
      backoffMs: 1,
      maxTransientRetries: 2,
    });
    const result = await client.request('{ ok }');
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'SHOPIFY_UNAVAILABLE');
    assert.equal(result.error.retryable, true);
    assert.equal(down.paths.length, 3);
  } finally {
    await down.close();
  }
});

test('401 asks the merchant to reconnect; other GraphQL errors are reported with their messages', async () => {
  const server = await serve((body) =>
    body.query.includes('bad')
      ? { json: { errors: [{ message: "Field 'bad' doesn't exist on type 'QueryRoot'" }] } }
      : { status: 401, json: { errors: '[API] Invalid API key or access token' } },
  );
  try {
    const client = createAdminGraphqlClient({
      shopDomain: 'demo.myshopify.com',
      accessToken: 't',
      endpoint: server.url,
    });
    const denied = await client.request('{ ok }');
    assert.ok(!denied.ok);
    assert.equal(denied.error.code, 'SHOPIFY_UNAUTHORIZED');
    assert.equal(denied.error.merchantMustAct, true);
    const bad = await client.request('{ bad }');
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'SHOPIFY_GRAPHQL_ERROR');
    assert.match(bad.error.message, /Field 'bad' doesn't exist/);
  } finally {
    await server.close();
  }
});

test('Retry-After accepts seconds and HTTP dates', () => {
  assert.equal(retryAfterMs('2.0'), 2000);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs('Wed, 25 Nov 2026 20:00:10 GMT', Date.parse('2026-11-25T20:00:00Z')), 10_000);
});
