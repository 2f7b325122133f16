/**
 * Bill: goods received with the supplier's invoice (a Stocky purchase order with an invoice number). Posts as an
 * Item Receipt does — each line's account debited, accounts payable credited — and is what the supplier is paid on.
 */
import type { PurchaseReceiptDocument } from '../documents.ts';
import { receiptBody, receiptLedger, receiptTotal } from './item-receipt.ts';
import type { DocumentKind } from './kind.ts';

export const bill: DocumentKind<PurchaseReceiptDocument> = {
  priority: 10,
  plan: (document, ctx) => ({ message: 'BillAdd', body: { BillAdd: receiptBody(document, ctx) } }),
  ledger: receiptLedger,
  total: receiptTotal,
};
