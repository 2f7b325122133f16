/** Reconciliation: Shopify's Finance figures against QuickBooks' ledger, per category, to the cent. */

export { reconcileByDay } from './by-day.ts';
export { type Correction, type CorrectionSummary, loadCorrections, readThrough } from './corrections.ts';
export { documentLedger } from './document-ledger.ts';
export {
  type HeldBackOrders,
  type HeldBackSummary,
  heldBackFromNotes,
  type OrderSummary,
} from './held-back.ts';
export { dataPeriod } from './period.ts';
export {
  type QuickBooksSide,
  quickbooksSide,
  RECONCILED_CATEGORIES,
  RECONCILIATION_PARTS,
  type ReconciliationPart,
  readerFromAnswers,
  reconciliationQueries,
} from './quickbooks-reads.ts';
export {
  compareFigures,
  type Figures,
  gatewayGroups,
  gatewaysIn,
  type LedgerEntry,
  type LedgerReader,
  type Period,
  quickbooksFigures,
  type ReconcileOptions,
  type ReconciliationReport,
  reconcile,
  shopifyFigures,
} from './reconcile.ts';
export { type FiguresJson, gatewayLabel, type ReconciliationJson, reportJson, reportText } from './report.ts';
export {
  createReconciliationService,
  MAX_RECONCILIATION_DAYS,
  parsePeriod,
  type ReconciliationAnswer,
  type ReconciliationResult,
  type ReconciliationService,
} from './service.ts';
