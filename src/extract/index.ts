/**
 * Extract: Shopify (and Stocky) data into versioned source records. See extractor.ts for how pulls work, reader.ts
 * for what transform reads, webhooks.ts for the webhook endpoint.
 */
export { BulkStitcher, readLines, type StitchedRoot } from './bulk-jsonl.ts';
export { allDocuments, documentText } from './documents.ts';
export {
  ALL_ENTITIES,
  createExtractor,
  type EntityCounts,
  type ExtractEntity,
  type Extractor,
  type ExtractorOptions,
  type PullRequest,
  type PullSummary,
} from './extractor.ts';
export type { ExtractProgress, ExtractProgressListener } from './progress.ts';
export { createSourceRecordReader, type SourceRecordReader, type SourceRecordTypes } from './reader.ts';
export { lastRun, lastRunId, pendingPullRequests } from './runs.ts';
export type { SourceKind, StoredSourceRecord } from './source-records.ts';
export { latestSourceRecords, saveSourceRecords } from './source-records.ts';
export {
  createShopifyWebhookHandler,
  type ShopifyWebhookHandler,
  type WebhookRequest,
  type WebhookResponse,
} from './webhooks.ts';
