/**
 * The start date: history before it is not posted. Choosing it is the one setup decision that cannot be undone
 * without posting twice, so the connector never picks it silently: the options step shows what each date would
 * include (orders, refunds and payouts counted from the Shopify history the connector has read), and the start is
 * refused until one is chosen.
 */
import type { Order, ShopifyPaymentsPayout } from '../domain/index.ts';
import { localDate } from '../domain/index.ts';
import { createSourceRecordReader } from '../extract/index.ts';
import type { Queryable, Shop } from '../storage/index.ts';

export interface HistoryCounts {
  orders: number;
  refunds: number;
  payouts: number;
}

/** What a start date includes, against the whole history the connector has read from Shopify. */
export interface StartDateCounts {
  /** The chosen start date, or null while none is chosen. */
  startDate: string | null;
  /** What `startDate` includes (the same as `history` counts when none is chosen: nothing is excluded yet). */
  included: HistoryCounts | null;
  history: HistoryCounts & {
    /** Local dates (shop time zone) of the first and last order, refund or payout; null for an empty shop. */
    firstDate: string | null;
    lastDate: string | null;
  };
  /** Counts from the earliest date onwards, by day: for a date picker (`includedFrom`). */
  byDate: { date: string; orders: number; refunds: number; payouts: number }[];
}

const PAGE = 500;

/** Counts the orders (not test orders), refunds and payouts by their local date, from the stored history. */
export async function countHistory(q: Queryable, shop: Shop, startDate: string | null): Promise<StartDateCounts> {
  const reader = createSourceRecordReader(q);
  const days = new Map<string, HistoryCounts>();
  const day = (date: string) => {
    let counts = days.get(date);
    if (!counts) {
      counts = { orders: 0, refunds: 0, payouts: 0 };
      days.set(date, counts);
    }
    return counts;
  };
  for (let after: string | undefined; ; ) {
    const page = await reader.latest(shop.id, 'order', { limit: PAGE, ...(after ? { afterSourceId: after } : {}) });
    for (const record of page) {
      const order = record.payload as Order;
      if (order.test) continue;
      day(localDate(order.processedAt, shop.timeZone)).orders++;
      // Dated as the documents are: a refund on its own date, which may be after the order's.
      for (const refund of order.refunds ?? []) day(localDate(refund.createdAt, shop.timeZone)).refunds++;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.sourceId;
  }
  for (let after: string | undefined; ; ) {
    const page = await reader.latest(shop.id, 'payout', { limit: PAGE, ...(after ? { afterSourceId: after } : {}) });
    for (const record of page)
      day(localDate((record.payload as ShopifyPaymentsPayout).issuedAt, shop.timeZone)).payouts++;
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.sourceId;
  }
  const byDate = [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, counts]) => ({ date, ...counts }));
  const total = (from: string | null): HistoryCounts => {
    const sum = { orders: 0, refunds: 0, payouts: 0 };
    for (const row of byDate) {
      if (from !== null && row.date < from) continue;
      sum.orders += row.orders;
      sum.refunds += row.refunds;
      sum.payouts += row.payouts;
    }
    return sum;
  };
  return {
    startDate,
    included: startDate === null ? null : total(startDate),
    history: { ...total(null), firstDate: byDate[0]?.date ?? null, lastDate: byDate.at(-1)?.date ?? null },
    byDate,
  };
}

export function countsText(counts: HistoryCounts): string {
  const part = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${part(counts.orders, 'order', 'orders')}, ${part(counts.refunds, 'refund', 'refunds')} and ${part(counts.payouts, 'payout', 'payouts')}`;
}

/** "Your Shopify history holds 300 orders, 41 refunds and 12 payouts from 2025-01-05 to 2025-02-24." */
export function historyText(counts: StartDateCounts): string {
  const h = counts.history;
  if (h.firstDate === null) return 'Your Shopify store has no orders, refunds or payouts yet.';
  return `Your Shopify history holds ${countsText(h)} from ${h.firstDate} to ${h.lastDate}.`;
}

/**
 * The start date with what it includes, or, while none is chosen, the dates worth considering (the first day of
 * the history, the first of the month of its last data, today) with what each would include.
 */
export function startDateLines(counts: StartDateCounts, today: string): string[] {
  const lines: string[] = [];
  const includedFrom = (date: string): HistoryCounts => {
    const sum = { orders: 0, refunds: 0, payouts: 0 };
    for (const row of counts.byDate) {
      if (row.date < date) continue;
      sum.orders += row.orders;
      sum.refunds += row.refunds;
      sum.payouts += row.payouts;
    }
    return sum;
  };
  if (counts.startDate !== null) {
    const before = counts.history.orders - (counts.included?.orders ?? 0);
    lines.push(
      `Start date: ${counts.startDate} — includes ${countsText(counts.included ?? includedFrom(counts.startDate))}${before > 0 ? `; ${before} earlier order${before === 1 ? ' is' : 's are'} not posted` : ''}.`,
    );
    lines.push(historyText(counts));
    return lines;
  }
  lines.push('Start date: not chosen yet (history before it is not posted; it cannot be changed after the start).');
  lines.push(historyText(counts));
  const candidates: [string, string][] = [];
  if (counts.history.firstDate) candidates.push([counts.history.firstDate, 'the first day of the history']);
  const lastSale = counts.byDate.findLast((row) => row.orders > 0)?.date ?? null;
  const lastMonth = lastSale ? `${lastSale.slice(0, 7)}-01` : null;
  if (lastMonth && counts.history.firstDate && lastMonth > counts.history.firstDate) {
    candidates.push([lastMonth, 'the first of the last month with sales']);
  }
  candidates.push([today, 'today']);
  for (const [date, why] of candidates) {
    lines.push(`  --start-date ${date}  (${why}) includes ${countsText(includedFrom(date))}`);
  }
  return lines;
}

/** YYYY-MM-DD that is a real calendar date. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
