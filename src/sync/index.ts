/** A sync run: extract → transform → plan → outbox in one transaction, with the progress it reports. */
export { checkModesFit, shopifyListCounts } from './list-limits.ts';
export { createSyncService, type SyncProgress, type SyncProgressEvent, type SyncService } from './service.ts';
export { loadTransformSources } from './sources.ts';
