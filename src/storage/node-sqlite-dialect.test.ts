import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';

interface Probe {
  probe: { id: number; flag: number; at: string; note: string | null; blob: Uint8Array | null };
}

async function memoryDb(t: { after: (fn: () => Promise<void>) => void }): Promise<Kysely<Probe>> {
  const db = new Kysely<Probe>({ dialect: new NodeSqliteDialect({ path: ':memory:' }) });
  t.after(() => db.destroy());
  await db.schema
    .createTable('probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('flag', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('blob', 'blob')
    .execute();
  return db;
}

test('binds booleans as 0/1, dates as ISO text, bytes as blobs, and reports affected rows and insert ids', async (t) => {
  const db = await memoryDb(t);
  const when = new Date('2026-01-02T03:04:05.006Z');
  const inserted = await db
    .insertInto('probe')
    .values({
      id: 7,
      flag: true as unknown as number,
      at: when as unknown as string,
      note: null,
      blob: new Uint8Array([1, 2]),
    })
    .executeTakeFirst();
  assert.equal(inserted.insertId, 7n);
  const row = await db.selectFrom('probe').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.flag, 1);
  assert.equal(row.at, '2026-01-02T03:04:05.006Z');
  assert.equal(row.note, null);
  assert.deepEqual([...row.blob!], [1, 2]);
  const updated = await db.updateTable('probe').set({ note: 'x' }).where('id', '=', 7).executeTakeFirst();
  assert.equal(updated.numUpdatedRows, 1n);
  const returned = await db.updateTable('probe').set({ note: 'y' }).returning(['id', 'note']).execute();
  assert.deepEqual(returned, [{ id: 7, note: 'y' }]);
  await assert.rejects(
    db
      .insertInto('probe')
      .values({ id: 8, flag: 0, at: {} as unknown as string, note: null, blob: null })
      .execute(),
    /cannot bind a object/,
  );
});

test('streams select results row by row and rolls back nested savepoints', async (t) => {
  const db = await memoryDb(t);
  await db
    .insertInto('probe')
    .values([1, 2, 3].map((id) => ({ id, flag: 0, at: 'x', note: null, blob: null })))
    .execute();
  const ids: number[] = [];
  for await (const row of db.selectFrom('probe').select('id').orderBy('id').stream()) ids.push(row.id);
  assert.deepEqual(ids, [1, 2, 3]);

  const trx = await db.startTransaction().execute();
  await trx.deleteFrom('probe').where('id', '=', 1).execute();
  const inner = await trx.savepoint('inner').execute();
  await inner.deleteFrom('probe').where('id', '=', 2).execute();
  const afterRollback = await inner.rollbackToSavepoint('inner').execute();
  await afterRollback.commit().execute();
  const left = await sql<{ id: number }>`select id from probe order by id`.execute(db);
  assert.deepEqual(
    left.rows.map((r) => r.id),
    [2, 3],
  );
});
