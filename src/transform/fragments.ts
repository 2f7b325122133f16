/**
 * Sales fragments: the accounting content of one business event of an order (a sale, a refund, a payment, goods
 * leaving or coming back) before it is cut into documents. Detailed mode makes one document per fragment; Summary
 * mode adds up the fragments of a day and location into one document, so both modes post the same totals by
 * construction. Here are their shapes and the line arithmetic shared by sales (`sales.ts`) and refunds
 * (`refunds.ts`).
 */

import type { LineItem, Order, OrderTransaction } from '../domain/index.ts';
import { type Money, sumMoney } from '../domain/index.ts';
import { type Category, normaliseGateway } from './accounts.ts';
import {
  additionalFeeAmounts,
  isTipLine,
  lineAmounts,
  numericId,
  orderLevelTip,
  shippingAmounts,
  shopMoney,
  tipLineAmount,
} from './amounts.ts';
import type { SalesLine } from './documents.ts';

export const SERVICE_ITEMS = {
  shipping: 'item/shipping',
  salesTax: 'item/sales-tax',
  tip: 'item/tip',
  giftCard: 'item/gift-card',
  discount: 'item/discount',
  overShort: 'item/over-short',
  duties: 'item/duties',
  additionalFee: 'item/additional-fee',
} as const;

export function tenderItemKey(gateway: string): string {
  return `item/tender/${gateway}`;
}

export function paymentMethodKey(gateway: string): string {
  return `payment-method/${gateway}`;
}

export type SalesFragmentKind = 'receipt' | 'invoice' | 'credit' | 'salesOrder';

export interface SalesFragment {
  kind: SalesFragmentKind;
  /** The Detailed document key. */
  key: string;
  /** Summary grouping: sales, refunds, invoices, credits, sales-orders. */
  group: 'sales' | 'refunds' | 'invoices' | 'credits' | 'sales-orders';
  locationKey: string;
  date: string;
  customer: string;
  classKey: string | null;
  refText: string;
  memo: string;
  /** As on a sales receipt/invoice: positive credits the line's category. Credit fragments keep this sign too. */
  lines: SalesLine[];
  /** Receipts: money by gateway, positive = received, negative = paid back. */
  money: Map<string, Money>;
}

export interface PaymentFragment {
  kind: 'payment';
  key: string;
  apply: 'auto' | 'none';
  locationKey: string;
  date: string;
  customer: string;
  gateway: string;
  amount: Money;
  refText: string;
  memo: string;
}

export interface CostEntry {
  locationKey: string;
  date: string;
  classKey: string | null;
  /** Positive: goods sold (debit COGS); negative: goods returned to stock. */
  amount: Money;
  orderName: string;
}

export interface TransformNote {
  key: string;
  code: string;
  text: string;
}

export interface OrderContext {
  timeZone: string;
  /** The local date (YYYY-MM-DD) of an ISO instant in the shop's zone. */
  dateOf(instant: string): string;
  locationKeyOf(order: Order): string;
  classKeyOf(locationKey: string): string | null;
  customerOf(order: Order, locationKey: string): string;
  itemOf(line: LineItem): string;
  notes: TransformNote[];
  /** Keys the merchant entered in QuickBooks by hand (TransformSettings.enteredByHand): produce nothing for them. */
  enteredByHand: ReadonlySet<string>;
}

export interface OrderOutput {
  fragments: SalesFragment[];
  payments: PaymentFragment[];
  costs: CostEntry[];
  /** Receipts whose money and lines differ by more than the documented cases explain: the order is held back. */
  unexplained: UnexplainedDifference[];
}

/** A receipt whose money is not its lines plus cash rounding and refund discrepancies. */
export interface UnexplainedDifference {
  refText: string;
  date: string;
  /** Σ money that moved (received positive). */
  money: Money;
  /** Σ the receipt's lines. */
  lines: Money;
  /** What cash rounding and refund discrepancies account for. */
  explained: Money;
}

export interface MoneyMove {
  gateway: string;
  date: string;
  amount: Money;
  /**
   * The cash rounding on the transaction, signed as the difference it makes between the money and the lines it
   * pays for (money − lines): the customer handed over (or got back) the rounded amount.
   */
  rounding: Money;
}

const MONEY_IN = new Set(['SALE', 'CAPTURE']);
const MONEY_OUT = new Set(['REFUND', 'CHANGE']);

export function moveOf(transaction: OrderTransaction, dateOf: (instant: string) => string): MoneyMove | null {
  if (transaction.status !== 'SUCCESS' || transaction.test) return null;
  const sign = MONEY_IN.has(transaction.kind) ? 1n : MONEY_OUT.has(transaction.kind) ? -1n : 0n;
  if (sign === 0n) return null;
  return {
    gateway: normaliseGateway(transaction.gateway),
    date: dateOf(transaction.processedAt ?? transaction.createdAt),
    amount: sign * shopMoney(transaction.amountSet),
    rounding: -sign * shopMoney(transaction.amountRoundingSet),
  };
}

/** Fulfilment states in which the goods have left (or never needed to leave): the sale is recognised. */
/** unit cost (decimal string, any precision) × quantity, rounded half away from zero to hundredths. */
export function costTimes(unitCost: string, quantity: number): Money {
  const match = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(unitCost.trim());
  if (!match) throw new RangeError(`Not a decimal cost: ${unitCost}`);
  const fraction = match[3] ?? '';
  const scale = 10n ** BigInt(Math.max(fraction.length, 2) - 2);
  const scaled = BigInt(match[2]! + fraction.padEnd(2, '0')) * BigInt(quantity);
  const abs = scaled < 0n ? -scaled : scaled;
  const rounded = (abs + scale / 2n) / scale;
  const signed = scaled < 0n ? -rounded : rounded;
  return match[1] === '-' ? -signed : signed;
}

