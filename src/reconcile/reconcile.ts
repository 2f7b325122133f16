/**
 * Reconciliation: what Shopify says (Finance report definitions, computed from the source records) against what
 * QuickBooks holds (the ledger of the account mapped to each category), per category, to the cent.
 *
 * Definitions (shop currency, net of tax unless named tax; sales by the order's processedAt, refunds by the
 * refund's createdAt, in the shop's time zone; test orders excluded):
 * - grossSales: Σ originalUnitPrice × quantity of non-gift-card lines, net of tax for tax-inclusive prices
 * - discounts: Σ discount allocations on those lines (positive), net of tax likewise
 * - returns: Σ refund line subtotals of non-gift-card lines (positive)
 * - netSales: grossSales − discounts − returns
 * - shipping: Σ shipping lines after shipping discounts − Σ refunded shipping (net of tax)
 * - taxes: Σ tax lines of lines and shipping − Σ refunded tax
 * - tips: Σ tips received; giftCardsSold: Σ gift card lines sold
 * - duties: Σ duties charged − Σ duties refunded; additionalFees: Σ additional fees charged, net of their tax
 * - payments: per gateway, Σ successful SALE and CAPTURE − Σ successful REFUND and CHANGE, by transaction date
 * Two refinements, both what Shopify's Finance reports do and what the books post: the new items of a POS
 * exchange are sales of the exchange date (not of the original order's date); an order cancelled with no refund
 * (a voided authorisation, an unpaid order) is reversed on its cancel date — goods into returns, shipping, tax,
 * tips and gift cards back out.
 */

import type { OrderTransaction } from '../domain/index.ts';
import { localDate, type Money } from '../domain/index.ts';
import {
  type AccountMapping,
  additionalFeeAmounts,
  type Category,
  clearingCategoryFor,
  exchangeLineReturns,
  isPostedOrder,
  isTipLine,
  lineAmounts,
  normaliseGateway,
  orderLevelTip,
  readRefund,
  refundedDuties,
  shippingAmounts,
  shopMoney,
  type TransformSources,
  tipLineAmount,
} from '../transform/index.ts';
import { attributeCorrections, type Correction, type CorrectionSummary } from './corrections.ts';
import {
  datedIn,
  type HeldBackOrders,
  type HeldBackSummary,
  type OrderSummary,
  type Unposted,
  withoutUnposted,
} from './held-back.ts';

export interface Figures {
  grossSales: Money;
  discounts: Money;
  returns: Money;
  netSales: Money;
  shipping: Money;
  taxes: Money;
  tips: Money;
  giftCardsSold: Money;
  duties: Money;
  additionalFees: Money;
  /** Gateway (or gateways sharing one clearing account, joined with "+") → net money. */
  payments: Map<string, Money>;
}

export function emptyFigures(): Figures {
  return {
    grossSales: 0n,
    discounts: 0n,
    returns: 0n,
    netSales: 0n,
    shipping: 0n,
    taxes: 0n,
    tips: 0n,
    giftCardsSold: 0n,
    duties: 0n,
    additionalFees: 0n,
    payments: new Map(),
  };
}

export interface Period {
  /** YYYY-MM-DD, inclusive, in the shop's time zone. */
  from: string;
  to: string;
}

const MONEY_IN = new Set(['SALE', 'CAPTURE']);
const MONEY_OUT = new Set(['REFUND', 'CHANGE']);

/** Gateways grouped by the clearing account they share: the reconciliation can only compare accounts. */
export function gatewayGroups(gateways: Iterable<string>, mapping: AccountMapping): Map<string, string> {
  const byAccount = new Map<string, string[]>();
  for (const gateway of new Set(gateways)) {
    const account = mapping[clearingCategoryFor(gateway)].toLowerCase();
    byAccount.set(account, [...(byAccount.get(account) ?? []), gateway]);
  }
  const groupOf = new Map<string, string>();
  for (const list of byAccount.values()) {
    const name = [...list].sort().join('+');
    for (const gateway of list) groupOf.set(gateway, name);
  }
  return groupOf;
}

