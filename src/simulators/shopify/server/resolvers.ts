/**
 * How the simulator answers fields. Records are served as they are (their field names are the schema's), with three
 * rules: a `{ id }` reference resolves to the full record; an array under a `…Connection` field is paginated; a
 * field the simulator does not model is an error naming it — never a silent null that would look like real data.
 * Fields Shopify derives (current totals, line discounts, `code` of a code discount, …) are computed below.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLTypeResolver } from 'graphql';
import { GraphQLError, getNamedType } from 'graphql';
import type { LineItem, Money, MoneyBag, Order } from '../../../domain/index.ts';
import { formatMoney, parseMoney, sumMoney } from '../../../domain/index.ts';
import type { ConnectionArgs } from './connections.ts';
import { compileSearch, paginate } from './connections.ts';
import type { ShopStore } from './store.ts';

export interface BulkOperationRecord {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';
  errorCode: string | null;
  type: 'QUERY' | 'MUTATION';
  query: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface ResolverContext {
  store: ShopStore;
  /** Set while a bulk operation runs: connections return every item, the root one only this slice. */
  bulk: { offset: number; limit: number } | null;
  bulkOperations: BulkOperationRecord[];
  runBulkQuery(
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: BulkOperationRecord | null; userErrors: unknown[] };
}

type Source = Record<string, unknown>;
type Resolver = (
  source: Source,
  args: Record<string, unknown>,
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
) => unknown;

const m = (bag: MoneyBag | null | undefined): Money => (bag ? parseMoney(bag.shopMoney.amount) : 0n);

function bagOf(cents: Money, currency: string): MoneyBag {
  const amount = formatMoney(cents);
  return { shopMoney: { amount, currencyCode: currency }, presentmentMoney: { amount, currencyCode: currency } };
}

function legacyResourceId(source: Source): string {
  const id = String(source.id);
  return id.slice(id.lastIndexOf('/') + 1);
}

function notModelled(info: GraphQLResolveInfo): GraphQLError {
  return new GraphQLError(
    `The Shopify simulator does not model ${info.parentType.name}.${info.fieldName}; remove it from the query or extend the simulator.`,
    { extensions: { code: 'NOT_MODELLED', typeName: info.parentType.name, fieldName: info.fieldName } },
  );
}

/**
 * What the refunds took back: the goods before tax, their tax, and the shipping with its tax. A refund subtotal is
 * the line's own price, tax in it when the order's prices include tax.
 */
function orderReturned(order: Order): { goods: Money; goodsTax: Money; shipping: Money } {
  let goods = 0n;
  let goodsTax = 0n;
  let shipping = 0n;
  const included = order.taxesIncluded ? 1n : 0n;
  for (const refund of order.refunds) {
    for (const line of refund.refundLineItems) {
      goods += m(line.subtotalSet) - included * m(line.totalTaxSet);
      goodsTax += m(line.totalTaxSet);
    }
    for (const line of refund.refundShippingLines)
      shipping += m(line.subtotalAmountSet) + (1n - included) * m(line.taxAmountSet);
  }
  return { goods, goodsTax, shipping };
}

function lineLevelDiscount(line: LineItem): Money {
  return sumMoney(
    line.discountAllocations
      .filter((d) => d.discountApplication.targetSelection !== 'ALL')
      .map((d) => m(d.allocatedAmountSet)),
  );
}

const topLevel =
  (pick: (store: ShopStore) => unknown[], sortable = true): Resolver =>
  (_source, args, ctx) =>
    connectionOf(pick(ctx.store), args, ctx, true, sortable);

function connectionOf(
  items: unknown[],
  args: Record<string, unknown>,
  ctx: ResolverContext,
  root: boolean,
  sortable: boolean,
) {
  const version = ctx.store.version;
  if (ctx.bulk && root) {
    return paginate(
      items as Source[],
      { ...(args as ConnectionArgs), first: null, last: null },
      { all: true, sortable, version, slice: ctx.bulk },
    );
  }
  return paginate(items as Source[], args as ConnectionArgs, { all: ctx.bulk !== null, sortable, version });
}

/**
 * `ordersCount` and its kin: the records the same search would list, capped at `limit` (10,000 unless the query
 * passes another value or null) with precision AT_LEAST above the cap, as Shopify answers.
 */
const counted =
  (pick: (store: ShopStore) => unknown[]): Resolver =>
  (_source, args, ctx) => {
    const filter = compileSearch((args.query as string | null | undefined) ?? null);
    const count = (pick(ctx.store) as Source[]).filter(filter).length;
    const limit = args.limit === undefined ? 10_000 : (args.limit as number | null);
    return limit !== null && count > limit ? { count: limit, precision: 'AT_LEAST' } : { count, precision: 'EXACT' };
  };

