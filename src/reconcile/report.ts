/**
 * The reconciliation report as people and programs read it: the JSON shape of the API and `--json`, and the text
 * table of `qbd-connector reconcile` and the demo.
 */
import { formatMoney, type Money } from '../domain/index.ts';
import type { CorrectionSummary } from './corrections.ts';
import type { HeldBackSummary, OrderSummary } from './held-back.ts';
import { type Figures, type ReconciliationReport, SCALARS } from './reconcile.ts';

export interface FiguresJson {
  grossSales: string;
  discounts: string;
  returns: string;
  netSales: string;
  shipping: string;
  taxes: string;
  tips: string;
  giftCardsSold: string;
  duties: string;
  additionalFees: string;
  payments: Record<string, string>;
}

export interface ReconciliationJson {
  period: { from: string; to: string };
  shopify: FiguresJson;
  quickbooks: FiguresJson;
  differences: { category: string; shopify: string; quickbooks: string }[];
  /** Orders held back for damaged data: in neither column (see ReconciliationReport.heldBack). */
  heldBack: HeldBackSummary[];
  /** Orders the last sync never read: in neither column until the next sync (see ReconciliationReport.notYetSynced). */
  notYetSynced: OrderSummary[];
  /** Adjustments counted on the day they correct, with the day QuickBooks has them on. */
  corrections: CorrectionSummary[];
}

function figuresJson(f: Figures): FiguresJson {
  return {
    grossSales: formatMoney(f.grossSales),
    discounts: formatMoney(f.discounts),
    returns: formatMoney(f.returns),
    netSales: formatMoney(f.netSales),
    shipping: formatMoney(f.shipping),
    taxes: formatMoney(f.taxes),
    tips: formatMoney(f.tips),
    giftCardsSold: formatMoney(f.giftCardsSold),
    duties: formatMoney(f.duties),
    additionalFees: formatMoney(f.additionalFees),
    payments: Object.fromEntries(
      [...f.payments].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, m]) => [g, formatMoney(m)]),
    ),
  };
}

/** The machine-readable form, in exactly the issue's shape (amounts as decimal strings with two decimals). */
export function reportJson(report: ReconciliationReport): ReconciliationJson {
  return {
    period: { from: report.period.from, to: report.period.to },
    shopify: figuresJson(report.shopify),
    quickbooks: figuresJson(report.quickbooks),
    differences: report.differences.map((d) => ({
      category: d.category,
      shopify: formatMoney(d.shopify),
      quickbooks: formatMoney(d.quickbooks),
    })),
    heldBack: report.heldBack.map((h) => ({ ...h })),
    notYetSynced: report.notYetSynced.map((o) => ({ ...o })),
    corrections: report.corrections.map((c) => ({ ...c })),
  };
}

const LABELS: Record<(typeof SCALARS)[number], string> = {
  grossSales: 'Gross sales',
  discounts: 'Discounts',
  returns: 'Returns',
  netSales: 'Net sales',
  shipping: 'Shipping',
  taxes: 'Taxes',
  tips: 'Tips',
  giftCardsSold: 'Gift cards sold',
  duties: 'Duties',
  additionalFees: 'Additional fees',
};

/** Shopify's gateway ids as a person reads them (the JSON keeps the ids). */
const GATEWAY_WORDS: Record<string, string> = {
  shopify_payments: 'Shopify Payments',
  cash: 'Cash',
  gift_card: 'Gift card',
  paypal: 'PayPal',
  bank_deposit: 'Bank deposit',
  'cash_on_delivery_(cod)': 'Cash on delivery (COD)',
  exchange_credit: 'Exchange credit',
  manual: 'Manual payment',
  money_order: 'Money order',
  shop_cash: 'Shop Cash',
  store_credit: 'Store credit',
};

