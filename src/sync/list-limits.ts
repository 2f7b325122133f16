import type { CompanySnapshot } from '../apply/index.ts';
import type { Result } from '../errors/index.ts';
import { checkListLimits, editionOf, type ListCounts, type Modes, type TransformSources } from '../transform/index.ts';

/**
 * The 14,500 rule's inputs. QuickBooks' side comes from the lists the setup read (before the connector added
 * anything); Shopify's from the source records. The projection itself is the transform's (`checkListLimits`).
 */

export function quickbooksListCounts(snapshot: CompanySnapshot): ListCounts['quickbooks'] | null {
  const customers = snapshot.parts.CustomerQuery?.rets.length;
  const vendors = snapshot.parts.VendorQuery?.rets.length;
  const items = snapshot.parts.ItemQuery?.rets.length;
  if (customers === undefined || vendors === undefined || items === undefined) return null;
  return { names: customers + vendors, customers, vendors, items };
}

export function shopifyListCounts(sources: TransformSources): ListCounts['shopify'] {
  const suppliers = new Set<string>();
  for (const order of sources.inventoryPurchaseOrders) {
    const name = order.origin?.supplier?.name;
    if (name) suppliers.add(name.toLowerCase());
  }
  for (const supplier of sources.stocky?.suppliers ?? []) suppliers.add(supplier.name.toLowerCase());
  const gateways = new Set<string>();
  for (const order of sources.orders) for (const t of order.transactions) if (t.gateway) gateways.add(t.gateway);
  return {
    customers: sources.customers.length,
    variants: sources.products.reduce((n, p) => n + p.variants.length, 0),
    suppliers: suppliers.size,
    productTypes: new Set(sources.products.map((p) => p.productType || 'Other')).size,
    locations: sources.locations.length,
    gateways: gateways.size,
  };
}

/** Detailed mode refused (with the numbers) where Pro/Premier's lists would overflow. */
export function checkModesFit(
  productName: string,
  snapshot: CompanySnapshot,
  sources: TransformSources,
  modes: Modes,
): Result<Modes> | null {
  const quickbooks = quickbooksListCounts(snapshot);
  if (!quickbooks) return null;
  return checkListLimits({ edition: editionOf(productName), quickbooks, shopify: shopifyListCounts(sources) }, modes);
}
