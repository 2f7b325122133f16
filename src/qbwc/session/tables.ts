/** Row types of the tables created by migration 0300, added to the storage layer's Database interface. */
export interface WebConnectorSessionRow {
  id: string;
  ticket_hash: string;
  company_file_id: string;
  /** 'open' | 'closed' | 'expired' */
  state: string;
  company_checked: number;
  work_at_start: number;
  entries_applied: number;
  entries_failed: number;
  message_sets_sent: number;
  /** What getLastError answers: a merchant-facing sentence, or 'NoOp'. */
  last_error: string | null;
  close_reason: string | null;
  started_at: string;
  last_seen_at: string;
  expires_at: string;
  closed_at: string | null;
  /** The message set sent and not yet answered in this session (migration 0301). */
  outstanding_message_set_id: string | null;
  /** A problem the merchant must hear about, in plain words, and its code (migration 0304). */
  problem: string | null;
  problem_code: string | null;
  /** Of entries_applied: the adds and mods QuickBooks recorded, and the reports it answered (migration 0310). */
  documents_recorded: number;
  reports_read: number;
}

export interface LoginFailureRow {
  company_file_id: string;
  failed_at: string;
}

export interface CompanySnapshotRow {
  company_file_id: string;
  part: string;
  data: string;
  complete: number;
  updated_at: string;
}

export interface QueryIteratorRow {
  entry_id: number;
  session_id: string;
  iterator_id: string;
  remaining: number;
  collected: string;
  updated_at: string;
}

export interface FollowUpRow {
  entry_id: number;
  company_file_id: string;
  purpose: string;
  query_type: string;
  query_body: string;
  created_at: string;
  /** Times QuickBooks answered this query with an error (migration 0303). */
  attempts: number;
  /** Not asked again before this time; null: at the next message set. */
  next_attempt_at: string | null;
}

export interface LastMessageSetRow {
  company_file_id: string;
  message_set_id: string;
  sent_at: string;
}

declare module '../../storage/schema.ts' {
  interface Database {
    qbwc_sessions: WebConnectorSessionRow;
    qbwc_login_failures: LoginFailureRow;
    company_snapshots: CompanySnapshotRow;
    qbwc_iterators: QueryIteratorRow;
    delivery_follow_ups: FollowUpRow;
    qbwc_last_message_sets: LastMessageSetRow;
  }
}
