import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { ConnectorError } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { runMigrations } from './migrate.ts';
import type { Migration } from './migration.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { ensurePrivateSqliteFile } from './private-files.ts';
import type { Database, Engine, Queryable, TransactionScope } from './schema.ts';

export const DEFAULT_SQLITE_PATH = './data/connector.sqlite';

export interface OpenDatabaseOptions {
  /** `postgres://…` or `postgresql://…`: use PostgreSQL. Absent: SQLite at `sqlitePath`. */
  url?: string;
  /** SQLite file (created with its folder when missing), or ':memory:'. Default `./data/connector.sqlite`. */
  sqlitePath?: string;
  /** PostgreSQL only: the schema to work in (search_path). Used by tests to isolate each test. */
  schema?: string;
  /** PostgreSQL only: connections in the pool (default 10). */
  poolSize?: number;
  logger?: Logger;
  /** Default: every migration in `src/storage/migrations/index.ts`. */
  migrations?: readonly Migration[];
}

export interface Storage extends Queryable {
  /** The path (SQLite) or the URL without credentials (PostgreSQL), for logs and the status command. */
  readonly location: string;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Inside, use only
   * `scope.db` — on SQLite the connection is held by the transaction, so a query on the outer handle would wait
   * for the transaction to end and never run.
   */
  transaction<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the database and brings its schema up to date. PostgreSQL when `url` is given (several instances may open
 * the same database at once), otherwise the embedded SQLite file: open it once per process and share the Storage
 * (its single connection serialises transactions; other processes, such as the status command, may read and write
 * alongside it thanks to WAL and the busy timeout).
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Storage> {
  const logger = options.logger ?? silentLogger;
  const migrations = options.migrations ?? allMigrations;
  let engine: Engine;
  let db: Kysely<Database>;
  let location: string;
  if (options.url !== undefined && options.url !== '') {
    if (!/^postgres(ql)?:\/\//.test(options.url)) {
      throw new ConnectorError({
        code: 'STORAGE_URL_UNSUPPORTED',
        message: `Database URL must start with postgres:// or postgresql:// (got ${redactUrl(options.url)})`,
        merchantMessage:
          'The database address in the settings is not a PostgreSQL address. Leave it empty to use the built-in database.',
        merchantMustAct: true,
      });
    }
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
      throw new Error(`Schema name ${JSON.stringify(options.schema)} must be a plain lower-case identifier`);
    }
    engine = 'postgres';
    location = redactUrl(options.url) + (options.schema ? ` (schema ${options.schema})` : '');
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // No JIT: every query here is short, and PostgreSQL compiles any plan whose estimated cost is high — as it is
      // on a table that grew faster than its statistics — which took half a second for a lease that ran in 4 ms.
      options: `-c jit=off${options.schema ? ` -c search_path=${options.schema}` : ''}`,
    });
    // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would end the process.
    pool.on('error', (error) => logger.warn('idle PostgreSQL connection failed', { error }));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    engine = 'sqlite';
    const path = options.sqlitePath ?? DEFAULT_SQLITE_PATH;
    if (path !== ':memory:') ensurePrivateSqliteFile(path);
    location = path;
    db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path }) });
  }

  try {
    const applied = await runMigrations(db, engine, migrations, logger);
    logger.info('database open', { engine, location, migrationsApplied: applied.length });
  } catch (error) {
    await db.destroy();
    if (error instanceof ConnectorError) throw error;
    throw new ConnectorError({
      code: 'STORAGE_OPEN_FAILED',
      message: `Could not open or migrate the ${engine} database at ${location}: ${(error as Error).message}`,
      merchantMessage:
        engine === 'sqlite'
          ? 'The connector could not open its data file. Check that the disk is not full and that no other program has locked the file, then start the connector again.'
          : 'The connector could not reach its database. Check the database address and that the database server is running, then start the connector again.',
      merchantMustAct: true,
      retryable: true,
      cause: error,
    });
  }

  let closed = false;
  return {
    db,
    engine,
    location,
    transaction: (work) => db.transaction().execute((trx) => work({ db: trx, engine })),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/**
 * Runs `work` in a transaction: the caller's when `scope` already is one (so a repository call joins the caller's
 * unit of work), otherwise a new one.
 */
export async function inTransaction<T>(scope: Queryable, work: (scope: TransactionScope) => Promise<T>): Promise<T> {
  if (scope.db.isTransaction) return work(scope as TransactionScope);
  return scope.db.transaction().execute((trx) => work({ db: trx, engine: scope.engine }));
}

/**
 * The database URL as it may be shown and logged. pg also reads connection settings from the query string
 * (`?password=…`, `?sslpassword=…`, `?sslkey=…`: https://node-postgres.com/features/connecting#connection-uri), so
 * those are masked as well as the password before the host.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
