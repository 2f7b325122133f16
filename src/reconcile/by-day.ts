/**
 * The reconciliation of each day of a period: the same report as `reconcile` over each day, so a difference is found
 * on the day it happened.
 */
import { addDays, localDate } from '../domain/index.ts';
import type { AccountMapping, TransformSources } from '../transform/index.ts';
import { attributeCorrections } from './corrections.ts';
import { withoutUnposted } from './held-back.ts';
import {
  gatewaysIn,
  type LedgerReader,
  type Period,
  type ReconcileOptions,
  type ReconciliationReport,
  reconcileOrders,
  unpostedOptions,
} from './reconcile.ts';

/**
 * Every local date on which an order counts for something in `shopifyFigures`: its sale, the exchanges, refunds
 * and cancellation, and its transactions. An order matters to a day's report only if one of these falls on it.
 */
function orderDates(order: TransformSources['orders'][number], tz: string): Set<string> {
  const dates = new Set<string>([localDate(order.processedAt, tz)]);
  for (const ret of order.returns) if (ret.exchangeLineItems.length > 0) dates.add(localDate(ret.createdAt, tz));
  for (const refund of order.refunds) {
    dates.add(localDate(refund.createdAt, tz));
    for (const t of refund.transactions) dates.add(localDate(t.processedAt ?? t.createdAt, tz));
  }
  if (order.cancelledAt) dates.add(localDate(order.cancelledAt, tz));
  for (const t of order.transactions) dates.add(localDate(t.processedAt ?? t.createdAt, tz));
  return dates;
}

/** The same report for each day of the period, oldest first: a difference is found on the day it happened. */
export async function reconcileByDay(
  all: TransformSources,
  reader: LedgerReader,
  mapping: AccountMapping,
  period: Period,
  options: ReconcileOptions = {},
): Promise<ReconciliationReport[]> {
  // Each day's report reads only the orders with something on that day (the same figures as `reconcile` over the
  // day, without walking every order for every day of a long period), payments grouped over every gateway.
  const unposted = withoutUnposted(all, mapping, unpostedOptions(options));
  const attributed = attributeCorrections(reader, options.corrections ?? []);
  const sources = unposted.sources;
  const gateways = gatewaysIn(sources);
  const ordersByDay = new Map<string, TransformSources['orders']>();
  for (const order of sources.orders) {
    if (order.test) continue;
    for (const date of orderDates(order, sources.shop.ianaTimezone)) {
      if (date < period.from || date > period.to) continue;
      const list = ordersByDay.get(date) ?? [];
      list.push(order);
      ordersByDay.set(date, list);
    }
  }
  const reports: ReconciliationReport[] = [];
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
    const daySources = { ...sources, orders: ordersByDay.get(day) ?? [] };
    const dayPeriod = { from: day, to: day };
    reports.push(await reconcileOrders(daySources, attributed, mapping, dayPeriod, gateways, unposted));
  }
  return reports;
}
