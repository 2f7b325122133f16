import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Row types of every table, as both engines store them. Portable column choices, so one set of migrations and
 * one set of queries serve SQLite and PostgreSQL alike:
 * - times are ISO-8601 UTC text (`Date.toISOString()`, always 24 characters), so they compare and sort as text;
 * - JSON is text (parsed in the row↔domain mappers);
 * - flags are integers 0/1;
 * - ids are text (UUIDs) except where enqueue order matters (outbox entries, audit log): integer, generated.
 *
 * Other parts add their tables by augmenting this interface from their own module:
 *   declare module '../storage/schema.ts' { interface Database { sync_runs: SyncRunRow } }
 * and their migrations to `src/storage/migrations/` in their number range.
 */
export interface Database {
  schema_migrations: SchemaMigrationRow;
  shops: ShopRow;
  company_files: CompanyFileRow;
  outbox_entries: OutboxEntryRow;
  outbox_dependencies: OutboxDependencyRow;
  message_sets: MessageSetRow;
  message_set_entries: MessageSetEntryRow;
  id_map: IdMapRow;
  audit_log: AuditLogRow;
}

export type Engine = 'sqlite' | 'postgres';

/** A database handle (the whole database or an open transaction) and the engine behind it. */
export interface Queryable {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
}

export interface TransactionScope extends Queryable {
  readonly db: Transaction<Database>;
}

export interface SchemaMigrationRow {
  name: string;
  applied_at: string;
}

export interface ShopRow {
  id: string;
  domain: string;
  name: string;
  currency: string;
  time_zone: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface CompanyFileRow {
  id: string;
  shop_id: string;
  web_connector_user_name: string;
  app_token_hash: string;
  owner_id: string;
  file_id: string;
  bound_company_name: string | null;
  bound_edition: string | null;
  bound_version: string | null;
  bound_at: string | null;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxEntryRow {
  id: Generated<number>;
  company_file_id: string;
  key: string;
  kind: string;
  request_type: string;
  request_body: string;
  dependency_keys: string;
  priority: number;
  state: string;
  attempts: number;
  next_attempt_at: string;
  lease_session_id: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  quickbooks_id: string | null;
  source_kind: string | null;
  source_id: string | null;
  sync_run_id: string | null;
  created_at: string;
  updated_at: string;
  applied_at: string | null;
}

export interface OutboxDependencyRow {
  entry_id: number;
  company_file_id: string;
  depends_on_key: string;
}

export interface MessageSetRow {
  id: string;
  company_file_id: string;
  session_id: string;
  state: string;
  request_xml: string | null;
  response_xml: string | null;
  sent_at: string;
  answered_at: string | null;
}

export interface MessageSetEntryRow {
  message_set_id: string;
  entry_id: number;
  request_id: string;
}

export interface IdMapRow {
  company_file_id: string;
  source_kind: string;
  source_id: string;
  quickbooks_kind: string;
  quickbooks_id: string;
  edit_sequence: string | null;
  name: string | null;
  updated_at: string;
}

export interface AuditLogRow {
  id: Generated<number>;
  at: string;
  shop_id: string | null;
  company_file_id: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
}
