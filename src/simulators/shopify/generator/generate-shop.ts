/**
 * The seeded shop generator. `generateShop` builds a whole `ShopDataFile` in memory; `writeShopFile` writes the same
 * bytes incrementally (orders are rebuilt one at a time from their own random streams, twice: once for the orders,
 * once for the Shopify Payments balance transactions that follow them in the file), so 100,000 orders need no more
 * memory than ten. Same options → byte-identical output: no Math.random, no clock.
 */
import type { Order, ShopDataFile } from '../../../domain/index.ts';
import type { ShopProfileKey } from './catalog.ts';
import { buildCatalog, PROFILES } from './catalog.ts';
import type { OrderTimeline } from './orders.ts';
import { generateOrder } from './orders.ts';
import { PaymentsLedger } from './payouts.ts';
import { buildPurchasing } from './purchasing.ts';

export interface GenerateShopOptions {
  seed: string | number;
  /** How many orders (≥ 0). */
  orders: number;
  /** Country profile: 'us' (USD, 8.875 % added on top), 'gb' (GBP, 20 % VAT included), 'ca' (CAD, 13 % HST, cash rounded to 0.05), 'au' (AUD, 10 % GST included, cash rounding). Default 'us'. */
  profile?: ShopProfileKey;
  /** ISO date of the first order. Default 2025-01-06T14:00:00Z. */
  startDate?: string;
  /** Average orders per day; sets how many days of history the orders span. Default 40. */
  ordersPerDay?: number;
}

const DEFAULT_START = '2025-01-06T14:00:00Z';

interface Plan {
  options: Required<GenerateShopOptions>;
  timeline: OrderTimeline;
  endMs: number;
}

function plan(options: GenerateShopOptions): Plan {
  if (!Number.isInteger(options.orders) || options.orders < 0) {
    throw new RangeError(`orders must be a whole number ≥ 0, got ${options.orders}`);
  }
  const profile = options.profile ?? 'us';
  if (!(profile in PROFILES)) throw new RangeError(`Unknown shop profile "${profile}" (us, gb, ca, au)`);
  const startDate = options.startDate ?? DEFAULT_START;
  const startMs = Math.floor(Date.parse(startDate) / 1000) * 1000;
  if (Number.isNaN(startMs)) throw new RangeError(`startDate is not a date: ${startDate}`);
  const ordersPerDay = options.ordersPerDay ?? 40;
  if (!(ordersPerDay > 0)) throw new RangeError('ordersPerDay must be positive');
  const full: Required<GenerateShopOptions> = {
    seed: options.seed,
    orders: options.orders,
    profile,
    startDate,
    ordersPerDay,
  };
  const intervalMs = Math.max(1, Math.floor(86_400 / ordersPerDay)) * 1000;
  const catalog = buildCatalog(options.seed, profile, startMs, options.orders);
  return {
    options: full,
    timeline: { seed: options.seed, catalog, startMs, intervalMs },
    endMs: startMs + Math.max(1, options.orders) * intervalMs,
  };
}

/** The orders of the shop, one at a time (bounded memory). */
export function* generateOrders(options: GenerateShopOptions): Generator<Order> {
  const p = plan(options);
  for (let i = 0; i < p.options.orders; i++) yield generateOrder(p.timeline, i);
}

export function generateShop(options: GenerateShopOptions): ShopDataFile {
  const p = plan(options);
  const { catalog } = p.timeline;
  const ledger = new PaymentsLedger(catalog.profile.currency, p.endMs);
  const orders: Order[] = [];
  const balanceTransactions = [];
  for (let i = 0; i < p.options.orders; i++) {
    const order = generateOrder(p.timeline, i);
    orders.push(order);
    balanceTransactions.push(...ledger.add(order));
  }
  const purchasing = buildPurchasing(p.options.seed, catalog, p.timeline.startMs, p.endMs, p.options.orders);
  return {
    format: 'qbd-connector/shop-data@1',
    shop: catalog.shop,
    locations: catalog.locations,
    products: catalog.products,
    customers: catalog.customers,
    orders,
    shopifyPaymentsAccount: { balanceTransactions, payouts: ledger.payouts() },
    inventoryPurchaseOrders: purchasing.inventoryPurchaseOrders,
    inventoryTransfers: purchasing.inventoryTransfers,
    stocky: purchasing.stocky,
  };
}

/**
 * The data file layout: JSON with one record per line inside each array, so the file diffs well and a reader can
 * stream it. `serializeShop(generateShop(o))` and `writeShopFile(o, …)` produce the same bytes.
 */
