/**
 * The QuickBooks lists the simulator keeps, with the rules that differ between them: which names must be unique
 * together (customers, vendors, employees and other names share one name space; items share another), whether a
 * record can have a parent (`Parent:Child` full names), and the longest name QuickBooks accepts.
 */
export interface ListTypeInfo {
  /** Records whose (full) names must be unique together, case-insensitively. */
  nameSpace: 'name' | 'item' | 'account' | 'paymentMethod' | 'class' | 'salesTaxCode';
  hierarchical: boolean;
  /** Whether the Ret carries FullName/ParentRef/Sublevel. */
  hasFullName: boolean;
  nameMax: number;
  /** How QuickBooks names the object in a 3140 message. */
  label: string;
  /** How QuickBooks names the list in a 3180 message. */
  listLabel: string;
}

export const LIST_TYPES: Record<string, ListTypeInfo> = {
  Customer: {
    nameSpace: 'name',
    hierarchical: true,
    hasFullName: true,
    nameMax: 41,
    label: 'Customer',
    listLabel: 'Customers',
  },
  Vendor: {
    nameSpace: 'name',
    hierarchical: false,
    hasFullName: false,
    nameMax: 41,
    label: 'Vendor',
    listLabel: 'Vendors',
  },
  Employee: {
    nameSpace: 'name',
    hierarchical: false,
    hasFullName: false,
    nameMax: 41,
    label: 'Employee',
    listLabel: 'Employees',
  },
  OtherName: {
    nameSpace: 'name',
    hierarchical: false,
    hasFullName: false,
    nameMax: 41,
    label: 'OtherName',
    listLabel: 'Other Names',
  },
  Account: {
    nameSpace: 'account',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Account',
    listLabel: 'Accounts',
  },
  ItemService: {
    nameSpace: 'item',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemInventory: {
    nameSpace: 'item',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemNonInventory: {
    nameSpace: 'item',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemOtherCharge: {
    nameSpace: 'item',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemDiscount: {
    nameSpace: 'item',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemSalesTax: {
    nameSpace: 'item',
    hierarchical: false,
    hasFullName: false,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemPayment: {
    nameSpace: 'item',
    hierarchical: false,
    hasFullName: false,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  ItemSubtotal: {
    nameSpace: 'item',
    hierarchical: false,
    hasFullName: false,
    nameMax: 31,
    label: 'Item',
    listLabel: 'Items',
  },
  PaymentMethod: {
    nameSpace: 'paymentMethod',
    hierarchical: false,
    hasFullName: false,
    nameMax: 31,
    label: 'PaymentMethod',
    listLabel: 'Payment Methods',
  },
  Class: {
    nameSpace: 'class',
    hierarchical: true,
    hasFullName: true,
    nameMax: 31,
    label: 'Class',
    listLabel: 'Classes',
  },
  SalesTaxCode: {
    nameSpace: 'salesTaxCode',
    hierarchical: false,
    hasFullName: false,
    nameMax: 3,
    label: 'SalesTaxCode',
    listLabel: 'Sales Tax Codes',
  },
};

export const NAME_LIST_TYPES = ['Customer', 'Vendor', 'Employee', 'OtherName'] as const;
export const ITEM_LIST_TYPES = [
  'ItemService',
  'ItemInventory',
  'ItemNonInventory',
  'ItemOtherCharge',
  'ItemDiscount',
  'ItemSalesTax',
  'ItemPayment',
  'ItemSubtotal',
] as const;

/**
 * What a `…Ref` element may point at. References not listed here name lists the simulator does not keep
 * (terms, sales reps, ship methods, templates, price levels, currencies…): they are always invalid (3140).
 */
export function referenceTarget(
  refName: string,
  ownerType: string,
): { types: readonly string[]; label: string } | null {
  switch (refName) {
    case 'CustomerRef':
      return { types: ['Customer'], label: 'Customer' };
    case 'VendorRef':
    case 'TaxVendorRef':
    case 'PrefVendorRef':
      return { types: ['Vendor'], label: 'Vendor' };
    case 'EntityRef':
    case 'PayeeEntityRef':
      return { types: NAME_LIST_TYPES, label: 'Entity' };
    case 'ItemRef':
      return { types: ITEM_LIST_TYPES, label: 'Item' };
    case 'ItemSalesTaxRef':
      return { types: ['ItemSalesTax'], label: 'ItemSalesTax' };
    case 'ClassRef':
    case 'DiscountClassRef':
    case 'OverrideClassRef':
      return { types: ['Class'], label: 'Class' };
    case 'PaymentMethodRef':
    case 'PreferredPaymentMethodRef':
      return { types: ['PaymentMethod'], label: 'PaymentMethod' };
    case 'SalesTaxCodeRef':
    case 'CustomerSalesTaxCodeRef':
    case 'PurchaseTaxCodeRef':
      return { types: ['SalesTaxCode'], label: 'SalesTaxCode' };
    case 'ParentRef': {
      const info = LIST_TYPES[ownerType];
      if (!info) return null;
      if (info.nameSpace === 'item') return { types: ITEM_LIST_TYPES, label: 'Item' };
      return { types: [ownerType], label: info.label };
    }
    default:
      if (refName.endsWith('AccountRef')) return { types: ['Account'], label: 'Account' };
      return null;
  }
}
