import type { Result } from '../errors/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import { completeOrder, completeProduct, completePurchaseOrder, completeTransfer } from './connections.ts';
import type { SourceKind } from './source-records.ts';

/**
 * What the extractor pulls, entity by entity, as data: which documents read it, how a pull knows where to start,
 * and whether a backfill reads it through a bulk operation. The extractor has one routine for paged reads
 * (paged.ts) and one for bulk reads (bulk-pull.ts); this table is the only place an entity is described.
 */
export type ExtractEntity =
  | 'shop'
  | 'locations'
  | 'orders'
  | 'customers'
  | 'products'
  | 'payouts'
  | 'balanceTransactions'
  | 'purchaseOrders';

/** The order entities are pulled in (a backfill starts every bulk operation first, then ingests in this order). */
export const ALL_ENTITIES: readonly ExtractEntity[] = [
  'shop',
  'locations',
  'customers',
  'products',
  'orders',
  'payouts',
  'balanceTransactions',
  'purchaseOrders',
];

export type PageSizeName = 'orders' | 'customers' | 'products' | 'payments' | 'purchaseOrders';

type Json = Record<string, unknown>;

/**
 * How a paged pull knows where to start:
 * - `updatedAt`: from the stored watermark (newest `updatedAt` stored) minus the overlap window, oldest change
 *   first; the watermark advances with each stored page.
 * - `window`: no updatedAt to filter on (payouts, balance transactions): newest first, down to a trailing window
 *   before the watermark; the watermark moves once the window is read.
 * - `whole`: everything, every time (few records, no usable filter); content hashes keep versions to real changes.
 * - `single`: one object, not a connection (the shop).
 */
export type PagedCursor = 'updatedAt' | 'window' | 'whole' | 'single';

export interface PagedSpec {
  kind: SourceKind;
  operation: string;
  /** Where the connection (or the single object) sits in the answer; a null on the way means nothing to pull. */
  path: readonly string[];
  cursor: PagedCursor;
  /** The page size: a configurable one by name, or a fixed number; absent when the document fixes it. */
  first?: PageSizeName | number;
  /** The record's date: its updatedAt, or for `window` the date the window is measured on. */
  dateField: string | null;
  /** Fetches the nested pages the first answer did not include. */
  complete?: (client: AdminGraphqlClient, node: Json) => Promise<Result<void>>;
}

export interface BulkSpec {
  /** The query in queries/bulk.graphql. */
  query: string;
  /** Child field by the type in the child's GID, in the paged query's order (see BulkStitcher). */
  childFields: Readonly<Record<string, string>>;
  /** Orders only: refunds and returns, which no bulk query can hold, are read by id afterwards. */
  orderDetails?: true;
  /** Reads one record whole (operation, answer field), for one whose children came too late in the file. */
  byId?: readonly [string, string];
}

export interface EntitySpec {
  entity: ExtractEntity;
  /** The paged reads of the entity, in order (purchase orders are two lists). */
  paged: readonly PagedSpec[];
  /** Present when a backfill reads the entity through a bulk operation instead. */
  bulk?: BulkSpec;
  /** Shopify's count of the entity, for progress: operation and answer field. */
  count?: readonly [string, string];
}

export const ENTITY_SPECS: Readonly<Record<ExtractEntity, EntitySpec>> = {
  shop: {
    entity: 'shop',
    paged: [{ kind: 'shop', operation: 'Shop', path: ['shop'], cursor: 'single', dateField: null }],
  },
  locations: {
    entity: 'locations',
    // A shop has a handful: one page, faster than a bulk operation's start-up.
    paged: [{ kind: 'location', operation: 'Locations', path: ['locations'], cursor: 'whole', dateField: 'updatedAt' }],
  },
  customers: {
    entity: 'customers',
    paged: [
      {
        kind: 'customer',
        operation: 'CustomersPage',
        path: ['customers'],
        cursor: 'updatedAt',
        first: 'customers',
        dateField: 'updatedAt',
      },
    ],
    bulk: { query: 'BulkCustomers', childFields: {} },
    count: ['CustomersCount', 'customersCount'],
  },
  products: {
    entity: 'products',
    paged: [
      {
        kind: 'product',
        operation: 'ProductsPage',
        path: ['products'],
        cursor: 'updatedAt',
        first: 'products',
        dateField: 'updatedAt',
        complete: completeProduct,
      },
    ],
    bulk: { query: 'BulkProducts', childFields: { ProductVariant: 'variants' }, byId: ['ProductById', 'product'] },
    count: ['ProductsCount', 'productsCount'],
  },
  orders: {
    entity: 'orders',
    paged: [
      {
        kind: 'order',
        operation: 'OrdersPage',
        path: ['orders'],
        cursor: 'updatedAt',
        first: 'orders',
        dateField: 'updatedAt',
        complete: completeOrder,
      },
    ],
    bulk: {
      query: 'BulkOrders',
      childFields: { LineItem: 'lineItems', ShippingLine: 'shippingLines', Return: 'returns' },
      orderDetails: true,
      byId: ['OrderById', 'order'],
    },
    count: ['OrdersCount', 'ordersCount'],
  },
  payouts: {
    entity: 'payouts',
    paged: [
      {
        kind: 'payout',
        operation: 'PayoutsPage',
        path: ['shopifyPaymentsAccount', 'payouts'],
        cursor: 'window',
        first: 'payments',
        dateField: 'issuedAt',
      },
    ],
    bulk: { query: 'BulkPayouts', childFields: {} },
  },
  balanceTransactions: {
    entity: 'balanceTransactions',
    paged: [
      {
        kind: 'balanceTransaction',
        operation: 'BalanceTransactionsPage',
        path: ['shopifyPaymentsAccount', 'balanceTransactions'],
        cursor: 'window',
        first: 'payments',
        dateField: 'transactionDate',
      },
    ],
    bulk: { query: 'BulkBalanceTransactions', childFields: {} },
  },
  purchaseOrders: {
    entity: 'purchaseOrders',
    // Purchase orders and transfers are few, and only in the unstable schema's documents: paged.
    paged: [
      {
        kind: 'purchaseOrder',
        operation: 'PurchaseOrdersPage',
        path: ['inventoryPurchaseOrders'],
        cursor: 'whole',
        first: 'purchaseOrders',
        dateField: null,
        complete: completePurchaseOrder,
      },
      {
        kind: 'inventoryTransfer',
        operation: 'InventoryTransfersPage',
        path: ['inventoryTransfers'],
        cursor: 'whole',
        first: 3,
        dateField: null,
        complete: completeTransfer,
      },
    ],
  },
};
