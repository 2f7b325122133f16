/**
 * The item catalog: which QuickBooks item a sales or purchase line uses. Detailed inventory has one item per Shopify
 * variant (every variant, sold or not); Summary one per product type. The first line that asks for an item decides
 * its description, so orders are read before purchasing (see `prepare`).
 */

import type { LineItem, Product } from '../domain/index.ts';
import { type Money, parseMoney } from '../domain/index.ts';
import { numericId } from './amounts.ts';
import type { Mode } from './documents.ts';

/** What picks a sales line's item: a line item, or a variant seen elsewhere (purchase orders). */
export type ItemSource = Pick<LineItem, 'product' | 'name' | 'sku'> & {
  variant: { id: string; sku: string | null } | null;
};

export interface VariantItem {
  wanted: string;
  description: string;
  price: Money | null;
  sku: string | null;
  since: string;
}

export interface ItemCatalog {
  /** The item key of a line. */
  itemOf(line: ItemSource): string;
  /** The item key of a Shopify inventory item id (GID); unknown ids get the generic item. */
  itemForInventoryItem(inventoryItemId: string | null, title: string): string;
  /** Summary and custom-sale items: key → product type. */
  readonly categoryItems: ReadonlyMap<string, string>;
  /** Detailed items: key → what the variant's item shows. */
  readonly variantItems: ReadonlyMap<string, VariantItem>;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'other'
  );
}

export function createItemCatalog(products: readonly Product[], inventory: Mode): ItemCatalog {
  const productById = new Map<string, Product>(products.map((p) => [p.id, p]));
  const productByVariant = new Map<string, Product>();
  for (const product of products) for (const variant of product.variants) productByVariant.set(variant.id, product);
  const variantItems = new Map<string, VariantItem>();
  const categoryItems = new Map<string, string>();
  const itemOf = (line: ItemSource): string => {
    const product =
      (line.product && productById.get(line.product.id)) ||
      (line.variant && productByVariant.get(line.variant.id)) ||
      null;
    if (inventory === 'summary') {
      const type = product?.productType?.trim() || (line.variant ? 'Merchandise' : 'Custom Sale');
      const key = `item/category/${slug(type)}`;
      if (!categoryItems.has(key)) categoryItems.set(key, type);
      return key;
    }
    if (!line.variant) {
      if (!categoryItems.has('item/category/custom-sale'))
        categoryItems.set('item/category/custom-sale', 'Custom Sale');
      return 'item/category/custom-sale';
    }
    const key = `item/variant/${numericId(line.variant.id)}`;
    if (!variantItems.has(key)) {
      const variant = product?.variants.find((v) => v.id === line.variant!.id);
      const title = product
        ? variant && variant.title !== 'Default Title'
          ? `${product.title} - ${variant.title}`
          : product.title
        : line.name;
      const sku = variant?.sku ?? line.variant.sku ?? line.sku;
      variantItems.set(key, {
        wanted: sku?.trim() || title,
        description: sku ? `${title} (SKU ${sku})` : title,
        price: variant ? parseMoney(variant.price) : null,
        sku: sku ?? null,
        since: product?.createdAt ?? '9999',
      });
    }
    return key;
  };
  if (inventory === 'detailed') {
    // Every variant gets its item (one QuickBooks record per Shopify variant), sold or not.
    for (const product of products) {
      if (product.isGiftCard) continue;
      for (const variant of product.variants) {
        itemOf({
          product: { id: product.id },
          variant: { id: variant.id, sku: variant.sku },
          name: product.title,
          sku: variant.sku,
        });
      }
    }
  }
  const inventoryItems = new Map<string, { product: Product; variantIndex: number }>();
  for (const product of products) {
    product.variants.forEach((variant, variantIndex) => {
      inventoryItems.set(variant.inventoryItem.id, { product, variantIndex });
    });
  }
  const itemForInventoryItem = (inventoryItemId: string | null, title: string): string => {
    const found = inventoryItemId ? inventoryItems.get(inventoryItemId) : undefined;
    if (!found) return itemOf({ product: null, variant: null, name: title, sku: null });
    const variant = found.product.variants[found.variantIndex]!;
    return itemOf({
      product: { id: found.product.id },
      variant: { id: variant.id, sku: variant.sku },
      name: found.product.title,
      sku: variant.sku,
    });
  };
  return { itemOf, itemForInventoryItem, categoryItems, variantItems };
}
