export { type Enqueued, type EnqueueInput, enqueue } from './enqueue.ts';
export type { OutboxEntry, OutboxRequest, OutboxSource } from './entries.ts';
export {
  attachToMessageSet,
  countUpTo,
  heldBy,
  listUnknownOutsideMessageSets,
  plansRecordNamed,
} from './in-flight.ts';
export { DEFAULT_LEASE_MS, type LeaseOptions, lease, type MarkSentInput, markSent } from './lease.ts';
export { cancelEntry, type ManualAction, retryEntry } from './manual.ts';
export {
  type FailureOptions,
  markApplied,
  markAppliedMany,
  markNotApplied,
  markUnknown,
  recordFailure,
} from './outcomes.ts';
export {
  type BlockedEntry,
  type EntryFilter,
  getEntries,
  getEntry,
  getEntryByKey,
  hasWork,
  listAppliedWithoutId,
  listBlocked,
  listEntries,
  type OutboxProgress,
  progress,
} from './queries.ts';
export { readySince } from './readiness.ts';
export {
  appliedChangeSince,
  countByState,
  type DocumentIndexRow,
  entriesLeasedBy,
  type IndexedEntry,
  type IndexedEntryCursor,
  type IndexedEntryFilter,
  listIndexedEntries,
  NO_DOCUMENT_DATE,
  unknownEntriesOf,
} from './reads.ts';
export {
  leasesRunOutOf,
  type Released,
  releaseExpiredLeases,
  releaseSession,
  retriesDueOf,
  returnLeased,
} from './releases.ts';
export { attemptsLeft, DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
export {
  assertTransition,
  BLOCKING_STATES,
  canTransition,
  IN_FLIGHT_STATES,
  OUTBOX_STATES,
  OUTBOX_TRANSITIONS,
  type OutboxState,
  SETTLED_STATES,
} from './states.ts';
