/**
 * Vendors: the suppliers of the purchase orders — one per Shopify supplier (by name) or Stocky supplier in Detailed
 * mode, one summary supplier in Summary mode. Vendors and customers share QuickBooks' name list.
 */
import type { VendorAdd } from '../../qbxml/index.ts';
import type { VendorRecord } from '../documents.ts';
import { cleanName, NAME_MAX } from '../names.ts';
import { SUMMARY_VENDOR, shopifyVendorKey, stockyVendorKey } from '../purchasing.ts';
import type { ListDraft, ListKind, Planned } from './kind.ts';

function draft(
  key: string,
  wanted: string,
  fallback: string,
  since: string,
  companyName: string | null,
  notes: string,
): ListDraft<VendorRecord> {
  return {
    key,
    name: { wanted, fallback, since },
    named: (name) => ({ kind: 'vendor', key, companyName, notes, name }),
  };
}

export const vendor: ListKind<VendorRecord> = {
  priority: 70,
  nameList: 'names',
  records(input) {
    const { sources } = input;
    const hasPurchasing =
      sources.inventoryPurchaseOrders.some((po) => po.status === 'ORDERED') ||
      (sources.stocky?.purchaseOrders.length ?? 0) > 0;
    if (!hasPurchasing) return [];
    if (input.settings.modes.vendors === 'summary') {
      return [
        draft(SUMMARY_VENDOR, 'Shopify Suppliers', 'Suppliers', '', null, 'All Shopify suppliers (Summary mode)'),
      ];
    }
    const out = new Map<string, ListDraft<VendorRecord>>();
    // The same supplier on several purchase orders: the earliest one names it.
    const add = (key: string, name: string, since: string, notes: string) => {
      const existing = out.get(key);
      if (existing && existing.name.since <= since) return;
      out.set(key, draft(key, name, 'Supplier', since, cleanName(name, NAME_MAX) || null, notes));
    };
    for (const po of sources.inventoryPurchaseOrders) {
      if (po.status !== 'ORDERED') continue;
      const supplier = po.origin?.supplier ?? null;
      add(
        shopifyVendorKey(supplier?.name ?? null),
        supplier?.name ?? 'Unknown Supplier',
        po.dateCreated,
        `Shopify supplier: ${supplier?.name ?? '(none)'}`,
      );
    }
    for (const supplier of sources.stocky?.suppliers ?? []) {
      add(
        stockyVendorKey(String(supplier.id)),
        supplier.company_name || supplier.name,
        supplier.created_at,
        `Stocky supplier ${supplier.id}: ${supplier.name}`,
      );
    }
    for (const po of sources.stocky?.purchaseOrders ?? []) {
      if (!po.supplier_id)
        add('vendor/unknown', 'Unknown Supplier', po.created_at, 'Purchase orders without a supplier');
    }
    return [...out.values()];
  },
  plan(record, ctx) {
    const add: VendorAdd<Planned> = { Name: record.name };
    if (record.companyName) add.CompanyName = record.companyName;
    add.Notes = record.notes;
    add.ExternalGUID = ctx.guid;
    return { message: 'VendorAdd', body: { VendorAdd: add } };
  },
};
