/**
 * What happens to an order after its sale: a cancellation with nothing refunded, refunds, and POS exchanges (the new
 * items of an exchange are sold on the exchange date, in the document of the refund that took the old items back).
 * Each event is a fragment on its own date: a Sales Receipt when money moved, else a credit.
 */
import { formatMoney, type LineItem, type Money, type Order, type Refund } from '../domain/index.ts';
import { isTipLine, lineAmounts, numericId, refundedDuties, shopMoney } from './amounts.ts';
import type { SalesLine } from './documents.ts';
import {
  addMoney,
  costOf,
  line,
  moveOf,
  type OrderContext,
  type OrderOutput,
  SERVICE_ITEMS,
  saleLinesFor,
  withOverShort,
} from './fragments.ts';

/**
 * How a refund's amounts read. Shopify's `RefundLineItem.subtotalSet` and `RefundShippingLine.subtotalAmountSet`
 * are the line's own price: with tax in it when the order's prices include tax (`taxesIncluded`), before tax when
 * tax is added on top. The refund's own transactions say which reading its numbers fit: Σ transactions = Σ line
 * subtotals + shipping subtotals (+ their taxes only when prices exclude them) + order adjustments (each with its
 * tax), within the cash rounding of those transactions. A refund that moved no money has nothing to check against
 * and is read by the order's flag.
 */
export type RefundAmounts =
  | {
      fits: true;
      taxIncluded: boolean;
      /** Per refund line, in order: what was returned before tax. */
      lines: Money[];
      /** Per refund shipping line, in order: the shipping returned before tax. */
      shipping: Money[];
      /** The tax returned with the lines and the shipping. */
      tax: Money;
    }
  | { fits: false; moved: Money; subtotals: Money; tax: Money; adjustments: Money };

const abs = (amount: Money) => (amount < 0n ? -amount : amount);

export function readRefund(refund: Refund, taxesIncluded: boolean): RefundAmounts {
  const lineTax = refund.refundLineItems.map((l) => shopMoney(l.totalTaxSet));
  const shippingTax = refund.refundShippingLines.map((l) => shopMoney(l.taxAmountSet));
  const tax = [...lineTax, ...shippingTax].reduce((sum, t) => sum + t, 0n);
  const subtotals =
    refund.refundLineItems.reduce((sum, l) => sum + shopMoney(l.subtotalSet), 0n) +
    refund.refundShippingLines.reduce((sum, l) => sum + shopMoney(l.subtotalAmountSet), 0n);
  // Duties refunded are paid back beside the lines and never carry the order's sales tax (Shopify's RefundDuty).
  const adjustments =
    refund.orderAdjustments.reduce((sum, a) => sum + shopMoney(a.amountSet) + shopMoney(a.taxAmountSet), 0n) +
    refundedDuties(refund);
  const moving = refund.transactions.filter((t) => t.status === 'SUCCESS' && !t.test && t.kind === 'REFUND');
  const moved = moving.reduce((sum, t) => sum + shopMoney(t.amountSet), 0n);
  const rounding = moving.reduce(
    (sum, t) => sum + (t.amountRoundingSet ? abs(shopMoney(t.amountRoundingSet)) : 0n),
    0n,
  );
  const fits = (expected: Money) => abs(moved - expected) <= rounding;
  const included = fits(subtotals + adjustments);
  const added = fits(subtotals + tax + adjustments);
  let taxIncluded: boolean;
  if (moving.length === 0) taxIncluded = taxesIncluded;
  else if (taxesIncluded ? included : added) taxIncluded = taxesIncluded;
  else if (included || added) taxIncluded = included;
  else return { fits: false, moved, subtotals, tax, adjustments };
  const before = (subtotal: Money, lineTaxOf: Money) => (taxIncluded ? subtotal - lineTaxOf : subtotal);
  return {
    fits: true,
    taxIncluded,
    lines: refund.refundLineItems.map((l, i) => before(shopMoney(l.subtotalSet), lineTax[i]!)),
    shipping: refund.refundShippingLines.map((l, i) => before(shopMoney(l.subtotalAmountSet), shippingTax[i]!)),
    tax,
  };
}

/** The attention note of a refund whose numbers fit neither reading: nothing of it is posted. */
function misfitNote(order: Order, key: string, date: string, misfit: Extract<RefundAmounts, { fits: false }>) {
  const m = formatMoney;
  return {
    key,
    code: 'REFUND_AMOUNTS_MISFIT',
    text: `Order ${order.name}: the refund of ${date} paid back ${m(misfit.moved)}, but its lines and shipping come to ${m(misfit.subtotals)} with ${m(misfit.tax)} tax and ${m(misfit.adjustments)} in adjustments and duties — neither ${m(misfit.subtotals + misfit.adjustments)} (tax included in the prices) nor ${m(misfit.subtotals + misfit.tax + misfit.adjustments)} (tax added). The connector cannot tell what was returned, so this refund was not posted (the rest of the order was). Check the refund in Shopify and enter it in QuickBooks by hand.`,
  };
}

