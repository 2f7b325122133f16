/**
 * The connector's own server: keep-alive outlasts the Web Connector's idle reuse, headers and requests are
 * bounded, and a malformed address is a 400 on the JSON API and the SOAP endpoint alike.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { silentLogger } from '../logger/index.ts';
import { startConnector } from './app.ts';
import { SERVER_TIMEOUTS } from './http.ts';

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

test('the connector answers malformed addresses with 400 and keeps connections alive past QBWC’s idle reuse', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-app-http-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({ DATA_DIR: dir, PORT: '0', ADMIN_API_TOKEN: 'x'.repeat(32), LOG_LEVEL: 'silent' }, dir);
  assert.ok(config.ok);
  const app = await startConnector(config.value, { logger: silentLogger, startScheduler: false });
  t.after(() => app.close());

  assert.equal(app.server.keepAliveTimeout, SERVER_TIMEOUTS.keepAliveMs);
  assert.ok(app.server.keepAliveTimeout >= 120_000);
  assert.equal(app.server.headersTimeout, SERVER_TIMEOUTS.headersMs);
  assert.equal(app.server.requestTimeout, SERVER_TIMEOUTS.requestMs);

  const badEscape = await fetch(`${app.url}/api/shops/%E0%A4%A/attention`, {
    headers: { authorization: `Bearer ${'x'.repeat(32)}` },
  });
  assert.equal(badEscape.status, 400);
  assert.equal(((await badEscape.json()) as { error: { code: string } }).error.code, 'HTTP_BAD_URL');
  const port = Number(new URL(app.url).port);
  assert.match(await raw(port, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400/);
  assert.match(await raw(port, 'GET /qbwc?%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200/);
  assert.equal((await fetch(`${app.url}/healthz`)).status, 200, 'still serving');
});
