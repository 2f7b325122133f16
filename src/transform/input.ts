/**
 * What every document rule reads: the sources and settings, and what one pass over the orders found (sales
 * fragments, payments, costs, gateways, the items lines use). Pure, like the whole transform.
 */
import type { Order, ShopDataFile } from '../domain/index.ts';
import { formatMoney, localDate, offsetMinutes } from '../domain/index.ts';
import { ConnectorError } from '../errors/index.ts';
import { type AccountProposal, CATEGORY_RULES, type Category, normaliseGateway } from './accounts.ts';
import { numericId } from './amounts.ts';
import { checkOrder, heldBack } from './checks/order-checks.ts';
import type { ListRecord, Modes, TransactionDocument } from './documents.ts';
import type {
  CostEntry,
  OrderContext,
  OrderOutput,
  PaymentFragment,
  SalesFragment,
  TransformNote,
  UnexplainedDifference,
} from './fragments.ts';
import { createItemCatalog, type ItemCatalog } from './items.ts';
import { orderFragments } from './sales.ts';

export type TransformSources = Omit<ShopDataFile, 'format'>;

export interface TransformSettings {
  modes: Modes;
  /** Locations become QuickBooks classes. */
  useClasses: boolean;
  /** YYYY-MM-DD: nothing dated before it is produced (the integration's start date). */
  startDate: string | null;
  /** Names already in QuickBooks that are not the connector's (customers+vendors, then items). */
  reservedNames?: { names?: readonly string[]; items?: readonly string[] };
  /** Accounts the setup creates (from `proposeAccountMapping`). */
  accountsToCreate?: readonly AccountProposal[];
  /**
   * The categories the account mapping has an account for, when it may lack some (a mapping saved before a
   * category existed): an order that needs another is held back until the merchant maps it. Absent: all.
   */
  mappedCategories?: readonly Category[];
  /**
   * Keys of what the merchant entered in QuickBooks by hand (`refund/<id>`: a refund whose amounts fit no reading,
   * REFUND_AMOUNTS_MISFIT): never produced again, whatever its data says later, so it is never posted twice.
   */
  enteredByHand?: readonly string[];
}

export interface TransformResult {
  lists: ListRecord[];
  documents: TransactionDocument[];
  notes: TransformNote[];
}

export const ONLINE_LOCATION = 'online';

