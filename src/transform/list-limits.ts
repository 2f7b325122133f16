/**
 * The 14,500 rule. QuickBooks Pro and Premier hold at most 14,500 names (customers, vendors, employees and other
 * names together; 10,500 in any one of those lists) and 14,500 items (Intuit community article 1768244). Detailed mode creates one name per Shopify customer or supplier and one item per
 * variant, so before it is chosen the connector projects the lists it would reach and refuses Detailed for the
 * entity that would pass the limit, with the numbers. Enterprise has no practical limit here.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { Modes } from './documents.ts';

export const PRO_PREMIER_LIMITS = { names: 14_500, namesPerList: 10_500, items: 14_500 } as const;

/** The edition from QuickBooks' product name (HostRet ProductName): only Pro and Premier have the limits. */
export function editionOf(productName: string): 'pro' | 'premier' | 'enterprise' {
  if (/enterprise/i.test(productName)) return 'enterprise';
  if (/premier|accountant/i.test(productName)) return 'premier';
  return 'pro';
}

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

export type ListName = 'customers' | 'inventory' | 'vendors';

/** What choosing Detailed for one list would do, with the other lists as chosen: the numbers the settings show. */
export interface DetailedVerdict {
  /** Records Detailed creates in QuickBooks for this list: one per Shopify customer, variant or supplier. */
  creates: number;
  /** QuickBooks' own list (customers, items or vendors) after the first sync with Detailed for it. */
  projected: number;
  /** Customers and vendors share one name limit: all names together then (null for inventory, items apart). */
  projectedNames: number | null;
  /** The limit that binds: 14,500 names (customers, vendors) or 14,500 items; null on Enterprise. */
  limit: number | null;
  /** Customers and vendors: at most 10,500 in any one name list; null for items and on Enterprise. */
  listLimit: number | null;
  /** Whether saving Detailed for this list (the others as chosen) would be accepted: `checkListLimits` decides. */
  allowed: boolean;
}

/**
 * The 14,500 rule per list, before anything is saved: for each list, Detailed for it with the other lists as
 * chosen. The verdict is exactly what `checkListLimits` answers for those modes, so the screen never promises
 * what saving then refuses.
 */
export function detailedVerdicts(counts: ListCounts, modes: Modes): Record<ListName, DetailedVerdict> {
  const enterprise = counts.edition === 'enterprise';
  const creates: Record<ListName, number> = {
    customers: counts.shopify.customers,
    inventory: counts.shopify.variants,
    vendors: counts.shopify.suppliers,
  };
  const verdict = (list: ListName): DetailedVerdict => {
    const withDetailed: Modes = { ...modes, [list]: 'detailed' };
    const checked = checkListLimits(counts, withDetailed);
    const allowed = checked.ok || (checked.error.details.allowedModes as Modes)[list] === 'detailed';
    const p = projectLists(counts, withDetailed);
    const names = list !== 'inventory';
    return {
      creates: creates[list],
      projected: list === 'customers' ? p.customers : list === 'vendors' ? p.vendors : p.items,
      projectedNames: names ? p.names : null,
      limit: enterprise ? null : names ? PRO_PREMIER_LIMITS.names : PRO_PREMIER_LIMITS.items,
      listLimit: enterprise || !names ? null : PRO_PREMIER_LIMITS.namesPerList,
      allowed,
    };
  };
  return { customers: verdict('customers'), inventory: verdict('inventory'), vendors: verdict('vendors') };
}
