import type { Selectable } from 'kysely';
import { redact } from '../logger/index.ts';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from './columns.ts';
import type { AuditLogRow, Queryable } from './schema.ts';

/** Who did something: the connector itself, the merchant (admin UI, CLI), support, or QuickBooks' Web Connector. */
export type AuditActor = 'system' | 'merchant' | 'support' | 'web-connector';

/** A durable record of something that changed the integration (settings, bindings, retries, resets). */
export interface AuditEntry {
  id: number;
  at: Date;
  shopId: string | null;
  companyFileId: string | null;
  actor: AuditActor;
  /** Short, stable verb phrase, e.g. `company-file.bound`, `outbox.retried`. */
  action: string;
  /** What it was done to (an outbox key, a setting name…). */
  subject: string | null;
  details: Record<string, unknown>;
}

export interface NewAuditEntry {
  shopId?: string | null;
  companyFileId?: string | null;
  actor: AuditActor;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export function auditEntryFromRow(row: Selectable<AuditLogRow>): AuditEntry {
  return {
    id: row.id,
    at: fromDbTime(row.at),
    shopId: row.shop_id,
    companyFileId: row.company_file_id,
    actor: row.actor as AuditActor,
    action: row.action,
    subject: row.subject,
    details: fromDbJson(row.details),
  };
}

/** Appends an entry. Details pass through the logger's redaction: secrets never reach the audit log either. */
export async function appendAudit(q: Queryable, entry: NewAuditEntry, now = new Date()): Promise<AuditEntry> {
  const row = await q.db
    .insertInto('audit_log')
    .values({
      at: toDbTime(now),
      shop_id: entry.shopId ?? null,
      company_file_id: entry.companyFileId ?? null,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      details: toDbJson(redact(entry.details ?? {})),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return auditEntryFromRow(row);
}

export interface AuditFilter {
  shopId?: string;
  companyFileId?: string;
  action?: string;
  /** Entries older than this id (paging backwards). */
  beforeId?: number;
  /** Default 100. */
  limit?: number;
}

/** Newest first. */
export async function listAudit(q: Queryable, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  let query = q.db.selectFrom('audit_log').selectAll();
  if (filter.shopId !== undefined) query = query.where('shop_id', '=', filter.shopId);
  if (filter.companyFileId !== undefined) query = query.where('company_file_id', '=', filter.companyFileId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(auditEntryFromRow);
}
