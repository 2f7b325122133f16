import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { ConnectorError } from '../errors/index.ts';
import { forEachEngine, TEST_DATABASE_URL } from './engines.test-support.ts';
import { orderMigrations } from './migrate.ts';
import type { Migration } from './migration.ts';
import { generatedIdColumn } from './migration.ts';
import { migrations } from './migrations/index.ts';
import { inTransaction, openDatabase } from './open.ts';

function tempFile(t: { after: (fn: () => void) => void }): string {
  const folder = mkdtempSync(join(tmpdir(), 'qbd-storage-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'nested', 'connector.sqlite');
}

const counterMigration: Migration = {
  name: '0050-storage-probe',
  async up(db, { engine }) {
    await db.schema
      .createTable('probe')
      .addColumn('id', ...generatedIdColumn(engine))
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();
  },
};

test('SQLite opens in WAL mode with foreign keys on and a busy timeout, creating the folder', async (t) => {
  const path = tempFile(t);
  const storage = await openDatabase({ sqlitePath: path });
  t.after(() => storage.close());
  assert.equal(storage.engine, 'sqlite');
  const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(storage.db);
  assert.equal(mode.rows[0]!.journal_mode, 'wal');
  const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(storage.db);
  assert.equal(keys.rows[0]!.foreign_keys, 1);
  const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(storage.db);
  assert.ok(timeout.rows[0]!.timeout >= 1000);
});

test('migrations run once: re-opening applies nothing and the record lists every migration', async (t) => {
  const path = tempFile(t);
  const first = await openDatabase({ sqlitePath: path });
  const names = (await first.db.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map(
    (r) => r.name,
  );
  assert.deepEqual(names, migrations.map((m) => m.name).sort());
  await first.close();
  const lines: string[] = [];
  const { createLogger } = await import('../logger/index.ts');
  const second = await openDatabase({ sqlitePath: path, logger: createLogger({ write: (l) => lines.push(l) }) });
  t.after(() => second.close());
  const opened = lines.map((l) => JSON.parse(l)).find((r) => r.message === 'database open');
  assert.equal(opened.migrationsApplied, 0);
});

test('a database migrated by a newer version is refused with a plain message', async (t) => {
  const path = tempFile(t);
  const newer = await openDatabase({ sqlitePath: path, migrations: [...migrations, counterMigration] });
  await newer.close();
  await assert.rejects(openDatabase({ sqlitePath: path }), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'STORAGE_SCHEMA_NEWER_THAN_CODE');
    assert.match(error.message, /0050-storage-probe/);
    assert.equal(error.merchantMustAct, true);
    return true;
  });
});

test('migration names must be NNNN-area-what with unique numbers; order is by number', () => {
  const make = (name: string): Migration => ({ name, up: async () => {} });
  assert.throws(() => orderMigrations([make('1-bad')]), /NNNN-area-what/);
  assert.throws(() => orderMigrations([make('0003-a-b'), make('0003-c-d')]), /share the number 0003/);
  assert.deepEqual(
    orderMigrations([make('0300-qbwc-sessions'), make('0002-outbox-x'), make('0101-extract-y')]).map((m) => m.name),
    ['0002-outbox-x', '0101-extract-y', '0300-qbwc-sessions'],
  );
});

test('a non-PostgreSQL URL is refused as a configuration problem', async () => {
  await assert.rejects(openDatabase({ url: 'mysql://root@localhost/db' }), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'STORAGE_URL_UNSUPPORTED');
    return true;
  });
});

test('an unreachable PostgreSQL fails with STORAGE_OPEN_FAILED and never shows the password', async () => {
  await assert.rejects(
    openDatabase({ url: 'postgres://postgres:sekrit@127.0.0.1:1/nowhere', migrations: [] }),
    (error: unknown) => {
      assert.ok(error instanceof ConnectorError);
      assert.equal(error.code, 'STORAGE_OPEN_FAILED');
      assert.equal(error.retryable, true);
      assert.ok(!error.message.includes('sekrit'));
      return true;
    },
  );
});