export interface TransformInput {
  readonly sources: TransformSources;
  readonly settings: TransformSettings;
  readonly timeZone: string;
  /** Location number → name. */
  readonly locationNames: ReadonlyMap<string, string>;
  classKeyOf(locationKey: string): string | null;
  /** What the orders hold, in order id order (test orders left out). */
  readonly sales: readonly SalesFragment[];
  readonly payments: readonly PaymentFragment[];
  readonly costs: readonly CostEntry[];
  /** Every gateway money moved through, by name, with Shopify's display name when it has one. */
  readonly gateways: readonly (readonly [gateway: string, formatted: string | null])[];
  readonly items: ItemCatalog;
  /** What the merchant should know (a missing unit cost, a negative payment…); deduplicated at the end. */
  readonly notes: TransformNote[];
  /** A value computed from this input once, for every rule that asks for it with the same function. */
  derived<T>(compute: (input: TransformInput) => T): T;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function locationLabel(locationKey: string, names: ReadonlyMap<string, string>): string {
  if (locationKey === ONLINE_LOCATION) return 'Online Store';
  return names.get(locationKey) ?? `Location ${locationKey}`;
}

export function locationCustomer(locationKey: string): string {
  return `customer/location/${locationKey}`;
}

/** What reading one order needs: the zone, the shop's locations, customers and items as the settings want them. */
function orderContext(sources: TransformSources, settings: TransformSettings, notes: TransformNote[]) {
  const timeZone = sources.shop.ianaTimezone;
  const modes = settings.modes;
  const customerIds = new Set(sources.customers.map((c) => c.id));
  const items = createItemCatalog(sources.products, modes.inventory);
  const classKeyOf = (locationKey: string) => (settings.useClasses ? `class/${locationKey}` : null);
  const ctx: OrderContext = {
    timeZone,
    dateOf: localDateIn(timeZone),
    locationKeyOf: (order) => (order.retailLocation ? numericId(order.retailLocation.id) : ONLINE_LOCATION),
    classKeyOf,
    customerOf: (order, locationKey) =>
      modes.customers === 'detailed' && order.customer && customerIds.has(order.customer.id)
        ? `customer/${numericId(order.customer.id)}`
        : locationCustomer(locationKey),
    itemOf: items.itemOf,
    notes,
    enteredByHand: new Set(settings.enteredByHand ?? []),
  };
  return { ctx, items, classKeyOf };
}

/**
 * One order read into fragments, or why it is held back: damaged data (`checkOrder`), or a receipt whose money
 * differs from its lines by more than Over/Short may take.
 */
function readOrder(
  order: Order,
  ctx: OrderContext,
  shopCurrency: string,
  mapped: ReadonlySet<Category> | null,
): OrderOutput | ConnectorError {
  const problem = checkOrder(order, shopCurrency);
  if (problem) return problem;
  const out = orderFragments(order, ctx);
  return unexplainedProblem(order, out.unexplained) ?? unmappedProblem(order, out, mapped) ?? out;
}

/** An order whose lines post to a category the mapping has no account for (only a mapping older than the category). */
function unmappedProblem(order: Order, out: OrderOutput, mapped: ReadonlySet<Category> | null) {
  if (mapped === null) return null;
  const line = out.fragments.flatMap((f) => f.lines).find((l) => !mapped.has(l.category));
  if (!line) return null;
  const label = CATEGORY_RULES[line.category].label;
  return heldBack(
    order,
    'ORDER_CATEGORY_UNMAPPED',
    `its ${label.toLowerCase()} (${formatMoney(line.amount)})`,
    `have no QuickBooks account: the account mapping was saved before "${label}" was a category`,
    `Map "${label}" to a QuickBooks account (the account mapping in the app, or \`qbd-connector setup options --map ${line.category}=ACCOUNT\`).`,
  );
}

/** An order the transform holds back, with the reason it gives the merchant. */
export interface HeldBackOrder {
  order: Order;
  code: string;
  text: string;
}

/**
 * The orders a sync holds back (test orders left out), in order id order: what the reconciliation leaves out of
 * both columns and lists, since nothing was posted for them.
 */
export function heldBackOrders(sources: TransformSources, mappedCategories?: readonly Category[]): HeldBackOrder[] {
  const { ctx } = orderContext(
    sources,
    { modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' }, useClasses: false, startDate: null },
    [],
  );
  const held: HeldBackOrder[] = [];
  for (const order of [...sources.orders].filter((o) => !o.test).sort((a, b) => compare(a.id, b.id))) {
    const read = readOrder(order, ctx, sources.shop.currencyCode, mappedCategories ? new Set(mappedCategories) : null);
    if (read instanceof ConnectorError) held.push({ order, code: read.code, text: read.merchantMessage });
  }
  return held;
}

/** Reads the orders once: every rule works from what this finds. */
export function prepare(sources: TransformSources, settings: TransformSettings): TransformInput {
  const timeZone = sources.shop.ianaTimezone;
  const notes: TransformNote[] = [];
  const { ctx, items, classKeyOf } = orderContext(sources, settings, notes);
  const mapped = settings.mappedCategories ? new Set(settings.mappedCategories) : null;
  const sales: SalesFragment[] = [];
  const payments: PaymentFragment[] = [];
  const costs: CostEntry[] = [];
  const gateways = new Map<string, string | null>();
  const orders = [...sources.orders].filter((o) => !o.test).sort((a, b) => compare(a.id, b.id));
  for (const order of orders) {
    // A damaged order is held back with its reason; the others still become documents. Notes the order made
    // while it was read (a missing unit cost) go with it: nothing of it is posted.
    const noted = notes.length;
    const out = readOrder(order, ctx, sources.shop.currencyCode, mapped);
    if (out instanceof ConnectorError) {
      notes.length = noted;
      notes.push({ key: `order/${numericId(order.id)}`, code: out.code, text: out.merchantMessage });
      continue;
    }
    sales.push(...out.fragments);
    payments.push(...out.payments);
    costs.push(...out.costs);
    for (const t of [...order.transactions, ...order.refunds.flatMap((r) => r.transactions)]) {
      const g = normaliseGateway(t.gateway);
      if (!gateways.has(g) || (!gateways.get(g) && t.formattedGateway)) gateways.set(g, t.formattedGateway);
    }
  }
  const cache = new Map<(input: TransformInput) => unknown, unknown>();
  const input: TransformInput = {
    sources,
    settings,
    timeZone,
    locationNames: new Map(sources.locations.map((l) => [numericId(l.id), l.name])),
    classKeyOf,
    sales,
    payments,
    costs,
    gateways: [...gateways].sort(([a], [b]) => compare(a, b)),
    items,
    notes,
    derived<T>(compute: (input: TransformInput) => T): T {
      if (!cache.has(compute)) cache.set(compute, compute(input));
      // The cache is keyed by the function that computed the value, so the value is that function's T.
      return cache.get(compute) as T;
    },
  };
  return input;
}

/** The first receipt of an order whose money differs from its lines by more than Over/Short may take, as a hold. */
function unexplainedProblem(order: Order, found: readonly UnexplainedDifference[]) {
  const [first] = found;
  if (!first) return null;
  const f = formatMoney;
  const apart = first.money - first.lines - first.explained;
  return heldBack(
    order,
    'ORDER_UNEXPLAINED_DIFFERENCE',
    `the money that moved on ${first.refText} on ${first.date}`,
    `is ${f(first.money)} but its lines come to ${f(first.lines)}: the ${f(apart)} between them is neither cash rounding nor a refund discrepancy${first.explained === 0n ? '' : ` (those account for ${f(first.explained)})`}`,
    'Check the payments and refunds of the order in Shopify (a payment above the order, or a refund that does not match its lines) and correct them.',
  );
}

/**
 * localDate with a cache of the zone's offset per UTC hour: the offset is looked up once an hour of instants
 * (Intl is slow), and only used when it is the same at both ends of the hour, so a DST change inside the hour
 * (zones whose changes fall on a half hour in UTC) is still computed exactly.
 */
export function localDateIn(timeZone: string): (instant: string) => string {
  const offsets = new Map<number, number | null>();
  return (instant: string) => {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${instant}`);
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const start = offsetMinutes(new Date(hour * 3_600_000), timeZone);
      const end = offsetMinutes(new Date(hour * 3_600_000 + 3_599_999), timeZone);
      offset = start === end ? start : null;
      offsets.set(hour, offset);
    }
    if (offset === null) return localDate(new Date(ms), timeZone);
    return new Date(ms + offset * 60_000).toISOString().slice(0, 10);
  };
}
