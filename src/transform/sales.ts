/**
 * Orders, refunds and exchanges → sales "fragments": the accounting content of one business event (a sale, a
 * refund, a payment) before it is cut into documents. Detailed mode makes one document per fragment; Summary
 * mode adds up the fragments of a day and location into one document, so both modes post the same totals by
 * construction.
 */

import { type Money, sumMoney } from '../domain/money.ts';
import type { LineItem, Order, OrderTransaction } from '../domain/shopify-records.ts';
import { type Category, normaliseGateway } from './accounts.ts';
import {
  exchangeLineReturns,
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
}

export interface OrderOutput {
  fragments: SalesFragment[];
  payments: PaymentFragment[];
  costs: CostEntry[];
}

interface MoneyMove {
  gateway: string;
  date: string;
  amount: Money;
}

const MONEY_IN = new Set(['SALE', 'CAPTURE']);
const MONEY_OUT = new Set(['REFUND', 'CHANGE']);

function moveOf(transaction: OrderTransaction, dateOf: (instant: string) => string): MoneyMove | null {
  if (transaction.status !== 'SUCCESS' || transaction.test) return null;
  const sign = MONEY_IN.has(transaction.kind) ? 1n : MONEY_OUT.has(transaction.kind) ? -1n : 0n;
  if (sign === 0n) return null;
  return {
    gateway: normaliseGateway(transaction.gateway),
    date: dateOf(transaction.processedAt ?? transaction.createdAt),
    amount: sign * shopMoney(transaction.amountSet),
  };
}