const byId =
  (type: string): Resolver =>
  (_source, args, ctx) => {
    const node = ctx.store.node(String(args.id));
    return node && String(node.id).startsWith(`gid://shopify/${type}/`) ? node : null;
  };

export const RESOLVERS: Record<string, Record<string, Resolver>> = {
  QueryRoot: {
    shop: (_s, _a, ctx) => ctx.store.data.shop,
    locations: (_s, args, ctx) =>
      connectionOf(
        ctx.store.data.locations.filter((l) => l.isActive || args.includeInactive === true),
        args,
        ctx,
        true,
        true,
      ),
    location: byId('Location'),
    orders: topLevel((s) => s.data.orders),
    ordersCount: counted((s) => s.data.orders),
    customersCount: counted((s) => s.data.customers),
    productsCount: counted((s) => s.data.products),
    order: byId('Order'),
    customers: topLevel((s) => s.data.customers),
    customer: byId('Customer'),
    products: topLevel((s) => s.data.products),
    product: byId('Product'),
    productVariants: topLevel((s) => s.data.products.flatMap((p) => p.variants)),
    productVariant: byId('ProductVariant'),
    inventoryItem: byId('InventoryItem'),
    shopifyPaymentsAccount: (_s, _a, ctx) =>
      ctx.store.data.shopifyPaymentsAccount
        ? { __simulatorAccount: true, ...ctx.store.data.shopifyPaymentsAccount }
        : null,
    inventoryPurchaseOrders: topLevel((s) => s.data.inventoryPurchaseOrders, false),
    inventoryPurchaseOrder: byId('InventoryPurchaseOrder'),
    inventoryTransfers: topLevel((s) => s.data.inventoryTransfers, false),
    inventoryTransfer: byId('InventoryTransfer'),
    inventoryShipment: byId('InventoryShipment'),
    refund: byId('Refund'),
    return: byId('Return'),
    node: (_s, args, ctx) => ctx.store.node(String(args.id)) ?? null,
    nodes: (_s, args, ctx) => (args.ids as string[]).map((id) => ctx.store.node(id) ?? null),
    // The simulated shops have no POS Pro cash tracking: an empty list, as Shopify answers for such a shop.
    cashTrackingSessions: (_s, args, ctx) => connectionOf([], args, ctx, true, false),
    currentBulkOperation: (_s, args, ctx) =>
      [...ctx.bulkOperations].reverse().find((op) => op.type === ((args.type as string | undefined) ?? 'QUERY')) ??
      null,
    bulkOperation: (_s, args, ctx) => ctx.bulkOperations.find((op) => op.id === args.id) ?? null,
  },
  Mutation: {
    bulkOperationRunQuery: (_s, args, ctx) => ctx.runBulkQuery(String(args.query), Boolean(args.groupObjects)),
  },
  ShopifyPaymentsAccount: {
    payouts: (s, args, ctx) => connectionOf(s.payouts as unknown[], args, ctx, true, true),
    balanceTransactions: (s, args, ctx) => connectionOf(s.balanceTransactions as unknown[], args, ctx, true, true),
  },
  Order: {
    legacyResourceId: (s) => legacyResourceId(s),
    // POS orders carry the register's receipt number; online orders have none.
    sourceIdentifier: (s) => (s.sourceName === 'pos' ? `${legacyResourceId(s)}-pos` : null),
    // Staff members need the read_users scope, which the connector does not request: Shopify answers null.
    staffMember: () => null,
    // Duties and additional fees: null (none) unless the order carries them, as Shopify answers for a domestic order.
    originalTotalDutiesSet: (s) => s.originalTotalDutiesSet ?? null,
    currentTotalDutiesSet: (s) => {
      const order = s as unknown as Order;
      if (!order.originalTotalDutiesSet) return null;
      const back = sumMoney(order.refunds.flatMap((r) => (r.duties ?? []).map((d) => m(d.amountSet))));
      return bagOf(m(order.originalTotalDutiesSet) - back, order.currencyCode);
    },
    originalTotalAdditionalFeesSet: (s) => s.originalTotalAdditionalFeesSet ?? null,
    currentTotalAdditionalFeesSet: (s) => s.originalTotalAdditionalFeesSet ?? null,
    additionalFees: (s) => s.additionalFees ?? [],
    currentSubtotalPriceSet: (s) => {
      const order = s as unknown as Order;
      const back = orderReturned(order);
      return bagOf(
        m(order.subtotalPriceSet) - back.goods - (order.taxesIncluded ? back.goodsTax : 0n),
        order.currencyCode,
      );
    },
    currentTotalTaxSet: (s) => {
      const order = s as unknown as Order;
      const refundedTax =
        orderReturned(order).goodsTax +
        sumMoney(order.refunds.flatMap((r) => r.refundShippingLines.map((l) => m(l.taxAmountSet))));
      return bagOf(m(order.totalTaxSet) - refundedTax, order.currencyCode);
    },
    currentTotalPriceSet: (s) => {
      const order = s as unknown as Order;
      const back = orderReturned(order);
      return bagOf(m(order.totalPriceSet) - back.goods - back.goodsTax - back.shipping, order.currencyCode);
    },
    netPaymentSet: (s) => {
      const order = s as unknown as Order;
      return bagOf(m(order.totalReceivedSet) - m(order.totalRefundedSet), order.currencyCode);
    },
    transactions: (s) => s.transactions,
    refunds: (s, args) => {
      const refunds = s.refunds as unknown[];
      return typeof args.first === 'number' ? refunds.slice(0, args.first) : refunds;
    },
  },
  LineItem: {
    originalTotalSet: (s) => {
      const line = s as unknown as LineItem;
      return bagOf(
        m(line.originalUnitPriceSet) * BigInt(line.quantity),
        line.originalUnitPriceSet.shopMoney.currencyCode,
      );
    },
    totalDiscountSet: (s) => {
      const line = s as unknown as LineItem;
      return bagOf(lineLevelDiscount(line), line.originalUnitPriceSet.shopMoney.currencyCode);
    },
    discountedUnitPriceSet: (s) => {
      const line = s as unknown as LineItem;
      // Line-level discounts only, spread per unit (Shopify rounds the same way; the exact figure is the allocation).
      const perUnit = line.quantity > 0 ? lineLevelDiscount(line) / BigInt(line.quantity) : 0n;
      return bagOf(m(line.originalUnitPriceSet) - perUnit, line.originalUnitPriceSet.shopMoney.currencyCode);
    },
    discountedTotalSet: (s) => {
      const line = s as unknown as LineItem;
      const all = sumMoney(line.discountAllocations.map((d) => m(d.allocatedAmountSet)));
      return bagOf(
        m(line.originalUnitPriceSet) * BigInt(line.quantity) - all,
        line.originalUnitPriceSet.shopMoney.currencyCode,
      );
    },
    refundableQuantity: (s) => s.currentQuantity,
  },
  // Duties given back: none unless the refund carries them.
  Refund: { duties: (s) => s.duties ?? [] },
  Customer: {
    legacyResourceId: (s) => legacyResourceId(s),
    email: (s) => (s.defaultEmailAddress as { emailAddress: string } | null)?.emailAddress ?? null,
    phone: (s) => (s.defaultPhoneNumber as { phoneNumber: string } | null)?.phoneNumber ?? null,
  },
  OrderTransaction: {
    // Card details are only known for Shopify Payments; other gateways give none.
    paymentDetails: (s) =>
      s.gateway === 'shopify_payments'
        ? {
            __typename: 'CardPaymentDetails',
            company: 'Visa',
            paymentMethodName: 'visa',
            wallet: null,
            number: '•••• •••• •••• 4242',
            name: null,
            bin: '424242',
            expirationMonth: 12,
            expirationYear: 2030,
            avsResultCode: null,
            cvvResultCode: null,
          }
        : null,
  },
  DiscountCodeApplication: { code: (s) => s.title },
  Location: { legacyResourceId: (s) => legacyResourceId(s) },
  Product: { legacyResourceId: (s) => legacyResourceId(s) },
  ProductVariant: {
    legacyResourceId: (s) => legacyResourceId(s),
    product: (s, _a, ctx) => ctx.store.productOfVariant(String(s.id)),
  },
  ShopifyPaymentsPayout: { legacyResourceId: (s) => legacyResourceId(s) },
};

/** Whether `value` is a bare reference (`{ id }` or `{ id, name }`-like) to a record the store holds in full. */
function hydrate(value: unknown, ctx: ResolverContext): unknown {
  if (Array.isArray(value)) return value.map((v) => hydrate(v, ctx));
  if (value && typeof value === 'object' && typeof (value as Source).id === 'string') {
    const full = ctx.store.node((value as Source).id as string);
    if (full && full !== value) return full;
  }
  return value;
}

export const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, ctx, info) => {
  const custom = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (custom) return custom(source as Source, args, ctx, info);
  if (source === null || typeof source !== 'object' || !(info.fieldName in source)) throw notModelled(info);
  const value = hydrate((source as Source)[info.fieldName], ctx);
  const named = getNamedType(info.returnType);
  if (Array.isArray(value) && named.name.endsWith('Connection')) return connectionOf(value, args, ctx, false, false);
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) => {
  if (value && typeof value === 'object') {
    const typename = (value as Source).__typename;
    if (typeof typename === 'string') return typename;
    const id = (value as Source).id;
    if (typeof id === 'string') {
      const match = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id);
      if (match) return match[1];
    }
  }
  return undefined;
};
