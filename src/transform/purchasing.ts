/**
 * Purchasing: purchase orders (Shopify's own, or Stocky's for stores that still hold Stocky data) and the goods
 * received on them. A purchase order is non-posting; receiving posts inventory at the purchase order's unit cost
 * against accounts payable (an Item Receipt, or a Bill when the supplier's invoice is known). What the purchasing
 * kinds (`kinds/purchase-order.ts`, `kinds/item-receipt.ts`, `kinds/vendor.ts`) share is here.
 */

import type { InventoryPurchaseOrder, StockyPurchaseOrder } from '../domain/index.ts';
import { shortHash } from '../domain/index.ts';
import { numericId } from './amounts.ts';
import type { PurchaseLine } from './documents.ts';
import { costTimes } from './fragments.ts';
import type { TransformInput, TransformSources } from './input.ts';

export const SUMMARY_VENDOR = 'vendor/summary';

/**
 * Shopify's purchase-order API exposes a supplier by name only (InventorySupplier has no id in the 2026-09
 * unstable schema), so a Shopify supplier is identified by its name, case-insensitively.
 */
export function shopifyVendorKey(supplierName: string | null): string {
  const name = supplierName?.trim().toLowerCase();
  return name ? `vendor/shopify/${shortHash(name, 10)}` : 'vendor/unknown';
}

export function stockyVendorKey(supplierId: string | null): string {
  return supplierId ? `vendor/stocky/${supplierId}` : 'vendor/unknown';
}

/** The document key: the source's own in Detailed mode, the day's per location and kind in Summary mode. */
export function groupKey(summary: boolean, detailKey: string, location: string, date: string, what: string): string {
  return summary ? `summary/${location}/${date}/${what}` : detailKey;
}

/** Shopify purchase orders that were sent to the supplier, in id order. */
export function orderedPurchaseOrders(sources: TransformSources): InventoryPurchaseOrder[] {
  return [...sources.inventoryPurchaseOrders]
    .filter((po) => po.status === 'ORDERED')
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function shopifyLineTitle(line: InventoryPurchaseOrder['lineItems'][number]): string {
  return [line.title, line.variantTitle].filter(Boolean).join(' - ') || 'Item';
}

export function shopifyLocation(po: InventoryPurchaseOrder): string {
  return po.destination?.location ? numericId(po.destination.location.id) : 'online';
}

export function stockyPurchaseOrders(sources: TransformSources): StockyPurchaseOrder[] {
  return [...(sources.stocky?.purchaseOrders ?? [])].sort((a, b) => a.id - b.id);
}

export function stockyLocation(po: StockyPurchaseOrder): string {
  return po.shopify_receive_location_id ? String(po.shopify_receive_location_id) : 'online';
}

export function stockyName(po: StockyPurchaseOrder): string {
  return po.number ?? `PO ${po.sequential_id}`;
}

type StockyItem = StockyPurchaseOrder['purchase_items'][number];

/** A Stocky purchase item as a purchase line, on the item of its Shopify inventory item. */
export function stockyLine(input: TransformInput, item: StockyItem): PurchaseLine {
  const variants = input.derived(variantByInventoryNumber);
  const title = [item.product_title, item.variant_title].filter(Boolean).join(' - ') || item.sku || 'Item';
  const inventoryItem = item.inventory_item_id ? (variants.get(String(item.inventory_item_id)) ?? null) : null;
  return {
    item: input.items.itemForInventoryItem(inventoryItem, title),
    description: title,
    quantity: item.quantity,
    unitCost: item.cost_price,
    amount: costTimes(item.cost_price, item.quantity),
    category: 'inventoryAsset',
  };
}

/** Stocky names inventory items by number; the catalog by GID. */
function variantByInventoryNumber(input: TransformInput): Map<string, string> {
  const map = new Map<string, string>();
  for (const product of input.sources.products)
    for (const v of product.variants) map.set(numericId(v.inventoryItem.id), v.inventoryItem.id);
  return map;
}
