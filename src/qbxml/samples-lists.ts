/**
 * Sample requests for the host, the company, preferences and the lists (accounts, classes, customers, vendors,
 * items): part of `sampleRequests` (samples.ts).
 */
import { externalGuidFor } from '../domain/index.ts';
import type { QbxmlRequest } from './build.ts';
import type { MessageName } from './generated/schema.ts';
import { address, listQuery, named, OWNER_ID } from './samples-parts.ts';

export const LIST_BODIES = {
  HostQuery: { IncludeListMetaData: { IncludeMaxCapacity: true } },
  CompanyQuery: { IncludeRetElement: ['CompanyName', 'DataExtRet'], OwnerID: [OWNER_ID] },
  PreferencesQuery: { IncludeRetElement: ['SalesTaxPreferences', 'PurchasesAndVendorsPreferences'] },
  AccountAdd: {
    AccountAdd: {
      Name: 'Shopify Payments Clearing',
      IsActive: true,
      ParentRef: named('Clearing Accounts'),
      AccountType: 'OtherCurrentAsset',
      AccountNumber: '12010',
      Desc: 'Card payments captured by Shopify Payments, cleared by payouts',
      OpenBalance: 0n,
      OpenBalanceDate: '2026-01-01',
    },
  },
  AccountMod: {
    AccountMod: {
      ListID: '80000012-1715000000',
      EditSequence: '1715000001',
      Name: 'Shopify Payments Clearing',
      IsActive: true,
      AccountNumber: '12010',
      Desc: 'Card payments captured by Shopify Payments',
    },
  },
  AccountQuery: { ...listQuery, AccountType: ['Income', 'OtherCurrentAsset'] },
  PaymentMethodAdd: {
    PaymentMethodAdd: { Name: 'Shopify Payments', IsActive: true, PaymentMethodType: 'OtherCreditCard' },
  },
  PaymentMethodQuery: {
    MaxReturned: 100,
    ActiveStatus: 'All',
    NameFilter: { MatchCriterion: 'StartsWith', Name: 'Shopify' },
    PaymentMethodType: ['OtherCreditCard', 'Cash', 'GiftCard'],
    IncludeRetElement: ['ListID', 'Name'],
  },
  ClassAdd: { ClassAdd: { Name: 'Downtown Store', IsActive: true, ParentRef: named('Shopify') } },
  ClassMod: {
    ClassMod: { ListID: '80000003-1715000000', EditSequence: '1715000002', Name: 'Downtown Store', IsActive: true },
  },
  ClassQuery: { ...listQuery, OwnerID: undefined },
  CustomerAdd: {
    CustomerAdd: {
      Name: "Ada O'Neill (#4471)",
      IsActive: true,
      ClassRef: named('Shopify:Downtown Store'),
      CompanyName: 'Northwind Outfitters',
      Salutation: 'Ms.',
      FirstName: 'Ada',
      LastName: "O'Neill",
      BillAddress: address,
      ShipAddress: address,
      Phone: '+1 503 555 0142',
      Email: 'ada@example.com',
      Contact: "Ada O'Neill",
      Notes: 'Shopify customer gid://shopify/Customer/4471',
      ExternalGUID: externalGuidFor('customer:4471'),
    },
  },
  CustomerMod: {
    CustomerMod: {
      ListID: '80000021-1715000000',
      EditSequence: '1715000003',
      Name: "Ada O'Neill (#4471)",
      CompanyName: 'Northwind Outfitters',
      BillAddress: address,
      Phone: '+1 503 555 0142',
      Email: 'ada@example.com',
    },
  },
  CustomerQuery: { ...listQuery },
  VendorAdd: {
    VendorAdd: {
      Name: 'Blue Harbor Textiles',
      IsActive: true,
      CompanyName: 'Blue Harbor Textiles Ltd.',
      VendorAddress: address,
      Phone: '+1 206 555 0199',
      Email: 'orders@blueharbor.example',
      Contact: 'Sam Lee',
      NameOnCheck: 'Blue Harbor Textiles Ltd.',
      AccountNumber: 'NW-2231',
      Notes: 'Shopify supplier',
      ExternalGUID: externalGuidFor('vendor:blue-harbor'),
    },
  },
  VendorMod: {
    VendorMod: {
      ListID: '80000031-1715000000',
      EditSequence: '1715000004',
      Name: 'Blue Harbor Textiles',
      Email: 'orders@blueharbor.example',
    },
  },
  VendorQuery: { ...listQuery },
  ItemInventoryAdd: {
    ItemInventoryAdd: {
      Name: 'TEE-BLU-M',
      IsActive: true,
      ParentRef: named('Tees'),
      ManufacturerPartNumber: 'BH-TEE-100',
      SalesTaxCodeRef: named('Tax'),
      SalesDesc: 'Organic tee, blue, M',
      SalesPrice: 2500n,
      IncomeAccountRef: named('Sales:Product Sales'),
      PurchaseDesc: 'Organic tee, blue, M (wholesale)',
      PurchaseCost: '9.40500',
      COGSAccountRef: named('Cost of Goods Sold'),
      PrefVendorRef: named('Blue Harbor Textiles'),
      AssetAccountRef: named('Inventory Asset'),
      ReorderPoint: 10,
      QuantityOnHand: 48,
      TotalValue: 45144n,
      InventoryDate: '2026-05-01',
      ExternalGUID: externalGuidFor('variant:901'),
    },
  },
  ItemInventoryQuery: { ...listQuery },
  ItemNonInventoryAdd: {
    ItemNonInventoryAdd: {
      Name: 'Gift wrap',
      IsActive: true,
      SalesTaxCodeRef: named('Tax'),
      SalesOrPurchase: { Desc: 'Gift wrapping', Price: '4.00', AccountRef: named('Sales:Other Sales') },
      ExternalGUID: externalGuidFor('product:giftwrap'),
    },
  },
  ItemNonInventoryQuery: { ...listQuery },
  ItemServiceAdd: {
    ItemServiceAdd: {
      Name: 'Alterations',
      IsActive: true,
      SalesTaxCodeRef: named('Non'),
      SalesAndPurchase: {
        SalesDesc: 'Hemming and alterations',
        SalesPrice: '15.00',
        IncomeAccountRef: named('Sales:Services'),
        PurchaseDesc: 'Tailor',
        PurchaseCost: '8.00',
        ExpenseAccountRef: named('Cost of Goods Sold'),
        PrefVendorRef: named('Blue Harbor Textiles'),
      },
      ExternalGUID: externalGuidFor('product:alterations'),
    },
  },
  ItemServiceQuery: { ...listQuery },
  ItemOtherChargeAdd: {
    ItemOtherChargeAdd: {
      Name: 'Shipping',
      IsActive: true,
      SalesTaxCodeRef: named('Non'),
      SalesOrPurchase: { Desc: 'Shipping charged to customers', Price: '0.00', AccountRef: named('Shipping Income') },
      ExternalGUID: externalGuidFor('charge:shipping'),
    },
  },
  ItemOtherChargeQuery: { ...listQuery },
  ItemDiscountAdd: {
    ItemDiscountAdd: {
      Name: 'Shopify Discount',
      IsActive: true,
      ItemDesc: 'Discounts given in Shopify',
      SalesTaxCodeRef: named('Non'),
      DiscountRate: '0.00',
      AccountRef: named('Sales:Discounts'),
      ExternalGUID: externalGuidFor('discount:shopify'),
    },
  },
  ItemDiscountQuery: { ...listQuery },
  ItemSalesTaxAdd: {
    ItemSalesTaxAdd: {
      Name: 'Shopify Tax',
      IsActive: true,
      ItemDesc: 'Sales tax as computed by Shopify (posted as lines; QuickBooks rate stays 0 %)',
      TaxRate: '0.0',
      TaxVendorRef: named('State Department of Revenue'),
      ExternalGUID: externalGuidFor('tax:shopify'),
    },
  },
  ItemSalesTaxQuery: { ...listQuery },
  ItemPaymentAdd: {
    ItemPaymentAdd: {
      Name: 'Gift card redeemed',
      IsActive: true,
      ItemDesc: 'Payment by Shopify gift card',
      DepositToAccountRef: named('Gift Card Liability'),
      PaymentMethodRef: named('Gift Card'),
      ExternalGUID: externalGuidFor('payment:giftcard'),
    },
  },
  ItemPaymentQuery: { ...listQuery },
  ItemQuery: {
    MaxReturned: 100,
    ActiveStatus: 'All',
    NameFilter: { MatchCriterion: 'StartsWith', Name: 'TEE' },
    IncludeRetElement: ['ListID', 'FullName', 'EditSequence'],
    OwnerID: [OWNER_ID],
  },
} satisfies Partial<Record<MessageName, QbxmlRequest['body'] & object>>;
