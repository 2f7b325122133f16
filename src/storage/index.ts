export * from './audit-log.ts';
export { fromDbJson, fromDbTime, fromDbTimeOrNull, isUniqueViolation, toDbJson, toDbTime } from './columns.ts';
export * from './company-files.ts';
export * from './id-map.ts';
export * from './message-sets.ts';
export { orderMigrations, runMigrations } from './migrate.ts';
export type { Migration } from './migration.ts';
export { generatedIdColumn } from './migration.ts';
export { migrations } from './migrations/index.ts';
export { NodeSqliteDialect, type NodeSqliteDialectOptions } from './node-sqlite-dialect.ts';
export {
  DEFAULT_SQLITE_PATH,
  inTransaction,
  type OpenDatabaseOptions,
  openDatabase,
  redactUrl,
  type Storage,
} from './open.ts';
export {
  ensurePrivateDirectory,
  ensurePrivateFile,
  ensurePrivateSqliteFile,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
} from './private-files.ts';
export type * from './schema.ts';
export type { Engine } from './schema.ts';
export * from './shops.ts';