/** Every gateway that appears in the sources (normalised). */
export function gatewaysIn(sources: TransformSources): string[] {
  const set = new Set<string>();
  for (const order of sources.orders) {
    if (order.test) continue;
    for (const t of order.transactions) set.add(normaliseGateway(t.gateway));
    for (const r of order.refunds) for (const t of r.transactions) set.add(normaliseGateway(t.gateway));
  }
  return [...set].sort();
}

/** The Shopify side of the report, from source records. */
export function shopifyFigures(
  sources: TransformSources,
  period: Period,
  mapping: AccountMapping,
  /** The gateways payments are grouped over: those of every order (a subset of orders must not regroup them). */
  gateways: readonly string[] = gatewaysIn(sources),
  /** Ids of refunds held back alone (not posted, not entered by hand): in neither column. */
  skippedRefunds: ReadonlySet<string> = new Set(),
): Figures {
  const tz = sources.shop.ianaTimezone;
  const inPeriod = (date: string) => date >= period.from && date <= period.to;
  const f = emptyFigures();
  const groups = gatewayGroups(gateways, mapping);
  for (const order of sources.orders) {
    if (order.test) continue;
    const saleDate = localDate(order.processedAt, tz);
    const exchanges = exchangeLineReturns(order);
    for (const line of order.lineItems) {
      const exchange = exchanges.get(line.id);
      const date = exchange ? localDate(exchange.createdAt, tz) : saleDate;
      if (!inPeriod(date)) continue;
      if (isTipLine(line)) {
        f.tips += tipLineAmount(line);
        continue;
      }
      const amounts = lineAmounts(line, order.taxesIncluded);
      if (line.isGiftCard) f.giftCardsSold += amounts.net;
      else {
        f.grossSales += amounts.gross;
        f.discounts += amounts.discount;
      }
      f.taxes += amounts.tax;
    }
    if (inPeriod(saleDate)) {
      for (const shipping of order.shippingLines) {
        if (shipping.isRemoved) continue;
        const amounts = shippingAmounts(shipping, order.taxesIncluded);
        f.shipping += amounts.net;
        f.taxes += amounts.tax;
      }
      f.tips += orderLevelTip(order);
      f.duties += shopMoney(order.originalTotalDutiesSet);
      for (const fee of order.additionalFees ?? []) {
        const amounts = additionalFeeAmounts(fee, order.taxesIncluded);
        f.additionalFees += amounts.net;
        f.taxes += amounts.tax;
      }
    }
    const lineById = new Map(order.lineItems.map((l) => [l.id, l]));
    for (const refund of order.refunds) {
      if (skippedRefunds.has(refund.id) || !inPeriod(localDate(refund.createdAt, tz))) continue;
      // Before tax, as the refund's own money reads it. One that fits neither reading is held back (skipped) until
      // the merchant enters it in QuickBooks by hand; then it is expected there, counted as the order's prices say.
      const amounts = readRefund(refund, order.taxesIncluded);
      const taxIncluded = amounts.fits ? amounts.taxIncluded : order.taxesIncluded;
      for (const refundLine of refund.refundLineItems) {
        const item = lineById.get(refundLine.lineItem.id);
        const tax = shopMoney(refundLine.totalTaxSet);
        const returned = shopMoney(refundLine.subtotalSet) - (taxIncluded ? tax : 0n);
        if (item && isTipLine(item)) f.tips -= returned;
        else if (!item?.isGiftCard) f.returns += returned;
        f.taxes -= tax;
      }
      for (const shipping of refund.refundShippingLines) {
        const tax = shopMoney(shipping.taxAmountSet);
        f.shipping -= shopMoney(shipping.subtotalAmountSet) - (taxIncluded ? tax : 0n);
        f.taxes -= tax;
      }
      f.duties -= refundedDuties(refund);
    }
    if (order.cancelledAt && order.refunds.length === 0 && inPeriod(localDate(order.cancelledAt, tz))) {
      for (const line of order.lineItems) {
        if (exchanges.has(line.id)) continue;
        if (isTipLine(line)) {
          f.tips -= tipLineAmount(line);
          continue;
        }
        const amounts = lineAmounts(line, order.taxesIncluded);
        if (line.isGiftCard) f.giftCardsSold -= amounts.net;
        else f.returns += amounts.net;
        f.taxes -= amounts.tax;
      }
      for (const shipping of order.shippingLines) {
        if (shipping.isRemoved) continue;
        const amounts = shippingAmounts(shipping, order.taxesIncluded);
        f.shipping -= amounts.net;
        f.taxes -= amounts.tax;
      }
      f.tips -= orderLevelTip(order);
      f.duties -= shopMoney(order.originalTotalDutiesSet);
      for (const fee of order.additionalFees ?? []) {
        const amounts = additionalFeeAmounts(fee, order.taxesIncluded);
        f.additionalFees -= amounts.net;
        f.taxes -= amounts.tax;
      }
    }
    const seen = new Set<string>();
    const transactions: OrderTransaction[] = [...order.transactions, ...order.refunds.flatMap((r) => r.transactions)];
    // A held-back refund's money is in neither column either (Shopify lists it among the order's transactions too).
    for (const r of order.refunds) if (skippedRefunds.has(r.id)) for (const t of r.transactions) seen.add(t.id);
    for (const t of transactions) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.status !== 'SUCCESS' || t.test) continue;
      const sign = MONEY_IN.has(t.kind) ? 1n : MONEY_OUT.has(t.kind) ? -1n : 0n;
      if (sign === 0n || !inPeriod(localDate(t.processedAt ?? t.createdAt, tz))) continue;
      const gateway = normaliseGateway(t.gateway);
      const group = groups.get(gateway) ?? gateway;
      f.payments.set(group, (f.payments.get(group) ?? 0n) + sign * shopMoney(t.amountSet));
    }
  }
  f.netSales = f.grossSales - f.discounts - f.returns;
  return f;
}

