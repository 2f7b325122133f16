/**
 * The QuickBooks side of the reconciliation, read from what QuickBooks answered through the Web Connector — never
 * from a company file directly, so the same code reads a real company and the simulator:
 * - a GeneralDetailReport `TxnDetailByAccount` over the mapped accounts and the period (posting transactions):
 *   the ledger lines, with the account of each DataRow in its `RowData rowType="account"` (QuickBooks puts it on
 *   every row of an account-grouped report) and its amount as Debit − Credit (the Amount column's sign depends on
 *   the report; the two sides do not);
 * - a SalesOrderQuery with line items over the period, and an ItemQuery for the accounts of the items: what the
 *   open sales orders would post (sales orders post nothing, yet they are sales Shopify already counts).
 * Amounts are exact decimal strings turned into Money. A report that contradicts itself (an account's rows do not
 * add up to its SubtotalRow, a row without an account or a date) is refused with the reason, never half-read.
 */
import { type Money, parseMoney } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { LedgerEntry, LedgerReader, Period } from './reconcile.ts';

type Obj = Record<string, unknown>;

function list(value: unknown): Obj[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Obj => typeof v === 'object' && v !== null);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function unreadable(detail: string): ConnectorError {
  return new ConnectorError({
    code: 'RECONCILIATION_REPORT_UNREADABLE',
    message: `QuickBooks' answer for the reconciliation could not be read: ${detail}`,
    merchantMessage:
      'The report QuickBooks sent for the reconciliation could not be read, so no figures are shown rather than wrong ones. Ask for the reconciliation again; if it happens again, contact support with this message.',
    retryable: true,
    details: { detail },
  });
}

/** How QuickBooks names transaction types in reports ("Sales Receipt", "General Journal"), and qbXML's own names. */
const TXN_TYPES: Record<string, string> = {
  salesreceipt: 'SalesReceipt',
  invoice: 'Invoice',
  creditmemo: 'CreditMemo',
  payment: 'ReceivePayment',
  receivepayment: 'ReceivePayment',
  generaljournal: 'JournalEntry',
  journalentry: 'JournalEntry',
  journal: 'JournalEntry',
  deposit: 'Deposit',
  salesorder: 'SalesOrder',
  purchaseorder: 'PurchaseOrder',
  itemreceipt: 'ItemReceipt',
  bill: 'Bill',
  inventoryadjust: 'InventoryAdjustment',
  inventoryadjustment: 'InventoryAdjustment',
  check: 'Check',
  salestaxpayment: 'SalesTaxPaymentCheck',
  salestaxpaymentcheck: 'SalesTaxPaymentCheck',
};

export function transactionTypeOf(shown: string): string {
  return TXN_TYPES[shown.toLowerCase().replace(/[^a-z]/g, '')] ?? shown;
}

/** A report amount: "1234.56", "-5.00", and the display forms "1,234.56" and "(5.00)". */
function amountOf(text: string): Money | null {
  let t = text.trim().replace(/,/g, '');
  let negative = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  const value = parseMoney(t);
  return negative ? -value : value;
}

interface ReportRow {
  kind: string;
  rowNumber: number;
  account: string | null;
  cells: Map<string, string>;
}

/** The rows of a ReportRet in QuickBooks' order (the parser groups them by kind; `@rowNumber` keeps the order). */
function reportRows(report: Obj): Result<{ rows: ReportRow[]; columns: Set<string> }> {
  const byId = new Map<string, string>();
  for (const column of list(report.ColDesc)) {
    const id = str(column['@colID']);
    const type = str(column.ColType);
    if (id !== null && type !== null) byId.set(id, type);
  }
  const rows: ReportRow[] = [];
  const data = (report.ReportData ?? {}) as Obj;
  for (const kind of ['DataRow', 'TextRow', 'SubtotalRow', 'TotalRow']) {
    for (const row of list(data[kind])) {
      const rowNumber = Number(str(row['@rowNumber']));
      if (!Number.isInteger(rowNumber)) return err(unreadable(`a ${kind} has no rowNumber`));
      const cells = new Map<string, string>();
      for (const cell of list(row.ColData)) {
        const type = byId.get(str(cell['@colID']) ?? '');
        const value = str(cell['@value']);
        if (type !== undefined && value !== null) cells.set(type, value);
      }
      const rowData = list(row.RowData)[0];
      const account =
        rowData && str(rowData['@rowType']) === 'account' ? str(rowData['@value']) : (cells.get('Account') ?? null);
      rows.push({ kind, rowNumber, account, cells });
    }
  }
  rows.sort((a, b) => a.rowNumber - b.rowNumber);
  return ok({ rows, columns: new Set(byId.values()) });
}

