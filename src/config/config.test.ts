import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultDataDir, loadConfig } from './config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'qbd-config-'));

test('defaults: SQLite in the user’s data folder (whatever the current folder), a generated owner-only key', () => {
  const home = tmp();
  const cwd = tmp();
  const result = loadConfig({ HOME: home }, cwd, { platform: 'linux' });
  assert.ok(result.ok);
  const dataDir = join(home, '.local', 'share', 'qbd-connector');
  assert.equal(result.value.dataDir, dataDir);
  assert.deepEqual(result.value.database, { engine: 'sqlite', sqlitePath: join(dataDir, 'connector.sqlite') });
  assert.equal(result.value.publicUrl, 'http://localhost:8080');
  assert.equal(result.value.encryptionKey.length, 32);
  const keyFile = join(dataDir, 'encryption.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  // The same key is read back on the next start, from another folder too.
  const again = loadConfig({ HOME: home }, tmp(), { platform: 'linux' });
  assert.ok(again.ok);
  assert.equal(again.value.encryptionKey.toString('hex'), readFileSync(keyFile, 'utf8').trim());
  assert.equal(defaultDataDir({ HOME: '/home/ada', XDG_DATA_HOME: '/data' }, 'linux'), '/data/qbd-connector');
  assert.equal(
    defaultDataDir({ HOME: '/Users/ada' }, 'darwin'),
    '/Users/ada/Library/Application Support/qbd-connector',
  );
  assert.equal(
    defaultDataDir({ USERPROFILE: 'C:\\Users\\ada', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32'),
    join('C:\\Users\\ada\\AppData\\Local', 'qbd-connector'),
  );
  // DATA_DIR relative to the current folder, as given.
  const relative = loadConfig({ DATA_DIR: 'here' }, cwd);
  assert.ok(relative.ok);
  assert.equal(relative.value.dataDir, join(cwd, 'here'));
});

test('a key file other users can read is refused with the command that fixes it', () => {
  const dir = tmp();
  assert.ok(loadConfig({ DATA_DIR: dir }, dir).ok);
  const keyFile = join(dir, 'encryption.key');
  chmodSync(keyFile, 0o644);
  const loose = loadConfig({ DATA_DIR: dir }, dir, { platform: 'linux' });
  assert.ok(!loose.ok);
  assert.equal(loose.error[0]!.code, 'CONFIG_ENCRYPTION_KEY_PERMISSIONS');
  assert.equal(
    loose.error[0]!.merchantMessage,
    `${keyFile} can be read by other users of this computer (permissions 644); make it yours alone: chmod 600 ${keyFile}`,
  );
  chmodSync(keyFile, 0o600);
  assert.ok(loadConfig({ DATA_DIR: dir }, dir, { platform: 'linux' }).ok);
});

test('a data folder that cannot be made, and a port that is not one, are one plain problem each', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'a-file'), 'x');
  const result = loadConfig({ DATA_DIR: join(dir, 'a-file', 'data'), PORT: 'abc' }, dir);
  assert.ok(!result.ok);
  assert.deepEqual(
    result.error.map((e) => e.code),
    ['CONFIG_PORT', 'CONFIG_DATA_DIR'],
    'no PUBLIC_URL problem made of the bad port, no key problem made of the bad folder',
  );
  assert.match(
    result.error[1]!.merchantMessage,
    /cannot be created: a part of the path is a file, not a folder\. Choose a folder you can write to \(--data-dir or DATA_DIR\)\.$/,
  );
});

test('a data folder under /proc is a plain problem at once, not a start that never returns', {
  skip: !existsSync('/proc/self') && 'no /proc here',
}, () => {
  const result = loadConfig({ DATA_DIR: '/proc/qbd-connector/data' }, tmp());
  assert.ok(!result.ok);
  assert.deepEqual(
    result.error.map((e) => e.code),
    ['CONFIG_DATA_DIR'],
  );
  assert.match(result.error[0]!.merchantMessage, /^The data folder \/proc\/qbd-connector\/data cannot be created: /);
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
      HOME: tmp(),
    },
    tmp(),
  );
  assert.ok(result.ok);
  assert.deepEqual(result.value.database, { engine: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' });
  assert.equal(result.value.publicUrl, 'https://c.example.com');
});

test('PostgreSQL without ENCRYPTION_KEY refuses to start and says why: no instance makes a key of its own', () => {
  const cwd = tmp();
  const result = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', HOME: cwd }, cwd);
  assert.ok(!result.ok);
  const problem = result.error.find((e) => e.code === 'CONFIG_ENCRYPTION_KEY_REQUIRED');
  assert.ok(problem, result.error.map((e) => e.code).join(', '));
  assert.match(problem.merchantMessage, /every connector instance on that database must use the same key/);
  assert.match(problem.merchantMessage, /openssl rand -hex 32/);
  assert.equal(existsSync(join(cwd, '.local/share/qbd-connector/encryption.key')), false, 'no key of its own was made');
});
