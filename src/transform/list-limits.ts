/**
 * The 14,500 rule. QuickBooks Pro and Premier hold at most 14,500 names (customers, vendors, employees and other
 * names together; 10,500 in any one of those lists) and 14,500 items (Intuit community article 1768244). Detailed mode creates one name per Shopify customer or supplier and one item per
 * variant, so before it is chosen the connector projects the lists it would reach and refuses Detailed for the
 * entity that would pass the limit, with the numbers. Enterprise has no practical limit here.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { Modes } from './documents.ts';

export const PRO_PREMIER_LIMITS = { names: 14_500, namesPerList: 10_500, items: 14_500 } as const;

export interface ListCounts {
  edition: 'pro' | 'premier' | 'enterprise';
  /** QuickBooks' current list sizes (CustomerQuery/VendorQuery/EntityQuery/ItemQuery with metaData="MetaDataOnly"). */
  quickbooks: { names: number; customers: number; vendors: number; items: number };
  /** What Shopify has (counts queries). */
  shopify: {
    customers: number;
    variants: number;
    suppliers: number;
    productTypes: number;
    locations: number;
    gateways: number;
  };
}

export interface ListProjection {
  names: number;
  customers: number;
  vendors: number;
  items: number;
}

/** Service items every mode creates: shipping, tax, tips, gift card, discounts, over/short, one per gateway. */
const SERVICE_ITEMS = 6;

/** What QuickBooks' lists would hold after the first sync with these modes. */
export function projectLists(counts: ListCounts, modes: Modes): ListProjection {
  const s = counts.shopify;
  // Detailed customers still use one generic customer per location for sales without a customer.
  const customers = modes.customers === 'detailed' ? s.customers + s.locations + 1 : s.locations + 1;
  const vendors = modes.vendors === 'detailed' ? s.suppliers + 1 : 1;
  const items = (modes.inventory === 'detailed' ? s.variants + 1 : s.productTypes + 2) + SERVICE_ITEMS + s.gateways;
  return {
    names: counts.quickbooks.names + customers + vendors,
    customers: counts.quickbooks.customers + customers,
    vendors: counts.quickbooks.vendors + vendors,
    items: counts.quickbooks.items + items,
  };
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Checks the chosen modes against the edition's limits. On Pro/Premier, Detailed is refused for each entity whose
 * records would take a list past its limit (with the other entities as chosen); the error says which, with the
 * numbers and why, and `details.allowedModes` is the closest mix that fits.
 */
export function checkListLimits(counts: ListCounts, modes: Modes): Result<Modes> {
  if (counts.edition === 'enterprise') return ok(modes);
  const limit = PRO_PREMIER_LIMITS;
  const refusals: string[] = [];
  const allowed: Modes = { ...modes };
  const fits = (p: ListProjection) =>
    p.names <= limit.names && p.customers <= limit.namesPerList && p.vendors <= limit.namesPerList;
  const edition = counts.edition === 'pro' ? 'QuickBooks Pro' : 'QuickBooks Premier';
  if (modes.customers === 'detailed' && !fits(projectLists(counts, { ...modes, vendors: 'summary' }))) {
    const p = projectLists(counts, modes);
    allowed.customers = 'summary';
    refusals.push(
      `Detailed mode for Customers would create ${thousands(counts.shopify.customers)} customers, bringing QuickBooks to ${thousands(p.customers)} customers and ${thousands(p.names)} names in all (it has ${thousands(counts.quickbooks.names)} now). ${edition} holds at most ${thousands(limit.names)} names (customers, vendors, employees and other names together) and ${thousands(limit.namesPerList)} in any one list.`,
    );
  }
  if (modes.vendors === 'detailed' && !fits(projectLists(counts, allowed))) {
    const p = projectLists(counts, allowed);
    allowed.vendors = 'summary';
    refusals.push(
      `Detailed mode for Vendors would create ${thousands(counts.shopify.suppliers)} vendors, bringing QuickBooks to ${thousands(p.names)} names in all. ${edition} holds at most ${thousands(limit.names)} names.`,
    );
  }
  if (modes.inventory === 'detailed' && projectLists(counts, modes).items > limit.items) {
    const p = projectLists(counts, modes);
    allowed.inventory = 'summary';
    refusals.push(
      `Detailed mode for Inventory would create ${thousands(counts.shopify.variants)} items (one per Shopify variant), bringing QuickBooks to ${thousands(p.items)} items (it has ${thousands(counts.quickbooks.items)} now). ${edition} holds at most ${thousands(limit.items)} items.`,
    );
  }
  if (refusals.length === 0) return ok(modes);
  return err(
    new ConnectorError({
      code: 'QB_LIST_LIMIT_DETAILED_REFUSED',
      message: `Detailed mode refused by the ${thousands(limit.names)} list limit: ${refusals.length} entit${refusals.length === 1 ? 'y' : 'ies'}`,
      merchantMessage: `${refusals.join('\n')}\nChoose Summary mode for ${[
        allowed.customers !== modes.customers ? 'Customers' : null,
        allowed.vendors !== modes.vendors ? 'Vendors' : null,
        allowed.inventory !== modes.inventory ? 'Inventory' : null,
      ]
        .filter(Boolean)
        .join(
          ' and ',
        )} (one generic record instead of one per Shopify record), or move the company file to QuickBooks Enterprise.`,
      merchantMustAct: true,
      retryable: false,
      details: { allowedModes: allowed, projection: projectLists(counts, modes) },
    }),
  );
}
