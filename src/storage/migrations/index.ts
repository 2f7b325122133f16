import type { Migration } from '../migration.ts';
import { migration as storageCore } from './0001-storage-core.ts';
import { migration as outboxEntries } from './0002-outbox-entries.ts';
import { migration as outboxReadyOrder } from './0010-outbox-ready-order.ts';
import { migration as extractSourceRecords } from './0100-extract-source-records.ts';
import { migration as setupIntegrations } from './0200-setup-integrations.ts';
import { migration as postedDocuments } from './0201-sync-posted-documents.ts';
import { migration as syncRunLeases } from './0202-sync-run-leases.ts';
import { migration as handEntries } from './0203-hand-entries.ts';
import { migration as documentsIndex } from './0250-documents-index.ts';
import { migration as webConnectorSessions } from './0300-qbwc-sessions.ts';
import { migration as deliveryFollowUps } from './0301-qbwc-follow-ups.ts';
import { migration as lastMessageSets } from './0302-qbwc-last-message-set.ts';
import { migration as followUpRetries } from './0303-qbwc-follow-up-retries.ts';
import { migration as sessionProblems } from './0304-qbwc-session-problems.ts';
import { migration as sessionReads } from './0310-qbwc-session-reads.ts';
import { migration as adminSessions } from './0400-server-admin-sessions.ts';

/**
 * Every migration, in order. Add yours at the end of your area's range (0001–0099 storage/outbox, 0100–0199
 * extract, 0200–0299 setup/sync/integration, 0300–0399 Web Connector sessions, 0400–0499 server); the runner checks the order.
 */
export const migrations: readonly Migration[] = [
  storageCore,
  outboxEntries,
  webConnectorSessions,
  extractSourceRecords,
  setupIntegrations,
  postedDocuments,
  syncRunLeases,
  documentsIndex,
  deliveryFollowUps,
  lastMessageSets,
  followUpRetries,
  sessionProblems,
  adminSessions,
  outboxReadyOrder,
  sessionReads,
  handEntries,
];
