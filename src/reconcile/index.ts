/** Reconciliation: Shopify's Finance figures against QuickBooks' ledger, per category, to the cent. */
export {
  compareFigures,
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
  reportJson,
  reportText,
  shopifyFigures,
} from './reconcile.ts';
