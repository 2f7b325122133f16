/**
 * Orders in the source records that QuickBooks cannot hold yet, which the reconciliation leaves out of both columns
 * and names instead of counting them as a difference:
 * - held back: the order checks found its data damaged (nothing of it is posted until it is corrected in Shopify);
 * - not synced yet: it reached the connector after the last sync read the orders (the next sync posts it). Each is
 *   checked as the sync will check it, so a damaged one is named as held back, not as pending.
 */
import { formatMoney, localDate } from '../domain/index.ts';
import { noteSubject, type SyncSummary } from '../integration/index.ts';
import {
  type AccountMapping,
  CATEGORIES,
  type Category,
  HELD_BACK_ORDER_CODES,
  heldBackOrders,
  numericId,
  readRefund,
  type TransformSources,
} from '../transform/index.ts';
import type { Period } from './reconcile.ts';

type SourceOrder = TransformSources['orders'][number];

/** An order in neither column: what Shopify wrote for it, so the accountant can find it. */
export interface OrderSummary {
  order: string;
  /** The sale's local date. */
  date: string;
  /** The order's total as Shopify wrote it, and its currency (damaged data may be neither a number nor the shop's). */
  total: string;
  currency: string;
}

export interface HeldBackSummary extends OrderSummary {
  code: string;
  reason: string;
  /**
   * When only a refund of the order is held back (REFUND_AMOUNTS_MISFIT): its key (`refund/<id>`, the attention
   * item's subject); `date` is then the refund's and `total` the money it paid back.
   */
  refund?: string;
}

/**
 * Which orders are held back, by order id, with the code and message: what the sync that prepared the documents
 * recorded (`heldBackFromNotes`). Without it the orders are read again to find out (`heldBackOrders`), which
 * costs as much as reading them for the documents.
 */
export type HeldBackOrders = ReadonlyMap<string, { code: string; text: string }>;

/** The held-back orders among a sync's summary notes: order id → code and message. */
export function heldBackFromNotes(notes: SyncSummary['notes']): HeldBackOrders {
  const held = new Map<string, { code: string; text: string }>();
  for (const note of notes) {
    if (!HELD_BACK_ORDER_CODES.includes(note.code)) continue;
    const { key, text } = noteSubject(note);
    if (key.startsWith('order/'))
      held.set(`gid://shopify/Order/${key.slice('order/'.length)}`, { code: note.code, text });
  }
  return held;
}

/** The categories a mapping has an account for (one saved before a category existed lacks it). */
function mappedCategories(mapping: Partial<AccountMapping>): Category[] {
  return CATEGORIES.filter((c) => Boolean(mapping[c]));
}

function summaryOf(order: SourceOrder, timeZone: string): OrderSummary {
  return {
    order: order.name,
    date: localDate(order.processedAt, timeZone),
    total: String(order.totalPriceSet.shopMoney.amount),
    currency: order.totalPriceSet.shopMoney.currencyCode,
  };
}

export interface Unposted {
  /** The sources without the orders below: those the books can hold. */
  sources: TransformSources;
  /** By order id, or by refund key for a refund held back alone. */
  held: Map<string, HeldBackSummary>;
  notYetSynced: Map<string, OrderSummary>;
  /** Ids of the refunds held back alone: the rest of their order is posted. */
  skippedRefunds: Set<string>;
}

export interface UnpostedOptions {
  /** What the last sync held back (else every order is checked again). */
  known?: HeldBackOrders | undefined;
  /** Ids of orders that sync never read. */
  notYetSynced?: ReadonlySet<string> | undefined;
  /** Keys the merchant entered in QuickBooks by hand (`refund/<id>`): expected there, so counted. */
  enteredByHand?: ReadonlySet<string> | undefined;
}

/**
 * A refund whose amounts fit no reading of its taxes is not posted (REFUND_AMOUNTS_MISFIT) until the merchant
 * enters it by hand: until then it is in neither column, named; once entered, QuickBooks is expected to have it.
 */
function heldBackRefunds(sources: TransformSources, entered: ReadonlySet<string>, held: Map<string, HeldBackSummary>) {
  const skipped = new Set<string>();
  const zone = sources.shop.ianaTimezone;
  for (const order of sources.orders) {
    if (order.test) continue;
    for (const refund of order.refunds) {
      const key = `refund/${numericId(refund.id)}`;
      const read = readRefund(refund, order.taxesIncluded);
      if (read.fits || entered.has(key)) continue;
      skipped.add(refund.id);
      const date = localDate(refund.createdAt, zone);
      held.set(key, {
        order: order.name,
        date,
        total: formatMoney(read.moved),
        currency: sources.shop.currencyCode,
        code: 'REFUND_AMOUNTS_MISFIT',
        reason: `The refund of ${date} on order ${order.name} paid back ${formatMoney(read.moved)}, which fits no reading of its lines (${formatMoney(read.subtotals)}), tax (${formatMoney(read.tax)}) and adjustments (${formatMoney(read.adjustments)}): it was not posted. Enter it in QuickBooks by hand and mark it entered; from then on the reconciliation expects it in QuickBooks.`,
        refund: key,
      });
    }
  }
  return skipped;
}

/**
 * The orders QuickBooks cannot hold yet, by id, and the sources without them; the refunds held back alone.
 */
export function withoutUnposted(
  sources: TransformSources,
  mapping: AccountMapping,
  options: UnpostedOptions = {},
): Unposted {
  const { known } = options;
  const notYetSynced = options.notYetSynced ?? new Set<string>();
  const zone = sources.shop.ianaTimezone;
  const found: { order: SourceOrder; code: string; text: string }[] = [];
  const fresh = sources.orders.filter((o) => notYetSynced.has(o.id) && !o.test);
  if (known) {
    for (const order of sources.orders) {
      const reason = notYetSynced.has(order.id) ? undefined : known.get(order.id);
      if (reason) found.push({ order, ...reason });
    }
    // Orders the last sync never read are checked here as the next sync will check them.
    if (fresh.length > 0) found.push(...heldBackOrders({ ...sources, orders: fresh }, mappedCategories(mapping)));
  } else {
    found.push(...heldBackOrders(sources, mappedCategories(mapping)));
  }
  const held = new Map<string, HeldBackSummary>();
  for (const { order, code, text } of found) held.set(order.id, { ...summaryOf(order, zone), code, reason: text });
  const pending = new Map<string, OrderSummary>();
  for (const order of fresh) if (!held.has(order.id)) pending.set(order.id, summaryOf(order, zone));
  const posted = { ...sources, orders: sources.orders.filter((o) => !held.has(o.id) && !pending.has(o.id)) };
  const skippedRefunds = heldBackRefunds(posted, options.enteredByHand ?? new Set(), held);
  return { sources: posted, held, notYetSynced: pending, skippedRefunds };
}

/** Those of the orders whose sale is dated in the period. */
export function datedIn<T extends OrderSummary>(orders: ReadonlyMap<string, T>, period: Period): T[] {
  return [...orders.values()].filter((h) => h.date >= period.from && h.date <= period.to);
}
