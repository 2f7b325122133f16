/** Reconciliation: Shopify's Finance figures against QuickBooks' ledger, per category, to the cent. */

export { dataPeriod } from './period.ts';
export {
  compareFigures,
  documentLedger,
  type Figures,
  type FiguresJson,
  gatewayGroups,
  gatewaysIn,
  type LedgerEntry,
  type LedgerReader,
  ledgerReaderFor,
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
