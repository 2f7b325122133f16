import type { ShopDataFile } from '../domain/index.ts';
import { localDate } from '../domain/index.ts';
import type { Period } from './reconcile.ts';

/**
 * The business dates a shop's data spans in its time zone: first and last sale, refund, cancellation or payout.
 * Null for a shop with none of them.
 */
export function dataPeriod(data: Pick<ShopDataFile, 'shop' | 'orders' | 'shopifyPaymentsAccount'>): Period | null {
  const zone = data.shop.ianaTimezone;
  const dates: string[] = [];
  for (const order of data.orders) {
    dates.push(localDate(order.processedAt, zone));
    for (const refund of order.refunds) dates.push(localDate(refund.createdAt, zone));
    if (order.cancelledAt) dates.push(localDate(order.cancelledAt, zone));
  }
  for (const payout of data.shopifyPaymentsAccount?.payouts ?? []) dates.push(localDate(payout.issuedAt, zone));
  if (dates.length === 0) return null;
  dates.sort();
  return { from: dates[0]!, to: dates[dates.length - 1]! };
}
