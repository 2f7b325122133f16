/** What happens to a generated order later: refunds by tender, restocking, and exchanges. */
import type { Location, Money, OrderTransaction, Refund, RefundLineItem, RestockType } from '../../../domain/index.ts';
import { sumMoney } from '../../../domain/index.ts';
import { isoFromMs } from './catalog.ts';
import { divRound, type LineState, moneyOf, roundCash, smaller, tenderRank } from './order-parts.ts';
import { tender, transaction } from './order-payments.ts';
import type { OrderBuilder } from './orders.ts';

/** What refunding `quantity` units of a line gives back (tax included), without changing the line. */
export function lineGive(b: OrderBuilder, line: LineState, quantity: number): Money {
  const [net, taxes] = lineShare(b, line, quantity);
  return net + (b.taxesIncluded ? 0n : sumMoney(taxes));
}

/** The share of a line's net and taxes for `quantity` units; the last units take whatever remains. */
export function lineShare(_b: OrderBuilder, line: LineState, quantity: number): [Money, Money[]] {
  if (quantity >= line.remainingQuantity) return [line.remainingNet, [...line.remainingTaxes]];
  const q = BigInt(quantity);
  const total = BigInt(line.item.quantity);
  return [divRound(line.net * q, total), line.taxes.map((tax) => divRound(tax * q, total))];
}

export function refund(
  b: OrderBuilder,
  ms: number,
  spec: {
    lines: { line: LineState; quantity: number; restock: RestockType }[];
    shipping: boolean;
    adjustment: Money;
    location: Location;
    note: string;
  },
  exchange?: { credit: Money; returnRef: string },
): Refund {
  const iso = isoFromMs(ms);
  b.touch(ms);
  const refundLineItems: RefundLineItem[] = [];
  let value = 0n;
  for (const { line, quantity, restock } of spec.lines) {
    if (quantity <= 0) continue;
    const [net, taxes] = lineShare(b, line, quantity);
    const tax = sumMoney(taxes);
    line.remainingQuantity -= quantity;
    line.remainingNet -= net;
    line.remainingTaxes = line.remainingTaxes.map((t, i) => t - taxes[i]!);
    line.item.currentQuantity = line.remainingQuantity;
    // Shopify's refund subtotal is the line's own price: tax in it when prices include tax (net is then the
    // tax-inclusive share), before tax when tax is added on top.
    const subtotal = net;
    value += b.taxesIncluded ? subtotal : subtotal + tax;
    const restocked = restock === 'RETURN' || restock === 'CANCEL';
    refundLineItems.push({
      id: b.id('RefundLineItem'),
      lineItem: { id: line.item.id },
      quantity,
      restockType: restock,
      restocked,
      location: restocked ? { id: spec.location.id } : null,
      priceSet: line.item.originalUnitPriceSet,
      subtotalSet: b.bag(subtotal),
      totalTaxSet: b.bag(tax),
    });
  }
  const refundShippingLines: Refund['refundShippingLines'] = [];
  if (spec.shipping && b.shipping && b.shipping.net > 0n) {
    const tax = sumMoney(b.shipping.taxes);
    const subtotal = b.shipping.net;
    value += b.taxesIncluded ? subtotal : subtotal + tax;
    refundShippingLines.push({
      id: b.id('RefundShippingLine'),
      shippingLine: { id: b.shipping.line.id },
      subtotalAmountSet: b.bag(subtotal),
      taxAmountSet: b.bag(tax),
    });
  }
  const orderAdjustments: Refund['orderAdjustments'] = [];
  if (spec.adjustment !== 0n) {
    value += spec.adjustment;
    orderAdjustments.push({
      id: b.id('OrderAdjustment'),
      amountSet: b.bag(spec.adjustment),
      taxAmountSet: b.bag(0n),
      reason: 'REFUND_DISCREPANCY',
    });
  }
  b.refundedValue += value;
  const transactions: OrderTransaction[] = [];
  let left = value;
  if (exchange) {
    const credit = exchange.credit < value ? exchange.credit : value;
    transactions.push(transaction(b, 'REFUND', 'exchange-credit', 'Exchange credit', credit, ms));
    left -= credit;
  }
  // Money goes back the way it came: cards and wallets first, then gift cards, cash last.
  const order = [...b.tenders].sort((a, b) => tenderRank(a) - tenderRank(b));
  for (const tender of order) {
    if (left <= 0n) break;
    const available = tender.received - tender.refunded;
    if (available <= 0n) continue;
    const part = smaller(left, available);
    left -= part;
    tender.refunded += part;
    if (tender.cash) {
      const paid = roundCash(part, b.roundingUnit);
      const rounding = part - paid;
      b.refundRounding += rounding;
      transactions.push(
        transaction(b, 'REFUND', 'cash', 'Cash', paid, ms, {
          parent: tender.parent,
          rounding: b.roundingUnit > 0n ? rounding : null,
          manual: true,
          location: spec.location,
        }),
      );
    } else {
      transactions.push(
        transaction(b, 'REFUND', tender.gateway, tender.formattedGateway, part, ms, {
          parent: tender.parent,
          manual: tender.manual,
        }),
      );
    }
  }
  if (left !== 0n) throw new Error(`Generator bug: refund of order ${b.index} exceeds what was received`);
  b.transactions.push(...transactions);
  const refund: Refund = {
    id: b.id('Refund'),
    createdAt: iso,
    processedAt: iso,
    updatedAt: iso,
    note: spec.note,
    totalRefundedSet: b.bag(sumMoney(transactions.map((t) => moneyOf(t.amountSet)))),
    refundLineItems,
    refundShippingLines,
    orderAdjustments,
    transactions,
    return: exchange ? { id: exchange.returnRef } : null,
    duties: [],
  };
  b.refunds.push(refund);
  return refund;
}

