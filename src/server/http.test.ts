import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { BodyTooLargeError, createRouter, readBody, sendError, sendJson } from './http.ts';

test('router matches methods and params; bodies are size-limited', async (t) => {
  const router = createRouter()
    .add('GET', '/api/shops/:shop/status', (_req, res, params) => sendJson(res, 200, { shop: params.shop, n: 10n }))
    .add('POST', '/echo', async (req, res) => {
      try {
        const body = await readBody(req, 16);
        sendJson(res, 200, { length: body.length });
      } catch (error) {
        if (error instanceof BodyTooLargeError) sendError(res, 413, error);
        else throw error;
      }
    });
  const server = createServer((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { error: { code: 'NOT_FOUND' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const status = await fetch(`${base}/api/shops/my%20shop/status`);
  assert.equal(status.status, 200);
  assert.deepEqual(await status.json(), { shop: 'my shop', n: '10' });

  assert.equal((await fetch(`${base}/api/shops/x/status`, { method: 'DELETE' })).status, 405);
  assert.equal((await fetch(`${base}/nothing`)).status, 404);

  const small = await fetch(`${base}/echo`, { method: 'POST', body: 'hello' });
  assert.deepEqual(await small.json(), { length: 5 });
  const big = await fetch(`${base}/echo`, { method: 'POST', body: 'x'.repeat(100) });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'HTTP_BODY_TOO_LARGE');
});