/** One general-ledger line as QuickBooks reports it (General Ledger / Transaction Detail by Account). */
export interface LedgerEntry {
  /** QuickBooks transaction type: SalesReceipt, Invoice, CreditMemo, ReceivePayment, Deposit, JournalEntry, … */
  transactionType: string;
  date: string;
  /** Debit positive, credit negative. */
  amount: Money;
  /** QuickBooks' TxnID of the transaction, and its RefNumber, when the report gives them. */
  txnId?: string;
  refNumber?: string;
}

/**
 * Reads QuickBooks' ledger: built from QuickBooks' answers to report queries sent through the Web Connector
 * (quickbooks-reads.ts), or from the documents themselves before they are sent (`documentLedger`).
 */
export interface LedgerReader {
  entries(accountFullName: string, period: Period): Promise<LedgerEntry[]>;
  /**
   * What the open sales orders would post to the account (transactionType 'SalesOrder'). Sales orders are
   * non-posting in QuickBooks, yet they are sales QuickBooks holds — Shopify's reports count an unfulfilled order
   * as a sale on its date, and QuickBooks shows it in "Open Sales Orders by Item". Read from a SalesOrderQuery
   * (IncludeLineItems) through the Web Connector, each line priced to its item's account (report-reader.ts).
   */
  openSalesOrders?(accountFullName: string, period: Period): Promise<LedgerEntry[]>;
}

/**
 * On the liability and clearing accounts only the sales documents the connector posts count on the QuickBooks side:
 * the merchant's own work there (paying the sales tax, paying out tips, banking cash with a Deposit, Shopify
 * payouts) is not a sale or a payment by a customer. On the income accounts everything counts: nothing but sales
 * belongs there, so a journal entry made by hand on the sales account is a difference to show.
 */
