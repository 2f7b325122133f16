/** Reconciliation: Shopify's Finance figures against QuickBooks' ledger, per category, to the cent. */

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
  documentLedger,
  type Figures,
  type FiguresJson,
  gatewayGroups,
  gatewayLabel,
  gatewaysIn,
  type LedgerEntry,
  type LedgerReader,
  type Period,
  quickbooksFigures,
  type ReconciliationJson,
  type ReconciliationReport,
  reconcile,
  reconcileByDay,
  reportJson,
  reportText,
  shopifyFigures,
} from './reconcile.ts';
export {
  createReconciliationService,
  MAX_RECONCILIATION_DAYS,
  parsePeriod,
  type ReconciliationAnswer,
  type ReconciliationResult,
  type ReconciliationService,
} from './service.ts';