forEachEngine('storage framework', (engine, open) => {
  test('a failing migration leaves nothing behind', async (t) => {
    const { storage } = await open(t);
    const broken: Migration = {
      name: '0051-storage-broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        throw new Error('boom');
      },
    };
    // A second handle on the same database, with one more (failing) migration.
    const { runMigrations } = await import('./migrate.ts');
    // biome-ignore lint/suspicious/noExplicitAny: probing tables outside the typed schema.
    const anyDb = storage.db as unknown as Kysely<any>;
    await assert.rejects(runMigrations(anyDb, engine, [...migrations, broken]), /boom/);
    const recorded = await storage.db
      .selectFrom('schema_migrations')
      .select('name')
      .where('name', '=', '0051-storage-broken')
      .execute();
    assert.equal(recorded.length, 0);
    await assert.rejects(anyDb.selectFrom('half_done').selectAll().execute());
  });

  test('transactions commit on success and roll back on throw', async (t) => {
    const { storage } = await open(t);
    const now = new Date().toISOString();
    const shop = { domain: 'a.myshopify.com', name: 'A', currency: 'USD', time_zone: 'UTC', settings: '{}' };
    await storage.transaction(async ({ db }) => {
      await db
        .insertInto('shops')
        .values({ id: 's1', ...shop, created_at: now, updated_at: now })
        .execute();
    });
    await assert.rejects(
      storage.transaction(async ({ db }) => {
        await db
          .insertInto('shops')
          .values({ id: 's2', ...shop, domain: 'b.myshopify.com', created_at: now, updated_at: now })
          .execute();
        throw new Error('undo');
      }),
      /undo/,
    );
    const ids = (await storage.db.selectFrom('shops').select('id').execute()).map((r) => r.id);
    assert.deepEqual(ids, ['s1']);
  });

  test('inTransaction joins an open transaction instead of starting another', async (t) => {
    const { storage } = await open(t);
    const now = new Date().toISOString();
    await assert.rejects(
      storage.transaction(async (outer) => {
        await inTransaction(outer, async (inner) => {
          assert.equal(inner.db, outer.db);
          await inner.db
            .insertInto('shops')
            .values({
              id: 's1',
              domain: 'a.myshopify.com',
              name: 'A',
              currency: 'USD',
              time_zone: 'UTC',
              settings: '{}',
              created_at: now,
              updated_at: now,
            })
            .execute();
        });
        throw new Error('outer fails');
      }),
    );
    assert.equal((await storage.db.selectFrom('shops').select('id').execute()).length, 0);
  });

  test('concurrent read-modify-write transactions do not lose updates', async (t) => {
    const { storage } = await open(t);
    // biome-ignore lint/suspicious/noExplicitAny: probing tables outside the typed schema.
    const anyDb = storage.db as unknown as Kysely<any>;
    const { runMigrations } = await import('./migrate.ts');
    await runMigrations(anyDb, engine, [...migrations, counterMigration]);
    await anyDb.insertInto('probe').values({ value: 0 }).execute();
    const bump = () =>
      storage.transaction(async ({ db }) => {
        // biome-ignore lint/suspicious/noExplicitAny: as above.
        const trx = db as unknown as Kysely<any>;
        let query = trx.selectFrom('probe').select(['id', 'value']);
        if (engine === 'postgres') query = query.forUpdate();
        const row = await query.executeTakeFirstOrThrow();
        await new Promise((r) => setImmediate(r));
        await trx
          .updateTable('probe')
          .set({ value: row.value + 1 })
          .where('id', '=', row.id)
          .execute();
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const final = await anyDb.selectFrom('probe').select('value').executeTakeFirstOrThrow();
    assert.equal(final.value, 20);
  });
});

test('PostgreSQL: concurrent start-ups on one fresh schema migrate exactly once', async (t) => {
  const schema = `test_startup_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  t.after(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });
  const instances = await Promise.all(
    Array.from({ length: 5 }, () => openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 1 })),
  );
  t.after(() => Promise.all(instances.map((s) => s.close())));
  const rows = await instances[0]!.db.selectFrom('schema_migrations').select('name').execute();
  assert.equal(rows.length, migrations.length);
  const tables = await admin.query('select count(*)::int as n from information_schema.tables where table_schema = $1', [
    schema,
  ]);
  assert.ok(tables.rows[0].n >= 9);
});
