/**
 * What a merchant wants to see of a queued request — its date, its amount, its QuickBooks reference number — read
 * from the qbXML body the connector sends (Intuit's element names: this module reads qbXML bodies). The body is the
 * record of what goes to QuickBooks, so the amount shown is the amount posted, whatever the document was made from.
 */
import { formatMoney, type Money, parseMoney } from '../domain/index.ts';

export interface DocumentFacts {
  /** TxnDate (YYYY-MM-DD), null for list records (customers, items, accounts) and deletions. */
  date: string | null;
  /** The document's total as a two-decimal string, null when it has none (lists, deletions). */
  amount: string | null;
  refNumber: string | null;
}

type Json = Record<string, unknown>;

/** Lines whose amounts make the total, by message: the transaction's own lines (a journal entry: its debits). */
const TOTAL_LINES: Record<string, readonly string[]> = {
  SalesReceiptAdd: ['SalesReceiptLineAdd'],
  InvoiceAdd: ['InvoiceLineAdd'],
  CreditMemoAdd: ['CreditMemoLineAdd'],
  SalesOrderAdd: ['SalesOrderLineAdd'],
  DepositAdd: ['DepositLineAdd'],
  JournalEntryAdd: ['JournalDebitLine'],
  PurchaseOrderAdd: ['PurchaseOrderLineAdd'],
  ItemReceiptAdd: ['ItemLineAdd', 'ExpenseLineAdd'],
  BillAdd: ['ItemLineAdd', 'ExpenseLineAdd'],
};

/** The record inside a body stored as `{ SalesReceiptAdd: {...} }` or as the record itself. */
export function innerRecord(type: string, body: Json): Json {
  const inner = body[type];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Json) : body;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function lineAmount(line: Json): Money | null {
  const amount = text(line.Amount);
  if (amount !== null) return parseMoney(amount);
  // A purchase line may carry only a rate: QuickBooks computes the amount as quantity × cost.
  const quantity = Number(line.Quantity ?? NaN);
  const rate = text(line.Cost) ?? text(line.Rate);
  if (rate === null || !Number.isFinite(quantity)) return null;
  const [whole, fraction = ''] = rate.split('.');
  const scale = 10 ** fraction.length;
  const units = BigInt(`${whole}${fraction}`) * BigInt(Math.round(quantity * 1000));
  // units is rate × 10^fraction × quantity × 1000: back to hundredths, rounded half away from zero.
  const divisor = BigInt(scale) * 10n;
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const cents = (abs + divisor / 2n) / divisor;
  return negative ? -cents : cents;
}

export function documentFacts(request: { type: string; body: Json }): DocumentFacts {
  const record = innerRecord(request.type, request.body);
  const date = text(record.TxnDate);
  const refNumber = text(record.RefNumber);
  let amount: Money | null = null;
  const total = text(record.TotalAmount);
  if (total !== null) amount = parseMoney(total);
  else {
    const fields = TOTAL_LINES[request.type];
    if (fields) {
      amount = 0n;
      for (const field of fields) {
        const lines = record[field];
        for (const line of Array.isArray(lines) ? lines : lines ? [lines] : []) {
          const value = lineAmount(line as Json);
          if (value !== null) amount += value;
        }
      }
    }
  }
  return { date, amount: amount === null ? null : formatMoney(amount), refNumber };
}

/**
 * The name the merchant knows the document by in QuickBooks: a list record's own name (an account, item, customer,
 * vendor, class or payment method), or the customer or vendor a transaction is for. Null for journal entries,
 * deposits and deletions, which name no one.
 */
export function documentName(request: { type: string; body: Json }): string | null {
  const record = innerRecord(request.type, request.body);
  const name = text(record.Name);
  if (name !== null) {
    const parent = record.ParentRef as Json | undefined;
    const parentName = parent ? text(parent.FullName) : null;
    return parentName ? `${parentName}:${name}` : name;
  }
  for (const field of ['CustomerRef', 'VendorRef', 'EntityRef', 'PayeeEntityRef']) {
    const ref = record[field] as Json | undefined;
    const full = ref && typeof ref === 'object' ? text(ref.FullName) : null;
    if (full !== null) return full;
  }
  return null;
}

/** Plain names of the messages the connector sends. */
const LABELS: Record<string, string> = {
  SalesReceiptAdd: 'Sales receipt',
  InvoiceAdd: 'Invoice',
  CreditMemoAdd: 'Credit memo',
  SalesOrderAdd: 'Sales order',
  ReceivePaymentAdd: 'Payment received',
  JournalEntryAdd: 'Journal entry',
  DepositAdd: 'Deposit',
  PurchaseOrderAdd: 'Purchase order',
  ItemReceiptAdd: 'Item receipt',
  BillAdd: 'Bill',
  CustomerAdd: 'Customer',
  VendorAdd: 'Vendor',
  AccountAdd: 'Account',
  ClassAdd: 'Class',
  PaymentMethodAdd: 'Payment method',
  ItemNonInventoryAdd: 'Product (item)',
  ItemOtherChargeAdd: 'Charge item',
  ItemSalesTaxAdd: 'Sales tax item',
  TxnDel: 'Removal of a transaction',
};

export function documentLabel(type: string): string {
  if (LABELS[type]) return LABELS[type];
  const base = type.replace(/(Add|Mod|Del|Query)$/, '');
  const words = base.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const verb = type.endsWith('Mod') ? ' (change)' : type.endsWith('Del') ? ' (removal)' : '';
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${verb}`;
}
