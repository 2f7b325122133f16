import type { Selectable } from 'kysely';
import { ConnectorError, type SerializedConnectorError } from '../errors/index.ts';
import type { OutboxEntryRow } from '../storage/index.ts';
import { fromDbJson, fromDbTime, fromDbTimeOrNull } from '../storage/index.ts';
import { isOutboxState, type OutboxState } from './states.ts';

/**
 * A qbXML request kept as data: the message type (`CustomerAdd`, `SalesReceiptAdd`, `InvoiceQuery`…) and the body
 * in Intuit's element names. The qbXML layer writes the text at send time, so a fix to the writer applies to
 * everything still queued.
 */
export interface OutboxRequest {
  type: string;
  body: Record<string, unknown>;
}

/** Where an entry came from, for the merchant's "why is this here" and for the id map. */
export interface OutboxSource {
  /** e.g. `customer`, `order`, `refund`, `payout`, `summary`. */
  kind: string;
  /** A Shopify GID, or a summary's document key. */
  id: string;
}

export interface OutboxEntry {
  id: number;
  companyFileId: string;
  /** Deterministic identity of the document (unique per company file): planning the same source twice adds nothing. */
  key: string;
  /** What is being posted, in plain words: `customer`, `item`, `sales-receipt`, `journal-entry`… */
  kind: string;
  request: OutboxRequest;
  /** Keys of entries that must be applied first (a receipt's customer and items). */
  dependencies: string[];
  /** Higher first; equal priorities go in enqueue order. */
  priority: number;
  state: OutboxState;
  /** Sends so far. */
  attempts: number;
  nextAttemptAt: Date;
  lease: { sessionId: string; expiresAt: Date } | null;
  lastError: ConnectorError | null;
  /** ListID or TxnID once applied. */
  quickbooksId: string | null;
  source: OutboxSource | null;
  syncRunId: string | null;
  createdAt: Date;
  updatedAt: Date;
  appliedAt: Date | null;
}

export function entryFromRow(row: Selectable<OutboxEntryRow>): OutboxEntry {
  if (!isOutboxState(row.state)) throw new Error(`Outbox entry ${row.id} has unknown state ${row.state}`);
  return {
    id: row.id,
    companyFileId: row.company_file_id,
    key: row.key,
    kind: row.kind,
    request: { type: row.request_type, body: fromDbJson(row.request_body) },
    dependencies: fromDbJson(row.dependency_keys),
    priority: row.priority,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: fromDbTime(row.next_attempt_at),
    lease:
      row.lease_session_id === null || row.lease_expires_at === null
        ? null
        : { sessionId: row.lease_session_id, expiresAt: fromDbTime(row.lease_expires_at) },
    lastError:
      row.last_error === null ? null : ConnectorError.fromJSON(fromDbJson<SerializedConnectorError>(row.last_error)),
    quickbooksId: row.quickbooks_id,
    source: row.source_kind === null || row.source_id === null ? null : { kind: row.source_kind, id: row.source_id },
    syncRunId: row.sync_run_id,
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
    appliedAt: fromDbTimeOrNull(row.applied_at),
  };
}
