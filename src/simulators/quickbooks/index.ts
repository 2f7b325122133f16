/** The QuickBooks Desktop company simulator: a company file that executes qbXML as QuickBooks does. */
export { type Clock, type CreateCompanyOptions, editionLimits, type ListLimits } from './books.ts';
export {
  type OpenCompanyOptions,
  type OpenRefusal,
  openCompany,
  type QuickBooksCompany,
  type QuickBooksRequestProcessor,
} from './company.ts';
export type { Edition, LedgerLine } from './company-file.ts';
export {
  QUICKBOOKS_PROFILES,
  type QuickBooksProfile,
  type QuickBooksProfileName,
  UNSUPPORTED_VERSION,
} from './profiles.ts';
export type {
  AccountBalance,
  BalanceSheet,
  InventoryValuationRow,
  ProfitAndLoss,
  TrialBalance,
} from './reports.ts';
