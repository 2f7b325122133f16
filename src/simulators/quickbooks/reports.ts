import { formatMoney, type Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { LedgerLine } from './company-file.ts';
import { formatQuantity, formatUnitCost } from './decimal.ts';
import { averageUnitCost } from './inventory.ts';
import { text } from './qb-object.ts';

/**
 * Reports from the general ledger, as data (for tests and the reconciliation) and as text (for people).
 * Balances are debit-positive hundredths; the text shows each in the column QuickBooks would.
 */
export interface AccountBalance {
  listId: string;
  fullName: string;
  accountType: string;
  /** Debit positive. */
  balance: Money;
}

export interface TrialBalance {
  asOf: string;
  accounts: AccountBalance[];
  totalDebits: Money;
  totalCredits: Money;
}

export interface ProfitAndLoss {
  from: string;
  to: string;
  income: AccountBalance[];
  costOfGoodsSold: AccountBalance[];
  expenses: AccountBalance[];
  /** Credit-positive income minus expenses. */
  netIncome: Money;
}

export interface BalanceSheet {
  asOf: string;
  assets: AccountBalance[];
  liabilities: AccountBalance[];
  equity: AccountBalance[];
  /** Net income of all time up to the date, shown in equity as QuickBooks does. */
  netIncome: Money;
  totalAssets: Money;
  totalLiabilitiesAndEquity: Money;
}

export interface InventoryValuationRow {
  listId: string;
  fullName: string;
  quantityOnHand: string;
  averageCost: string;
  assetValue: Money;
}

const INCOME = new Set(['Income', 'OtherIncome']);
const COGS = new Set(['CostOfGoodsSold']);
const EXPENSE = new Set(['Expense', 'OtherExpense']);
const ASSET = new Set(['Bank', 'AccountsReceivable', 'OtherCurrentAsset', 'FixedAsset', 'OtherAsset']);
const LIABILITY = new Set(['AccountsPayable', 'CreditCard', 'OtherCurrentLiability', 'LongTermLiability']);

function balances(books: Books, from?: string, to?: string): AccountBalance[] {
  const sums = books.file.accountBalances(from, to);
  return books.file
    .listsOfTypes(['Account'])
    .map((row) => ({
      listId: row.listId,
      fullName: books.fullName(row),
      accountType: text(row.ret, 'AccountType') ?? '',
      balance: sums.get(row.listId) ?? 0n,
    }))
    .filter((a) => a.balance !== 0n);
}

/**
 * A report "as of" no date given runs through the last posting, as QuickBooks' "All" date range does (a sentinel far
 * in the future would be printed in the report's title).
 */
function reportDate(books: Books, asOf: string | undefined): string {
  return asOf ?? books.file.lastLedgerDate() ?? books.clock.now().toISOString().slice(0, 10);
}

export function trialBalance(books: Books, asOfDate?: string): TrialBalance {
  const asOf = reportDate(books, asOfDate);
  const accounts = balances(books, undefined, asOf);
  let totalDebits = 0n;
  let totalCredits = 0n;
  for (const a of accounts) {
    if (a.balance > 0n) totalDebits += a.balance;
    else totalCredits -= a.balance;
  }
  return { asOf, accounts, totalDebits, totalCredits };
}

export function profitAndLoss(books: Books, from = '0000-01-01', to = '9999-12-31'): ProfitAndLoss {
  const accounts = balances(books, from, to);
  const income = accounts.filter((a) => INCOME.has(a.accountType));
  const costOfGoodsSold = accounts.filter((a) => COGS.has(a.accountType));
  const expenses = accounts.filter((a) => EXPENSE.has(a.accountType));
  const netIncome = -[...income, ...costOfGoodsSold, ...expenses].reduce((s, a) => s + a.balance, 0n);
  return { from, to, income, costOfGoodsSold, expenses, netIncome };
}

export function balanceSheet(books: Books, asOfDate?: string): BalanceSheet {
  const asOf = reportDate(books, asOfDate);
  const accounts = balances(books, undefined, asOf);
  const assets = accounts.filter((a) => ASSET.has(a.accountType));
  const liabilities = accounts.filter((a) => LIABILITY.has(a.accountType));
  const equity = accounts.filter((a) => a.accountType === 'Equity');
  const netIncome = profitAndLoss(books, '0000-01-01', asOf).netIncome;
  const totalAssets = assets.reduce((s, a) => s + a.balance, 0n);
  const totalLiabilitiesAndEquity = -[...liabilities, ...equity].reduce((s, a) => s + a.balance, 0n) + netIncome;
  return { asOf, assets, liabilities, equity, netIncome, totalAssets, totalLiabilitiesAndEquity };
}

export function inventoryValuation(books: Books): InventoryValuationRow[] {
  return books.file.listsOfTypes(['ItemInventory']).map((item) => {
    const state = books.file.inventory(item.listId);
    return {
      listId: item.listId,
      fullName: books.fullName(item),
      quantityOnHand: formatQuantity(state.quantity),
      averageCost: formatUnitCost(averageUnitCost(state.quantity, state.value, state.lastCost)),
      assetValue: state.value,
    };
  });
}

/** General-ledger lines of one account (by ListID or full name) within a date range, for the reconciliation. */
export function generalLedger(books: Books, account: string, from?: string, to?: string): LedgerLine[] {
  const row = books.file.listById(account) ?? books.file.listByName('account', account);
  if (!row) return [];
  return books.file.ledgerLines({ accountId: row.listId, fromDate: from, toDate: to });
}

/**
 * What the open sales orders would post to an account (debit positive), dated by the order — QuickBooks' "Open
 * Sales Orders by Item" report, by account. Orders fully invoiced or closed by hand are no longer open.
 */
export function openSalesOrderLedger(books: Books, account: string, from?: string, to?: string): LedgerLine[] {
  const row = books.file.listById(account) ?? books.file.listByName('account', account);
  if (!row) return [];
  const open = new Map<string, boolean>();
  return books.file
    .ledgerLines({ accountId: row.listId, fromDate: from, toDate: to }, 'non_posting_ledger')
    .filter((line) => {
      let isOpen = open.get(line.txnId);
      if (isOpen === undefined) {
        const txn = books.file.txnById(line.txnId);
        isOpen = txn !== null && txn.ret.IsFullyInvoiced !== 'true' && txn.ret.IsManuallyClosed !== 'true';
        open.set(line.txnId, isOpen);
      }
      return isOpen;
    });
}

// Text ----------------------------------------------------------------------------------------------------------

const WIDTH = 44;

function line(label: string, ...columns: string[]): string {
  return label.padEnd(WIDTH) + columns.map((c) => c.padStart(14)).join('');
}

export function trialBalanceText(report: TrialBalance, companyName: string): string {
  const rows = report.accounts.map((a) =>
    line(a.fullName, a.balance > 0n ? formatMoney(a.balance) : '', a.balance < 0n ? formatMoney(-a.balance) : ''),
  );
  return [
    companyName,
    `Trial Balance as of ${report.asOf}`,
    '',
    line('', 'Debit', 'Credit'),
    ...rows,
    line('TOTAL', formatMoney(report.totalDebits), formatMoney(report.totalCredits)),
  ].join('\n');
}

export function profitAndLossText(report: ProfitAndLoss, companyName: string): string {
  const section = (title: string, accounts: AccountBalance[], sign: 1n | -1n) => {
    const total = accounts.reduce((s, a) => s + a.balance, 0n) * sign;
    return [
      title,
      ...accounts.map((a) => line(`  ${a.fullName}`, formatMoney(a.balance * sign))),
      line(`Total ${title}`, formatMoney(total)),
    ];
  };
  return [
    companyName,
    `Profit & Loss ${report.from} to ${report.to}`,
    '',
    ...section('Income', report.income, -1n),
    ...section('Cost of Goods Sold', report.costOfGoodsSold, 1n),
    ...section('Expense', report.expenses, 1n),
    line('Net Income', formatMoney(report.netIncome)),
  ].join('\n');
}

export function balanceSheetText(report: BalanceSheet, companyName: string): string {
  const rows = (accounts: AccountBalance[], sign: 1n | -1n) =>
    accounts.map((a) => line(`  ${a.fullName}`, formatMoney(a.balance * sign)));
  return [
    companyName,
    `Balance Sheet as of ${report.asOf}`,
    '',
    'ASSETS',
    ...rows(report.assets, 1n),
    line('TOTAL ASSETS', formatMoney(report.totalAssets)),
    'LIABILITIES & EQUITY',
    ...rows(report.liabilities, -1n),
    ...rows(report.equity, -1n),
    line('  Net Income', formatMoney(report.netIncome)),
    line('TOTAL LIABILITIES & EQUITY', formatMoney(report.totalLiabilitiesAndEquity)),
  ].join('\n');
}

export function inventoryValuationText(rows: InventoryValuationRow[], companyName: string): string {
  return [
    companyName,
    'Inventory Valuation Summary',
    '',
    line('Item', 'On Hand', 'Avg Cost', 'Asset Value'),
    ...rows.map((r) => line(r.fullName, r.quantityOnHand, r.averageCost, formatMoney(r.assetValue))),
    line('TOTAL', '', '', formatMoney(rows.reduce((s, r) => s + r.assetValue, 0n))),
  ].join('\n');
}