const SALES_TYPES = new Set(['SalesReceipt', 'Invoice', 'CreditMemo', 'ReceivePayment']);
const INCOME_CATEGORIES: ReadonlySet<Category> = new Set(['productSales', 'discounts', 'returns', 'shippingIncome']);

const CLEARING: readonly Category[] = [
  'cashClearing',
  'shopifyPaymentsClearing',
  'giftCardClearing',
  'otherPaymentsClearing',
];
const DEFAULT_GATEWAY: Partial<Record<Category, string>> = {
  cashClearing: 'cash',
  shopifyPaymentsClearing: 'shopify_payments',
  giftCardClearing: 'gift_card',
  otherPaymentsClearing: 'manual',
};

/** The QuickBooks side of the report, read from the mapped accounts. */
export async function quickbooksFigures(
  reader: LedgerReader,
  mapping: AccountMapping,
  period: Period,
  gateways: readonly string[],
): Promise<Figures> {
  const inPeriod = (entry: LedgerEntry) => entry.date >= period.from && entry.date <= period.to;
  const activity = async (category: Category): Promise<Money> => {
    let total = 0n;
    const everything = INCOME_CATEGORIES.has(category);
    for (const entry of await reader.entries(mapping[category], period)) {
      if ((everything || SALES_TYPES.has(entry.transactionType)) && inPeriod(entry)) total += entry.amount;
    }
    return total;
  };
  /** Sales figures also count the sales QuickBooks holds as open sales orders. */
  const sales = async (category: Category): Promise<Money> => {
    // A mapping saved before a category existed has no account for it: nothing was posted there.
    if (!mapping[category]) return 0n;
    let total = await activity(category);
    for (const entry of (await reader.openSalesOrders?.(mapping[category], period)) ?? []) {
      if (entry.transactionType === 'SalesOrder' && inPeriod(entry)) total += entry.amount;
    }
    return total;
  };
  const f = emptyFigures();
  f.grossSales = -(await sales('productSales'));
  f.discounts = await sales('discounts');
  f.returns = await sales('returns');
  f.shipping = -(await sales('shippingIncome'));
  f.taxes = -(await sales('salesTaxPayable'));
  f.tips = -(await sales('tips'));
  f.giftCardsSold = -(await sales('giftCardLiability'));
  f.duties = -(await sales('duties'));
  f.additionalFees = -(await sales('additionalFees'));
  f.netSales = f.grossSales - f.discounts - f.returns;
  const groups = gatewayGroups(gateways, mapping);
  const done = new Set<string>();
  for (const category of CLEARING) {
    const account = mapping[category].toLowerCase();
    if (done.has(account)) continue;
    done.add(account);
    const amount = await activity(category);
    const group = [...groups].find(([g]) => mapping[clearingCategoryFor(g)].toLowerCase() === account)?.[1];
    if (group === undefined && amount === 0n) continue;
    f.payments.set(group ?? DEFAULT_GATEWAY[category]!, amount);
  }
  return f;
}

export interface ReconciliationReport {
  period: Period;
  shopify: Figures;
  quickbooks: Figures;
  differences: { category: string; shopify: Money; quickbooks: Money }[];
  /**
   * The part of the Shopify figures that belongs to orders still open (held as Sales Orders, which post nothing):
   * the expected difference until they are fulfilled. Payments are not in it: deposits on open orders are posted.
   */
  openOrders: Figures;
  /** True when the QuickBooks side counts the open sales orders (the reader can list them). */
  salesOrdersCounted: boolean;
  /**
   * Orders the connector held back for damaged data (sale dated in the period): nothing of them is posted, so they
   * are in neither column, while Shopify's own reports count them — the reason Shopify's totals differ from the
   * Shopify column until they are corrected.
   */
  heldBack: HeldBackSummary[];
  /**
   * Orders (sale dated in the period) that reached the connector after the last sync read the orders: in neither
   * column until the next sync posts them — pending, not a difference.
   */
  notYetSynced: OrderSummary[];
  /**
   * Adjustments QuickBooks holds on another day than the one they correct (a late order of a posted day, an edit):
   * counted on the day they correct, named with the day that carried them.
   */
  corrections: CorrectionSummary[];
}

