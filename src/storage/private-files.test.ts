/**
 * The data folder is 0700 and every file in it 0600 whatever the umask: the configuration's folder and key, the
 * SQLite database and the WAL and shared-memory files SQLite makes beside it — and an older install's wider
 * permissions are tightened when the connector next opens its data.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { openDatabase } from './index.ts';
import { ensurePrivateDirectory } from './private-files.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

async function openAndWrite(sqlitePath: string): Promise<void> {
  const storage = await openDatabase({ sqlitePath });
  try {
    await storage.db.selectFrom('shops').select('id').execute();
  } finally {
    await storage.close();
  }
}

for (const umask of [0o022, 0o000, 0o077]) {
  test(`umask ${umask.toString(8).padStart(3, '0')}: data folder 0700, key, database, WAL and SHM 0600`, async (t) => {
    const cwd = mkdtempSync(join(tmpdir(), 'qbd-perm-'));
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    const previous = process.umask(umask);
    t.after(() => process.umask(previous));
    const config = loadConfig({ DATA_DIR: join(cwd, 'data') }, cwd);
    assert.ok(config.ok);
    assert.equal(config.value.database.engine, 'sqlite');
    const sqlitePath = config.value.database.engine === 'sqlite' ? config.value.database.sqlitePath : '';
    const storage = await openDatabase({ sqlitePath });
    // Keep it open while looking: the WAL and shared-memory files exist only while a connection does.
    t.after(() => storage.close());
    await storage.db.selectFrom('shops').select('id').execute();
    const dataDir = join(cwd, 'data');
    assert.equal(mode(dataDir).toString(8), '700');
    const files = readdirSync(dataDir).sort();
    assert.ok(files.includes('connector.sqlite-wal') && files.includes('connector.sqlite-shm'), files.join(', '));
    for (const file of files) assert.equal(mode(join(dataDir, file)).toString(8), '600', file);
  });
}

test('an older install’s data folder and database with wider permissions are tightened; a key file others can read is refused', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'qbd-perm-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const dataDir = join(cwd, 'data');
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o755);
  const sqlitePath = join(dataDir, 'connector.sqlite');
  await openAndWrite(sqlitePath);
  for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o644);
  writeFileSync(join(dataDir, 'encryption.key'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
  chmodSync(dataDir, 0o755);

  // The key may already have been read by someone else: that is the owner's to decide, with the command that fixes it.
  const refused = loadConfig({ DATA_DIR: dataDir }, cwd, { platform: 'linux' });
  assert.ok(!refused.ok);
  assert.equal(refused.error[0]!.code, 'CONFIG_ENCRYPTION_KEY_PERMISSIONS');
  assert.match(refused.error[0]!.merchantMessage, /chmod 600 /);
  chmodSync(join(dataDir, 'encryption.key'), 0o600);
  const config = loadConfig({ DATA_DIR: dataDir }, cwd);
  assert.ok(config.ok);
  await openAndWrite(sqlitePath);
  assert.equal(mode(dataDir).toString(8), '700');
  for (const file of readdirSync(dataDir)) assert.equal(mode(join(dataDir, file)).toString(8), '600', file);
});

test('a folder that is not the connector’s (DATA_DIR pointed at a home folder) keeps its permissions', (t) => {
  const home = mkdtempSync(join(tmpdir(), 'qbd-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  chmodSync(home, 0o755);
  writeFileSync(join(home, 'notes.txt'), 'mine');
  ensurePrivateDirectory(home);
  assert.equal(mode(home).toString(8), '755');
});
