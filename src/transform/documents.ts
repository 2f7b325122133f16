/**
 * Accounting documents in plain English: what transform produces and plan turns into qbXML. Every document has a
 * deterministic key (its identity, and through `externalGuidFor` its ExternalGUID in QuickBooks), a date in the
 * shop's time zone, and amounts in Money (bigint hundredths of the shop currency).
 */
import type { Money } from '../domain/index.ts';
import type { AccountType, Category } from './accounts.ts';

export type Mode = 'summary' | 'detailed';

export interface Modes {
  customers: Mode;
  inventory: Mode;
  vendors: Mode;
}

/** A line of a sales document. `amount` is what the QuickBooks line carries: positive credits `category`. */
export interface SalesLine {
  item: string;
  description: string;
  quantity: number | null;
  amount: Money;
  /** Where the line posts. Equal to the item's account unless the line overrides it (returned goods). */
  category: Category;
  classKey: string | null;
}

interface DocumentBase {
  key: string;
  /** YYYY-MM-DD in the shop's time zone. */
  date: string;
  memo: string;
}

interface SalesDocumentBase extends DocumentBase {
  refNumber: string;
  customer: string;
  classKey: string | null;
  lines: SalesLine[];
}

/** Paid at the time of sale: debits `depositTo` (the main tender's clearing account) with the total. */
export interface SalesReceiptDocument extends SalesDocumentBase {
  kind: 'salesReceipt';
  depositTo: Category;
  paymentMethod: string | null;
}

/** Sold on account: debits accounts receivable with the total. */
export interface InvoiceDocument extends SalesDocumentBase {
  kind: 'invoice';
}

/** Goods or money given back without money moving: credits accounts receivable; positive lines debit. */
export interface CreditMemoDocument extends SalesDocumentBase {
  kind: 'creditMemo';
}

/** An open order (not fulfilled): non-posting in QuickBooks. */
export interface SalesOrderDocument extends SalesDocumentBase {
  kind: 'salesOrder';
}

/** Money received against accounts receivable: debits `depositTo`, credits accounts receivable. */
export interface ReceivePaymentDocument extends DocumentBase {
  kind: 'receivePayment';
  refNumber: string;
  customer: string;
  amount: Money;
  depositTo: Category;
  paymentMethod: string;
  /** 'auto': QuickBooks applies it to the customer's oldest open invoices; 'none': a deposit left as credit. */
  apply: 'auto' | 'none';
}

export interface JournalLine {
  category: Category;
  /** Customer or vendor key: QuickBooks requires a name on accounts receivable and payable lines. */
  entity?: string | null;
  side: 'debit' | 'credit';
  amount: Money;
  memo: string;
  classKey: string | null;
}

export interface JournalEntryDocument extends DocumentBase {
  kind: 'journalEntry';
  refNumber: string;
  purpose: 'costOfGoodsSold' | 'inventoryAdjustment' | 'payoutWithdrawal' | 'reversal';
  lines: JournalLine[];
}

export interface DepositLine {
  category: Category;
  amount: Money;
  memo: string;
}

/** A payout: debits `depositTo` (the bank) with the sum of the lines; each line credits its category. */
export interface DepositDocument extends DocumentBase {
  kind: 'deposit';
  depositTo: Category;
  lines: DepositLine[];
}

export interface PurchaseLine {
  item: string;
  description: string;
  quantity: number;
  /** Unit cost as a decimal string (costs can carry more than two decimals). */
  unitCost: string;
  amount: Money;
  category: Category;
  /**
   * On a receipt that names its purchase order: the index of the order's line this line receives (QuickBooks links
   * them by that line's TxnLineID). Absent: the line is not on the order.
   */
  orderLine?: number;
}

export interface ExpenseLine {
  category: Category;
  amount: Money;
  memo: string;
}

/** A purchase order: non-posting. */
export interface PurchaseOrderDocument extends DocumentBase {
  kind: 'purchaseOrder';
  refNumber: string;
  vendor: string;
  classKey: string | null;
  lines: PurchaseLine[];
}

/** Goods received (Item Receipt) or received and invoiced (Bill): debits the lines, credits accounts payable. */
export interface PurchaseReceiptDocument extends DocumentBase {
  kind: 'itemReceipt' | 'bill';
  refNumber: string;
  vendor: string;
  /** The purchase order it receives lines of (its lines say which), when that order is posted. */
  purchaseOrder: string | null;
  lines: PurchaseLine[];
  expenses: ExpenseLine[];
}

export type TransactionDocument =
  | SalesReceiptDocument
  | InvoiceDocument
  | CreditMemoDocument
  | SalesOrderDocument
  | ReceivePaymentDocument
  | JournalEntryDocument
  | DepositDocument
  | PurchaseOrderDocument
  | PurchaseReceiptDocument;

export interface Address {
  lines: string[];
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface CustomerRecord {
  kind: 'customer';
  key: string;
  name: string;
  /** The original (Latin-1, ≤ 41) name QuickBooks shows on forms. */
  companyName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  /** The full original name and Shopify id, when the QuickBooks name had to be shortened or changed. */
  notes: string;
}

export interface VendorRecord {
  kind: 'vendor';
  key: string;
  name: string;
  companyName: string | null;
  notes: string;
}

/**
 * Products are non-inventory items whose purchases post to the inventory asset account: QuickBooks' own
 * inventory (average cost, quantity on hand) is not used because Shopify is the system of record for stock,
 * and COGS is posted from Shopify's unit costs in every mode, so Summary and Detailed books agree.
 * Everything else (shipping, tax, tips, gift cards, discounts, tenders, rounding) is an other-charge item
 * tied to one account.
 */
export interface ItemRecord {
  kind: 'item';
  key: string;
  name: string;
  itemType: 'nonInventory' | 'otherCharge';
  description: string;
  /** The account sales of this item post to. */
  category: Category;
  /** Non-inventory products: the account purchases post to (inventory asset). */
  purchaseCategory: Category | null;
  price: Money | null;
  sku: string | null;
}

export interface AccountRecord {
  kind: 'account';
  key: string;
  name: string;
  parentKey: string | null;
  type: AccountType;
  category: Category;
}

export interface PaymentMethodRecord {
  kind: 'paymentMethod';
  key: string;
  name: string;
  type: 'Cash' | 'GiftCard' | 'OtherCreditCard' | 'Other';
}

export interface ClassRecord {
  kind: 'class';
  key: string;
  name: string;
}

export type ListRecord = CustomerRecord | VendorRecord | ItemRecord | AccountRecord | PaymentMethodRecord | ClassRecord;

export type AccountingDocument = ListRecord | TransactionDocument;

export function isListRecord(document: AccountingDocument): document is ListRecord {
  return (
    document.kind === 'customer' ||
    document.kind === 'vendor' ||
    document.kind === 'item' ||
    document.kind === 'account' ||
    document.kind === 'paymentMethod' ||
    document.kind === 'class'
  );
}