/** What the sale of an order established, for the events after it. */
export interface OrderScope {
  order: Order;
  ctx: OrderContext;
  id: string;
  locationKey: string;
  classKey: string | null;
  customer: string;
  sale: { lines: SalesLine[]; goods: LineItem[] };
  lineById: ReadonlyMap<string, LineItem>;
  /** Refund id (or return id, when no refund took the old items back) → the exchange's new items. */
  exchangeItemsByEvent: ReadonlyMap<string, LineItem[]>;
  exchangeDates: ReadonlyMap<string, string>;
  /** Money that moved on the order on an exchange's date, by event. */
  eventMoney: ReadonlyMap<string, Map<string, Money>>;
  /** Cash rounding on that money, by event. */
  eventRounding: ReadonlyMap<string, Money>;
  output: OrderOutput;
}

/**
 * An order cancelled with nothing refunded (voided authorisation, unpaid order) is reversed on the cancel date,
 * as Shopify's Finance reports do (a sale on the order date, a return on the cancel date); otherwise its invoice
 * would sit in accounts receivable forever.
 */
export function cancellationFragments(scope: OrderScope, cancelledAt: string): void {
  const { order, ctx, id, locationKey, classKey, customer, sale, output } = scope;
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
    date: ctx.dateOf(cancelledAt),
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
      date: ctx.dateOf(cancelledAt),
      classKey,
      amount: -cost,
      orderName: order.name,
    });
}

/** Refunds (with the exchange items of their return) and exchanges without a refund, each on its own date. */
export function refundFragments(scope: OrderScope): void {
  const {
    order,
    ctx,
    locationKey,
    classKey,
    customer,
    lineById,
    exchangeItemsByEvent,
    exchangeDates,
    eventMoney,
    eventRounding,
    output,
  } = scope;
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
    // What Over/Short may take: cash rounding, and the refund's discrepancy (money refunded beyond its lines).
    let explained = eventRounding.get(event.id) ?? 0n;
    const restocked: { item: LineItem; quantity: number }[] = [];
    // Entered in QuickBooks by the merchant: QuickBooks has it, so nothing of it is posted and nothing is said.
    if (refund && ctx.enteredByHand.has(event.key)) continue;
    if (refund) {
      const amounts = readRefund(refund, order.taxesIncluded);
      if (!amounts.fits) {
        scope.ctx.notes.push(misfitNote(order, event.key, event.date, amounts));
        continue;
      }
      refund.refundLineItems.forEach((refundLine, index) => {
        const item = lineById.get(refundLine.lineItem.id);
        const returned = amounts.lines[index]!;
        const name = item?.name ?? 'Returned item';
        if (item?.isGiftCard) {
          lines.push(
            line(
              SERVICE_ITEMS.giftCard,
              `Gift card refunded: ${name}`,
              -refundLine.quantity,
              -returned,
              'giftCardLiability',
              classKey,
            ),
          );
        } else if (item && isTipLine(item)) {
          lines.push(line(SERVICE_ITEMS.tip, 'Tip refunded', null, -returned, 'tips', classKey));
        } else {
          // Returned goods post to the returns account through the product's own item (line account override).
          const itemKey = item ? ctx.itemOf(item) : 'item/custom';
          lines.push(line(itemKey, `Returned: ${name}`, -refundLine.quantity, -returned, 'returns', classKey));
          if (item && refundLine.restockType !== 'NO_RESTOCK') restocked.push({ item, quantity: refundLine.quantity });
        }
      });
      for (const net of amounts.shipping) {
        if (net !== 0n)
          lines.push(line(SERVICE_ITEMS.shipping, 'Shipping refunded', null, -net, 'shippingIncome', classKey));
      }
      const duties = refundedDuties(refund);
      if (duties !== 0n) lines.push(line(SERVICE_ITEMS.duties, 'Duties refunded', null, -duties, 'duties', classKey));
      if (amounts.tax !== 0n)
        lines.push(line(SERVICE_ITEMS.salesTax, 'Sales tax refunded', null, -amounts.tax, 'salesTaxPayable', classKey));
      for (const transaction of refund.transactions) {
        const move = moveOf(transaction, ctx.dateOf);
        if (move) {
          addMoney(money, move.gateway, move.amount);
          explained += move.rounding;
        }
      }
      for (const adjustment of refund.orderAdjustments)
        explained -= shopMoney(adjustment.amountSet) + shopMoney(adjustment.taxAmountSet);
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
        lines: withOverShort(lines, money, classKey, { explained, output, refText: event.refText, date: event.date }),
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
}
