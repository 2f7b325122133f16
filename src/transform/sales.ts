/**
 * Orders → sales fragments: the sale of an order (a Sales Receipt when it is posted and paid at the time of sale, an
 * Invoice when it is posted and paid later, a Sales Order while it is open), the money that moved on it later
 * (payments on account, deposits on open orders) and the cost of the goods that left; the events after the sale
 * are in `refunds.ts`.
 */

import type { LineItem, Order } from '../domain/index.ts';
import { type Money, sumMoney } from '../domain/index.ts';
import { exchangeLineReturns, numericId } from './amounts.ts';
import {
  addMoney,
  costOf,
  type MoneyMove,
  moveOf,
  type OrderContext,
  type OrderOutput,
  saleLinesFor,
  withOverShort,
} from './fragments.ts';
import { cancellationFragments, refundFragments } from './refunds.ts';

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

export function orderFragments(order: Order, ctx: OrderContext): OrderOutput {
  const output: OrderOutput = { fragments: [], payments: [], costs: [], unexplained: [] };
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
  let saleRounding = 0n;
  const eventMoney = new Map<string, Map<string, Money>>();
  const eventRounding = new Map<string, Money>();
  const laterMoney: MoneyMove[] = [];
  for (const transaction of order.transactions) {
    if (refundTransactionIds.has(transaction.id)) continue;
    const move = moveOf(transaction, ctx.dateOf);
    if (!move) continue;
    if (move.date === saleDate) {
      addMoney(saleMoney, move.gateway, move.amount);
      saleRounding += move.rounding;
      continue;
    }
    const event = [...exchangeDates].find(([, date]) => date === move.date)?.[0];
    if (event) {
      const map = eventMoney.get(event) ?? new Map<string, Money>();
      addMoney(map, move.gateway, move.amount);
      eventMoney.set(event, map);
      eventRounding.set(event, (eventRounding.get(event) ?? 0n) + move.rounding);
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
      lines: withOverShort(sale.lines, saleMoney, classKey, {
        explained: saleRounding,
        output,
        refText: order.name,
        date: saleDate,
      }),
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
      ...[...saleMoney].map(([gateway, amount]) => ({ gateway, date: saleDate, amount, rounding: 0n })),
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

  const scope = {
    order,
    ctx,
    id,
    locationKey,
    classKey,
    customer,
    sale,
    lineById,
    exchangeItemsByEvent,
    exchangeDates,
    eventMoney,
    eventRounding,
    output,
  };
  if (cancelled && order.refunds.length === 0 && order.cancelledAt) cancellationFragments(scope, order.cancelledAt);
  refundFragments(scope);
  return output;
}
