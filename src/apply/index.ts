/** Applying QuickBooks' responses: the per-status-code policy and the company snapshot the setup steps read. */
export {
  type CompanySnapshot,
  REPORT_ENTRY_KIND,
  readCompanySnapshot,
  type SnapshotPart,
  snapshotPartFor,
  writeSnapshotPart,
} from './company-snapshot.ts';
export { LINE_IDS_ENTRY_KIND, lineIdsRead, lineIdsReadKey, lineIdsReadTarget } from './line-ids.ts';
export {
  type Decision,
  type DeliveryRequest,
  decide,
  disambiguatedName,
  type FollowUpQuery,
  identityQueryFor,
  MAX_ATTEMPTS,
  missingReferenceName,
  resolveFollowUp,
  transactionLineSource,
} from './policy.ts';
