import { type Kysely, sql } from 'kysely';
import { ConnectorError } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Migration } from './migration.ts';
import type { Engine } from './schema.ts';

const NAME = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Any fixed number: the first half of the two-key advisory lock that serialises migrations; the second half is the
// schema, so test schemas migrating side by side do not wait for each other.
const MIGRATION_LOCK_CLASS = 40_417;

/** Checks names and numbering; returns the migrations in number order. Bad input is a bug: it throws. */
export function orderMigrations(migrations: readonly Migration[]): Migration[] {
  const seen = new Map<string, string>();
  for (const migration of migrations) {
    const match = NAME.exec(migration.name);
    if (!match) throw new Error(`Migration name ${JSON.stringify(migration.name)} is not NNNN-area-what`);
    const other = seen.get(match[1]!);
    if (other) throw new Error(`Migrations ${other} and ${migration.name} share the number ${match[1]}`);
    seen.set(match[1]!, migration.name);
  }
  return [...migrations].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Runs the migrations not yet recorded in `schema_migrations`, in number order, all in one transaction (both
 * engines have transactional DDL), so a failed start-up leaves the schema as it was. On PostgreSQL an advisory lock
 * makes concurrent start-ups of several instances wait for each other; on SQLite the transaction starts with
 * BEGIN IMMEDIATE, which does the same across processes. Migrations are applied even when a higher number already
 * ran (areas number independently). Returns the names applied now.
 */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: the schema is whatever the database holds before migrating.
  db: Kysely<any>,
  engine: Engine,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<string[]> {
  const ordered = orderMigrations(migrations);
  return db.transaction().execute(async (trx) => {
    if (engine === 'postgres') {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext(current_schema()))`.execute(trx);
    }
    await trx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const rows: { name: string }[] = await trx.selectFrom('schema_migrations').select('name').execute();
    const applied = new Set(rows.map((row) => row.name));
    const known = new Set(ordered.map((m) => m.name));
    const unknown = [...applied].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new ConnectorError({
        code: 'STORAGE_SCHEMA_NEWER_THAN_CODE',
        message: `The database has migrations this version does not know: ${unknown.join(', ')}`,
        merchantMessage:
          'The connector data was last used by a newer version of the connector. Install that version (or newer) again; nothing has been changed.',
        merchantMustAct: true,
      });
    }
    const done: string[] = [];
    for (const migration of ordered) {
      if (applied.has(migration.name)) continue;
      logger?.info('applying migration', { migration: migration.name, engine });
      await migration.up(trx, { engine });
      await trx
        .insertInto('schema_migrations')
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      done.push(migration.name);
    }
    return done;
  });
}
