import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness } from '../../e2e/harness.test-support.ts';
import { freePort } from '../../server/index.ts';
import { cli } from '../cli.test-support.ts';
import { unexpectedError } from '../main.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('serve --port and --data-dir: a real process listens there and names its database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-flags-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const node = join(process.cwd(), 'node_modules/.bin/node');
  const child = spawn(
    node,
    [join(import.meta.dirname, '../main.ts'), 'serve', '--port', String(port), '--data-dir', join(dir, 'here')],
    { env: { PATH: process.env.PATH, HOME: dir, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/listening on/.test(stdout)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    assert.match(stdout, new RegExp(`Created a new connector database at ${join(dir, 'here', 'connector.sqlite')}\\.`));
    assert.match(stdout, new RegExp(`listening on http://127\\.0\\.0\\.1:${port} \\(sqlite: ${join(dir, 'here')}`));
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

test('the database is found whatever the folder, and a missing or unusable one is one plain line', async () => {
  const home = mkdtempSync(join(tmpdir(), 'qbd-home-'));
  try {
    const env = { HOME: home, LOG_LEVEL: 'silent' };
    const missing = await cli(['status', '--shop', 'a-shop.myshopify.com'], env, { cwd: tmpdir() });
    assert.equal(missing.code, 2);
    assert.equal(
      missing.stderr,
      `No connector database at ${join(home, '.local/share/qbd-connector/connector.sqlite')}. Register the shop first (npx qbd-connector setup register creates it), or point at your database: --data-dir DIR (DATA_DIR), --database-url URL (DATABASE_URL).\n`,
    );
    const port = await closedPort();
    const refused = await cli(
      ['status', '--shop', 'a-shop.myshopify.com', '--database-url', `postgres://postgres:secret@127.0.0.1:${port}/x`],
      { ...env, ENCRYPTION_KEY: 'ab'.repeat(32) },
    );
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `PostgreSQL refused the connection at postgres://postgres:***@127.0.0.1:${port}/x: is the server running there? Start it, or correct --database-url (DATABASE_URL).\n`,
    );
    const noValue = await cli(['status', '--data-dir'], env);
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /^--data-dir needs a value/);
    assert.match(
      unexpectedError(new Error('boom'), {}),
      /^qbd-connector stopped on an unexpected error: boom\n.*LOG_LEVEL=debug/,
    );
    assert.doesNotMatch(unexpectedError(new Error('boom'), {}), /at /, 'no stack trace');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('serve on a port in use says so in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-busy-'));
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  try {
    const port = (busy.address() as { port: number }).port;
    const result = await cli(['serve', '--port', String(port), '--data-dir', dir], { LOG_LEVEL: 'silent' });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `Cannot listen on 127.0.0.1:${port}: the port is in use (another connector running?). Stop it, or choose another port with --port (PORT).\n`,
    );
  } finally {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not registered names the database; interactive commands fail fast on an unreachable Shopify, saying where and why', async (t) => {
  const h = await startHarness(t, { orders: 12, seed: 'unreachable' });
  // LOG_LEVEL as a person leaves it: unset.
  const { LOG_LEVEL: _level, ...env } = h.env;
  const unknown = await cli(['status', '--shop', 'other-shop.myshopify.com'], env, { cwd: tmpdir() });
  assert.equal(unknown.code, 1);
  assert.match(
    unknown.stderr,
    new RegExp(
      `not registered in the connector database at ${h.env.SQLITE_PATH!.replace(/[.]/g, '\\.')}\\..*--data-dir DIR or --database-url URL`,
    ),
  );
  await h.setupThroughOptions();
  const port = await closedPort();
  const away = { ...env, SHOPIFY_API_BASE_URL: `http://127.0.0.1:${port}` };
  const shop = ['--shop', h.shop.domain];
  const started = Date.now();
  const show = await cli(['setup', 'options', ...shop, '--show'], away, { cwd: h.dir });
  assert.equal(show.code, 1);
  assert.equal(
    show.stderr,
    `Shopify could not be reached at http://127.0.0.1:${port}: the connection was refused (nothing listens there) [ECONNREFUSED]. Check SHOPIFY_API_BASE_URL. [SHOPIFY_UNAVAILABLE]\n`,
    'one line: no JSON retry lines, no “nothing was lost”',
  );
  assert.equal((await h.api(`/api/shops/${h.shop.domain}/setup/start`, { method: 'POST' })).status, 201);
  for (let i = 0; i < 100 && (await h.app.sync.history(h.shop.id))[0]?.state === 'preparing'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const sync = await cli(['sync', ...shop], away, { cwd: h.dir });
  assert.equal(sync.code, 1);
  assert.match(
    sync.stdout,
    new RegExp(
      `\\nSync 2 failed: Shopify could not be reached at http://127\\.0\\.0\\.1:${port}: the connection was refused .*\\[SHOPIFY_UNAVAILABLE\\]\\n$`,
    ),
  );
  assert.equal(sync.stderr, '', 'no JSON retry lines');
  assert.ok(Date.now() - started < 15_000, `both answered within seconds (${Date.now() - started} ms)`);
});
