import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'qbd-config-'));

test('defaults run on SQLite under ./data with a generated owner-only encryption key', () => {
  const cwd = tmp();
  const result = loadConfig({}, cwd);
  assert.ok(result.ok);
  assert.deepEqual(result.value.database, { engine: 'sqlite', sqlitePath: join(cwd, 'data', 'connector.sqlite') });
  assert.equal(result.value.publicUrl, 'http://localhost:8080');
  assert.equal(result.value.encryptionKey.length, 32);
  const keyFile = join(cwd, 'data', 'encryption.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  // The same key is read back on the next start.
  const again = loadConfig({}, cwd);
  assert.ok(again.ok);
  assert.equal(again.value.encryptionKey.toString('hex'), readFileSync(keyFile, 'utf8').trim());
});

test('every problem is reported at once, in plain words', () => {
  const result = loadConfig(
    {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      PUBLIC_URL: 'http://connector.example.com',
      LOG_LEVEL: 'loud',
      ENCRYPTION_KEY: 'short',
      SHOPIFY_ACCESS_TOKEN: 'shpat_x',
    },
    tmp(),
  );
  assert.ok(!result.ok);
  const codes = result.error.map((e) => e.code).sort();
  assert.deepEqual(codes, [
    'CONFIG_DATABASE_URL',
    'CONFIG_ENCRYPTION_KEY',
    'CONFIG_LOG_LEVEL',
    'CONFIG_PORT',
    'CONFIG_PUBLIC_URL',
    'CONFIG_SHOPIFY_SHOP',
  ]);
  assert.match(result.error.find((e) => e.code === 'CONFIG_PUBLIC_URL')!.merchantMessage, /https/);
});

test('PostgreSQL is used when DATABASE_URL is set', () => {
  const result = loadConfig(
    {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PUBLIC_URL: 'https://c.example.com/',
      ENCRYPTION_KEY: 'ab'.repeat(32),
    },
    tmp(),
  );
  assert.ok(result.ok);
  assert.deepEqual(result.value.database, { engine: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' });
  assert.equal(result.value.publicUrl, 'https://c.example.com');
});

test('PostgreSQL without ENCRYPTION_KEY refuses to start and says why: no instance makes a key of its own', () => {
  const cwd = tmp();
  const result = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, cwd);
  assert.ok(!result.ok);
  const problem = result.error.find((e) => e.code === 'CONFIG_ENCRYPTION_KEY_REQUIRED');
  assert.ok(problem, result.error.map((e) => e.code).join(', '));
  assert.match(problem.merchantMessage, /every connector instance on that database must use the same key/);
  assert.match(problem.merchantMessage, /openssl rand -hex 32/);
  assert.equal(existsSync(join(cwd, 'data', 'encryption.key')), false, 'no key of its own was made');
});