/**
 * A POS exchange: one unit comes back, a different item goes out on the same order. The returned value becomes
 * exchange credit (a REFUND and a SALE on the "exchange-credit" gateway that cancel out) and the difference is
 * settled by card: a SALE when the new item costs more, a REFUND when it costs less.
 */
export function exchange(b: OrderBuilder, line: LineState, ms: number, store: Location): void {
  const r = b.random;
  const exempt = line.exempt;
  const candidates = b.timeline.catalog.sellable.filter((v) => v.variant.id !== line.item.variant?.id);
  const replacement = r.pick(candidates);
  const returnedValue = lineGive(b, line, 1);
  const added = b.addLine(replacement, 1, exempt, ms);
  const addedValue = added.net + (b.taxesIncluded ? 0n : sumMoney(added.taxes));
  const returnId = b.id('Return');
  const credit = returnedValue < addedValue ? returnedValue : addedValue;
  b.returns.push({
    id: returnId,
    name: `#${1001 + b.index}-R1`,
    status: 'CLOSED',
    createdAt: isoFromMs(ms),
    exchangeLineItems: [{ id: b.id('ExchangeLineItem'), quantity: 1, lineItems: [{ id: added.item.id }] }],
  });
  // The new item is paid first so that the balancing refund, if any, can go back to the card.
  b.transactions.push(transaction(b, 'SALE', 'exchange-credit', 'Exchange credit', credit, ms, { location: store }));
  if (addedValue > returnedValue) {
    const sale = transaction(b, 'SALE', 'shopify_payments', 'Shopify Payments', addedValue - returnedValue, ms, {
      location: store,
    });
    b.transactions.push(sale);
    tender(b, 'shopify_payments', 'Shopify Payments', addedValue - returnedValue, sale.id);
  }
  refund(
    b,
    ms,
    {
      lines: [{ line, quantity: 1, restock: 'RETURN' }],
      shipping: false,
      adjustment: 0n,
      location: store,
      note: 'Exchange',
    },
    { credit, returnRef: returnId },
  );
}
