/**
 * Documents: what the connector planned for QuickBooks, as the merchant sees it — kind, date, amount, Shopify order,
 * QuickBooks reference and state — listed, filtered and paged (the JSON API's /documents, `status --documents`).
 */
export { type DocumentFacts, documentFacts, documentLabel, documentName } from './facts.ts';
export {
  DEFAULT_LIMIT,
  type DocumentCounts,
  type DocumentPage,
  type DocumentQuery,
  type DocumentView,
  documentCounts,
  listDocuments,
  MAX_LIMIT,
  orderAdminUrl,
  parseDocumentQuery,
  refreshDocumentIndex,
  STATE_GROUPS,
  STATE_LABELS,
} from './list.ts';
