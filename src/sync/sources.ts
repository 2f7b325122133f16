import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  createSourceRecordReader,
  type SourceKind,
  type SourceRecordReader,
  type SourceRecordTypes,
} from '../extract/index.ts';
import type { Queryable } from '../storage/index.ts';
import type { TransformSources } from '../transform/index.ts';

const PAGE = 1000;

async function all<K extends SourceKind>(
  reader: SourceRecordReader,
  shopId: string,
  kind: K,
): Promise<SourceRecordTypes[K][]> {
  const out: SourceRecordTypes[K][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await reader.latest(shopId, kind, { afterSourceId: after, limit: PAGE });
    for (const record of page) out.push(record.payload);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!.sourceId;
  }
}

/**
 * The transform's input: the latest version of every source record of the shop. Records pulled again after an
 * edit or a refund replace their earlier version here, so the transform always sees the order as it is now.
 */
export async function loadTransformSources(q: Queryable, shopId: string): Promise<Result<TransformSources>> {
  const reader = createSourceRecordReader(q);
  const shops = await all(reader, shopId, 'shop');
  const shop = shops[0];
  if (!shop) {
    return err(
      new ConnectorError({
        code: 'SYNC_NO_SHOP_RECORD',
        message: `No shop record has been pulled for shop ${shopId}`,
        merchantMessage:
          'The connector could not read your shop’s settings from Shopify yet. The next sync tries again.',
        retryable: true,
      }),
    );
  }
  const [locations, products, customers, orders, payouts, balanceTransactions, purchaseOrders, transfers] =
    await Promise.all([
      all(reader, shopId, 'location'),
      all(reader, shopId, 'product'),
      all(reader, shopId, 'customer'),
      all(reader, shopId, 'order'),
      all(reader, shopId, 'payout'),
      all(reader, shopId, 'balanceTransaction'),
      all(reader, shopId, 'purchaseOrder'),
      all(reader, shopId, 'inventoryTransfer'),
    ]);
  const [suppliers, stockyOrders, adjustments] = await Promise.all([
    all(reader, shopId, 'stockySupplier'),
    all(reader, shopId, 'stockyPurchaseOrder'),
    all(reader, shopId, 'stockyStockAdjustment'),
  ]);
  const hasStocky = suppliers.length + stockyOrders.length + adjustments.length > 0;
  return ok({
    shop,
    locations,
    products,
    customers,
    orders,
    shopifyPaymentsAccount: payouts.length + balanceTransactions.length > 0 ? { payouts, balanceTransactions } : null,
    inventoryPurchaseOrders: purchaseOrders,
    inventoryTransfers: transfers,
    stocky: hasStocky ? { suppliers, purchaseOrders: stockyOrders, stockAdjustments: adjustments } : null,
  });
}