/** The ledger lines of a TxnDetailByAccount (or GeneralLedger) report, by account full name (lower case). */
export function ledgerFromReport(report: Obj | undefined): Result<Map<string, LedgerEntry[]>> {
  if (!report) return err(unreadable('the GeneralDetailReport answer has no ReportRet'));
  const read = reportRows(report);
  if (!read.ok) return read;
  const { rows, columns } = read.value;
  for (const needed of ['TxnType', 'Date', 'Debit', 'Credit']) {
    if (!columns.has(needed)) return err(unreadable(`the report has no ${needed} column`));
  }
  const byAccount = new Map<string, LedgerEntry[]>();
  const subtotals = new Map<string, Money>();
  for (const row of rows) {
    if (row.kind !== 'DataRow' && row.kind !== 'SubtotalRow') continue;
    const debit = row.cells.has('Debit') ? amountOf(row.cells.get('Debit')!) : 0n;
    const credit = row.cells.has('Credit') ? amountOf(row.cells.get('Credit')!) : 0n;
    if (debit === null || credit === null)
      return err(unreadable(`row ${row.rowNumber} has an amount that is not a number`));
    if (row.account === null) return err(unreadable(`row ${row.rowNumber} does not say which account it belongs to`));
    const account = row.account.toLowerCase();
    if (row.kind === 'SubtotalRow') {
      subtotals.set(account, (subtotals.get(account) ?? 0n) + debit - credit);
      continue;
    }
    const type = row.cells.get('TxnType');
    const date = row.cells.get('Date');
    // Beginning-balance and header rows carry neither a transaction type nor a date: not ledger lines.
    if (type === undefined && date === undefined && debit === 0n && credit === 0n) continue;
    if (type === undefined || date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return err(unreadable(`row ${row.rowNumber} has no transaction type or date`));
    }
    const entries = byAccount.get(account) ?? [];
    // TxnID and RefNumber name the transaction: a correction is counted on the day it corrects (corrections.ts).
    const txnId = row.cells.get('TxnID');
    const refNumber = row.cells.get('RefNumber');
    entries.push({
      transactionType: transactionTypeOf(type),
      date,
      amount: debit - credit,
      ...(txnId ? { txnId } : {}),
      ...(refNumber ? { refNumber } : {}),
    });
    byAccount.set(account, entries);
  }
  for (const [account, entries] of byAccount) {
    const total = entries.reduce((s, e) => s + e.amount, 0n);
    const subtotal = subtotals.get(account);
    if (subtotal !== undefined && subtotal !== total) {
      return err(unreadable(`the rows of ${account} add up to ${total} hundredths, its subtotal says ${subtotal}`));
    }
  }
  return ok(byAccount);
}

/** The income (or other) account an item posts a sale to, by ListID and by full name (lower case). */
export function itemAccounts(rets: readonly Obj[], retNames: readonly string[], salesTaxAccount: string | null) {
  const byItem = new Map<string, string>();
  rets.forEach((ret, i) => {
    const kind = retNames[i] ?? '';
    const ref = (value: unknown) => str(list(value)[0]?.FullName);
    let account: string | null = null;
    if (kind === 'ItemSalesTaxRet' || kind === 'ItemSalesTaxGroupRet') account = salesTaxAccount;
    else if (kind === 'ItemPaymentRet') account = ref(ret.DepositToAccountRef);
    else {
      account =
        ref(ret.IncomeAccountRef) ??
        ref(list(ret.SalesOrPurchase)[0]?.AccountRef) ??
        ref(list(ret.SalesAndPurchase)[0]?.IncomeAccountRef) ??
        ref(ret.AccountRef);
    }
    if (account === null) return;
    for (const key of [str(ret.ListID), str(ret.FullName)]) if (key !== null) byItem.set(key.toLowerCase(), account);
  });
  return byItem;
}

/** A QUANTYPE (up to five decimals) as a bigint scaled by 10^5; null when absent or not a number. */
function quantityOf(text: string | null): bigint | null {
  const match = text === null ? null : /^(-?)(\d*)(?:\.(\d{0,5}))?$/.exec(text.trim());
  if (!match || (match[2] === '' && !match[3])) return null;
  const scaled = BigInt(match[2] || '0') * 100_000n + BigInt((match[3] ?? '').padEnd(5, '0'));
  return match[1] === '-' ? -scaled : scaled;
}

