/**
 * Test helpers: every test gets its own fresh, migrated database, on either engine, dropped afterwards.
 * - SQLite: a new file in a temporary folder (removed afterwards).
 * - PostgreSQL: a new schema on `TEST_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/test), used through
 *   search_path, dropped with everything in it afterwards.
 * `forEachEngine` runs one suite on both engines (restrict with STORAGE_TEST_ENGINES=sqlite or =postgres).
 * When PostgreSQL is unreachable the PostgreSQL tests fail and say so; they never pass silently.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext } from 'node:test';
import pg from 'pg';
import { type OpenDatabaseOptions, openDatabase, type Storage } from './open.ts';
import type { Engine } from './schema.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** The open storage; closed automatically when the test ends. */
  storage: Storage;
  /**
   * Opens another, independent handle on the same database (another "server instance"); closed automatically.
   * On SQLite it is a second connection in this process: node:sqlite waits for a lock synchronously, so never hold a
   * transaction open on one handle while the other needs to write (it would stall until busy_timeout and fail).
   * Several sessions in one process share one Storage instead.
   */
  openAnother(options?: Pick<OpenDatabaseOptions, 'poolSize'>): Promise<Storage>;
}

type Cleanup = (fn: () => Promise<void>) => void;

/** A fresh database for one test. `t` (a node:test context) closes and drops it when the test ends. */
export async function openTestDatabase(t: Pick<TestContext, 'after'>, engine: Engine): Promise<TestDatabase> {
  const cleanups: (() => Promise<void>)[] = [];
  const onCleanup: Cleanup = (fn) => cleanups.push(fn);
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return engine === 'sqlite' ? openSqlite(onCleanup) : openPostgres(onCleanup);
}

async function openSqlite(onCleanup: Cleanup): Promise<TestDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'qbd-connector-test-'));
  onCleanup(async () => rmSync(folder, { recursive: true, force: true }));
  const sqlitePath = join(folder, 'test.sqlite');
  const open = async () => {
    const storage = await openDatabase({ sqlitePath });
    onCleanup(() => storage.close());
    return storage;
  };
  return { storage: await open(), openAnother: open };
}

async function openPostgres(onCleanup: Cleanup): Promise<TestDatabase> {
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests need a server at ${TEST_DATABASE_URL} (user postgres, trust auth, database test); ` +
        `could not connect: ${(error as Error).message}`,
    );
  }
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await dropper.connect();
    try {
      await dropper.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await dropper.end();
    }
  });
  const open = async (options: Pick<OpenDatabaseOptions, 'poolSize'> = {}) => {
    const storage = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: options.poolSize ?? 4 });
    onCleanup(() => storage.close());
    return storage;
  };
  return { storage: await open(), openAnother: open };
}

export function testEngines(): Engine[] {
  const chosen = process.env.STORAGE_TEST_ENGINES;
  if (!chosen) return ['sqlite', 'postgres'];
  const engines = chosen.split(',').map((e) => e.trim());
  for (const engine of engines) {
    if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`STORAGE_TEST_ENGINES: unknown engine ${engine}`);
  }
  return engines as Engine[];
}

/**
 * Declares `suite` once per engine, as `describe('<title> [sqlite]')` and `describe('<title> [postgres]')`.
 * Inside, `open(t)` gives the test its own fresh database.
 *
 *   forEachEngine('shops', (engine, open) => {
 *     test('creates a shop', async (t) => { const { storage } = await open(t); … });
 *   });
 */
export function forEachEngine(
  title: string,
  suite: (engine: Engine, open: (t: Pick<TestContext, 'after'>) => Promise<TestDatabase>) => void,
): void {
  for (const engine of testEngines()) {
    describe(`${title} [${engine}]`, () => suite(engine, (t) => openTestDatabase(t, engine)));
  }
}