export const SCALARS = [
  'grossSales',
  'discounts',
  'returns',
  'netSales',
  'shipping',
  'taxes',
  'tips',
  'giftCardsSold',
  'duties',
  'additionalFees',
] as const;

export function compareFigures(
  period: Period,
  shopify: Figures,
  quickbooks: Figures,
  openOrders: Figures = emptyFigures(),
  salesOrdersCounted = false,
  named: Partial<Pick<ReconciliationReport, 'heldBack' | 'notYetSynced' | 'corrections'>> = {},
): ReconciliationReport {
  const differences: ReconciliationReport['differences'] = [];
  for (const key of SCALARS) {
    if (shopify[key] !== quickbooks[key])
      differences.push({ category: key, shopify: shopify[key], quickbooks: quickbooks[key] });
  }
  const gateways = [...new Set([...shopify.payments.keys(), ...quickbooks.payments.keys()])].sort();
  for (const gateway of gateways) {
    const s = shopify.payments.get(gateway) ?? 0n;
    const q = quickbooks.payments.get(gateway) ?? 0n;
    if (s !== q) differences.push({ category: `payments.${gateway}`, shopify: s, quickbooks: q });
  }
  return {
    period,
    shopify,
    quickbooks,
    differences,
    openOrders,
    salesOrdersCounted,
    heldBack: named.heldBack ?? [],
    notYetSynced: named.notYetSynced ?? [],
    corrections: named.corrections ?? [],
  };
}

/** What the connector knows that QuickBooks' reports and the source records do not say by themselves. */
export interface ReconcileOptions {
  /** What the last sync held back (else every order is checked again). */
  heldBack?: HeldBackOrders;
  /** Ids of the orders the last sync never read: pending, or held back if the order checks fail them. */
  notYetSynced?: ReadonlySet<string>;
  /** The adjustments the connector posted on a later day than the documents they correct. */
  corrections?: readonly Correction[];
  /** Keys the merchant entered in QuickBooks by hand (`refund/<id>`): expected in QuickBooks. */
  enteredByHand?: ReadonlySet<string>;
}

export function unpostedOptions(options: ReconcileOptions) {
  return { known: options.heldBack, notYetSynced: options.notYetSynced, enteredByHand: options.enteredByHand };
}

/** Runs the whole report for a period. */
export async function reconcile(
  sources: TransformSources,
  reader: LedgerReader,
  mapping: AccountMapping,
  period: Period,
  options: ReconcileOptions = {},
): Promise<ReconciliationReport> {
  const unposted = withoutUnposted(sources, mapping, unpostedOptions(options));
  const attributed = attributeCorrections(reader, options.corrections ?? []);
  const gateways = gatewaysIn(unposted.sources);
  return reconcileOrders(unposted.sources, attributed, mapping, period, gateways, unposted);
}

/** One report over `sources` (the orders that count in it), read from the attributed reader. */
export async function reconcileOrders(
  sources: TransformSources,
  attributed: ReturnType<typeof attributeCorrections>,
  mapping: AccountMapping,
  period: Period,
  gateways: readonly string[],
  unposted: Unposted,
): Promise<ReconciliationReport> {
  const reader = attributed.reader;
  const shopify = shopifyFigures(sources, period, mapping, gateways, unposted.skippedRefunds);
  const quickbooks = await quickbooksFigures(reader, mapping, period, gateways);
  const openSources = { ...sources, orders: sources.orders.filter((o) => !isPostedOrder(o)) };
  const open = shopifyFigures(openSources, period, mapping, gateways, unposted.skippedRefunds);
  open.payments = new Map();
  return compareFigures(period, shopify, quickbooks, open, reader.openSalesOrders !== undefined, {
    heldBack: datedIn(unposted.held, period),
    notYetSynced: datedIn(unposted.notYetSynced, period),
    corrections: attributed.corrections(period),
  });
}
