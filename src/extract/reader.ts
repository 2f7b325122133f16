import type {
  Customer,
  InventoryPurchaseOrder,
  InventoryTransfer,
  Location,
  Order,
  Product,
  Shop,
  ShopifyPaymentsBalanceTransaction,
  ShopifyPaymentsPayout,
  StockyPurchaseOrder,
  StockyStockAdjustment,
  StockySupplier,
} from '../domain/index.ts';
import type { Queryable } from '../storage/index.ts';
import { lastRunId } from './runs.ts';
import {
  changedSourceRecords,
  latestSourceRecord,
  latestSourceRecords,
  type SourceKind,
  type StoredSourceRecord,
  sourceRecordVersions,
} from './source-records.ts';

/** The record type stored under each kind (src/domain/shopify-records.ts). */
export interface SourceRecordTypes {
  shop: Shop;
  location: Location;
  order: Order;
  customer: Customer;
  product: Product;
  payout: ShopifyPaymentsPayout;
  balanceTransaction: ShopifyPaymentsBalanceTransaction;
  purchaseOrder: InventoryPurchaseOrder;
  inventoryTransfer: InventoryTransfer;
  stockySupplier: StockySupplier;
  stockyPurchaseOrder: StockyPurchaseOrder;
  stockyStockAdjustment: StockyStockAdjustment;
}

/**
 * What transform reads: the latest version of each source record, by kind, a page at a time; the records that
 * got a new version after a given extraction run; every version of one record.
 */
export interface SourceRecordReader {
  latest<K extends SourceKind>(
    shopId: string,
    kind: K,
    page?: { afterSourceId?: string; limit?: number },
  ): Promise<StoredSourceRecord<SourceRecordTypes[K]>[]>;
  one<K extends SourceKind>(
    shopId: string,
    kind: K,
    sourceId: string,
  ): Promise<StoredSourceRecord<SourceRecordTypes[K]> | null>;
  /**
   * Latest versions of the records changed in runs after `afterRunId` (null: all records), in record-id order;
   * page with `afterRecordId` = the last `recordId` seen.
   */
  changedSince<K extends SourceKind>(
    shopId: string,
    afterRunId: number | null,
    options?: { kind?: K; afterRecordId?: number; limit?: number },
  ): Promise<StoredSourceRecord<SourceRecordTypes[K]>[]>;
  versions<K extends SourceKind>(
    shopId: string,
    kind: K,
    sourceId: string,
  ): Promise<StoredSourceRecord<SourceRecordTypes[K]>[]>;
  /** The newest extraction run of the shop (what to pass as `afterRunId` next time). */
  lastRunId(shopId: string): Promise<number | null>;
}

export function createSourceRecordReader(storage: Queryable): SourceRecordReader {
  return {
    latest: (shopId, kind, page) => latestSourceRecords(storage, shopId, kind, page),
    one: (shopId, kind, sourceId) => latestSourceRecord(storage, shopId, kind, sourceId),
    changedSince: (shopId, afterRunId, options = {}) =>
      changedSourceRecords(storage, shopId, { afterRunId, ...options }),
    versions: (shopId, kind, sourceId) => sourceRecordVersions(storage, shopId, kind, sourceId),
    lastRunId: (shopId) => lastRunId(storage, shopId),
  };
}
