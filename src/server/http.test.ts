import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { test } from 'node:test';
import {
  applyServerTimeouts,
  BadUrlError,
  BodyTooLargeError,
  createRouter,
  readBody,
  SERVER_TIMEOUTS,
  sendError,
  sendJson,
} from './http.ts';

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

test('a malformed % escape or request target is a 400, not a 500, and the server keeps serving', async (t) => {
  const router = createRouter().add('GET', '/api/shops/:shop/status', (_req, res, params) =>
    sendJson(res, 200, { shop: params.shop }),
  );
  const server = createServer((req, res) => {
    router.handle(req, res).then(
      (handled) => {
        if (!handled) sendJson(res, 404, { error: { code: 'NOT_FOUND' } });
      },
      (error: unknown) => {
        if (error instanceof BadUrlError) sendError(res, 400, error);
        else sendJson(res, 500, { error: { code: 'INTERNAL' } });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const bad = await fetch(`http://127.0.0.1:${port}/api/shops/%E0%A4%A/status`);
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'HTTP_BAD_URL');
  const raw = await rawRequest(port, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 400/);
  const good = await fetch(`http://127.0.0.1:${port}/api/shops/a%20b/status`);
  assert.deepEqual(await good.json(), { shop: 'a b' });
});

test('server time-outs: an idle keep-alive connection outlives a pause, a client that never finishes its headers is cut off', async (t) => {
  let connections = 0;
  const server = applyServerTimeouts(
    createServer({ connectionsCheckingInterval: 50 }, (_req, res) => sendJson(res, 200, { ok: true })),
    { keepAliveMs: 800, headersMs: 300, requestMs: 2000 },
  );
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  // One socket, two requests with a pause longer than the header time-out but within keep-alive between them.
  const answers = await new Promise<string[]>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const seen: string[] = [];
    let buffer = '';
    const request = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // sendJson answers chunked: a response ends with the last, empty chunk.
      if (!buffer.endsWith('\r\n0\r\n\r\n')) return;
      seen.push(buffer.split('\r\n')[0]!);
      buffer = '';
      if (seen.length === 1) setTimeout(() => socket.write(request), 500);
      else socket.end();
    });
    socket.on('close', () => resolve(seen));
    socket.on('error', reject);
  });
  assert.deepEqual(answers, ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  assert.equal(connections, 1, 'the second request came on the same connection after the pause');

  const started = Date.now();
  const slow = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: x\r\n', { keepOpen: true });
  assert.match(slow, /^HTTP\/1\.1 408|^$/, 'answered 408 (or simply closed)');
  assert.ok(Date.now() - started < 1500, `cut off after ${Date.now() - started} ms`);

  assert.deepEqual(SERVER_TIMEOUTS, { keepAliveMs: 125_000, headersMs: 30_000, requestMs: 300_000 });
  assert.ok(SERVER_TIMEOUTS.keepAliveMs >= 120_000, 'longer than QBWC keeps an idle connection (100 s)');
});

/** Sends `text` on a raw socket and resolves with everything the server answered before it closed. */
function rawRequest(port: number, text: string, options: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      if (options.keepOpen) socket.write(text);
      else socket.end(text);
    });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
