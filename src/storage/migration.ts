import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Engine } from './schema.ts';

/**
 * One versioned schema change. `name` is the file name without `.ts`: `NNNN-area-what` (e.g. `0002-outbox-entries`),
 * numbered in the area's range: 0001–0099 storage and outbox, 0100–0199 extract, 0200–0299 setup/sync/integration,
 * 0300–0399 Web Connector sessions. Written with Kysely's schema builder so both engines run it; `engine` is there for
 * the few column types that differ (see `generatedIdColumn`). A migration never changes once shipped.
 */
export interface Migration {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's Database type.
  up(db: Kysely<any>, context: { readonly engine: Engine }): Promise<void>;
}

/**
 * An integer primary key the database generates in insert order: `serial` on PostgreSQL, `integer primary key
 * autoincrement` on SQLite (AUTOINCREMENT so ids are never reused after deletes; order of ids = order of inserts).
 * Use: `.addColumn('id', ...generatedIdColumn(engine))`.
 */
export function generatedIdColumn(
  engine: Engine,
): [type: 'serial' | 'integer', build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return engine === 'postgres'
    ? ['serial', (column) => column.primaryKey()]
    : ['integer', (column) => column.primaryKey().autoIncrement()];
}