export function addMoney(map: Map<string, Money>, gateway: string, amount: Money): void {
  map.set(gateway, (map.get(gateway) ?? 0n) + amount);
}

export function line(
  item: string,
  description: string,
  quantity: number | null,
  amount: Money,
  category: Category,
  classKey: string | null,
): SalesLine {
  return { item, description, quantity, amount, category, classKey };
}

/** Sales lines for line items (and optionally shipping and the order-level tip) of an order. */
export function saleLinesFor(
  order: Order,
  items: readonly LineItem[],
  withShippingAndTip: boolean,
  ctx: OrderContext,
  classKey: string | null,
): { lines: SalesLine[]; goods: LineItem[] } {
  const lines: SalesLine[] = [];
  const goods: LineItem[] = [];
  const discounts = new Map<string, Money>();
  const taxes = new Map<string, Money>();
  const addTaxes = (taxLines: LineItem['taxLines']) => {
    for (const tax of taxLines) {
      const title = tax.title?.trim() || 'Sales tax';
      const label = tax.ratePercentage !== null ? `${title} ${tax.ratePercentage}%` : title;
      taxes.set(label, (taxes.get(label) ?? 0n) + shopMoney(tax.priceSet));
    }
  };
  for (const item of items) {
    if (isTipLine(item)) {
      lines.push(line(SERVICE_ITEMS.tip, 'Tip', null, tipLineAmount(item), 'tips', classKey));
      continue;
    }
    const amounts = lineAmounts(item, order.taxesIncluded);
    if (item.isGiftCard) {
      // A gift card sold is money held for the card holder: a liability, never revenue.
      lines.push(
        line(
          SERVICE_ITEMS.giftCard,
          `Gift card sold: ${item.name}`,
          item.quantity,
          amounts.net,
          'giftCardLiability',
          classKey,
        ),
      );
    } else {
      goods.push(item);
      lines.push(line(ctx.itemOf(item), item.name, item.quantity, amounts.gross, 'productSales', classKey));
      for (const part of amounts.discounts) discounts.set(part.title, (discounts.get(part.title) ?? 0n) + part.amount);
    }
    addTaxes(item.taxLines);
  }
  if (withShippingAndTip) {
    for (const shipping of order.shippingLines) {
      if (shipping.isRemoved) continue;
      const amounts = shippingAmounts(shipping, order.taxesIncluded);
      if (amounts.net !== 0n)
        lines.push(
          line(SERVICE_ITEMS.shipping, `Shipping: ${shipping.title}`, null, amounts.net, 'shippingIncome', classKey),
        );
      addTaxes(shipping.taxLines);
    }
    const tip = orderLevelTip(order);
    if (tip !== 0n) lines.push(line(SERVICE_ITEMS.tip, 'Tip', null, tip, 'tips', classKey));
    const duties = shopMoney(order.originalTotalDutiesSet);
    if (duties !== 0n) lines.push(line(SERVICE_ITEMS.duties, 'Duties', null, duties, 'duties', classKey));
    for (const fee of order.additionalFees ?? []) {
      const amounts = additionalFeeAmounts(fee, order.taxesIncluded);
      if (amounts.net !== 0n)
        lines.push(
          line(SERVICE_ITEMS.additionalFee, `Fee: ${fee.name}`, null, amounts.net, 'additionalFees', classKey),
        );
      addTaxes(fee.taxLines);
    }
  }
  for (const [title, amount] of [...discounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (amount !== 0n)
      lines.push(line(SERVICE_ITEMS.discount, `Discount: ${title}`, null, -amount, 'discounts', classKey));
  }
  for (const [title, amount] of [...taxes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (amount !== 0n) lines.push(line(SERVICE_ITEMS.salesTax, title, null, amount, 'salesTaxPayable', classKey));
  }
  return { lines, goods };
}

export function costOf(items: readonly { item: LineItem; quantity: number }[], ctx: OrderContext, order: Order): Money {
  let total = 0n;
  for (const { item, quantity } of items) {
    const cost = item.variant?.inventoryItem.unitCost?.amount ?? null;
    if (cost === null) {
      if (item.variant !== null) {
        ctx.notes.push({
          key: `order/${numericId(order.id)}`,
          code: 'UNIT_COST_MISSING',
          text: `Order ${order.name}: "${item.name}" has no unit cost in Shopify, so no cost of goods sold was posted for it. Add the cost to the product in Shopify to have it counted.`,
        });
      }
      continue;
    }
    total += costTimes(cost, quantity);
  }
  return total;
}

/**
 * Adds the over/short line that makes a receipt's lines equal the money that moved. This is the only line posted to
 * Over/Short, and only for what the documented cases explain: cash rounding and refund discrepancies (`explained`;
 * cash change is netted in the money itself, so it never leaves a difference). Any other difference is recorded in
 * the order's output as unexplained, and the order is held back rather than posted with a plug.
 */
export function withOverShort(
  lines: SalesLine[],
  money: Map<string, Money>,
  classKey: string | null,
  check: { explained: Money; output: OrderOutput; refText: string; date: string },
): SalesLine[] {
  const moneyTotal = sumMoney(money.values());
  const linesTotal = sumMoney(lines.map((l) => l.amount));
  const difference = moneyTotal - linesTotal;
  if (difference !== check.explained) {
    check.output.unexplained.push({
      refText: check.refText,
      date: check.date,
      money: moneyTotal,
      lines: linesTotal,
      explained: check.explained,
    });
  }
  if (difference === 0n) return lines;
  return [
    ...lines,
    line(SERVICE_ITEMS.overShort, 'Cash rounding / over-short', null, difference, 'cashRounding', classKey),
  ];
}