/** Fulfilment states in which the goods have left (or never needed to leave): the sale is recognised. */
const FULFILLED = new Set(['FULFILLED', 'FULFILLMENT_NOT_REQUIRED', 'PARTIALLY_FULFILLED', 'RESTOCKED']);
const PAID = new Set(['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * Whether an order's sale is posted (Sales Receipt or Invoice) rather than held as a Sales Order: the goods have
 * gone (fulfilled, or a POS sale), or the order is closed by a cancellation or a refund (Shopify reports those as
 * a sale and a return, so the books must too).
 */
export function isPostedOrder(order: Order): boolean {
  return (
    order.cancelledAt !== null ||
    order.sourceName === 'pos' ||
    FULFILLED.has(order.displayFulfillmentStatus) ||
    order.refunds.length > 0
  );
}

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

function addMoney(map: Map<string, Money>, gateway: string, amount: Money): void {
  map.set(gateway, (map.get(gateway) ?? 0n) + amount);
}

function line(
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
function saleLinesFor(
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

function costOf(items: readonly { item: LineItem; quantity: number }[], ctx: OrderContext, order: Order): Money {
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

/** Adds the over/short line that makes a receipt's lines equal the money that moved. */
function withOverShort(lines: SalesLine[], money: Map<string, Money>, classKey: string | null): SalesLine[] {
  const difference = sumMoney(money.values()) - sumMoney(lines.map((l) => l.amount));
  if (difference === 0n) return lines;
  return [
    ...lines,
    line(SERVICE_ITEMS.overShort, 'Cash rounding / over-short', null, difference, 'cashRounding', classKey),
  ];
}

export function orderFragments(order: Order, ctx: OrderContext): OrderOutput {
  const output: OrderOutput = { fragments: [], payments: [], costs: [] };
  if (order.test) return output;
  const id = numericId(order.id);
  const locationKey = ctx.locationKeyOf(order);
  const classKey = ctx.classKeyOf(locationKey);
  const customer = ctx.customerOf(order, locationKey);
  const saleDate = ctx.dateOf(order.processedAt);
  const exchanges = exchangeLineReturns(order);
  const lineById = new Map(order.lineItems.map((l) => [l.id, l]));
  const refundTransactionIds = new Set(order.refunds.flatMap((r) => r.transactions.map((t) => t.id)));

  // Exchange events: the new items of a POS exchange are sold on the exchange date, in the document of the
  // refund that took the old items back (or their own document when no money or goods went back).
  const refundByReturn = new Map<string, string>();
  for (const refund of order.refunds) if (refund.return) refundByReturn.set(refund.return.id, refund.id);
  const exchangeItemsByEvent = new Map<string, LineItem[]>();
  const exchangeDates = new Map<string, string>();
  for (const [lineId, { returnId, createdAt }] of exchanges) {
    const item = lineById.get(lineId);
    if (!item) continue;
    const event = refundByReturn.get(returnId) ?? returnId;
    exchangeItemsByEvent.set(event, [...(exchangeItemsByEvent.get(event) ?? []), item]);
    if (!refundByReturn.has(returnId)) exchangeDates.set(event, ctx.dateOf(createdAt));
  }
  for (const refund of order.refunds)
    if (exchangeItemsByEvent.has(refund.id)) exchangeDates.set(refund.id, ctx.dateOf(refund.createdAt));

  // Money that moved on the order itself (not through a refund): attributed to the sale when on the sale date,
  // to an exchange on that exchange's date, and otherwise to a payment on account.
  const saleMoney = new Map<string, Money>();
  const eventMoney = new Map<string, Map<string, Money>>();
  const laterMoney: MoneyMove[] = [];
  for (const transaction of order.transactions) {
    if (refundTransactionIds.has(transaction.id)) continue;
    const move = moveOf(transaction, ctx.dateOf);
    if (!move) continue;
    if (move.date === saleDate) {
      addMoney(saleMoney, move.gateway, move.amount);
      continue;
    }
    const event = [...exchangeDates].find(([, date]) => date === move.date)?.[0];
    if (event) {
      const map = eventMoney.get(event) ?? new Map<string, Money>();
      addMoney(map, move.gateway, move.amount);
      eventMoney.set(event, map);
    } else laterMoney.push(move);
  }

  const sale = saleLinesFor(
    order,
    order.lineItems.filter((l) => !exchanges.has(l.id)),
    true,
    ctx,
    classKey,
  );
  const saleTotal = sumMoney(sale.lines.map((l) => l.amount));
  const cancelled = order.cancelledAt !== null;
  const posted =
    cancelled ||
    order.sourceName === 'pos' ||
    FULFILLED.has(order.displayFulfillmentStatus) ||
    order.refunds.length > 0;
  const saleMoneyTotal = sumMoney(saleMoney.values());
  const paid =
    order.displayFinancialStatus !== null ? PAID.has(order.displayFinancialStatus) : saleMoneyTotal >= saleTotal;
  const memo = `Shopify order ${order.name}`;

  if (posted && paid && laterMoney.length === 0 && (saleMoneyTotal !== 0n || saleTotal === 0n)) {
    output.fragments.push({
      kind: 'receipt',
      key: `order/${id}/sale`,
      group: 'sales',
      locationKey,
      date: saleDate,
      customer,
      classKey,
      refText: order.name,
      memo,
      lines: withOverShort(sale.lines, saleMoney, classKey),
      money: saleMoney,
    });
  } else {
    output.fragments.push({
      kind: posted ? 'invoice' : 'salesOrder',
      key: posted ? `order/${id}/sale` : `order/${id}/sales-order`,
      group: posted ? 'invoices' : 'sales-orders',
      locationKey,
      date: saleDate,
      customer,
      classKey,
      refText: order.name,
      memo,
      lines: sale.lines,
      money: new Map(),
    });
    const byGatewayDate = new Map<string, MoneyMove>();
    for (const move of [
      ...[...saleMoney].map(([gateway, amount]) => ({ gateway, date: saleDate, amount })),
      ...laterMoney,
    ]) {
      const k = `${move.gateway}/${move.date}`;
      const existing = byGatewayDate.get(k);
      byGatewayDate.set(k, existing ? { ...existing, amount: existing.amount + move.amount } : { ...move });
    }
    for (const move of [...byGatewayDate.values()].sort((a, b) => (a.date + a.gateway < b.date + b.gateway ? -1 : 1))) {
      if (move.amount === 0n) continue;
      if (move.amount < 0n) {
        ctx.notes.push({
          key: `order/${id}`,
          code: 'NEGATIVE_PAYMENT',
          text: `Order ${order.name}: on ${move.date} more money went back through ${move.gateway} than came in, outside any refund. QuickBooks cannot record a negative payment; enter it by hand.`,
        });
        continue;
      }
      output.payments.push({
        kind: 'payment',
        key: `order/${id}/${posted ? 'payment' : 'deposit'}/${move.gateway}/${move.date}`,
        apply: posted ? 'auto' : 'none',
        locationKey,
        date: move.date,
        customer,
        gateway: move.gateway,
        amount: move.amount,
        refText: order.name,
        memo: posted ? `Payment for Shopify order ${order.name}` : `Deposit on open Shopify order ${order.name}`,
      });
    }
  }
  if (posted) {
    const cost = costOf(
      sale.goods.map((item) => ({ item, quantity: item.quantity })),
      ctx,
      order,
    );
    if (cost !== 0n) output.costs.push({ locationKey, date: saleDate, classKey, amount: cost, orderName: order.name });
  }

  // An order cancelled with nothing refunded (voided authorisation, unpaid order) is reversed on the cancel date,
  // as Shopify's Finance reports do (a sale on the order date, a return on the cancel date); otherwise its invoice
  // would sit in accounts receivable forever.
  if (cancelled && order.refunds.length === 0 && order.cancelledAt) {
    const reversal: SalesLine[] = [];
    for (const l of sale.lines) {
      if (l.category === 'productSales' || l.category === 'discounts') continue;
      reversal.push({
        ...l,
        amount: -l.amount,
        quantity: l.quantity === null ? null : -l.quantity,
        description: `Cancelled: ${l.description}`,
      });
    }
    for (const item of sale.goods) {
      const net = lineAmounts(item, order.taxesIncluded).net;
      if (net !== 0n)
        reversal.push(line(ctx.itemOf(item), `Cancelled: ${item.name}`, -item.quantity, -net, 'returns', classKey));
    }
    output.fragments.push({
      kind: 'credit',
      key: `order/${id}/cancel`,
      group: 'credits',
      locationKey,
      date: ctx.dateOf(order.cancelledAt),
      customer,
      classKey,
      refText: `${order.name}-C`,
      memo: `Cancelled Shopify order ${order.name}`,
      lines: reversal,
      money: new Map(),
    });
    const cost = costOf(
      sale.goods.map((item) => ({ item, quantity: item.quantity })),
      ctx,
      order,
    );
    if (cost !== 0n)
      output.costs.push({
        locationKey,
        date: ctx.dateOf(order.cancelledAt),
        classKey,
        amount: -cost,
        orderName: order.name,
      });
  }

  // Refunds (with the exchange items of their return), on the refund's own date.
  const refunds = [...order.refunds].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
  );
  const events: { id: string; key: string; date: string; refText: string }[] = refunds.map((refund, index) => ({
    id: refund.id,
    key: `refund/${numericId(refund.id)}`,
    date: ctx.dateOf(refund.createdAt),
    refText: `${order.name}-R${index + 1}`,
  }));
  for (const [event, date] of exchangeDates) {
    if (!events.some((e) => e.id === event)) {
      events.push({ id: event, key: `return/${numericId(event)}/exchange`, date, refText: `${order.name}-X` });
    }
  }
  for (const event of events) {
    const refund = order.refunds.find((r) => r.id === event.id) ?? null;
    const lines: SalesLine[] = [];
    const money = new Map<string, Money>(eventMoney.get(event.id) ?? []);
    const restocked: { item: LineItem; quantity: number }[] = [];
    if (refund) {
      let refundedTax = 0n;
      for (const refundLine of refund.refundLineItems) {
        const item = lineById.get(refundLine.lineItem.id);
        const subtotal = shopMoney(refundLine.subtotalSet);
        refundedTax += shopMoney(refundLine.totalTaxSet);
        const name = item?.name ?? 'Returned item';
        if (item?.isGiftCard) {
          lines.push(
            line(
              SERVICE_ITEMS.giftCard,
              `Gift card refunded: ${name}`,
              -refundLine.quantity,
              -subtotal,
              'giftCardLiability',
              classKey,
            ),
          );
        } else if (item && isTipLine(item)) {
          lines.push(line(SERVICE_ITEMS.tip, 'Tip refunded', null, -subtotal, 'tips', classKey));
        } else {
          // Returned goods post to the returns account through the product's own item (line account override).
          const itemKey = item ? ctx.itemOf(item) : 'item/custom';
          lines.push(line(itemKey, `Returned: ${name}`, -refundLine.quantity, -subtotal, 'returns', classKey));
          if (item && refundLine.restockType !== 'NO_RESTOCK') restocked.push({ item, quantity: refundLine.quantity });
        }
      }
      for (const shipping of refund.refundShippingLines) {
        const net = shopMoney(shipping.subtotalAmountSet);
        if (net !== 0n)
          lines.push(line(SERVICE_ITEMS.shipping, 'Shipping refunded', null, -net, 'shippingIncome', classKey));
        refundedTax += shopMoney(shipping.taxAmountSet);
      }
      if (refundedTax !== 0n)
        lines.push(line(SERVICE_ITEMS.salesTax, 'Sales tax refunded', null, -refundedTax, 'salesTaxPayable', classKey));
      for (const transaction of refund.transactions) {
        const move = moveOf(transaction, ctx.dateOf);
        if (move) addMoney(money, move.gateway, move.amount);
      }
    }
    const exchangeItems = exchangeItemsByEvent.get(event.id) ?? [];
    if (exchangeItems.length > 0) {
      const exchange = saleLinesFor(order, exchangeItems, false, ctx, classKey);
      lines.push(...exchange.lines);
      const cost = costOf(
        exchange.goods.map((item) => ({ item, quantity: item.quantity })),
        ctx,
        order,
      );
      if (cost !== 0n)
        output.costs.push({ locationKey, date: event.date, classKey, amount: cost, orderName: order.name });
    }
    const restockCost = costOf(restocked, ctx, order);
    if (restockCost !== 0n)
      output.costs.push({ locationKey, date: event.date, classKey, amount: -restockCost, orderName: order.name });
    const moneyMoved = [...money.values()].some((m) => m !== 0n);
    const eventMemo = refund
      ? `Refund on Shopify order ${order.name}${refund.note ? `: ${refund.note}` : ''}`
      : `Exchange on Shopify order ${order.name}`;
    if (moneyMoved) {
      output.fragments.push({
        kind: 'receipt',
        key: event.key,
        group: 'refunds',
        locationKey,
        date: event.date,
        customer,
        classKey,
        refText: event.refText,
        memo: eventMemo,
        lines: withOverShort(lines, money, classKey),
        money,
      });
    } else if (lines.some((l) => l.amount !== 0n)) {
      output.fragments.push({
        kind: 'credit',
        key: event.key,
        group: 'credits',
        locationKey,
        date: event.date,
        customer,
        classKey,
        refText: event.refText,
        memo: eventMemo,
        lines,
        money,
      });
    }
  }
  return output;
}