/** numerator / denominator rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d + ((n % d) * 2n >= d ? 1n : 0n);
  return negative ? -q : q;
}

/**
 * What the open sales orders would post, by account (lower case): each line of an order neither invoiced in full
 * nor closed by hand credits its item's account with the part not yet invoiced; the order's sales tax credits the
 * sales tax account. A line whose item QuickBooks did not describe is refused: its account cannot be known.
 */
export function openSalesOrderLedger(
  salesOrders: readonly Obj[],
  accountOfItem: Map<string, string>,
  salesTaxAccount: string | null,
): Result<Map<string, LedgerEntry[]>> {
  const byAccount = new Map<string, LedgerEntry[]>();
  const add = (account: string, date: string, amount: Money, txnId: string | null) => {
    if (amount === 0n) return;
    const key = account.toLowerCase();
    const entry: LedgerEntry = { transactionType: 'SalesOrder', date, amount, ...(txnId ? { txnId } : {}) };
    byAccount.set(key, [...(byAccount.get(key) ?? []), entry]);
  };
  for (const order of salesOrders) {
    if (order.IsManuallyClosed === true || order.IsFullyInvoiced === true) continue;
    const date = str(order.TxnDate);
    if (date === null) return err(unreadable(`sales order ${str(order.TxnID)} has no date`));
    for (const line of list(order.SalesOrderLineRet)) {
      if (line.IsManuallyClosed === true) continue;
      const item = list(line.ItemRef)[0];
      const amount = str(line.Amount) === null ? null : amountOf(str(line.Amount)!);
      if (!item || amount === null) continue;
      const account =
        accountOfItem.get((str(item.ListID) ?? '').toLowerCase()) ??
        accountOfItem.get((str(item.FullName) ?? '').toLowerCase());
      if (account === undefined) {
        return err(
          unreadable(
            `the item ${str(item.FullName) ?? str(item.ListID)} of sales order ${str(order.RefNumber) ?? str(order.TxnID)} is not in the item list QuickBooks sent`,
          ),
        );
      }
      const ordered = quantityOf(str(line.Quantity));
      const invoiced = quantityOf(str(line.Invoiced)) ?? 0n;
      let open = amount;
      if (invoiced !== 0n && ordered !== null && ordered !== 0n) {
        if (invoiced >= ordered) continue;
        // Partly invoiced: the open share, rounded to the cent half away from zero.
        open = divideRounded(amount * (ordered - invoiced), ordered);
      }
      add(account, date, -open, str(order.TxnID));
    }
    const tax = str(order.SalesTaxTotal) === null ? 0n : amountOf(str(order.SalesTaxTotal)!);
    if (tax !== null && tax !== 0n) {
      if (salesTaxAccount === null)
        return err(unreadable('a sales order has sales tax and no sales tax account is known'));
      add(salesTaxAccount, date, -tax, str(order.TxnID));
    }
  }
  return ok(byAccount);
}

/** A LedgerReader over what was read: the ledger lines and what the open sales orders would post. */
export function readerFrom(ledger: Map<string, LedgerEntry[]>, openOrders: Map<string, LedgerEntry[]>): LedgerReader {
  const within = (entries: LedgerEntry[] | undefined, period: Period) =>
    (entries ?? []).filter((e) => e.date >= period.from && e.date <= period.to);
  return {
    entries: async (account, period) => within(ledger.get(account.toLowerCase()), period),
    openSalesOrders: async (account, period) => within(openOrders.get(account.toLowerCase()), period),
  };
}

/** The debit and credit totals of a TrialBalance summary report (its TotalRow). */
export function trialBalanceFromReport(report: Obj | undefined): Result<{ debits: Money; credits: Money }> {
  if (!report) return err(unreadable('the TrialBalance answer has no ReportRet'));
  const read = reportRows(report);
  if (!read.ok) return read;
  const total = read.value.rows.find((r) => r.kind === 'TotalRow');
  if (!total) return ok({ debits: 0n, credits: 0n });
  const debits = amountOf(total.cells.get('Debit') ?? '0');
  const credits = amountOf(total.cells.get('Credit') ?? '0');
  if (debits === null || credits === null) return err(unreadable('the trial balance totals are not numbers'));
  return ok({ debits, credits });
}
