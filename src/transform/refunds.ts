/**
 * What happens to an order after its sale: a cancellation with nothing refunded, refunds, and POS exchanges (the new
 * items of an exchange are sold on the exchange date, in the document of the refund that took the old items back).
 * Each event is a fragment on its own date: a Sales Receipt when money moved, else a credit.
 */
import type { LineItem, Money, Order } from '../domain/index.ts';
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
      const duties = refundedDuties(refund);
      if (duties !== 0n) lines.push(line(SERVICE_ITEMS.duties, 'Duties refunded', null, -duties, 'duties', classKey));
      if (refundedTax !== 0n)
        lines.push(line(SERVICE_ITEMS.salesTax, 'Sales tax refunded', null, -refundedTax, 'salesTaxPayable', classKey));
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
