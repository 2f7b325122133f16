/** What needs attention: the one list the status command, the JSON API and the admin app show. */
export {
  type AttentionItem,
  type AttentionOptions,
  type AttentionType,
  listAttention,
  WEB_CONNECTOR_ABSENT_MS,
} from './attention.ts';
export { type EnteredByHandOptions, markEnteredInQuickBooks } from './entered-by-hand.ts';
export { type Retried, type RetryOptions, retryAttention } from './retry.ts';
