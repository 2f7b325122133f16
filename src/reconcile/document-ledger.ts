/** The ledger a set of documents will make in QuickBooks, read the way the reconciliation reads QuickBooks. */
import { type AccountMapping, glEffect, type TransactionDocument } from '../transform/index.ts';
import type { LedgerEntry, LedgerReader } from './reconcile.ts';

const TRANSACTION_TYPES: Record<TransactionDocument['kind'], string> = {
  salesReceipt: 'SalesReceipt',
  invoice: 'Invoice',
  creditMemo: 'CreditMemo',
  salesOrder: 'SalesOrder',
  receivePayment: 'ReceivePayment',
  journalEntry: 'JournalEntry',
  deposit: 'Deposit',
  purchaseOrder: 'PurchaseOrder',
  itemReceipt: 'ItemReceipt',
  bill: 'Bill',
};

/**
 * The ledger QuickBooks will hold once these documents are posted, computed from their GL effect: the preview
 * the setup shows before anything is sent, and the judge of the transform's totals in tests.
 */
export function documentLedger(documents: readonly TransactionDocument[], mapping: AccountMapping): LedgerReader {
  const byAccount = new Map<string, LedgerEntry[]>();
  for (const document of documents) {
    for (const [category, amount] of glEffect(document)) {
      const account = mapping[category].toLowerCase();
      const list = byAccount.get(account) ?? [];
      list.push({ transactionType: TRANSACTION_TYPES[document.kind], date: document.date, amount });
      byAccount.set(account, list);
    }
  }
  return {
    entries: async (account, period) =>
      (byAccount.get(account.toLowerCase()) ?? []).filter((e) => e.date >= period.from && e.date <= period.to),
  };
}