export function serializeShop(data: ShopDataFile): string {
  const chunks: string[] = [];
  writeLayout(
    (chunk) => {
      chunks.push(chunk);
    },
    data,
    data.orders,
    data.shopifyPaymentsAccount?.balanceTransactions ?? [],
    data.shopifyPaymentsAccount?.payouts ?? [],
    data.shopifyPaymentsAccount !== null,
  );
  return chunks.join('');
}

/** Writes the generated shop through `write` incrementally; awaits `write` so a stream's back-pressure holds. */
export async function writeShopFile(
  options: GenerateShopOptions,
  write: (chunk: string) => void | Promise<void>,
): Promise<void> {
  const p = plan(options);
  const { catalog } = p.timeline;
  const ledger = new PaymentsLedger(catalog.profile.currency, p.endMs);
  const purchasing = buildPurchasing(p.options.seed, catalog, p.timeline.startMs, p.endMs, p.options.orders);
  const head: ShopDataFile = {
    format: 'qbd-connector/shop-data@1',
    shop: catalog.shop,
    locations: catalog.locations,
    products: catalog.products,
    customers: catalog.customers,
    orders: [],
    shopifyPaymentsAccount: null,
    inventoryPurchaseOrders: purchasing.inventoryPurchaseOrders,
    inventoryTransfers: purchasing.inventoryTransfers,
    stocky: purchasing.stocky,
  };
  const count = p.options.orders;
  function* orders(): Generator<Order> {
    for (let i = 0; i < count; i++) yield generateOrder(p.timeline, i);
  }
  function* balance() {
    for (let i = 0; i < count; i++) yield* ledger.add(generateOrder(p.timeline, i));
  }
  // Payouts are only complete once every balance transaction went through the ledger, and they follow them.
  const payouts = {
    *[Symbol.iterator]() {
      yield* ledger.payouts();
    },
  };
  await writeLayoutAsync(write, head, orders(), balance(), payouts, true);
}

type Sink = (chunk: string) => void | Promise<void>;

function* layout(
  data: ShopDataFile,
  orders: Iterable<unknown>,
  balanceTransactions: Iterable<unknown>,
  payouts: Iterable<unknown>,
  hasPayments: boolean,
): Generator<string> {
  const j = (value: unknown) => JSON.stringify(value);
  function* array(key: string, items: Iterable<unknown>, last = false): Generator<string> {
    yield `${j(key)}:[`;
    let first = true;
    for (const item of items) {
      yield `${first ? '\n' : ',\n'}${j(item)}`;
      first = false;
    }
    yield first ? `]${last ? '' : ','}\n` : `\n]${last ? '' : ','}\n`;
  }
  yield `{${j('format')}:${j(data.format)},\n${j('shop')}:${j(data.shop)},\n`;
  yield* array('locations', data.locations);
  yield* array('products', data.products);
  yield* array('customers', data.customers);
  yield* array('orders', orders);
  if (hasPayments) {
    yield `${j('shopifyPaymentsAccount')}:{`;
    yield* array('balanceTransactions', balanceTransactions);
    yield* array('payouts', payouts, true);
    yield '},\n';
  } else {
    yield `${j('shopifyPaymentsAccount')}:null,\n`;
  }
  yield* array('inventoryPurchaseOrders', data.inventoryPurchaseOrders);
  yield* array('inventoryTransfers', data.inventoryTransfers);
  yield `${j('stocky')}:${j(data.stocky)}}\n`;
}

function writeLayout(
  write: (chunk: string) => void,
  data: ShopDataFile,
  orders: Iterable<unknown>,
  balanceTransactions: Iterable<unknown>,
  payouts: Iterable<unknown>,
  hasPayments: boolean,
): void {
  for (const chunk of layout(data, orders, balanceTransactions, payouts, hasPayments)) write(chunk);
}

async function writeLayoutAsync(
  write: Sink,
  data: ShopDataFile,
  orders: Iterable<unknown>,
  balanceTransactions: Iterable<unknown>,
  payouts: Iterable<unknown>,
  hasPayments: boolean,
): Promise<void> {
  // Small chunks are batched so a stream sees ~64 KB writes, not one per record.
  let buffer = '';
  for (const chunk of layout(data, orders, balanceTransactions, payouts, hasPayments)) {
    buffer += chunk;
    if (buffer.length >= 65_536) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer) await write(buffer);
}