export function gatewayLabel(gateway: string): string {
  const known = GATEWAY_WORDS[gateway];
  if (known) return known;
  const words = gateway.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A group of gateways sharing one clearing account (`a+b`), each in words. */
function gatewayGroupLabel(group: string): string {
  return group.split('+').map(gatewayLabel).join(', ');
}

/** The readable table for people. */
export function reportText(report: ReconciliationReport): string {
  const rows: [string, Money, Money][] = SCALARS.map((k) => [LABELS[k], report.shopify[k], report.quickbooks[k]]);
  const gateways = [...new Set([...report.shopify.payments.keys(), ...report.quickbooks.payments.keys()])].sort();
  for (const g of gateways)
    rows.push([
      `Payments: ${gatewayGroupLabel(g)}`,
      report.shopify.payments.get(g) ?? 0n,
      report.quickbooks.payments.get(g) ?? 0n,
    ]);
  const width = Math.max(24, ...rows.map(([label]) => label.length + 2));
  const cell = (text: string) => text.padStart(16);
  const lines = [
    `Reconciliation ${report.period.from} to ${report.period.to}`,
    '',
    'Category'.padEnd(width) + cell('Shopify') + cell('QuickBooks') + cell('Difference'),
    '-'.repeat(width + 48),
  ];
  const open = new Map<string, Money>(SCALARS.map((k) => [LABELS[k], report.openOrders[k]]));
  const anyOpen = SCALARS.some((k) => report.openOrders[k] !== 0n);
  lines[2] += anyOpen ? cell('In sales orders') : '';
  lines[3] += anyOpen ? '-'.repeat(16) : '';
  let unexplained = 0;
  for (const [label, s, q] of rows) {
    const held = open.get(label) ?? 0n;
    // When QuickBooks' side counts the open sales orders, any difference is unexplained; otherwise the open
    // orders are the expected gap.
    if (s !== q && (report.salesOrdersCounted || s - q !== held)) unexplained++;
    lines.push(
      label.padEnd(width) +
        cell(formatMoney(s)) +
        cell(formatMoney(q)) +
        cell(formatMoney(q - s)) +
        (anyOpen ? cell(held === 0n ? '' : formatMoney(held)) : ''),
    );
  }
  lines.push('');
  if (report.differences.length === 0) lines.push('QuickBooks matches Shopify to the cent in every category.');
  else {
    lines.push(
      `${report.differences.length} difference(s)${unexplained === 0 ? ', all of them orders still open in Shopify' : `, ${unexplained} not explained by open orders: look at these first`}.`,
    );
  }
  if (anyOpen) {
    lines.push(
      report.salesOrdersCounted
        ? 'Orders still open in Shopify (not fulfilled, cancelled or refunded) are held in QuickBooks as Sales Orders: they post nothing until fulfilled, and the QuickBooks column counts them from the open sales orders. Deposits taken on them are posted payments.'
        : 'Orders still open in Shopify (not fulfilled, cancelled or refunded) are held in QuickBooks as Sales Orders, which post nothing until the order is fulfilled; deposits taken on them are posted.',
    );
  }
  lines.push(...heldBackText(report.heldBack));
  lines.push(...notYetSyncedText(report.notYetSynced));
  lines.push(...correctionsText(report.corrections));
  return `${lines.join('\n')}\n`;
}

/**
 * Orders held back are in neither column: said with their totals as Shopify wrote them, so the accountant sees why
 * Shopify's own reports show more than the Shopify column, and what to correct.
 */
function heldBackText(held: readonly HeldBackSummary[]): string[] {
  const orders = held.filter((h) => h.refund === undefined);
  const refunds = held.filter((h) => h.refund !== undefined);
  const lines: string[] = [];
  if (orders.length > 0) {
    lines.push(
      '',
      `${orders.length} order(s) held back for damaged data are in neither column: nothing of them is posted, while Shopify's own reports count them. Correct them in Shopify and the next sync posts them.`,
    );
    for (const h of orders)
      lines.push(`  ${h.order} (${h.date}), total ${h.total} ${h.currency} [${h.code}]: ${h.reason}`);
  }
  if (refunds.length > 0) {
    lines.push(
      '',
      `${refunds.length} refund(s) whose amounts fit no reading are in neither column: the connector did not post them. Enter each in QuickBooks by hand and mark it entered; from then on it is expected in QuickBooks.`,
    );
    for (const h of refunds)
      lines.push(
        `  ${h.refund} of ${h.order} (${h.date}), paid back ${h.total} ${h.currency} [${h.code}]: ${h.reason}`,
      );
  }
  return lines;
}

/** Orders the last sync never read: pending, not a difference; the next sync posts them (or holds them back). */
function notYetSyncedText(orders: readonly OrderSummary[]): string[] {
  if (orders.length === 0) return [];
  const lines = [
    '',
    `${orders.length} order(s) reached the connector after the last sync and are in neither column: the next sync posts them.`,
  ];
  for (const o of orders) lines.push(`  ${o.order} (${o.date}), total ${o.total} ${o.currency}`);
  return lines;
}

/**
 * Adjustments posted on a later day than the one they correct: counted on the day they correct, so neither day shows
 * a difference, and named with the day QuickBooks has them on — where an accountant finds the money.
 */
function correctionsText(corrections: readonly CorrectionSummary[]): string[] {
  if (corrections.length === 0) return [];
  const lines = [
    '',
    `${corrections.length} correction(s) posted in QuickBooks on a later day are counted on the day they correct (the day already posted stays as it was):`,
  ];
  for (const c of corrections) {
    const ref = c.refNumber ? ` ${c.refNumber}` : '';
    lines.push(`  ${c.transactionType}${ref} posted on ${c.postedOn} corrects ${c.corrects} (${c.document})`);
  }
  return lines;
}
